"""The analyst's own layers (service points, a population grid), read and checked against the
prefecture.

A layer that has nothing inside the prefecture is a mistake (another prefecture's file, a wrong
CRS): it is refused with the file named. A layer that covers only part of it is used where it has
points, and a note says how much of it lay outside.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.errors import DivideDataError
from divide.geography.settlements import assign
from divide.notes import note
from divide.sources.mesh import load_mesh_population
from divide.sources.points import load_points


def _inside(
    points: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, name: str, what: str, area: str
) -> tuple[int, list[str]]:
    """How many of ``points`` lie in ``frame``; an error when none does, a note when some do not."""
    inside = int(assign(points, frame).notna().sum()) if len(points) else 0
    if inside == 0:
        raise DivideDataError(
            f"no {what} of this layer lies in {area} ({len(points)} {what}s, none inside): "
            "a file of another prefecture, or coordinates in another CRS?",
            file=name,
        )
    notes = (
        []
        if inside == len(points)
        else [note("layers.partly_outside", layer=name, inside=inside, total=len(points))]
    )
    return inside, notes


def service_layers(
    layers: list[str | Path | gpd.GeoDataFrame], frame: gpd.GeoDataFrame, area: str
) -> tuple[list[gpd.GeoDataFrame], list[str]]:
    """Each service layer read (paths) and checked to have points in the prefecture; notes on
    partial ones.
    """
    read, notes = [], []
    for position, layer in enumerate(layers, start=1):
        name = (
            Path(layer).name
            if not isinstance(layer, gpd.GeoDataFrame)
            else f"service layer {position}"
        )
        points = layer if isinstance(layer, gpd.GeoDataFrame) else load_points(layer)
        notes += _inside(points.to_crs(frame.crs), frame, name, "point", area)[1]
        read.append(points)
    return read, notes


def population_grid(
    grid: str | Path | pd.DataFrame | None, frame: gpd.GeoDataFrame, area: str
) -> tuple[pd.DataFrame | None, list[str]]:
    """The population grid read and checked to have populated cells in the prefecture."""
    if grid is None:
        return None, []
    name = "population grid" if isinstance(grid, pd.DataFrame) else Path(grid).name
    table = grid if isinstance(grid, pd.DataFrame) else load_mesh_population(grid)
    populated = table[table["population"].fillna(0) > 0]
    cells = gpd.GeoDataFrame(
        populated, geometry=gpd.points_from_xy(populated["lon"], populated["lat"]), crs=frame.crs
    )
    _, notes = _inside(cells, frame, name, "populated cell", area)
    covered = assign(cells, frame).dropna().nunique()
    if covered < len(frame):
        notes.append(note("grid.partial", layer=name, covered=covered, total=len(frame)))
    return table, notes
