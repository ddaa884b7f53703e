"""Benchmark: the national index and 10,000 Monte Carlo draws, against a bare numpy kernel.

The kernel does the same arithmetic on the same arrays (normalised scores of every method, estimate
draws, Dirichlet weights, arithmetic/geometric means, ranks) written inline, with no library code.
Both run in this process; the ratio is what matters. Target: library within 3x of the kernel.
"""

from __future__ import annotations

import time

import numpy as np

import divide
from divide.index import build_index

DRAWS = 10_000
CHUNK = 500


def bare_kernel(result, draws: int, seed: int) -> np.ndarray:
    """The same draws and arithmetic as the library's Monte Carlo, written inline on the same arrays."""
    ctx = result.context
    rng = np.random.default_rng(seed)
    methods = ctx.normaliser.available()
    base = np.stack([ctx.normaliser.apply(ctx.values, m) for m in methods]).astype(np.float32)
    drawn = {c: np.stack([ctx.normaliser.apply(s[..., None], m, np.array([c]))[..., 0] for m in methods])
             .astype(np.float32) for c, s in ctx.estimate_draws.items()}
    n, n_ind = ctx.values.shape
    members = [ctx.membership[:, p] > 0 for p in range(ctx.membership.shape[1])]
    membership = ctx.membership.astype(np.float32)
    out = np.empty((draws, n), dtype=np.int32)
    for start in range(0, draws, CHUNK):
        size = min(CHUNK, draws - start)
        method = rng.integers(len(methods), size=size)
        scores = base[method]
        if drawn:
            which = rng.integers(next(iter(drawn.values())).shape[1], size=size)
            for column, sample in drawn.items():
                scores[:, :, column] = sample[method, which]
        w = np.zeros((size, n_ind), dtype=np.float32)
        for mask in members:
            w[:, mask] = rng.gamma(ctx.indicator_weights[mask] * 20 * mask.sum(), size=(size, mask.sum()))
        v = rng.gamma(ctx.pillar_weights * 20 * len(ctx.pillar_weights), size=(size, len(ctx.pillar_weights)))
        geo_i, geo_p = rng.random(size) < 0.5, rng.random(size) < 0.5
        wp = w[:, :, None] * membership[None]
        wp /= wp.sum(axis=1, keepdims=True)
        pillars = np.matmul(scores, wp)
        pillars[geo_i] = 100 - np.expm1(np.matmul(np.log1p(100 - np.clip(scores[geo_i], 0, 100)), wp[geo_i]))
        vp = v.astype(np.float32)[:, None, :] * ctx.available[None]
        vp /= vp.sum(axis=2, keepdims=True)
        pillars = np.where(ctx.available[None], pillars, 0.0)
        index = (pillars * vp).sum(axis=2)
        index[geo_p] = 100 - np.expm1((np.log1p(100 - np.clip(pillars[geo_p], 0, 100)) * vp[geo_p]).sum(axis=2))
        order = np.argsort(-index, axis=1)
        np.put_along_axis(out[start:start + size], order, np.arange(1, n + 1)[None, :], axis=1)
    return out


def main() -> None:
    frame = divide.load_frame(None)
    start = time.perf_counter()
    geo = divide.add_geography(frame)
    estimate = divide.estimate_offline(frame, draws=1000, validate=False)
    inputs = time.perf_counter() - start
    start = time.perf_counter()
    result = build_index(geo, estimate=estimate)
    built = time.perf_counter() - start
    start = time.perf_counter()
    table = result.uncertainty(draws=DRAWS, seed=0)
    library = time.perf_counter() - start
    start = time.perf_counter()
    bare_kernel(result, DRAWS, 0)
    kernel = time.perf_counter() - start
    print(f"inputs (geography + estimate, {len(frame)} municipalities): {inputs:6.2f} s")
    print(f"build_index: {built:6.3f} s")
    print(f"uncertainty, {DRAWS:,} draws: library {library:6.2f} s; bare numpy kernel {kernel:6.2f} s; "
          f"ratio {library / kernel:4.2f}x (target <= 3x)")
    assert len(table) == len(frame)


if __name__ == "__main__":
    main()
