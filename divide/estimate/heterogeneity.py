"""How much more municipalities differ than prefectures: a ratio taken from behaviours measured
everywhere.

Prefecture survey data cannot show how much municipalities of one prefecture differ in internet use
beyond what age and covariates predict. A digital-administration behaviour counted in every
municipality can: My Number Card issuance (2020-12-31 and 2022-12-31) and holding (2024, Digital
Agency dashboard). The residuals of each, after the same age and covariate terms, are split into
a between-prefecture variance and a within-prefecture variance among municipalities (the binomial
noise of small populations removed). Their ratio says how much municipal variation there is per
unit of prefecture variation. The estimate assumes internet use varies between municipalities in
the same proportion; since the proxies disagree (the ratios run from about 1.7 to 6.6), each
simulation draw takes the ratio of one proxy, and the interval carries the disagreement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import logit

PROXIES = ("mynumber_rate_2020", "mynumber_rate_2022", "card_holding_pct")  # percentages


def heterogeneity_ratio(
    rate_pct: pd.Series,
    prefectures: np.ndarray,
    design: np.ndarray,
    population: np.ndarray,
) -> float:
    """Within-prefecture municipal variance / between-prefecture variance of a proxy's residuals.

    Unweighted over municipalities (the interval is about a municipality, not a resident), binomial
    noise of small municipalities subtracted, never below 1 (a municipality varies at least as much
    as a prefecture). ``design``: constant, age offset and covariates of every municipality.
    """
    rate = (rate_pct / 100).clip(0.01, 0.99).to_numpy(dtype=float)
    valid = np.isfinite(rate) & (population > 0)
    y = logit(rate[valid])
    x = design[valid]
    residual = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    pref = prefectures[valid]
    means = pd.Series(residual).groupby(pref).transform("mean").to_numpy()
    between = float(pd.Series(residual).groupby(pref).mean().var())
    binomial = 1.0 / (population[valid].clip(min=1) * rate[valid] * (1 - rate[valid]))
    within = float(np.mean((residual - means) ** 2) - np.mean(binomial))
    return max(within / between, 1.0) if between > 0 else 1.0


def heterogeneity_ratios(
    national: pd.DataFrame, covariates: np.ndarray, offset: np.ndarray
) -> dict[str, float]:
    """The ratio of every proxy the frame holds (proxy column -> ratio)."""
    design = np.column_stack([np.ones(len(offset)), offset, covariates])
    prefectures = national["pref_code"].to_numpy()
    population = national["population"].to_numpy(dtype=float)
    return {
        proxy: heterogeneity_ratio(national[proxy], prefectures, design, population)
        for proxy in PROXIES
        if proxy in national and national[proxy].notna().sum() > 100
    }
