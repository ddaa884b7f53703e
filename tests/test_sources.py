"""Every publisher module on the real mirror, checked against figures published elsewhere."""

import pandas as pd
import pytest

from divide.constants import AGE_BANDS
from divide.sources import reader
from divide.sources.census_ratios import load_census_ratios
from divide.sources.dx_dashboard import load_dx_dashboard
from divide.sources.estat_census import load_census
from divide.sources.fukushima_evacuation import load_evacuation_events, load_residence
from divide.sources.gsi_shelters import load_shelters
from divide.sources.juki import load_juki_age
from divide.sources.kaso import load_kaso
from divide.sources.kurashimap import load_indicators_2025
from divide.sources.localgovjp import load_offices
from divide.sources.mynumber import load_mynumber, load_mynumber_by_age
from divide.sources.n03 import load_boundaries
from divide.sources.s12_stations import load_stations
from divide.sources.usage_survey import load_device_use_by_age, load_internet_use


def fukushima(data: pd.DataFrame) -> pd.DataFrame:
    return data[data["code"].fillna("").str.startswith("07")]


def test_census_2020_matches_the_published_totals(raw):
    population = load_census("census_population", directory=raw).data.set_index("code")[
        "population"
    ]
    assert population["07201"] == 282_693  # 福島市
    assert population["07203"] == 327_692  # 郡山市
    assert population["07204"] == 332_931  # いわき市
    assert (
        fukushima(load_census("census_population", directory=raw).data)["population"].sum()
        == 1_833_152
    )
    assert fukushima(load_census("census_aging", directory=raw).data)["pop_65plus"].sum() == 572_825
    households = fukushima(load_census("census_households", directory=raw).data)
    assert households[["households", "elderly_single_hh", "elderly_couple_hh"]].sum().tolist() == [
        740_089,
        87_168,
        86_303,
    ]
    assert "07546" not in population.index  # 双葉町: no residents on 2020-10-01


def test_register_age_bands(raw):
    table = load_juki_age(directory=raw)
    data = table.data
    pref = data[
        (data["row_type"] == "prefecture") & (data["code"] == "07000") & (data["sex"] == "total")
    ]
    assert pref.set_index("ref_date").loc["2021-01-01", "total"] == 1_862_777
    munis = data[
        (data["row_type"] == "municipality")
        & (data["sex"] == "total")
        & data["code"].str.startswith("07")
    ]
    by_date = munis.groupby("ref_date")[list(AGE_BANDS)].sum()
    # the 59 municipalities add up to the prefecture row, band by band
    assert (by_date.to_numpy() == pref.set_index("ref_date")[list(AGE_BANDS)].to_numpy()).all()
    assert any(n.code == "juki.total_gap" for n in table.notes)


def test_ratios_indicators_and_ipss(raw):
    ratios = load_census_ratios(directory=raw).data.set_index("code")
    assert ratios.loc["07201", "pct_elderly_65"] == pytest.approx(84_304 / 282_693, abs=1e-5)
    assert "pct_single_parent" not in ratios
    indicators = load_indicators_2025(directory=raw)
    data = indicators.data.set_index("code")
    assert fukushima(indicators.data)["pop_2025_prelim"].sum() == 1_711_937
    assert data.loc["07201", "pop_2025_prelim"] == 265_803
    assert not data.loc["07204", "ipss_projected"] and pd.isna(data.loc["07204", "ipss_total_2035"])
    assert data.loc["07201", "ipss_projected"] and data.loc["07201", "ipss_total_2035"] == 250_412


def test_boundaries(raw):
    table = load_boundaries(directory=raw)
    assert len(table.data) == 1747  # 1,741 municipalities + 6 Northern-Territory villages
    assert len(table.rejected) == 4  # 所属未定地
    assert table.data.geometry.is_valid.all()
    assert (table.data["code"].str[:2] == "07").sum() == 59
    geojson = load_boundaries("boundaries_national_geojson", directory=raw)
    # 12 null geometries in that file: 11 coded municipalities and one 所属未定地 (reported for its
    # missing code)
    assert (geojson.rejected["reason"] == "no geometry in this file").sum() == 11
    assert len(geojson.data) == 1747 - 11
    assert len(load_boundaries("boundaries_fukushima", directory=raw).data) == 59
    assert len(load_boundaries("boundaries_fukushima_topojson", directory=raw).data) == 59
    assert len(load_boundaries("boundaries_fukushima_2024", directory=raw).data) == 59
    with pytest.raises(Exception, match="wards dissolved"):
        load_boundaries(directory=raw, wards=True)


