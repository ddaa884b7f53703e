"""Support forms: need × access -> the kind of in-person help, and how sure that choice is.

The forms and their rules are data (``divide/specs/support_forms.yaml``), validated by pydantic: an
analyst can change the thresholds, relabel a form or reword a reason, and the plan follows.

*Need* is high when the estimated offline share is above the prefecture's own average (residents 15+
weighted) **or** above an absolute level (spec ``need.absolute``). Its uncertainty comes from the
estimate's own simulation draws: ``need_probability`` is the share of draws in which the
municipality is high (the prefecture average is recomputed in each draw). *Access* is far when the
mean distance to a known counter exceeds ``access.threshold_km``. A distance that the geography
stage does not know to be complete (``access_verified`` False) is an upper bound: a municipality is
never given a form *because of* it; its form is the near one, marked for checking. A form is marked
uncertain when need is a coin toss (probability inside ``uncertain.probability``), when the distance
lies within ``uncertain.access_margin_km`` of the cut, or when the distance is an unverified "far";
the marker's reason says which, in Japanese and English.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from divide.errors import DivideParameterError
from divide.estimate.offline import OfflineEstimate
from divide.paths import PACKAGE_DIR
from divide.specio import validated

DEFAULT_FORMS = PACKAGE_DIR / "specs" / "support_forms.yaml"
CELLS = {("high", "far"), ("high", "near"), ("low", "far"), ("low", "near")}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Strict):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Form(_Strict):
    id: str = Field(min_length=1)
    need: Literal["high", "low"]
    access: Literal["far", "near"]
    labels: Texts
    reason: Texts


def _share(value: object) -> object:
    if isinstance(value, float) and not (math.isfinite(value) and 0 < value < 1):
        raise ValueError("a share between 0 and 1")
    return value


class Need(_Strict):
    column: str = "offline_share"
    threshold: Literal["prefecture", "national"] | float = "prefecture"
    absolute: float | None = None

    _shares = field_validator("threshold", "absolute")(_share)


class Access(_Strict):
    column: str = "access_mean_km"
    threshold_km: float = Field(gt=0)


class UnverifiedReason(_Strict):
    high: Texts
    low: Texts


class Uncertain(_Strict):
    probability: tuple[float, float] = (0.2, 0.8)
    access_margin_km: float = Field(1.0, ge=0)
    reason: UnverifiedReason


class FormSpec(_Strict):
    """A validated support-form spec; :meth:`load` reads YAML, a dict, or the shipped default."""

    need: Need = Field(default_factory=Need)
    access: Access
    uncertain: Uncertain
    forms: tuple[Form, ...]

    @model_validator(mode="after")
    def _four_cells(self) -> FormSpec:
        cells = [(f.need, f.access) for f in self.forms]
        if set(cells) != CELLS or len(cells) != 4:
            raise ValueError("exactly one form for each of need high/low × access far/near")
        return self

    @property
    def access_km(self) -> float:
        return self.access.threshold_km

    def form(self, need: str, access: str) -> Form:
        return next(f for f in self.forms if (f.need, f.access) == (need, access))

    @classmethod
    def load(cls, source: str | Path | dict | FormSpec | None = None) -> FormSpec:
        """Examples
        --------
        >>> spec = FormSpec.load()
        >>> spec.access_km, spec.need.threshold, spec.need.absolute
        (5.0, 'prefecture', 0.3)
        """
        if isinstance(source, FormSpec):
            return source
        spec, _ = validated(cls, source, default=DEFAULT_FORMS)
        return spec


def relative_threshold(
    spec: FormSpec, shares: np.ndarray, weights: np.ndarray, reference: float
) -> np.ndarray:
    """The relative need threshold of each row of ``shares`` (one row per draw, or one row for the
    point).
    """
    if spec.need.threshold == "prefecture":
        return (shares * weights).sum(axis=-1) / weights.sum()
    if spec.need.threshold == "national":
        return np.full(shares.shape[:-1], reference)
    return np.full(shares.shape[:-1], float(spec.need.threshold))


def need(
    spec: FormSpec, estimate: OfflineEstimate, codes: pd.Index
) -> tuple[pd.Series, pd.Series, float]:
    """(need value, probability that need is high, point relative threshold) per municipality."""
    m = estimate.municipalities.reindex(codes)
    if spec.need.column not in m:
        raise DivideParameterError(
            f"need column {spec.need.column!r} is not a column of the estimate"
        )
    weights = m["residents_15plus"].to_numpy(dtype=float)
    absolute = np.inf if spec.need.absolute is None else spec.need.absolute
    point = m[spec.need.column].to_numpy(dtype=float)
    threshold = float(relative_threshold(spec, point[None], weights, estimate.reference_share)[0])
    draws = estimate.draws.get(spec.need.column)
    if draws is None:
        probability = ((point > threshold) | (point > absolute)).astype(float)
    else:
        order = estimate.municipalities.index.get_indexer(codes)
        sample = draws[:, order]
        per_draw = relative_threshold(spec, sample, weights, estimate.reference_share)[:, None]
        probability = ((sample > per_draw) | (sample > absolute)).mean(axis=0)
    return pd.Series(point, index=codes), pd.Series(probability, index=codes), threshold
