"""The declarative index spec: pillars, indicators, normalisation, weights, aggregation, availability.

A spec is YAML (``divide/specs/default.yaml`` is shipped; analysts copy and edit it). Loading checks
everything an analyst can get wrong and names the pillar and indicator at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from divide.errors import DivideSpecError
from divide.paths import PACKAGE_DIR

NORMALISATIONS = ("minmax", "zscore", "rank", "goalposts")
AGGREGATIONS = ("arithmetic", "geometric")
TRANSFORMS = (None, "log")
DEFAULT_SPEC = PACKAGE_DIR / "specs" / "default.yaml"


@dataclass(frozen=True)
class Indicator:
    id: str
    column: str
    pillar: str
    direction: int
    weight: float
    labels: dict[str, str]
    unit: str
    source: str
    transform: str | None = None
    goalposts: tuple[float, float] | None = None

    def label(self, lang: str = "ja") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


@dataclass(frozen=True)
class Pillar:
    id: str
    weight: float
    labels: dict[str, str]
    indicators: tuple[Indicator, ...]

    def label(self, lang: str = "ja") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


@dataclass(frozen=True)
class IndexSpec:
    name: str
    pillars: tuple[Pillar, ...]
    normalisation: str = "minmax"
    indicator_aggregation: str = "arithmetic"
    pillar_aggregation: str = "arithmetic"
    availability: float = 0.66
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for p in self.pillars for i in p.indicators)

    def label(self, lang: str = "ja") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name

    def reweighted(self, pillars: dict[str, float]) -> IndexSpec:
        """The same spec with new pillar weights (e.g. from sliders); unknown pillar ids are an error."""
        unknown = set(pillars) - {p.id for p in self.pillars}
        if unknown:
            raise DivideSpecError(f"unknown pillar(s): {', '.join(sorted(unknown))}")
        changed = tuple(replace(p, weight=_weight(pillars.get(p.id, p.weight), f"pillar {p.id!r}"))
                        for p in self.pillars)
        return replace(self, pillars=changed)

    def table(self, lang: str = "ja") -> list[dict[str, object]]:
        """One row per indicator: pillar, label, column, direction, unit, source, weight."""
        return [{"pillar": p.label(lang), "indicator": i.label(lang), "column": i.column,
                 "direction": "+" if i.direction > 0 else "−", "unit": i.unit, "source": i.source,
                 "weight": i.weight, "pillar_weight": p.weight} for p in self.pillars for i in p.indicators]

    @classmethod
    def load(cls, source: str | Path | dict | None = None) -> IndexSpec:
        """Read a spec from a YAML path, a dict, or the shipped default (``None``)."""
        if isinstance(source, IndexSpec):
            return source
        if source is None:
            source = DEFAULT_SPEC
        where = "<dict>"
        if not isinstance(source, dict):
            where = str(source)
            try:
                source = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
            except FileNotFoundError as exc:
                raise DivideSpecError(f"spec not found: {where}") from exc
            except yaml.YAMLError as exc:
                raise DivideSpecError(f"{where}: not valid YAML ({exc})") from exc
        return _parse(source, where)


def _fail(where: str, what: str) -> DivideSpecError:
    return DivideSpecError(f"{where}: {what}")


def _weight(value: object, where: str) -> float:
    try:
        weight = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise _fail(where, f"weight must be a number, got {value!r}") from exc
    if weight < 0:
        raise _fail(where, "weight must not be negative")
    return weight


def _parse(raw: dict, where: str) -> IndexSpec:
    if not isinstance(raw, dict) or not raw.get("pillars"):
        raise _fail(where, "a spec needs a list of pillars")
    normalisation = raw.get("normalisation", "minmax")
    if normalisation not in NORMALISATIONS:
        raise _fail(where, f"normalisation must be one of {', '.join(NORMALISATIONS)}")
    aggregation = raw.get("aggregation", {}) or {}
    levels = {level: aggregation.get(level, "arithmetic") for level in ("indicators", "pillars")}
    for level, method in levels.items():
        if method not in AGGREGATIONS:
            raise _fail(where, f"aggregation.{level} must be arithmetic or geometric")
    availability = float(raw.get("availability", 0.66))
    if not 0 < availability <= 1:
        raise _fail(where, "availability must be in (0, 1]")
    pillars, seen = [], set()
    for p_raw in raw["pillars"]:
        pid = p_raw.get("id")
        if not pid:
            raise _fail(where, "every pillar needs an id")
        indicators = []
        for i_raw in p_raw.get("indicators") or []:
            iid = i_raw.get("id")
            at = f"{where}: pillar {pid!r}, indicator {iid!r}"
            if not iid or iid in seen:
                raise DivideSpecError(f"{at}: ids must be present and unique")
            seen.add(iid)
            if i_raw.get("direction") not in (1, -1):
                raise DivideSpecError(f"{at}: direction must be 1 (higher = wider gap) or -1")
            if i_raw.get("transform") not in TRANSFORMS:
                raise DivideSpecError(f"{at}: transform must be empty or 'log'")
            goalposts = i_raw.get("goalposts")
            if goalposts is not None:
                goalposts = (float(goalposts["lo"]), float(goalposts["hi"]))
                if goalposts[1] <= goalposts[0]:
                    raise DivideSpecError(f"{at}: goalposts need lo < hi")
            elif normalisation == "goalposts":
                raise DivideSpecError(f"{at}: goalposts normalisation needs lo and hi for every indicator")
            indicators.append(Indicator(
                id=iid, column=i_raw.get("column", iid), pillar=pid, direction=int(i_raw["direction"]),
                weight=_weight(i_raw.get("weight", 1), at), labels=dict(i_raw.get("labels") or {}),
                unit=str(i_raw.get("unit", "")), source=str(i_raw.get("source", "")),
                transform=i_raw.get("transform"), goalposts=goalposts))
        if not indicators:
            raise _fail(where, f"pillar {pid!r} has no indicators")
        pillars.append(Pillar(id=pid, weight=_weight(p_raw.get("weight", 1), f"{where}: pillar {pid!r}"),
                              labels=dict(p_raw.get("labels") or {}), indicators=tuple(indicators)))
    return IndexSpec(name=str(raw.get("name", "index")), pillars=tuple(pillars), normalisation=normalisation,
                     indicator_aggregation=levels["indicators"], pillar_aggregation=levels["pillars"],
                     availability=availability, labels=dict(raw.get("labels") or {}))
