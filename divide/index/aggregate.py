"""The aggregation kernel: indicators into pillars, pillars into the index, for one point or many draws.

Arithmetic: weighted mean. Geometric: weighted geometric mean of (score + 1), minus 1: the shift keeps
a score of 0 from annihilating the product, so geometric aggregation penalises an unbalanced profile
(strong in one pillar, weak in another) without being undefined at the best possible value.
Everything is vectorised over draws (leading axis ``D``), in batched matrix products; the point index
(``D`` = 1) and the Monte Carlo (``D`` = a chunk of draws) run this same code.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def weighted_mean(values: np.ndarray, weights: np.ndarray, geometric: np.ndarray) -> np.ndarray:
    """Batched weighted means: values D × n × K, weights D × K × L -> D × n × L; geometric per draw (D bools)."""
    out = np.matmul(values, weights)
    if geometric.any():
        out[geometric] = np.expm1(np.matmul(np.log1p(np.maximum(values[geometric], 0.0)), weights[geometric]))
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
        logs = np.log1p(np.maximum(pillars[geometric_pillars], 0.0))
        index[geometric_pillars] = np.expm1((logs * across[geometric_pillars]).sum(axis=2))
    return pillars, index


def ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score (widest gap), along the last axis; ties share the best rank."""
    return rankdata(-scores, method="min", axis=-1).astype(np.int64)
