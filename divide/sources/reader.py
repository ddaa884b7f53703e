"""Reading Japanese official tables without losing or inventing anything.

Official files arrive as UTF-8, UTF-8 with BOM or cp932; numbers come with full-width digits,
thousands separators and suppression marks (``-``, ``…``, ``X``, ``***``). Every publisher module
reads through these helpers, so every malformed file fails the same way: a :class:`DivideDataError`
naming the file, the line (as an editor shows it, header = line 1) and the column.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from divide.codes import CodeForm, normalize_code
from divide.errors import DivideDataError

LINE = "_line"  # column added to every table: the line of the input file the row came from

SUPPRESSED = frozenset({"-", "−", "―", "…", "...", "x", "X", "*", "**", "***", "－", "ｘ", "Ｘ"})


def decode(data: bytes, file: str | Path) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or cp932; return the text and the encoding used."""
    if not data.strip():
        raise DivideDataError("the file is empty", file=file)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _decode_error(data, exc, file, "UTF-8 (with BOM)") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp932"), "cp932"
        except UnicodeDecodeError as cp932_error:
            # Report where the more plausible encoding broke: the one that decoded more of the file.
            worst = utf8_error if utf8_error.start >= cp932_error.start else cp932_error
            raise _decode_error(data, worst, file, "UTF-8 or cp932") from worst


def _decode_error(
    data: bytes, exc: UnicodeDecodeError, file: str | Path, tried: str
) -> DivideDataError:
    line = data[: exc.start].count(b"\n") + 1
    return DivideDataError(f"cannot decode as {tried} (byte {exc.start})", file=file, row=line)


