"""Fixed broadband: municipal FTTH household coverage, when the analyst supplies MIC's table.

No municipal broadband table is in the mirror. MIC publishes 「ＦＴＴＨ世帯カバー率（市区町村別）」
as xlsx (e.g. 令和５年度末: https://www.soumu.go.jp/main_content/001026064.xlsx); an analyst who
downloads it passes the file to :func:`load_broadband_coverage`. Two layouts are accepted
(``docs/inputs.md``):

* **MIC xlsx** (:mod:`divide.sources.mic_xlsx`): a title block (which gives the reference date, e.g.
  「令和５年度末」), a header row with 「市区町村」 and 「カバー率」 (or 「整備率」), optionally
  「都道府県」 and a code column. Codes stored as *numbers* lose their leading zero in Excel
  (``72010`` for 072010): they are read back. Without a code column, rows are matched on prefecture
  + name against ``reference``.
* **plain CSV**: ``code,value,as_of,source`` (code 5 or 6 digits, as text or as Excel wrote it).

Units are decided per file and said in the notes: all values ≤ 1 is a file of fractions (multiplied
by 100); otherwise percents, and a value strictly between 0 and 1 among percents is refused (is it
0.9 % or 90 %?). A value above 100 % is refused. Rows that match no municipality, or have no value,
are returned in ``rejected`` for the join report.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from divide.errors import DivideDataError
from divide.notes import note
from divide.provenance import Dataset
from divide.sources import reader
from divide.sources.coverage import REJECTED_COLUMNS, normalise_codes, to_percent
from divide.sources.mic_xlsx import read_mic_xlsx
from divide.sources.table import Table


def user_dataset(path: Path, as_of: str) -> Dataset:
    """Provenance for a coverage file the analyst supplies (MIC's table, cited as MIC requires)."""
    return Dataset(
        id="broadband_coverage",
        file=str(path),
        sha256="",
        title="ＦＴＴＨ世帯カバー率（市区町村別）",
        title_en="FTTH household coverage by municipality",
        publisher="総務省",
        reference_date=as_of,
        licence="政府標準利用規約 2.0 (CC BY 4.0 compatible)",
        credit=f"出典：総務省「ＦＴＴＨ世帯カバー率（市区町村別）」（{as_of}）",
        credit_en=f"Source: MIC, FTTH household coverage by municipality ({as_of})",
        official_url="https://www.soumu.go.jp/main_sosiki/joho_tsusin/broadband/index.html",
    )


def _read_plain_csv(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, str, list[str]]:
    frame = reader.read_csv(path, required=["code", "value", "as_of", "source"])
    out = frame[[reader.LINE, "source"]].copy()
    out["code"] = normalise_codes(frame, "code", path)
    values, _ = reader.numbers(frame, "value", path)
    out["broadband_coverage_pct"], unit = to_percent(values, frame, path, "value")
    dates = frame["as_of"].replace("", np.nan).dropna().unique()
    if len(dates) != 1:
        raise DivideDataError(
            f"the file needs one reference date in as_of (found {len(dates)})",
            file=path,
            column="as_of",
        )
    empty = out["broadband_coverage_pct"].isna()
    rejected = pd.DataFrame(
        {
            reader.LINE: out.loc[empty, reader.LINE],
            "pref": None,
            "name": out.loc[empty, "code"],
            "reason": "no value",
        },
        columns=REJECTED_COLUMNS,
    )
    return out[~empty], rejected, str(dates[0]), [unit]


def load_broadband_coverage(
    path: str | Path, *, reference: pd.DataFrame | None = None, as_of: str | None = None
) -> Table:
    """Municipal FTTH coverage -> code, broadband_coverage_pct, source (+ ``_line``), with its
    reference date.

    ``reference``: DataFrame(code, pref_code, name_ja) used to match rows that carry only names.
    ``as_of``: the reference date, when the file's title block does not say it.
    """
    path = reader.existing_file(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame, rejected, stated, notes = read_mic_xlsx(path, reference)
    elif path.suffix.lower() in (".csv", ".txt"):
        frame, rejected, stated, notes = _read_plain_csv(path)
    else:
        raise DivideDataError(
            "broadband coverage must be MIC's xlsx or a CSV (code,value,as_of,source)", file=path
        )
    if frame.empty:
        raise DivideDataError("no municipal rows found", file=path)
    reference_date = as_of or stated
    if not reference_date:
        raise DivideDataError(
            "no reference date in the title block (e.g. 令和５年度末): give the date the figures "
            "refer to: load_frame(..., broadband_as_of='2024-03-31'), or --broadband-as-of "
            "2024-03-31 on the command line",
            file=path,
        )
    reader.unique(frame, "code", path)
    notes = [*notes, note("broadband.reference_date", date=reference_date)]
    if len(rejected):
        notes.append(note("broadband.rejected", rows=len(rejected)))
    return Table(
        frame.reset_index(drop=True),
        user_dataset(path, reference_date),
        path,
        notes,
        rejected=rejected,
    )
