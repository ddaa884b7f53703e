"""The declarative index spec: pillars, indicators, normalisation, weights, aggregation, availability.

A spec is YAML (``divide/specs/default.yaml`` is shipped; analysts copy and edit it). It is validated by
pydantic models: unknown keys are refused (a mistyped ``wieght`` is an error, not a default silently
used), weights must be finite and not all zero, ids unique; errors name the file and the place in it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from divide.errors import DivideSpecError
from divide.paths import PACKAGE_DIR
from divide.specio import validated

NORMALISATIONS = ("minmax", "zscore", "rank", "goalposts")
AGGREGATIONS = ("arithmetic", "geometric")
DEFAULT_SPEC = PACKAGE_DIR / "specs" / "default.yaml"

Weight = float


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _finite_weight(value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError("a weight must be a finite number >= 0")
    return value


class Goalposts(_Strict):
    lo: float
    hi: float

    @model_validator(mode="after")
    def _ordered(self) -> Goalposts:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi) and self.lo < self.hi):
            raise ValueError("goalposts need finite lo < hi")
        return self


class Indicator(_Strict):
    """One indicator: the frame column it reads, its direction, weight within its pillar, labels."""

    id: str = Field(min_length=1)
    column: str = ""
    pillar: str = ""
    direction: Literal[1, -1]
    weight: float = 1.0
    labels: dict[str, str] = Field(default_factory=dict)
    unit: str = ""
    source: str = ""
    transform: Literal["log"] | None = None
    goalposts: Goalposts | None = None
    reason: str = ""

    _weight = field_validator("weight")(_finite_weight)

    @model_validator(mode="after")
    def _column(self) -> Indicator:
        return self if self.column else self.model_copy(update={"column": self.id})

    def label(self, lang: str = "ja") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


class Pillar(_Strict):
    id: str = Field(min_length=1)
    weight: float = 1.0
    labels: dict[str, str] = Field(default_factory=dict)
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    _weight = field_validator("weight")(_finite_weight)

    @model_validator(mode="after")
    def _own(self) -> Pillar:
        if sum(i.weight for i in self.indicators) <= 0:
            raise ValueError(f"pillar {self.id!r}: the weights of its indicators are all zero")
        owned = tuple(i.model_copy(update={"pillar": self.id}) for i in self.indicators)
        return self.model_copy(update={"indicators": owned})

    def label(self, lang: str = "ja") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.id


class Aggregation(_Strict):
    indicators: Literal["arithmetic", "geometric"] = "arithmetic"
    pillars: Literal["arithmetic", "geometric"] = "arithmetic"


class IndexSpec(_Strict):
    """A validated index spec; :meth:`load` reads one from YAML, a dict, or the shipped default."""

    name: str = "index"
    version: int = 1
    labels: dict[str, str] = Field(default_factory=dict)
    normalisation: Literal["minmax", "zscore", "rank", "goalposts"] = "minmax"
    aggregation: Aggregation = Field(default_factory=Aggregation)
    availability: float = Field(0.66, gt=0, le=1)
    pillars: tuple[Pillar, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> IndexSpec:
        for kind, ids in (("pillar", [p.id for p in self.pillars]), ("indicator", [i.id for i in self.indicators])):
            duplicated = sorted({x for x in ids if ids.count(x) > 1})
            if duplicated:
                raise ValueError(f"{kind} id {duplicated[0]!r} is used twice")
        if sum(p.weight for p in self.pillars) <= 0:
            raise ValueError("the pillar weights are all zero")
        if self.normalisation == "goalposts":
            missing = [i.id for i in self.indicators if i.goalposts is None]
            if missing:
                raise ValueError(f"goalposts normalisation needs lo and hi for every indicator (missing: {missing[0]})")
        return self

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for p in self.pillars for i in p.indicators)

    @property
    def indicator_aggregation(self) -> str:
        return self.aggregation.indicators

    @property
    def pillar_aggregation(self) -> str:
        return self.aggregation.pillars

    def label(self, lang: str = "ja") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.name

    def reweighted(self, pillars: dict[str, float]) -> IndexSpec:
        """The same spec with new pillar weights (e.g. from sliders); unknown pillar ids are an error."""
        unknown = set(pillars) - {p.id for p in self.pillars}
        if unknown:
            raise DivideSpecError(f"unknown pillar(s): {', '.join(sorted(unknown))}")
        raw = self.model_dump()
        for pillar in raw["pillars"]:
            pillar["weight"] = pillars.get(pillar["id"], pillar["weight"])
        return IndexSpec.load(raw)

    def table(self, lang: str = "ja") -> list[dict[str, object]]:
        """One row per indicator: pillar, label, column, direction, unit, source, weight."""
        return [{"pillar": p.label(lang), "indicator": i.label(lang), "column": i.column,
                 "direction": "+" if i.direction > 0 else "−", "unit": i.unit, "source": i.source,
                 "weight": i.weight, "pillar_weight": p.weight} for p in self.pillars for i in p.indicators]

    @classmethod
    def load(cls, source: str | Path | dict | IndexSpec | None = None) -> IndexSpec:
        """Read a spec from a YAML path, a dict, or the shipped default (``None``).

        Examples
        --------
        >>> spec = IndexSpec.load()
        >>> [p.id for p in spec.pillars]
        ['people', 'geography_access', 'digital']
        >>> IndexSpec.load({"pillars": [{"id": "p", "indicators": [{"id": "x", "direction": 1, "wieght": 2}]}]})
        Traceback (most recent call last):
        divide.errors.DivideSpecError: <dict>: pillars[0].indicators[0].wieght: unknown key (mistyped?)
        """
        if isinstance(source, IndexSpec):
            return source
        spec, _ = validated(cls, source, default=DEFAULT_SPEC)
        return spec
