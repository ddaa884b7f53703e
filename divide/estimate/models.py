"""The named area models, and the default that carries the choice between them into the draws.

Three area models are fitted and validated (leaving each prefecture out, 141 prefecture-years):

``"age"``
    the municipality's age structure and the survey year only;
``"age+settlement"``
    plus settlement geography (過疎, low density);
``"full"``
    plus the university-graduate share.

They predict held-out prefectures almost equally well (mean absolute error 2.7, 2.4 and 2.0
points; the last two keep 90 % coverage), but they place the offline residents differently
*within* a prefecture: one by settlement, the other by graduate share. Prefecture data cannot say
which placement is right, because every observation is a whole prefecture. A :class:`ModelChoice`
carries that choice into the estimate:

* ``weights``: in each simulation draw a municipality's logit of use comes from one model, chosen
  with these probabilities (one uniform number per draw for all municipalities, so a draw is one
  coherent reading of the data); the point estimate is the weighted mean of the models' logits.
  The interval of a municipality thus spans the readings the data cannot choose between.
* ``shrink_outside``: where a municipality's covariate lies outside the range of the *prefecture*
  values that identify its coefficient, the weight of the models using it falls linearly with the
  distance (to 0 one range width beyond the edge) and passes to the models without it.

The default, ``"averaged"``, gives the full and the age+settlement model equal weight. Stacking
the held-out predictive densities alone would give the full model 0.93: it predicts the
*prefecture* level a little better, and prefecture data can judge nothing else. But what a
municipal estimate adds is the placement within the prefecture, on which those data are silent,
and at prefecture level the mix hardly matters: for any weight of the full model from 0.5 to 0.9
the held-out error is 1.96-2.06 points and the 90 % coverage 93.6-95.7 % (``docs/method.md``).
Equal weights are what the data leave open. The age-only model adds no placement of its own and is
left out.

:data:`CHOICES` holds the named choices: each model alone, and ``"averaged"`` (the default).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from divide.errors import DivideParameterError
from divide.estimate.area_model import AreaData, AreaModel, fit_area_model
from divide.estimate.structure import COMPOSITION, COVARIATES, SETTLEMENT

MODELS: dict[str, tuple[str, ...]] = {
    "age": (),
    "age+settlement": SETTLEMENT,
    "full": COVARIATES,
}


@dataclass(frozen=True)
class ModelChoice:
    """How a municipal estimate is made from the named models (see the module docstring).

    Examples
    --------
    >>> ModelChoice("mine", {"full": 0.8, "age+settlement": 0.2}).reference
    'full'
    """

    name: str
    weights: dict[str, float] = field(default_factory=dict)
    shrink_outside: bool = False

    def __post_init__(self) -> None:
        unknown = [m for m in self.weights if m not in MODELS]
        if unknown:
            raise DivideParameterError(
                f"model {self.name!r}: unknown area model {unknown[0]!r}; known: {', '.join(MODELS)}"
            )
        weights = np.array(list(self.weights.values()), dtype=float)
        if len(weights) == 0 or (weights < 0).any() or not np.isclose(weights.sum(), 1.0):
            raise DivideParameterError(
                f"model {self.name!r}: weights must be ≥ 0 and add up to 1 (got {self.weights})"
            )

    @property
    def models(self) -> tuple[str, ...]:
        """Every model this choice needs fitted."""
        return tuple(self.weights)

    @property
    def reference(self) -> str:
        """The model of largest weight: it stands for the choice where one model is needed (the
        survey year effects, the dispersion of the published rates).
        """
        return max(self.weights, key=self.weights.get)

    @property
    def single(self) -> bool:
        return len(self.weights) == 1


CHOICES: dict[str, ModelChoice] = {name: ModelChoice(name, {name: 1.0}) for name in MODELS}
CHOICES["averaged"] = ModelChoice(
    "averaged", {"full": 0.5, "age+settlement": 0.5}, shrink_outside=True
)
DEFAULT_CHOICE = "averaged"


def resolve(model: str | ModelChoice) -> ModelChoice:
    """A named choice, or the analyst's own :class:`ModelChoice`."""
    if isinstance(model, ModelChoice):
        return model
    if model not in CHOICES:
        raise DivideParameterError(
            f"estimate_offline: parameter 'model' must be one of {', '.join(CHOICES)} or a "
            f"ModelChoice (got {model!r})"
        )
    return CHOICES[model]


def fit_models(area: AreaData, names: tuple[str, ...]) -> dict[str, AreaModel]:
    """Each named model fitted on its own covariates."""
    return {name: fit_area_model(area.subset(MODELS[name])) for name in names}


