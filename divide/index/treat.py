"""Outlier treatment as COINr documents it: winsorise while skewed and heavy-tailed, else a log-type
transform.

COINr's ``treat()`` default (JRC, ``coin_win``): while |skewness| > 2 *and* kurtosis > 3.5 (e1071
type 2, excess kurtosis), the most extreme value(s) on the side of the skew are set to the next
value inward, one step at a time, up to ``winmax`` steps (default: 10% of the units, rounded up). If
the indicator is still skewed after ``winmax`` steps, the winsorisation is undone and the original
values are log-transformed instead: log(x − min + 0.01 (max − min)) (COINr6's ``CTLog``, what
COINr's ``build_ASEM`` used; COINr ≥ 1.0's ``Treat`` defaults to winmax 5). That log lengthens a
*left* tail, so for a negative skew divide reflects it, −log(max − x + 0.01 (max − min)) (COINr's
``log_CT_plus`` idea), which keeps the order of the values and shortens the long tail; COINr6 would
log it unreflected.

A treatment is *fitted* on the reference values (the prefecture, or all of Japan) and then *applied*
to any values: winsorisation is a clip at the fitted caps, the log uses the fitted min and max.
Monte Carlo draws of an uncertain indicator are therefore treated exactly as the point values are.

An indicator with three distinct values or fewer (a designation such as 過疎 whole / partial / none)
is never treated: its rare values are the signal, and winsorising them would make it constant (COINr
stops with an error there); the report says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from divide.index.spec import Treatment

CATEGORIES = (
    3  # an indicator with this many distinct values or fewer is a category, not a measurement
)


def _centred(x: np.ndarray) -> tuple[int, np.ndarray, float]:
    """Size, deviations from the mean and the population variance m2 of the non-missing values."""
    x = x[~np.isnan(x)]
    d = x - x.mean() if x.size else x
    return x.size, d, float(np.mean(d**2)) if x.size else 0.0


def skewness(x: np.ndarray) -> float:
    """Sample skewness G1 (e1071 type 2, SAS/SPSS): g1 √(n(n−1)) / (n−2), g1 = m3 / m2^1.5."""
    n, d, m2 = _centred(x)
    if n < 3 or m2 == 0:
        return 0.0
    return float(np.mean(d**3) / m2**1.5 * math.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis G2 (e1071 type 2): ((n+1) g2 + 6)(n−1) / ((n−2)(n−3)), g2 = m4 / m2² −
    3.
    """
    n, d, m2 = _centred(x)
    if n < 4 or m2 == 0:
        return 0.0
    g2 = np.mean(d**4) / m2**2 - 3.0
    return float(((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3)))


@dataclass(frozen=True)
class Treated:
    """What the treatment did to one indicator, and how to do it again to other values."""

    indicator: str
    method: str  # "none", "winsorised", "log"
    steps: int = 0  # winsorisation steps (COINr's "Winsorised n points")
    low_cap: float = -math.inf
    high_cap: float = math.inf
    low_points: int = 0  # reference values raised to the low cap
    high_points: int = 0  # reference values lowered to the high cap
    log_min: float = 0.0
    log_max: float = 0.0
    log_offset: float = 0.0
    reflected: bool = False  # the log of a negative skew: −log(max − x + offset)
    reason: str = ""  # why a skewed indicator was left as it is
    skew_before: float = 0.0
    kurtosis_before: float = 0.0
    skew_after: float = 0.0
    kurtosis_after: float = 0.0

    def apply(self, values: np.ndarray) -> np.ndarray:
        """The treated values (any shape); the log clips at the reference minimum so it stays
        defined.
        """
        if self.method == "winsorised":
            return np.clip(values, self.low_cap, self.high_cap)
        if self.method == "log" and self.reflected:
            return -np.log(
                self.log_max - np.clip(values, self.log_min, self.log_max) + self.log_offset
            )
        if self.method == "log":
            return np.log(np.maximum(values, self.log_min) - self.log_min + self.log_offset)
        return values

    def describe(self) -> str:
        """COINr's wording (``TreatSummary``), so that the two reports can be compared line by line."""
        if self.method == "winsorised":
            return f"Winsorised {self.steps} points"
        if self.method == "log":
            return (
                "CTLog reflected (negative skew, exceeded winmax)"
                if self.reflected
                else "CTLog (exceeded winmax)"
            )
        return f"None ({self.reason})" if self.reason else "None"


