"""An analyst's own resident survey (県政世論調査, 市民意識調査 …): internet use by area, year, age.

**Layout** (CSV, UTF-8 or cp932, or the first sheet of an xlsx; one row per surveyed group):

``area``
    The municipalities the row covers: 5-digit codes (``07201``), 6-digit codes with check digit
    (``072010``), or a 2-digit prefecture code for the whole prefecture (``07``); several codes
    separated by ``;``, ``,``, ``/``, ``|`` or spaces (``07201;07203``: a region surveyed as one).
``year``
    The survey year (4 digits).
``n``
    Respondents of the group (before weighting).
a rate
    One of ``offline_pct`` (percent *not* using the internet), ``use_pct`` (percent using), or a
    count ``offline_count`` / ``use_count`` out of ``n``.
``age_lo``, ``age_hi`` (optional)
    The respondents' age band (``age_hi`` empty: open band, e.g. 75+). Without them the row is about
    residents aged 15+.
``design_effect`` (optional, default 1)
    How much the survey's design inflates the variance of its rate (weighting, clustering);
    1 for a simple random sample.
``label`` (optional)
    A name for the group (``県北地域``), shown in the report.

Every problem names the file, the row and the column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from divide.codes import PREFECTURES, normalize_code
from divide.errors import DivideDataError
from divide.sources.reader import LINE, fail_at, numbers, read_csv, read_sheet

RATES = ("offline_pct", "use_pct", "offline_count", "use_count")
SEPARATORS = re.compile(r"[;,/|、\s]+")


def _table(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        table = source.astype("object").astype(str).replace({"nan": "", "None": "", "<NA>": ""})
        return table.assign(**{LINE: np.arange(2, len(table) + 2)}), "<DataFrame>"
    path = Path(source)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_sheet(path), str(path)
    return read_csv(path), str(path)


def _areas(table: pd.DataFrame, file: str, known: pd.Index) -> list[tuple[str, ...]]:
    """Each row's municipalities (5-digit codes), a prefecture code standing for all of it."""
    out = []
    for text, line in zip(table["area"], table[LINE], strict=True):
        parts = [p for p in SEPARATORS.split(str(text).strip()) if p]
        if not parts:
            raise DivideDataError("no area code", file=file, row=int(line), column="area")
        codes: list[str] = []
        for part in parts:
            if part.isdigit() and len(part) <= 2 and f"{int(part):02d}" in PREFECTURES:
                codes += [c for c in known if c[:2] == f"{int(part):02d}"]
                continue
            code = normalize_code(part, "code5_or_lg6", file=file, row=int(line), column="area")
            if code not in known:
                raise DivideDataError(
                    f"municipality {code} is not in the frame (a ward, or another area?)",
                    file=file,
                    row=int(line),
                    column="area",
                    value=part,
                )
            codes.append(code)
        out.append(tuple(dict.fromkeys(codes)))
    return out


def _offline_share(table: pd.DataFrame, file: str, n: pd.Series) -> pd.Series:
    given = [c for c in RATES if c in table and table[c].astype(str).str.strip().ne("").any()]
    if len(given) != 1:
        what = "none" if not given else ", ".join(given)
        raise DivideDataError(
            f"give exactly one rate column of {', '.join(RATES)} (found: {what})", file=file
        )
    column = given[0]
    values, _ = numbers(table, column, file, suppressed=False)
    fail_at(table, values.isna(), "a rate is required on every row", file=file, column=column)
    if column.endswith("_count"):
        fail_at(table, values > n, "count larger than n", file=file, column=column)
        share = values / n
    else:
        fail_at(table, values > 100, "a percentage 0-100 is required", file=file, column=column)
        share = values / 100
    offline = share if column.startswith("offline") else 1 - share
    fail_at(
        table,
        (offline <= 0) | (offline >= 1),
        "a rate of exactly 0 or 100 % cannot be weighed (too few respondents?)",
        file=file,
        column=column,
    )
    return offline


def load_resident_survey(source: str | Path | pd.DataFrame, known: pd.Index) -> pd.DataFrame:
    """Read and check a resident survey (layout in the module docstring).

    Returns one row per group: ``label``, ``codes`` (tuple of 5-digit codes), ``year``, ``n``,
    ``offline_share``, ``design_effect``, ``age_lo``, ``age_hi`` (NaN when not given), ``line``.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"area": ["07201;07203"], "year": [2024], "n": [800],
    ...                      "use_pct": [78.5], "label": ["県北"]})
    >>> survey = load_resident_survey(rows, pd.Index(["07201", "07203", "07204"]))
    >>> survey.loc[0, "codes"], round(float(survey.loc[0, "offline_share"]), 3)
    (('07201', '07203'), 0.215)
    """
    table, file = _table(source)
    for column in ("area", "year", "n"):
        if column not in table:
            raise DivideDataError("required column missing", file=file, column=column)
    n, _ = numbers(table, "n", file, suppressed=False)
    fail_at(
        table, n.isna() | (n < 1), "n must be a number of respondents ≥ 1", file=file, column="n"
    )
    year, _ = numbers(table, "year", file, suppressed=False)
    fail_at(
        table,
        year.isna() | (year < 2000) | (year > 2100),
        "a 4-digit year",
        file=file,
        column="year",
    )
    deff = pd.Series(1.0, index=table.index)
    if "design_effect" in table and table["design_effect"].astype(str).str.strip().ne("").any():
        deff, _ = numbers(table, "design_effect", file, suppressed=False)
        fail_at(
            table,
            ~(deff >= 1),
            "a design effect ≥ 1 is required",
            file=file,
            column="design_effect",
        )
    ages = {}
    for column in ("age_lo", "age_hi"):
        if column in table:
            ages[column], _ = numbers(table, column, file)
        else:
            ages[column] = pd.Series(np.nan, index=table.index)
    fail_at(
        table,
        ages["age_lo"].isna() & ages["age_hi"].notna(),
        "age_hi without age_lo",
        file=file,
        column="age_lo",
    )
    fail_at(table, ages["age_lo"] < 15, "the estimate covers ages 15+", file=file, column="age_lo")
    labels = table["label"] if "label" in table else table["area"]
    return pd.DataFrame(
        {
            "label": labels.astype(str).to_numpy(),
            "codes": _areas(table, file, known),
            "year": year.astype(int).to_numpy(),
            "n": n.to_numpy(),
            "offline_share": _offline_share(table, file, n).to_numpy(),
            "design_effect": deff.to_numpy(dtype=float),
            "age_lo": ages["age_lo"].to_numpy(),
            "age_hi": ages["age_hi"].to_numpy(),
            "line": table[LINE].to_numpy(),
        }
    )
