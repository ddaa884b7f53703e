"""Benchmark: the national index (three levels, outlier treatment) and 10,000 Monte Carlo draws,
against bare numpy.

The kernel does the same arithmetic on the same arrays (normalised scores of every method, estimate
draws, Dirichlet weights at every level, arithmetic/geometric means with missing parts re-weighted
within their parent, ranks) written inline, with no library code. Both run in this process; the
ratio is what matters. Target: library within 1.5x of the kernel, with treatment applied.
"""

from __future__ import annotations

import time

import numpy as np

import divide
from divide.index import IndexSpec, build_index

DRAWS = 10_000
CHUNK = 500


def three_levels() -> IndexSpec:
    """The default spec with a sub-index level (people + geography: who and where; digital) and
    treatment on.

    Sub-index weights 2 and 1 keep each pillar's nominal share of the index at one third.
    """
    raw = IndexSpec.load().model_dump()
    # lower cut-offs than the default, so that treatment actually changes some national indicators
    # (with the default's, none of Japan's is skewed enough once density is logged)
    raw["treatment"] = {"method": "coinr", "skew": 1.0, "kurtosis": 1.0}
    raw["aggregates"] = [{"id": "who_where", "weight": 2}, {"id": "infrastructure", "weight": 1}]
    for pillar in raw["pillars"]:
        pillar["parent"] = "infrastructure" if pillar["id"] == "digital" else "who_where"
    return IndexSpec.load(raw)


def _level_mean(children, mask, weights, geometric):
    """Weighted means of one level, missing children dropped within their parent (inline numpy)."""
    m = mask.astype(np.float32)
    total = np.maximum(np.matmul(m, weights), np.finfo(np.float32).tiny)
    out = np.matmul(children * m, weights) / total
    logs = np.log1p(100 - np.clip(children[geometric], 0, 100)) * m
    out[geometric] = 100 - np.expm1(np.matmul(logs, weights[geometric]) / total[geometric])
    return out


def bare_kernel(result, draws: int, seed: int) -> np.ndarray:
    """The same draws and arithmetic as the library's Monte Carlo, written inline on the same
    arrays.
    """
    ctx = result.context
    rng = np.random.default_rng(seed)
    methods = ctx.normaliser.available()
    base = np.nan_to_num(np.stack([ctx.normaliser.apply(ctx.values, m) for m in methods])).astype(
        np.float32
    )
    drawn = {
        c: np.stack(
            [ctx.normaliser.apply(s[..., None], m, np.array([c]))[..., 0] for m in methods]
        ).astype(np.float32)
        for c, s in ctx.estimate_draws.items()
    }
    n = ctx.values.shape[0]
    present = np.ones(ctx.values.shape, bool) if ctx.present is None else ctx.present
    out = np.empty((draws, n), dtype=np.int32)
    for start in range(0, draws, CHUNK):
        size = min(CHUNK, draws - start)
        method = rng.integers(len(methods), size=size)
        children = base[method]
        if drawn:
            which = rng.integers(next(iter(drawn.values())).shape[1], size=size)
            for column, sample in drawn.items():
                children[:, :, column] = sample[method, which]
        mask = present
        for level, available in zip(ctx.levels, ctx.available, strict=True):
            within = level.within()
            w = np.zeros((size, len(within)))
            for column in level.member.T:
                k = column > 0
                w[:, k] = rng.gamma(within[k] * 20 * k.sum(), size=(size, k.sum()))
            weights = (w[:, :, None] * level.member[None]).astype(np.float32)
            geometric = rng.random(size) < 0.5
            children = np.where(
                available[None], _level_mean(children, mask, weights, geometric), 0.0
            )
            mask = available
        index = children[:, :, 0]
        order = np.argsort(-index, axis=1)
        np.put_along_axis(out[start : start + size], order, np.arange(1, n + 1)[None, :], axis=1)
    return out


def main() -> None:
    frame = divide.load_frame(None)
    start = time.perf_counter()
    geo = divide.add_geography(frame)
    estimate = divide.estimate_offline(frame, draws=1000, validate=False)
    inputs = time.perf_counter() - start
    start = time.perf_counter()
    result = build_index(geo, three_levels(), estimate=estimate)
    built = time.perf_counter() - start
    start = time.perf_counter()
    table = result.uncertainty(draws=DRAWS, seed=0)
    library = time.perf_counter() - start
    start = time.perf_counter()
    bare_kernel(result, DRAWS, 0)
    kernel = time.perf_counter() - start
    print(f"inputs (geography + estimate, {len(frame)} municipalities): {inputs:6.2f} s")
    kept = result.treatment["treatment"].str.startswith("None")
    treated = result.treatment.loc[~kept, "indicator"].tolist()
    print(
        f"build_index (three levels, treatment applied to {len(treated)} indicators: "
        f"{', '.join(treated)}): {built:6.3f} s"
    )
    print(
        f"uncertainty, {DRAWS:,} draws: library {library:6.2f} s; bare numpy kernel {kernel:6.2f} "
        "s; "
        f"ratio {library / kernel:4.2f}x (target <= 1.5x)"
    )
    assert len(table) == len(frame)


if __name__ == "__main__":
    main()
