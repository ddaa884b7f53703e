"""The values of a municipal coverage table, whatever layout it came in: codes in any of the forms
Excel leaves them, percentages or fractions, and the columns of a rejected row.

Shared by the plain CSV reader (:mod:`divide.sources.broadband`) and MIC's workbook
(:mod:`divide.sources.mic_xlsx`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from divide.codes import check_digit, normalize_code
from divide.notes import note
from divide.sources import reader

REJECTED_COLUMNS = [reader.LINE, "pref", "name", "reason"]


def code_forms(codes: pd.Series) -> pd.Series:
    """The form of each code: ``lg6`` (6 digits), ``cid4`` (4 digits), ``code5`` or ``lg6_nozero``
    (5 digits).

    Excel drops the leading zero of prefectures 01-09, so ``72010`` (072010, 福島市) and ``7201``
    (07201) occur beside proper text codes. A 5-digit value that starts with 0 kept its zero
    (``code5``); one whose first two digits exceed 47 lost it (``lg6_nozero``); the rest could be
    either, and the file decides: ``lg6_nozero`` only when every one of them carries a valid check
    digit.
    """
    digits = codes.astype(str).str.strip().str.removesuffix(".0")
    length, head = digits.str.len(), pd.to_numeric(digits.str[:2], errors="coerce")
    forms = pd.Series(
        np.select(
            [length == 6, length <= 4, digits.str.startswith("0"), head > 47],
            ["lg6", "cid4", "code5", "lg6_nozero"],
            "either",
        ),
        index=codes.index,
    )
    either = forms == "either"
    padded = digits[either].str.zfill(6)
    valid = padded.str[5] == padded.str[:5].map(lambda c: check_digit(c) if c.isdigit() else "")
    forms[either] = "lg6_nozero" if either.any() and bool(valid.all()) else "code5"
    return forms


def normalise_codes(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """Canonical 5-digit codes of a code column, whichever form (and lost zero) each row has."""
    text = frame[column].astype(str).str.strip().str.removesuffix(".0")
    forms = code_forms(text)
    out = [
        normalize_code(value, form, file=str(path), row=int(line), column=column)
        for value, form, line in zip(text, forms, frame[reader.LINE], strict=True)
    ]
    return pd.Series(out, index=frame.index, dtype="string")


def to_percent(
    values: pd.Series, frame: pd.DataFrame, path: Path, column: str
) -> tuple[pd.Series, str]:
    """Coverage in percent, and a note saying which unit the file was read in."""
    present = values.dropna()
    if len(present) and (present <= 1.0).all() and (present > 0).any():
        return values * 100.0, note("broadband.fractions")
    ambiguous = (values > 0) & (values < 1)
    reader.fail_at(
        frame,
        ambiguous,
        "a value between 0 and 1 among percentages: a fraction (×100) or under 1 %? "
        "Give the whole file in one unit",
        file=path,
        column=column,
    )
    reader.fail_at(frame, values > 100.0 + 1e-9, "coverage above 100 %", file=path, column=column)
    return values, note("broadband.percent")
