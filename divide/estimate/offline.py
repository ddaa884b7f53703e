"""``estimate_offline``: how many residents of each municipality are offline, how sure, and why.

**Estimand.** The share of residents aged 15 and over who did not use the Internet in the past year,
in the definition of the 通信利用動向調査 prefecture table (non-response stays in the denominator
there, so "offline" includes people who did not answer: about 17 % nationally rather than the
headline 14 %).

**Method** (``docs/method.md`` gives the figures):

1. *Age.* A logistic-quadratic curve of use by single year of age, fitted to banded survey rates
   (default: Cabinet Office 2023 smartphone/tablet use, open 70+ band read through the people inside
   it; :mod:`divide.estimate.age_curve`), applied to each municipality's resident age structure.
2. *Area.* A municipal model of use (age offset, year effects, settlement and composition
   covariates) fitted to the published prefecture rates by aggregating municipalities
   (:mod:`.area_model`).
3. *Split.* Shapley parts for age, settlement geography and social composition, centred on Japan
   (:mod:`.split`); they add up exactly to ``offline_share - reference_share``.
4. *Intervals.* 90 % intervals of a municipality's share from parameter uncertainty, persistent area
   variation, municipal heterogeneity, composition outside the model's range and a finite population
   (:mod:`.simulate`).
5. *Head-counts.* The share times the residents aged 15+ in 2025 of the population path that the
   2035 projection also follows (:mod:`.population`): residents, never registrations.

**Limits.** Ecological inference: relations seen between prefectures are assumed to hold within
them. Settlement geography and education are strongly correlated across prefectures, so the data
separate their parts only weakly (their intervals show it). The age curve is a different survey and
measure (smartphone/tablet, 18+) than the area model (any internet use, 6+). Evacuation context
(Fukushima only) cannot be estimated from prefecture data and is not in the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.errors import DivideParameterError
from divide.estimate.age_curve import AgeCurve, fit_age_curve
from divide.estimate.area_model import AreaData, AreaModel, fit_area_model, residual_variances
from divide.estimate.heterogeneity import heterogeneity_ratio
from divide.estimate.population import population_path
from divide.estimate.simulate import (
    Variances,
    curve_sensitivity,
    finite_population,
    parameter_draws,
    random_effects,
)
from divide.estimate.split import shapley_parts
from divide.estimate.structure import (
    COMPOSITION,
    COVARIATES,
    SETTLEMENT,
    adults,
    age_expected_use,
    municipal_covariates,
    resident_bands,
    support,
)
from divide.estimate.validate import notes_for, prefecture_check, validation
from divide.frame.data import datasets_of
from divide.frame.load import Frame
from divide.provenance import Dataset
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
)


@dataclass
class OfflineEstimate:
    """Result of :func:`estimate_offline`; ``docs/method.md`` defines every column.

    ``municipalities``: offline_share (+ _lo/_hi, 90 %), offline_count (+ _lo/_hi),
    residents_15plus, age_expected_share, age_part, settlement_part, composition_part,
    population_basis, extrapolated, extrapolated_covariates, imputed. ``draws``: simulation draws
    (draws × municipalities) of offline_share, age_expected_share, settlement_part,
    composition_part. ``variances``: the random-effect variances used in the intervals.
    """

    municipalities: pd.DataFrame
    reference_share: float
    year: int
    age_curve: AgeCurve
    area_model: AreaModel
    validation: pd.DataFrame
    loo: pd.DataFrame
    prefecture_check: pd.DataFrame
    draws: dict[str, np.ndarray]
    variances: Variances
    support: dict[str, tuple[float, float]]
    datasets: dict[str, Dataset]
    notes: list[str] = field(default_factory=list)

    def geography_improves(self) -> bool:
        """True when the full model predicts held-out prefectures better than age alone."""
        mae = self.validation.set_index("model")["mae_pp"]
        return bool(mae["full"] < mae["age_only"])

    def summary(self) -> str:
        v = self.validation.set_index("model")
        m = self.municipalities
        return "\n".join(
            [
                f"offline estimate for {self.year}: {len(m)} municipalities, "
                f"{m['offline_count'].sum():,.0f} residents "
                f"aged 15+ offline; national reference share {self.reference_share:.1%}",
                "  leave-one-prefecture-out mean absolute error: age only "
                f"{v.loc['age_only', 'mae_pp']:.2f} pt, "
                f"age + settlement {v.loc['settlement_only', 'mae_pp']:.2f} pt, full model "
                f"{v.loc['full', 'mae_pp']:.2f}"
                f" pt (90 % interval coverage {v.loc['full', 'coverage90']:.0%})",
                "  the area covariates "
                f"{'improve' if self.geography_improves() else 'do not improve'} on age alone",
            ]
        )


def _check(draws: int, year: int | None, model: AreaModel) -> int:
    chosen = int(year or max(model.years))
    if chosen not in model.years:
        raise DivideParameterError(
            f"year must be a survey year of the model: {', '.join(map(str, model.years))} "
            f"(got {year})"
        )
    return chosen


def _terms(
    model: AreaModel, covariates: np.ndarray, offset: np.ndarray, year: int, params: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The logit of use as age, settlement and composition terms (each D × n) and the constant (D ×
    1).

    ``covariates``: n × k, or D × n × k when they vary by draw; ``offset``: n, or D × n; ``params``:
    p or D × p.
    """
    params = np.atleast_2d(params)
    k = len(model.years)  # intercept and year dummies
    constant = (params[:, :k] @ model.design(np.zeros((1, len(COVARIATES))), year)[0, :k])[:, None]
    x = covariates if covariates.ndim == 3 else covariates[None]
    beta = params[:, k:, None]
    s = len(SETTLEMENT)
    terms = {
        "age": np.broadcast_to(offset, (params.shape[0], x.shape[1])),
        "settlement": (x[..., :s] @ beta[:, :s])[..., 0],
        "composition": (x[..., s:] @ beta[:, s:])[..., 0],
    }
    return terms, constant


