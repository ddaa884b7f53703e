"""The time axis: the offline population 2020 -> 2050 under three stated scenarios, from one 2025
baseline.

**Population.** The path of :mod:`divide.estimate.population` (2020 Census, aged by Japan's cohort
change ratios, scaled to the 2025 Census and to IPSS's municipal change): the same path whose 2025
adults are the estimate's head-count base, so every scenario's 2025 value *is* the estimate's
head-count.

**Rates in 2025.** Each municipality's offline rate by 5-year band: the age curve shifted on the
logit scale until the adult-weighted mean equals the estimate's share. Then, by scenario:

* ``cohort``: a cohort keeps its 2025 rate as it ages; those reaching 15 take today's 15-19 rate.
  Today's older, more offline cohorts are replaced by younger ones, so the offline population falls
  fast (it implies a national fall of about 0.9 points a year, which the survey of 2022-2024 does
  not show).
* ``constant_rates``: every age band keeps its 2025 rate; only the population changes (ageing raises
  the offline share where older groups grow).
* ``survey_trend``: the constant rates moved by the survey's own period change per year (the slope
  of the area model's year effects, 2022-2024), the observed trend carried forward. This is the
  **central** path: it follows the data rather than an assumption about cohorts.

**Band.** The 90 % interval of the estimate (base year) carried forward in proportion, and across
the three scenarios the lowest lower and highest upper bound: the band a council should read. It
does not include the uncertainty of the population path itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import ADULT_FROM_BAND, BAND_WIDTH, N_BANDS
from divide.estimate.offline import OfflineEstimate
from divide.estimate.population import YEARS, check_years, population_path
from divide.estimate.structure import adults
from divide.frame.data import datasets_of
from divide.frame.load import Frame
from divide.provenance import Dataset
from divide.validation import Result, checked

RATE_YEAR = 2025  # the estimate's survey year (2024) is read as the 2025 step
SCENARIOS = ("cohort", "constant_rates", "survey_trend")
CENTRAL = "survey_trend"


@dataclass
class Projection:
    """Result of :func:`project_offline`.

    Attributes
    ----------
    table : DataFrame
        Long table: code, year, scenario, offline_count (+ _lo/_hi), residents_15plus,
        offline_share, population_basis.
    central : str
        The scenario of the central path (``survey_trend``).
    trend_per_year : tuple
        The survey's period change of the logit of use per year and its standard error.
    notes, datasets
    """

    table: pd.DataFrame
    central: str
    trend_per_year: tuple[float, float]
    notes: list[str] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)

    def path(self, scenario: str | None = None) -> pd.DataFrame:
        """The rows of one scenario (default: the central one)."""
        return self.table[self.table["scenario"] == (scenario or self.central)]

    def band(self) -> pd.DataFrame:
        """Totals by year: the central path and the band spanning all scenarios and the base-year
        interval.
        """
        totals = (
            self.table.groupby(["year", "scenario"])[
                ["offline_count", "offline_count_lo", "offline_count_hi"]
            ]
            .sum()
            .reset_index()
        )
        central = totals[totals["scenario"] == self.central].set_index("year")["offline_count"]
        return pd.DataFrame(
            {
                "central": central,
                "low": totals.groupby("year")["offline_count_lo"].min(),
                "high": totals.groupby("year")["offline_count_hi"].max(),
            }
        )


def calibrate_area_logit(
    bands: np.ndarray, use_by_band: np.ndarray, share: np.ndarray
) -> np.ndarray:
    """η per municipality so that the adult-weighted mean of 1 - expit(logit(use_b) + η) equals
    ``share``.
    """
    adult = bands[:, ADULT_FROM_BAND:]
    weights = adult / np.maximum(adult.sum(axis=1, keepdims=True), 1e-12)
    base = logit(np.clip(use_by_band[ADULT_FROM_BAND:], 1e-9, 1 - 1e-9))
    eta = np.zeros(len(bands))
    for _ in range(100):  # Newton: the mean is monotone in η
        p = expit(base[None, :] + eta[:, None])
        offline = (weights * (1 - p)).sum(axis=1)
        slope = -(weights * p * (1 - p)).sum(axis=1)
        step = (offline - share) / np.where(np.abs(slope) > 1e-12, slope, -1e-12)
        eta -= step
        if np.max(np.abs(step)) < 1e-13:
            break
    return eta


def scenario_rates(rates: np.ndarray, scenario: str, year: int, trend: float) -> np.ndarray:
    """Offline rate by band (municipalities × 21) in ``year`` under ``scenario``, from the 2025
    rates.
    """
    if scenario == "constant_rates":
        return rates
    if scenario == "survey_trend":
        return 1 - expit(logit(np.clip(1 - rates, 1e-9, 1 - 1e-9)) + trend * (year - RATE_YEAR))
    steps = (
        year - RATE_YEAR
    ) // BAND_WIDTH  # cohort: band b in `year` held in 2025 the cohort of band b - steps
    source = np.clip(np.arange(N_BANDS) - steps, ADULT_FROM_BAND, N_BANDS - 1)
    return rates[:, source]


@checked
def project_offline(
    frame: Result[Frame],
    estimate: Result[OfflineEstimate],
    years: tuple[int, ...] = (2020, 2025, 2030, 2035),
    *,
    scenarios: tuple[Literal["cohort", "constant_rates", "survey_trend"], ...] = SCENARIOS,
) -> Projection:
    """The offline population of every municipality of ``frame`` in ``years``, one row per scenario.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> future = divide.project_offline(frame, divide.estimate_offline(frame, draws=200, validate=False))
    >>> sorted(future.table["scenario"].unique()), sorted(future.table["year"].unique().tolist())
    (['cohort', 'constant_rates', 'survey_trend'], [2020, 2025, 2030, 2035])
    """
    years = check_years(tuple(years))
    table = frame.municipalities
    path, basis = population_path(table, frame.data.layer("national_ages"))
    m = estimate.municipalities.reindex(table.index)
    use = estimate.age_curve.use_by_band()
    eta = calibrate_area_logit(path[RATE_YEAR], use, m["offline_share"].to_numpy(dtype=float))
    rates = 1 - expit(logit(np.clip(use, 1e-9, 1 - 1e-9))[None, :] + eta[:, None])
    trend = estimate.area_model.trend_per_year()
    low = (m["offline_count_lo"] / m["offline_count"]).fillna(1).to_numpy()
    high = (m["offline_count_hi"] / m["offline_count"]).fillna(1).to_numpy()
    parts = []
    for scenario in scenarios:
        for year in (
            YEARS
        ):  # every step is computed, so a year's value does not depend on which years are asked
            people = path[year][:, ADULT_FROM_BAND:]
            count = (
                people * scenario_rates(rates, scenario, year, trend[0])[:, ADULT_FROM_BAND:]
            ).sum(axis=1)
            residents = adults(path[year])
            parts.append(
                pd.DataFrame(
                    {
                        "code": table.index,
                        "year": year,
                        "scenario": scenario,
                        "offline_count": count,
                        "offline_count_lo": count * low,
                        "offline_count_hi": count * high,
                        "residents_15plus": residents,
                        "offline_share": np.where(
                            residents > 0, count / np.maximum(residents, 1e-12), np.nan
                        ),
                        "population_basis": basis[year],
                    }
                )
            )
    out = pd.concat(parts, ignore_index=True)
    notes = [
        f"projection: scenarios {', '.join(scenarios)}; central path {CENTRAL} (survey period "
        "change "
        f"{trend[0]:+.3f} ± {trend[1]:.3f} logit per year, 2022-2024)"
    ]
    return Projection(
        table=out[out["year"].isin(years)].reset_index(drop=True),
        central=CENTRAL,
        trend_per_year=trend,
        notes=notes,
        datasets={
            **estimate.datasets,
            **datasets_of(frame.data, ["indicators_2025", "mynumber_by_age"]),
        },
    )
