"""Where people live, per municipality: the best layer available, as weighted points.

Best first: a population grid (mesh centres weighted by population), else settlement points (GSI
designated shelters: mostly schools and 公民館, one or more per community, for every prefecture),
else a regular lattice of points inside the municipality's polygon (area, not people: it overstates
distances in large mountainous municipalities). ``basis`` says which was used.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

LATTICE_POINTS = 60  # target number of lattice points per municipality
BASIS = {
    "grid": "population grid",
    "shelters": "settlement points (designated shelters)",
    "lattice": "points sampled inside the boundary",
}


def assign(points: gpd.GeoDataFrame, frame: gpd.GeoDataFrame) -> pd.Series:
    """Municipality code of each point, by location (points outside every polygon get <NA>)."""
    joined = gpd.sjoin(
        points[["geometry"]],
        frame[["geometry"]].rename_axis("muni").reset_index(),
        predicate="within",
        how="left",
    )
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["muni"].reindex(points.index).astype("string")


def lattice(
    geometry: shapely.Geometry, target: int = LATTICE_POINTS
) -> tuple[np.ndarray, np.ndarray]:
    """A regular lon/lat lattice inside a polygon (about ``target`` points; at least its
    representative point).
    """
    minx, miny, maxx, maxy = geometry.bounds
    ratio = np.cos(
        np.radians((miny + maxy) / 2)
    )  # a degree of longitude is shorter than one of latitude
    area_deg = max(geometry.area * ratio, 1e-12)
    step = np.sqrt(area_deg / target)
    xs = np.arange(minx + step / (2 * ratio), maxx, step / ratio)
    ys = np.arange(miny + step / 2, maxy, step)
    grid_x, grid_y = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(geometry, grid_x.ravel(), grid_y.ravel())
    if inside.sum() == 0:
        point = geometry.representative_point()
        return np.array([point.x]), np.array([point.y])
    return grid_x.ravel()[inside], grid_y.ravel()[inside]


def _grid_points(frame: gpd.GeoDataFrame, grid: pd.DataFrame) -> pd.DataFrame:
    cells = gpd.GeoDataFrame(
        grid, geometry=gpd.points_from_xy(grid["lon"], grid["lat"]), crs=frame.crs
    )
    cells = cells[cells["population"].fillna(0) > 0]
    cells["code"] = assign(cells, frame)
    cells = cells[cells["code"].notna()]
    return pd.DataFrame(
        {
            "code": cells["code"],
            "lon": cells["lon"],
            "lat": cells["lat"],
            "weight": cells["population"],
            "basis": BASIS["grid"],
        }
    )


def _shelter_points(frame: gpd.GeoDataFrame, shelters: gpd.GeoDataFrame) -> pd.DataFrame:
    points = shelters.copy()
    points["code"] = assign(points, frame)
    points = points[points["code"].notna()]
    return pd.DataFrame(
        {
            "code": points["code"],
            "lon": points.geometry.x,
            "lat": points.geometry.y,
            "weight": 1.0,
            "basis": BASIS["shelters"],
            "name": points["name"],
        }
    )


def settlement_points(
    frame: gpd.GeoDataFrame, shelters: gpd.GeoDataFrame | None, grid: pd.DataFrame | None
) -> pd.DataFrame:
    """code, lon, lat, weight, basis (and name for shelters): where people live, best layer per
    municipality.
    """
    parts = []
    covered: set[str] = set()
    if grid is not None and len(grid):
        parts.append(_grid_points(frame, grid))
        covered |= set(parts[-1]["code"])
    if shelters is not None and len(shelters):
        found = _shelter_points(frame, shelters)
        parts.append(found[~found["code"].isin(covered)])
        covered |= set(parts[-1]["code"])
    for code, geometry in frame.geometry.items():
        if code in covered or geometry is None:
            continue
        xs, ys = lattice(geometry)
        parts.append(
            pd.DataFrame(
                {"code": code, "lon": xs, "lat": ys, "weight": 1.0, "basis": BASIS["lattice"]}
            )
        )
    return pd.concat(parts, ignore_index=True)