# ---------------------------------------------------------------------------------------------
# Placement weights
# ---------------------------------------------------------------------------------------------


def allocation_weights(
    choice: ModelChoice, distance_outside: pd.DataFrame
) -> dict[str, np.ndarray]:
    """Per model, the weight of its placement in each municipality.

    ``distance_outside``: per covariate, how far each municipality lies outside the prefecture
    range, in range widths (0 inside).
    """
    n = len(distance_outside)
    weights = {name: np.full(n, w) for name, w in choice.weights.items()}
    if not choice.shrink_outside:
        return weights
    for covariate in distance_outside.columns:
        keep = np.clip(1.0 - distance_outside[covariate].to_numpy(dtype=float), 0.0, 1.0)
        users = [m for m in weights if covariate in MODELS[m]]
        others = [m for m in weights if covariate not in MODELS[m]]
        if not users or not others:
            continue
        moved = sum(weights[m] * (1 - keep) for m in users)
        for m in users:
            weights[m] = weights[m] * keep
        total_others = sum(weights[m] for m in others)
        for m in others:
            share = np.where(
                total_others > 0, weights[m] / np.maximum(total_others, 1e-12), 1 / len(others)
            )
            weights[m] = weights[m] + moved * share
    return weights


def drawn_placements(
    weights: dict[str, np.ndarray], rng: np.random.Generator, draws: int
) -> dict[str, np.ndarray]:
    """Per model, D × n indicators of the placement used in each draw.

    One uniform number per draw, compared with each municipality's cumulative weights: the
    placement of a draw is shared by all municipalities with the same weights, so prefecture totals
    of a draw come from one reading of the data.
    """
    uniform = rng.random(draws)[:, None]
    cumulative = np.zeros_like(next(iter(weights.values())))
    chosen = {}
    for name, weight in weights.items():
        upper = cumulative + weight
        chosen[name] = ((uniform >= cumulative) & (uniform < upper)).astype(float)
        cumulative = upper
    last = list(weights)[-1]
    chosen[last] = np.maximum(chosen[last], (uniform >= cumulative).astype(float))  # rounding
    return chosen


# ---------------------------------------------------------------------------------------------
# Logit terms of a model, and their combination
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """The logit of use as parts (each D × n) and a constant (D × 1).

    ``age``: the offset; ``settlement``: 過疎 and low density; ``composition``: graduate share;
    ``constant``: intercept and year (D × 1).
    """

    age: np.ndarray
    settlement: np.ndarray
    composition: np.ndarray
    constant: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        return {"age": self.age, "settlement": self.settlement, "composition": self.composition}

    @property
    def logit(self) -> np.ndarray:
        return self.age + self.settlement + self.composition + self.constant


def model_terms(
    model: AreaModel, covariates: np.ndarray, offset: np.ndarray, year: int, params: np.ndarray
) -> Terms:
    """Terms of one model. ``covariates``: n × K or D × n × K in :data:`COVARIATES` order;
    ``offset``: n or D × n; ``params``: p or D × p.
    """
    params = np.atleast_2d(params)
    draws = params.shape[0]
    years = len(model.years)
    zero = np.zeros((1, len(model.names)))
    constant = (params[:, :years] @ model.design(zero, year)[0, :years])[:, None]
    columns = [COVARIATES.index(n) for n in model.names]
    x = covariates[..., columns]
    beta = params[:, years:]
    n = x.shape[-2]

    def part(group: tuple[str, ...]) -> np.ndarray:
        mask = np.array([name in group for name in model.names], dtype=bool)
        if not mask.any():
            return np.zeros((draws, n))
        if x.ndim == 2:
            return np.einsum("nc,dc->dn", x[:, mask], beta[:, mask])
        return np.einsum("dnc,dc->dn", x[..., mask], beta[:, mask])

    age = np.broadcast_to(offset, (draws, n)).astype(float)
    return Terms(age, part(SETTLEMENT), part(COMPOSITION), constant)


def combine(
    choice: ModelChoice, terms: dict[str, Terms], placement: dict[str, np.ndarray]
) -> Terms:
    """The choice's terms: each model's terms weighted by ``placement`` (weights n, or D × n
    indicators of the model a draw uses).

    The models' constants differ (a model without graduate share carries its mean effect in the
    intercept); where the mix varies between municipalities, that difference goes with the
    composition part, so that the constant stays one number and the parts add up exactly.
    """
    if choice.single:
        return terms[choice.reference]
    reference = terms[choice.reference]
    settlement = sum(placement[m] * terms[m].settlement for m in placement)
    composition = sum(placement[m] * (terms[m].composition + terms[m].constant) for m in placement)
    return Terms(reference.age, settlement, composition - reference.constant, reference.constant)
