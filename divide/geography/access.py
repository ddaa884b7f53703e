"""How far residents are from in-person help: distance from where people live to their counters.

*Where people live*, best layer first: a population grid (mesh centres weighted by population), else
settlement points (GSI designated shelters: mostly schools and 公民館, one per community; Fukushima in the
mirror), else a regular lattice of points inside the municipality's polygon (area, not people: it
overstates distances in large mountainous municipalities). ``access_basis`` says which was used.

*Counters*: the main municipal office, plus any layer the analyst supplies (branch offices, post
offices, digital-support counters; CSV/GeoJSON/GPKG through :func:`divide.sources.points.load_points`).
Procedures of a municipality are done at *its own* counters, so each resident is measured to the nearest
counter of their own municipality (points are assigned to municipalities by location).

*Distance*: geodesic (GRS80 ellipsoid, pyproj ``Geod``) in km, times a detour factor (default 1.3, a
common road-circuity ratio for rural Japan) to approximate the road. The ``distance`` argument is the
seam for a road-network or travel-time layer: any function (lon1, lat1, lon2, lat2) -> km matrix.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

DETOUR_FACTOR = 1.3
LATTICE_POINTS = 60          # target number of lattice points per municipality
LARGE_AREA_KM2 = 300.0        # municipalities this large and populous usually keep branch offices (支所)
LARGE_POPULATION = 10_000
MISPLACED_OFFICE = "main office listed outside the municipality (temporary office?): the boundary's centre is used"
_GEOD = Geod(ellps="GRS80")

Distance = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def geodesic_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Matrix (len1 × len2) of geodesic distances in km."""
    a_lon, b_lon = np.meshgrid(lon1, lon2, indexing="ij")
    a_lat, b_lat = np.meshgrid(lat1, lat2, indexing="ij")
    _, _, metres = _GEOD.inv(a_lon.ravel(), a_lat.ravel(), b_lon.ravel(), b_lat.ravel())
    return np.asarray(metres).reshape(a_lon.shape) / 1000.0


def assign(points: gpd.GeoDataFrame, frame: gpd.GeoDataFrame) -> pd.Series:
    """Municipality code of each point, by location (points outside every polygon get <NA>)."""
    joined = gpd.sjoin(points[["geometry"]], frame[["geometry"]].rename_axis("muni").reset_index(),
                       predicate="within", how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["muni"].reindex(points.index).astype("string")


def lattice(geometry: shapely.Geometry, target: int = LATTICE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """A regular lon/lat lattice inside a polygon (about ``target`` points; at least its representative point)."""
    minx, miny, maxx, maxy = geometry.bounds
    ratio = np.cos(np.radians((miny + maxy) / 2))  # a degree of longitude is shorter than one of latitude
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


def _weighted_percentile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights) - 0.5 * weights
    return float(np.interp(q / 100 * weights.sum(), cumulative, values))


def settlement_points(frame: gpd.GeoDataFrame, shelters: gpd.GeoDataFrame | None,
                      grid: pd.DataFrame | None) -> pd.DataFrame:
    """code, lon, lat, weight, basis: where people live, best layer available per municipality."""
    parts = []
    covered: set[str] = set()
    if grid is not None and len(grid):
        cells = gpd.GeoDataFrame(grid, geometry=gpd.points_from_xy(grid["lon"], grid["lat"]), crs=frame.crs)
        cells = cells[cells["population"].fillna(0) > 0]
        cells["code"] = assign(cells, frame)
        cells = cells[cells["code"].notna()]
        parts.append(pd.DataFrame({"code": cells["code"], "lon": cells["lon"], "lat": cells["lat"],
                                   "weight": cells["population"], "basis": "population grid"}))
        covered |= set(cells["code"])
    if shelters is not None and len(shelters):
        points = shelters.copy()
        points["code"] = assign(points, frame)
        points = points[points["code"].notna() & ~points["code"].isin(covered)]
        parts.append(pd.DataFrame({"code": points["code"], "lon": points.geometry.x, "lat": points.geometry.y,
                                   "weight": 1.0, "basis": "settlement points (designated shelters)"}))
        covered |= set(points["code"])
    for code, geometry in frame.geometry.items():
        if code in covered or geometry is None:
            continue
        xs, ys = lattice(geometry)
        parts.append(pd.DataFrame({"code": code, "lon": xs, "lat": ys, "weight": 1.0,
                                   "basis": "points sampled inside the boundary"}))
    return pd.concat(parts, ignore_index=True)


def service_points(frame: gpd.GeoDataFrame, extra: list[gpd.GeoDataFrame] | None) -> pd.DataFrame:
    """code, lon, lat, kind: the main office of every municipality plus the supplied layers.

    A main office listed outside its own municipality (双葉町's is still its temporary office in いわき市)
    cannot serve as the counter its residents walk to: the polygon's representative point replaces it,
    and ``kind`` says so.
    """
    offices = shapely.points(frame["office_lon"].to_numpy(), frame["office_lat"].to_numpy())
    polygons = frame.geometry.to_numpy()
    outside = ~shapely.contains(polygons, offices) & (shapely.distance(polygons, offices) > 0.01)
    centres = shapely.point_on_surface(polygons)
    lon = np.where(outside, shapely.get_x(centres), frame["office_lon"].to_numpy())
    lat = np.where(outside, shapely.get_y(centres), frame["office_lat"].to_numpy())
    parts = [pd.DataFrame({"code": frame.index, "lon": lon, "lat": lat,
                           "kind": np.where(outside, MISPLACED_OFFICE, "main office")})]
    for layer in extra or []:
        located = layer.copy()
        located["code"] = assign(located, frame)
        located = located[located["code"].notna()]
        parts.append(pd.DataFrame({"code": located["code"], "lon": located.geometry.x, "lat": located.geometry.y,
                                   "kind": located.get("kind", "service point")}))
    points = pd.concat(parts, ignore_index=True)
    return points[points["lon"].notna() & points["lat"].notna()]


def access(frame: gpd.GeoDataFrame, settlements: pd.DataFrame, counters: pd.DataFrame, *,
           detour: float = DETOUR_FACTOR, distance: Distance = geodesic_km) -> pd.DataFrame:
    """Per municipality: weighted mean and 90th percentile of the distance to the nearest own counter."""
    by_code = counters.groupby("code")
    rows = {}
    for code, group in settlements.groupby("code", sort=False):
        if code not in by_code.groups:
            continue
        own = by_code.get_group(code)
        km = distance(group["lon"].to_numpy(), group["lat"].to_numpy(), own["lon"].to_numpy(), own["lat"].to_numpy())
        nearest = km.min(axis=1) * detour
        weights = group["weight"].to_numpy(dtype=float)
        rows[code] = {
            "access_mean_km": float(np.average(nearest, weights=weights)),
            "access_p90_km": _weighted_percentile(nearest, weights, 90),
            "access_basis": group["basis"].iloc[0],
            "access_points": len(group),
            "service_points": len(own),
            "misplaced": bool((own["kind"] == MISPLACED_OFFICE).any()),
        }
    out = pd.DataFrame.from_dict(rows, orient="index").reindex(frame.index)
    only_main = out["service_points"].fillna(0) <= 1
    large = (frame["area_km2"] > LARGE_AREA_KM2) & (frame["population"] >= LARGE_POPULATION)
    out["access_note"] = np.select(
        [out["misplaced"].fillna(False).astype(bool), only_main & large],
        [MISPLACED_OFFICE, "main office only: overstated where branch offices (支所) exist; supply a branch-office "
                           "layer"], "")
    return out.drop(columns="misplaced")
