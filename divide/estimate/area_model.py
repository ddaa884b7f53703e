"""The area model: what geography and other area covariates add to age, fitted on 47 prefectures × 3 years.

Observations are the published internet-use rates of the 通信利用動向調査 (2022-2024) with their
unweighted sample sizes. For each prefecture-year the *age-expected* rate (the age curve applied to the
prefecture's resident age structure) enters as an offset on the logit scale, so the coefficients
measure only what the covariates add to age. Binomial GLM with year effects; the dispersion is
estimated (Pearson χ²/df) because the survey's design effect and year-to-year noise exceed pure
binomial sampling, and the extra-binomial part gives the between-area variance used in intervals.

Leave-one-prefecture-out validation refits without each prefecture and predicts its three years; the
predictive interval of a published rate adds the survey's sampling noise (scaled binomial) to the
parameter uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit, logit

from divide.constants import ADULT_FROM_BAND, Z90


@dataclass
class AreaModel:
    """A fitted area model. ``result`` is the statsmodels GLM results object."""

    result: sm.genmod.generalized_linear_model.GLMResultsWrapper
    covariates: tuple[str, ...]
    years: tuple[int, ...]
    base_year: int
    bounds: dict[str, tuple[float, float]]
    between_area_var: float

    @property
    def params(self) -> np.ndarray:
        return np.asarray(self.result.params)

    @property
    def cov(self) -> np.ndarray:
        return np.asarray(self.result.cov_params())

    @property
    def scale(self) -> float:
        return float(self.result.scale)

    def design(self, covariates: pd.DataFrame, year: int | np.ndarray) -> np.ndarray:
        """Design matrix for ``covariates`` in ``year`` (one year, or one per row): [1, year dummies…, covariates…]."""
        n = len(covariates)
        years = np.broadcast_to(np.asarray(year), (n,))
        unknown = set(np.unique(years).tolist()) - set(self.years)
        if unknown:
            raise ValueError(f"year {sorted(unknown)} is not a survey year of the model "
                             f"({', '.join(map(str, self.years))})")
        dummies = [(years == y).astype(float) for y in self.years if y != self.base_year]
        values = [covariates[c].to_numpy(dtype=float) for c in self.covariates]
        return np.column_stack([np.ones(n), *dummies, *values])

    def outside_training_range(self, covariates: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
        """Rows whose ``columns`` lie outside the range seen across prefectures (where the model extrapolates)."""
        flag = pd.Series(False, index=covariates.index)
        for column in (c for c in columns if c in self.covariates):
            lo, hi = self.bounds[column]
            flag |= ~covariates[column].between(lo, hi)
        return flag


def observations(survey: pd.DataFrame, prefectures: pd.DataFrame, use_by_band: np.ndarray) -> pd.DataFrame:
    """Prefecture-years with the published rate, sample size, age-expected rate and covariates."""
    rows = survey[survey["level"] == "prefecture"].copy()
    bands = prefectures[[c for c in prefectures.columns if c.startswith("age_")]].to_numpy(dtype=float)
    adult = bands[:, ADULT_FROM_BAND:]
    expected = (adult * use_by_band[ADULT_FROM_BAND:]).sum(axis=1) / adult.sum(axis=1)
    table = prefectures.assign(age_expected_use=expected)
    rows = rows.merge(table, left_on="pref_code", right_index=True, how="inner")
    rows["rate"] = rows["use_rate_pct"] / 100.0
    rows["offset"] = logit(rows["age_expected_use"])
    return rows.reset_index(drop=True)


def fit_area_model(obs: pd.DataFrame, covariates: tuple[str, ...]) -> AreaModel:
    years = tuple(sorted(int(y) for y in obs["year"].unique()))
    base = years[0]
    bounds = {c: (float(obs[c].min()), float(obs[c].max())) for c in covariates}
    model = AreaModel(result=None, covariates=covariates, years=years, base_year=base, bounds=bounds,  # type: ignore[arg-type]
                      between_area_var=0.0)
    design = model.design(obs, obs["year"].to_numpy())
    names = ["const", *[f"year_{y}" for y in years if y != base], *covariates]
    exog = pd.DataFrame(design, columns=names)
    glm = sm.GLM(obs["rate"].to_numpy(), exog, family=sm.families.Binomial(), offset=obs["offset"].to_numpy(),
                 var_weights=obs["sample_n"].to_numpy())
    model.result = glm.fit(scale="X2")
    mu = model.result.fittedvalues.to_numpy()
    binomial_logit_var = 1.0 / (obs["sample_n"].to_numpy() * mu * (1 - mu))
    model.between_area_var = float(max(model.scale - 1.0, 0.0) * binomial_logit_var.mean())
    return model


def predict_rate(model: AreaModel, obs: pd.DataFrame) -> pd.DataFrame:
    """Predicted published rate with a 90 % predictive interval (parameters + survey sampling noise)."""
    x = model.design(obs, obs["year"].to_numpy())
    eta = obs["offset"].to_numpy() + x @ model.params
    mu = expit(eta)
    var = np.einsum("ij,jk,ik->i", x, model.cov, x) + model.scale / (obs["sample_n"].to_numpy() * mu * (1 - mu))
    half = Z90 * np.sqrt(var)
    return pd.DataFrame({"predicted": expit(eta), "lo": expit(eta - half), "hi": expit(eta + half)}, index=obs.index)


def leave_one_out(obs: pd.DataFrame, covariates: tuple[str, ...]) -> pd.DataFrame:
    """Refit without each prefecture; predict its years. Returns one row per held-out prefecture-year."""
    parts = []
    for pref in sorted(obs["pref_code"].unique()):
        held = obs["pref_code"] == pref
        model = fit_area_model(obs[~held].reset_index(drop=True), covariates)
        prediction = predict_rate(model, obs[held])
        parts.append(obs.loc[held, ["pref_code", "year", "rate", "sample_n"]].join(prediction))
    return pd.concat(parts).sort_values(["pref_code", "year"]).reset_index(drop=True)


def validation_row(name: str, loo: pd.DataFrame) -> dict[str, float | str | int]:
    error = (loo["predicted"] - loo["rate"]).abs() * 100
    inside = (loo["rate"] >= loo["lo"]) & (loo["rate"] <= loo["hi"])
    return {"model": name, "mae_pp": float(error.mean()), "rmse_pp": float(np.sqrt((error**2).mean())),
            "max_error_pp": float(error.max()), "coverage90": float(inside.mean()), "n": len(loo)}
