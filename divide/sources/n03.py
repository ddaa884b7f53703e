"""MLIT 国土数値情報 N03 administrative boundaries, as GeoJSON or TopoJSON (read by GDAL).

The N03 attributes are ``N03_001`` (prefecture), ``N03_003`` (郡 or designated city), ``N03_004``
(municipality or ward) and ``N03_007`` (5-digit code). Published N03 files list designated-city
wards separately; the default frame works at city level, so wards are dissolved into their city here
(``wards=False``). The nationwide file of the mirror already has wards dissolved; a ward-level
request on such a file fails clearly instead of returning cities labelled as wards.

TopoJSON is preferred for the frame: its arcs are shared between neighbours, so simplified borders
meet exactly, with no gaps or slivers. GDAL's TopoJSON driver decodes it (the test suite checks that
its polygons are identical to a decoding by hand).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from divide.codes import is_ward, normalize_code, normalize_pref, ward_to_city
from divide.constants import CRS
from divide.errors import DivideDataError
from divide.notes import Note, note
from divide.sources.points import lonlat_problem, read_gis
from divide.sources.reader import LINE, read_bytes
from divide.sources.table import Table, resolve

_ACCEPTED_CRS = ("4326", "6668", "4612", "CRS84")


def _read(path: Path) -> gpd.GeoDataFrame:
    """Features of a GeoJSON or TopoJSON file, numbered from 1 in ``_line``; clear errors for broken
    files.
    """
    data = read_bytes(path)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        row = getattr(exc, "lineno", None)
        raise DivideDataError(
            f"not valid JSON ({exc}): truncated file?", file=path, row=row
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") not in ("Topology", "FeatureCollection"):
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise DivideDataError(
            f"not a GeoJSON FeatureCollection or a TopoJSON Topology (type {kind!r})", file=path
        )
    declared = str((doc.get("crs") or {}).get("properties", {}).get("name", ""))
    if declared and not any(tag in declared for tag in _ACCEPTED_CRS):
        raise DivideDataError(
            f"coordinates are in {declared}; reproject to JGD2011 lon/lat (EPSG:6668)", file=path
        )
    return read_gis(path)


def _check_coordinates(frame: gpd.GeoDataFrame, path: Path) -> None:
    bounds = frame.geometry.bounds.to_numpy()
    present = frame.geometry.notna().to_numpy() & ~frame.geometry.is_empty.to_numpy()
    problems = lonlat_problem(bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3])
    bad = present & (problems != "")
    if bad.any():
        position = int(np.argmax(bad))
        minx, miny, maxx, maxy = bounds[position]
        raise DivideDataError(
            f"{problems[position]} (bounds {minx:.1f},{miny:.1f},{maxx:.1f},{maxy:.1f})",
            file=path,
            row=int(frame[LINE].iloc[position]),
            column="geometry",
        )


def _repair(
    frame: gpd.GeoDataFrame, path: Path, repair: bool, notes: list[Note]
) -> gpd.GeoDataFrame:
    geometries = frame.geometry.to_numpy().copy()
    for position in np.flatnonzero(~shapely.is_valid(geometries)):
        why = shapely.is_valid_reason(geometries[position])
        number = int(frame[LINE].iloc[position])
        if not repair:
            raise DivideDataError(
                f"invalid polygon: {why}", file=path, row=number, column="geometry"
            )
        fixed = shapely.make_valid(geometries[position])
        geometries[position] = shapely.union_all(
            [
                g
                for g in getattr(fixed, "geoms", [fixed])
                if g.geom_type in ("Polygon", "MultiPolygon")
            ]
        )
        code = str(frame["code"].iloc[position])
        notes.append(
            note(
                "boundaries.repaired",
                codes=[code],
                feature=number,
                municipality=code,
                name=str(frame["name"].iloc[position]),
                why=str(why).split("[")[0],
            )
        )
    return frame.set_geometry(gpd.GeoSeries(geometries, index=frame.index, crs=CRS))


def _unjoined(
    frame: gpd.GeoDataFrame, entry_id: str, path: Path
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Split off features without a code (所属未定地) or without geometry: they go to the join
    report.
    """
    no_code = frame["code"].isna()
    no_geometry = ~no_code & (frame.geometry.isna() | frame.geometry.is_empty)
    dropped = frame[no_code | no_geometry]
    records = pd.DataFrame(
        {
            "source": entry_id,
            "file": str(path),
            LINE: dropped[LINE].to_numpy(),
            "pref_code": [_pref(p) for p in dropped["pref_name"]],
            "code": dropped["code"].to_numpy(),
            "name": dropped["name"].fillna(dropped["pref_name"]).to_numpy(),
            "reason": np.where(
                no_code[dropped.index], "no municipal code (所属未定地)", "no geometry in this file"
            ),
        }
    )
    return frame[~(no_code | no_geometry)], records


