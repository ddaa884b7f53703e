"""Imputation of missing indicator values: the mean or median of the reference, overall or within a
group.

COINr's ``impute(imtype = "indgroup_mean")`` is the group variant: a missing value takes the mean of
the same indicator among the units of the same group (e.g. 過疎 municipalities from 過疎
municipalities). The statistics come from the *reference* (the prefecture, or all of Japan with
``bounds``), so that a prefecture normalised against Japan is also imputed from Japan. Where a group
has no value of an indicator, the whole reference fills in, and the caller is told how often that
happened.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from divide.index.spec import Imputation


@dataclass(frozen=True)
class Imputed:
    """Values with their gaps filled, which cells were filled, and which fell back to the whole
    reference.
    """

    values: np.ndarray
    imputed: np.ndarray
    fallback: np.ndarray  # n × I: imputed from the whole reference because the group had no value


def impute(
    values: np.ndarray,
    reference: np.ndarray,
    rule: Imputation,
    groups: pd.Series | None = None,
    reference_groups: pd.Series | None = None,
) -> Imputed:
    """Fill the NaN of ``values`` (n × I) from ``reference`` (n_ref × I), within ``groups`` when
    given.
    """
    statistic = np.nanmedian if rule.method == "median" else np.nanmean
    missing = np.isnan(values)
    if rule.method == "none":
        return Imputed(
            values=values, imputed=np.zeros_like(missing), fallback=np.zeros_like(missing)
        )
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", RuntimeWarning
        )  # an indicator with no reference value stays NaN
        overall = statistic(reference, axis=0)
        fill = np.broadcast_to(overall, values.shape).copy()
        fallback = np.zeros_like(missing)
        if groups is not None and reference_groups is not None:
            frame = pd.DataFrame(reference, index=reference_groups.to_numpy())
            by_group = frame.groupby(level=0, dropna=True).agg(rule.method)
            grouped = by_group.reindex(groups.to_numpy()).to_numpy(dtype=float)
            fallback = missing & np.isnan(grouped)
            fill = np.where(np.isnan(grouped), fill, grouped)
    return Imputed(values=np.where(missing, fill, values), imputed=missing, fallback=fallback)
