"""The aggregation kernel: indicators into pillars, pillars into the index, for one point or many draws.

Arithmetic: weighted mean. Geometric, in the *gap* direction: the geometric mean is taken of the
complements (100 - score, how far each part is from the widest gap), shifted by 1 so that a part at the
widest gap does not annihilate the product, and the result is turned back into a gap score:
``100 + 1 - exp(sum w log(100 - s + 1))``. A geometric mean is pulled towards the smallest of its
inputs; on the complements that is the *largest gap*, so a municipality at the worst value in one pillar
is pushed up the priority list and cannot be compensated by being fine elsewhere: pillars (100, 0, 0)
score 79.3 against 33.3 arithmetically, while a balanced (20, 20, 20) stays at 20. Gap scores outside
0-100 (z-scores) are clipped to 0-100 inside the geometric mean.
Everything is vectorised over draws (leading axis ``D``), in batched matrix products; the point index
(``D`` = 1) and the Monte Carlo (``D`` = a chunk of draws) run this same code.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

TOP = 100.0  # the widest gap


def _complement_log(values: np.ndarray) -> np.ndarray:
    return np.log1p(TOP - np.clip(values, 0.0, TOP))


def _from_complement_log(logs: np.ndarray) -> np.ndarray:
    return TOP - np.expm1(logs)


def weighted_mean(values: np.ndarray, weights: np.ndarray, geometric: np.ndarray) -> np.ndarray:
    """Batched weighted means: values D × n × K, weights D × K × L -> D × n × L; geometric per draw (D bools)."""
    out = np.matmul(values, weights)
    if geometric.any():
        out[geometric] = _from_complement_log(np.matmul(_complement_log(values[geometric]), weights[geometric]))
    return out


def aggregate(scores: np.ndarray, indicator_weights: np.ndarray, membership: np.ndarray, pillar_weights: np.ndarray,
              pillar_available: np.ndarray, geometric_indicators: np.ndarray,
              geometric_pillars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pillar scores (D × n × P) and index scores (D × n).

    scores: D × n × I gap scores; indicator_weights: D × I; membership: I × P (1 if the indicator belongs
    to the pillar); pillar_weights: D × P; pillar_available: n × P (False: the municipality lacks enough
    data for that pillar, which is then left out and the other pillars re-weighted); geometric_*: one
    bool per draw.
    """
    within = indicator_weights[:, :, None] * membership[None, :, :]             # D × I × P
    within = within / np.maximum(within.sum(axis=1, keepdims=True), 1e-300)
    pillars = weighted_mean(scores, within.astype(scores.dtype), geometric_indicators)   # D × n × P
    pillars = np.where(pillar_available[None], pillars, 0.0).astype(scores.dtype)
    across = pillar_weights[:, None, :] * pillar_available[None, :, :]          # D × n × P
    across = (across / np.maximum(across.sum(axis=2, keepdims=True), 1e-300)).astype(scores.dtype)
    index = (pillars * across).sum(axis=2)
    if geometric_pillars.any():
        logs = _complement_log(pillars[geometric_pillars])
        index[geometric_pillars] = _from_complement_log((logs * across[geometric_pillars]).sum(axis=2))
    return pillars, index


def ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score (widest gap), along the last axis; ties share the best rank."""
    return rankdata(-scores, method="min", axis=-1).astype(np.int64)
