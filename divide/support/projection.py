"""The time axis: the offline population 2020 -> 2035 as cohorts age.

**Rule.** A cohort keeps the offline rate it has in the estimate's year (taken as 2025) as it ages; people
younger than 15 then enter adulthood with the rate of today's 15-19-year-olds. ``period_improvement``
(logit points per year, default 0) lets every cohort improve over time on top of that.

**Population.** Each municipality's 2020 residents by 5-year band (register profile raked to the 2020
Census) are aged in 5-year steps with Japan's *cohort change ratios* from the register of 2017-01-01 and
2022-01-01 (Hamilton-Perry: the ratio of a cohort's size five years apart; nationally it is survival plus
a little net immigration). New births follow Japan's 2017 -> 2022 trend of the 0-4 band. Totals are then
scaled (migration) to: the 2020 Census (2020); the 2025 Census preliminary count (2025); the 2025 count
times the IPSS 2023 projection's change from 2025 (2030, 2035). IPSS projects Fukushima's 13 浜通り
municipalities only as one region: there the 2025 count is carried forward by cohort survival alone,
without migration (said in ``population_basis``).

**Versus the estimate.** The estimate's head-count applies the 2020 age structure to 2025 totals; the
projection ages that structure to 2025, so its 2025 count is somewhat higher (about 7 % in Fukushima):
the older the population, the more it differs.

**Interval.** The base-year 90 % interval of the estimate, carried forward in proportion; it does not
include the uncertainty of the population projection itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import ADULT_FROM_BAND, AGE_BANDS, BAND_WIDTH
from divide.estimate.offline import OfflineEstimate
from divide.estimate.structure import resident_bands
from divide.frame.data import datasets_of
from divide.frame.load import Frame
from divide.provenance import Dataset

BASE_YEAR = 2020
RATE_YEAR = 2025  # the estimate's survey year (2024) is read as the 2025 step
N_BANDS = len(AGE_BANDS)


def cohort_change_ratios(national: pd.DataFrame, start: str = "2017-01-01", end: str = "2022-01-01") -> np.ndarray:
    """CCR[b] = size of band b+1 in ``end`` / size of band b in ``start`` (the last one for 95+ -> 100+)."""
    table = national.set_index("population_date")[list(AGE_BANDS)].astype(float)
    first, last = table.loc[start].to_numpy(), table.loc[end].to_numpy()
    ratios = np.empty(N_BANDS)
    ratios[:-2] = last[1:-1] / first[:-2]
    ratios[-2:] = last[-1] / (first[-2] + first[-1])
    return ratios


def birth_ratio(national: pd.DataFrame, start: str = "2017-01-01", end: str = "2022-01-01") -> float:
    table = national.set_index("population_date")["age_0_4"].astype(float)
    return float(table.loc[end] / table.loc[start])


def calibrate_area_logit(bands: np.ndarray, use_by_band: np.ndarray, share: np.ndarray) -> np.ndarray:
    """η per municipality so that the adult-weighted mean of 1 - expit(logit(use_b) + η) equals ``share``."""
    adults = bands[:, ADULT_FROM_BAND:]
    weights = adults / np.maximum(adults.sum(axis=1, keepdims=True), 1e-12)
    base = logit(np.clip(use_by_band[ADULT_FROM_BAND:], 1e-9, 1 - 1e-9))
    eta = np.zeros(len(bands))
    for _ in range(50):  # Newton: the mean is monotone in η
        p = expit(base[None, :] + eta[:, None])
        offline = (weights * (1 - p)).sum(axis=1)
        slope = -(weights * p * (1 - p)).sum(axis=1)
        step = (offline - share) / np.where(np.abs(slope) > 1e-12, slope, -1e-12)
        eta -= step
        if np.max(np.abs(step)) < 1e-12:
            break
    return eta


def cohort_projection(bands: np.ndarray, rates: np.ndarray, years: tuple[int, ...], ccr: np.ndarray,
                      births: float, targets: dict[int, np.ndarray] | None,
                      period_improvement: float = 0.0) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Adults 15+ and offline adults per municipality for each year, following cohorts.

    bands: municipalities × 21 (2020); rates: municipalities × 21 offline rate by band in ``RATE_YEAR``;
    ccr: 21 cohort change ratios per 5 years; births: ratio of successive 0-4 bands; targets: year ->
    total population per municipality (NaN: no scaling that year).
    """
    n = bands.shape[0]
    steps = max((y - BASE_YEAR) // 5 for y in years)
    # cohorts: the 21 bands of 2020 plus one new birth cohort per step (entering as 0-4)
    size = np.concatenate([bands, np.zeros((n, steps))], axis=1)
    start_band = np.concatenate([np.arange(N_BANDS), -np.arange(1, steps + 1)])
    rate_band = np.clip(start_band + (RATE_YEAR - BASE_YEAR) // 5, ADULT_FROM_BAND, N_BANDS - 1)
    cohort_rate = rates[:, rate_band]
    adults, offline = {}, {}
    scale = np.ones(n)
    current = size.copy()
    for step in range(steps + 1):
        year = BASE_YEAR + 5 * step
        if step > 0:
            band_before = np.clip(start_band + step - 1, 0, N_BANDS - 1)
            alive = start_band + step - 1 >= 0
            current[:, alive] *= ccr[band_before[alive]]
            newborn = N_BANDS + step - 1
            current[:, newborn] = bands[:, 0] * births**step
        band_now = np.clip(start_band + step, 0, N_BANDS - 1)
        exists = start_band + step >= 0
        total = current[:, exists].sum(axis=1)
        if targets is not None and year in targets:
            target = targets[year]
            scale = np.where(np.isfinite(target), target / np.maximum(total, 1e-12), scale)
        adult = exists & (band_now >= ADULT_FROM_BAND)
        rate = cohort_rate[:, adult]
        if period_improvement:
            rate = 1 - expit(logit(np.clip(1 - rate, 1e-9, 1 - 1e-9)) + period_improvement * (year - RATE_YEAR))
        if year in years:
            people = current[:, adult] * scale[:, None]
            adults[year] = people.sum(axis=1)
            offline[year] = (people * rate).sum(axis=1)
    return adults, offline


def _targets(frame: pd.DataFrame, years: tuple[int, ...]) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    targets, basis = {}, {}
    prelim = frame["pop_2025_prelim"].to_numpy(dtype=float)
    for year in years:
        if year == 2020:
            targets[year] = frame["population"].to_numpy(dtype=float)
            basis[year] = np.full(len(frame), "2020 census")
        elif year == 2025:
            targets[year] = prelim
            basis[year] = np.full(len(frame), "2025 census preliminary")
        else:
            column = f"ipss_{year}"
            if column in frame:
                ratio = frame[column].to_numpy(dtype=float) / frame["ipss_2025"].to_numpy(dtype=float)
                targets[year] = prelim * ratio
            else:
                targets[year] = np.full(len(frame), np.nan)
            basis[year] = np.where(np.isfinite(targets[year]), "IPSS 2023 change applied to the 2025 census",
                                   "no IPSS municipal projection: 2025 count aged by cohort survival")
    return targets, basis


@dataclass
class Projection:
    """Result of :func:`project_offline`.

    Attributes
    ----------
    table : DataFrame
        Long table: code, year, offline_count (+ _lo/_hi), residents_15plus, offline_share, population_basis.
    period_improvement : float
    notes, datasets
    """

    table: pd.DataFrame
    period_improvement: float
    notes: list[str] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)


def project_offline(frame: Frame, estimate: OfflineEstimate, years: tuple[int, ...] = (2020, 2025, 2030, 2035),
                    *, period_improvement: float = 0.0) -> Projection:
    """The offline population of every municipality of ``frame`` in ``years`` (see the module docstring).

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> future = divide.project_offline(frame, divide.estimate_offline(frame, draws=50, validate=False))
    >>> sorted(future.table["year"].unique().tolist())
    [2020, 2025, 2030, 2035]
    """
    years = tuple(sorted(years))
    if years[0] < BASE_YEAR or any((y - BASE_YEAR) % BAND_WIDTH for y in years):
        raise ValueError("years must be 2020, 2025, 2030 … (five-year steps from the 2020 census)")
    table = frame.municipalities
    national = frame.data.layer("national_ages")
    m = estimate.municipalities.reindex(table.index)
    bands = resident_bands(table).to_numpy(dtype=float)
    use = estimate.age_curve.use_by_band()
    eta = calibrate_area_logit(bands, use, m["offline_share"].to_numpy(dtype=float))
    rates = 1 - expit(logit(np.clip(use, 1e-9, 1 - 1e-9))[None, :] + eta[:, None])
    targets, basis = _targets(table, years)
    adults, offline = cohort_projection(bands, rates, years, cohort_change_ratios(national), birth_ratio(national),
                                        targets, period_improvement)
    low = (m["offline_count_lo"] / m["offline_count"]).fillna(1).to_numpy()
    high = (m["offline_count_hi"] / m["offline_count"]).fillna(1).to_numpy()
    parts = []
    for year in years:
        count = offline[year]
        parts.append(pd.DataFrame({
            "code": table.index, "year": year, "offline_count": count, "offline_count_lo": count * low,
            "offline_count_hi": count * high, "residents_15plus": adults[year],
            "offline_share": np.where(adults[year] > 0, count / np.maximum(adults[year], 1e-12), np.nan),
            "population_basis": basis[year]}))
    used = [*estimate.datasets, *frame.data.layer_datasets["national_ages"], "indicators_2025"]
    return Projection(table=pd.concat(parts, ignore_index=True), period_improvement=period_improvement,
                      datasets={**estimate.datasets, **datasets_of(frame.data, [d for d in used
                                                                               if d not in estimate.datasets])})
