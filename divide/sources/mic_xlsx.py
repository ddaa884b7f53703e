"""MIC's 「ＦＴＴＨ世帯カバー率（市区町村別）」 workbook: title block, header row, one row per
municipality.

The first sheet is read. Within its first 40 rows a header row has a cell with 「市区町村」 and one
with 「カバー率」 (or 「整備率」); optional 「都道府県」 (merged cells: blank below means the same
prefecture) and a code column (「団体コード」/「市区町村コード」). Subtotal rows (計, 合計, 全国)
are skipped. The reference date is read from the title block above the header (「令和５年度末」 ->
2024-03-31, 「2023年3月末」 -> 2023-03-31).
"""

from __future__ import annotations

import calendar
import itertools
import re
import unicodedata
from pathlib import Path

import pandas as pd

from divide.codes import normalize_name, normalize_pref
from divide.errors import DivideDataError
from divide.notes import note
from divide.sources import reader
from divide.sources.coverage import REJECTED_COLUMNS, normalise_codes, to_percent

_SUBTOTALS = {"計", "合計", "全国", "全国計", "小計"}
_ERAS = {"令和": 2018, "平成": 1988}
_DATE = re.compile(r"(?P<era>令和|平成)?(?P<year>元|\d{1,4})年(度末|(?P<month>\d{1,2})月末?)")
_COLUMNS = (
    ("code", ("コード",)),
    ("name", ("市区町村", "市町村")),
    ("pref", ("都道府県",)),
    ("value", ("カバー率", "整備率")),
)


def _text(value: object) -> str:
    return (
        unicodedata.normalize("NFKC", str(value)).replace(" ", "").strip()
        if value is not None
        else ""
    )


def reference_date(title_rows: list[tuple[object, ...]]) -> str:
    """The date a title such as 「令和５年度末ＦＴＴＨ世帯カバー率」 states, as YYYY-MM-DD ('' when
    none).
    """
    for row in title_rows:
        for cell in row:
            match = _DATE.search(_text(cell))
            if not match:
                continue
            year = 1 if match["year"] == "元" else int(match["year"])
            year += _ERAS.get(match["era"] or "", 0)
            if (
                match["month"] is None
            ):  # 年度末: the fiscal year ends on March 31 of the next calendar year
                return f"{year + 1}-03-31"
            month = int(match["month"])
            return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    return ""


def _header_columns(cells: list[str]) -> dict[str, int]:
    """The position of each known column among a header's cell texts."""
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        key = next((k for k, words in _COLUMNS if any(w in cell for w in words)), None)
        if key is not None:
            columns.setdefault(key, position)
    return columns


def _find_header(rows: list[tuple[object, ...]], path: Path) -> tuple[int, dict[str, int]]:
    """The index of the (last) header row and the position of each column.

    A header may span two rows, as merged cells do (「ＦＴＴＨ」 over 「世帯カバー率」): when no
    single row names both columns, two rows are read together, cell by cell, and the data start
    below the second.
    """
    texts = [[_text(cell) for cell in row] for row in rows[:41]]
    for index, cells in enumerate(texts[:40]):
        columns = _header_columns(cells)
        if "name" in columns and "value" in columns:
            return index, columns
    for index, (top, below) in enumerate(itertools.pairwise(texts)):
        width = max(len(top), len(below))
        top, below = top + [""] * (width - len(top)), below + [""] * (width - len(below))
        columns = _header_columns([upper + lower for upper, lower in zip(top, below, strict=True)])
        if "name" in columns and "value" in columns:
            return index + 1, columns
    raise DivideDataError(
        "no header row with 「市区町村」 and 「カバー率」 in the first 40 rows (nor in two rows "
        "read together)",
        file=path,
    )


def _rows(path: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(reader.existing_file(path), read_only=True, data_only=True)
    except DivideDataError:
        raise
    except Exception as exc:
        raise DivideDataError(f"cannot open as xlsx ({exc})", file=path) from exc
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


def _table(rows: list[tuple[object, ...]], header: int, columns: dict[str, int]) -> pd.DataFrame:
    """One row per municipal line: line number, prefecture (carried down), name, code, value text."""
    records, pref = [], None
    for line, row in enumerate(rows[header + 1 :], start=header + 2):

        def cell(key: str, row: tuple[object, ...] = row) -> object:
            return row[columns[key]] if key in columns and columns[key] < len(row) else None

        pref = _text(cell("pref")) or pref
        name = _text(cell("name"))
        if not name or normalize_name(name) in _SUBTOTALS:
            continue
        records.append(
            {
                reader.LINE: line,
                "pref": pref,
                "name": name,
                "code": cell("code"),
                "value": "" if cell("value") is None else str(cell("value")),
            }
        )
    return pd.DataFrame(records, columns=[reader.LINE, "pref", "name", "code", "value"])


def _match_names(table: pd.DataFrame, reference: pd.DataFrame | None, path: Path) -> pd.Series:
    if reference is None:
        raise DivideDataError(
            "the sheet has no code column: pass `reference` (the frame) to match names",
            file=path,
            column="団体コード",
        )
    lookup = {
        (p, normalize_name(n)): c
        for c, p, n in zip(
            reference["code"], reference["pref_code"], reference["name_ja"], strict=True
        )
    }

    def pref_code(name: object) -> str | None:
        try:
            return normalize_pref(name) if name else None
        except ValueError:
            return None

    return pd.Series(
        [
            lookup.get((pref_code(p), normalize_name(n)))
            for p, n in zip(table["pref"], table["name"], strict=True)
        ],
        index=table.index,
        dtype="string",
    )


def read_mic_xlsx(
    path: Path, reference: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame, str, list[str]]:
    """(rows with code and percent, rejected rows, stated reference date, notes) of a MIC workbook."""
    rows = _rows(path)
    header, columns = _find_header(rows, path)
    table = _table(rows, header, columns)
    values, _ = reader.numbers(table, "value", path)
    rejected = [table[values.isna()].assign(reason="no value")]
    table, values = table[values.notna()], values[values.notna()]
    has_code = "code" in columns and table["code"].notna().all()
    codes = (
        normalise_codes(table, "code", path) if has_code else _match_names(table, reference, path)
    )
    rejected.append(
        table[codes.isna()].assign(reason="name matches no municipality of the reference")
    )
    keep = codes.notna()
    percent, unit = to_percent(values[keep], table[keep], path, "カバー率")
    out = pd.DataFrame(
        {
            reader.LINE: table.loc[keep, reader.LINE],
            "code": codes[keep],
            "broadband_coverage_pct": percent,
            "source": "総務省 ＦＴＴＨ世帯カバー率（市区町村別）",
        }
    )
    notes = [unit, note("broadband.codes_from_sheet" if has_code else "broadband.codes_by_name")]
    return out, pd.concat(rejected)[REJECTED_COLUMNS], reference_date(rows[:header]), notes
