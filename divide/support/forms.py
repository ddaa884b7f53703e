"""Support forms: need x access -> the kind of in-person help, with the head-count it must reach.

The forms and their rules are data (``divide/specs/support_forms.yaml``), not code: an analyst can
change the thresholds, relabel a form or add one, and the plan follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from divide.errors import DivideSpecError
from divide.estimate.offline import OfflineEstimate
from divide.paths import PACKAGE_DIR

DEFAULT_FORMS = PACKAGE_DIR / "specs" / "support_forms.yaml"


@dataclass(frozen=True)
class FormSpec:
    need_column: str
    need_threshold: str | float
    access_column: str
    access_km: float
    forms: tuple[dict, ...]

    @classmethod
    def load(cls, source: str | Path | dict | None = None) -> FormSpec:
        if isinstance(source, FormSpec):
            return source
        raw = source if isinstance(source, dict) else yaml.safe_load(
            Path(source or DEFAULT_FORMS).read_text(encoding="utf-8"))
        try:
            forms = tuple(raw["forms"])
            spec = cls(need_column=raw["need"].get("column", "offline_share"),
                       need_threshold=raw["need"].get("threshold", "prefecture"),
                       access_column=raw["access"].get("column", "access_mean_km"),
                       access_km=float(raw["access"]["threshold_km"]), forms=forms)
        except (KeyError, TypeError, ValueError) as exc:
            raise DivideSpecError(f"support-form spec: {exc}") from exc
        cells = {(f.get("need"), f.get("access")) for f in forms}
        if cells != {("high", "far"), ("high", "near"), ("low", "far"), ("low", "near")} or len(forms) != 4:
            raise DivideSpecError("support-form spec: exactly one form for each of need high/low x access far/near")
        for form in forms:
            for key in ("id", "labels", "reason"):
                if not form.get(key):
                    raise DivideSpecError(f"support-form spec: form {form.get('id')!r} lacks {key!r}")
        return spec


def need_threshold(spec: FormSpec, need: pd.Series, weights: pd.Series, estimate: OfflineEstimate) -> float:
    if spec.need_threshold == "prefecture":
        return float(np.average(need, weights=weights))
    if spec.need_threshold == "national":
        return float(estimate.reference_share)
    try:
        return float(spec.need_threshold)
    except (TypeError, ValueError) as exc:
        raise DivideSpecError("need.threshold must be 'prefecture', 'national' or a number") from exc


def assign_forms(frame: pd.DataFrame, estimate: OfflineEstimate, spec: FormSpec) -> tuple[pd.DataFrame, dict]:
    """One form per municipality with labels, reason, head-count and interval."""
    m = estimate.municipalities.reindex(frame.index)
    need = m[spec.need_column] if spec.need_column in m else frame[spec.need_column]
    if spec.access_column not in frame:
        raise DivideSpecError(f"the frame has no {spec.access_column!r}: run divide.add_geography(frame) first")
    access = frame[spec.access_column]
    threshold = need_threshold(spec, need, m["residents_15plus"], estimate)
    high = np.where(need > threshold, "high", "low")
    far = np.where(access > spec.access_km, "far", "near")
    lookup = {(f["need"], f["access"]): f for f in spec.forms}
    chosen = [lookup[(h, a)] for h, a in zip(high, far, strict=True)]
    table = pd.DataFrame({
        "support_form": [f["id"] for f in chosen],
        "support_form_ja": [f["labels"]["ja"] for f in chosen],
        "support_form_en": [f["labels"]["en"] for f in chosen],
        "reason_ja": [f["reason"]["ja"] for f in chosen],
        "reason_en": [f["reason"]["en"] for f in chosen],
        "need": need.to_numpy(), "need_level": high, "access_km": access.to_numpy(), "access_level": far,
        "headcount": m["offline_count"].to_numpy(), "headcount_lo": m["offline_count_lo"].to_numpy(),
        "headcount_hi": m["offline_count_hi"].to_numpy(),
    }, index=frame.index)
    thresholds = {"need_threshold": threshold, "need_basis": spec.need_threshold,
                  "access_threshold_km": spec.access_km}
    return table, thresholds
