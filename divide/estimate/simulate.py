"""Simulation draws of every municipality's offline share: what the interval of a *municipality* is
made of.

Each draw combines, all seeded from one generator:

1. **Parameters.** The age curve's parameters from their covariance; the area model's parameters
   follow the drawn curve (their sensitivity to the curve, ``∂θ/∂c``, is measured by refitting once
   per curve parameter) plus their own estimation uncertainty.
2. **Persistent area variation.** A prefecture effect shared by its municipalities, with the
   variance that repeats across survey years (year-to-year survey noise excluded; see
   :func:`~divide.estimate.area_model.residual_variances`).
3. **Municipal heterogeneity.** A municipal effect with that variance times the ratio measured on My
   Number issuance (:mod:`divide.estimate.heterogeneity`): what prefecture data cannot see, stated
   and bounded.
4. **Composition outside the model's range.** Where the graduate share lies outside what the model
   has seen, the point estimate holds it at the boundary; the draws take a value anywhere between
   the boundary and the municipality's own, so the interval covers both readings.
5. **A finite population.** The offline *share of a municipality's residents* is a count out of its
   residents aged 15+: a binomial draw, which widens the interval of a village of 400 adults and not
   of a city of 270,000.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logit

from divide.estimate.age_curve import AgeCurve
from divide.estimate.area_model import AreaData, AreaModel, fit_area_model
from divide.estimate.structure import age_expected_use

CURVE_STEP = 1e-4  # finite-difference step for the area model's sensitivity to the age curve


@dataclass(frozen=True)
class Variances:
    """Logit-scale variances of the random effects: prefecture (persistent) and municipal
    heterogeneity.
    """

    prefecture: float
    municipal: float


def curve_sensitivity(
    curve: AgeCurve, bands: np.ndarray, data: AreaData, model: AreaModel
) -> np.ndarray:
    """∂θ/∂c: how the area model's parameters move with each age-curve parameter (refit per
    parameter).
    """
    columns = []
    for k in range(len(curve.params)):
        shifted = curve.params.copy()
        shifted[k] += CURVE_STEP
        offset = logit(age_expected_use(bands, curve.use_by_band(shifted)))
        refit = fit_area_model(
            AreaData(
                offset, data.covariates, data.names, data.weights, data.municipal_pref, data.rows
            )
        )
        columns.append((refit.params - model.params) / CURVE_STEP)
    return np.column_stack(columns)


def parameter_draws(
    curve: AgeCurve, model: AreaModel, sensitivity: np.ndarray, rng: np.random.Generator, draws: int
) -> tuple[np.ndarray, np.ndarray]:
    """(curve parameters D × c, area parameters D × k), jointly drawn."""
    curves = curve.draws(draws, rng)
    area = model.params + (curves - curve.params) @ sensitivity.T
    area += rng.multivariate_normal(
        np.zeros(len(model.params)), model.cov, size=draws, method="cholesky"
    )
    return curves, area


def random_effects(
    rng: np.random.Generator, prefectures: np.ndarray, variances: Variances, draws: int
) -> np.ndarray:
    """D × municipalities: a prefecture effect shared within each prefecture plus a municipal
    effect.
    """
    names, index = np.unique(prefectures, return_inverse=True)
    shared = rng.normal(0.0, np.sqrt(variances.prefecture), size=(draws, len(names)))[:, index]
    return shared + rng.normal(0.0, np.sqrt(variances.municipal), size=(draws, len(prefectures)))


def finite_population(
    rng: np.random.Generator, offline: np.ndarray, residents: np.ndarray
) -> np.ndarray:
    """The share of ``residents`` (per municipality) who are offline, drawn binomially around
    ``offline``.
    """
    people = np.round(residents).astype(np.int64)
    counts = rng.binomial(np.maximum(people, 1)[None, :], np.clip(offline, 0.0, 1.0))
    return np.where(people[None, :] > 0, counts / np.maximum(people, 1)[None, :], offline)
