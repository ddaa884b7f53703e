"""Who lives where: resident age structure and the area covariates of each municipality.

The only municipal table by 5-year age band is the Basic Resident Register, which counts
*registrations*: evacuated towns of 浜通り keep registered populations many times the people living
there. The 2020 Census counts residents but publishes only the total and the 65+ count in the
mirror. The resident age structure is therefore the register's profile *raked* to the census: bands
under 65 are scaled to the census population under 65 and bands 65+ to the census 65+ (two margins).
A town with no census residents (双葉町 in 2020) keeps its registered profile.

Covariates, in two groups that the estimate's split keeps apart:

* *settlement geography*: ``kaso_share`` (whole or deemed 過疎 1, partial 0.5, none 0) and
  ``low_density`` (1 under 100 persons/km², about the lowest third of Japan's municipalities);
* *social composition*: ``graduate_share`` (university graduates among those with known schooling).

The elderly single-person household share was tested as a second composition covariate and left out:
its coefficient is 0.04 (standard error 0.87) and it does not change the validation error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divide.constants import ADULT_FROM_BAND, AGE_BANDS, BAND_COLUMNS, OLD_FROM_BAND

LOW_DENSITY = 100.0  # persons per km²
KASO_WEIGHT = {"whole": 1.0, "deemed": 1.0, "partial": 0.5, "none": 0.0}
SETTLEMENT = ("kaso_share", "low_density")
COMPOSITION = ("graduate_share",)
COVARIATES = (*SETTLEMENT, *COMPOSITION)
SUPPORT = (
    0.005,
    0.995,
)  # the central 99 % of the adult-weighted municipal values is what the model has seen


def resident_bands(frame: pd.DataFrame) -> pd.DataFrame:
    """Residents by 21 age bands: the registered profile raked to the census total and 65+."""
    registered = frame[list(BAND_COLUMNS)].to_numpy(dtype=float)
    young = registered[:, :OLD_FROM_BAND].sum(axis=1)
    old = registered[:, OLD_FROM_BAND:].sum(axis=1)
    census = frame["population"].to_numpy(dtype=float)
    census_old = frame["pop_65plus"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        young_factor = np.where(young > 0, (census - census_old) / young, 0.0)
        old_factor = np.where(old > 0, census_old / old, 0.0)
    raked = np.column_stack(
        [
            registered[:, :OLD_FROM_BAND] * young_factor[:, None],
            registered[:, OLD_FROM_BAND:] * old_factor[:, None],
        ]
    )
    no_residents = census <= 0
    raked[no_residents] = registered[no_residents]  # keep the registered profile as the shape
    return pd.DataFrame(raked, index=frame.index, columns=list(AGE_BANDS))


def adults(bands: pd.DataFrame | np.ndarray) -> np.ndarray:
    """Residents aged 15 and over of each row of 21 bands."""
    return np.asarray(bands, dtype=float)[:, ADULT_FROM_BAND:].sum(axis=1)


def municipal_covariates(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Covariates per municipality; missing values take the prefecture mean and are named in
    ``imputed``.
    """
    covariates = pd.DataFrame(
        {
            "kaso_share": frame["kaso"].map(KASO_WEIGHT).astype(float),
            "low_density": (frame["density"] < LOW_DENSITY).astype(float),
            "graduate_share": frame["graduate_share"].astype(float),
        },
        index=frame.index,
    )
    imputed = pd.Series("", index=frame.index)
    for column in covariates:
        missing = covariates[column].isna()
        if missing.any():
            means = covariates.groupby(frame["pref_code"])[column].transform("mean")
            covariates.loc[missing, column] = means[missing]
            imputed[missing] = (imputed[missing] + " " + column).str.strip()
    return covariates, imputed


def support(covariates: pd.DataFrame, weights: np.ndarray) -> dict[str, tuple[float, float]]:
    """Per covariate, the range of municipal values holding the central 99 % of the adults
    (weighted).
    """
    bounds = {}
    for column in covariates:
        values = covariates[column].to_numpy(dtype=float)
        order = np.argsort(values)
        cumulative = np.cumsum(weights[order]) / weights.sum()
        bounds[column] = (
            float(values[order][np.searchsorted(cumulative, SUPPORT[0])]),
            float(values[order][min(np.searchsorted(cumulative, SUPPORT[1]), len(values) - 1)]),
        )
    return bounds


def age_expected_use(bands: np.ndarray, use_by_band: np.ndarray) -> np.ndarray:
    """Use rate of residents aged 15+ expected from age alone: band counts (n × 21) × use by band
    (21, or D × 21).

    Returns n values, or D × n for a stack of curves. Clipped away from 0 and 1 so logits stay
    finite.
    """
    adult_bands = np.asarray(bands, dtype=float)[:, ADULT_FROM_BAND:]
    total = np.maximum(adult_bands.sum(axis=1), 1e-9)
    use = np.asarray(use_by_band, dtype=float)[..., ADULT_FROM_BAND:]
    return np.clip(use @ adult_bands.T / total, 1e-9, 1 - 1e-9)


def prefecture_range(
    covariates: pd.DataFrame, weights: np.ndarray, prefectures: np.ndarray, surveyed: set[str]
) -> dict[str, tuple[float, float]]:
    """Per covariate, the range of the adult-weighted *prefecture* means of the surveyed
    prefectures: the values that identify its coefficient (every observation is a prefecture).
    """
    frame = covariates.assign(_weight=weights, _pref=prefectures)
    frame = frame[frame["_pref"].isin(surveyed)]
    bounds = {}
    for column in covariates:
        means = (frame[column] * frame["_weight"]).groupby(frame["_pref"]).sum() / frame.groupby(
            "_pref"
        )["_weight"].sum()
        bounds[column] = (float(means.min()), float(means.max()))
    return bounds


def distance_outside(
    covariates: pd.DataFrame, bounds: dict[str, tuple[float, float]]
) -> pd.DataFrame:
    """How far each value lies outside its range, in range widths (0 inside)."""
    out = {}
    for column, (low, high) in bounds.items():
        values = covariates[column].to_numpy(dtype=float)
        width = max(high - low, 1e-12)
        out[column] = (np.maximum(low - values, 0) + np.maximum(values - high, 0)) / width
    return pd.DataFrame(out, index=covariates.index)
