"""Small derived tables that travel with the frame: point layers and the survey tables of the estimate.

The offline estimate needs the prefecture survey table and the banded age table; geography needs the
settlement and service points. They are derived from the raw files like the frame, and committed in
``data/processed/`` beside it, so a fresh clone can run every stage without downloading anything.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.codes import ward_to_city
from divide.sources.gsi_shelters import load_shelters
from divide.sources.juki import AGE_BANDS, load_juki_age
from divide.sources.mynumber import load_mynumber_by_age
from divide.sources.reader import LINE
from divide.sources.s12_stations import load_stations
from divide.sources.usage_survey import load_device_use_by_age, load_internet_use


def _points(directory: Path | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Shelters (settlement points and candidate halls) and stations, one GeoDataFrame with ``kind``."""
    parts = []
    used = []
    for kind, table in (("shelter", load_shelters("shelters", directory=directory)),
                        ("emergency_site", load_shelters("emergency_sites", directory=directory)),
                        ("station", load_stations(directory=directory))):
        data = table.data[["code", "name", "geometry"]].copy()
        data["code"] = data["code"].map(ward_to_city)
        data.insert(0, "kind", kind)
        data["source_line"] = table.data[LINE].to_numpy()
        parts.append(data)
        used.append(table.dataset.id)
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=parts[0].crs)
    for column in ("kind", "code", "name"):
        frame[column] = frame[column].astype("str")
    return frame, used


def _internet_use(directory: Path | None) -> tuple[pd.DataFrame, list[str]]:
    table = load_internet_use(directory=directory)
    data = table.data.drop(columns=[LINE]).reset_index(drop=True)
    return data, [table.dataset.id]


def _age_use(directory: Path | None) -> tuple[pd.DataFrame, list[str]]:
    """The Cabinet Office 2023 smartphone/tablet use by age band, in the banded-table schema of the estimate."""
    table = load_device_use_by_age(directory=directory)
    data = table.data
    rows = data[(data["group_type"] == "age") & (data["survey_year"] == 2023)
                & data["measure"].str.startswith("uses smartphone/tablet")]
    out = pd.DataFrame({
        "survey": "内閣府 情報通信機器の利活用に関する世論調査 2023",
        "age_lo": rows["age_lo"].astype("int64").to_numpy(),
        "age_hi": rows["age_hi"].to_numpy(),
        "pct": rows["pct"].to_numpy(),
        "n": pd.array([pd.NA] * len(rows), dtype="Int64"),
        "survey_n": 1626,  # respondents (fieldwork 2023-07/08, 18+, see the mirror's FIGURES.md)
    })
    return out, [table.dataset.id]


def _national_ages(directory: Path | None) -> tuple[pd.DataFrame, list[str]]:
    """Japan's register population by 5-year band on Jan 1, 2016-2022.

    2020-2022 come from the register table itself; 2016-2019 from the My Number age table (the same
    register population; from 2022 it merges 90+). 2017 and 2022, five years apart, give the cohort
    change ratios of the 2020-2035 projection.
    """
    table = load_mynumber_by_age(directory=directory)
    data = table.data[table.data["sex"] == "total"]
    bands = {label: band for label, band in zip(_AGE_LABELS, AGE_BANDS, strict=True)}
    data = data[data["age_band"].isin(list(bands))].drop_duplicates(["population_date", "age_band"])
    wide = data.pivot(index="population_date", columns="age_band", values="population")
    mynumber = wide[list(bands)].dropna()
    mynumber.columns = [bands[c] for c in mynumber.columns]
    mynumber.index = mynumber.index.strftime("%Y-%m-%d")
    mynumber["source"] = table.dataset.id
    juki = load_juki_age(directory=directory)
    national = juki.data[(juki.data["row_type"] == "national") & (juki.data["sex"] == "total")]
    register = national.set_index(national["ref_date"].dt.strftime("%Y-%m-%d"))[list(AGE_BANDS)]
    register["source"] = juki.dataset.id
    combined = pd.concat([mynumber[~mynumber.index.isin(register.index)], register]).sort_index()
    return combined.rename_axis("population_date").reset_index(), [table.dataset.id, juki.dataset.id]


_AGE_LABELS = ("0～4歳", *(f"{a}～{a + 4}" for a in range(5, 100, 5)), "100歳以上")

LAYERS: dict[str, Callable[[Path | None], tuple[pd.DataFrame, list[str]]]] = {
    "points": _points,
    "internet_use": _internet_use,
    "age_use": _age_use,
    "national_ages": _national_ages,
}
LAYER_DATASETS = ("shelters", "emergency_sites", "stations", "internet_use", "device_use_by_age", "mynumber_by_age",
                  "juki_age")


def build_layers(directory: Path | None = None) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    return {name: build(directory) for name, build in LAYERS.items()}
