"""How well the estimate does where it can be checked: held-out prefectures, and each prefecture's
published rates.

Every named area model, and the chosen mix of them, is validated by leaving each prefecture out
(refit on the other 46, predict its three published rates). A held-out rate's 90 % interval covers
the parameter uncertainty and the survey's over-dispersed sampling noise; for a mix it is the
mixture of the models' predictive distributions with the weights the prefecture's municipalities
carry. It validates the interval of a *prefecture's published rate*, not of a municipality's share
(no municipal survey exists to check that against).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, logit
from scipy.stats import norm

from divide.constants import Z90
from divide.estimate.area_model import AreaData, AreaModel, predict_rate, validation_row
from divide.estimate.fit import Fit
from divide.estimate.models import MODELS, ModelChoice, fit_models
from divide.notes import Note, note


def mixed_use(
    area: AreaData,
    models: dict[str, AreaModel],
    placement: dict[str, np.ndarray],
    year: int,
    members: np.ndarray,
) -> float:
    """The adult-weighted mean use of ``members`` in ``year`` under a mix of models (the weighted
    mean of their logits, municipality by municipality).
    """
    logits = 0.0
    for name, model in models.items():
        x = area.subset(MODELS[name]).covariates[members]
        eta = area.offset(year)[members] + model.design(x, year) @ model.params
        logits = logits + placement[name][members] * eta
    weights = area.weights[members]
    return float(np.average(expit(logits), weights=weights))


def _mixture_interval(
    centres: np.ndarray, spreads: np.ndarray, weights: np.ndarray
) -> tuple[float, float]:
    """5 % and 95 % quantiles (logit scale) of a mixture of normals."""

    def cdf(x: float) -> float:
        return float(weights @ norm.cdf(x, centres, spreads))

    low, high = centres.min() - 10, centres.max() + 10
    return brentq(lambda x: cdf(x) - 0.05, low, high), brentq(lambda x: cdf(x) - 0.95, low, high)


def _held_out_row(
    area: AreaData,
    refits: dict[str, AreaModel],
    placement: dict[str, np.ndarray],
    pref: str,
    row: object,
) -> dict[str, float]:
    """The mix's prediction of one held-out prefecture-year, with its 90 % interval."""
    members = area.members(pref)
    predicted = mixed_use(area, refits, placement, int(row.year), members)
    centres, spreads, weights = [], [], []
    for name, model in refits.items():
        single = predict_rate(model, area.subset(MODELS[name]), pref, int(row.year), row.sample_n)
        centres.append(logit(single["predicted"]))
        spreads.append(single["predicted_se_logit"])
        weights.append(np.average(placement[name][members], weights=area.weights[members]))
    lo, hi = _mixture_interval(np.array(centres), np.array(spreads), np.array(weights))
    return {
        "predicted": predicted,
        "lo": float(min(expit(lo), predicted)),
        "hi": float(max(expit(hi), predicted)),
    }


def leave_one_out_all(
    area: AreaData, names: tuple[str, ...], choice: ModelChoice, placement: dict[str, np.ndarray]
) -> dict[str, pd.DataFrame]:
    """Held-out predictions of every model in ``names`` and of ``choice`` (one refit per
    prefecture and model, shared).
    """
    rows: dict[str, list[dict]] = {name: [] for name in (*names, choice.name)}
    for pref in sorted(area.rows["pref_code"].unique()):
        refits = fit_models(area.without(pref), tuple(dict.fromkeys((*names, *choice.models))))
        for r in area.rows[area.rows["pref_code"] == pref].itertuples():
            base = {"pref_code": pref, "year": int(r.year), "rate": r.rate, "sample_n": r.sample_n}
            for name in names:
                subset = area.subset(MODELS[name])
                rows[name].append(
                    {**base, **predict_rate(refits[name], subset, pref, int(r.year), r.sample_n)}
                )
            if choice.name not in names:
                chosen = {name: refits[name] for name in choice.models}
                rows[choice.name].append(
                    {**base, **_held_out_row(area, chosen, placement, pref, r)}
                )
    return {
        name: pd.DataFrame(found).sort_values(["pref_code", "year"]).reset_index(drop=True)
        for name, found in rows.items()
        if found
    }


