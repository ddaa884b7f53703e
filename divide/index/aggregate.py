"""Aggregation kernels: indicators into pillars, pillars into the index, for one point or many draws.

Arithmetic: weighted mean. Geometric: weighted geometric mean of (score + 1), minus 1: the shift keeps
a score of 0 from annihilating the product, so geometric aggregation penalises an unbalanced profile
(strong in one pillar, weak in another) without being undefined at the best possible value.
Everything is vectorised over draws (leading axis ``D``); there is no Python loop over draws or
municipalities.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def _combine(values: np.ndarray, weights: np.ndarray, geometric: np.ndarray, subscripts: str) -> np.ndarray:
    """Weighted arithmetic or geometric mean, choosing per draw (``geometric``: bool per draw)."""
    arithmetic = np.einsum(subscripts, values, weights)
    if not geometric.any():
        return arithmetic
    geo = np.expm1(np.einsum(subscripts, np.log1p(np.maximum(values, 0.0)), weights))
    return np.where(geometric.reshape((-1,) + (1,) * (arithmetic.ndim - 1)), geo, arithmetic)


def aggregate(scores: np.ndarray, indicator_weights: np.ndarray, membership: np.ndarray, pillar_weights: np.ndarray,
              pillar_available: np.ndarray, geometric_indicators: np.ndarray,
              geometric_pillars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pillar scores (D × n × P) and index scores (D × n).

    scores: D × n × I gap scores; indicator_weights: D × I; membership: I × P (1 if the indicator belongs
    to the pillar); pillar_weights: D × P; pillar_available: n × P (False: the municipality lacks enough
    data for that pillar, which is then left out and the other pillars re-weighted).
    """
    within = indicator_weights[:, :, None] * membership[None, :, :]             # D × I × P
    within = within / np.maximum(within.sum(axis=1, keepdims=True), 1e-300)
    pillars = _combine(scores, within, geometric_indicators, "dni,dip->dnp")    # D × n × P
    across = pillar_weights[:, None, :] * pillar_available[None, :, :]          # D × n × P
    across = across / np.maximum(across.sum(axis=2, keepdims=True), 1e-300)
    index = _combine(np.where(pillar_available[None], pillars, 0.0), across, geometric_pillars, "dnp,dnp->dn")
    return pillars, index


def ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score (widest gap), along the last axis; ties share the best rank."""
    return rankdata(-scores, method="min", axis=-1).astype(np.int64)
