"""Remoteness and evacuation context of each municipality (columns added by the geography stage)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def remoteness(frame: pd.DataFrame, inhabitable_area: pd.Series | None = None) -> pd.DataFrame:
    """``density`` (per km² of total area), ``density_inhabitable`` (when inhabitable km² by code
    are given),
    ``stations_per_10k`` (railway station entries per 10,000 residents)."""
    out = pd.DataFrame(index=frame.index)
    out["density"] = frame["population"] / frame["area_km2"]
    if inhabitable_area is not None:
        out["density_inhabitable"] = frame["population"] / inhabitable_area.reindex(frame.index)
    out["stations_per_10k"] = (
        frame["stations"] / frame["population"].where(frame["population"] > 0) * 10_000
    )
    return out


def evacuation(frame: pd.DataFrame) -> pd.DataFrame:
    """Years of the first and last lifting of an evacuation order and the residence rate with its
    basis.

    The residence rate is the latest press figure where one exists, else (in a municipality that had
    an order) 2020 census residents / 2021 registrations; empty elsewhere.
    """
    out = pd.DataFrame(index=frame.index)
    out["evac_lifted_year"] = pd.to_datetime(frame["evac_first_lifted"]).dt.year.astype("Int64")
    out["evac_last_lifted_year"] = pd.to_datetime(frame["evac_last_lifted"]).dt.year.astype("Int64")
    press = frame["residence_rate_pct"] / 100
    evacuated = out["evac_lifted_year"].notna()
    out["residence_rate"] = press.where(press.notna(), frame["residence_ratio"].where(evacuated))
    out["residence_rate_basis"] = np.select(
        [press.notna(), evacuated],
        [
            "press figure (" + frame["residence_rate_as_of"].astype(str) + ")",
            "2020 census residents / 2021 registered",
        ],
        "",
    )
    return out