def existing_file(path: str | Path) -> Path:
    """``path`` as a Path, or a clear error when it is missing or is a folder (before any parser
    sees it).
    """
    path = Path(path)
    if path.is_dir():
        raise DivideDataError("this is a folder, not a file", file=path)
    if not path.is_file():
        raise DivideDataError("file not found", file=path)
    return path


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a file, with the errors of :func:`existing_file`."""
    try:
        return existing_file(path).read_bytes()
    except PermissionError as exc:
        raise DivideDataError("the file cannot be read (permission denied)", file=path) from exc


def read_csv(
    path: str | Path,
    *,
    required: Sequence[str] = (),
    header_row: int = 0,
    unique_header: bool = True,
) -> pd.DataFrame:
    """Read a CSV into a DataFrame of stripped strings plus the source line in column ``_line``.

    Fails on: empty file, undecodable bytes, a missing required column, a row with fewer or more
    fields than the header (a truncated or shifted file), a header without data rows.
    """
    path = Path(path)
    text, _ = decode(read_bytes(path), path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    index = -1
    previous_end = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DivideDataError(
                f"malformed CSV ({exc}): truncated file or unbalanced quotes",
                file=path,
                row=previous_end + 1,
            ) from exc
        index += 1
        line, previous_end = previous_end + 1, reader.line_num
        if index < header_row:
            continue
        if header is None:
            header = [h.strip() for h in record]
            continue
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(header):
            what = "fewer" if len(record) < len(header) else "more"
            raise DivideDataError(
                f"{what} fields than the header ({len(record)} vs {len(header)}): truncated or "
                "shifted row",
                file=path,
                row=line,
            )
        rows.append([cell.strip() for cell in record])
        lines.append(line)
    if header is None:
        raise DivideDataError("no header row", file=path)
    missing = [c for c in required if c not in header]
    if missing:
        raise DivideDataError(
            f"required column missing (have: {', '.join(header)})", file=path, column=missing[0]
        )
    if not rows:
        raise DivideDataError("the file has a header but no data rows", file=path)
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated and unique_header:
        raise DivideDataError("column name appears twice", file=path, column=duplicated[0])
    frame = pd.DataFrame(rows, columns=header, dtype="object")
    frame[LINE] = lines
    return frame


def read_sheet(path: str | Path) -> pd.DataFrame:
    """The first sheet of an Excel workbook as :func:`read_csv` returns a CSV: stripped strings and
    ``_line``.

    The header is the first non-empty row; ``_line`` is the row number Excel shows. Numbers are
    written as Excel holds them (``72010`` for a code whose leading zero Excel dropped: the code
    readers restore it).
    """
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, openpyxl and XML errors all mean the same to the analyst
        raise DivideDataError(
            f"not a readable Excel workbook ({type(exc).__name__}: {exc})", file=path
        ) from exc
    rows, lines, header = [], [], None
    for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        cells = [
            ""
            if v is None
            else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)).strip()
            for v in values
        ]
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        rows.append(cells[: len(header)] + [""] * (len(header) - len(cells)))
        lines.append(number)
    book.close()
    if header is None or not rows:
        raise DivideDataError("the first sheet has no header and data rows", file=path)
    frame = pd.DataFrame(rows, columns=header, dtype="object")
    frame[LINE] = lines
    return frame


def fail_at(
    frame: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    message: str,
    *,
    file: str | Path,
    column: str | None = None,
    value_column: str | None = None,
) -> None:
    """Raise a :class:`DivideDataError` at the first row where ``mask`` is True (nothing when none
    is).

    The row is the source line kept in ``_line`` (features and records are numbered from 1 when a
    table has no ``_line``); the value shown is the cell of ``value_column`` (default ``column``).
    """
    flags = (
        mask.fillna(False).to_numpy(dtype=bool)
        if isinstance(mask, pd.Series)
        else np.asarray(mask, dtype=bool)
    )
    if not flags.any():
        return
    position = int(np.argmax(flags))
    row = int(frame[LINE].iloc[position]) if LINE in frame else position + 1
    shown = value_column or column
    value = frame[shown].iloc[position] if shown is not None and shown in frame else None
    raise DivideDataError(message, file=file, row=row, column=column, value=value)


def numbers(
    frame: pd.DataFrame,
    column: str,
    file: str | Path,
    *,
    negative: bool = False,
    suppressed: bool = True,
) -> tuple[pd.Series, pd.Series]:
    """Parse one column as numbers; return (values, was_suppressed).

    Full-width digits, thousands separators and ``%`` are accepted. Suppression marks become NaN and
    are flagged so callers can tell "not published" from "zero". Empty cells become NaN (not
    flagged). Anything else that is not a number, or a negative value where counts are expected,
    raises.
    """
    raw = frame[column]
    fast = pd.to_numeric(raw, errors="coerce")
    if fast.notna().all():  # the common case: plain ASCII numbers, nothing to clean
        values, is_suppressed = fast, pd.Series(False, index=frame.index)
    else:
        text = raw.astype("string").str.normalize("NFKC").str.strip()
        is_suppressed = text.isin(SUPPRESSED).fillna(False).astype(bool)
        if not suppressed:
            fail_at(
                frame,
                is_suppressed,
                "suppressed cell where a value is required",
                file=file,
                column=column,
            )
        cleaned = text.str.replace(",", "", regex=False).str.rstrip("%").str.strip()
        cleaned = cleaned.mask(is_suppressed | (cleaned == ""))
        values = pd.to_numeric(cleaned, errors="coerce")
        fail_at(frame, values.isna() & cleaned.notna(), "not a number", file=file, column=column)
    if not negative:
        fail_at(
            frame,
            values < 0,
            "negative value where a count or rate is expected",
            file=file,
            column=column,
        )
    return values.astype("float64"), is_suppressed


def codes(
    frame: pd.DataFrame,
    column: str,
    form: CodeForm,
    file: str | Path,
    *,
    allow_missing: bool = False,
) -> pd.Series:
    """Normalise a code column to 5-digit strings; errors name the row. Missing -> <NA> if allowed."""
    out: list[str | None] = []
    for value, line in zip(frame[column], frame[LINE], strict=True):
        text = (
            ""
            if value is None or (isinstance(value, float) and np.isnan(value))
            else str(value).strip()
        )
        if text in ("", "<NA>", "NA", "nan"):
            if not allow_missing:
                raise DivideDataError(
                    "municipal code missing", file=file, row=int(line), column=column
                )
            out.append(None)
            continue
        out.append(normalize_code(text, form, file=str(file), row=int(line), column=column))
    return pd.Series(out, index=frame.index, dtype="string")


def unique(
    frame: pd.DataFrame, key: str | list[str], file: str | Path, *, column: str | None = None
) -> None:
    """Raise on the first duplicated key, naming both lines."""
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        rows = frame[dup]
        first = rows.iloc[0]
        keys = [key] if isinstance(key, str) else key
        same = rows[(rows[keys] == first[keys]).all(axis=1)]
        lines = ", ".join(str(int(x)) for x in same[LINE].head(3))
        raise DivideDataError(
            f"duplicate key {tuple(first[keys])} on lines {lines}",
            file=file,
            row=int(same[LINE].iloc[1]),
            column=column or keys[0],
        )
