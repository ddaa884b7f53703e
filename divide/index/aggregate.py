"""The aggregation kernel: indicators into pillars, pillars into sub-indices and the index, for one
point or many draws.

Arithmetic: weighted mean. Geometric, in the *gap* direction: the geometric mean is taken of the
complements (100 - score, how far each part is from the widest gap), shifted by 1 so that a part at
the widest gap does not annihilate the product, and the result is turned back into a gap score:
``100 + 1 - exp(sum w log(100 - s + 1))``. A geometric mean is pulled towards the smallest of its
inputs; on the complements that is the *largest gap*, so a municipality at the worst value in one
pillar is pushed up the priority list and cannot be compensated by being fine elsewhere: pillars
(100, 0, 0) score 79.3 against 33.3 arithmetically, while a balanced (20, 20, 20) stays at 20. Gap
scores outside 0-100 (z-scores) are clipped to 0-100 inside the geometric mean. Everything is
vectorised over draws (leading axis ``D``), in batched matrix products; the point index (``D`` = 1)
and the Monte Carlo (``D`` = a chunk of draws) run this same code.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

TOP = 100.0  # the widest gap


def _complement_log(values: np.ndarray) -> np.ndarray:
    return np.log1p(TOP - np.clip(values, 0.0, TOP))


def _from_complement_log(logs: np.ndarray) -> np.ndarray:
    return np.clip(TOP - np.expm1(logs), 0.0, TOP)  # rounding can land a hair outside 0-100


def weighted_mean(values: np.ndarray, weights: np.ndarray, geometric: np.ndarray) -> np.ndarray:
    """Batched weighted means: values D × n × K, weights D × K × L -> D × n × L; geometric per draw
    (D bools).
    """
    out = np.matmul(values, weights)
    if geometric.any():
        out[geometric] = _from_complement_log(
            np.matmul(_complement_log(values[geometric]), weights[geometric])
        )
    return out


def _level(
    children: np.ndarray, present: np.ndarray | None, weights: np.ndarray, geometric: np.ndarray
) -> np.ndarray:
    """Weighted means of one level: children D × n × K, weights D × K × L -> D × n × L.

    ``present`` (n × K, or None when all are): a missing child is dropped with its weight, so its
    siblings are re-weighted within their own parent.
    """
    if present is None:
        mask = None
        total = weights.sum(axis=1)[:, None, :]  # D × 1 × L
        out = np.matmul(children, weights)
    else:
        mask = present.astype(children.dtype)
        total = np.matmul(mask, weights)  # D × n × L
        out = np.matmul(children * mask, weights)
    total = np.maximum(total, np.finfo(children.dtype).tiny)
    out /= total
    if geometric.any():
        logs = _complement_log(children[geometric])
        if mask is not None:
            logs *= mask
        out[geometric] = _from_complement_log(
            np.matmul(logs, weights[geometric]) / total[geometric]
        )
    return out


def aggregate(
    scores: np.ndarray,
    weights: list[np.ndarray],
    available: list[np.ndarray],
    geometric: list[np.ndarray],
    present: np.ndarray | None = None,
) -> list[np.ndarray]:
    """The scores of every level above the indicators, the last one being the index (D × n × 1).

    scores: D × n × I gap scores; weights[j]: D × K × L raw weights of level j (0 where a child is
    not under a parent; see :mod:`divide.index.hierarchy`); available[j]: n × L (False: the
    municipality lacks that node, which is left out of its parent); geometric[j]: one bool per draw;
    present: n × I (False: the indicator value is missing and dropped, like COINr's ``na.rm``), None
    when all are present.
    """
    out, children = [], scores
    for level_weights, ok, geo in zip(weights, available, geometric, strict=True):
        level = _level(children, present, level_weights.astype(scores.dtype), geo)
        level = np.where(ok[None], level, 0.0).astype(scores.dtype)
        out.append(level)
        children, present = level, (None if ok.all() else ok)
    return out


def ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score (widest gap), along the last axis; ties share the best rank."""
    return rankdata(-scores, method="min", axis=-1).astype(np.int64)