def _skewed(x: np.ndarray, rule: Treatment) -> bool:
    return abs(skewness(x)) > rule.skew and kurtosis(x) > rule.kurtosis


def _winsorise(x: np.ndarray, rule: Treatment, winmax: int) -> tuple[np.ndarray, int, bool, bool]:
    """COINr's ``coin_win``: one extreme value (and its ties) at a time, on the side of the skew."""
    x = x.copy()
    steps, moved_low, moved_high = 0, False, False
    while _skewed(x, rule) and steps < winmax:
        high = skewness(x) >= 0
        extreme = np.nanmax(x) if high else np.nanmin(x)
        at = x == extreme
        rest = x[~at & ~np.isnan(x)]
        if rest.size == 0:
            break  # one value left: nothing to winsorise towards
        x[at] = rest.max() if high else rest.min()
        moved_high, moved_low = moved_high or high, moved_low or not high
        steps += 1
    return x, steps, moved_low, moved_high


def fit(
    indicator: str, reference: np.ndarray, rule: Treatment, units: int | None = None
) -> Treated:
    """The treatment of one indicator fitted on its (imputed) reference values.

    ``units``: the number of units ``winmax`` defaults from (10%, rounded up), as COINr counts them.
    """
    x = np.asarray(reference, dtype=float)
    before = {"skew_before": skewness(x), "kurtosis_before": kurtosis(x)}
    untreated = {
        **before,
        "skew_after": before["skew_before"],
        "kurtosis_after": before["kurtosis_before"],
    }
    if rule.method == "none" or not _skewed(x, rule):
        return Treated(indicator, "none", **untreated)
    if np.unique(x[~np.isnan(x)]).size <= CATEGORIES:
        return Treated(
            indicator,
            "none",
            reason=f"{CATEGORIES} distinct values or fewer: a category, not treated",
            **untreated,
        )
    winmax = rule.winmax if rule.winmax is not None else math.ceil(0.1 * (units or x.size))
    treated, steps, moved_low, moved_high = _winsorise(x, rule, winmax)
    if _skewed(treated, rule):
        low, high = float(np.nanmin(x)), float(np.nanmax(x))
        logged = Treated(
            indicator,
            "log",
            steps=steps,
            log_min=low,
            log_max=high,
            log_offset=0.01 * (high - low),
            reflected=before["skew_before"] < 0,
            **before,
        )
        after = logged.apply(x)
        return Treated(
            **{**logged.__dict__, "skew_after": skewness(after), "kurtosis_after": kurtosis(after)}
        )
    low_cap = float(np.nanmin(treated)) if moved_low else -math.inf
    high_cap = float(np.nanmax(treated)) if moved_high else math.inf
    return Treated(
        indicator,
        "winsorised",
        steps=steps,
        low_cap=low_cap,
        high_cap=high_cap,
        low_points=int(np.sum(x < low_cap)),
        high_points=int(np.sum(x > high_cap)),
        **before,
        skew_after=skewness(treated),
        kurtosis_after=kurtosis(treated),
    )


def report(treated: list[Treated]) -> list[dict[str, object]]:
    """One row per indicator: what was done, how many points moved, skewness and kurtosis before and
    after.
    """
    return [
        {
            "indicator": t.indicator,
            "treatment": t.describe(),
            "method": t.method,
            "steps": t.steps,
            "reflected": t.reflected,
            "low_points": t.low_points,
            "high_points": t.high_points,
            "low_cap": t.low_cap if math.isfinite(t.low_cap) else None,
            "high_cap": t.high_cap if math.isfinite(t.high_cap) else None,
            "skew_before": t.skew_before,
            "kurtosis_before": t.kurtosis_before,
            "skew_after": t.skew_after,
            "kurtosis_after": t.kurtosis_after,
        }
        for t in treated
    ]
