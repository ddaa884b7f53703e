"""``estimate_offline``: how many residents of each municipality are offline, how sure, and why.

**Estimand.** The share of residents aged 15 and over who did not use the Internet in the past year, in
the definition of the 通信利用動向調査 prefecture table (non-response stays in the denominator there,
so "offline" includes people who did not answer; the national level is about 17 % rather than the
headline 14 %).

**Method.**

1. *Age.* A logistic-quadratic curve of use by single year of age is fitted to banded survey rates
   (default: Cabinet Office 2023 smartphone/tablet use, 18-29 … 70+, open band read through the
   population inside it; see :mod:`divide.estimate.age_curve`). It gives every municipality an
   age-expected rate from its own resident age structure (register profile raked to the census).
2. *Area.* At prefecture level the published internet-use rates 2022-2024 (with sample sizes) are
   modelled by a binomial GLM with the age-expected logit as offset, year effects, and covariates
   aggregated from the municipalities: population share in 過疎 municipalities, share in municipalities
   under 100 persons/km², graduate share, elderly single-person households. The curve measures
   smartphone/tablet use, the survey any internet use: the GLM intercept re-levels the curve to the
   survey's definition, the age *shape* is kept.
3. *Municipalities.* The model is applied with each municipality's own covariates. All four are shares
   (of people or households), so a municipal value is a composition the prefecture model can read
   (Goodman's ecological regression): a village that is wholly 過疎 sits at 1 where prefectures sit
   between 0 and 0.72. Graduate and household shares outside the prefecture range are flagged
   ``extrapolated``, not clipped: clipping would erase exactly the rural differences the Governor asked
   about. (The 0/1 geography indicators are outside the prefecture range by design and are not flagged.)
4. *Intervals* (90 %): simulation, seeded, from the age curve's covariance (the area model is
   re-solved by one Newton step for each drawn curve), the area model's covariance, and the between-area
   variance left over by the model (its extra-binomial dispersion).
5. *Decomposition.* ``reference_share`` is the national share (all 1,741 municipalities, weighted by
   residents aged 15+). ``age_expected_share`` is the share predicted from the municipality's age
   structure with the national average covariates (weights: residents aged 15+, as in head-counts);
   ``age_part = age_expected_share - reference_share``
   and ``geo_part = offline_share - age_expected_share``, so ``age_part + geo_part = offline_share -
   reference_share`` exactly.

**Head-counts** use residents, never registrations: the 2025 Census preliminary total (2020 Census
where missing) times the resident share aged 15+. In evacuated towns (大熊町, 双葉町, 浪江町, 富岡町 …) the
register still counts thousands who live elsewhere; the estimate counts the people living there.

**Limits.** Ecological inference: prefecture-level relations are applied to municipalities, whose true
spread is wider than the intervals can know. The age curve comes from a different survey and measure
(smartphone/tablet, 18+) than the area model (any internet use, 6+; children 6-14 are assumed to share
the 15+ rate when prefectures are compared). The register profile of evacuated towns describes
registrants, not returnees. Validation (leave one prefecture out) is reported in ``validation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import AGE_BANDS
from divide.estimate.age_curve import AgeCurve, fit_age_curve
from divide.estimate.area_model import AreaModel, fit_area_model, leave_one_out, observations, validation_row
from divide.estimate.structure import (
    ADULT_FROM_BAND,
    COVARIATES,
    GEOGRAPHY,
    adult_share,
    municipal_covariates,
    prefecture_table,
    resident_bands,
)
from divide.frame.data import datasets_of
from divide.frame.load import Frame
from divide.provenance import Dataset

SOCIAL = tuple(c for c in COVARIATES if c not in GEOGRAPHY)
# Frame columns the estimate reads: age structure, residents, covariates (their datasets are credited).
ESTIMATE_FRAME_DATASETS = ("juki_age", "census_population", "census_aging", "census_households", "census_ratios",
                           "kaso", "indicators_2025")
MODELS = {"full": COVARIATES, "age_only": (), "geography_only": GEOGRAPHY}


@dataclass
class OfflineEstimate:
    """Result of :func:`estimate_offline`; see the module docstring for every definition."""

    municipalities: pd.DataFrame
    reference_share: float
    year: int
    age_curve: AgeCurve
    area_model: AreaModel
    models: dict[str, AreaModel]
    validation: pd.DataFrame
    loo: pd.DataFrame
    prefecture_check: pd.DataFrame
    draws: dict[str, np.ndarray]
    datasets: dict[str, Dataset]
    notes: list[str] = field(default_factory=list)
    reference: str = "national share of residents aged 15+ offline (all 1,741 municipalities)"

    def geography_improves(self) -> bool:
        """True when the full model predicts held-out prefectures better than age alone."""
        mae = self.validation.set_index("model")["mae_pp"]
        return bool(mae["full"] < mae["age_only"])

    def summary(self) -> str:
        v = self.validation.set_index("model")["mae_pp"]
        coverage = self.validation.set_index("model")["coverage90"]
        m = self.municipalities
        p_values = self.area_model.result.pvalues
        weak = [c for c in self.area_model.covariates if p_values[c] >= 0.05]
        strong = [c for c in self.area_model.covariates if p_values[c] < 0.05]
        return "\n".join([
            f"offline estimate for {self.year}: {len(m)} municipalities, {m['offline_count'].sum():,.0f} "
            f"residents aged 15+ offline; national reference share {self.reference_share:.1%}",
            "  leave-one-prefecture-out mean absolute error: "
            f"age only {v['age_only']:.2f} pt, age + geography ({', '.join(GEOGRAPHY)}) {v['geography_only']:.2f} pt, "
            f"full model {v['full']:.2f} pt (90 % interval coverage {coverage['full']:.0%})",
            f"  the area covariates {'improve' if self.geography_improves() else 'do not improve'} on age alone; "
            f"in the full model significant (p<0.05): {', '.join(strong) or 'none'}; not significant: "
            f"{', '.join(weak) or 'none'}",
        ])


def estimate_offline(frame: Frame, *, seed: int = 0, year: int | None = None,
                     age_table: str | Path | pd.DataFrame | None = None, draws: int = 1000,
                     validate: bool = True) -> OfflineEstimate:
    """Estimate the offline population of every municipality of ``frame`` (see the module docstring).

    The area model is fitted on all of Japan (``frame.data``), whatever the prefecture. ``age_table``:
    your own banded table (schema in :mod:`divide.estimate.age_curve`) instead of the Cabinet Office
    2023 survey.

    Examples
    --------
    >>> import divide
    >>> estimate = divide.estimate_offline(divide.load_frame("07"), draws=100, validate=False)
    >>> len(estimate.municipalities), round(estimate.reference_share, 3)
    (59, 0.167)
    """
    national = frame.data.national
    survey = frame.data.layer("internet_use")
    ages = frame.data.layer("age_use") if age_table is None else age_table
    rng = np.random.default_rng(seed)

    bands = resident_bands(national)
    covariates, imputed = municipal_covariates(national)
    prefectures = prefecture_table(national, bands, covariates)
    curve = fit_age_curve(ages, national[[c for c in national.columns if c.startswith("reg_age_")]].sum().to_numpy())
    obs = observations(survey, prefectures, curve.use_by_band())
    models = {name: fit_area_model(obs, cols) for name, cols in MODELS.items()}
    model = models["full"]
    year = int(year or max(model.years))

    offset = logit(age_expected_use(bands.to_numpy(), curve.use_by_band()))
    extrapolated = model.outside_training_range(covariates, SOCIAL)
    design = model.design(covariates, year)
    share = 1 - expit(offset + design @ model.params)

    residents = national["pop_2025_prelim"].fillna(national["population"])
    basis = np.where(national["pop_2025_prelim"].notna(), "2025 census preliminary", "2020 census")
    adult_residents = residents * adult_share(bands).fillna(0)
    weights = adult_residents
    mean_cov = pd.DataFrame([np.average(covariates, axis=0, weights=weights)], columns=covariates.columns)
    age_only = 1 - expit(offset + (model.design(mean_cov, year) @ model.params)[0])
    reference = float(np.average(share, weights=weights))

    mean_design = np.broadcast_to(model.design(mean_cov, year), design.shape)
    draws_matrix, age_draws = _simulate(curve, model, obs, bands, design, mean_design, rng, draws)
    lo, hi = np.quantile(draws_matrix, [0.05, 0.95], axis=0)

    table = pd.DataFrame({
        "offline_share": share, "offline_share_lo": lo, "offline_share_hi": hi,
        "offline_count": share * adult_residents, "offline_count_lo": lo * adult_residents,
        "offline_count_hi": hi * adult_residents, "residents_15plus": adult_residents,
        "age_expected_share": age_only, "age_part": age_only - reference, "geo_part": share - age_only,
        "population_basis": basis, "extrapolated": extrapolated.to_numpy(), "imputed": imputed.to_numpy(),
    }, index=national.index)
    keep = table.index.isin(frame.municipalities.index)

    loo = {name: leave_one_out(obs, cols) for name, cols in MODELS.items()} if validate else {}
    validation = pd.DataFrame([validation_row(name, rows) for name, rows in loo.items()])
    check = _prefecture_check(frame.municipalities, national, survey, model, offset, covariates, weights,
                              loo.get("full"))
    used = [*ESTIMATE_FRAME_DATASETS, *frame.data.layer_datasets["internet_use"],
            *(frame.data.layer_datasets["age_use"] if age_table is None else [])]
    datasets = datasets_of(frame.data, [d for d in used if d in frame.datasets or d not in ESTIMATE_FRAME_DATASETS])
    result = OfflineEstimate(
        municipalities=table[keep], reference_share=reference, year=year, age_curve=curve, area_model=model,
        models=models, validation=validation, loo=loo.get("full", pd.DataFrame()), prefecture_check=check,
        draws={"offline_share": draws_matrix[:, keep], "age_expected_share": age_draws[:, keep],
               "geo_part": draws_matrix[:, keep] - age_draws[:, keep]}, datasets=datasets)
    result.notes = _notes(national[keep], table[keep], result)
    return result


def age_expected_use(bands: np.ndarray, use_by_band: np.ndarray) -> np.ndarray:
    """Use rate of residents aged 15+ expected from age alone: band counts (n × 21) × use by band (21, or D × 21).

    Returns n values, or D × n for a stack of curves. Clipped away from 0 and 1 so logits stay finite.
    """
    adults = np.asarray(bands, dtype=float)[:, ADULT_FROM_BAND:]
    total = np.maximum(adults.sum(axis=1), 1e-9)
    use = np.asarray(use_by_band, dtype=float)[..., ADULT_FROM_BAND:]
    return np.clip(use @ adults.T / total, 1e-9, 1 - 1e-9)


def _simulate(curve: AgeCurve, model: AreaModel, obs: pd.DataFrame, bands: pd.DataFrame, design: np.ndarray,
              mean_design: np.ndarray, rng: np.random.Generator, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """Draws (draws × municipalities) of the offline share and of the share expected from age alone."""
    curve_draws = curve.draws(draws, rng)
    use_bands = np.stack([curve.use_by_band(p) for p in curve_draws])                  # D × 21
    municipal_offset = logit(age_expected_use(bands.to_numpy(), use_bands))          # D × municipalities
    # Re-solve the area model for each drawn curve by one Newton step from the fitted parameters.
    pref_adults = obs[list(AGE_BANDS[ADULT_FROM_BAND:])].to_numpy()
    pref_offset = logit(use_bands[:, ADULT_FROM_BAND:] @ pref_adults.T / pref_adults.sum(axis=1))  # D × obs
    x_obs = model.design(obs, obs["year"].to_numpy())
    weights = obs["sample_n"].to_numpy()
    mu_hat = expit(obs["offset"].to_numpy() + x_obs @ model.params)
    hessian = x_obs.T @ (x_obs * (weights * mu_hat * (1 - mu_hat))[:, None])
    mu_draw = expit(pref_offset + (x_obs @ model.params)[None, :])
    score = (weights * (obs["rate"].to_numpy() - mu_draw)) @ x_obs                    # D × k
    params = model.params + np.linalg.solve(hessian, score.T).T
    params += rng.multivariate_normal(np.zeros(len(model.params)), model.cov, size=draws, method="cholesky")
    between = rng.normal(0.0, np.sqrt(model.between_area_var), size=(draws, design.shape[0]))
    share = 1 - expit(municipal_offset + params @ design.T + between)
    age_only = 1 - expit(municipal_offset + params @ mean_design.T)
    return share, age_only


def _prefecture_check(frame: pd.DataFrame, national: pd.DataFrame, survey: pd.DataFrame, model: AreaModel,
                      offset: np.ndarray, covariates: pd.DataFrame, weights: pd.Series,
                      loo: pd.DataFrame | None) -> pd.DataFrame:
    """Population-weighted mean of municipal estimates beside the published rates, per prefecture and year."""
    rows = []
    published = survey[survey["level"] == "prefecture"].set_index(["pref_code", "year"])
    for pref in sorted(frame["pref_code"].unique()):
        inside = (national["pref_code"] == pref).to_numpy()
        for year in model.years:
            use = expit(offset[inside] + model.design(covariates[inside], year) @ model.params)
            row = {"pref_code": pref, "year": year,
                   "estimated_use_pct": 100 * float(np.average(use, weights=weights[inside]))}
            if (pref, year) in published.index:
                row["published_use_pct"] = float(published.loc[(pref, year), "use_rate_pct"])
                row["sample_n"] = int(published.loc[(pref, year), "sample_n"])
            if loo is not None:
                held = loo[(loo["pref_code"] == pref) & (loo["year"] == year)]
                if len(held):
                    row["loo_use_pct"] = 100 * float(held["predicted"].iloc[0])
                    row["loo_lo_pct"] = 100 * float(held["lo"].iloc[0])
                    row["loo_hi_pct"] = 100 * float(held["hi"].iloc[0])
            rows.append(row)
    return pd.DataFrame(rows)


def _notes(frame: pd.DataFrame, table: pd.DataFrame, result: OfflineEstimate) -> list[str]:
    notes = []
    registered = frame["registered_2022"]
    low = frame.index[(frame["population"] < 0.5 * registered)]
    if len(low):
        names = ", ".join(frame.loc[low, "name_ja"])
        notes.append(f"head-counts use residents, not registrations, in evacuated towns ({names})")
    if table["extrapolated"].any():
        notes.append(f"{int(table['extrapolated'].sum())} municipalities have a covariate outside the range seen "
                     "across prefectures: the model extrapolates there (flag 'extrapolated')")
    if (table["imputed"] != "").any():
        notes.append(f"{int((table['imputed'] != '').sum())} municipalities have a covariate imputed by the "
                     "prefecture mean (column 'imputed')")
    return notes
