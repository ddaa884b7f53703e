"""The time axis: the offline population 2020 -> 2050, one central path with one interval per year,
and two stated sensitivities, all from the estimate's 2025 baseline.

**Population.** The path of :mod:`divide.estimate.population` (2020 Census, aged by Japan's cohort
change ratios, scaled to the 2025 Census and to IPSS's municipal change), the same path whose 2025
adults are the estimate's head-count base; years between its 5-year steps are read linearly.

**Rates in 2025.** Each municipality's offline rate by 5-year band: the age curve shifted on the
logit scale until the adult-weighted mean equals the estimate's share
(:func:`~divide.estimate.by_age.area_shift`).

**Central path** (``survey_trend``): the age-specific rates move by the survey's *period* trend
(the year effects of the area model, which hold each survey year's own age structure, so the trend
is net of ageing), and the population ages along the path. Ageing is counted once: the central
path reproduces the survey's flat national series of 2022-2024. Its interval comes from the joint
draws of the 2025 estimate (each draw's share and age curve) and of the trend (its own standard
error): one interval per year, for municipalities and for their total.

**Sensitivities** (points, no interval): ``constant_rates`` (no period change: ageing alone) and
``cohort`` (a cohort keeps its 2025 rate as it ages; those reaching 15 take today's 15-19 rate:
replacement of today's older, more offline cohorts by younger ones; the survey of 2022-2024 does
not show the fall it implies).

**Back-casts.** Years before 2025 apply the same rates backwards to the census population: they are
marked ``back_cast`` wherever they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import ADULT_FROM_BAND, BAND_WIDTH, N_BANDS
from divide.estimate.by_age import area_shift
from divide.estimate.offline import OfflineEstimate
from divide.estimate.population import YEARS, bands_in_year, population_path
from divide.estimate.structure import adults
from divide.frame.load import Frame
from divide.notes import Note, note
from divide.origin import Origin, matching
from divide.provenance import Dataset
from divide.validation import Result, Seed, checked

BASE_YEAR = 2025  # the estimate's population year: every scenario starts from its head-count
SCENARIOS = ("survey_trend", "constant_rates", "cohort")
CENTRAL = "survey_trend"
CHUNK = 100  # draws computed at a time


@dataclass
class Projection:
    """Result of :func:`project_offline`.

    Attributes
    ----------
    table : DataFrame
        Long table: code, year, scenario, offline_count (+ ``_lo``/``_hi`` for the central path,
        from the joint draws), residents_15plus, offline_share, population_basis, back_cast.
    totals : DataFrame
        One row per year: ``central`` with its 90 % interval ``low``/``high`` (the same draws summed
        over the municipalities), ``constant_rates`` and ``cohort`` (sensitivities), residents
        aged 15+, ``back_cast``.
    central : str
        The scenario of the central path (``survey_trend``).
    trend_per_year : tuple
        The period change of the logit of use per year (net of ageing) and its standard error.
    notes, datasets, origin
    """

    table: pd.DataFrame
    totals: pd.DataFrame
    central: str
    trend_per_year: tuple[float, float]
    notes: list[Note] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    origin: Origin | None = None  # the frame the inputs came from

    def path(self, scenario: str | None = None) -> pd.DataFrame:
        """The rows of one scenario (default: the central one)."""
        return self.table[self.table["scenario"] == (scenario or self.central)]

    def band(self) -> pd.DataFrame:
        """Totals by year: the central path and its interval (``central``, ``low``, ``high``)."""
        return self.totals[["central", "low", "high"]]

    def scenario_totals(self) -> pd.DataFrame:
        """Totals by year as a reader quotes them: residents aged 15+, the central path's offline
        residents with the 90 % interval of its joint draws, each other scenario as a point (a
        sensitivity, no interval), and whether the year is a back-cast.

        The one place the projection's long table is summed: a notebook or a slide that summed
        the long table itself would count every resident once per scenario.
        """
        others = [c for c in self.totals.columns if c in SCENARIOS and c != self.central]
        table = pd.DataFrame(
            {
                "residents_15plus": self.totals["residents_15plus"],
                "offline_count": self.totals["central"],
                "offline_count_lo": self.totals["low"],
                "offline_count_hi": self.totals["high"],
                **{f"offline_{scenario}": self.totals[scenario] for scenario in others},
                "back_cast": self.totals["back_cast"],
            }
        )
        table.index.name = "year"
        return table

    def __repr__(self) -> str:
        years = self.totals.index
        return (
            f"<Projection {self.table['code'].nunique()} municipalities, {years.min()}-"
            f"{years.max()}, central {self.central!r}>"
        )


def cohort_rates(rates: np.ndarray, year: float) -> np.ndarray:
    """Offline rate by band (municipalities × 21) in ``year`` if cohorts keep their 2025 rates:
    band b in ``year`` held in 2025 the cohort of band b - steps (fractional steps interpolated).
    """
    steps = (year - BASE_YEAR) / BAND_WIDTH
    low = int(np.floor(steps))
    fraction = steps - low

    def shifted(k: int) -> np.ndarray:
        source = np.clip(np.arange(N_BANDS) - k, ADULT_FROM_BAND, N_BANDS - 1)
        return rates[:, source]

    return (1 - fraction) * shifted(low) + fraction * shifted(low + 1)


def _offline(
    population: np.ndarray, base: np.ndarray, eta: np.ndarray, shift: np.ndarray
) -> np.ndarray:
    """Offline residents aged 15+ per municipality (… × n): bands × rates at logit shift."""
    rates = 1 - expit(base + eta[..., None] + shift[..., None, None])
    return (population[..., ADULT_FROM_BAND:] * rates[..., ADULT_FROM_BAND:]).sum(axis=-1)


def _central_draws(
    estimate: OfflineEstimate,
    order: np.ndarray,
    populations: dict[int, np.ndarray],
    trend: tuple[float, float],
    rng: np.random.Generator,
) -> dict[int, np.ndarray]:
    """Per year, D × n offline residents of the central path from the joint draws."""
    shares = estimate.draws["offline_share"][:, order]
    curves = estimate.draws["use_by_band"]
    trends = rng.normal(trend[0], trend[1], size=len(shares))
    base_population = estimate.population[order]
    out = {year: np.empty(shares.shape) for year in populations}
    for start in range(0, len(shares), CHUNK):
        part = slice(start, start + CHUNK)
        use = curves[part]
        eta = area_shift(base_population, use, shares[part])
        base = logit(np.clip(use, 1e-9, 1 - 1e-9))[:, None, :]
        for year, population in populations.items():
            shift = trends[part] * (year - BASE_YEAR)
            out[year][part] = _offline(population[None], base, eta, shift)
    return out


def _scenario_counts(
    scenario: str, rates: np.ndarray, population: np.ndarray, year: int, trend: float
) -> np.ndarray:
    if scenario == "cohort":
        moved = cohort_rates(rates, year)
    else:
        slope = trend if scenario == "survey_trend" else 0.0
        moved = 1 - expit(logit(np.clip(1 - rates, 1e-9, 1 - 1e-9)) + slope * (year - BASE_YEAR))
    return (population[:, ADULT_FROM_BAND:] * moved[:, ADULT_FROM_BAND:]).sum(axis=1)


def _interval(drawn: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """5 % and 95 % quantiles of the draws per municipality, never excluding the point."""
    lo, hi = np.quantile(drawn, [0.05, 0.95], axis=0)
    return np.minimum(lo, count), np.maximum(hi, count)


def check_years(years: tuple[int, ...]) -> tuple[int, ...]:
    """Years of the projection: whole years within the population path (2020-2050)."""
    from divide.errors import DivideParameterError

    bad = [y for y in years if not (YEARS[0] <= y <= YEARS[-1])]
    if not years or bad:
        raise DivideParameterError(
            f"project_offline: parameter 'years' must be years {YEARS[0]}-{YEARS[-1]} (the 2020 "
            f"census to IPSS's last year); got {bad or 'none'}"
        )
    return tuple(sorted({int(y) for y in years}))


def _basis(basis: dict[int, np.ndarray], year: int) -> np.ndarray:
    step = max(y for y in basis if y <= year)
    return basis[step]


@checked
def project_offline(
    frame: Result[Frame],
    estimate: Result[OfflineEstimate],
    years: tuple[int, ...] = (2020, 2025, 2030, 2035),
    *,
    scenarios: tuple[Literal["survey_trend", "constant_rates", "cohort"], ...] = SCENARIOS,
    seed: Seed = 0,
) -> Projection:
    """The offline population of every municipality of ``frame`` in ``years``.

    Parameters
    ----------
    frame : Frame
        The municipalities (the same as the estimate's).
    estimate : OfflineEstimate
        The 2025 baseline and its draws.
    years : tuple of int
        Any years 2020-2050 (between census steps the population is read linearly).
    scenarios : tuple of str
        ``survey_trend`` (central, with interval), ``constant_rates``, ``cohort``.
    seed : int
        Seed of the draws of the trend.

    Returns
    -------
    Projection

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> estimate = divide.estimate_offline(frame, draws=200, validate=False)
    >>> future = divide.project_offline(frame, estimate)
    >>> future.totals.index.tolist(), bool(future.totals.loc[2020, "back_cast"])
    ([2020, 2025, 2030, 2035], True)
    """
    origin = matching("project_offline", frame=frame, estimate=estimate)
    years = check_years(tuple(years))
    table = frame.municipalities
    path, basis = population_path(table, frame.national_ages)
    order = estimate.municipalities.index.get_indexer(table.index)
    m = estimate.municipalities.iloc[order]
    use = estimate.age_curve.use_by_band()
    eta = area_shift(path[BASE_YEAR], use, m["offline_share"].to_numpy(dtype=float))
    rates = 1 - expit(logit(np.clip(use, 1e-9, 1 - 1e-9))[None, :] + eta[:, None])
    trend = estimate.trend_per_year()
    populations = {year: bands_in_year(path, year) for year in years}
    drawn = _central_draws(estimate, order, populations, trend, np.random.default_rng(seed))
    parts, totals = [], []
    for year in years:
        residents = adults(populations[year])
        row = {"year": year, "residents_15plus": residents.sum(), "back_cast": year < BASE_YEAR}
        for scenario in dict.fromkeys((CENTRAL, *scenarios)):
            count = _scenario_counts(scenario, rates, populations[year], year, trend[0])
            lo, hi = _interval(drawn[year], count) if scenario == CENTRAL else (np.nan, np.nan)
            parts.append(
                pd.DataFrame(
                    {
                        "code": table.index,
                        "year": year,
                        "scenario": scenario,
                        "offline_count": count,
                        "offline_count_lo": lo,
                        "offline_count_hi": hi,
                        "residents_15plus": residents,
                        "offline_share": np.where(
                            residents > 0, count / np.maximum(residents, 1e-12), np.nan
                        ),
                        "population_basis": _basis(basis, year),
                        "back_cast": year < BASE_YEAR,
                    }
                )
            )
            row["central" if scenario == CENTRAL else scenario] = count.sum()
        total_lo, total_hi = np.quantile(drawn[year].sum(axis=1), [0.05, 0.95])
        row.update(low=min(total_lo, row["central"]), high=max(total_hi, row["central"]))
        totals.append(row)
    out = pd.concat(parts, ignore_index=True)
    out = out[out["scenario"].isin((CENTRAL, *scenarios))].reset_index(drop=True)
    notes = [
        note(
            "projection.method",
            trend=round(trend[0], 3),
            se=round(trend[1], 3),
        )
    ]
    return Projection(
        origin=origin,
        table=out,
        totals=pd.DataFrame(totals).set_index("year"),
        central=CENTRAL,
        trend_per_year=trend,
        notes=notes,
        datasets={
            **estimate.datasets,
            **frame.datasets_of(["indicators_2025", "mynumber_by_age"]),
        },
    )