def test_points(raw):
    offices = load_offices(directory=raw).data
    assert len(offices) == 1916 and offices.crs == "EPSG:6668"
    assert offices.set_index("code").loc["07201", "name"] == "福島市"
    shelters = load_shelters(directory=raw).data
    assert len(shelters) == 82_557 and shelters["code"].str[:2].nunique() == 47
    fukushima_shelters = shelters[shelters["code"].str[:2] == "07"]
    assert (
        len(fukushima_shelters) == 2462 and fukushima_shelters["code"].nunique() == 58
    )  # 双葉町 has none
    stations = load_stations(directory=raw).data
    assert len(stations) == 9266 and (stations["code"].str[:2] == "07").sum() == 188


def test_mynumber(raw):
    series = load_mynumber(directory=raw)
    data = series.data
    assert len(data) == 80_086 and data["date"].nunique() == 46
    last = data[data["date"] == "2022-12-31"].set_index("code")
    assert last.loc["07564", "rate_pct"] == 40.9  # 飯舘村, the lowest of Fukushima
    fk = fukushima(last.reset_index())
    assert fk["rate_pct"].min() == 40.9 and fk["rate_pct"].max() == 74.1
    assert data["code"].notna().all()  # 三宅村/八丈町 matched by name
    assert len(load_mynumber_by_age(directory=raw).data) == 3 * 972


def test_dx_dashboard_published_layout_equals_the_derived_one(raw):
    """Codes are attached to the transposed file by column order: a derived table with codes must
    agree.
    """
    published = load_dx_dashboard(directory=raw).data.set_index("code")
    derived = reader.read_csv(raw / "services/dx_progress_indicators_by_municipality_wide.csv")
    derived = derived[~derived["lg_code"].str.contains("NA")]
    derived["code"] = reader.codes(derived, "lg_code", "lg6", "derived")
    column = next(c for c in derived.columns if c.endswith("|マイナンバーカードの保有状況"))
    holding = derived.set_index("code")[column].str.rstrip("%").astype(float)
    assert len(published) == 1741
    assert published.loc[holding.index, "card_holding_pct"].to_numpy() == pytest.approx(
        holding.to_numpy()
    )
    assert published.loc["07201", "card_holding_pct"] == 75
    assert (
        published.loc["07564", "online_32_handled"] == 24
        and published.loc["07564", "online_32_online"] == 3
    )


def test_usage_surveys(raw):
    use = load_internet_use(directory=raw).data
    fk = use[use["pref_code"] == "07"].set_index("year")
    assert fk["use_rate_pct"].to_dict() == {2022: 75.2, 2023: 79.1, 2024: 82.2}
    assert fk["sample_n"].to_dict() == {2022: 789, 2023: 582, 2024: 699}
    assert (use["level"] == "prefecture").sum() == 141
    ages = load_device_use_by_age(directory=raw).data
    seventy = ages[(ages["survey_year"] == 2023) & (ages["group"] == "70+")]
    assert seventy["pct"].iloc[0] == 48.5 and pd.isna(seventy["age_hi"].iloc[0])


def test_kaso_and_evacuation(raw):
    kaso = load_kaso(directory=raw).data
    assert kaso["kaso"].value_counts().to_dict() == {"whole": 713, "partial": 158, "deemed": 14}
    fk = fukushima(kaso)
    assert len(fk) == 34 and (fk["kaso"] == "whole").sum() == 30
    events = load_evacuation_events(directory=raw).data
    assert len(events) == 23 and events["code"].nunique() == 12
    residence = load_residence(directory=raw).data
    assert (
        residence.set_index("code")
        .loc["07546"]
        .query("as_of == '2025-09-01'")["residence_rate_pct"]
        .iloc[0]
        == 3.8
    )


def _decode_topojson_by_hand(doc: dict) -> list:
    """An independent TopoJSON decoder (the spec's delta-encoded, quantised arcs), as an oracle for
    GDAL's.
    """
    import numpy as np
    from shapely.geometry import MultiPolygon, Polygon

    scale, translate = (
        np.asarray(doc["transform"]["scale"]),
        np.asarray(doc["transform"]["translate"]),
    )
    arcs = [
        np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate for arc in doc["arcs"]
    ]

    def ring(indexes: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.concatenate([parts[0], *[p[1:] for p in parts[1:]]])

    shapes = []
    for geometry in next(iter(doc["objects"].values()))["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        shapes.append(
            MultiPolygon([Polygon(ring(p[0]), [ring(r) for r in p[1:]]) for p in polygons])
        )
    return shapes


def test_gdal_reads_the_topojson_boundaries_exactly_as_the_specification_decodes_them(raw):
    import json

    import geopandas as gpd
    import shapely

    path = raw / "boundaries/N03-21_210101_designated_city_s0010.topojson"
    by_hand = _decode_topojson_by_hand(json.loads(path.read_text(encoding="utf-8")))
    by_gdal = gpd.read_file(path).geometry.to_numpy()
    assert len(by_hand) == len(by_gdal) == 1751
    assert (
        max(shapely.symmetric_difference(a, b).area for a, b in zip(by_hand, by_gdal, strict=True))
        == 0.0
    )
