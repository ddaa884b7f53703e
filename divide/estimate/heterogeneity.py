"""How much more municipalities differ than prefectures: a bound taken from a behaviour measured
everywhere.

Prefecture survey data cannot show how much municipalities of one prefecture differ in internet use
beyond what age and covariates predict. The My Number Card issuance rate (2022-12-31) is a digital-
administration behaviour counted in every municipality. Its residuals after the same age and
covariate terms (and a constant per prefecture) are split into a between-prefecture variance and a
within-prefecture variance among municipalities (the binomial noise of small populations removed).
Their ratio says how much municipal variation there is per unit of prefecture variation; the
estimate assumes internet use varies between municipalities in the same proportion, and says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import logit

from divide.estimate.structure import COVARIATES


def heterogeneity_ratio(
    national: pd.DataFrame, covariates: pd.DataFrame, offset: np.ndarray, adults: np.ndarray
) -> float:
    """Within-prefecture municipal variance / between-prefecture variance of My Number issuance
    residuals.

    Unweighted over municipalities (the interval is about a municipality, not a resident), binomial
    noise of small municipalities subtracted, never below 1 (a municipality varies at least as much
    as a prefecture).
    """
    rate = (national["mynumber_rate_2022"] / 100).clip(0.01, 0.99)
    valid = rate.notna().to_numpy() & (adults > 0)
    y = logit(rate.to_numpy()[valid])
    x = np.column_stack(
        [np.ones(valid.sum()), offset[valid], covariates[list(COVARIATES)].to_numpy()[valid]]
    )
    residual = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    pref = national["pref_code"].to_numpy()[valid]
    means = pd.Series(residual).groupby(pref).transform("mean").to_numpy()
    between = float(pd.Series(residual).groupby(pref).mean().var())
    p = rate.to_numpy()[valid]
    binomial = 1.0 / (national["population"].to_numpy()[valid].clip(min=1) * p * (1 - p))
    within = float(np.mean((residual - means) ** 2) - np.mean(binomial))
    return max(within / between, 1.0) if between > 0 else 1.0
