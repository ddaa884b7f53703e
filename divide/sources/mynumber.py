"""My Number Card issuance (MIC 「マイナンバーカード交付状況について」, extracted by Code for
Japan).

Layout (UTF-8 with BOM, quoted strings): ``算出基準日`` (YYYY/MM/DD), ``都道府県名``, ``市区町村名``
(towns with their 郡, e.g. ``相馬郡飯舘村``), ``総数（人口）`` (住基 population of Jan 1),
``交付枚数`` (cumulative cards issued), ``人口に対する交付枚数率`` (%), ``人口算出基準日``,
``交付件数基準日``, ``団体コード`` (6-digit with the leading zero dropped, ``72010``). From 2021-08
三宅村 and 八丈町 have no code (``<NA>``); they are matched by name to the code they carry on
earlier dates.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide.codes import normalize_name, normalize_pref
from divide.notes import note
from divide.sources import reader
from divide.sources.table import Table, resolve

_COUNTS = (
    ("総数（人口）", "population"),
    ("交付枚数", "cards"),
    ("人口に対する交付枚数率", "rate_pct"),
)
_MUNI = {
    "算出基準日": "date",
    "都道府県名": "pref_name",
    "市区町村名": "name_raw",
    "総数（人口）": "population",
    "交付枚数": "cards",
    "人口に対する交付枚数率": "rate_pct",
    "団体コード": "lg_code",
}


def _dates(frame: pd.DataFrame, column: str, file: Path) -> pd.Series:
    parsed = pd.to_datetime(frame[column], format="%Y/%m/%d", errors="coerce")
    reader.fail_at(frame, parsed.isna(), "date is not YYYY/MM/DD", file=file, column=column)
    return parsed


def load_mynumber(
    dataset_id: str = "mynumber", *, path: Path | None = None, directory: Path | None = None
) -> Table:
    """Long table: date, code, name, pref_code, population, cards, rate_pct (one row per
    municipality-date).
    """
    file, entry = resolve(dataset_id, path, directory)
    frame = reader.read_csv(file, required=list(_MUNI))
    out = frame[[reader.LINE]].copy()
    out["date"] = _dates(frame, "算出基準日", file)
    out["pref_code"] = [normalize_pref(p) for p in frame["都道府県名"]]
    out["name_raw"] = frame["市区町村名"]
    out["name"] = frame["市区町村名"].map(normalize_name)
    out["code"] = reader.codes(frame, "団体コード", "lg6_nozero", file, allow_missing=True)
    for source, target in _COUNTS:
        out[target], _ = reader.numbers(frame, source, file)
    notes = []
    missing = out["code"].isna()
    if missing.any():
        known = (
            out[~missing]
            .drop_duplicates(["pref_code", "name"])
            .set_index(["pref_code", "name"])["code"]
        )
        keys = pd.MultiIndex.from_frame(out.loc[missing, ["pref_code", "name"]])
        found = known.reindex(keys).to_numpy()
        out.loc[missing, "code"] = found
        still = out["code"].isna()
        matched = missing & ~still
        if matched.any():
            notes.append(
                note(
                    "mynumber.matched_by_name",
                    codes=out.loc[matched, "code"].dropna().unique(),
                    rows=int(matched.sum()),
                    names=sorted(out.loc[matched, "name_raw"].unique()),
                )
            )
        if still.any():
            notes.append(
                note(
                    "mynumber.unmatched",
                    rows=int(still.sum()),
                    names=sorted(out.loc[still, "name_raw"].unique()),
                )
            )
    reader.unique(out[out["code"].notna()], ["date", "code"], file, column="団体コード")
    return Table(out.reset_index(drop=True), entry, file, notes)


def load_mynumber_by_age(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """National issuance by age band and sex: date, population_date, age_band, sex, population,
    cards, rate_pct.

    ``population`` is the register population of ``population_date`` (Jan 1), by 5-year band: with
    the bands of 2016-2022 it is the only national age series of the mirror that spans five years.
    """
    file, entry = resolve("mynumber_by_age", path, directory)
    frame = reader.read_csv(
        file,
        required=["算出基準日", "年齢", "人口(計)", "交付件数(計)", "交付率(計)", "人口算出基準日"],
    )
    parts = []
    for label, sex in (("計", "total"), ("男", "male"), ("女", "female")):
        part = frame[[reader.LINE]].copy()
        part["date"] = _dates(frame, "算出基準日", file)
        part["population_date"] = _dates(frame, "人口算出基準日", file)
        part["age_band"] = frame["年齢"]
        part["sex"] = sex
        part["population"], _ = reader.numbers(frame, f"人口({label})", file)
        part["cards"], _ = reader.numbers(frame, f"交付件数({label})", file)
        part["rate_pct"], _ = reader.numbers(frame, f"交付率({label})", file)
        parts.append(part)
    return Table(pd.concat(parts, ignore_index=True), entry, file)
