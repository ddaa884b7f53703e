"""How well the estimate does where it can be checked: held-out prefectures, and each prefecture's
published rates.

Three models are validated by leaving each prefecture out (refit on the other 46, predict its three
published rates): age only, age + settlement geography, and the full model (+ social composition).
The 90 % interval of a held-out rate covers the parameter uncertainty and the survey's
over-dispersed sampling noise: it validates the interval of a *prefecture's published rate*, not of
a municipality's share (no municipal survey exists to check that against).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from divide.estimate.area_model import AreaData, AreaModel, leave_one_out, validation_row
from divide.estimate.structure import COVARIATES, SETTLEMENT

MODELS = {"full": COVARIATES, "age_only": (), "settlement_only": SETTLEMENT}


def _subset(area: AreaData, names: tuple[str, ...]) -> AreaData:
    columns = [area.names.index(n) for n in names]
    return AreaData(
        area.offset,
        area.covariates[:, columns],
        names,
        area.weights,
        area.municipal_pref,
        area.rows,
    )


def validation(area: AreaData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per model: MAE, RMSE, max error, 90 % coverage; the full model's held-out
    predictions).
    """
    loo = {name: leave_one_out(_subset(area, names)) for name, names in MODELS.items()}
    return pd.DataFrame([validation_row(name, rows) for name, rows in loo.items()]), loo["full"]


def prefecture_check(
    frame: object,
    national: pd.DataFrame,
    rows: pd.DataFrame,
    model: AreaModel,
    area: AreaData,
    loo: pd.DataFrame,
) -> pd.DataFrame:
    """Per prefecture of ``frame`` and survey year: the adult-weighted mean of the municipal
    estimates beside
    the published rate, and the held-out prediction with its interval."""
    published = rows.set_index(["pref_code", "year"])
    out = []
    for pref in sorted(frame.municipalities["pref_code"].unique()):
        members = area.members(pref)
        for year in model.years:
            use = expit(
                area.offset[members] + model.design(area.covariates[members], year) @ model.params
            )
            row = {
                "pref_code": pref,
                "year": year,
                "estimated_use_pct": 100 * float(np.average(use, weights=area.weights[members])),
            }
            if (pref, year) in published.index:
                row["published_use_pct"] = float(published.loc[(pref, year), "use_rate_pct"])
                row["sample_n"] = int(published.loc[(pref, year), "sample_n"])
            held = loo[(loo["pref_code"] == pref) & (loo["year"] == year)] if len(loo) else loo
            if len(held):
                row.update(
                    {
                        f"loo_{k}_pct": 100 * float(held[v].iloc[0])
                        for k, v in (("use", "predicted"), ("lo", "lo"), ("hi", "hi"))
                    }
                )
            out.append(row)
    return pd.DataFrame(out)


def notes_for(frame: pd.DataFrame, table: pd.DataFrame, result: object) -> list[str]:
    """What an analyst must know about these municipalities' estimates."""
    notes = []
    low = frame.index[frame["population"] < 0.5 * frame["registered_2022"]]
    if len(low):
        notes.append(
            f"head-counts use residents, not registrations, in evacuated towns "
            f"({', '.join(frame.loc[low, 'name_ja'])})"
        )
    if table["extrapolated"].any():
        notes.append(
            f"{int(table['extrapolated'].sum())} municipalities have a graduate share outside the "
            "range "
            "the model has seen: their estimate holds it at the boundary and their interval covers "
            "both "
            "readings (flag 'extrapolated')"
        )
    if (table["imputed"] != "").any():
        notes.append(
            f"{int((table['imputed'] != '').sum())} municipalities have a covariate imputed by the "
            "prefecture mean (column 'imputed')"
        )
    notes.append(
        "the settlement and composition parts are weakly separated by the data (education and "
        "settlement move together across prefectures): read them with their intervals"
    )
    return notes
