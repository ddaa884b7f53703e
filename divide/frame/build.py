"""The national municipal frame: every mirrored dataset joined into one GeoDataFrame, one row per
municipality.

The universe is the 1,741 municipalities of Japan (designated cities as one row, the 23 special
wards as municipalities) as listed by the Basic Resident Register of the latest reference date. Each
source is joined on the canonical 5-digit ``code``; designated-city wards are folded into their city
(their city row is used where a source has one, otherwise the wards are aggregated). Every input row
that does not land in the frame is written to the join report with its file, line and reason;
structural rows (other dates of a time series, by-sex rows) are recorded as one counted entry per
file and prefecture; a municipality that has no row in a source it should appear in is reported too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from divide.codes import (
    NORTHERN_TERRITORIES,
    PREFECTURES,
    english_name,
    is_ward,
    to_lg6,
    ward_to_city,
)
from divide.constants import AGE_BANDS, COORDINATE_DECIMALS, CRS
from divide.errors import DivideDataError
from divide.frame.columns import COLUMNS
from divide.frame.joinreport import JoinReport
from divide.notes import Note, note
from divide.progress import steps
from divide.sources.dx_dashboard import INDICATORS
from divide.sources.kurashimap import IPSS_YEARS
from divide.sources.reader import LINE
from divide.sources.registry import RawTables
from divide.sources.table import Table

MYNUMBER_DATES = {"mynumber_rate_2020": "2020-10-01", "mynumber_rate_2022": "2022-12-31"}
NOT_IN_LIST = "code not in the municipal list (merged away, renamed or mistyped)"
# e-Stat prints "-" for an area with no residents on census day and the extract drops the row: the
# only case in the 2020 Census is 双葉町 (evacuation order). Any other missing municipality is an
# error.
CENSUS_2020_NO_RESIDENTS = {"07546": "双葉町"}
CENSUS_COUNTS = ("pop_65plus", "households", "elderly_single_hh", "elderly_couple_hh")


@dataclass
class _Builder:
    """The growing frame, the join report and the notes while sources are attached one by one."""

    tables: RawTables
    report: JoinReport = field(default_factory=JoinReport)
    used: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    register_lines: pd.Series = field(default_factory=pd.Series)  # code -> line in the register

    def register_row(self, code: str) -> str:
        """Where the register lists ``code``: an error about a municipality the other files lack
        names the register too, which defined it.
        """
        path = self.tables.get("juki_age").path
        return f"the register {path} lists it at row {int(self.register_lines[code])}"

    def use(self, dataset_id: str) -> Table:
        table = self.tables.get(dataset_id)
        if dataset_id not in self.used:
            self.used.append(dataset_id)
            self.notes += table.notes
        return table

    def split(self, table: Table, rows: pd.DataFrame, *, ward_reason: str) -> pd.DataFrame:
        """Keep rows whose code is in the frame; report Northern Territories, wards and unknown
        codes.
        """
        codes = rows["code"].astype("string")
        known = codes.isin(self.frame.index)
        nt = codes.isin(list(NORTHERN_TERRITORIES)).fillna(False)
        ward = ~known & ~nt & codes.fillna("").map(lambda c: bool(c) and is_ward(c))
        self.report.add(table, rows[nt], "Northern Territories: no administrative statistics")
        self.report.add(table, rows[ward], ward_reason)
        self.report.add(table, rows[~known & ~nt & ~ward], NOT_IN_LIST)
        return rows[known]

    def attach(
        self,
        table: Table,
        columns: dict[str, str],
        rows: pd.DataFrame | None = None,
        *,
        complete: bool = True,
    ) -> None:
        """Left-join ``columns`` (source -> frame name) of ``rows`` (default: all rows) by code.

        ``complete``: every municipality must have a row in the file (an error names the first
        without one).
        """
        rows = table.data if rows is None else rows
        kept = self.split(table, rows, ward_reason="designated-city ward (the city row is used)")
        values = kept.set_index("code")[list(columns)].rename(columns=columns)
        self.frame = self.frame.join(values, how="left")
        if complete:
            self.report.require(
                table, self.frame.index.difference(values.index), self.frame["name_ja"]
            )


def _universe(b: _Builder) -> None:
    juki = b.use("juki_age")
    data = juki.data
    by_sex = data["sex"] != "total"
    b.report.add_block(juki, data[by_sex], "by-sex rows (the frame uses totals)")
    data = data[~by_sex]
    is_muni = data["row_type"].eq("municipality")
    b.report.add(
        juki,
        data[~is_muni],
        data.loc[~is_muni, "row_type"].map(
            lambda t: (
                "designated-city ward (the city row is used)"
                if t == "designated_city_ward"
                else f"{t} row (not a municipality)"
            )
        ),
    )
    in_nt = data["code"].isin(list(NORTHERN_TERRITORIES))
    b.report.add(juki, data[is_muni & in_nt], "Northern Territories: no administrative statistics")
    munis = data[is_muni & ~in_nt]
    base = munis[munis["ref_date"] == munis["ref_date"].max()].set_index("code")
    frame = pd.DataFrame(index=pd.Index(base.index, name="code"))
    frame["code6"] = [to_lg6(c) for c in frame.index]
    frame["name_ja"] = base["name"]
    frame["pref_code"] = frame.index.str[:2]
    frame["pref_name_ja"] = frame["pref_code"].map(lambda p: PREFECTURES[p].name_ja)
    frame["pref_name_en"] = frame["pref_code"].map(lambda p: PREFECTURES[p].name_en)
    for date, group in munis.groupby("ref_date"):
        frame[f"registered_{date.year}"] = group.set_index("code")["total"]
    frame["registered_age_sum"] = base["age_sum"]
    b.register_lines = base[LINE]
    for band in AGE_BANDS:
        frame[f"reg_{band}"] = base[band]
    b.frame = frame


def _census(b: _Builder) -> None:
    population = b.use("census_population")
    b.attach(population, {"population": "population"}, complete=False)
    missing = b.frame["population"].isna()
    unexpected = missing & ~b.frame.index.isin(list(CENSUS_2020_NO_RESIDENTS))
    if unexpected.any():
        code = b.frame.index[unexpected][0]
        raise DivideDataError(
            f"no row for municipality {code} {b.frame.at[code, 'name_ja']} "
            f"({int(unexpected.sum())} municipalities missing; {b.register_row(code)}): a "
            "truncated or filtered census file, or a register row with a wrong code?",
            file=population.path,
            column="jisCode",
            value=code,
        )
    b.frame["census_zero_population"] = missing
    b.frame.loc[missing, "population"] = 0.0
    if missing.any():
        b.notes.append(
            note(
                "census.no_residents",
                codes=list(b.frame.index[missing]),
                names=list(b.frame.loc[missing, "name_ja"]),
            )
        )
    b.attach(b.use("census_aging"), {"pop_65plus": "pop_65plus"}, complete=False)
    b.attach(b.use("census_households"), {c: c for c in CENSUS_COUNTS[1:]}, complete=False)
    absent = b.frame[list(CENSUS_COUNTS)].isna().any(axis=1) & ~missing
    if absent.any():
        code = b.frame.index[absent][0]
        raise DivideDataError(
            f"no 65+ or household count for municipality {code} {b.frame.at[code, 'name_ja']}",
            file=b.tables.get("census_households").path,
            column="jisCode",
            value=code,
        )
    b.frame.loc[missing, list(CENSUS_COUNTS)] = b.frame.loc[missing, list(CENSUS_COUNTS)].fillna(
        0.0
    )
    b.frame["residence_ratio"] = b.frame["population"] / b.frame["registered_2021"].replace(
        0, np.nan
    )


def _ratios(b: _Builder) -> None:
    table = b.use("census_ratios")
    data = table.data.copy()
    data["code"] = data["code"].map(ward_to_city)
    kept = b.split(table, data, ward_reason="ward of an unknown city")
    people = kept["pop_total"].where(kept["pop_total"] > 0)
    households = kept["n_hh_total"].where(kept["n_hh_total"] > 0)
    work = pd.DataFrame(
        {
            "code": kept["code"],
            "w_grad": people,
            "grad": kept["pct_college"] * people,
            "w_single": households,
            "single": kept["pct_single_hh"] * households,
        }
    )
    sums = work.groupby("code").sum(min_count=1)
    b.frame["graduate_share"] = (sums["grad"] / sums["w_grad"]).reindex(b.frame.index)
    b.frame["single_household_share"] = (sums["single"] / sums["w_single"]).reindex(b.frame.index)
    b.report.require(table, b.frame.index.difference(sums.index), b.frame["name_ja"])
    b.notes.append(note("census.wards_aggregated"))


def _indicators(b: _Builder) -> None:
    columns = {
        "pop_2025_prelim": "pop_2025_prelim",
        "area_km2": "area_km2",
        "ipss_projected": "ipss_projected",
        **{f"ipss_total_{y}": f"ipss_{y}" for y in IPSS_YEARS},
        "ipss_elderly65_2050": "ipss_65plus_2050",
    }
    b.attach(b.use("indicators_2025"), columns)
    b.frame["density"] = b.frame["population"] / b.frame["area_km2"]


def _kaso(b: _Builder) -> None:
    b.attach(
        b.use("kaso"), {"kaso": "kaso"}, complete=False
    )  # absent from the list = not designated
    b.frame["kaso"] = b.frame["kaso"].fillna("none")


def _offices(b: _Builder) -> None:
    table = b.use("offices")
    data = pd.DataFrame(table.data.drop(columns="geometry"))
    data["office_lon"] = table.data.geometry.x.round(COORDINATE_DECIMALS)
    data["office_lat"] = table.data.geometry.y.round(COORDINATE_DECIMALS)
    wards = data["code"].map(is_ward)
    b.attach(
        Table(data[~wards], table.dataset, table.path),
        {"office_lon": "office_lon", "office_lat": "office_lat", "kana": "name_kana"},
    )
    b.report.add(table, data[wards], "designated-city ward office (kept as a counter of its city)")
    b.frame["name_en"] = [
        english_name(n, k) for n, k in zip(b.frame["name_ja"], b.frame["name_kana"], strict=True)
    ]


def _stations(b: _Builder) -> None:
    table = b.use("stations")
    data = pd.DataFrame(table.data.drop(columns="geometry"))
    data["code"] = data["code"].map(ward_to_city)
    kept = b.split(table, data, ward_reason="ward of an unknown city")
    b.frame["stations"] = (
        kept.groupby("code").size().reindex(b.frame.index, fill_value=0).astype("int64")
    )


def _mynumber(b: _Builder) -> None:
    table = b.use("mynumber")
    data = table.data
    wanted = data["date"].isin(pd.to_datetime(list(MYNUMBER_DATES.values())))
    b.report.add_block(
        table, data[~wanted], "other dates of the series (the frame keeps two dates)"
    )
    for column, date in MYNUMBER_DATES.items():
        b.attach(table, {"rate_pct": column}, data[data["date"] == pd.Timestamp(date)])


def _dx(b: _Builder) -> None:
    b.attach(b.use("dx_dashboard"), {c: c for c in INDICATORS.values()})


def _evacuation(b: _Builder) -> None:
    events = b.use("evacuation_events")
    kept = b.split(events, events.data, ward_reason="ward")
    dates = kept.groupby("code")["event_date"].agg(["min", "max"])
    b.frame["evac_first_lifted"] = dates["min"].reindex(b.frame.index)
    b.frame["evac_last_lifted"] = dates["max"].reindex(b.frame.index)
    residence = b.use("residence")
    data = residence.data
    whole = data[data["scope"].eq("municipality") & data["residence_rate_pct"].notna()]
    latest = data.index.isin(whole.sort_values("as_of").groupby("code").tail(1).index)
    b.report.add(
        residence,
        data[~latest],
        "not the latest whole-municipality rate "
        "(totals, parts of a municipality, earlier dates, counts without a rate)",
    )
    b.attach(
        residence,
        {"residence_rate_pct": "residence_rate_pct", "as_of": "residence_rate_as_of"},
        data[latest],
        complete=False,
    )


def _geometry(b: _Builder) -> gpd.GeoDataFrame:
    table = b.use("boundaries")
    b.report.add_records(table.dataset.id, table.dataset.file, table.rejected)
    kept = b.split(table, table.data, ward_reason="ward of an unknown city")
    geometry = kept.set_index("code").geometry.reindex(b.frame.index)
    b.report.require(table, geometry.index[geometry.isna()], b.frame["name_ja"])
    rounded = shapely.transform(geometry.to_numpy(), lambda xy: np.round(xy, COORDINATE_DECIMALS))
    return gpd.GeoDataFrame(b.frame, geometry=gpd.GeoSeries(rounded, index=b.frame.index), crs=CRS)


STEPS: tuple[tuple[str, Callable[[_Builder], None]], ...] = (
    ("registered population (住基)", _universe),
    ("2020 census", _census),
    ("census ratios", _ratios),
    ("2025 prelim, area, IPSS", _indicators),
    ("過疎 designations", _kaso),
    ("municipal offices", _offices),
    ("stations", _stations),
    ("My Number cards", _mynumber),
    ("DX dashboard", _dx),
    ("evacuation context", _evacuation),
)


def build_frame(
    tables: RawTables, *, progress: bool | None = False
) -> tuple[gpd.GeoDataFrame, JoinReport, list[str], list[str]]:
    """The national frame from the raw tables: (frame, join report, dataset ids used, build notes)."""
    builder = _Builder(tables)
    for _, step in steps(STEPS, "building the municipal frame", enabled=progress):
        step(builder)
    frame = _geometry(builder)
    ordered = [c for c in COLUMNS if c in frame.columns and c != "geometry"]
    frame = frame[[*ordered, "geometry"]]
    frame.index = frame.index.astype("str")
    for column in frame.columns:  # one string dtype everywhere, as a Parquet round trip gives back
        if column != "geometry" and frame[column].dtype == object:
            frame[column] = frame[column].astype("str")
    return frame, builder.report, builder.used, builder.notes
