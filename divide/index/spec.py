"""The declarative index spec: indicators, pillars, sub-indices, and every step from raw value to
index.

The steps, in order (COINr's, the JRC's R package, where both do the same thing): an indicator's
column, optionally *denominated* (divided by another column, e.g. households), optionally
log-transformed; *imputed* (overall or group mean/median); *treated* for outliers (COINr's
winsorisation, then a log when still skewed; per-indicator override); *normalised* to gap scores;
*aggregated* indicator → pillar → (sub-indices, any depth) → index.

A spec is YAML (``divide/specs/default.yaml`` is shipped; analysts copy and edit it). It is
validated by pydantic models: unknown keys are refused (a mistyped ``wieght`` is an error, not a
default silently used), weights must be finite and not all zero, ids unique; errors name the file
and the place in it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from divide.errors import DivideSpecError
from divide.paths import PACKAGE_DIR
from divide.specio import validated
from divide.validation import check_lang

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


class Denominator(_Strict):
    """The column an indicator is divided by (population, households, area…) and that column's unit."""

    column: str = Field(min_length=1)
    unit: str = ""


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
    denominator: Denominator | None = None
    treatment: Literal["spec", "none", "coinr"] = "spec"
    reason: str = ""
    allow_shared: bool = False  # another indicator reads the same column, on purpose (say why)

    _weight = field_validator("weight")(_finite_weight)

    @field_validator("denominator", mode="before")
    @classmethod
    def _denominator_column(cls, value: object) -> object:
        return {"column": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _column(self) -> Indicator:
        return self if self.column else self.model_copy(update={"column": self.id})

    def label(self, lang: str = "ja") -> str:
        return _label(self.labels, lang, self.id)


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    """The label in ``lang``; a spec written in one language only shows it in the other too."""
    check_lang(lang, "IndexSpec label")
    return labels.get(lang) or labels.get("en") or fallback


class Pillar(_Strict):
    id: str = Field(min_length=1)
    weight: float = 1.0
    labels: dict[str, str] = Field(default_factory=dict)
    parent: str = ""  # a sub-index of ``aggregates``; "" = straight into the index
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    _weight = field_validator("weight")(_finite_weight)

    @model_validator(mode="after")
    def _own(self) -> Pillar:
        if sum(i.weight for i in self.indicators) <= 0:
            raise ValueError(f"pillar {self.id!r}: the weights of its indicators are all zero")
        owned = tuple(i.model_copy(update={"pillar": self.id}) for i in self.indicators)
        return self.model_copy(update={"indicators": owned})

    def label(self, lang: str = "ja") -> str:
        return _label(self.labels, lang, self.id)


class Aggregate(_Strict):
    """A node above the pillars (a sub-index); pillars and other aggregates name it as their
    ``parent``.
    """

    id: str = Field(min_length=1)
    weight: float = 1.0
    labels: dict[str, str] = Field(default_factory=dict)
    parent: str = ""  # "" = the index

    _weight = field_validator("weight")(_finite_weight)

    def label(self, lang: str = "ja") -> str:
        return _label(self.labels, lang, self.id)


class Aggregation(_Strict):
    indicators: Literal["arithmetic", "geometric"] = "arithmetic"
    pillars: Literal["arithmetic", "geometric"] = "arithmetic"  # every level above the indicators


class Imputation(_Strict):
    """Fill a missing indicator value with the mean or median of the reference, or of its own
    ``group``.

    ``none``: leave it missing; the indicator is then dropped for that municipality and its siblings
    re-weighted within their pillar (COINr's aggregation without an imputation step).
    ``group`` names a column (過疎 status ``kaso``, ``pref_code``…); a group with no value of that
    indicator falls back to the whole reference, and says so.
    """

    method: Literal["mean", "median", "none"] = "mean"
    group: str = ""


class Treatment(_Strict):
    """Outlier treatment as COINr's ``treat()`` documents it (``coinr``), or ``none``.

    While |skewness| > ``skew`` and kurtosis > ``kurtosis`` (e1071 type 2, excess), the most extreme
    value(s) are winsorised one at a time, up to ``winmax`` points (default: 10% of the units); when
    the indicator is still skewed after that, it is instead log-transformed, log(x − min + 0.01 (max
    − min)).
    """

    method: Literal["none", "coinr"] = "none"
    winmax: int | None = Field(None, ge=0)
    skew: float = Field(2.0, gt=0)
    kurtosis: float = 3.5


class IndexSpec(_Strict):
    """A validated index spec; :meth:`load` reads one from YAML, a dict, or the shipped default."""

    name: str = "index"
    version: int = 1
    labels: dict[str, str] = Field(default_factory=dict)
    normalisation: Literal["minmax", "zscore", "rank", "goalposts"] = "minmax"
    aggregation: Aggregation = Field(default_factory=Aggregation)
    availability: float = Field(0.66, ge=0, le=1)
    imputation: Imputation = Field(default_factory=Imputation)
    treatment: Treatment = Field(default_factory=Treatment)
    pillars: tuple[Pillar, ...] = Field(min_length=1)
    aggregates: tuple[Aggregate, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> IndexSpec:
        for kind, ids in (
            ("pillar or aggregate", [p.id for p in (*self.pillars, *self.aggregates)]),
            ("indicator", [i.id for i in self.indicators]),
        ):
            duplicated = sorted({x for x in ids if ids.count(x) > 1})
            if duplicated:
                raise ValueError(f"{kind} id {duplicated[0]!r} is used twice")
        reserved = {"score", "rank", "imputed", "pillars_missing"} & {
            n.id for n in (*self.pillars, *self.aggregates)
        }
        if reserved:
            raise ValueError(
                f"{sorted(reserved)[0]!r} names a column of the scores: choose another pillar id"
            )
        self._check_shared()
        self._check_tree()
        if sum(p.weight for p in self.pillars) <= 0:
            raise ValueError("the pillar weights are all zero")
        if self.normalisation == "goalposts":
            missing = [i.id for i in self.indicators if i.goalposts is None]
            if missing:
                raise ValueError(
                    "goalposts normalisation needs lo and hi for every indicator (missing: "
                    f"{missing[0]})"
                )
        return self

    def _check_shared(self) -> None:
        """Two indicators reading one column count it twice; only on purpose, with a reason.

        A column copied under a second id doubles its weight in the index without a word;
        ``allow_shared: true`` and a ``reason`` on each of them say it was meant (e.g. the same
        count, once per household and once per resident).
        """
        readers: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            readers.setdefault(indicator.column, []).append(indicator)
        for column, indicators in readers.items():
            if len(indicators) < 2:
                continue
            unmarked = [i.id for i in indicators if not (i.allow_shared and i.reason)]
            if unmarked:
                ids = ", ".join(i.id for i in indicators)
                raise ValueError(
                    f"column {column!r} is read by {len(indicators)} indicators ({ids}), which "
                    f"counts it {len(indicators)} times: remove one, or give each "
                    "'allow_shared: true' and a 'reason'"
                )

    def shared_columns(self) -> dict[str, list[str]]:
        """Columns read by more than one indicator (allowed, with reasons): column -> ids."""
        readers: dict[str, list[str]] = {}
        for indicator in self.indicators:
            readers.setdefault(indicator.column, []).append(indicator.id)
        return {column: ids for column, ids in readers.items() if len(ids) > 1}

    def _check_tree(self) -> None:
        """Parents exist, no cycle, every aggregate has a child, every pillar at the same depth
        (COINr's rule).
        """
        parent = {node.id: node.parent for node in (*self.pillars, *self.aggregates)}
        aggregates = {a.id for a in self.aggregates}
        for node, up in parent.items():
            if up and up not in aggregates:
                raise ValueError(f"{node!r}: parent {up!r} is not an aggregate of this spec")
        depths = {}
        for pillar in self.pillars:
            node, seen = pillar.id, [pillar.id]
            while parent[node]:
                node = parent[node]
                if node in seen:
                    raise ValueError(f"aggregate {node!r} is its own ancestor")
                seen.append(node)
            depths[pillar.id] = len(seen)
        if len(set(depths.values())) > 1:
            raise ValueError(
                "every pillar must reach the index in the same number of steps: "
                + ", ".join(f"{k} {v}" for k, v in depths.items())
            )
        childless = aggregates - set(parent.values())
        if childless:
            raise ValueError(
                f"aggregate {sorted(childless)[0]!r} has no pillar or aggregate under it"
            )

    @property
    def depth(self) -> int:
        """Aggregation levels above the indicators: 2 for indicator → pillar → index, 3 with
        sub-indices.
        """
        parent = {a.id: a.parent for a in self.aggregates}
        node, steps = self.pillars[0].parent, 2
        while node:
            node, steps = parent[node], steps + 1
        return steps

    def node_label(self, node: str, lang: str = "ja") -> str:
        """The label of a pillar or aggregate id (the index itself: ``score``)."""
        for item in (*self.pillars, *self.aggregates):
            if item.id == node:
                return item.label(lang)
        return self.label(lang) if node == "score" else node

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
        return _label(self.labels, lang, self.name)

    def reweighted(self, pillars: dict[str, float]) -> IndexSpec:
        """The same spec with new weights for pillars or sub-indices (e.g. from sliders); unknown
        ids are an error.
        """
        unknown = set(pillars) - {p.id for p in (*self.pillars, *self.aggregates)}
        if unknown:
            raise DivideSpecError(f"unknown pillar(s): {', '.join(sorted(unknown))}")
        raw = self.model_dump()
        for node in (*raw["pillars"], *raw["aggregates"]):
            node["weight"] = pillars.get(node["id"], node["weight"])
        return IndexSpec.load(raw)

    def table(self, lang: str = "ja") -> list[dict[str, object]]:
        """One row per indicator: pillar, label, column, direction, unit, source, weight."""
        return [
            {
                "pillar": p.label(lang),
                "indicator": i.label(lang),
                "column": i.column,
                "direction": "+" if i.direction > 0 else "−",
                "unit": i.unit,
                "source": i.source,
                "weight": i.weight,
                "pillar_weight": p.weight,
            }
            for p in self.pillars
            for i in p.indicators
        ]

    @classmethod
    def load(cls, source: str | Path | dict | IndexSpec | None = None) -> IndexSpec:
        """Read a spec from a YAML path, a dict, or the shipped default (``None``).

        Examples
        --------
        >>> spec = IndexSpec.load()
        >>> [p.id for p in spec.pillars]
        ['people', 'geography_access', 'digital']
        >>> mistyped = {"id": "x", "direction": 1, "wieght": 2}
        >>> IndexSpec.load({"pillars": [{"id": "p", "indicators": [mistyped]}]})
        Traceback (most recent call last):
        divide.errors.DivideSpecError: <dict>: pillars[0].indicators[0].wieght: unknown key (mistyped?)
        """
        if isinstance(source, IndexSpec):
            return source
        spec, _ = validated(cls, source, default=DEFAULT_SPEC)
        return spec
