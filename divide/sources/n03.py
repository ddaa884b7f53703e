"""MLIT 国土数値情報 N03 administrative boundaries, as GeoJSON or TopoJSON.

The N03 attributes are ``N03_001`` (prefecture), ``N03_003`` (郡 or designated city), ``N03_004``
(municipality or ward) and ``N03_007`` (5-digit code). Published N03 files list designated-city wards
separately; the default frame works at city level, so wards are dissolved into their city here
(``wards=False``). The nationwide file of the mirror already has wards dissolved; a ward-level request
on such a file fails clearly instead of returning cities labelled as wards.

TopoJSON is preferred for the frame: its arcs are shared between neighbours, so simplified borders
meet exactly, with no gaps or slivers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from divide.codes import is_ward, normalize_code, normalize_pref, ward_to_city
from divide.errors import DivideDataError
from divide.sources.reader import LINE
from divide.sources.table import Table, resolve

CRS = "EPSG:6668"  # JGD2011 geographic; N03 is published in JGD2011 (≈ WGS84 lon/lat)
JAPAN_LON = (122.0, 154.5)
JAPAN_LAT = (20.0, 46.0)


def load_boundaries(dataset_id: str = "boundaries", *, path: Path | None = None, directory: Path | None = None,
                    wards: bool = False, repair: bool = True) -> Table:
    """Read N03 polygons -> GeoDataFrame(code, pref_name, county, name, geometry) in EPSG:6668.

    Features without a code (所属未定地, boundary-undetermined areas) or without geometry are kept out of
    the table and listed in ``notes`` and in ``data.attrs['unjoined']`` with their feature number.
    """
    path, entry = resolve(dataset_id, path, directory)
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DivideDataError(f"not valid JSON ({exc.msg}): truncated file?", file=path, row=exc.lineno) from exc
    if not isinstance(doc, dict):
        raise DivideDataError("not a GeoJSON/TopoJSON document", file=path)
    if doc.get("type") == "Topology":
        records = _topojson_records(doc, path)
    elif doc.get("type") == "FeatureCollection":
        _check_crs(doc, path)
        records = [(i + 1, f.get("properties") or {}, shapely.geometry.shape(f["geometry"]) if f.get("geometry")
                    else None) for i, f in enumerate(doc.get("features", []))]
    else:
        raise DivideDataError(f"unsupported document type {doc.get('type')!r}", file=path)
    if not records:
        raise DivideDataError("no features", file=path)

    rows, unjoined, notes = [], [], []
    for number, props, geom in records:
        raw_code = props.get("N03_007") or props.get("code")
        name = props.get("N03_004") or props.get("name") or props.get("N03_003")
        if not raw_code:
            unjoined.append({"source": entry.id, "file": str(path), LINE: number, "code": None,
                             "pref_code": _pref(props.get("N03_001")), "name": name or props.get("N03_001"),
                             "reason": "no municipal code (所属未定地)"})
            continue
        code = normalize_code(raw_code, "code5", file=str(path), row=number, column="N03_007")
        if geom is None or geom.is_empty:
            unjoined.append({"source": entry.id, "file": str(path), LINE: number, "code": code, "name": name,
                             "reason": "no geometry in this file"})
            continue
        _check_lonlat(geom, path, number)
        if not geom.is_valid:
            why = shapely.is_valid_reason(geom)
            if not repair:
                raise DivideDataError(f"invalid polygon: {why}", file=path, row=number, column="geometry")
            geom = shapely.make_valid(geom)
            geom = shapely.union_all([g for g in getattr(geom, "geoms", [geom]) if g.geom_type in
                                      ("Polygon", "MultiPolygon")])
            notes.append(f"feature {number} ({code} {name}) was invalid ({why}) and was repaired")
        rows.append({"code": code, "pref_name": props.get("N03_001"), "county": props.get("N03_003"),
                     "name": name, "geometry": geom, LINE: number})
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=CRS)
    has_wards = frame["code"].map(is_ward).any()
    if wards and not has_wards:
        raise DivideDataError("ward-level boundaries requested, but this file has designated-city wards dissolved; "
                              "supply an N03 file with wards", file=path)
    if not wards and has_wards:
        frame = _dissolve_wards(frame)
        notes.append("designated-city wards dissolved into their city")
    frame = _merge_parts(frame)
    frame.attrs["unjoined"] = pd.DataFrame(unjoined, columns=["source", "file", LINE, "pref_code", "code", "name",
                                                              "reason"])
    if unjoined:
        notes.append(f"{len(unjoined)} features without a code or a geometry (listed in the join report)")
    return Table(frame, entry, Path(path), notes)


def _pref(name: object) -> str | None:
    try:
        return normalize_pref(name) if name else None
    except ValueError:
        return None


def _merge_parts(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """N03 lists exclaves and islands as separate features: one row per code, as MultiPolygon."""
    if not frame["code"].duplicated().any():
        return frame.reset_index(drop=True)
    merged = frame.dissolve(by="code", aggfunc={"pref_name": "first", "county": "first", "name": "first",
                                                LINE: "min"}, as_index=False)
    return merged[["code", "pref_name", "county", "name", "geometry", LINE]].reset_index(drop=True)


def _dissolve_wards(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = frame.copy()
    ward = frame["code"].map(is_ward)
    frame.loc[ward, "name"] = frame.loc[ward, "county"]  # N03_003 holds the city name for wards
    frame["code"] = frame["code"].map(ward_to_city)
    return frame


def _check_crs(doc: dict[str, Any], path: Path) -> None:
    crs = (doc.get("crs") or {}).get("properties", {}).get("name", "")
    if crs and not any(tag in crs for tag in ("4326", "6668", "4612", "CRS84")):
        raise DivideDataError(f"coordinates are in {crs}; reproject to JGD2011 lon/lat (EPSG:6668)", file=path)


def _check_lonlat(geom: shapely.Geometry, path: Path, number: int) -> None:
    minx, miny, maxx, maxy = geom.bounds
    if JAPAN_LON[0] <= minx and maxx <= JAPAN_LON[1] and JAPAN_LAT[0] <= miny and maxy <= JAPAN_LAT[1]:
        return
    if JAPAN_LAT[0] <= minx and maxx <= JAPAN_LAT[1] and JAPAN_LON[0] <= miny and maxy <= JAPAN_LON[1]:
        raise DivideDataError("coordinates look like (lat, lon): latitude and longitude are swapped", file=path,
                              row=number, column="geometry")
    raise DivideDataError(f"coordinates outside Japan in lon/lat (bounds {minx:.1f},{miny:.1f},{maxx:.1f},"
                          f"{maxy:.1f}): missing or wrong CRS?", file=path, row=number, column="geometry")


# --- TopoJSON --------------------------------------------------------------------------------------

def _topojson_records(doc: dict[str, Any], path: Path) -> list[tuple[int, dict[str, Any], Any]]:
    arcs = _decode_arcs(doc, path)
    records = []
    for obj in doc.get("objects", {}).values():
        for number, geometry in enumerate(obj.get("geometries", []), start=1):
            props = geometry.get("properties") or {}
            try:
                shape = _topo_geometry(geometry, arcs)
            except (IndexError, ValueError) as exc:
                raise DivideDataError(f"broken TopoJSON geometry ({exc})", file=path, row=number,
                                      column="arcs") from exc
            records.append((number, props, shape))
    return records


def _decode_arcs(doc: dict[str, Any], path: Path) -> list[np.ndarray]:
    transform = doc.get("transform")
    decoded = []
    for arc in doc.get("arcs", []):
        points = np.asarray(arc, dtype="float64")
        if points.ndim != 2 or points.shape[1] < 2:
            raise DivideDataError("malformed TopoJSON arc", file=path, column="arcs")
        points = points[:, :2]
        if transform:
            points = np.cumsum(points, axis=0)
            points = points * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    parts = []
    for k, index in enumerate(indexes):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if k == 0 else arc[1:])
    return np.concatenate(parts)


def _topo_geometry(geometry: dict[str, Any], arcs: list[np.ndarray]) -> Polygon | MultiPolygon | None:
    kind = geometry.get("type")
    if kind == "Polygon":
        rings = [_ring(r, arcs) for r in geometry["arcs"]]
        return Polygon(rings[0], rings[1:])
    if kind == "MultiPolygon":
        polygons = []
        for polygon in geometry["arcs"]:
            rings = [_ring(r, arcs) for r in polygon]
            polygons.append(Polygon(rings[0], rings[1:]))
        return MultiPolygon(polygons)
    if kind is None:
        return None
    raise ValueError(f"unsupported TopoJSON type {kind}")
