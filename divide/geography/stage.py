"""``add_geography``: counters, distance from where people live to them, remoteness, evacuation
context.

The stage takes a :class:`~divide.frame.load.Frame` and returns a :class:`Geography`: the frame's
rows with the geography columns, and the layers behind them (counters, settlement points) for the
later stages (support sites) and for maps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import geopandas as gpd
import pandas as pd
from pydantic import Field

from divide.constants import DETOUR_FACTOR
from divide.frame.load import Frame
from divide.geography.access import access, geodesic_km
from divide.geography.context import evacuation, remoteness
from divide.geography.counters import counters, verification
from divide.geography.settlements import settlement_points
from divide.geography.user_layers import population_grid as user_population_grid
from divide.geography.user_layers import service_layers as user_service_layers
from divide.notes import Note, note
from divide.origin import Origin
from divide.provenance import Dataset
from divide.validation import Result, checked

SETTLEMENTS = ("shelters", "lattice")


@dataclass
class Geography:
    """Result of :func:`add_geography`.

    Attributes
    ----------
    frame : Frame
        The frame the geography was measured for.
    municipalities : GeoDataFrame
        The frame's rows plus ``access_mean_km``, ``access_p90_km`` (km to the nearest *known*
        counter), ``access_basis`` (where people live), ``access_verified`` and ``counter_basis``
        (is the counter network known to be complete, and why), ``access_straight_mean_km``,
        ``service_points``, ``stations_per_10k``, ``evac_lifted_year``, ``evac_last_lifted_year``,
        ``residence_rate``, ``residence_rate_basis``.
    counters : DataFrame
        code, lon, lat, kind, name, source of every counter used.
    settlements : DataFrame
        code, lon, lat, weight, basis of the points standing for where people live.
    detour : float
    notes, datasets, origin
    """

    frame: Frame
    municipalities: gpd.GeoDataFrame
    counters: pd.DataFrame
    settlements: pd.DataFrame
    detour: float
    notes: list[Note] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    origin: Origin | None = None

    def __repr__(self) -> str:
        verified = int(self.municipalities["access_verified"].sum())
        return (
            f"<Geography {len(self.municipalities)} municipalities, {len(self.counters)} known "
            f"counters, {verified} counter networks verified>"
        )


def _shelters(frame: Frame) -> gpd.GeoDataFrame:
    points = frame.points
    prefectures = set(frame.municipalities["pref_code"])
    return points[(points["kind"] == "shelter") & points["code"].str[:2].isin(prefectures)]


@checked
def add_geography(
    frame: Result[Frame],
    *,
    service_layers: list[str | Path | gpd.GeoDataFrame] | None = None,
    population_grid: str | Path | pd.DataFrame | None = None,
    inhabitable_area: pd.Series | None = None,
    settlements: Literal["shelters", "lattice"] = "shelters",
    detour: Annotated[float, Field(ge=1, le=5, allow_inf_nan=False)] = DETOUR_FACTOR,
    distance: Callable[..., Any] = geodesic_km,
) -> Geography:
    """Counters, distances, remoteness and evacuation context for the municipalities of ``frame``.

    ``service_layers``: paths or GeoDataFrames of extra counters (branch offices, post offices …).
    ``population_grid``: an e-Stat mesh CSV (or DataFrame mesh_code, lon, lat, population) for where
    people live. ``settlements``: ``"shelters"`` (default) or ``"lattice"`` to ignore the shelter
    layer.

    Parameters
    ----------
    frame : Frame
        The municipal frame.
    service_layers : list of path or GeoDataFrame, optional
        The analyst's own counters (branch offices, post offices …); a municipality they cover counts
        as verified.
    population_grid : str, Path or DataFrame, optional
        Where people live (an e-Stat mesh CSV); default: designated shelters.
    inhabitable_area : Series, optional
        Inhabitable area by municipality (km²) for density.
    settlements : {"shelters", "lattice"}
        How settlement points are placed without a grid.
    detour : float
        Road distance over straight-line distance (1.3).
    distance : callable
        The distance function (km); geodesic by default.

    Examples
    --------
    >>> import divide
    >>> geography = divide.add_geography(divide.load_frame("07"))
    >>> bool(geography.municipalities["access_mean_km"].between(0, 60).all())
    True
    """
    table = frame.municipalities
    area = f"prefecture {frame.pref}" if frame.pref else "Japan"
    grid, grid_notes = user_population_grid(population_grid, table, area)
    where = settlement_points(table, _shelters(frame) if settlements == "shelters" else None, grid)
    layers, layer_notes = user_service_layers(service_layers or [], table, area)
    known = counters(table, frame.points, layers)
    out = table.copy()
    measured = access(table.index, where, known, detour=detour, distance=distance)
    out = out.join(
        measured[
            ["access_mean_km", "access_p90_km", "access_basis", "access_points", "service_points"]
        ]
    )
    out = out.join(verification(table, known))
    out["access_straight_mean_km"] = out["access_mean_km"] / detour
    out = out.join(remoteness(table, inhabitable_area).drop(columns="density")).join(
        evacuation(table)
    )
    notes = grid_notes + layer_notes
    notes.append(note("access.method", detour=detour))
    unverified = out.loc[~out["access_verified"], "name_ja"]
    if len(unverified):
        notes.append(note("access.unverified", n=len(unverified), names=list(unverified.head(12))))
    branches = known[known["kind"] == "branch office"]
    if len(branches):
        notes.append(
            note(
                "access.branches_found",
                offices=len(branches),
                municipalities=branches["code"].nunique(),
            )
        )
    used = ["boundaries", "offices", "shelters_japan"]
    used += [d for d in ("evacuation_events", "residence") if d in frame.datasets]
    return Geography(
        frame=frame,
        municipalities=out,
        counters=known,
        settlements=where,
        detour=detour,
        notes=notes,
        datasets=frame.datasets_of(used),
        origin=frame.origin,
    )
