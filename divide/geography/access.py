"""Distance from where people live to the nearest counter of their own municipality.

*Distance*: geodesic (GRS80 ellipsoid, pyproj ``Geod``) in km, times a detour factor (default 1.3, a
common road-circuity ratio for rural Japan) to approximate the road. The ``distance`` argument is
the seam for a road-network or travel-time layer: any function (lon1, lat1, lon2, lat2) -> km
matrix. What is measured is the distance to a *known* counter; where the counter network is not
known to be complete (``access_verified`` False, see :mod:`divide.geography.counters`), it is an
upper bound.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from pyproj import Geod

from divide.constants import DETOUR_FACTOR

_GEOD = Geod(ellps="GRS80")

Distance = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def geodesic_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Matrix (len1 × len2) of geodesic distances in km.

    Examples
    --------
    >>> round(float(geodesic_km([140.47], [37.76], [140.36], [37.40])[0, 0]), 1)  # 福島市役所 - 郡山市役所
    41.1
    """
    a_lon, b_lon = np.meshgrid(lon1, lon2, indexing="ij")
    a_lat, b_lat = np.meshgrid(lat1, lat2, indexing="ij")
    _, _, metres = _GEOD.inv(a_lon.ravel(), a_lat.ravel(), b_lon.ravel(), b_lat.ravel())
    return np.asarray(metres).reshape(a_lon.shape) / 1000.0


def weighted_percentile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q``-th percentile of ``values`` with ``weights`` (interpolated between weighted
    mid-points).
    """
    order = np.argsort(values)
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights) - 0.5 * weights
    return float(np.interp(q / 100 * weights.sum(), cumulative, values))


def nearest_km(
    settlements: pd.DataFrame,
    counters: pd.DataFrame,
    *,
    detour: float = DETOUR_FACTOR,
    distance: Distance = geodesic_km,
) -> pd.Series:
    """Road-approximate km from each settlement point to the nearest counter of its own
    municipality.
    """
    out = pd.Series(np.nan, index=settlements.index)
    by_code = counters.groupby("code").indices
    for code, rows in settlements.groupby("code", sort=False).indices.items():
        own = by_code.get(code)
        if own is None:
            continue
        km = distance(
            settlements["lon"].to_numpy()[rows],
            settlements["lat"].to_numpy()[rows],
            counters["lon"].to_numpy()[own],
            counters["lat"].to_numpy()[own],
        )
        out.iloc[rows] = km.min(axis=1) * detour
    return out


def access(
    codes: pd.Index,
    settlements: pd.DataFrame,
    counters: pd.DataFrame,
    *,
    detour: float = DETOUR_FACTOR,
    distance: Distance = geodesic_km,
) -> pd.DataFrame:
    """Per municipality: weighted mean and 90th percentile of the distance to the nearest own
    counter.
    """
    km = nearest_km(settlements, counters, detour=detour, distance=distance)
    rows = {}
    for code, group in settlements.assign(km=km).dropna(subset=["km"]).groupby("code", sort=False):
        weights = group["weight"].to_numpy(dtype=float)
        rows[code] = {
            "access_mean_km": float(np.average(group["km"], weights=weights)),
            "access_p90_km": weighted_percentile(group["km"].to_numpy(), weights, 90),
            "access_basis": group["basis"].iloc[0],
            "access_points": len(group),
        }
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(codes)
    table["service_points"] = counters.groupby("code").size().reindex(codes).fillna(0).astype(int)
    return table
