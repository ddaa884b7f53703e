"""The municipal frame: every mirrored dataset joined into one GeoDataFrame, one row per municipality.

The universe is the 1,741 municipalities of Japan (designated cities as one row, the 23 special wards
as municipalities) as listed by the Basic Resident Register of the latest reference date. Each source
is joined on the canonical 5-digit ``code``; designated-city wards are folded into their city (their
city row is used where a source has one, otherwise the wards are aggregated). Every input row that does
not land in the frame is written to the join report with its file, line and reason; structural rows
(other dates of a time series, by-sex rows) are recorded as one counted entry per file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from divide.codes import NORTHERN_TERRITORIES, PREFECTURES, english_name, is_ward, to_lg6, ward_to_city
from divide.columns import COLUMNS
from divide.joinreport import JoinReport
from divide.progress import steps
from divide.provenance import dataset
from divide.sources.census_ratios import load_census_ratios
from divide.sources.dx_dashboard import INDICATORS, load_dx_dashboard
from divide.sources.estat_census import load_census
from divide.sources.fukushima_evacuation import load_evacuation_events, load_residence
from divide.sources.juki import AGE_BANDS, load_juki_age
from divide.sources.kaso import load_kaso
from divide.sources.kurashimap import IPSS_YEARS, load_indicators_2025
from divide.sources.localgovjp import load_offices
from divide.sources.mynumber import load_mynumber
from divide.sources.n03 import CRS, load_boundaries
from divide.sources.s12_stations import load_stations
from divide.sources.table import Table

# Datasets the frame is built from (the others in the manifest feed the estimate and geography).
FRAME_DATASETS = ("juki_age", "census_population", "census_aging", "census_households", "census_ratios",
                  "indicators_2025", "boundaries", "offices", "stations", "kaso", "mynumber", "dx_dashboard",
                  "evacuation_events", "residence")
COORDINATE_DECIMALS = 6  # 0.1 m: below the simplification of the boundaries, keeps the default small
MYNUMBER_DATES = {"mynumber_rate_2020": "2020-10-01", "mynumber_rate_2022": "2022-12-31"}
NOT_IN_LIST = "code not in the municipal list (merged away, renamed or mistyped)"


class _Builder:
    """Holds the growing frame and the join report while sources are attached one by one."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.report = JoinReport()
        self.used: list[str] = []
        self.notes: list[str] = []
        self.frame = pd.DataFrame()

    def use(self, table: Table) -> Table:
        if table.dataset.id not in self.used:
            self.used.append(table.dataset.id)
        self.notes += [f"{table.dataset.id}: {note}" for note in table.notes]
        return table

    def split(self, table: Table, rows: pd.DataFrame, *, ward_reason: str) -> pd.DataFrame:
        """Keep rows whose code is in the frame; report wards and unknown codes."""
        codes = rows["code"].astype("string")
        known = codes.isin(self.frame.index)
        nt = codes.isin(list(NORTHERN_TERRITORIES))
        ward = ~known & ~nt & codes.fillna("").map(lambda c: bool(c) and is_ward(c))
        self.report.add(table, rows[nt], "Northern Territories: no administrative statistics")
        self.report.add(table, rows[ward], ward_reason)
        self.report.add(table, rows[~known & ~nt & ~ward], NOT_IN_LIST)
        return rows[known]

    def attach(self, table: Table, columns: dict[str, str], rows: pd.DataFrame | None = None) -> None:
        """Left-join ``columns`` (source -> frame name) of ``rows`` (default: all rows) by code."""
        rows = table.data if rows is None else rows
        kept = self.split(table, rows, ward_reason="designated-city ward (the city row is used)")
        values = kept.set_index("code")[list(columns)].rename(columns=columns)
        self.frame = self.frame.join(values, how="left")