def load_boundaries(
    dataset_id: str = "boundaries",
    *,
    path: Path | None = None,
    directory: Path | None = None,
    wards: bool = False,
    repair: bool = True,
) -> Table:
    """Read N03 polygons -> GeoDataFrame(code, pref_name, county, name, geometry) in EPSG:6668.

    Features without a code (所属未定地, boundary-undetermined areas) or without geometry are kept
    out of the table and listed in ``notes`` and in ``rejected`` with their feature number.
    """
    path, entry = resolve(dataset_id, path, directory)
    raw = _read(Path(path))
    codes = raw.get("N03_007", raw.get("code"))
    if codes is None:
        raise DivideDataError(
            "no municipal code property (N03_007 or code)", file=path, column="N03_007"
        )
    frame = gpd.GeoDataFrame(
        {
            LINE: raw[LINE].to_numpy(),
            "code": [
                None
                if pd.isna(c) or c == ""
                else normalize_code(c, "code5", file=str(path), row=int(n), column="N03_007")
                for c, n in zip(codes, raw[LINE], strict=True)
            ],
            "pref_name": raw.get("N03_001", pd.Series(None, index=raw.index)).to_numpy(),
            "county": raw.get("N03_003", pd.Series(None, index=raw.index)).to_numpy(),
            "name": _first_present(raw, ("N03_004", "name", "N03_003")),
        },
        geometry=raw.geometry.set_crs(CRS, allow_override=True).to_numpy(),
        crs=CRS,
    )
    frame, unjoined = _unjoined(frame, entry.id, Path(path))
    if frame.empty:
        raise DivideDataError("no features with a code and a geometry", file=path)
    _check_coordinates(frame, Path(path))
    notes: list[Note] = []
    frame = _repair(frame.reset_index(drop=True), Path(path), repair, notes)
    has_wards = frame["code"].map(is_ward).any()
    if wards and not has_wards:
        raise DivideDataError(
            "ward-level boundaries requested, but this file has designated-city wards dissolved; "
            "supply an N03 file with wards",
            file=path,
        )
    if not wards and has_wards:
        frame = _dissolve_wards(frame)
        notes.append(note("boundaries.wards_dissolved"))
    frame = _merge_parts(frame)
    if len(unjoined):
        notes.append(note("boundaries.unjoined", features=len(unjoined)))
    return Table(frame, entry, Path(path), notes, rejected=unjoined)


def _first_present(raw: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Per row, the first non-empty of ``columns`` (N03 names wards' cities in N03_003 when N03_004
    is empty).
    """
    out = pd.Series(None, index=raw.index, dtype=object)
    for column in reversed(columns):
        if column in raw:
            values = raw[column].where(raw[column].notna() & (raw[column].astype(str) != ""))
            out = values.where(values.notna(), out)
    return out.to_numpy()


def _pref(name: object) -> str | None:
    try:
        return normalize_pref(name) if isinstance(name, str) and name else None
    except ValueError:
        return None


def _merge_parts(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """N03 lists exclaves and islands as separate features: one row per code, as MultiPolygon."""
    if not frame["code"].duplicated().any():
        return frame.reset_index(drop=True)
    merged = frame.dissolve(
        by="code",
        aggfunc={"pref_name": "first", "county": "first", "name": "first", LINE: "min"},
        as_index=False,
    )
    return merged[["code", "pref_name", "county", "name", "geometry", LINE]].reset_index(drop=True)


def _dissolve_wards(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = frame.copy()
    ward = frame["code"].map(is_ward)
    frame.loc[ward, "name"] = frame.loc[ward, "county"]  # N03_003 holds the city name for wards
    frame["code"] = frame["code"].map(ward_to_city)
    return frame
