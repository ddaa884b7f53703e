"""Residents by age from 2020 to 2050 in 5-year steps: one population path for the head-count and
the projection.

**2020.** The register profile raked to the 2020 Census
(:func:`~divide.estimate.structure.resident_bands`). **Ageing.** Each step moves every band up by
one with Japan's *cohort change ratios* from the register of 2017-01-01 and 2022-01-01
(Hamilton-Perry: the ratio of a cohort's size five years apart; nationally it is survival plus a
little net immigration); new 0-4 follow Japan's 2017 -> 2022 trend of that band. **Totals.** Each
year is scaled to: the 2020 Census (2020); the 2025 Census preliminary count (2025); the 2025 count
times the IPSS 2023 projection's change from 2025 (2030-2050). IPSS projects Fukushima's 13 浜通り
municipalities only as one region: there the 2025 count is carried forward by cohort change alone,
without migration. ``basis`` says which applies.

The estimate's head-count (residents aged 15+ in 2025) and the projection's 2025 value come from
this one path, so the pack shows one 2025 number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divide.constants import AGE_BANDS, BAND_WIDTH, N_BANDS
from divide.errors import DivideParameterError
from divide.estimate.structure import resident_bands

FIRST_YEAR, LAST_YEAR = 2020, 2050  # the census base and the last year IPSS projects
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1, BAND_WIDTH))
BASIS = {
    2020: "2020 census",
    2025: "2025 census preliminary",
    "ipss": "IPSS 2023 change applied to the 2025 census",
    "aged": "no IPSS municipal projection: 2025 count aged by cohort change",
}


def cohort_change_ratios(
    national: pd.DataFrame, start: str = "2017-01-01", end: str = "2022-01-01"
) -> np.ndarray:
    """CCR[b] = size of band b+1 in ``end`` / size of band b in ``start`` (the last one for 95+ ->
    100+).
    """
    table = national.set_index("population_date")[list(AGE_BANDS)].astype(float)
    first, last = table.loc[start].to_numpy(), table.loc[end].to_numpy()
    ratios = np.empty(N_BANDS)
    ratios[:-2] = last[1:-1] / first[:-2]
    ratios[-2:] = last[-1] / (first[-2] + first[-1])
    return ratios


def birth_ratio(
    national: pd.DataFrame, start: str = "2017-01-01", end: str = "2022-01-01"
) -> float:
    """Ratio of successive 0-4 bands five years apart (Japan)."""
    table = national.set_index("population_date")["age_0_4"].astype(float)
    return float(table.loc[end] / table.loc[start])


def age_one_step(bands: np.ndarray, ratios: np.ndarray, births: float) -> np.ndarray:
    """Bands five years later: every band moves up one (the open 100+ band keeps its survivors)."""
    out = np.empty_like(bands)
    out[:, 1:-1] = bands[:, :-2] * ratios[:-2]
    out[:, -1] = (bands[:, -2] + bands[:, -1]) * ratios[-1]
    out[:, 0] = bands[:, 0] * births
    return out


def _targets(frame: pd.DataFrame) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Total population per municipality for each year (NaN: no scaling) and the basis said for it."""
    prelim = frame["pop_2025_prelim"].to_numpy(dtype=float)
    targets = {2020: frame["population"].to_numpy(dtype=float), 2025: prelim}
    basis = {2020: np.full(len(frame), BASIS[2020]), 2025: np.full(len(frame), BASIS[2025])}
    for year in YEARS[2:]:
        column = f"ipss_{year}"
        ratio = frame[column].to_numpy(dtype=float) / frame["ipss_2025"].to_numpy(dtype=float)
        targets[year] = prelim * ratio
        basis[year] = np.where(np.isfinite(targets[year]), BASIS["ipss"], BASIS["aged"])
    return targets, basis


def population_path(
    frame: pd.DataFrame, national_ages: pd.DataFrame
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Residents by 21 bands (municipalities × 21) for every year 2020 … 2050, and the basis of each
    total.
    """
    ratios, births = cohort_change_ratios(national_ages), birth_ratio(national_ages)
    targets, basis = _targets(frame)
    shape = resident_bands(frame).to_numpy(
        dtype=float
    )  # a town without 2020 residents keeps its register shape
    scale = np.ones(len(shape))
    bands = {}
    for year in YEARS:
        if year > FIRST_YEAR:
            shape = age_one_step(shape, ratios, births)
        total = shape.sum(axis=1)
        target = targets[year]
        # scale to the year's total where there is one; otherwise carry the last scale (cohort
        # change alone)
        scale = np.where(
            np.isfinite(target) & (total > 0), target / np.maximum(total, 1e-12), scale
        )
        bands[year] = shape * scale[:, None]
    return bands, basis


def bands_in_year(path: dict[int, np.ndarray], year: float) -> np.ndarray:
    """Residents by 21 bands in any year of the path's span, linear between its 5-year steps.

    The survey years 2022-2024 fall between the census of 2020 and that of 2025: their age
    structure is read off the path, so that each year's age offset has that year's ageing in it.

    Examples
    --------
    >>> import numpy as np
    >>> path = {2020: np.array([[10.0, 20.0]]), 2025: np.array([[20.0, 10.0]])}
    >>> bands_in_year(path, 2022)
    array([[14., 16.]])
    """
    steps = sorted(path)
    if not steps[0] <= year <= steps[-1]:
        raise DivideParameterError(
            f"year {year} is outside the population path {steps[0]}-{steps[-1]}"
        )
    if year in path:
        return path[int(year)]
    before = max(s for s in steps if s < year)
    after = min(s for s in steps if s > year)
    weight = (year - before) / (after - before)
    return (1 - weight) * path[before] + weight * path[after]
