"""Support forms: need × access -> the kind of in-person help, with the head-count it must reach.

The forms and their rules are data (``divide/specs/support_forms.yaml``), not code: an analyst can
change the thresholds, relabel a form or add one, and the plan follows. The spec is validated by
pydantic (unknown keys refused, the four need × access cells each given exactly one form).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from divide.errors import DivideSpecError
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


class Need(_Strict):
    column: str = "offline_share"
    threshold: Literal["prefecture", "national"] | float = "prefecture"

    @field_validator("threshold")
    @classmethod
    def _share(cls, value: object) -> object:
        if isinstance(value, float) and not (math.isfinite(value) and 0 < value < 1):
            raise ValueError("a numeric need threshold is a share between 0 and 1")
        return value


class Access(_Strict):
    column: str = "access_mean_km"
    threshold_km: float = Field(gt=0)


class FormSpec(_Strict):
    """A validated support-form spec; :meth:`load` reads YAML, a dict, or the shipped default."""

    need: Need = Field(default_factory=Need)
    access: Access
    forms: tuple[Form, ...]

    @model_validator(mode="after")
    def _four_cells(self) -> FormSpec:
        cells = [(f.need, f.access) for f in self.forms]
        if set(cells) != CELLS or len(cells) != 4:
            raise ValueError("exactly one form for each of need high/low × access far/near")
        return self

    @property
    def need_column(self) -> str:
        return self.need.column

    @property
    def need_threshold(self) -> str | float:
        return self.need.threshold

    @property
    def access_column(self) -> str:
        return self.access.column

    @property
    def access_km(self) -> float:
        return self.access.threshold_km

    @classmethod
    def load(cls, source: str | Path | dict | FormSpec | None = None) -> FormSpec:
        """Examples
        --------
        >>> FormSpec.load().access_km
        5.0
        """
        if isinstance(source, FormSpec):
            return source
        spec, _ = validated(cls, source, default=DEFAULT_FORMS)
        return spec


def need_threshold(spec: FormSpec, need: pd.Series, weights: pd.Series, estimate: OfflineEstimate) -> float:
    if spec.need_threshold == "prefecture":
        return float(np.average(need, weights=weights))
    if spec.need_threshold == "national":
        return float(estimate.reference_share)
    return float(spec.need_threshold)


def assign_forms(frame: pd.DataFrame, estimate: OfflineEstimate, spec: FormSpec) -> tuple[pd.DataFrame, dict]:
    """One form per municipality with labels, reason, head-count and interval."""
    m = estimate.municipalities.reindex(frame.index)
    need = m[spec.need_column] if spec.need_column in m else frame[spec.need_column]
    if spec.access_column not in frame:
        raise DivideSpecError(f"the table has no {spec.access_column!r}: pass the result of divide.add_geography")
    access = frame[spec.access_column]
    threshold = need_threshold(spec, need, m["residents_15plus"], estimate)
    high = np.where(need > threshold, "high", "low")
    far = np.where(access > spec.access_km, "far", "near")
    lookup = {(f.need, f.access): f for f in spec.forms}
    chosen = [lookup[(h, a)] for h, a in zip(high, far, strict=True)]
    table = pd.DataFrame({
        "support_form": [f.id for f in chosen],
        "support_form_ja": [f.labels.ja for f in chosen],
        "support_form_en": [f.labels.en for f in chosen],
        "reason_ja": [f.reason.ja for f in chosen],
        "reason_en": [f.reason.en for f in chosen],
        "need": need.to_numpy(), "need_level": high, "access_km": access.to_numpy(), "access_level": far,
        "headcount": m["offline_count"].to_numpy(), "headcount_lo": m["offline_count_lo"].to_numpy(),
        "headcount_hi": m["offline_count_hi"].to_numpy(),
    }, index=frame.index)
    thresholds = {"need_threshold": threshold, "need_basis": spec.need_threshold,
                  "access_threshold_km": spec.access_km}
    return table, thresholds
