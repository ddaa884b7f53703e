"""Small derived tables that travel with the frame: point layers and the survey tables of the
estimate.

The offline estimate needs the prefecture survey table and the banded age table; geography needs the
settlement and service points; the projection needs Japan's population by age over five years. They
are derived from the raw files like the frame, and committed in ``data/processed/`` beside it, so a
fresh clone runs every stage without downloading anything.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from divide.codes import NORTHERN_TERRITORIES, NORTHERN_TERRITORIES_EN, is_ward, ward_to_city
from divide.constants import AGE_BANDS, COORDINATE_DECIMALS
from divide.sources.reader import LINE
from divide.sources.registry import RawTables
from divide.sources.usage_survey import DEVICE_SURVEY_RESPONDENTS_2023

AGE_SURVEY_YEAR = 2023
_AGE_LABELS = (
    "0～4歳",
    *(f"{a}～{a + 4}" for a in range(5, 100, 5)),
    "100歳以上",
)  # My Number age-table labels


def _point_rows(kind: str, data: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = data[["code", "name", "geometry"]].copy()
    out["code"] = out["code"].map(ward_to_city)
    out.insert(0, "kind", kind)
    out["source_line"] = data[LINE].to_numpy()
    return out


def points(tables: RawTables) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Shelters (settlement points, candidate sites, some branch offices), stations and
    designated-city ward
    offices, all of Japan, in one GeoDataFrame with ``kind`` and the city-level ``code``."""
    offices = tables.get("offices").data
    parts = [
        _point_rows("shelter", tables.get("shelters_japan").data),
        _point_rows("station", tables.get("stations").data),
        _point_rows("ward_office", offices[offices["code"].map(is_ward)]),
    ]
    frame = gpd.GeoDataFrame(
        pd.concat(parts, ignore_index=True), geometry="geometry", crs=parts[0].crs
    )
    for column in ("kind", "code", "name"):
        frame[column] = frame[column].astype("str")
    return frame, ["shelters_japan", "stations", "offices"]


def internet_use(tables: RawTables) -> tuple[pd.DataFrame, list[str]]:
    table = tables.get("internet_use")
    return table.data.drop(columns=[LINE]).reset_index(drop=True), [table.dataset.id]


def age_use(tables: RawTables) -> tuple[pd.DataFrame, list[str]]:
    """The Cabinet Office 2023 smartphone/tablet use by age band, in the banded-table schema of the
    estimate.
    """
    table = tables.get("device_use_by_age")
    data = table.data
    rows = data[
        (data["group_type"] == "age")
        & (data["survey_year"] == AGE_SURVEY_YEAR)
        & data["measure"].str.startswith("uses smartphone/tablet")
    ]
    out = pd.DataFrame(
        {
            "survey": f"内閣府 情報通信機器の利活用に関する世論調査 {AGE_SURVEY_YEAR}",
            "age_lo": rows["age_lo"].astype("int64").to_numpy(),
            "age_hi": rows["age_hi"].to_numpy(),
            "pct": rows["pct"].to_numpy(),
            "n": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "survey_n": DEVICE_SURVEY_RESPONDENTS_2023,
        }
    )
    return out, [table.dataset.id]


def national_ages(tables: RawTables) -> tuple[pd.DataFrame, list[str]]:
    """Japan's register population by 5-year band on Jan 1, 2016-2022.

    2020-2022 come from the register table itself; 2016-2019 from the My Number age table (the same
    register population; from 2022 it merges 90+). 2017 and 2022, five years apart, give the cohort
    change ratios of the 2020-2035 projection.
    """
    table = tables.get("mynumber_by_age")
    data = table.data[table.data["sex"] == "total"]
    bands = dict(zip(_AGE_LABELS, AGE_BANDS, strict=True))
    data = data[data["age_band"].isin(list(bands))].drop_duplicates(["population_date", "age_band"])
    wide = data.pivot(index="population_date", columns="age_band", values="population")
    mynumber = wide[list(bands)].dropna()
    mynumber.columns = [bands[c] for c in mynumber.columns]
    mynumber.index = mynumber.index.strftime("%Y-%m-%d")
    mynumber["source"] = table.dataset.id
    juki = tables.get("juki_age")
    national = juki.data[(juki.data["row_type"] == "national") & (juki.data["sex"] == "total")]
    register = national.set_index(national["ref_date"].dt.strftime("%Y-%m-%d"))[list(AGE_BANDS)]
    register["source"] = juki.dataset.id
    combined = pd.concat([mynumber[~mynumber.index.isin(register.index)], register]).sort_index()
    return combined.rename_axis("population_date").reset_index(), [
        table.dataset.id,
        juki.dataset.id,
    ]


def no_statistics(tables: RawTables) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Areas a map must draw although no statistics cover them: the Northern Territories' villages.

    Japan's maps show them; the frame has no row for them (no administrative statistics), so maps of
    Hokkaido draw these polygons as "no data" rather than leave the sea where they are.
    """
    table = tables.get("boundaries")
    rows = table.data[table.data["code"].isin(list(NORTHERN_TERRITORIES))]
    rounded = shapely.transform(
        rows.geometry.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS)
    )
    frame = gpd.GeoDataFrame(
        {
            "code": rows["code"].astype("str").to_numpy(),
            "pref_code": "01",
            "name_ja": [NORTHERN_TERRITORIES[c] for c in rows["code"]],
            "name_en": [NORTHERN_TERRITORIES_EN[c] for c in rows["code"]],
            "reason": "Northern Territories: no administrative statistics",
        },
        geometry=rounded,
        crs=rows.crs,
    )
    return frame, [table.dataset.id]


LAYERS: dict[str, Callable[[RawTables], tuple[pd.DataFrame, list[str]]]] = {
    "points": points,
    "no_statistics": no_statistics,
    "internet_use": internet_use,
    "age_use": age_use,
    "national_ages": national_ages,
}


def build_layers(tables: RawTables) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    """Every layer: name -> (table, datasets it comes from)."""
    return {name: build(tables) for name, build in LAYERS.items()}
