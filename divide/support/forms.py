"""Support forms: need (share and count) × access (near, far, unknown) -> the kind of in-person help.

The forms and their thresholds are data (``divide/specs/support_forms.yaml``, which gives the reason
for every threshold), validated by pydantic: an analyst can change a threshold or relabel a form and
the plan follows. The rule:

* **need** is ``high`` when the offline share is above the prefecture's average (or Japan's, or a
  number); otherwise ``many`` when the municipality holds a large part of the prefecture's offline
  residents or many offline residents per known counter; otherwise ``low``;
* **access** is ``near`` when the mean distance to a known counter is at most the cut; ``far`` when
  it is above and the counter network is known; ``unknown`` when it is above but the network is not
  verified (the distance is then an upper bound: the tool does not know, and says so);
* one form for each of the nine cells.

The form is decided on the estimate's point values. How sure it is comes from the estimate's
simulation draws: ``need_agreement`` is the share of draws that give the same need level (the
prefecture average, totals and loads recomputed in each draw).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from divide.paths import PACKAGE_DIR
from divide.specio import validated
from divide.validation import check_lang

DEFAULT_FORMS = PACKAGE_DIR / "specs" / "support_forms.yaml"
NEED_LEVELS = ("high", "many", "low")
ACCESS_LEVELS = ("near", "far", "unknown")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Texts(_Strict):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Form(_Strict):
    id: str = Field(min_length=1)
    need: Literal["high", "many", "low"]
    access: Literal["near", "far", "unknown"]
    labels: Texts


def _share(value: object) -> object:
    if isinstance(value, float) and not (math.isfinite(value) and 0 < value < 1):
        raise ValueError("a share between 0 and 1")
    return value


class ShareNeed(_Strict):
    column: str = "offline_share"
    threshold: Literal["prefecture", "national"] | float = "prefecture"

    _shares = field_validator("threshold")(_share)


class CountNeed(_Strict):
    share_of_prefecture: float | None = Field(0.05, gt=0, lt=1)
    per_counter: float | None = Field(10_000, gt=0)


class Need(_Strict):
    share: ShareNeed = Field(default_factory=ShareNeed)
    count: CountNeed = Field(default_factory=CountNeed)


class Access(_Strict):
    column: str = "access_mean_km"
    threshold_km: float = Field(gt=0)


class Uncertain(_Strict):
    agreement: float = Field(0.8, gt=0.5, le=1)
    access_margin_km: float = Field(1.0, ge=0)


class FormSpec(_Strict):
    """A validated support-form spec; :meth:`load` reads YAML, a dict, or the shipped default."""

    need: Need = Field(default_factory=Need)
    access: Access
    uncertain: Uncertain = Field(default_factory=Uncertain)
    forms: tuple[Form, ...]

    @model_validator(mode="after")
    def _one_form_per_cell(self) -> FormSpec:
        cells = [(f.need, f.access) for f in self.forms]
        wanted = {(n, a) for n in NEED_LEVELS for a in ACCESS_LEVELS}
        if set(cells) != wanted or len(cells) != len(wanted):
            missing = sorted(wanted - set(cells))
            repeated = sorted({c for c in cells if cells.count(c) > 1})
            raise ValueError(
                "exactly one form for each need (high, many, low) × access (near, far, unknown)"
                + (f"; missing {missing}" if missing else "")
                + (f"; repeated {repeated}" if repeated else "")
            )
        ids = [f.id for f in self.forms]
        if len(set(ids)) != len(ids):
            raise ValueError("form ids must be unique")
        return self

    @property
    def access_km(self) -> float:
        return self.access.threshold_km

    def form(self, need: str, access: str) -> Form:
        return next(f for f in self.forms if (f.need, f.access) == (need, access))

    def label(self, form_id: str, lang: str) -> str:
        """A form's label in ``lang``."""
        check_lang(lang, "FormSpec.label")
        return getattr(next(f for f in self.forms if f.id == form_id).labels, lang)

    @classmethod
    def load(cls, source: str | Path | dict | FormSpec | None = None) -> FormSpec:
        """The shipped default, or the analyst's copy.

        Examples
        --------
        >>> spec = FormSpec.load()
        >>> spec.access_km, spec.need.share.threshold, spec.need.count.per_counter
        (5.0, 'prefecture', 10000.0)
        """
        if isinstance(source, FormSpec):
            return source
        spec, _ = validated(cls, source, default=DEFAULT_FORMS)
        return spec


# ---------------------------------------------------------------------------------------------
# The rule, for the point values (1 × n) and for every draw (D × n) alike
# ---------------------------------------------------------------------------------------------


def _by_prefecture(values: np.ndarray, prefectures: np.ndarray) -> np.ndarray:
    """… × n sums of ``values`` within each municipality's prefecture."""
    names, groups = np.unique(prefectures, return_inverse=True)
    membership = np.eye(len(names))[groups]
    return (values @ membership) @ membership.T


def need_levels(
    spec: FormSpec,
    shares: np.ndarray,
    residents: np.ndarray,
    prefectures: np.ndarray,
    counters: np.ndarray,
    reference: float,
) -> dict[str, np.ndarray]:
    """``share_high``, ``many`` (the count rule alone) and ``level`` (… × n) of every municipality.

    ``shares``: 1 × n or D × n offline shares; ``reference``: Japan's share (the national reading).
    """
    threshold = spec.need.share.threshold
    if threshold == "prefecture":
        cut = _by_prefecture(shares * residents, prefectures) / _by_prefecture(
            np.broadcast_to(residents, shares.shape), prefectures
        )
    elif threshold == "national":
        cut = np.full(shares.shape, reference)
    else:
        cut = np.full(shares.shape, float(threshold))
    share_high = shares > cut
    counts = shares * residents
    rule = spec.need.count
    many = np.zeros(shares.shape, dtype=bool)
    if rule.share_of_prefecture is not None:
        total = _by_prefecture(counts, prefectures)
        many |= counts >= rule.share_of_prefecture * np.maximum(total, 1e-12)
    if rule.per_counter is not None:
        many |= counts / np.maximum(counters, 1) >= rule.per_counter
    level = np.where(share_high, "high", np.where(many, "many", "low"))
    return {"share_high": share_high, "many": many, "level": level, "cut": cut}


def access_levels(spec: FormSpec, km: np.ndarray, verified: np.ndarray) -> np.ndarray:
    """``near``, ``far`` or ``unknown`` (over the cut with a network not verified)."""
    over = km > spec.access_km
    return np.where(~over, "near", np.where(verified, "far", "unknown"))


def uncertainty(
    spec: FormSpec, agreement: np.ndarray, km: np.ndarray, access: np.ndarray
) -> list[str]:
    """Why each form should be checked, as codes joined by ``;`` (empty when it need not be):
    ``need`` (the draws disagree on the need level), ``distance`` (a known distance near the cut),
    ``network`` (the counter network is not known).
    """
    near_cut = (np.abs(km - spec.access_km) <= spec.uncertain.access_margin_km) & (
        access != "unknown"
    )
    reasons = {
        "need": agreement < spec.uncertain.agreement,
        "distance": near_cut,
        "network": access == "unknown",
    }
    return [";".join(code for code, flags in reasons.items() if flags[i]) for i in range(len(km))]


def counters_per_municipality(counters: pd.DataFrame, codes: pd.Index) -> np.ndarray:
    """Known counters of each municipality (at least its main office)."""
    return counters.groupby("code").size().reindex(codes).fillna(0).clip(lower=1).to_numpy()
