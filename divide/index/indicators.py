"""The indicator table: the columns a spec can name, derived once from the frame and the estimate.

Besides any frame column, specs can use: ``share_75plus`` (residents aged 75+, the register profile
raked to the census), ``elderly_single_share`` (65+ single-person households / households),
``kaso_score`` (whole or deemed 1, partial 0.5, none 0), ``access_known_km`` (the distance to a
counter where the counter network is verified, empty where it is only an upper bound) and the
estimate's ``offline_share``, ``age_expected_share``, ``age_part``, ``settlement_part``,
``composition_part`` and ``offline_count``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divide.constants import BAND_COLUMNS, FROM_75_BAND
from divide.estimate.offline import OfflineEstimate
from divide.estimate.structure import KASO_WEIGHT, resident_bands
from divide.frame.columns import COLUMNS
from divide.provenance import Dataset, dataset

ESTIMATE_COLUMNS = (
    "offline_share",
    "age_expected_share",
    "age_part",
    "settlement_part",
    "composition_part",
    "offline_count",
)
# Datasets behind the columns this module derives (frame columns carry theirs in
# divide.frame.columns).
DERIVED_SOURCES = {
    "share_75plus": ("juki_age", "census_population", "census_aging"),
    "elderly_single_share": ("census_households",),
    "kaso_score": ("kaso",),
    "density": ("census_population", "indicators_2025"),
}


def indicator_table(frame: pd.DataFrame, estimate: OfflineEstimate | None = None) -> pd.DataFrame:
    """Frame columns plus the derived ones (each derived only when its inputs are in the frame).

    Parameters
    ----------
    frame : DataFrame
        Municipal rows (a frame's or a geography's).
    estimate : OfflineEstimate, optional
        Adds the estimate-based indicators.

    Examples
    --------
    >>> import divide
    >>> table = divide.indicator_table(divide.load_frame("07").municipalities)
    >>> round(float(table.loc["07201", "share_75plus"]), 3)
    0.151
    """
    table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    if {"population", "pop_65plus", *BAND_COLUMNS} <= set(frame.columns):
        bands = resident_bands(frame)
        total = bands.sum(axis=1)
        table["share_75plus"] = (
            bands.iloc[:, FROM_75_BAND:].sum(axis=1) / total.where(total > 0)
        ).astype(float)
    if {"elderly_single_hh", "households"} <= set(frame.columns):
        households = frame["households"].where(frame["households"] > 0)
        table["elderly_single_share"] = frame["elderly_single_hh"] / households
    if "kaso" in frame.columns:
        table["kaso_score"] = frame["kaso"].map(KASO_WEIGHT).astype(float)
    if {"access_mean_km", "access_verified"} <= set(frame.columns):
        table["access_known_km"] = frame["access_mean_km"].where(
            frame["access_verified"].astype(bool)
        )
    if estimate is not None:
        for column in ESTIMATE_COLUMNS:
            table[column] = estimate.municipalities[column].reindex(table.index)
    return table


def transform(values: pd.Series, how: str | None) -> np.ndarray:
    """Apply the spec's transform; log uses a floor of 1e-3 so zero-population towns stay finite."""
    array = values.to_numpy(dtype=float)
    if how == "log":
        return np.log(np.maximum(array, 1e-3))
    return array


def indicator_datasets(
    columns: list[str], carried: dict[str, Dataset], estimate: OfflineEstimate | None
) -> dict[str, Dataset]:
    """Datasets behind the indicator ``columns``: the estimate's, the derived ones', and the frame
    columns'.

    ``carried``: the datasets of the table the columns came from (a Frame's or a Geography's), so
    that geography columns credit the geography's sources.
    """
    out: dict[str, Dataset] = {}
    for column in columns:
        if estimate is not None and column in ESTIMATE_COLUMNS:
            out.update(estimate.datasets)
        elif column in DERIVED_SOURCES:
            out.update({key: carried.get(key) or dataset(key) for key in DERIVED_SOURCES[column]})
        elif column in COLUMNS and COLUMNS[column].source != "derived":
            key = COLUMNS[column].source
            if key in carried:
                out[key] = carried[key]
            elif key != "broadband_coverage":
                out[key] = dataset(key)
        elif column.startswith("access_"):  # measured by the geography stage
            out.update(
                {
                    k: v
                    for k, v in carried.items()
                    if k in ("boundaries", "offices", "shelters_japan")
                }
            )
    return out