def validation(
    area: AreaData, choice: ModelChoice, placement: dict[str, np.ndarray], validate: bool = True
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """(one row per named model and the choice: MAE, RMSE, max error, 90 % coverage; each one's
    held-out predictions). Without ``validate`` only the choice itself is held out (its residuals
    give the persistent area variance).
    """
    names = tuple(MODELS) if validate else ()
    if not validate and choice.name in MODELS:
        names = (choice.name,)
    loo = leave_one_out_all(area, names, choice, placement)
    if not validate:
        return pd.DataFrame(), loo
    return pd.DataFrame([validation_row(name, found) for name, found in loo.items()]), loo


def prefecture_check(frame: object, fit: Fit, loo: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per prefecture of ``frame`` and survey year: the adult-weighted mean of the municipal
    estimates beside the published rate, and the held-out prediction with its interval.
    """
    published = fit.rows.set_index(["pref_code", "year"])
    held = loo.get(fit.choice.name, pd.DataFrame())
    out = []
    for pref in sorted(frame.municipalities["pref_code"].unique()):
        members = fit.area.members(pref)
        for year in fit.reference.years:
            use = mixed_use(fit.area, fit.models, fit.placement, year, members)
            row = {"pref_code": pref, "year": year, "estimated_use_pct": 100 * use}
            if (pref, year) in published.index:
                row["published_use_pct"] = float(published.loc[(pref, year), "use_rate_pct"])
                row["sample_n"] = int(published.loc[(pref, year), "sample_n"])
            match = (
                held[(held["pref_code"] == pref) & (held["year"] == year)] if len(held) else held
            )
            if len(match):
                for key, column in (("use", "predicted"), ("lo", "lo"), ("hi", "hi")):
                    row[f"loo_{key}_pct"] = 100 * float(match[column].iloc[0])
            out.append(row)
    return pd.DataFrame(out)


def published_series(
    frame: object, fit: Fit, table: pd.DataFrame, sample: dict[str, np.ndarray], keep: np.ndarray
) -> pd.DataFrame:
    """Per prefecture of ``frame``: its published offline share by survey year (with the survey's
    90 % interval, its over-dispersion included) beside the estimate's share of its residents 15+
    and the estimate's interval.
    """
    residents = table["residents_15plus"].to_numpy()
    out = []
    for pref in sorted(frame.municipalities["pref_code"].unique()):
        members = (table.index.str[:2] == pref) & keep
        weights = residents[members] / residents[members].sum()
        drawn = sample["offline_share"][:, members] @ weights
        estimate = float(table.loc[members, "offline_share"].to_numpy() @ weights)
        lo, hi = np.quantile(drawn, [0.05, 0.95])
        for r in fit.rows[fit.rows["pref_code"] == pref].itertuples():
            p = 1 - r.rate
            half = Z90 * np.sqrt(fit.reference.scale * p * (1 - p) / r.sample_n)
            out.append(
                {
                    "pref_code": pref,
                    "year": int(r.year),
                    "published_offline_share": p,
                    "published_lo": max(p - half, 0.0),
                    "published_hi": min(p + half, 1.0),
                    "sample_n": int(r.sample_n),
                    "estimate_offline_share": estimate,
                    "estimate_lo": float(min(lo, estimate)),
                    "estimate_hi": float(max(hi, estimate)),
                }
            )
    return pd.DataFrame(out)


def notes_for(frame: pd.DataFrame, table: pd.DataFrame, result: object) -> list[Note]:
    """What an analyst must know about these municipalities' estimates."""
    notes = []
    low = frame.index[frame["population"] < 0.5 * frame["registered_2022"]]
    if len(low):
        notes.append(
            note(
                "estimate.residents_not_registrations",
                codes=low,
                names=list(frame.loc[low, "name_ja"]),
            )
        )
    bounds = result.bounds["prefecture"]["graduate_share"]
    if table["extrapolated"].any():
        notes.append(
            note(
                "estimate.extrapolated",
                n=int(table["extrapolated"].sum()),
                low=round(bounds[0], 3),
                high=round(bounds[1], 3),
            )
        )
    if (table["imputed"] != "").any():
        notes.append(note("estimate.imputed", n=int((table["imputed"] != "").sum())))
    if len(result.survey):
        weights = [f"{w:.2f}" for w in result.survey["weight_of_survey"]]
        notes.append(note("estimate.survey", groups=len(result.survey), weights=weights))
    notes.append(note("estimate.parts_separated_weakly"))
    return notes
