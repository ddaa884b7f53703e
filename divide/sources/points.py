"""Point layers (offices, shelters, stations, or an analyst's own service points) in one checked
shape.

Accepted files: CSV or Excel (.xlsx, first sheet) with longitude/latitude columns (``lon``/``lng``/
``longitude``/``経度`` and ``lat``/``latitude``/``緯度``) and optionally ``code`` (5- or 6-digit
municipal code) and ``name``; GeoJSON; GeoPackage or any file GDAL reads, which must declare its
CRS. Everything is returned in JGD2011 lon/lat (EPSG:6668) with a ``code`` column; points outside
Japan or with latitude and longitude swapped fail with the row named. The same bounds check serves
boundary polygons (:mod:`.n03`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from divide.codes import ward_to_city
from divide.constants import CRS, JAPAN_LAT, JAPAN_LON
from divide.errors import DivideDataError
from divide.sources import reader

_LON = ("lon", "lng", "longitude", "経度", "x")
_LAT = ("lat", "latitude", "緯度", "y")
_CODE = ("code", "jis_code5", "city_code5", "lg_code6", "lgcode", "団体コード")
_NAME = ("name", "名称", "施設・場所名", "station_name")


def _inside(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])


def lonlat_problem(
    min_lon: np.ndarray, min_lat: np.ndarray, max_lon: np.ndarray, max_lat: np.ndarray
) -> np.ndarray:
    """Per point or bounding box: '' when it lies in Japan in lon/lat, else why not (swapped axes,
    wrong CRS).
    """
    ok = (
        _inside(min_lon, JAPAN_LON)
        & _inside(max_lon, JAPAN_LON)
        & _inside(min_lat, JAPAN_LAT)
        & _inside(max_lat, JAPAN_LAT)
    )
    swapped = (
        _inside(min_lon, JAPAN_LAT)
        & _inside(max_lon, JAPAN_LAT)
        & _inside(min_lat, JAPAN_LON)
        & _inside(max_lat, JAPAN_LON)
    )
    return np.select(
        [ok, swapped],
        ["", "latitude and longitude are swapped"],
        "coordinates outside Japan in lon/lat: missing or wrong CRS?",
    )


def check_lonlat(
    lon: pd.Series, lat: pd.Series, frame: pd.DataFrame, file: str | Path, column: str = "lon/lat"
) -> None:
    """Raise on the first point that is not a Japanese lon/lat pair, saying if it looks swapped."""
    lon_values, lat_values = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    problems = lonlat_problem(lon_values, lat_values, lon_values, lat_values)
    bad = problems != ""
    if bad.any():
        position = int(np.argmax(bad))
        row = int(frame[reader.LINE].iloc[position]) if reader.LINE in frame else position + 1
        raise DivideDataError(
            str(problems[position]),
            file=file,
            row=row,
            column=column,
            value=(float(lon_values[position]), float(lat_values[position])),
        )


def points_frame(
    frame: pd.DataFrame, lon: pd.Series, lat: pd.Series, file: str | Path
) -> gpd.GeoDataFrame:
    """Build a checked GeoDataFrame from parsed lon/lat columns."""
    reader.fail_at(
        frame, lon.isna() | lat.isna(), "point without coordinates", file=file, column="lon/lat"
    )
    check_lonlat(lon, lat, frame, file)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs=CRS)


def pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` among ``columns`` (case-insensitive), or None."""
    lowered = {c.lower(): c for c in columns}
    return next((lowered[n] for n in names if n in lowered), None)


def read_gis(path: Path) -> gpd.GeoDataFrame:
    """Any GDAL-readable layer, features numbered in ``_line``; unreadable or empty files raise."""
    reader.existing_file(path)
    try:
        layer = gpd.read_file(path)
    except Exception as exc:  # GDAL raises many types; all mean "cannot read"
        raise DivideDataError(f"cannot read as a GIS file ({exc})", file=path) from exc
    if layer.empty:
        raise DivideDataError("the file has no features", file=path)
    layer[reader.LINE] = np.arange(1, len(layer) + 1)
    return layer


def _read_table_points(path: Path, frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Points of a CSV or an Excel sheet read as text (with ``_line``)."""
    lon_col, lat_col = pick(list(frame.columns), _LON), pick(list(frame.columns), _LAT)
    if lon_col is None or lat_col is None:
        raise DivideDataError("no longitude/latitude columns (lon, lat)", file=path, column="lon")
    lon, _ = reader.numbers(frame, lon_col, path, negative=True, suppressed=False)
    lat, _ = reader.numbers(frame, lat_col, path, negative=True, suppressed=False)
    return points_frame(frame, lon, lat, path)


def _read_gis_points(path: Path) -> gpd.GeoDataFrame:
    out = read_gis(path)
    if out.crs is None:
        if path.suffix.lower() not in (".geojson", ".json"):
            raise DivideDataError(
                "the layer declares no CRS; set one (e.g. EPSG:6668) in QGIS", file=path
            )
        out = out.set_crs(CRS)
    out = out.to_crs(CRS)
    reader.fail_at(
        out, (out.geom_type != "Point").to_numpy(), "not a point", file=path, column="geometry"
    )
    check_lonlat(out.geometry.x, out.geometry.y, out, path)
    return out


def load_points(path: str | Path, *, kind: str = "service_point") -> gpd.GeoDataFrame:
    r"""An analyst's own point layer -> GeoDataFrame(code?, name?, kind, geometry) in EPSG:6668.

    Parameters
    ----------
    path : str or Path
        CSV (``lat``/``lon``), GeoJSON, GeoPackage or xlsx of points.
    kind : str
        What the points are (``branch_office``, ``service_point`` …).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "branches.csv").write_text("name,lat,lon\n支所A,37.76,140.47\n", encoding="utf-8")
    >>> load_points(folder / "branches.csv", kind="branch_office")[["name", "kind"]].to_dict("records")
    [{'name': '支所A', 'kind': 'branch_office'}]
    """
    path = reader.existing_file(path)
    if path.suffix.lower() in (".csv", ".txt"):
        out = _read_table_points(path, reader.read_csv(path))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        out = _read_table_points(path, reader.read_sheet(path))
    elif path.suffix.lower() == ".xls":
        raise DivideDataError("an old Excel .xls file: save it as .xlsx or CSV UTF-8", file=path)
    else:
        out = _read_gis_points(path)
    code_col = pick(list(out.columns), _CODE)
    if code_col is not None:
        codes = reader.codes(out, code_col, "code5_or_lg6", path, allow_missing=True)
        out["code"] = codes.map(
            lambda c: ward_to_city(c) if isinstance(c, str) else c
        )  # a ward serves its city
    name_col = pick(list(out.columns), _NAME)
    out["name"] = out[name_col] if name_col else pd.NA
    out["kind"] = kind
    keep = [c for c in ("code", "name", "kind", reader.LINE) if c in out.columns]
    return gpd.GeoDataFrame(out[keep], geometry=out.geometry, crs=CRS)
