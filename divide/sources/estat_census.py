"""2020 Census tables as extracted from the e-Stat API (one row per area, ``jisCode`` + values).

Layout (UTF-8): ``jisCode`` (5-digit), the value columns, ``sourceUrl``, ``updatedAt``. Rows cover
cities, designated cities *and* their wards, special wards, towns and villages. Areas whose cell is
"-" on e-Stat are absent (双葉町 07546: no residents on 2020-10-01 because of the evacuation order).
"""

from __future__ import annotations

from pathlib import Path

from divide.notes import note
from divide.sources import reader
from divide.sources.table import Table, resolve

_LAYOUTS: dict[str, dict[str, str]] = {
    "census_population": {"population": "population"},
    "census_aging": {"elderlyPopulation": "pop_65plus"},
    "census_households": {
        "totalGeneralHouseholds": "households",
        "elderlySingleHouseholds": "elderly_single_hh",
        "elderlyCoupleHouseholds": "elderly_couple_hh",
    },
}


def load_census(
    dataset_id: str, *, path: Path | None = None, directory: Path | None = None
) -> Table:
    """One of ``census_population``, ``census_aging``, ``census_households`` -> code + value
    columns.
    """
    columns = _LAYOUTS[dataset_id]
    file, entry = resolve(dataset_id, path, directory)
    frame = reader.read_csv(file, required=["jisCode", *columns])
    out = frame[[reader.LINE]].copy()
    out["code"] = reader.codes(frame, "jisCode", "code5", file)
    if "municipality" in frame:
        out["name"] = frame["municipality"]
    notes = []
    for source, target in columns.items():
        values, suppressed = reader.numbers(frame, source, file)
        out[target] = values
        if suppressed.any():
            notes.append(note("census.suppressed", cells=int(suppressed.sum()), column=source))
    reader.unique(out, "code", file, column="jisCode")
    return Table(out.reset_index(drop=True), entry, file, notes)
