"""``estimate_offline``: how many residents of each municipality are offline, how sure, and why.

**Estimand.** The share of residents aged 15 and over who did not use the Internet in the past year,
in the definition of the 通信利用動向調査 prefecture table (non-response stays in the denominator
there, so "offline" includes people who did not answer: about 17 % nationally rather than the
headline 14 %), for the residents of 2025 at the period level the latest survey (2024) measured.

**Method** (``docs/method.md`` gives the figures):

1. *Fit* (:mod:`.fit`): the age curve, one population path 2020-2050, each survey year's age
   offsets, the area models of the chosen :class:`~divide.estimate.models.ModelChoice`.
2. *Point*: each model's logit terms for 2025's residents, mixed by the choice's weights
   (:mod:`.models`); Shapley parts for age, settlement geography and the prefecture-level correlate
   carried by graduate share (:mod:`.split`).
3. *Draws* (:mod:`.simulate`): parameters, model choice, area effects with uncertain variances,
   composition outside the identified range, a finite population.
4. *Evidence* (:mod:`.benchmark`): the analyst's resident survey, or the prefecture's published
   rates, moves the municipalities it covers by its precision.
5. *Validation* (:mod:`.validate`): every named model and the default, leaving each prefecture out.

**Limits.** Ecological inference: relations seen between prefectures are carried into them; the
model choice carries the main part of that doubt into the intervals, not all of it. The age curve
is a different survey and measure (smartphone/tablet, 18+) than the area model (any internet use,
6+). Evacuation context (Fukushima only) cannot be estimated from prefecture data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.errors import DivideParameterError
from divide.estimate.age_curve import AgeCurve
from divide.estimate.area_model import (
    AreaModel,
    held_out_residuals,
    in_sample_residuals,
    one_way_variances,
    persistent_variance,
)
from divide.estimate.benchmark import Evidence, benchmark
from divide.estimate.by_age import (
    DEFAULT_BANDS,
    area_shift,
    by_age_table,
    offline_by_band,
    solve_shift_draws,
)
from divide.estimate.fit import POPULATION_YEAR, Fit, Inputs, fit_estimate
from divide.estimate.heterogeneity import heterogeneity_ratios
from divide.estimate.models import (
    DEFAULT_CHOICE,
    MODELS,
    ModelChoice,
    Terms,
    combine,
    drawn_placements,
    model_terms,
    resolve,
)
from divide.estimate.simulate import (
    Variances,
    curve_sensitivity,
    finite_population,
    parameter_draws,
    random_effects,
    varied_covariates,
)
from divide.estimate.split import shapley_parts
from divide.estimate.structure import adults
from divide.estimate.validate import notes_for, prefecture_check, published_series, validation
from divide.frame.load import Frame
from divide.notes import Note
from divide.origin import Origin
from divide.provenance import Dataset
from divide.sources.resident_survey import load_resident_survey
from divide.validation import Draws, Result, Seed, checked

# Frame columns the estimate reads: age structure, residents, covariates (their datasets are
# credited).
ESTIMATE_FRAME_DATASETS = (
    "juki_age",
    "census_population",
    "census_aging",
    "census_ratios",
    "kaso",
    "indicators_2025",
    "mynumber",
    "dx_dashboard",
)
STREAMS = ("parameters", "placement", "covariates", "variance", "effects", "population", "survey")
COLUMNS = (
    "offline_share",
    "offline_share_lo",
    "offline_share_hi",
    "offline_count",
    "offline_count_lo",
    "offline_count_hi",
    "residents_15plus",
    "age_expected_share",
    "age_part",
    "settlement_part",
    "composition_part",
    "survey_part",
    "placement_full",
    "population_basis",
    "extrapolated",
    "extrapolated_covariates",
    "imputed",
)


@dataclass
class OfflineEstimate:
    """Result of :func:`estimate_offline`; ``docs/method.md`` and ``docs/columns.md`` define every
    column.

    Attributes
    ----------
    municipalities : DataFrame
        One row per municipality: ``offline_share`` (+ ``_lo``/``_hi``, 90 %), ``offline_count``
        (+ ``_lo``/``_hi``), ``residents_15plus``, ``age_expected_share``, the parts
        ``age_part``, ``settlement_part``, ``composition_part`` and ``survey_part`` (they add up
        to ``offline_share - reference_share``), ``placement_full`` (weight of the graduate-share
        placement), ``population_basis``, ``extrapolated``, ``extrapolated_covariates``,
        ``imputed``.
    by_age : DataFrame
        Offline residents by age band (computed on first use; :meth:`age_bands` for other bands).
    model : ModelChoice
        How the estimate combines the area models.
    models : dict
        Name -> fitted area model; ``area_model`` is the one of largest weight.
    validation : DataFrame
        Held-out prefecture error and 90 % coverage of every named model and of ``model``.
    loo : dict
        Model name -> its held-out predictions.
    prefecture_check, published : DataFrame
        The estimate beside each prefecture's published rates.
    draws : dict
        Simulation draws (draws × municipalities) of ``offline_share``, ``age_expected_share`` and
        the parts; ``use_by_band`` (draws × 21) the age curve of each draw.
    variances : Variances
    bounds : dict
        The covariate ranges (municipal and prefecture) behind the extrapolation flag.
    heterogeneity : dict
        The municipal/prefecture variance ratio of every proxy.
    survey : DataFrame
        One row per surveyed group that moved the estimate (empty without one).
    population : ndarray
        Residents by 21 bands in 2025 (municipalities × 21).
    reference_share, year, age_curve, datasets, notes
    """

    municipalities: pd.DataFrame
    reference_share: float
    year: int
    age_curve: AgeCurve
    model: ModelChoice
    models: dict[str, AreaModel]
    validation: pd.DataFrame
    loo: dict[str, pd.DataFrame]
    prefecture_check: pd.DataFrame
    published: pd.DataFrame
    draws: dict[str, np.ndarray]
    variances: Variances
    bounds: dict[str, dict[str, tuple[float, float]]]
    heterogeneity: dict[str, float]
    survey: pd.DataFrame
    population: np.ndarray
    datasets: dict[str, Dataset]
    notes: list[Note] = field(default_factory=list)
    origin: Origin | None = None

    @property
    def area_model(self) -> AreaModel:
        """The model of largest weight."""
        return self.models[self.model.reference]

    def trend_per_year(self) -> tuple[float, float]:
        """The period change of the logit of use per year, net of ageing, and its standard error:
        the models' trends mixed with the choice's weights (the spread between them included).
        """
        trends = {name: model.trend_per_year() for name, model in self.models.items()}
        weights = self.model.weights
        mean = sum(weights[n] * t[0] for n, t in trends.items())
        variance = sum(weights[n] * (t[1] ** 2 + (t[0] - mean) ** 2) for n, t in trends.items())
        return float(mean), float(np.sqrt(variance))

    @property
    def population_year(self) -> int:
        return POPULATION_YEAR

    @cached_property
    def by_age(self) -> pd.DataFrame:
        """Offline residents by age band 15-39, 40-64, 65-74, 75+ (one row per municipality and
        band), from the same draws as the totals.
        """
        return self.age_bands(DEFAULT_BANDS)

    def total_interval(self) -> tuple[float, float]:
        """The 90 % interval of the area's offline residents aged 15+, from the joint draws (an
        analysis quotes the projection's base-year interval instead: see ``report.numbers``).
        """
        totals = self.draws["offline_share"] @ self.municipalities["residents_15plus"].to_numpy()
        low, high = np.quantile(totals, [0.05, 0.95])
        return float(low), float(high)

    def age_bands(self, bands: tuple[tuple[int, int | None], ...]) -> pd.DataFrame:
        """Offline residents by the given age bands (``(lo, hi)``; ``hi`` None for an open band)."""
        table, _ = self.band_counts(bands)
        return table

    @cached_property
    def shift_draws(self) -> np.ndarray:
        """The area shift of every municipality in every draw (D × n), solved once: every grouping
        of ages (the bands, a service's users, the 75+ headline) splits the same draws.
        """
        return solve_shift_draws(
            self.population, self.draws["use_by_band"], self.draws["offline_share"]
        )

    def band_counts(
        self, bands: tuple[tuple[int, int | None], ...]
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """The long table of offline residents by ``bands`` and its draws (D × n × bands)."""
        m = self.municipalities
        return by_age_table(
            m.index,
            self.population,
            self.age_curve.use_by_band(),
            m["offline_share"].to_numpy(),
            self.draws["use_by_band"],
            self.draws["offline_share"],
            bands,
            shift_draws=self.shift_draws,
        )

    def summary(self) -> str:
        """Head-count, the model choice and the validation in a few lines."""
        m = self.municipalities
        v = self.validation.set_index("model") if len(self.validation) else None
        lines = [
            f"offline estimate, {self.population_year} residents at the {self.year} survey level: "
            f"{len(m)} municipalities, {m['offline_count'].sum():,.0f} residents aged 15+ offline; "
            f"Japan's share {self.reference_share:.1%}",
            f"  model: {self.model.name} ("
            + ", ".join(f"{k} {w:.0%}" for k, w in self.model.weights.items())
            + ")",
        ]
        if v is not None:
            errors = ", ".join(f"{name} {row.mae_pp:.2f} pt" for name, row in v.iterrows())
            lines.append(f"  held-out prefectures, mean absolute error: {errors}")
            lines.append(
                f"  90 % coverage of {self.model.name}: {v.loc[self.model.name, 'coverage90']:.0%}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        total = self.municipalities["offline_count"].sum()
        return (
            f"<OfflineEstimate {len(self.municipalities)} municipalities, {total:,.0f} offline, "
            f"model {self.model.name!r}, {self.draws['offline_share'].shape[0]} draws>"
        )


# ---------------------------------------------------------------------------------------------
# The stage
# ---------------------------------------------------------------------------------------------


def _inputs(frame: Frame, age_table: str | Path | pd.DataFrame | None) -> Inputs:
    return Inputs(
        national=frame.national,
        survey=frame.internet_use,
        age_table=frame.age_use if age_table is None else age_table,
        national_ages=frame.national_ages,
    )


def _year(year: int | None, fit: Fit) -> int:
    years = fit.reference.years
    chosen = int(year or max(years))
    if chosen not in years:
        raise DivideParameterError(
            f"estimate_offline: parameter 'year' must be a survey year of the model: "
            f"{', '.join(map(str, years))} (got {year})"
        )
    return chosen


def _terms(
    fit: Fit,
    covariates: np.ndarray,
    offset: np.ndarray,
    year: int,
    params: dict[str, np.ndarray],
    placement: dict[str, np.ndarray],
) -> Terms:
    per_model = {
        name: model_terms(fit.models[name], covariates, offset, year, params[name])
        for name in fit.choice.models
    }
    return combine(fit.choice, per_model, placement)


def _shares(terms: Terms, residents: np.ndarray) -> dict[str, np.ndarray]:
    """Offline share, the share expected from age alone (Japan's mean other terms), the parts."""
    weights = residents / residents.sum()
    mean = {
        k: (getattr(terms, k) * weights).sum(axis=-1, keepdims=True)
        for k in ("settlement", "composition")
    }
    expected = terms.age + mean["settlement"] + mean["composition"] + terms.constant
    return {
        "offline_share": 1 - expit(terms.logit),
        "age_expected_share": 1 - expit(expected),
        **shapley_parts(terms.as_dict(), terms.constant, residents),
    }


def point_estimate(fit: Fit, year: int) -> dict[str, np.ndarray]:
    """The point shares and parts of every municipality of Japan (each 1 × n)."""
    params = {name: model.params for name, model in fit.models.items()}
    terms = _terms(fit, fit.held.to_numpy(), fit.offset(), year, params, fit.placement)
    return _shares(terms, fit.residents)


def _variances(
    fit: Fit, loo: pd.DataFrame, national: pd.DataFrame, rng: np.random.Generator, draws: int
) -> tuple[Variances, dict[str, float]]:
    """The persistent variance (held out, with its bootstrap draws) and the proxies' ratios."""
    estimate, bootstrap = persistent_variance(held_out_residuals(loo), rng, draws)
    level_area = fit.area.subset(MODELS[fit.choice.reference])
    in_sample = one_way_variances(
        in_sample_residuals(fit.reference, level_area)
        .pivot(index="pref_code", columns="year", values="residual")
        .to_numpy()
    )["persistent"]
    ratios = heterogeneity_ratios(national, fit.held.to_numpy(), fit.offset())
    picked = rng.choice(np.array(list(ratios.values())), size=draws)
    variances = Variances(
        prefecture=estimate,
        municipal=estimate * float(np.median(list(ratios.values()))),
        prefecture_draws=bootstrap,
        ratio_draws=picked,
        in_sample=float(in_sample),
    )
    return variances, ratios


def simulate(
    fit: Fit, year: int, variances: Variances, streams: dict[str, np.random.Generator], draws: int
) -> dict[str, np.ndarray]:
    """Draws (D × n) of the shares and parts of every municipality of Japan, and the age curve of
    each draw.
    """
    models = {name: fit.models[name] for name in fit.choice.models}
    sensitivity = curve_sensitivity(fit.curve, fit.area_for, models)
    curves, params = parameter_draws(fit.curve, models, sensitivity, streams["parameters"], draws)
    own = fit.covariates.to_numpy()
    outside = own != fit.held.to_numpy()
    covariates = varied_covariates(own, fit.held.to_numpy(), outside, streams["covariates"], draws)
    placement = drawn_placements(fit.placement, streams["placement"], draws)
    terms = _terms(fit, covariates, fit.offset(curves), year, params, placement)
    sample = _shares(terms, fit.residents)
    use = logit(np.clip(1 - sample["offline_share"], 1e-12, 1 - 1e-12))
    effects = random_effects(streams["effects"], fit.area.municipal_pref, variances)
    realised = finite_population(streams["population"], 1 - expit(use + effects), fit.residents)
    sample["offline_share"] = realised
    sample["use_by_band"] = np.stack([fit.curve.use_by_band(c) for c in curves])
    return sample


def _evidence(fit: Fit, point: dict[str, np.ndarray], sample: dict[str, np.ndarray]) -> Evidence:
    population = fit.path[POPULATION_YEAR]
    use_point = fit.curve.use_by_band()
    return Evidence(
        population=population,
        use_point=use_point,
        use_draws=sample["use_by_band"],
        eta_point=area_shift(population, use_point, point["offline_share"][0]),
        eta_draws=area_shift(population, sample["use_by_band"], sample["offline_share"]),
    )


def _shares_from_eta(population: np.ndarray, use: np.ndarray, eta: np.ndarray) -> np.ndarray:
    offline = offline_by_band(population, use, eta).sum(axis=-1)
    return offline / np.maximum(adults(population), 1e-12)


def apply_survey(
    fit: Fit,
    point: dict[str, np.ndarray],
    sample: dict[str, np.ndarray],
    survey: pd.DataFrame,
    codes: pd.Index,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Move point and draws toward the survey groups; the move is the ``survey`` part."""
    evidence = _evidence(fit, point, sample)
    eta_point, eta_draws, report = benchmark(evidence, survey, codes, rng)
    covered = codes.isin([code for group in survey["codes"] for code in group])
    moved_point = point["offline_share"][0].copy()
    moved_point[covered] = _shares_from_eta(
        evidence.population[covered], evidence.use_point, eta_point[covered]
    )
    moved = sample["offline_share"].copy()
    moved[:, covered] = _shares_from_eta(
        evidence.population[covered], evidence.use_draws, eta_draws[:, covered]
    )
    point["survey_part"] = (moved_point - point["offline_share"][0])[None, :]
    sample["survey_part"] = moved - sample["offline_share"]
    point["offline_share"] = moved_point[None, :]
    sample["offline_share"] = moved
    return report


def _prefecture_survey(frame: Frame, fit: Fit, year: int) -> pd.DataFrame:
    """The prefecture's own published rate as a survey group (``benchmark="prefecture"``)."""
    rows = fit.rows[
        (fit.rows["year"] == year)
        & fit.rows["pref_code"].isin(frame.municipalities["pref_code"].unique())
    ]
    codes = frame.national.index
    return pd.DataFrame(
        {
            "label": [f"published {r.pref_code} {r.year}" for r in rows.itertuples()],
            "codes": [tuple(codes[codes.str[:2] == r.pref_code]) for r in rows.itertuples()],
            "year": rows["year"].to_numpy(),
            "n": rows["sample_n"].to_numpy(dtype=float),
            "offline_share": 1 - rows["rate"].to_numpy(),
            "design_effect": fit.reference.scale,
            "age_lo": np.nan,
            "age_hi": np.nan,
        }
    )


def _intervals(table: pd.DataFrame, realised: np.ndarray, residents: np.ndarray) -> pd.DataFrame:
    lo, hi = np.quantile(realised, [0.05, 0.95], axis=0)
    share = table["offline_share"].to_numpy()
    table = table.assign(
        offline_share_lo=np.minimum(lo, share), offline_share_hi=np.maximum(hi, share)
    )
    return table.assign(
        offline_count=share * residents,
        offline_count_lo=table["offline_share_lo"] * residents,
        offline_count_hi=table["offline_share_hi"] * residents,
        residents_15plus=residents,
    )


def assemble(
    fit: Fit, point: dict[str, np.ndarray], sample: dict[str, np.ndarray], index: pd.Index
) -> pd.DataFrame:
    """The municipal table of all Japan: point, interval, counts, parts, flags."""
    table = pd.DataFrame({k: v[0] for k, v in point.items()}, index=index)
    if "survey_part" not in table:
        table["survey_part"] = 0.0
    table = _intervals(table, sample["offline_share"], fit.residents)
    outside = fit.outside
    return table.assign(
        placement_full=fit.placement.get("full", np.zeros(len(index))),
        population_basis=fit.basis[POPULATION_YEAR],
        extrapolated=outside.any(axis=1).to_numpy(),
        extrapolated_covariates=[
            ", ".join(c for c in outside.columns if row[c]) for _, row in outside.iterrows()
        ],
        imputed=fit.imputed.to_numpy(),
    )[list(COLUMNS)]


def _reference(table: pd.DataFrame) -> float:
    """Japan's resident-weighted share before the analyst's survey (the parts' zero)."""
    before = table["offline_share"] - table["survey_part"]
    return float(np.average(before, weights=table["residents_15plus"]))


@checked
def estimate_offline(
    frame: Result[Frame],
    *,
    model: str | ModelChoice = DEFAULT_CHOICE,
    survey: str | Path | pd.DataFrame | None = None,
    benchmark: str | None = None,
    seed: Seed = 0,
    year: int | None = None,
    age_table: str | Path | pd.DataFrame | None = None,
    draws: Draws = 1000,
    validate: bool = True,
) -> OfflineEstimate:
    """Estimate the offline population of every municipality of ``frame`` (see the module
    docstring).

    Parameters
    ----------
    frame : Frame
        The municipalities to report (the models are fitted on all of Japan).
    model : str or ModelChoice
        ``"averaged"`` (default: the full and the age+settlement model with equal weight, the
        choice carried into the draws), ``"age"``, ``"age+settlement"``, ``"full"``, or your own
        :class:`~divide.estimate.models.ModelChoice`.
    survey : path or DataFrame, optional
        Your own resident survey (layout in :mod:`divide.sources.resident_survey`): the
        municipalities it covers move toward it by its precision.
    benchmark : {"prefecture"}, optional
        Also move each prefecture toward its own published rate of ``year``.
    seed : int
        Seed of every random stream (independent streams from one ``SeedSequence``).
    year : int, optional
        The survey year whose period level is used (default: the latest, 2024).
    age_table : path or DataFrame, optional
        Your own banded age table instead of the Cabinet Office 2023 survey.
    draws : int
        Simulation draws (100-20,000).
    validate : bool
        Validate every named model by leaving each prefecture out (about 5 s).

    Returns
    -------
    OfflineEstimate

    Examples
    --------
    >>> import divide
    >>> estimate = divide.estimate_offline(divide.load_frame("07"), draws=200, validate=False)
    >>> len(estimate.municipalities), estimate.model.name
    (59, 'averaged')
    """
    if benchmark not in (None, "prefecture"):
        raise DivideParameterError(
            f"estimate_offline: parameter 'benchmark' must be 'prefecture' or None (got {benchmark!r})"
        )
    choice = resolve(model)
    national = frame.national
    groups = None if survey is None else load_resident_survey(survey, frame.municipalities.index)
    streams = dict(
        zip(
            STREAMS,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(STREAMS))),
            strict=True,
        )
    )
    fit = fit_estimate(_inputs(frame, age_table), choice)
    year = _year(year, fit)
    checks, loo = validation(fit.area, choice, fit.placement, validate)
    variances, ratios = _variances(fit, loo[choice.name], national, streams["variance"], draws)
    point = point_estimate(fit, year)
    sample = simulate(fit, year, variances, streams, draws)
    report = pd.DataFrame()
    evidence = [
        g
        for g in (groups, _prefecture_survey(frame, fit, year) if benchmark else None)
        if g is not None
    ]
    if evidence:
        report = apply_survey(
            fit,
            point,
            sample,
            pd.concat(evidence, ignore_index=True),
            national.index,
            streams["survey"],
        )
    table = assemble(fit, point, sample, national.index)
    keep = national.index.isin(frame.municipalities.index)
    used = [
        *ESTIMATE_FRAME_DATASETS,
        *frame.sources_of("internet_use"),
        *frame.sources_of("national_ages"),
        *(frame.sources_of("age_use") if age_table is None else []),
    ]
    result = OfflineEstimate(
        municipalities=table[keep],
        reference_share=_reference(table),
        year=year,
        age_curve=fit.curve,
        model=choice,
        models=fit.models,
        validation=checks,
        loo=loo,
        prefecture_check=prefecture_check(frame, fit, loo),
        published=published_series(frame, fit, table, sample, keep),
        draws={k: (v if k == "use_by_band" else v[:, keep]) for k, v in sample.items()},
        variances=variances,
        bounds=fit.bounds,
        heterogeneity=ratios,
        survey=report,
        population=fit.path[POPULATION_YEAR][keep],
        datasets=frame.datasets_of(list(dict.fromkeys(used))),
        origin=frame.origin,
    )
    result.notes = notes_for(national[keep], table[keep], result)
    return result
