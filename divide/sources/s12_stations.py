"""Railway stations (MLIT 国土数値情報 S12, FY2025), flattened to ``station_name, city_code5, lon,
lat``.

Station rows are platforms of one operator: a station served by two lines appears twice, so counts
are "station entries". Codes may be designated-city wards; the frame maps them to their city.
"""

from __future__ import annotations

from pathlib import Path

from divide.sources import points, reader
from divide.sources.table import Table, resolve


def load_stations(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """GeoDataFrame(code, name, geometry) in EPSG:6668."""
    file, entry = resolve("stations", path, directory)
    frame = reader.read_csv(file, required=["station_name", "city_code5", "lon", "lat"])
    out = frame[[reader.LINE]].copy()
    out["code"] = reader.codes(frame, "city_code5", "code5", file)
    out["name"] = frame["station_name"]
    lon, _ = reader.numbers(frame, "lon", file, suppressed=False)
    lat, _ = reader.numbers(frame, "lat", file, suppressed=False)
    return Table(points.points_frame(out, lon, lat, file), entry, file)
