"""Monte Carlo uncertainty and sensitivity of the index ranks, vectorised over draws.

Each draw perturbs, independently:

* **weights**: at every level, the weights of a parent's parts (indicators in a pillar, pillars in a
  sub-index or the index…), Dirichlet around the spec's weights with concentration ``concentration``
  (20: a weight of 1/3 varies roughly between 0.18 and 0.50);
* **normalisation**: one of min-max, z-score, rank (and goalposts when the spec defines them),
  uniformly;
* **aggregation**: arithmetic or geometric, independently at every level;
* **the offline estimate**: the indicators taken from the estimate use one of its simulation draws,
  the same draw for all of them.

Draws are processed in chunks: arrays are draws × municipalities × indicators, never a Python loop
over draws or municipalities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from divide.index.aggregate import aggregate

if TYPE_CHECKING:  # the engine imports this module: the result's type is for readers only
    from divide.index.engine import IndexResult

FACTORS = ("weights", "normalisation", "aggregation", "estimate")


def _dirichlet(
    rng: np.random.Generator, base: np.ndarray, size: int, concentration: float
) -> np.ndarray:
    return rng.gamma(np.maximum(base * concentration * len(base), 1e-9), size=(size, len(base)))


def _prepare(
    result: object, methods: tuple[str, ...], estimate: bool
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Normalised scores of every method (M × n × I), and of every estimate draw (M × S × n per
    column).

    Normalising once, before the draws, is what keeps the Monte Carlo a matter of gathers and matrix
    products: a draw only *chooses* among these arrays.
    """
    ctx = result.context
    base = np.nan_to_num(np.stack([ctx.normaliser.apply(ctx.values, m) for m in methods])).astype(
        np.float32
    )
    drawn = {}
    if estimate:
        for column, sample in ctx.estimate_draws.items():
            drawn[column] = np.stack(
                [
                    ctx.normaliser.apply(sample[..., None], m, np.array([column]))[..., 0]
                    for m in methods
                ]
            ).astype(np.float32)
    return base, drawn


def _weights(
    rng: np.random.Generator, ctx: object, size: int, concentration: float, vary: bool
) -> list[np.ndarray]:
    """Per level, size × K × L weight matrices: Dirichlet draws around the spec's weights within
    each parent.
    """
    out = []
    for level in ctx.levels:
        within = level.within()
        if vary:
            drawn = np.zeros((size, len(within)))
            for column in level.member.T:
                children = column > 0
                drawn[:, children] = _dirichlet(rng, within[children], size, concentration)
        else:
            drawn = np.broadcast_to(within, (size, len(within)))
        out.append(drawn[:, :, None] * level.member[None])
    return out


def _rank_rows(index: np.ndarray) -> np.ndarray:
    """Ranks within each draw, 1 = highest; exact ties broken by position (scores are continuous)."""
    order = np.argsort(-index, axis=1)
    ranked = np.empty_like(order)
    np.put_along_axis(ranked, order, np.arange(1, index.shape[1] + 1)[None, :], axis=1)
    return ranked


def draw_ranks(
    result: IndexResult,
    *,
    draws: int,
    seed: int,
    weights: bool = True,
    normalisation: bool = True,
    aggregation: bool = True,
    estimate: bool = True,
    concentration: float = 20.0,
    chunk: int = 500,
) -> tuple[np.ndarray, np.ndarray]:
    """The Monte Carlo kernel behind :func:`divide.index.engine.monte_carlo` (arguments checked
    there): rank and score draws, draws × municipalities.
    """
    ctx, spec = result.context, result.spec
    rng = np.random.default_rng(seed)
    n = ctx.values.shape[0]
    methods = ctx.normaliser.available() if normalisation else (spec.normalisation,)
    point_method = methods.index(spec.normalisation) if spec.normalisation in methods else 0
    base, drawn = _prepare(result, methods, estimate)
    samples = next(iter(drawn.values())).shape[1] if drawn else 0
    rank_out = np.empty((draws, n), dtype=np.int32)
    score_out = np.empty((draws, n), dtype=np.float32)
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        method = (
            rng.integers(len(methods), size=size) if normalisation else np.full(size, point_method)
        )
        scores = base[method]  # size × n × I
        if drawn:
            which = rng.integers(samples, size=size)  # one estimate draw each
            for column, sample in drawn.items():
                scores[:, :, column] = sample[method, which]
        level_weights = _weights(rng, ctx, size, concentration, weights)
        if aggregation:
            geometric = [rng.random(size) < 0.5 for _ in ctx.levels]
        else:
            geometric = [np.full(size, level.geometric) for level in ctx.levels]
        index = aggregate(scores, level_weights, ctx.available, geometric, ctx.present)[-1][:, :, 0]
        rank_out[start : start + size] = _rank_rows(index)
        score_out[start : start + size] = index
    return rank_out, score_out


def summarise(rank_draws: np.ndarray, score_draws: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """Median and 5–95 % range of each municipality's rank and score over the draws."""
    rank_q = np.quantile(rank_draws, [0.05, 0.5, 0.95], axis=0, method="nearest")
    score_q = np.quantile(score_draws, [0.05, 0.5, 0.95], axis=0)
    return pd.DataFrame(
        {
            "rank_median": rank_q[1].astype(int),
            "rank_p05": rank_q[0].astype(int),
            "rank_p95": rank_q[2].astype(int),
            "score_median": score_q[1],
            "score_p05": score_q[0],
            "score_p95": score_q[2],
        },
        index=index,
    )


def rank_sensitivity(result: IndexResult, *, draws: int, seed: int) -> pd.DataFrame:
    """Mean absolute rank shift from the point ranking when only one choice varies, and all
    together (the kernel behind :meth:`~divide.index.engine.IndexResult.sensitivity`).
    """
    point = result.scores["rank"].to_numpy()
    rows = []
    for factor in (*FACTORS, "all"):
        options = {f: (f == factor or factor == "all") for f in FACTORS}
        if factor == "estimate" and not result.context.estimate_draws:
            rows.append(
                {"factor": factor, "mean_abs_rank_shift": np.nan, "p95_abs_rank_shift": np.nan}
            )
            continue
        rank_draws, _ = draw_ranks(result, draws=draws, seed=seed, **options)
        shift = np.abs(rank_draws - point[None, :])
        rows.append(
            {
                "factor": factor,
                "mean_abs_rank_shift": float(shift.mean()),
                "p95_abs_rank_shift": float(np.quantile(shift, 0.95)),
            }
        )
    table = pd.DataFrame(rows)
    total = table.loc[table["factor"] == "all", "mean_abs_rank_shift"].iloc[0]
    table["share_of_all"] = table["mean_abs_rank_shift"] / total if total > 0 else np.nan
    return table
