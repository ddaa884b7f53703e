"""Municipal indicators compiled by Soshi-1114/kurashi-map from official releases (one row per
area).

Columns used: ``code`` (5-digit), ``name``, ``is_ward``, ``pop_2025_prelim`` (2025 Census
preliminary count, 2025-10-01), ``pop_change_rate_2020_2025_pct``, ``area_km2`` (GSI 面積調,
2026-04-01), ``stations``, ``ipss_base2020``, ``ipss_total_2025`` … ``ipss_total_2050``,
``ipss_elderly65_2050`` and ``ipss_source_note``. IPSS projects Fukushima's 13 浜通り municipalities
only as one region: their IPSS cells hold 0 or blank with a note, and are returned as missing with
``ipss_projected = False``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from divide.notes import note
from divide.sources import reader
from divide.sources.table import Table, resolve

IPSS_YEARS = (2025, 2030, 2035, 2040, 2045, 2050)
_NUMERIC = (
    "pop_2025_prelim",
    "pop_change_rate_2020_2025_pct",
    "area_km2",
    "gsi_emergency_evac_sites",
    "stations",
    "medical_facilities",
    "preschools",
    "foreign_residents",
    "ipss_base2020",
    *(f"ipss_total_{y}" for y in IPSS_YEARS),
    "ipss_elderly65_2050",
)


def load_indicators_2025(*, path: Path | None = None, directory: Path | None = None) -> Table:
    file, entry = resolve("indicators_2025", path, directory)
    frame = reader.read_csv(
        file, required=["code", "name", "is_ward", "pop_2025_prelim", "area_km2"]
    )
    out = frame[[reader.LINE, "name"]].copy()
    out["code"] = reader.codes(frame, "code", "code5", file)
    out["is_ward"] = frame["is_ward"].str.lower().eq("true")
    for column in _NUMERIC:
        if column in frame:
            out[column], _ = reader.numbers(frame, column, file, negative=column.endswith("_pct"))
    not_projected = (out["ipss_base2020"].fillna(0) == 0) & (out["pop_2025_prelim"].fillna(0) > 0)
    out["ipss_projected"] = ~not_projected
    ipss = ["ipss_base2020", *(f"ipss_total_{y}" for y in IPSS_YEARS), "ipss_elderly65_2050"]
    out.loc[not_projected, ipss] = np.nan
    out["ipss_note"] = frame.get("ipss_source_note", "")
    reader.unique(out, "code", file)
    notes = []
    if not_projected.any():
        names = out.loc[not_projected & ~out["is_ward"], "name"]
        codes = out.loc[not_projected & ~out["is_ward"], "code"]
        notes.append(
            note(
                "ipss.no_projection",
                codes=codes,
                n=len(names),
                names=list(names),
                wards=int((not_projected & out["is_ward"]).sum()),
            )
        )
    return Table(out.reset_index(drop=True), entry, file, notes)
