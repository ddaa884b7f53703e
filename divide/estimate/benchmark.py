"""The analyst's own evidence: a resident survey, or the prefecture's published rates, moves the
estimate of the municipalities it covers, by its precision (small-area benchmarking).

For each surveyed group (one or several municipalities, residents 15+ or an age band), the model
gives the group's offline share in every simulation draw; on the logit scale its spread is the
model's variance ``V_m``. The survey gives a share with variance ``V_s = deff / (n p (1 - p))``.
The group moves toward the survey by the weight ``K = V_m / (V_m + V_s)`` (a precise survey of
2,000 respondents moves it nearly all the way; 20 respondents move it little), and its draws are
updated as an ensemble Kalman filter does: each draw moves by ``K`` toward the survey plus a draw
of the survey's own noise, so the spread shrinks to ``(1 - K) V_m``. The move is one logit shift
shared by the group's municipalities (the model's own form of an area effect), found so that the
group's share lands exactly where it should; their age profile moves with it. Groups are applied in
the order given; a municipality in two groups takes both moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from divide.constants import ADULT_FROM_BAND
from divide.estimate.by_age import band_matrix


@dataclass(frozen=True)
class Evidence:
    """What benchmarking works on: per municipality, residents by band and the area shift ``η``
    (point: n; draws: D × n), with the age curve of the point and of each draw.
    """

    population: np.ndarray
    use_point: np.ndarray
    use_draws: np.ndarray
    eta_point: np.ndarray
    eta_draws: np.ndarray


def _band_weights(row: pd.Series) -> np.ndarray:
    """The residents of each register band that the survey row speaks for (21 weights)."""
    if np.isnan(row["age_lo"]):
        weights = np.zeros(21)
        weights[ADULT_FROM_BAND:] = 1.0
        return weights
    hi = None if np.isnan(row["age_hi"]) else int(row["age_hi"])
    return band_matrix(((int(row["age_lo"]), hi),))[0]


def _group_share(
    population: np.ndarray, base: np.ndarray, eta: np.ndarray, shift: np.ndarray
) -> np.ndarray:
    """Offline share of the group (members × 21 ``population`` already weighted by band) for
    ``eta`` (D × members) moved by ``shift`` (D).
    """
    offline = population * (1 - expit(base + (eta + shift[:, None])[..., None]))
    return offline.sum(axis=(-1, -2)) / population.sum()


def _shift_to(
    population: np.ndarray, base: np.ndarray, eta: np.ndarray, target: np.ndarray
) -> np.ndarray:
    """The logit shift (per draw) that brings the group's offline share to ``target``."""
    shift = np.zeros(eta.shape[0])
    for _ in range(100):
        p = expit(base + (eta + shift[:, None])[..., None])
        value = (population * (1 - p)).sum(axis=(-1, -2)) / population.sum() - target
        slope = -(population * p * (1 - p)).sum(axis=(-1, -2)) / population.sum()
        step = value / np.where(np.abs(slope) > 1e-15, slope, -1e-15)
        shift -= step
        if np.max(np.abs(step)) < 1e-12:
            break
    return shift


def benchmark(
    evidence: Evidence, survey: pd.DataFrame, codes: pd.Index, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Move ``η`` toward every survey group; returns (η point, η draws, one report row per group)."""
    eta_point, eta_draws = evidence.eta_point.copy(), evidence.eta_draws.copy()
    base_point = logit(np.clip(evidence.use_point, 1e-9, 1 - 1e-9))[None, None, :]
    base_draws = logit(np.clip(evidence.use_draws, 1e-9, 1 - 1e-9))[:, None, :]
    report = []
    for _, row in survey.iterrows():
        members = codes.get_indexer(list(row["codes"]))
        members = members[members >= 0]
        population = evidence.population[members] * _band_weights(row)[None, :]
        before_point = _group_share(population, base_point, eta_point[None, members], np.zeros(1))[
            0
        ]
        before = _group_share(
            population, base_draws, eta_draws[:, members], np.zeros(len(eta_draws))
        )
        model_var = float(np.var(logit(before)))
        p = row["offline_share"]
        survey_var = row["design_effect"] / (row["n"] * p * (1 - p))
        gain = model_var / (model_var + survey_var)
        noise = rng.normal(0.0, np.sqrt(survey_var), size=len(before))
        target = expit(logit(before) + gain * (logit(p) + noise - logit(before)))
        target_point = expit(logit(before_point) + gain * (logit(p) - logit(before_point)))
        eta_draws[:, members] += _shift_to(population, base_draws, eta_draws[:, members], target)[
            :, None
        ]
        eta_point[members] += _shift_to(
            population, base_point, eta_point[None, members], np.array([target_point])
        )[0]
        report.append(
            {
                "label": row["label"],
                "municipalities": len(members),
                "year": int(row["year"]),
                "age_band": "15+"
                if np.isnan(row["age_lo"])
                else f"{int(row['age_lo'])}"
                + ("+" if np.isnan(row["age_hi"]) else f"-{int(row['age_hi'])}"),
                "n": row["n"],
                "survey_offline_share": p,
                "model_offline_share": before_point,
                "benchmarked_offline_share": target_point,
                "weight_of_survey": gain,
            }
        )
    return eta_point, eta_draws, pd.DataFrame(report)
