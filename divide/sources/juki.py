"""住民基本台帳 registered population by 5-year age band (MIC).

``juki_age`` (and the Fukushima extract ``juki_age_fukushima``): one long CSV converted from MIC's
「【総計】市区町村別年齢階級別人口」 Excel files, reference dates 2020-01-01, 2021-01-01,
2022-01-01; columns ``ref_date, lg_code6, jis_code5, pref_name, muni_name_raw, muni_name, row_type,
sex, total, age_0_4 … age_95_99, age_100plus, age_sum``. ``row_type`` separates national,
prefecture, municipality, designated_city_ward, gun_total and island_subpref_total rows: wards and
their city are both present, so only one of the two may be summed.

Registration is not residence: evacuated towns of 浜通り keep registered populations many times the
people living there; the frame carries both and the estimate uses census residents for head-counts.
``total`` can exceed the sum of bands (persons without a usable birth date); use ``age_sum`` for
shares.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide.constants import AGE_BANDS
from divide.notes import note
from divide.sources import reader
from divide.sources.table import Table, resolve

SEXES = {"計": "total", "男": "male", "女": "female"}


def load_juki_age(
    dataset_id: str = "juki_age", *, path: Path | None = None, directory: Path | None = None
) -> Table:
    """Long table: ref_date, code, row_type, name, sex ('total'/'male'/'female'), total, bands,
    age_sum.
    """
    file, entry = resolve(dataset_id, path, directory)
    frame = reader.read_csv(
        file, required=["ref_date", "jis_code5", "row_type", "sex", "total", *AGE_BANDS]
    )
    out = frame[[reader.LINE, "ref_date", "row_type"]].copy()
    is_national = frame["row_type"].eq("national")
    codes = reader.codes(frame[~is_national], "jis_code5", "code5", file)
    out["code"] = codes.reindex(out.index)
    out["name"] = frame.get("muni_name", pd.Series("", index=frame.index)).replace("", pd.NA)
    out["name"] = out["name"].fillna(frame.get("pref_name"))
    reader.fail_at(
        frame, ~frame["sex"].isin(SEXES), "sex must be 計, 男 or 女", file=file, column="sex"
    )
    out["sex"] = frame["sex"].map(SEXES)
    out["total"], _ = reader.numbers(frame, "total", file, suppressed=False)
    for band in AGE_BANDS:
        out[band], _ = reader.numbers(frame, band, file, suppressed=False)
    out["age_sum"] = out[list(AGE_BANDS)].sum(axis=1)
    out["ref_date"] = pd.to_datetime(out["ref_date"], format="%Y-%m-%d", errors="coerce")
    reader.fail_at(
        frame,
        out["ref_date"].isna(),
        "reference date is not YYYY-MM-DD",
        file=file,
        column="ref_date",
    )
    keyed = out[~is_national]
    reader.unique(keyed, ["ref_date", "row_type", "code", "sex"], file, column="jis_code5")
    gap = (out["total"] - out["age_sum"]).abs()
    notes = (
        [note("juki.total_gap", rows=int((gap > 0).sum()), largest=int(gap.max()))]
        if (gap > 0).any()
        else []
    )
    return Table(out.reset_index(drop=True), entry, file, notes)
