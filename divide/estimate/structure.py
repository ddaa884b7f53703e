"""Who lives where: resident age structure and the area covariates of each municipality and prefecture.

The only municipal table by 5-year age band is the Basic Resident Register, which counts *registrations*:
evacuated towns of 浜通り keep registered populations many times the people living there. The 2020
Census counts residents but publishes only the total and the 65+ count in the mirror. The resident
age structure is therefore the register's profile *raked* to the census: bands under 65 are scaled to
the census population under 65 and bands 65+ to the census 65+ (two margins). A town with no census
residents (双葉町 in 2020) keeps its registered profile.

Covariates are chosen so that prefecture-level (training) and municipal (prediction) values live on
the same scale: population shares at prefecture level, indicators or shares at municipal level
(``kaso_share``, ``low_density``), and household / graduate shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divide.constants import ADULT_FROM_BAND, AGE_BANDS, BAND_COLUMNS, OLD_FROM_BAND

LOW_DENSITY = 100.0  # persons per km²: "rural" municipalities, about the lowest third of Japan's
KASO_WEIGHT = {"whole": 1.0, "deemed": 1.0, "partial": 0.5, "none": 0.0}
COVARIATES = ("kaso_share", "low_density", "graduate_share", "elderly_single_share")
GEOGRAPHY = ("kaso_share", "low_density")


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
    raked = np.column_stack([registered[:, :OLD_FROM_BAND] * young_factor[:, None],
                             registered[:, OLD_FROM_BAND:] * old_factor[:, None]])
    no_residents = census <= 0
    raked[no_residents] = registered[no_residents]  # keep the registered profile as the shape
    return pd.DataFrame(raked, index=frame.index, columns=list(AGE_BANDS))


def adult_share(bands: pd.DataFrame) -> pd.Series:
    values = bands.to_numpy()
    total = values.sum(axis=1)
    return pd.Series(np.where(total > 0, values[:, ADULT_FROM_BAND:].sum(axis=1) / np.maximum(total, 1), np.nan),
                     index=bands.index)


def municipal_covariates(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Covariates per municipality; missing values take the prefecture mean and are named in ``imputed``."""
    households = frame["households"].where(frame["households"] > 0)
    covariates = pd.DataFrame({
        "kaso_share": frame["kaso"].map(KASO_WEIGHT).astype(float),
        "low_density": (frame["density"] < LOW_DENSITY).astype(float),
        "graduate_share": frame["graduate_share"].astype(float),
        "elderly_single_share": frame["elderly_single_hh"] / households,
    }, index=frame.index)
    imputed = pd.Series("", index=frame.index)
    for column in covariates:
        missing = covariates[column].isna()
        if missing.any():
            means = covariates.groupby(frame["pref_code"])[column].transform("mean")
            covariates.loc[missing, column] = means[missing]
            imputed[missing] = (imputed[missing] + " " + column).str.strip()
    return covariates, imputed


def prefecture_table(frame: pd.DataFrame, bands: pd.DataFrame, covariates: pd.DataFrame) -> pd.DataFrame:
    """Per prefecture: resident bands (summed) and covariates weighted by adult residents."""
    adults = bands.iloc[:, ADULT_FROM_BAND:].sum(axis=1)
    weighted = covariates.mul(adults, axis=0)
    grouped = frame["pref_code"]
    out = weighted.groupby(grouped).sum().div(adults.groupby(grouped).sum(), axis=0)
    # household shares aggregate over households, not people
    out["elderly_single_share"] = (frame["elderly_single_hh"].groupby(grouped).sum()
                                   / frame["households"].groupby(grouped).sum())
    return out.join(bands.groupby(grouped).sum())
