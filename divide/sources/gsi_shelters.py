"""GSI 指定避難所 / 指定緊急避難場所 points (one GeoJSON per kind; Fukushima in the mirror).

Properties kept: ``city_code5`` (registering municipality), ``施設・場所名`` (name), ``住所``; the
municipality is the one that registered the point, not a spatial join. 指定避難所 are mostly schools and
公民館, which is why divide uses them as settlement points and as candidate sites for support.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from divide.errors import DivideDataError
from divide.sources import points, reader
from divide.sources.table import Table, resolve


def load_shelters(dataset_id: str = "shelters", *, path: Path | None = None, directory: Path | None = None) -> Table:
    """GeoDataFrame(code, name, address, geometry) in EPSG:6668."""
    file, entry = resolve(dataset_id, path, directory)
    raw = points.read_gis(file)
    for column in ("city_code5", "施設・場所名"):
        if column not in raw:
            raise DivideDataError("required property missing", file=file, column=column)
    out = raw[[reader.LINE]].copy()
    out["code"] = reader.codes(raw, "city_code5", "code5", file)
    out["name"] = raw["施設・場所名"]
    out["address"] = raw.get("住所", "")
    if raw.geometry.isna().any():
        i = int(np.argmax(raw.geometry.isna()))
        raise DivideDataError("feature without geometry", file=file, row=i + 1, column="geometry")
    points.check_lonlat(raw.geometry.x, raw.geometry.y, raw[reader.LINE], file)
    # GeoJSON is WGS84 by definition; JGD2011 differs by well under a metre, so relabel, not reproject.
    gdf = gpd.GeoDataFrame(out, geometry=raw.geometry.set_crs(points.CRS, allow_override=True).values)
    return Table(gdf, entry, file, ["assigned to the registering municipality (not spatially)"])
