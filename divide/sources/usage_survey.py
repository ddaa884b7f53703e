"""Digital-use surveys: MIC 通信利用動向調査 (by prefecture) and the Cabinet Office device-use
survey (by age).

``internet_use`` (2022-2024, e-Stat 世帯構成員編 parsed): one row per year × area with ``level``
(national / region / prefecture), ``pref_code``, ``internet_sample_n`` (unweighted respondents),
``internet_weighted_n`` and ``internet_use_rate_pct`` (used the Internet in the past year;
non-response stays in the denominator, so rates sit about 3 points under the headline national
figure).

``device_use_by_age``: Cabinet Office smartphone/tablet use by age band (18-29 … 70+) in 2020 and
2023, long format ``survey, fieldwork, measure, group_type, group, pct``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from divide.errors import DivideDataError
from divide.sources import reader
from divide.sources.table import Table, resolve


def load_internet_use(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """year, level, area, pref_code, sample_n, weighted_n, use_rate_pct, online_medical_pct."""
    file, entry = resolve("internet_use", path, directory)
    frame = reader.read_csv(
        file,
        required=[
            "year",
            "level",
            "area_label",
            "pref_code",
            "internet_sample_n",
            "internet_use_rate_pct",
        ],
    )
    out = frame[[reader.LINE, "level"]].copy()
    out["year"], _ = reader.numbers(frame, "year", file, suppressed=False)
    out["year"] = out["year"].astype(int)
    out["area"] = frame["pref_name"].where(frame["pref_name"] != "", frame["area_label"])
    is_pref = frame["level"].eq("prefecture")
    out["pref_code"] = frame["pref_code"].where(is_pref, "").str.zfill(2).where(is_pref)
    bad = is_pref & ~out["pref_code"].fillna("").str.fullmatch(r"(0[1-9]|[1-3]\d|4[0-7])")
    reader.fail_at(frame, bad, "prefecture code must be 01-47", file=file, column="pref_code")
    out["sample_n"], _ = reader.numbers(frame, "internet_sample_n", file, suppressed=False)
    out["weighted_n"], _ = reader.numbers(frame, "internet_weighted_n", file)
    out["use_rate_pct"], _ = reader.numbers(frame, "internet_use_rate_pct", file, suppressed=False)
    if "online_medical_rate_pct_of_internet_users" in frame:
        out["online_medical_pct"], _ = reader.numbers(
            frame, "online_medical_rate_pct_of_internet_users", file
        )
    reader.fail_at(
        frame,
        out["use_rate_pct"] > 100,
        "a percentage above 100",
        file=file,
        column="internet_use_rate_pct",
    )
    reader.unique(out, ["year", "level", "area"], file, column="area_label")
    return Table(
        out, entry, file, ["non-response kept in the denominator (rates ≈3 pt below headline)"]
    )


# Respondents of the Cabinet Office 2023 survey (fieldwork 2023-07/08, aged 18+; FIGURES.md of the
# mirror): the band rates are published without band sizes, so the survey total is allocated to
# bands by population.
DEVICE_SURVEY_RESPONDENTS_2023 = 1626

_AGE = re.compile(r"^(?P<lo>\d+)(?:-(?P<hi>\d+)|\+)$")


def load_device_use_by_age(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """survey_year, measure, group_type, group, age_lo, age_hi (None for open bands), pct."""
    file, entry = resolve("device_use_by_age", path, directory)
    frame = reader.read_csv(
        file, required=["survey", "fieldwork", "measure", "group_type", "group", "pct"]
    )
    out = frame[[reader.LINE, "measure", "group_type", "group"]].copy()
    out["survey_year"] = frame["fieldwork"].str[:4].astype(int)
    out["pct"], _ = reader.numbers(frame, "pct", file, suppressed=False)
    lows, highs = [], []
    for group, kind, line in zip(
        frame["group"], frame["group_type"], frame[reader.LINE], strict=True
    ):
        match = _AGE.match(group) if kind == "age" else None
        if kind == "age" and match is None:
            raise DivideDataError(
                "age band must look like 18-29 or 70+",
                file=file,
                row=int(line),
                column="group",
                value=group,
            )
        lows.append(int(match["lo"]) if match else pd.NA)
        highs.append(int(match["hi"]) if match and match["hi"] else pd.NA)
    out["age_lo"] = pd.array(lows, dtype="Int64")
    out["age_hi"] = pd.array(highs, dtype="Int64")
    return Table(out, entry, file)
