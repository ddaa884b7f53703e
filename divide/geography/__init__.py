"""Geography: access to in-person service points, remoteness, evacuation context, spatial clusters."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from divide.geography.access import (
    DETOUR_FACTOR,
    Distance,
    access,
    geodesic_km,
    service_points,
    settlement_points,
)
from divide.geography.clusters import local_clusters
from divide.geography.mesh import load_mesh_population, mesh_center
from divide.load import load_layer, same_source
from divide.sources.points import load_points

__all__ = ["add_geography", "geodesic_km", "load_mesh_population", "local_clusters", "mesh_center"]


def add_geography(frame: gpd.GeoDataFrame, *, service_layers: list[str | Path | gpd.GeoDataFrame] | None = None,
                  population_grid: str | Path | pd.DataFrame | None = None,
                  inhabitable_area: pd.Series | None = None, settlements: str = "shelters",
                  detour: float = DETOUR_FACTOR, distance: Distance = geodesic_km) -> gpd.GeoDataFrame:
    """The frame with access, remoteness and evacuation columns added (see the module docs of each part).

    Columns: ``access_mean_km``, ``access_p90_km`` (nearest own counter, km, geodesic × ``detour``),
    ``access_basis`` (population grid / designated shelters / points sampled inside the boundary),
    ``access_note``, ``density`` (per km² of total area), ``density_inhabitable`` (when
    ``inhabitable_area`` km² by code is given), ``kaso`` (whole / partial / deemed / none),
    ``stations_per_10k``, ``evac_lifted_year`` (first lifting of an evacuation order, Fukushima),
    ``evac_last_lifted_year``, ``residence_rate`` and ``residence_rate_basis``.

    ``service_layers``: paths or GeoDataFrames of extra counters (branch offices, post offices …).
    ``settlements``: ``"shelters"`` (default) or ``"lattice"`` to ignore the shelter layer.
    """
    out = frame.copy()
    grid = None
    if population_grid is not None:
        grid = population_grid if isinstance(population_grid, pd.DataFrame) else load_mesh_population(population_grid)
    shelters = None
    if settlements == "shelters":
        points = load_layer("points", **same_source(frame))
        shelters = points[points["kind"] == "shelter"]
    elif settlements != "lattice":
        raise ValueError("settlements must be 'shelters' or 'lattice'")
    layers = [layer if isinstance(layer, gpd.GeoDataFrame) else load_points(layer) for layer in service_layers or []]
    where = settlement_points(out, shelters, grid)
    counters = service_points(out, layers)
    measured = access(out, where, counters, detour=detour, distance=distance)
    for column in measured:
        out[column] = measured[column]
    out["access_straight_mean_km"] = out["access_mean_km"] / detour

    out["density"] = out["population"] / out["area_km2"]
    if inhabitable_area is not None:
        out["density_inhabitable"] = out["population"] / inhabitable_area.reindex(out.index)
    out["stations_per_10k"] = out["stations"] / out["population"].where(out["population"] > 0) * 10_000
    out["evac_lifted_year"] = pd.to_datetime(out["evac_first_lifted"]).dt.year.astype("Int64")
    out["evac_last_lifted_year"] = pd.to_datetime(out["evac_last_lifted"]).dt.year.astype("Int64")
    press = out["residence_rate_pct"] / 100
    evacuated = out["evac_lifted_year"].notna()
    out["residence_rate"] = press.where(press.notna(), out["residence_ratio"].where(evacuated))
    out["residence_rate_basis"] = np.select(
        [press.notna(), evacuated],
        ["press figure (" + out["residence_rate_as_of"].astype(str) + ")",
         "2020 census residents / 2021 registered"], "")
    notes = list(out.attrs.get("notes", []))
    notes.append(f"access: geodesic distance × detour factor {detour} to the nearest counter of the own "
                 f"municipality; counters: main offices{' + supplied layers' if layers else ' only'}")
    if (out["access_note"] != "").any():
        names = ", ".join(out.loc[out["access_note"] != "", "name_ja"].head(12))
        notes.append(f"access overstated until a branch-office layer is supplied in large municipalities ({names}…)")
    out.attrs = {**out.attrs, "notes": notes, "detour_factor": detour}
    return out
