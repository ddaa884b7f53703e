"""Point layers (offices, shelters, stations, or an analyst's own service points) in one checked shape.

Accepted files: CSV with longitude/latitude columns (``lon``/``lng``/``longitude``/``経度`` and
``lat``/``latitude``/``緯度``) and optionally ``code`` (5- or 6-digit municipal code) and ``name``;
GeoJSON; GeoPackage or any file GDAL reads, which must declare its CRS. Everything is returned in
JGD2011 lon/lat (EPSG:6668) with a ``code`` column; points outside Japan or with latitude and longitude
swapped fail with the row named.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from divide.errors import DivideDataError
from divide.sources import reader

CRS = "EPSG:6668"
JAPAN_LON = (122.0, 154.5)
JAPAN_LAT = (20.0, 46.0)
_LON = ("lon", "lng", "longitude", "経度", "x")
_LAT = ("lat", "latitude", "緯度", "y")


def check_lonlat(lon: pd.Series, lat: pd.Series, lines: pd.Series, file: str | Path) -> None:
    """Raise on the first point that is not a Japanese lon/lat pair, saying if it looks swapped."""
    lon_ok = lon.between(*JAPAN_LON)
    lat_ok = lat.between(*JAPAN_LAT)
    bad = ~(lon_ok & lat_ok)
    if not bad.any():
        return
    i = bad.idxmax()
    swapped = JAPAN_LAT[0] <= lon[i] <= JAPAN_LAT[1] and JAPAN_LON[0] <= lat[i] <= JAPAN_LON[1]
    why = ("latitude and longitude are swapped" if swapped else
           "point outside Japan in lon/lat: missing or wrong CRS?")
    raise DivideDataError(why, file=file, row=int(lines[i]), column="lon/lat", value=(lon[i], lat[i]))


def points_frame(frame: pd.DataFrame, lon: pd.Series, lat: pd.Series, file: str | Path) -> gpd.GeoDataFrame:
    """Build a checked GeoDataFrame from parsed lon/lat columns."""
    missing = lon.isna() | lat.isna()
    if missing.any():
        i = missing.idxmax()
        raise DivideDataError("point without coordinates", file=file, row=int(frame.at[i, reader.LINE]),
                              column="lon/lat")
    check_lonlat(lon, lat, frame[reader.LINE], file)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=CRS)


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {c.lower(): c for c in columns}
    return next((lowered[n] for n in names if n in lowered), None)


def read_gis(path: Path) -> gpd.GeoDataFrame:
    """Any GDAL-readable layer, features numbered in ``_line``; unreadable or empty files raise."""
    try:
        layer = gpd.read_file(path)
    except Exception as exc:  # GDAL raises many types; all mean "cannot read"
        raise DivideDataError(f"cannot read as a GIS file ({exc})", file=path) from exc
    if layer.empty:
        raise DivideDataError("the file has no features", file=path)
    layer[reader.LINE] = np.arange(1, len(layer) + 1)
    return layer


def load_points(path: str | Path, *, kind: str = "service_point") -> gpd.GeoDataFrame:
    """An analyst's own point layer -> GeoDataFrame(code?, name?, kind, geometry) in EPSG:6668."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt"):
        frame = reader.read_csv(path)
        lon_col, lat_col = _pick(list(frame.columns), _LON), _pick(list(frame.columns), _LAT)
        if lon_col is None or lat_col is None:
            raise DivideDataError("no longitude/latitude columns (lon, lat)", file=path, column="lon")
        lon, _ = reader.numbers(frame, lon_col, path, negative=True, suppressed=False)
        lat, _ = reader.numbers(frame, lat_col, path, negative=True, suppressed=False)
        out = points_frame(frame, lon, lat, path)
    else:
        out = read_gis(path)
        if out.crs is None:
            if path.suffix.lower() not in (".geojson", ".json"):
                raise DivideDataError("the layer declares no CRS; set one (e.g. EPSG:6668) in QGIS", file=path)
            out = out.set_crs(CRS)
        out = out.to_crs(CRS)
        if not (out.geom_type == "Point").all():
            i = int(np.argmax(out.geom_type != "Point"))
            raise DivideDataError("not a point", file=path, row=i + 1, column="geometry")
        check_lonlat(out.geometry.x, out.geometry.y, out[reader.LINE], path)
    code_col = _pick(list(out.columns), ("code", "jis_code5", "city_code5", "lg_code6", "lgcode", "団体コード"))
    if code_col is not None:
        form = "lg6" if out[code_col].astype(str).str.len().eq(6).all() else "code5"
        out["code"] = reader.codes(out, code_col, form, path, allow_missing=True)
    name_col = _pick(list(out.columns), ("name", "名称", "施設・場所名", "station_name"))
    out["name"] = out[name_col] if name_col else pd.NA
    out["kind"] = kind
    keep = [c for c in ("code", "name", "kind", reader.LINE) if c in out.columns]
    return gpd.GeoDataFrame(out[keep], geometry=out.geometry, crs=CRS)
