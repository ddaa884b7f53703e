"""Normalisation of indicators to *gap scores*: 0 = narrowest gap, 100 = widest, higher always
worse.

Each method is fitted on a reference set (the frame itself, or all of Japan so that prefectures and
years stay comparable) and then applied to any values, so Monte Carlo draws of an uncertain
indicator are read on the same scale as the point values:

* ``minmax``: 100 (x - min) / (max - min), clipped to 0-100 outside the reference range;
* ``zscore``: 50 + 10 z (a T-score: mean 50, one standard deviation = 10 points);
* ``rank``: percentile of x among the reference values (mid-ranks for ties), 0-100;
* ``goalposts``: 100 (x - lo) / (hi - lo) with the spec's fixed bounds, clipped: the same bounds
  every year, so a municipality improves on its own and not only relative to others.

Direction -1 (higher is better) is applied by reading ``-x``. Scores are invariant to the unit of an
indicator under min-max, z-score and rank (a positive scale or a shift changes nothing).

Outlier treatment (:mod:`divide.index.treat`) belongs to the data-driven methods: min-max, z-score
and rank read the treated values, fitted and applied here; goalposts read the values as they are,
because fixed bounds are already immune to outliers and a data-driven cap would move them from year
to year.
"""

from __future__ import annotations

import numpy as np

from divide.index.treat import Treated

METHODS = ("minmax", "zscore", "rank", "goalposts")


class Normaliser:
    """Per-indicator parameters of every method, fitted on reference values (n_ref × I, NaN
    allowed).
    """

    def __init__(
        self,
        reference: np.ndarray,
        directions: np.ndarray,
        goalposts: list[tuple[float, float] | None],
        treatments: list[Treated] | None = None,
    ) -> None:
        self.treatments = treatments or [None] * reference.shape[1]
        oriented = self._treat(reference, np.arange(reference.shape[1])) * directions
        self.directions = directions
        self.low = np.nanmin(oriented, axis=0)
        self.high = np.nanmax(oriented, axis=0)
        self.mean = np.nanmean(oriented, axis=0)
        self.std = np.nanstd(oriented, axis=0)
        self.sorted = [np.sort(column[~np.isnan(column)]) for column in oriented.T]
        self.goal_low = np.array(
            [
                np.nan if g is None else (g[0] if d > 0 else -g[1])
                for g, d in zip(goalposts, directions, strict=True)
            ]
        )
        self.goal_high = np.array(
            [
                np.nan if g is None else (g[1] if d > 0 else -g[0])
                for g, d in zip(goalposts, directions, strict=True)
            ]
        )
        self.constant = ~(self.high > self.low)

    def _treat(self, values: np.ndarray, columns: np.ndarray) -> np.ndarray:
        out = np.array(values, dtype=float, copy=True)
        for k, column in enumerate(columns):
            treatment = self.treatments[column]
            if treatment is not None and treatment.method != "none":
                out[..., k] = treatment.apply(out[..., k])
        return out

    def available(self) -> tuple[str, ...]:
        """Methods usable for every indicator (goalposts only when all indicators declare them)."""
        return METHODS if np.isfinite(self.goal_low).all() else METHODS[:3]

    def apply(
        self, values: np.ndarray, method: str, columns: np.ndarray | None = None
    ) -> np.ndarray:
        """Gap scores of ``values`` (… × I, or … × len(columns) for a subset of indicators)."""
        idx = np.arange(len(self.low)) if columns is None else np.asarray(columns)
        x = (values if method == "goalposts" else self._treat(values, idx)) * self.directions[idx]
        if method == "minmax":
            span = np.where(self.constant[idx], 1.0, self.high[idx] - self.low[idx])
            out = np.clip(100.0 * (x - self.low[idx]) / span, 0.0, 100.0)
            return np.where(self.constant[idx], 50.0, out)
        if method == "zscore":
            std = np.where(self.std[idx] > 0, self.std[idx], 1.0)
            return 50.0 + 10.0 * (x - self.mean[idx]) / std
        if method == "rank":
            out = np.empty_like(x, dtype=float)
            for k, column in enumerate(idx):
                reference = self.sorted[column]
                below = np.searchsorted(reference, x[..., k], side="left")
                upto = np.searchsorted(reference, x[..., k], side="right")
                position = (below + upto - 1) / 2.0  # mid-rank, 0-based
                out[..., k] = 100.0 * position / max(len(reference) - 1, 1)
            return np.clip(out, 0.0, 100.0)
        if method == "goalposts":
            lo, hi = self.goal_low[idx], self.goal_high[idx]
            return np.clip(100.0 * (x - lo) / (hi - lo), 0.0, 100.0)
        raise ValueError(f"unknown normalisation {method!r}; one of {', '.join(METHODS)}")