def _universe(b: _Builder) -> None:
    juki = b.use(load_juki_age(directory=b.directory))
    data = juki.data
    by_sex = data["sex"] != "total"
    b.report.add_block(juki, data[by_sex],
                       "by-sex rows (the frame uses totals; all rows via divide.sources.load_juki_age)")
    data = data[~by_sex]
    is_muni = data["row_type"].eq("municipality")
    b.report.add(juki, data[~is_muni], data.loc[~is_muni, "row_type"].map(
        lambda t: "designated-city ward (the city row is used)" if t == "designated_city_ward"
        else f"{t} row (not a municipality)"))
    munis = data[is_muni]
    latest = munis["ref_date"].max()
    base = munis[munis["ref_date"] == latest]
    nt = base["code"].isin(list(NORTHERN_TERRITORIES))
    b.report.add(juki, munis[munis["code"].isin(list(NORTHERN_TERRITORIES))],
                 "Northern Territories: no administrative statistics")
    base = base[~nt].set_index("code")
    frame = pd.DataFrame(index=pd.Index(base.index, name="code"))
    frame["code6"] = [to_lg6(c) for c in frame.index]
    frame["name_ja"] = base["name"]
    frame["pref_code"] = frame.index.str[:2]
    frame["pref_name_ja"] = frame["pref_code"].map(lambda p: PREFECTURES[p].name_ja)
    frame["pref_name_en"] = frame["pref_code"].map(lambda p: PREFECTURES[p].name_en)
    for date, group in munis[~munis["code"].isin(list(NORTHERN_TERRITORIES))].groupby("ref_date"):
        frame[f"registered_{date.year}"] = group.set_index("code")["total"]
    frame["registered_age_sum"] = base["age_sum"]
    for band in AGE_BANDS:
        frame[f"reg_{band}"] = base[band]
    b.frame = frame


def _census(b: _Builder) -> None:
    population = b.use(load_census("census_population", directory=b.directory))
    b.attach(population, {"population": "population"})
    missing = b.frame["population"].isna()
    # e-Stat prints "-" for areas with no residents; the extract drops them (双葉町 in 2020).
    b.frame["census_zero_population"] = missing
    b.frame.loc[missing, "population"] = 0.0
    if missing.any():
        names = ", ".join(b.frame.loc[missing, "name_ja"])
        b.notes.append(f"census_population: no 2020 residents, population set to 0 and flagged ({names})")
    aging = b.use(load_census("census_aging", directory=b.directory))
    b.attach(aging, {"pop_65plus": "pop_65plus"})
    b.frame.loc[missing & b.frame["pop_65plus"].isna(), "pop_65plus"] = 0.0
    households = b.use(load_census("census_households", directory=b.directory))
    b.attach(households, {c: c for c in ("households", "elderly_single_hh", "elderly_couple_hh")})
    b.frame.loc[missing, ["households", "elderly_single_hh", "elderly_couple_hh"]] = (
        b.frame.loc[missing, ["households", "elderly_single_hh", "elderly_couple_hh"]].fillna(0.0))
    b.frame["residence_ratio"] = b.frame["population"] / b.frame["registered_2021"].replace(0, np.nan)


def _ratios(b: _Builder) -> None:
    table = b.use(load_census_ratios(directory=b.directory))
    data = table.data.copy()
    data["code"] = data["code"].map(ward_to_city)
    kept = b.split(table, data, ward_reason="ward of an unknown city")
    people = kept["pop_total"].where(kept["pop_total"] > 0)
    households = kept["n_hh_total"].where(kept["n_hh_total"] > 0)
    work = pd.DataFrame({
        "code": kept["code"],
        "w_grad": people, "grad": kept["pct_college"] * people,
        "w_single": households, "single": kept["pct_single_hh"] * households,
    })
    sums = work.groupby("code").sum(min_count=1)
    b.frame["graduate_share"] = (sums["grad"] / sums["w_grad"]).reindex(b.frame.index)
    b.frame["single_household_share"] = (sums["single"] / sums["w_single"]).reindex(b.frame.index)
    b.notes.append("census_ratios: designated cities aggregated from their wards, weighted by population "
                   "(graduate share) and households (single-person share)")


def _indicators(b: _Builder) -> None:
    table = b.use(load_indicators_2025(directory=b.directory))
    columns = {"pop_2025_prelim": "pop_2025_prelim", "area_km2": "area_km2", "ipss_projected": "ipss_projected",
               **{f"ipss_total_{y}": f"ipss_{y}" for y in IPSS_YEARS}, "ipss_elderly65_2050": "ipss_65plus_2050"}
    b.attach(table, columns)
    b.frame["density"] = b.frame["population"] / b.frame["area_km2"]


def _kaso(b: _Builder) -> None:
    table = b.use(load_kaso(directory=b.directory))
    b.attach(table, {"kaso": "kaso"})
    b.frame["kaso"] = b.frame["kaso"].fillna("none")


def _offices(b: _Builder) -> None:
    table = b.use(load_offices(directory=b.directory))
    data = pd.DataFrame(table.data.drop(columns="geometry"))
    data["office_lon"] = table.data.geometry.x.round(COORDINATE_DECIMALS)
    data["office_lat"] = table.data.geometry.y.round(COORDINATE_DECIMALS)
    b.attach(Table(data, table.dataset, table.path), {"office_lon": "office_lon", "office_lat": "office_lat",
                                                       "kana": "name_kana"})
    b.frame["name_en"] = [english_name(n, k) for n, k in zip(b.frame["name_ja"], b.frame["name_kana"], strict=True)]