def _shares(
    terms: dict[str, np.ndarray], constant: np.ndarray, residents: np.ndarray
) -> dict[str, np.ndarray]:
    """Offline share, the share expected from age alone (Japan's mean settlement and composition),
    the parts.
    """
    weights = residents / residents.sum()
    mean = {
        k: (terms[k] * weights).sum(axis=-1, keepdims=True) for k in ("settlement", "composition")
    }
    return {
        "offline_share": 1 - expit(sum(terms.values()) + constant),
        "age_expected_share": 1
        - expit(terms["age"] + mean["settlement"] + mean["composition"] + constant),
        **shapley_parts(terms, constant, residents),
    }


@checked
def estimate_offline(
    frame: Result[Frame],
    *,
    seed: Seed = 0,
    year: int | None = None,
    age_table: str | Path | pd.DataFrame | None = None,
    draws: Draws = 1000,
    validate: bool = True,
) -> OfflineEstimate:
    """Estimate the offline population of every municipality of ``frame`` (see the module
    docstring).

    The model is fitted on all of Japan (``frame.data``), whatever the prefecture. ``age_table``:
    your own banded table (schema in :mod:`divide.estimate.age_curve`) instead of the Cabinet Office
    2023 survey.

    Examples
    --------
    >>> import divide
    >>> estimate = divide.estimate_offline(divide.load_frame("07"), draws=200, validate=False)
    >>> len(estimate.municipalities), round(estimate.reference_share, 3)
    (59, 0.164)
    """
    national = frame.data.national
    survey = frame.data.layer("internet_use")
    bands = resident_bands(national).to_numpy()
    covariates, imputed = municipal_covariates(national)
    curve = fit_age_curve(
        frame.data.layer("age_use") if age_table is None else age_table,
        national[[c for c in national.columns if c.startswith("reg_age_")]].sum().to_numpy(),
    )
    offset = logit(age_expected_use(bands, curve.use_by_band()))
    weights = adults(bands)
    rows = survey[survey["level"] == "prefecture"].assign(rate=lambda s: s["use_rate_pct"] / 100)
    area = AreaData(
        offset,
        covariates[list(COVARIATES)].to_numpy(),
        COVARIATES,
        weights,
        national["pref_code"].to_numpy(),
        rows[["pref_code", "year", "rate", "sample_n"]],
    )
    model = fit_area_model(area)
    year = _check(draws, year, model)
    bounds = support(covariates[list(COVARIATES)], weights)
    clamped = covariates[list(COVARIATES)].copy()
    for column in COMPOSITION:
        clamped[column] = clamped[column].clip(*bounds[column])
    outside = covariates[list(COMPOSITION)].ne(clamped[list(COMPOSITION)])
    path, basis = population_path(national, frame.data.layer("national_ages"))
    residents = adults(path[2025])
    point = _shares(*_terms(model, clamped.to_numpy(), offset, year, model.params), residents)
    table = pd.DataFrame({k: v[0] for k, v in point.items()})
    rng = np.random.default_rng(seed)
    variances, sample = _simulate(
        curve,
        model,
        area,
        bands,
        covariates,
        clamped,
        outside,
        year,
        residents,
        rng,
        draws,
        national,
    )
    reference = float(np.average(table["offline_share"], weights=residents))
    table = _intervals(
        table, sample["offline_share"], residents, basis[2025], outside, imputed, national.index
    )
    keep = national.index.isin(frame.municipalities.index)
    checks = validation(area) if validate else (pd.DataFrame(), pd.DataFrame())
    used = [
        *ESTIMATE_FRAME_DATASETS,
        *frame.data.layer_datasets["internet_use"],
        *frame.data.layer_datasets["national_ages"],
        *(frame.data.layer_datasets["age_use"] if age_table is None else []),
    ]
    result = OfflineEstimate(
        municipalities=table[keep],
        reference_share=reference,
        year=year,
        age_curve=curve,
        area_model=model,
        validation=checks[0],
        loo=checks[1],
        draws={k: v[:, keep] for k, v in sample.items()},
        variances=variances,
        prefecture_check=prefecture_check(frame, national, rows, model, area, checks[1]),
        support=bounds,
        datasets=datasets_of(frame.data, list(dict.fromkeys(used))),
    )
    result.notes = notes_for(national[keep], table[keep], result)
    return result


