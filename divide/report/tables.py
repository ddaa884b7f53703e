"""Tables for the tools a prefectural office uses: Excel, CSV (UTF-8 with BOM), GeoPackage for QGIS.

The tables arrive suppressed and localised (:mod:`divide.report.pack_tables`), each column with its
unit. Excel gets number formats by unit (people as integers with separators, shares as percentages,
km with one decimal, codes as text), a frozen header row and first column, and widths fitted to the
content; the CSV gets whole numbers for counts of people, so that it opens in Excel as the sheet
does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

# unit -> Excel number format
FORMATS = {
    "persons": "#,##0",
    "count": "#,##0",
    "rank": "0",
    "year": "0",
    "fraction": "0.0%",
    "km": "0.0",
    "points": "0.00",
    "score": "0.0",
    "percent": "0.0",
    "degree": "0.00000",
    "number": "#,##0.00",
}
WIDTH_MIN, WIDTH_MAX = 8, 48


def _width(values: Iterable[object]) -> int:
    """Excel column width for the longest text (a kanji counts twice)."""
    widest = max(
        (sum(2 if ord(c) > 0x2E80 else 1 for c in str(v)) for v in values), default=WIDTH_MIN
    )
    return int(min(max(widest + 2, WIDTH_MIN), WIDTH_MAX))


def write_xlsx(sheets: Sequence[tuple[str, pd.DataFrame, dict[str, str]]], path: Path) -> Path:
    """One sheet per (name, table, units); numbers formatted by unit, header frozen, widths fitted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        book = writer.book
        header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEF3F8", "border": 1}
        )
        formats = {unit: book.add_format({"num_format": fmt}) for unit, fmt in FORMATS.items()}
        text = book.add_format({"num_format": "@"})
        for name, table, units in sheets:
            sheet_name = name[:31]
            table.to_excel(writer, sheet_name=sheet_name, index=False, startrow=1, header=False)
            sheet = writer.sheets[sheet_name]
            for j, column in enumerate(table.columns):
                sheet.write(0, j, column, header)
                unit = units.get(column, "number")
                shown = table[column].head(500)
                width = (
                    _width([column, *shown])
                    if unit in ("text", "code")
                    else _width([*shown.map(_short)])
                )
                sheet.set_column(
                    j,
                    j,
                    max(width, min(_width([column]) // 2 + 2, WIDTH_MAX)),
                    text if unit == "code" else formats.get(unit),
                )
            sheet.set_row(0, 48)
            sheet.freeze_panes(1, 1)
            sheet.autofilter(0, 0, len(table), len(table.columns) - 1)
    return path


def _short(value: object) -> str:
    """A number as Excel shows it with its format (for column widths)."""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def write_csv(table: pd.DataFrame, units: dict[str, str], path: Path) -> Path:
    """UTF-8 with BOM (Excel on Japanese Windows opens it without mojibake), counts of people as
    whole numbers.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    out = table.copy()
    for column, unit in units.items():
        if unit in ("persons", "count", "rank", "year") and column in out:
            numbers = pd.to_numeric(out[column], errors="coerce")
            out[column] = [
                f"{round(n):d}" if pd.notna(n) else ("" if pd.isna(v) else v)
                for n, v in zip(numbers, out[column], strict=True)
            ]
        elif unit in ("fraction", "km", "score", "points") and column in out:
            numbers = pd.to_numeric(out[column], errors="coerce")
            out[column] = [
                f"{n:.4f}" if pd.notna(n) else ("" if pd.isna(v) else v)
                for n, v in zip(numbers, out[column], strict=True)
            ]
    out.to_csv(path, encoding="utf-8-sig", lineterminator="\r\n", index=False)
    return path


def write_gpkg(
    layers: dict[str, gpd.GeoDataFrame], path: Path, credits: Iterable[str] = ()
) -> Path:
    """A GeoPackage with one layer per entry (EPSG:6668), for QGIS; credit lines in the dataset
    metadata.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    for name, layer in layers.items():
        plain = layer.copy()
        for column in plain.columns:
            if column != "geometry" and plain[column].dtype == object:
                plain[column] = plain[column].astype(str)
        plain.to_file(
            path,
            layer=name,
            driver="GPKG",
            dataset_metadata={"CREDITS": " / ".join(credits), "PRODUCER": "divide"},
        )
    return path