def _stations(b: _Builder) -> None:
    table = b.use(load_stations(directory=b.directory))
    data = pd.DataFrame(table.data.drop(columns="geometry"))
    data["code"] = data["code"].map(ward_to_city)
    kept = b.split(table, data, ward_reason="ward of an unknown city")
    b.frame["stations"] = kept.groupby("code").size().reindex(b.frame.index, fill_value=0).astype("int64")


def _mynumber(b: _Builder) -> None:
    table = b.use(load_mynumber(directory=b.directory))
    data = table.data
    wanted = data["date"].isin(pd.to_datetime(list(MYNUMBER_DATES.values())))
    other = data[~wanted]
    b.report.add_block(table, other, "other dates of the series (all dates via divide.sources.load_mynumber)")
    for column, date in MYNUMBER_DATES.items():
        rows = data[data["date"] == pd.Timestamp(date)]
        b.attach(table, {"rate_pct": column}, rows)


def _dx(b: _Builder) -> None:
    table = b.use(load_dx_dashboard(directory=b.directory))
    b.attach(table, {c: c for c in INDICATORS.values()})


def _evacuation(b: _Builder) -> None:
    events = b.use(load_evacuation_events(directory=b.directory))
    kept = b.split(events, events.data, ward_reason="ward")
    dates = kept.groupby("code")["event_date"].agg(["min", "max"])
    b.frame["evac_first_lifted"] = dates["min"].reindex(b.frame.index)
    b.frame["evac_last_lifted"] = dates["max"].reindex(b.frame.index)
    residence = b.use(load_residence(directory=b.directory))
    data = residence.data
    whole = data[data["scope"].eq("municipality") & data["residence_rate_pct"].notna()]
    latest = data.index.isin(whole.sort_values("as_of").groupby("code").tail(1).index)
    b.report.add(residence, data[~latest], "not the latest whole-municipality rate "
                 "(totals, parts of a municipality, earlier dates, counts without a rate)")
    b.attach(residence, {"residence_rate_pct": "residence_rate_pct", "as_of": "residence_rate_as_of"}, data[latest])


def _geometry(b: _Builder) -> gpd.GeoDataFrame:
    table = b.use(load_boundaries(directory=b.directory))
    data = table.data
    b.report.add_records(table.dataset.id, table.dataset.file, data.attrs["unjoined"])
    kept = b.split(table, data, ward_reason="ward of an unknown city")
    geometry = kept.set_index("code").geometry.reindex(b.frame.index)
    rounded = shapely.transform(geometry.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS))
    frame = gpd.GeoDataFrame(b.frame, geometry=gpd.GeoSeries(rounded, index=b.frame.index), crs=CRS)
    if frame.geometry.isna().any():
        names = ", ".join(frame.loc[frame.geometry.isna(), "name_ja"])
        b.notes.append(f"boundaries: no polygon for {names}")
    return frame


STEPS: tuple[tuple[str, Callable[[_Builder], None]], ...] = (
    ("registered population (住基)", _universe), ("2020 census", _census), ("census ratios", _ratios),
    ("2025 prelim, area, IPSS", _indicators), ("過疎 designations", _kaso), ("municipal offices", _offices),
    ("stations", _stations), ("My Number cards", _mynumber), ("DX dashboard", _dx),
    ("evacuation context", _evacuation),
)


def build_frame(directory: Path | None = None, *, progress: bool = True) -> gpd.GeoDataFrame:
    """Build the national frame from the raw files in ``directory`` (default ``data/raw``).

    Returns a GeoDataFrame indexed by ``code`` with ``attrs``: ``provenance`` (dataset id -> manifest
    entry), ``join_report`` (DataFrame), ``notes`` (list of str).
    """
    builder = _Builder(directory)
    for _, step in steps(STEPS, "building the municipal frame", enabled=progress):
        step(builder)
    frame = _geometry(builder)
    ordered = [c for c in COLUMNS if c in frame.columns and c != "geometry"]
    frame = frame[[*ordered, "geometry"]]
    frame.index = frame.index.astype("str")
    for column in frame.columns:  # one string dtype everywhere, as a Parquet round trip gives back
        if column != "geometry" and frame[column].dtype == object:
            frame[column] = frame[column].astype("str")
    frame.attrs = {
        "provenance": {key: dataset(key).as_dict() for key in builder.used},
        "join_report": builder.report.table(),
        "notes": builder.notes,
    }
    return frame

