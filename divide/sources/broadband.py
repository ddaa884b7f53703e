"""Fixed broadband: FTTH adoption by prefecture, and municipal FTTH household coverage when supplied.

No municipal broadband table is in the mirror. MIC publishes 「ＦＴＴＨ世帯カバー率（市区町村別）」 as
xlsx (e.g. 令和５年度末: https://www.soumu.go.jp/main_content/001026064.xlsx); an analyst who downloads it
passes the file to :func:`load_broadband_coverage`. Two layouts are accepted (see docs/broadband.md):

* **MIC xlsx**: a title block, then a header row with a cell containing 「市区町村」 and a cell containing
  「カバー率」 (or 「整備率」); optionally 「都道府県」 and a code column (「団体コード」/「市区町村コード」,
  5 or 6 digits). Prefecture cells may be merged (blank below: carried down). Subtotal rows (計, 合計,
  全国) are skipped. Values are percentages (``99.8``, ``"99.8%"``) or fractions (``0.998``; converted
  when every value is ≤ 1). Without a code column, rows are matched on prefecture + name against the
  ``reference`` municipalities.
* **plain CSV**: ``code,value,as_of,source`` (code 5 or 6 digits; value in percent 0-100).

Rows that match no municipality are returned in ``data.attrs['unmatched']`` for the join report.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from divide.codes import normalize_code, normalize_name, normalize_pref
from divide.errors import DivideDataError
from divide.provenance import Dataset
from divide.sources import reader
from divide.sources.table import Table, resolve

_SUBTOTALS = {"計", "合計", "全国", "全国計", "小計"}


def load_ftth_adoption(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """pref_code, ftth_adoption_pct (subscriptions per household, 2024-03)."""
    file, entry = resolve("ftth_adoption", path, directory)
    frame = reader.read_csv(file, required=["pref_name", "ftth_adoption_pct"])
    out = frame[[reader.LINE]].copy()
    try:
        out["pref_code"] = [normalize_pref(p) for p in frame["pref_name"]]
    except ValueError as exc:
        raise DivideDataError(str(exc), file=file, column="pref_name") from exc
    out["ftth_adoption_pct"], _ = reader.numbers(frame, "ftth_adoption_pct", file, suppressed=False)
    reader.unique(out, "pref_code", file, column="pref_name")
    return Table(out, entry, file, ["third-party transcription; adoption, not coverage"])


def user_dataset(path: Path, as_of: str) -> Dataset:
    """Provenance for a coverage file the analyst supplies (MIC's table, cited as MIC requires)."""
    return Dataset(
        id="broadband_coverage", file=str(path), sha256="", title="ＦＴＴＨ世帯カバー率（市区町村別）",
        title_en="FTTH household coverage by municipality", publisher="総務省", reference_date=as_of,
        licence="政府標準利用規約 2.0 (CC BY 4.0 compatible)",
        credit="出典：総務省「ＦＴＴＨ世帯カバー率（市区町村別）」",
        credit_en="Source: MIC, FTTH household coverage by municipality",
        official_url="https://www.soumu.go.jp/main_sosiki/joho_tsusin/broadband/index.html")


def load_broadband_coverage(path: str | Path, *, reference: pd.DataFrame | None = None,
                            as_of: str | None = None) -> Table:
    """Municipal FTTH coverage -> code, broadband_coverage_pct, as_of, source (+ ``_line``).

    ``reference``: DataFrame(code, pref_code, name_ja) used to match rows that carry only names.
    """
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame, unmatched = _read_mic_xlsx(path, reference)
        frame["as_of"] = as_of or ""
        frame["source"] = "総務省 ＦＴＴＨ世帯カバー率（市区町村別）"
    elif path.suffix.lower() in (".csv", ".txt"):
        frame, unmatched = _read_plain_csv(path)
    else:
        raise DivideDataError("broadband coverage must be MIC's xlsx or a CSV (code,value,as_of,source)", file=path)
    if frame.empty:
        raise DivideDataError("no municipal rows found", file=path)
    too_high = frame["broadband_coverage_pct"] > 100.0 + 1e-9
    if too_high.any():
        i = too_high.idxmax()
        raise DivideDataError("coverage above 100 %", file=path, row=int(frame.at[i, reader.LINE]), column="value",
                              value=frame.at[i, "broadband_coverage_pct"])
    reader.unique(frame, "code", path)
    frame.attrs["unmatched"] = unmatched
    stamp = as_of or (str(frame["as_of"].iloc[0]) if "as_of" in frame and len(frame) else "")
    notes = [f"{len(unmatched)} rows matched no municipality"] if len(unmatched) else []
    return Table(frame.reset_index(drop=True), user_dataset(path, stamp), path, notes)


def _read_plain_csv(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = reader.read_csv(path, required=["code", "value", "as_of", "source"])
    out = frame[[reader.LINE, "as_of", "source"]].copy()
    form = ["lg6" if len(unicodedata.normalize("NFKC", c)) == 6 else "code5" for c in frame["code"]]
    out["code"] = [normalize_code(c, f, file=str(path), row=int(line), column="code")
                   for c, f, line in zip(frame["code"], form, frame[reader.LINE], strict=True)]
    out["broadband_coverage_pct"], _ = reader.numbers(frame, "value", path)
    empty = pd.DataFrame(columns=[reader.LINE, "pref", "name", "reason"])
    return out, empty


def _find_header(rows: list[tuple[object, ...]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:40]):
        cells = [unicodedata.normalize("NFKC", str(c)).replace(" ", "") if c is not None else "" for c in row]
        columns: dict[str, int] = {}
        for position, cell in enumerate(cells):
            if "コード" in cell:
                columns.setdefault("code", position)
            elif "市区町村" in cell or "市町村" in cell:
                columns.setdefault("name", position)
            elif "都道府県" in cell:
                columns.setdefault("pref", position)
            elif "カバー率" in cell or "整備率" in cell:
                columns.setdefault("value", position)
        if "name" in columns and "value" in columns:
            return index, columns
    raise ValueError("no header row with 「市区町村」 and 「カバー率」 in the first 40 rows")


def _read_mic_xlsx(path: Path, reference: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise DivideDataError(f"cannot open as xlsx ({exc})", file=path) from exc
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    try:
        header_index, columns = _find_header(rows)
    except ValueError as exc:
        raise DivideDataError(str(exc), file=path) from exc
    if "code" not in columns and reference is None:
        raise DivideDataError("the sheet has no code column: pass `reference` (the frame) to match names", file=path,
                              column="団体コード")
    lookup = {}
    if reference is not None:
        lookup = {(p, normalize_name(n)): c for c, p, n in
                  zip(reference["code"], reference["pref_code"], reference["name_ja"], strict=True)}
    records, unmatched = [], []
    pref = None
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        def cell(key: str, row: tuple[object, ...] = row) -> object:
            return row[columns[key]] if key in columns and columns[key] < len(row) else None

        if cell("pref") not in (None, ""):
            pref = str(cell("pref")).strip()
        name = cell("name")
        value = cell("value")
        if name in (None, "") or normalize_name(name) in _SUBTOTALS:
            continue
        name = str(name).strip()
        if value in (None, ""):
            unmatched.append({reader.LINE: offset, "pref": pref, "name": name, "reason": "no value"})
            continue
        if isinstance(value, str):
            text = unicodedata.normalize("NFKC", value).strip().rstrip("%")
            try:
                value = float(text)
            except ValueError as exc:
                raise DivideDataError("not a number", file=path, row=offset, column="カバー率", value=value) from exc
        code = None
        if "code" in columns and cell("code") not in (None, ""):
            raw = unicodedata.normalize("NFKC", str(cell("code"))).strip()
            code = normalize_code(raw, "lg6" if len(raw) == 6 else "code5", file=str(path), row=offset,
                                  column="団体コード")
        else:
            try:
                pref_code = normalize_pref(pref) if pref else None
            except ValueError:
                pref_code = None
            code = lookup.get((pref_code, normalize_name(name)))
            if code is None:
                unmatched.append({reader.LINE: offset, "pref": pref, "name": name,
                                  "reason": "name matches no municipality of the reference"})
                continue
        records.append({reader.LINE: offset, "code": code, "broadband_coverage_pct": float(value)})
    frame = pd.DataFrame(records, columns=[reader.LINE, "code", "broadband_coverage_pct"])
    if len(frame) and (frame["broadband_coverage_pct"] <= 1.0).all():
        frame["broadband_coverage_pct"] *= 100.0  # published as fractions
    return frame, pd.DataFrame(unmatched, columns=[reader.LINE, "pref", "name", "reason"])
