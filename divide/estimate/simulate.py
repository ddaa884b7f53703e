"""Simulation draws of every municipality's offline share: what the interval of a *municipality* is
made of.

Each draw combines, all from independent random streams of one seed:

1. **Parameters.** The age curve's parameters from their covariance; each area model's parameters
   follow the drawn curve (their sensitivity to the curve, ``∂θ/∂c``, is measured by refitting once
   per curve parameter) plus their own estimation uncertainty.
2. **The model choice.** Which placement of the offline residents within a prefecture the draw
   uses (:mod:`divide.estimate.models`).
3. **Persistent area variation.** A prefecture effect shared by its municipalities, with a variance
   drawn from the sampling distribution of the held-out estimate
   (:func:`~divide.estimate.area_model.persistent_variance`): how much areas differ is itself
   uncertain.
4. **Municipal heterogeneity.** A municipal effect with that variance times a ratio measured on a
   behaviour every municipality records (:mod:`divide.estimate.heterogeneity`): each draw takes
   the ratio of one of the proxies, so the interval spans what the proxies disagree on.
5. **Composition outside the identified range.** Where the graduate share lies outside the
   prefecture values that identify its coefficient, the point estimate holds it at the edge; the
   draws take a value anywhere between the edge and the municipality's own.
6. **A finite population.** The offline *share of a municipality's residents* is a count out of its
   residents aged 15+: a binomial draw, which widens the interval of a village of 400 adults and not
   of a city of 270,000.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from divide.estimate.age_curve import AgeCurve
from divide.estimate.area_model import AreaData, AreaModel
from divide.estimate.models import fit_models

CURVE_STEP = 1e-4  # finite-difference step for the area model's sensitivity to the age curve


@dataclass(frozen=True)
class Variances:
    """Logit-scale variances of the random effects.

    Attributes
    ----------
    prefecture : float
        The persistent area variance estimated from held-out residuals.
    municipal : float
        ``prefecture`` times the median heterogeneity ratio.
    prefecture_draws, ratio_draws : ndarray
        Per draw, the persistent variance and the heterogeneity ratio used.
    in_sample : float
        The persistent variance estimated in sample (for comparison: smaller).
    """

    prefecture: float
    municipal: float
    prefecture_draws: np.ndarray
    ratio_draws: np.ndarray
    in_sample: float

    def __repr__(self) -> str:
        return (
            f"<Variances prefecture {self.prefecture:.4f}, municipal {self.municipal:.4f} "
            "(logit scale, means of their draws)>"
        )


def curve_sensitivity(
    curve: AgeCurve,
    area_for: Callable[[np.ndarray], AreaData],
    models: dict[str, AreaModel],
) -> dict[str, np.ndarray]:
    """∂θ/∂c per model: how its parameters move with each age-curve parameter (refit per
    parameter; ``area_for`` rebuilds the offsets of every survey year from curve parameters).
    """
    columns: dict[str, list[np.ndarray]] = {name: [] for name in models}
    for k in range(len(curve.params)):
        shifted = curve.params.copy()
        shifted[k] += CURVE_STEP
        refits = fit_models(area_for(shifted), tuple(models))
        for name, model in models.items():
            columns[name].append((refits[name].params - model.params) / CURVE_STEP)
    return {name: np.column_stack(found) for name, found in columns.items()}


def parameter_draws(
    curve: AgeCurve,
    models: dict[str, AreaModel],
    sensitivity: dict[str, np.ndarray],
    rng: np.random.Generator,
    draws: int,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(curve parameters D × c, per model its parameters D × k), jointly drawn."""
    curves = curve.draws(draws, rng)
    area = {}
    for name, model in models.items():
        moved = model.params + (curves - curve.params) @ sensitivity[name].T
        noise = rng.multivariate_normal(
            np.zeros(len(model.params)), model.cov, size=draws, method="cholesky"
        )
        area[name] = moved + noise
    return curves, area


def random_effects(
    rng: np.random.Generator, prefectures: np.ndarray, variances: Variances
) -> np.ndarray:
    """D × municipalities: a prefecture effect shared within each prefecture plus a municipal
    effect, each draw with its own variances.
    """
    names, index = np.unique(prefectures, return_inverse=True)
    prefecture_sd = np.sqrt(variances.prefecture_draws)[:, None]
    municipal_sd = np.sqrt(variances.prefecture_draws * variances.ratio_draws)[:, None]
    draws = len(prefecture_sd)
    shared = rng.normal(size=(draws, len(names)))[:, index] * prefecture_sd
    return shared + rng.normal(size=(draws, len(prefectures))) * municipal_sd


def finite_population(
    rng: np.random.Generator, offline: np.ndarray, residents: np.ndarray
) -> np.ndarray:
    """The share of ``residents`` (per municipality) who are offline, drawn binomially around
    ``offline``.
    """
    people = np.round(residents).astype(np.int64)
    counts = rng.binomial(np.maximum(people, 1)[None, :], np.clip(offline, 0.0, 1.0))
    return np.where(people[None, :] > 0, counts / np.maximum(people, 1)[None, :], offline)


def varied_covariates(
    covariates: np.ndarray,
    held: np.ndarray,
    outside: np.ndarray,
    rng: np.random.Generator,
    draws: int,
) -> np.ndarray:
    """D × n × K covariates: outside the identified range, anywhere between the edge (``held``)
    and the municipality's own value; inside, the own value.
    """
    varied = np.broadcast_to(held, (draws, *held.shape)).copy()
    for column in range(held.shape[1]):
        if outside[:, column].any():
            mixed = held[:, column] + rng.random((draws, len(held))) * (
                covariates[:, column] - held[:, column]
            )
            varied[:, :, column] = np.where(outside[None, :, column], mixed, held[:, column])
    return varied
