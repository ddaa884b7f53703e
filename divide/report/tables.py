"""Tables for the tools a prefectural office uses: Excel, CSV (UTF-8 with BOM), GeoPackage for QGIS.

Disclosure control: estimated or derived counts of people below ``k`` (default 10) are suppressed in
exported tables (shown as ``<k``; the GeoPackage gets an empty cell) unless the column is already
published (census counts are). The suppression report lists which cells were suppressed, never their
values.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.frame.columns import label

# Counts that divide estimates or derives: suppressed when small. Published counts are not.
SUPPRESSIBLE = ("offline_count", "offline_count_lo", "offline_count_hi", "headcount", "headcount_lo",
                "headcount_hi", "covers", "covered")
PUBLISHED = ("population", "pop_65plus", "households", "elderly_single_hh", "elderly_couple_hh",
             "registered_2020", "registered_2021", "registered_2022", "pop_2025_prelim")


def suppress_small_counts(table: pd.DataFrame, name: str, *, k: int = 10, columns: Iterable[str] = SUPPRESSIBLE,
                          as_text: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace counts below ``k`` by ``"<k"`` (or an empty cell when ``as_text`` is False, for GIS layers).

    Returns the table and a report (table, row, column) of what was suppressed.
    """
    out = table.copy()
    rows = []
    for column in columns:
        if column not in out or column in PUBLISHED:
            continue
        values = pd.to_numeric(out[column], errors="coerce")
        small = values.notna() & (values < k)
        if small.any():
            if as_text:
                out[column] = out[column].astype(object)
                out.loc[small, column] = f"<{k}"
            else:
                out.loc[small, column] = float("nan")
            rows += [{"table": name, "row": str(index), "column": column} for index in out.index[small]]
    return out, pd.DataFrame(rows, columns=["table", "row", "column"])


def headers(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Column names in Japanese (default) or English from the column catalogue."""
    return table.rename(columns={c: label(c, lang) for c in table.columns})


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """UTF-8 with BOM, so that Excel on Japanese Windows opens it without mojibake."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_xlsx(sheets: dict[str, pd.DataFrame], notes: pd.DataFrame, path: Path) -> Path:
    """One sheet per table (first row frozen, columns sized) and a notes sheet with sources and credits."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name[:31])
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes = "B2"
            for column_cells in sheet.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in column_cells[:200])
                sheet.column_dimensions[column_cells[0].column_letter].width = min(max(10, width * 1.6), 60)
        notes.to_excel(writer, sheet_name="notes", index=False)
        writer.sheets["notes"].column_dimensions["A"].width = 28
        writer.sheets["notes"].column_dimensions["B"].width = 120
    return path


def write_gpkg(layers: dict[str, gpd.GeoDataFrame], path: Path, credits: Iterable[str] = ()) -> Path:
    """A GeoPackage with one layer per entry (EPSG:6668), for QGIS; credit lines in the dataset metadata."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    for name, layer in layers.items():
        plain = layer.copy()
        for column in plain.columns:
            if column != "geometry" and plain[column].dtype == object:
                plain[column] = plain[column].astype(str)
        plain.to_file(path, layer=name, driver="GPKG",
                      dataset_metadata={"CREDITS": " / ".join(credits), "PRODUCER": "divide"})
    return path
