"""The area model: a municipal-level model of internet use, fitted to the published prefecture
rates.

Observations are the internet-use rates of the 通信利用動向調査 (prefectures × 2022-2024) with their
unweighted sample sizes. The model is written for *municipalities*:

    logit(use_m,t) = offset_m + γ_t + x_m · β

(``offset_m``: the logit of the rate expected from the municipality's age structure; ``γ_t``: year
effects; ``x_m``: settlement and composition covariates), and a prefecture's rate is the
adult-weighted mean of its municipalities' rates: ``π_P,t = Σ_m w_m use_m,t / Σ_m w_m``. This is the
exact aggregation of an ecological model (no logit-linear approximation at prefecture level), so the
covariates are read at the municipal level the model is later applied to, and the municipal values
that make up the training prefectures are the model's support. It is fitted by Fisher scoring on the
binomial quasi-likelihood; the dispersion (Pearson χ²/df, about 2.8) carries the survey's design
effect and year-to-year noise into parameter and prediction uncertainty.

Leave-one-prefecture-out validation refits without each prefecture and predicts its three published
rates, with a 90 % interval from the parameter uncertainty and the survey's (over-dispersed)
sampling noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import Z90
from divide.errors import DivideDataError


@dataclass(frozen=True)
class AreaData:
    """What the model is fitted to and applied with: municipal offsets, covariates and weights,
    survey rows.

    ``rows``: one per prefecture-year: ``pref_code``, ``year``, ``rate``, ``sample_n``;
    ``municipal_pref``: the prefecture of each municipality (same order as ``offset``,
    ``covariates``, ``weights``).
    """

    offset: np.ndarray
    covariates: np.ndarray
    names: tuple[str, ...]
    weights: np.ndarray
    municipal_pref: np.ndarray
    rows: pd.DataFrame

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(int(y) for y in self.rows["year"].unique()))

    def members(self, pref: str) -> np.ndarray:
        return np.flatnonzero(self.municipal_pref == pref)

    def without(self, pref: str) -> AreaData:
        """The same data with one prefecture's survey rows left out (its municipalities stay for
        prediction).
        """
        return AreaData(
            self.offset,
            self.covariates,
            self.names,
            self.weights,
            self.municipal_pref,
            self.rows[self.rows["pref_code"] != pref].reset_index(drop=True),
        )


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
            raise DivideDataError(
                f"year {year} is not a survey year of the model ({', '.join(map(str, self.years))})"
            )
        dummies = [np.full(len(covariates), float(year == y)) for y in self.years[1:]]
        return np.column_stack([np.ones(len(covariates)), *dummies, covariates])

    def municipal_logit(
        self, data: AreaData, year: int, params: np.ndarray | None = None
    ) -> np.ndarray:
        """logit of internet use of every municipality in ``year`` (``params``: one row per draw
        allowed).
        """
        p = self.params if params is None else params
        return data.offset + (p @ self.design(data.covariates, year).T)

    def trend_per_year(self) -> tuple[float, float]:
        """The survey's period change of the logit of use per year (slope of the year effects) and
        its SE.
        """
        years = np.asarray(self.years, dtype=float)
        effects = np.r_[0.0, self.params[1 : len(self.years)]]
        cov = np.zeros((len(years), len(years)))
        cov[1:, 1:] = self.cov[1 : len(years), 1 : len(years)]
        centred = years - years.mean()
        weights = centred / (centred**2).sum()
        return float(weights @ effects), float(np.sqrt(weights @ cov @ weights))


def _aggregate(
    data: AreaData, params: np.ndarray, year: int, members: np.ndarray, model: AreaModel
) -> tuple[float, np.ndarray]:
    """π (adult-weighted mean use of ``members``) and its gradient with respect to the parameters."""
    design = model.design(data.covariates[members], year)
    p = expit(data.offset[members] + design @ params)
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
            pi, grad = _aggregate(data, params, year, members, model)
            score += n * (rate - pi) / (pi * (1 - pi)) * grad
            info += n * np.outer(grad, grad) / (pi * (1 - pi))
        step = np.linalg.solve(info, score)
        params = params + step
        if np.max(np.abs(step)) < 1e-10:
            break
    chi2 = sum(
        n * (rate - pi) ** 2 / (pi * (1 - pi))
        for (members, year, rate, n) in rows
        for pi in [_aggregate(data, params, year, members, model)[0]]
    )
    scale = chi2 / max(len(rows) - len(params), 1)
    return AreaModel(params, scale * np.linalg.inv(info), float(scale), data.years, data.names)


def predict_rate(
    model: AreaModel, data: AreaData, pref: str, year: int, sample_n: float
) -> dict[str, float]:
    """A prefecture's published rate: prediction and 90 % interval (parameters + over-dispersed
    sampling).
    """
    pi, grad = _aggregate(data, model.params, year, data.members(pref), model)
    var_pi = grad @ model.cov @ grad + model.scale * pi * (1 - pi) / sample_n
    half = Z90 * np.sqrt(var_pi) / (pi * (1 - pi))
    return {
        "predicted": pi,
        "lo": float(expit(logit(pi) - half)),
        "hi": float(expit(logit(pi) + half)),
    }


def leave_one_out(data: AreaData) -> pd.DataFrame:
    """Refit without each prefecture; predict its years. One row per held-out prefecture-year."""
    parts = []
    for pref in sorted(data.rows["pref_code"].unique()):
        model = fit_area_model(data.without(pref))
        held = data.rows[data.rows["pref_code"] == pref]
        parts += [
            {
                "pref_code": pref,
                "year": int(r.year),
                "rate": r.rate,
                "sample_n": r.sample_n,
                **predict_rate(model, data, pref, int(r.year), r.sample_n),
            }
            for r in held.itertuples()
        ]
    return pd.DataFrame(parts).sort_values(["pref_code", "year"]).reset_index(drop=True)


def validation_row(name: str, loo: pd.DataFrame) -> dict[str, float | str | int]:
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


def residual_variances(model: AreaModel, data: AreaData) -> dict[str, float]:
    """Prefecture residuals (logit scale) split into a persistent part and year-to-year noise.

    One-way random-effects analysis of variance of the residuals by prefecture: what repeats every
    year in a prefecture is the persistent between-area variance that also applies to a
    municipality; the rest is survey noise (sampling, design effect) and year-to-year change, which
    does not.
    """
    residuals = pd.DataFrame(
        [
            (
                r.pref_code,
                logit(r.rate)
                - logit(
                    _aggregate(data, model.params, int(r.year), data.members(r.pref_code), model)[0]
                ),
            )
            for r in data.rows.itertuples()
        ],
        columns=["pref", "residual"],
    )
    years = residuals.groupby("pref").size().mean()
    means = residuals.groupby("pref")["residual"].mean()
    prefectures = len(means)
    between = years * ((means - residuals["residual"].mean()) ** 2).sum() / (prefectures - 1)
    within = ((residuals["residual"] - residuals["pref"].map(means)) ** 2).sum() / (
        len(residuals) - prefectures
    )
    return {
        "persistent": float(max((between - within) / years, 0.0)),
        "year_to_year": float(within),
        "total": float(residuals["residual"].var()),
    }
