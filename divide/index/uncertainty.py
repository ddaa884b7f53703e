"""Monte Carlo uncertainty and sensitivity of the index ranks, vectorised over draws.

Each draw perturbs, independently:

* **weights**: indicator weights within each pillar and pillar weights, Dirichlet around the spec's
  weights with concentration ``concentration`` (20: a weight of 1/3 varies roughly between 0.18 and 0.50);
* **normalisation**: one of min-max, z-score, rank (and goalposts when the spec defines them), uniformly;
* **aggregation**: arithmetic or geometric, independently for the indicator and the pillar level;
* **the offline estimate**: indicators taken from the estimate use one of its simulation draws.

Draws are processed in chunks: arrays are draws × municipalities × indicators, never a Python loop over
draws or municipalities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FACTORS = ("weights", "normalisation", "aggregation", "estimate")


def _dirichlet(rng: np.random.Generator, base: np.ndarray, size: int, concentration: float) -> np.ndarray:
    return rng.gamma(np.maximum(base * concentration * len(base), 1e-9), size=(size, len(base)))


def _prepare(result: object, methods: tuple[str, ...], estimate: bool) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Normalised scores of every method (M × n × I), and of every estimate draw (M × S × n per column).

    Normalising once, before the draws, is what keeps the Monte Carlo a matter of gathers and matrix
    products: a draw only *chooses* among these arrays.
    """
    ctx = result.context
    base = np.stack([ctx.normaliser.apply(ctx.values, m) for m in methods]).astype(np.float32)
    drawn = {}
    if estimate:
        for column, sample in ctx.estimate_draws.items():
            drawn[column] = np.stack([ctx.normaliser.apply(sample[..., None], m, np.array([column]))[..., 0]
                                      for m in methods]).astype(np.float32)
    return base, drawn


def _mean(values: np.ndarray, weights: np.ndarray, geometric: np.ndarray) -> np.ndarray:
    """Batched weighted means: values D × n × K, weights D × K × L -> D × n × L; geometric per draw."""
    out = np.matmul(values, weights)
    if geometric.any():
        out[geometric] = np.expm1(np.matmul(np.log1p(np.maximum(values[geometric], 0.0)), weights[geometric]))
    return out


def monte_carlo(result: object, *, draws: int = 10_000, seed: int = 0, weights: bool = True,
                normalisation: bool = True, aggregation: bool = True, estimate: bool = True,
                concentration: float = 20.0, chunk: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """Rank and score draws (draws × municipalities) of an :class:`~divide.index.engine.IndexResult`.

    Ranks within a draw break exact ties by position (scores are continuous; the point ranking uses
    shared ranks).
    """
    ctx = result.context
    spec = result.spec
    rng = np.random.default_rng(seed)
    n, n_ind = ctx.values.shape
    n_pillars = ctx.membership.shape[1]
    methods = ctx.normaliser.available() if normalisation else (spec.normalisation,)
    point_method = methods.index(spec.normalisation) if spec.normalisation in methods else 0
    base, drawn = _prepare(result, methods, estimate)
    membership = ctx.membership.astype(np.float32)
    available = ctx.available[None]
    rank_out = np.empty((draws, n), dtype=np.int32)
    score_out = np.empty((draws, n), dtype=np.float32)
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        method = rng.integers(len(methods), size=size) if normalisation else np.full(size, point_method)
        scores = base[method]                                                              # size × n × I
        for column, sample in drawn.items():
            scores[:, :, column] = sample[method, rng.integers(sample.shape[1], size=size)]
        if weights:
            indicator_w = np.zeros((size, n_ind), dtype=np.float32)
            for pillar in range(n_pillars):
                members = ctx.membership[:, pillar] > 0
                indicator_w[:, members] = _dirichlet(rng, ctx.indicator_weights[members], size, concentration)
            pillar_w = _dirichlet(rng, ctx.pillar_weights, size, concentration).astype(np.float32)
        else:
            indicator_w = np.broadcast_to(ctx.indicator_weights.astype(np.float32), (size, n_ind))
            pillar_w = np.broadcast_to(ctx.pillar_weights.astype(np.float32), (size, n_pillars))
        if aggregation:
            geo_ind, geo_pil = rng.random(size) < 0.5, rng.random(size) < 0.5
        else:
            geo_ind = np.full(size, spec.indicator_aggregation == "geometric")
            geo_pil = np.full(size, spec.pillar_aggregation == "geometric")
        within = indicator_w[:, :, None] * membership[None]
        within /= within.sum(axis=1, keepdims=True)
        pillars = _mean(scores, within, geo_ind)                                          # size × n × P
        across = pillar_w[:, None, :] * available                                          # size × n × P
        across /= across.sum(axis=2, keepdims=True)
        pillars = np.where(available, pillars, 0.0)
        arithmetic = (pillars * across).sum(axis=2)
        if geo_pil.any():
            arithmetic[geo_pil] = np.expm1((np.log1p(np.maximum(pillars[geo_pil], 0.0)) * across[geo_pil]).sum(axis=2))
        index = arithmetic
        order = np.argsort(-index, axis=1)
        ranked = np.empty_like(order)
        np.put_along_axis(ranked, order, np.arange(1, n + 1)[None, :], axis=1)
        rank_out[start:start + size] = ranked
        score_out[start:start + size] = index
    return rank_out, score_out


def summarise(rank_draws: np.ndarray, score_draws: np.ndarray, index: pd.Index) -> pd.DataFrame:
    rank_q = np.quantile(rank_draws, [0.05, 0.5, 0.95], axis=0, method="nearest")
    score_q = np.quantile(score_draws, [0.05, 0.5, 0.95], axis=0)
    return pd.DataFrame({"rank_median": rank_q[1].astype(int), "rank_p05": rank_q[0].astype(int),
                         "rank_p95": rank_q[2].astype(int), "score_median": score_q[1], "score_p05": score_q[0],
                         "score_p95": score_q[2]}, index=index)


def sensitivity(result: object, *, draws: int = 2_000, seed: int = 0) -> pd.DataFrame:
    """Mean absolute rank shift from the point ranking when only one choice varies, and all together."""
    point = result.scores["rank"].to_numpy()
    rows = []
    for factor in (*FACTORS, "all"):
        options = {f: (f == factor or factor == "all") for f in FACTORS}
        if factor == "estimate" and not result.context.estimate_draws:
            rows.append({"factor": factor, "mean_abs_rank_shift": np.nan, "p95_abs_rank_shift": np.nan})
            continue
        rank_draws, _ = monte_carlo(result, draws=draws, seed=seed, **options)
        shift = np.abs(rank_draws - point[None, :])
        rows.append({"factor": factor, "mean_abs_rank_shift": float(shift.mean()),
                     "p95_abs_rank_shift": float(np.quantile(shift, 0.95))})
    table = pd.DataFrame(rows)
    total = table.loc[table["factor"] == "all", "mean_abs_rank_shift"].iloc[0]
    table["share_of_all"] = table["mean_abs_rank_shift"] / total if total > 0 else np.nan
    return table
