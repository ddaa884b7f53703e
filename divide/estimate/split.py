"""Why a municipality's offline share differs from Japan's: age, settlement geography, social
composition.

The model's logit of use is a sum of three terms: age (the offset from the municipality's own age
structure), settlement (過疎, low density) and composition (graduate share), plus the year constant.
The offline share is a non-linear function of that sum, so the parts are computed as **Shapley
values**: each term moves from its national reference value (the resident-weighted mean over Japan's
1,741 municipalities) to the municipality's own, and its part is the average change in the offline
share over the six orders in which the three terms can move. The three parts add up exactly to the
municipality's share minus the share at the national reference values. Each part is then
**centred**: its national resident-weighted mean is subtracted, so that a part of 0 means "as Japan
on average", and the parts add up exactly to ``offline_share - reference_share`` (the national
resident-weighted share).

Works on one point or on a stack of simulation draws (leading axis).
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
from scipy.special import expit

PARTS = ("age_part", "settlement_part", "composition_part")


def _offline(
    age: np.ndarray, settlement: np.ndarray, composition: np.ndarray, constant: np.ndarray
) -> np.ndarray:
    return 1.0 - expit(age + settlement + composition + constant)


def shapley_parts(
    terms: dict[str, np.ndarray], constant: np.ndarray, weights: np.ndarray
) -> dict[str, np.ndarray]:
    """Centred Shapley parts of the offline share for the three logit ``terms`` (age, settlement,
    composition).

    ``terms``: arrays (… × municipalities) on the logit scale of use; ``constant``: the rest of the
    linear predictor (intercept and year), broadcastable; ``weights``: residents 15+ of every
    municipality.

    Examples
    --------
    >>> import numpy as np
    >>> terms = {
    ...     "age": np.array([0.0, 1.0]),
    ...     "settlement": np.array([0.0, -0.5]),
    ...     "composition": np.array([0.2, 0.0]),
    ... }
    >>> parts = shapley_parts(terms, np.array(1.5), np.array([1.0, 1.0]))
    >>> share = 1 - 1 / (1 + np.exp(-(sum(terms.values()) + 1.5)))
    >>> bool(np.allclose(sum(parts.values()), share - share.mean()))
    True
    """
    names = ("age", "settlement", "composition")
    weights = weights / weights.sum()
    reference = {n: (terms[n] * weights).sum(axis=-1, keepdims=True) for n in names}
    parts = {n: np.zeros(np.broadcast_shapes(*(terms[m].shape for m in names))) for n in names}
    orders = list(permutations(names))
    for order in orders:
        current = dict(reference)
        before = _offline(*(current[n] for n in names), constant)
        for name in order:
            current[name] = terms[name]
            after = _offline(*(current[n] for n in names), constant)
            parts[name] += (after - before) / len(orders)
            before = after
    return {
        part: parts[n] - (parts[n] * weights).sum(axis=-1, keepdims=True)
        for part, n in zip(PARTS, names, strict=True)
    }
