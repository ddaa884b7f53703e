"""For whom: the offline residents of a municipality by age band, from the same draws as the total.

The model holds a use probability for every 5-year age band (the age curve) and, per municipality,
one area shift on the logit scale: the shift ``η`` for which the residents' adult-weighted mean of
``1 - expit(logit(use_b) + η)`` equals the municipality's offline share (:func:`area_shift`). A
band's offline count is its residents times its shifted rate; the bands of a municipality add up to
its offline count exactly, in the point estimate and in every simulation draw, because each draw's
shift is solved from that draw's share (with that draw's age curve).

Age bands are given as ``(lo, hi)`` years (``hi`` None: open); a band that cuts a 5-year register
band takes the part of it that falls inside, assuming residents spread evenly over its five years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import ADULT_FROM_BAND, BAND_WIDTH, MAX_AGE, N_BANDS
from divide.errors import DivideParameterError

DEFAULT_BANDS: tuple[tuple[int, int | None], ...] = ((15, 39), (40, 64), (65, 74), (75, None))
CHUNK = 100  # draws solved at a time (memory: chunk × municipalities × 21 bands)


def band_label(band: tuple[int, int | None]) -> str:
    """``"15-39"`` or ``"75+"``."""
    lo, hi = band
    return f"{lo}+" if hi is None else f"{lo}-{hi}"


def check_bands(bands: tuple[tuple[int, int | None], ...]) -> tuple[tuple[int, int | None], ...]:
    """Bands within ages 15+, in order, not overlapping (they need not cover every age)."""
    checked = []
    previous_end = ADULT_FROM_BAND * BAND_WIDTH - 1
    for band in bands:
        lo, hi = (band[0], band[1]) if len(band) == 2 else (None, None)
        top = MAX_AGE if hi is None else hi
        if lo is None or lo <= previous_end or top < lo:
            raise DivideParameterError(
                f"age bands must be (lo, hi) pairs from 15 on, in order and not overlapping; "
                f"hi None for an open band (got {bands!r})"
            )
        checked.append((int(lo), None if hi is None else int(hi)))
        previous_end = top
    return tuple(checked)


def band_matrix(bands: tuple[tuple[int, int | None], ...]) -> np.ndarray:
    """Bands × 21 register bands: the share of each register band that falls inside each band."""
    ages = np.arange(N_BANDS * BAND_WIDTH).reshape(N_BANDS, BAND_WIDTH)
    out = np.zeros((len(bands), N_BANDS))
    for row, (lo, hi) in enumerate(bands):
        top = MAX_AGE if hi is None else hi
        out[row] = ((ages >= lo) & (ages <= top)).mean(axis=1)
    return out


def area_shift(population: np.ndarray, use_by_band: np.ndarray, share: np.ndarray) -> np.ndarray:
    """η per municipality (and draw) so that the adult-weighted offline rate equals ``share``.

    ``population``: n × 21 residents by band; ``use_by_band``: 21, or D × 21 (one curve per draw);
    ``share``: n, or D × n. Returns n or D × n. Newton on a monotone function.

    Examples
    --------
    >>> import numpy as np
    >>> population = np.tile(np.arange(1.0, 22.0), (2, 1))
    >>> use = np.linspace(0.99, 0.2, 21)
    >>> eta = area_shift(population, use, np.array([0.2, 0.3]))
    >>> adult = population[:, 3:]
    >>> offline = (adult * (1 - 1 / (1 + np.exp(-(np.log(use[3:] / (1 - use[3:])) + eta[:, None]))))).sum(1)
    >>> np.round(offline / adult.sum(1), 6).tolist()
    [0.2, 0.3]
    """
    adult = population[:, ADULT_FROM_BAND:]
    weights = adult / np.maximum(adult.sum(axis=1, keepdims=True), 1e-12)
    base = logit(np.clip(np.asarray(use_by_band)[..., ADULT_FROM_BAND:], 1e-9, 1 - 1e-9))
    if base.ndim == 2:
        base = base[:, None, :]  # D × 1 × bands
    share = np.asarray(share, dtype=float)
    eta = np.zeros(share.shape)
    for _ in range(100):
        p = expit(base + eta[..., None])
        offline = (weights * (1 - p)).sum(axis=-1)
        slope = -(weights * p * (1 - p)).sum(axis=-1)
        step = (offline - share) / np.where(np.abs(slope) > 1e-12, slope, -1e-12)
        eta = eta - step
        if np.max(np.abs(step)) < 1e-12:
            break
    return eta


def offline_by_band(population: np.ndarray, use_by_band: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Offline residents per register band: n × 21 (or D × n × 21), 0 below age 15."""
    base = logit(np.clip(np.asarray(use_by_band), 1e-9, 1 - 1e-9))
    if base.ndim == 2:
        base = base[:, None, :]
    offline = population * (1 - expit(base + eta[..., None]))
    offline[..., :ADULT_FROM_BAND] = 0.0
    return offline


def solve_shift_draws(
    population: np.ndarray, use_draws: np.ndarray, share_draws: np.ndarray
) -> np.ndarray:
    """:func:`area_shift` of every draw (D × n), solved in chunks of draws to bound memory."""
    out = np.empty(share_draws.shape)
    for start in range(0, share_draws.shape[0], CHUNK):
        part = slice(start, start + CHUNK)
        out[part] = area_shift(population, use_draws[part], share_draws[part])
    return out


def by_age_table(
    codes: pd.Index,
    population: np.ndarray,
    use_point: np.ndarray,
    share_point: np.ndarray,
    use_draws: np.ndarray,
    share_draws: np.ndarray,
    bands: tuple[tuple[int, int | None], ...] = DEFAULT_BANDS,
    shift_draws: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The long table (code, age_band, residents, offline_share, offline_count, _lo, _hi) and the
    D × n × bands draws of the counts.

    ``shift_draws``: the area shift of every municipality in every draw (:func:`shift_draws`),
    when it was solved before: it does not depend on the bands, so one solution serves every
    grouping of ages.
    """
    bands = check_bands(bands)
    matrix = band_matrix(bands)
    point = offline_by_band(population, use_point, area_shift(population, use_point, share_point))
    if shift_draws is None:
        shift_draws = solve_shift_draws(population, use_draws, share_draws)
    draws = np.empty((share_draws.shape[0], len(codes), len(bands)))
    for start in range(0, share_draws.shape[0], CHUNK):
        part = slice(start, start + CHUNK)
        draws[part] = offline_by_band(population, use_draws[part], shift_draws[part]) @ matrix.T
    counts = point @ matrix.T
    residents = population @ matrix.T
    lo, hi = np.quantile(draws, [0.05, 0.95], axis=0)
    table = pd.DataFrame(
        {
            "code": np.repeat(np.asarray(codes), len(bands)),
            "age_band": np.tile([band_label(b) for b in bands], len(codes)),
            "residents": residents.ravel(),
            "offline_share": np.where(
                residents > 0, counts / np.maximum(residents, 1e-12), np.nan
            ).ravel(),
            "offline_count": counts.ravel(),
            "offline_count_lo": np.minimum(lo, counts).ravel(),
            "offline_count_hi": np.maximum(hi, counts).ravel(),
        }
    )
    return table, draws
