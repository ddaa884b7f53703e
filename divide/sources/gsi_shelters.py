"""GSI 指定避難所 (designated shelters) for all Japan, flattened to one CSV.

Layout (UTF-8, no BOM): ``lg_code6`` (6-digit 団体コード with check digit of the registering
municipality; designated cities appear by ward), ``common_id`` (共通ID), ``pref_city``, ``name``
(施設・場所名), ``address``, ``lon``, ``lat``. The municipality is the one that registered the
point, not a spatial join. Shelters are mostly schools, 公民館 and community centres, one or more
per community: divide uses them as settlement points (where people live), as candidate sites for
support, and, by their names, to find the branch offices some municipalities registered as shelters.
"""

from __future__ import annotations

from pathlib import Path

from divide.sources import points, reader
from divide.sources.table import Table, resolve


def load_shelters(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """GeoDataFrame(code, name, address, common_id, geometry) in EPSG:6668, one row per shelter.

    Examples
    --------
    >>> from divide.paths import default_mirror
    >>> shelters = load_shelters(directory=default_mirror()).data
    >>> len(shelters), int((shelters["code"].str[:2] == "07").sum())
    (82557, 2462)
    """
    file, entry = resolve("shelters_japan", path, directory)
    frame = reader.read_csv(file, required=["lg_code6", "name", "lon", "lat"])
    out = frame[[reader.LINE]].copy()
    out["code"] = reader.codes(frame, "lg_code6", "lg6", file)
    out["name"] = frame["name"]
    out["address"] = frame.get("address", "")
    out["common_id"] = frame.get("common_id", "")
    lon, _ = reader.numbers(frame, "lon", file, suppressed=False)
    lat, _ = reader.numbers(frame, "lat", file, suppressed=False)
    # Published in WGS84/JGD2011 lon/lat, which differ by well under a metre: labelled, not
    # reprojected.
    return Table(
        points.points_frame(out, lon, lat, file),
        entry,
        Path(file),
        ["assigned to the registering municipality (not spatially)"],
    )
