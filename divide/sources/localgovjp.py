"""Main municipal office locations (code4fukui/localgovjp, CC0; from GSI and J-LIS).

Layout: UTF-8 with BOM; ``pid`` (prefecture number), ``pref``, ``cid`` (code without check digit and
without leading zero, e.g. ``7201``), ``city`` (ward rows as ``札幌市 中央区``), ``citykana``,
``lat``, ``lng``, ``url``, ``phrase``, ``lgcode`` (6-digit with check digit). Only the main office
of each municipality or ward: no branch offices (支所・出張所), so distances in large merged cities
are overstated.
"""

from __future__ import annotations

from pathlib import Path

from divide.notes import note
from divide.sources import points, reader
from divide.sources.table import Table, resolve


def load_offices(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """GeoDataFrame(code, name, kana, url, geometry): one main office per municipality or ward."""
    file, entry = resolve("offices", path, directory)
    frame = reader.read_csv(file, required=["cid", "city", "citykana", "lat", "lng", "lgcode"])
    out = frame[[reader.LINE]].copy()
    out["code"] = reader.codes(frame, "cid", "cid4", file)
    from_lg = reader.codes(frame, "lgcode", "lg6", file)
    reader.fail_at(
        frame, out["code"] != from_lg, "cid and lgcode disagree", file=file, column="lgcode"
    )
    out["name"] = frame["city"].str.split().str[-1]
    out["kana"] = frame["citykana"]
    out["url"] = frame.get("url", "")
    lon, _ = reader.numbers(frame, "lng", file, suppressed=False)
    lat, _ = reader.numbers(frame, "lat", file, suppressed=False)
    reader.unique(out, "code", file, column="cid")
    gdf = points.points_frame(out, lon, lat, file)
    return Table(
        gdf.reset_index(drop=True),
        entry,
        file,
        [note("offices.main_only")],
    )
