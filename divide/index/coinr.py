"""Bring an index over from COINr (the JRC's R package): its documented ``iData`` and ``iMeta``
inputs.

``iData``: one row per unit: ``uCode``, ``uName``, group columns, ``Time``, denominators,
indicators. ``iMeta``: one row per column of iData that matters: ``iCode``, ``iName``, ``Level`` (1
= indicator), ``Parent``, ``Direction``, ``Weight``, ``Type`` (Indicator, Aggregate, Group,
Denominator, Other) and an optional ``Denominator``. The aggregate at the highest level is the
index; level 2 aggregates become pillars, the levels between become sub-indices (``aggregates``).
Files come as R data (``.rda``/``.rds``, read with the ``rdata`` package), CSV or Excel; DataFrames
are taken as they are.

COINr keeps every pillar a unit has values for (``availability: 0``), normalises min-max 0-100 and
aggregates by weighted arithmetic means, dropping a missing value with its weight; so does the
imported spec (``imputation: none``). Imputation and outlier treatment are choices of the analyst:
pass them as in a spec (``imputation={"group": "EurAsia_group"}``, ``treatment={"method":
"coinr"}``). One difference stays: divide's *geometric* mean is taken on complements, in the gap
direction (higher = worse), while a COINr index reads higher = better; keep an imported index
arithmetic.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from divide.errors import DivideDataError
from divide.index.spec import IndexSpec

IMETA_COLUMNS = ("iCode", "Level", "Parent", "Direction", "Weight", "Type")


def _read(source: str | Path | pd.DataFrame, what: str) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True), f"<{what} DataFrame>"
    path = Path(source)
    if not path.is_file():
        raise DivideDataError(f"{what} not found", file=path)
    suffix = path.suffix.lower()
    if suffix in (".rda", ".rdata", ".rds"):
        import rdata

        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # rdata warns about R classes (tbl_df…) it reads as plain frames
            read = rdata.read_rds(path) if suffix == ".rds" else rdata.read_rda(path)
        frames = (
            [read]
            if suffix == ".rds"
            else [v for v in read.values() if isinstance(v, pd.DataFrame)]
        )
        if len(frames) != 1 or not isinstance(frames[0], pd.DataFrame):
            raise DivideDataError(f"expected one data frame ({what}) in the R file", file=path)
        return frames[0].reset_index(drop=True), str(path)
    if suffix in (".xlsx", ".xls"):
        return pd.read_excel(path), str(path)
    return pd.read_csv(path, encoding="utf-8-sig"), str(path)


def _check(meta: pd.DataFrame, data: pd.DataFrame, meta_file: str, data_file: str) -> None:
    for column in IMETA_COLUMNS:
        if column not in meta.columns:
            raise DivideDataError("iMeta lacks a required column", file=meta_file, column=column)
    for column in ("uCode",):
        if column not in data.columns:
            raise DivideDataError("iData lacks a required column", file=data_file, column=column)
    codes = meta["iCode"].astype(str)
    for row, code in enumerate(codes, start=2):
        if (codes == code).sum() > 1:
            raise DivideDataError(
                f"iCode {code!r} appears twice", file=meta_file, row=row, column="iCode"
            )
        kind = str(meta["Type"].iloc[row - 2])
        if kind in ("Indicator", "Denominator", "Group") and code not in data.columns:
            raise DivideDataError(
                f"{kind} {code!r} has no column in iData", file=meta_file, row=row, column="iCode"
            )
    duplicated = data["uCode"].astype(str).duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().argmax()) + 2
        raise DivideDataError(
            "uCode appears twice (more than one Time? pass time=)",
            file=data_file,
            row=row,
            column="uCode",
        )


def _node(row: pd.Series, index_code: str) -> dict:
    parent = (
        "" if pd.isna(row["Parent"]) or str(row["Parent"]) == index_code else str(row["Parent"])
    )
    label = str(row["iName"]) if "iName" in row and not pd.isna(row["iName"]) else str(row["iCode"])
    return {
        "id": str(row["iCode"]),
        "weight": float(row["Weight"]),
        "labels": {"en": label},
        "parent": parent,
    }


def _indicator(row: pd.Series) -> dict:
    out = _node(row, "")
    out.pop("parent")
    out["direction"] = int(row["Direction"])
    if "Unit" in row and not pd.isna(row["Unit"]):
        out["unit"] = str(row["Unit"])
    if "Denominator" in row and not pd.isna(row["Denominator"]):
        out["denominator"] = str(row["Denominator"])
    return out


def from_coinr(
    idata: str | Path | pd.DataFrame,
    imeta: str | Path | pd.DataFrame,
    *,
    name: str = "coinr-import",
    time: float | None = None,
    **steps: object,
) -> tuple[IndexSpec, pd.DataFrame]:
    """The :class:`IndexSpec` and the unit table (indexed by ``uCode``) of a COINr index.

    ``steps``: further spec keys (``imputation``, ``treatment``, ``normalisation``…). COINr's ASEM
    example gives a three-level spec (49 indicators, 8 pillars, 2 sub-indices) and 51 units;
    ``tests/test_coinr.py`` checks the index built from it against COINr's own results.
    """
    data, data_file = _read(idata, "iData")
    meta, meta_file = _read(imeta, "iMeta")
    if time is not None and "Time" in data.columns:
        data = data[data["Time"] == time].reset_index(drop=True)
    _check(meta, data, meta_file, data_file)
    meta = meta.assign(Type=meta["Type"].astype(str))
    aggregates = meta[meta["Type"] == "Aggregate"]
    top = aggregates["Level"].astype(float).max()
    index_code = str(aggregates.loc[aggregates["Level"].astype(float) == top, "iCode"].iloc[0])
    indicators = meta[meta["Type"] == "Indicator"]
    pillars = []
    for _, row in aggregates[aggregates["Level"].astype(float) == 2].iterrows():
        pillar = _node(row, index_code)
        pillar["indicators"] = [
            _indicator(r) for _, r in indicators.iterrows() if str(r["Parent"]) == pillar["id"]
        ]
        pillars.append(pillar)
    pillar_ids = {p["id"] for p in pillars}
    for row, (parent, code) in enumerate(zip(meta["Parent"], meta["iCode"], strict=True), start=2):
        if meta["Type"].iloc[row - 2] == "Indicator" and str(parent) not in pillar_ids:
            raise DivideDataError(
                f"indicator {code!r}: parent {parent!r} is not a level-2 aggregate",
                file=meta_file,
                row=row,
                column="Parent",
            )
    between = aggregates[
        (aggregates["Level"].astype(float) > 2) & (aggregates["Level"].astype(float) < top)
    ]
    index_row = aggregates[aggregates["iCode"].astype(str) == index_code].iloc[0]
    spec = IndexSpec.load(
        {
            "name": name,
            "labels": {"en": str(index_row.get("iName", index_code))},
            "normalisation": "minmax",
            "availability": 0,
            "imputation": {"method": "none"},
            "pillars": pillars,
            "aggregates": [_node(r, index_code) for _, r in between.iterrows()],
            **steps,
        }
    )
    table = data.assign(uCode=data["uCode"].astype(str)).set_index("uCode")
    numeric = meta.loc[meta["Type"].isin(["Indicator", "Denominator"]), "iCode"].astype(str)
    values = table[list(numeric)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    # R's NA is a signalling NaN (payload 1954): arithmetic on it raises 'invalid value'; use a
    # quiet NaN
    table[list(numeric)] = np.where(np.isnan(values), np.nan, values)
    return spec, table