def _varied(
    covariates: pd.DataFrame,
    clamped: pd.DataFrame,
    outside: pd.DataFrame,
    rng: np.random.Generator,
    draws: int,
) -> np.ndarray:
    """D × n × k covariates: outside the model's range, anywhere between the boundary and the own
    value.
    """
    varied = np.broadcast_to(clamped.to_numpy(), (draws, *clamped.shape)).copy()
    for j, column in enumerate(COVARIATES):
        if column in outside:
            held, own = clamped[column].to_numpy(), covariates[column].to_numpy()
            mixed = held + rng.random((draws, len(held))) * (own - held)
            varied[:, :, j] = np.where(outside[column].to_numpy()[None, :], mixed, held)
    return varied


def _simulate(
    curve: AgeCurve,
    model: AreaModel,
    area: AreaData,
    bands: np.ndarray,
    covariates: pd.DataFrame,
    clamped: pd.DataFrame,
    outside: pd.DataFrame,
    year: int,
    residents: np.ndarray,
    rng: np.random.Generator,
    draws: int,
    national: pd.DataFrame,
) -> tuple[Variances, dict[str, np.ndarray]]:
    components = residual_variances(model, area)
    ratio = heterogeneity_ratio(national, covariates, area.offset, area.weights)
    variances = Variances(
        prefecture=components["persistent"], municipal=components["persistent"] * ratio
    )
    curves, params = parameter_draws(
        curve, model, curve_sensitivity(curve, bands, area, model), rng, draws
    )
    offsets = logit(age_expected_use(bands, np.stack([curve.use_by_band(c) for c in curves])))
    terms, constant = _terms(
        model, _varied(covariates, clamped, outside, rng, draws), offsets, year, params
    )
    shares = _shares(terms, constant, residents)
    eta = logit(np.clip(1 - shares["offline_share"], 1e-12, 1 - 1e-12))
    effects = random_effects(rng, national["pref_code"].to_numpy(), variances, draws)
    shares["offline_share"] = finite_population(rng, 1 - expit(eta + effects), residents)
    return variances, shares


def _intervals(
    table: pd.DataFrame,
    realised: np.ndarray,
    residents: np.ndarray,
    basis: np.ndarray,
    outside: pd.DataFrame,
    imputed: pd.Series,
    index: pd.Index,
) -> pd.DataFrame:
    lo, hi = np.quantile(realised, [0.05, 0.95], axis=0)
    share = table["offline_share"].to_numpy()
    table = table.assign(
        offline_share_lo=np.minimum(lo, share), offline_share_hi=np.maximum(hi, share)
    )
    table = table.assign(
        offline_count=share * residents,
        offline_count_lo=table["offline_share_lo"] * residents,
        offline_count_hi=table["offline_share_hi"] * residents,
        residents_15plus=residents,
        population_basis=basis,
        extrapolated=outside.any(axis=1).to_numpy(),
        extrapolated_covariates=[
            ", ".join(c for c in outside.columns if row[c]) for _, row in outside.iterrows()
        ],
        imputed=imputed.to_numpy(),
    )
    table.index = index
    order = [
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
        "population_basis",
        "extrapolated",
        "extrapolated_covariates",
        "imputed",
    ]
    return table[order]
