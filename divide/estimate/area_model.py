"""The area model: a municipal-level model of internet use, fitted to the published prefecture
rates.

Observations are the internet-use rates of the 通信利用動向調査 (prefectures × 2022-2024) with their
unweighted sample sizes. The model is written for *municipalities*:

    logit(use_m,t) = offset_m,t + γ_t + x_m · β

(``offset_m,t``: the logit of the rate expected from the municipality's age structure *in survey
year t*; ``γ_t``: year effects; ``x_m``: settlement and composition covariates), and a prefecture's
rate is the adult-weighted mean of its municipalities' rates: ``π_P,t = Σ_m w_m use_m,t / Σ_m
w_m``. This is the exact aggregation of an ecological model (no logit-linear approximation at
prefecture level), so the covariates are read at the municipal level the model is later applied to.

Because each year's offset carries that year's age structure, the year effects measure the
*period* change of use at a given age, net of ageing: the projection can then age the population
and move the age-specific rates by the period trend without counting ageing twice.

It is fitted by Fisher scoring on the binomial quasi-likelihood; the dispersion (Pearson χ²/df,
about 2.8) carries the survey's design effect and year-to-year noise into parameter and prediction
uncertainty. Leave-one-prefecture-out validation refits without each prefecture and predicts its
three published rates, with a 90 % interval from the parameter uncertainty and the survey's
(over-dispersed) sampling noise; the held-out residuals also measure the persistent area variation
that a municipality's interval carries (:func:`persistent_variance`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import Z90
from divide.errors import DivideDataError


@dataclass(frozen=True)
class AreaData:
    """What the model is fitted to and applied with.

    Attributes
    ----------
    offsets : dict
        Survey year -> logit of the use rate expected from each municipality's age structure in
        that year.
    covariates : ndarray
        Municipalities × covariates, in the order of ``names``.
    names : tuple of str
    weights : ndarray
        Residents aged 15+ of each municipality (the prefecture rate is their weighted mean).
    municipal_pref : ndarray
        The prefecture code of each municipality.
    rows : DataFrame
        One row per published prefecture-year: ``pref_code``, ``year``, ``rate``, ``sample_n``.
    """

    offsets: dict[int, np.ndarray]
    covariates: np.ndarray
    names: tuple[str, ...]
    weights: np.ndarray
    municipal_pref: np.ndarray
    rows: pd.DataFrame

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(int(y) for y in self.rows["year"].unique()))

    def offset(self, year: int) -> np.ndarray:
        return self.offsets[year]

    def members(self, pref: str) -> np.ndarray:
        return np.flatnonzero(self.municipal_pref == pref)

    def without(self, pref: str) -> AreaData:
        """The same data with one prefecture's survey rows left out (its municipalities stay, to
        be predicted).
        """
        kept = self.rows[self.rows["pref_code"] != pref].reset_index(drop=True)
        return replace(self, rows=kept)

    def subset(self, names: tuple[str, ...]) -> AreaData:
        """The same data with only the covariates ``names`` (a smaller model)."""
        columns = [self.names.index(n) for n in names]
        return replace(self, covariates=self.covariates[:, columns], names=tuple(names))


@dataclass(frozen=True)
class AreaModel:
    """Fitted parameters ``[intercept, year effects…, covariates…]``, their covariance, the
    dispersion.
    """

    params: np.ndarray
    cov: np.ndarray
    scale: float
    years: tuple[int, ...]
    names: tuple[str, ...]

    @property
    def param_names(self) -> list[str]:
        return ["const", *[f"year_{y}" for y in self.years[1:]], *self.names]

    @property
    def coefficients(self) -> pd.DataFrame:
        """Estimate, standard error and 95 % interval of every parameter (logit scale)."""
        se = np.sqrt(np.diag(self.cov))
        return pd.DataFrame(
            {
                "coef": self.params,
                "se": se,
                "lo95": self.params - 1.96 * se,
                "hi95": self.params + 1.96 * se,
            },
            index=self.param_names,
        )

    def design(self, covariates: np.ndarray, year: int) -> np.ndarray:
        """Design matrix [1, year dummies…, covariates…] for ``year`` (one of the survey years)."""
        if year not in self.years:
            known = ", ".join(map(str, self.years))
            raise DivideDataError(f"year {year} is not a survey year of the model ({known})")
        dummies = [np.full(len(covariates), float(year == y)) for y in self.years[1:]]
        return np.column_stack([np.ones(len(covariates)), *dummies, covariates])

    def trend_per_year(self) -> tuple[float, float]:
        """The period change of the logit of use per year (slope of the year effects) and its SE.

        The offsets carry each year's age structure, so this is the change at a given age: ageing
        is not in it.
        """
        years = np.asarray(self.years, dtype=float)
        effects = np.r_[0.0, self.params[1 : len(self.years)]]
        cov = np.zeros((len(years), len(years)))
        cov[1:, 1:] = self.cov[1 : len(years), 1 : len(years)]
        centred = years - years.mean()
        weights = centred / (centred**2).sum()
        return float(weights @ effects), float(np.sqrt(weights @ cov @ weights))


def aggregate(
    data: AreaData, params: np.ndarray, year: int, members: np.ndarray, model: AreaModel
) -> tuple[float, np.ndarray]:
    """π (adult-weighted mean use of ``members``) and its gradient with respect to the
    parameters.
    """
    design = model.design(data.covariates[members], year)
    p = expit(data.offset(year)[members] + design @ params)
    w = data.weights[members] / data.weights[members].sum()
    return float(w @ p), (w * p * (1 - p)) @ design


def fit_area_model(data: AreaData) -> AreaModel:
    """Fisher scoring on the aggregated binomial quasi-likelihood; dispersion from Pearson χ²/df."""
    model = AreaModel(
        np.zeros(len(data.years) + len(data.names)), np.eye(1), 1.0, data.years, data.names
    )
    rows = [
        (data.members(r.pref_code), int(r.year), float(r.rate), float(r.sample_n))
        for r in data.rows.itertuples()
    ]
    params = model.params.copy()
    for _ in range(100):
        score, info = np.zeros_like(params), np.zeros((len(params), len(params)))
        for members, year, rate, n in rows:
            pi, grad = aggregate(data, params, year, members, model)
            score += n * (rate - pi) / (pi * (1 - pi)) * grad
            info += n * np.outer(grad, grad) / (pi * (1 - pi))
        step = np.linalg.solve(info, score)
        params = params + step
        if np.max(np.abs(step)) < 1e-10:
            break
    chi2 = 0.0
    for members, year, rate, n in rows:
        pi = aggregate(data, params, year, members, model)[0]
        chi2 += n * (rate - pi) ** 2 / (pi * (1 - pi))
    scale = chi2 / max(len(rows) - len(params), 1)
    return AreaModel(params, scale * np.linalg.inv(info), float(scale), data.years, data.names)


def predict_rate(
    model: AreaModel, data: AreaData, pref: str, year: int, sample_n: float
) -> dict[str, float]:
    """A prefecture's published rate: prediction and 90 % interval (parameters and over-dispersed
    sampling).
    """
    pi, grad = aggregate(data, model.params, year, data.members(pref), model)
    var_pi = grad @ model.cov @ grad + model.scale * pi * (1 - pi) / sample_n
    half = Z90 * np.sqrt(var_pi) / (pi * (1 - pi))
    return {
        "predicted": pi,
        "predicted_se_logit": float(half / Z90),
        "lo": float(expit(logit(pi) - half)),
        "hi": float(expit(logit(pi) + half)),
    }


def leave_one_out(data: AreaData) -> pd.DataFrame:
    """Refit without each prefecture; predict its years. One row per held-out prefecture-year."""
    parts = []
    for pref in sorted(data.rows["pref_code"].unique()):
        model = fit_area_model(data.without(pref))
        held = data.rows[data.rows["pref_code"] == pref]
        for r in held.itertuples():
            prediction = predict_rate(model, data, pref, int(r.year), r.sample_n)
            parts.append(
                {
                    "pref_code": pref,
                    "year": int(r.year),
                    "rate": r.rate,
                    "sample_n": r.sample_n,
                    **prediction,
                }
            )
    return pd.DataFrame(parts).sort_values(["pref_code", "year"]).reset_index(drop=True)


def validation_row(name: str, loo: pd.DataFrame) -> dict[str, float | str | int]:
    """Mean, root-mean-square and largest error (points) and 90 % coverage of held-out rates."""
    error = (loo["predicted"] - loo["rate"]).abs() * 100
    inside = (loo["rate"] >= loo["lo"]) & (loo["rate"] <= loo["hi"])
    return {
        "model": name,
        "mae_pp": float(error.mean()),
        "rmse_pp": float(np.sqrt((error**2).mean())),
        "max_error_pp": float(error.max()),
        "coverage90": float(inside.mean()),
        "n": len(loo),
    }


# ---------------------------------------------------------------------------------------------
# Persistent area variation: what repeats in a prefecture's residuals year after year
# ---------------------------------------------------------------------------------------------


def _residual_table(residuals: pd.DataFrame) -> np.ndarray:
    """Prefectures × years of residuals (logit scale); every prefecture has every year."""
    return residuals.pivot(index="pref_code", columns="year", values="residual").to_numpy()


def one_way_variances(table: np.ndarray) -> dict[str, np.ndarray]:
    """Between-prefecture (persistent) and within (year-to-year) variance of a prefectures ×
    years residual table, or of a stack of them (… × prefectures × years): one-way random-effects
    analysis of variance.
    """
    years = table.shape[-1]
    prefectures = table.shape[-2]
    means = table.mean(axis=-1)
    grand = means.mean(axis=-1, keepdims=True)
    between = years * ((means - grand) ** 2).sum(axis=-1) / (prefectures - 1)
    within = ((table - means[..., None]) ** 2).sum(axis=(-1, -2)) / (prefectures * (years - 1))
    return {"persistent": np.maximum((between - within) / years, 0.0), "year_to_year": within}


def in_sample_residuals(model: AreaModel, data: AreaData) -> pd.DataFrame:
    """pref_code, year, residual (logit of the published rate minus logit of the fitted one)."""
    rows = []
    for r in data.rows.itertuples():
        fitted = aggregate(data, model.params, int(r.year), data.members(r.pref_code), model)[0]
        rows.append((r.pref_code, int(r.year), float(logit(r.rate) - logit(fitted))))
    return pd.DataFrame(rows, columns=["pref_code", "year", "residual"])


def held_out_residuals(loo: pd.DataFrame) -> pd.DataFrame:
    """pref_code, year, residual of each rate predicted with its prefecture left out."""
    residual = logit(loo["rate"].to_numpy()) - logit(loo["predicted"].to_numpy())
    return loo[["pref_code", "year"]].assign(residual=residual)


def persistent_variance(
    residuals: pd.DataFrame, rng: np.random.Generator, draws: int
) -> tuple[float, np.ndarray]:
    """The persistent area variance and ``draws`` values from its sampling distribution.

    ``residuals``: held-out residuals (:func:`held_out_residuals`): in sample, the model has
    already bent toward each prefecture and the variance looks about half as large (0.00135
    against 0.0028). The sampling distribution is a bootstrap over prefectures (each keeps its
    years): it is skewed and often 0 (a variance estimate clipped at 0), so a municipality's
    interval carries the doubt about how much areas really differ.
    """
    table = _residual_table(residuals)
    estimate = float(one_way_variances(table)["persistent"])
    picks = rng.integers(0, table.shape[0], size=(draws, table.shape[0]))
    return estimate, one_way_variances(table[picks])["persistent"]
