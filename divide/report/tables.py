"""Tables for the tools a prefectural office uses: Excel, CSV (UTF-8 with BOM), GeoPackage for QGIS.

The tables arrive here already passed through disclosure control (:mod:`divide.report.disclosure`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.frame.columns import label


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
