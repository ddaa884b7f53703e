"""The indicator table: the columns a spec can name, derived once from the frame and the estimate.

Besides any frame column, specs can use: ``share_75plus`` (residents aged 75+, the register profile
raked to the census), ``elderly_single_share`` (65+ single-person households / households),
``kaso_score`` (whole or deemed 1, partial 0.5, none 0) and the estimate's ``offline_share``,
``age_expected_share``, ``geo_part`` and ``offline_count``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divide.estimate.offline import OfflineEstimate
from divide.estimate.structure import BAND_COLUMNS, KASO_WEIGHT, resident_bands

ESTIMATE_COLUMNS = ("offline_share", "age_expected_share", "geo_part", "offline_count")


def indicator_table(frame: pd.DataFrame, estimate: OfflineEstimate | None = None) -> pd.DataFrame:
    """Frame columns plus the derived ones (each derived only when its inputs are in the frame)."""
    table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).copy()
    if {"population", "pop_65plus", *BAND_COLUMNS} <= set(frame.columns):
        bands = resident_bands(frame)
        total = bands.sum(axis=1)
        table["share_75plus"] = (bands.iloc[:, 15:].sum(axis=1) / total.where(total > 0)).astype(float)
    if {"elderly_single_hh", "households"} <= set(frame.columns):
        households = frame["households"].where(frame["households"] > 0)
        table["elderly_single_share"] = frame["elderly_single_hh"] / households
    if "kaso" in frame.columns:
        table["kaso_score"] = frame["kaso"].map(KASO_WEIGHT).astype(float)
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
