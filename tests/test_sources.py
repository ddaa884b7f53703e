"""Every publisher module on the real mirror, checked against figures published elsewhere."""

import pandas as pd
import pytest

from divide.sources.broadband import load_ftth_adoption
from divide.sources.census_ratios import load_census_ratios
from divide.sources.dx_dashboard import load_dx_dashboard, load_dx_dashboard_prefectures, load_dx_dashboard_wide
from divide.sources.estat_census import load_census
from divide.sources.fukushima_evacuation import load_evacuation_events, load_residence
from divide.sources.gsi_shelters import load_shelters
from divide.sources.juki import AGE_BANDS, load_juki_age, load_juki_japanese_2026
from divide.sources.kaso import load_kaso
from divide.sources.kurashimap import load_indicators_2025
from divide.sources.localgovjp import load_offices
from divide.sources.mynumber import (
    load_mynumber,
    load_mynumber_by_age,
    load_mynumber_by_type,
    load_mynumber_prefectures,
)
from divide.sources.n03 import load_boundaries
from divide.sources.s12_stations import load_stations
from divide.sources.usage_survey import load_device_use_by_age, load_internet_use, load_internet_use_2020


def fukushima(data: pd.DataFrame) -> pd.DataFrame:
    return data[data["code"].fillna("").str.startswith("07")]


def test_census_2020_matches_the_published_totals(raw):
    population = load_census("census_population", directory=raw).data.set_index("code")["population"]
    assert population["07201"] == 282_693  # 福島市
    assert population["07203"] == 327_692  # 郡山市
    assert population["07204"] == 332_931  # いわき市
    assert fukushima(load_census("census_population", directory=raw).data)["population"].sum() == 1_833_152
    assert fukushima(load_census("census_aging", directory=raw).data)["pop_65plus"].sum() == 572_825
    households = fukushima(load_census("census_households", directory=raw).data)
    assert households[["households", "elderly_single_hh", "elderly_couple_hh"]].sum().tolist() == [
        740_089, 87_168, 86_303]
    assert "07546" not in population.index  # 双葉町: no residents on 2020-10-01


def test_register_age_bands(raw):
    table = load_juki_age(directory=raw)
    data = table.data
    pref = data[(data["row_type"] == "prefecture") & (data["code"] == "07000") & (data["sex"] == "total")]
    assert pref.set_index("ref_date").loc["2021-01-01", "total"] == 1_862_777
    munis = data[(data["row_type"] == "municipality") & (data["sex"] == "total") & data["code"].str.startswith("07")]
    by_date = munis.groupby("ref_date")[list(AGE_BANDS)].sum()
    # the 59 municipalities add up to the prefecture row, band by band
    assert (by_date.to_numpy() == pref.set_index("ref_date")[list(AGE_BANDS)].to_numpy()).all()
    assert any("differs from the sum of age bands" in n for n in table.notes)
    japanese = load_juki_japanese_2026(directory=raw).data
    total = japanese[(japanese["row_type"] == "prefecture") & (japanese["sex"] == "total")]["total"].iloc[0]
    assert total == 1_724_711


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
    assert len(table.data.attrs["unjoined"]) == 4  # 所属未定地
    assert table.data.geometry.is_valid.all()
    assert (table.data["code"].str[:2] == "07").sum() == 59
    geojson = load_boundaries("boundaries_national_geojson", directory=raw)
    # 12 null geometries in that file: 11 coded municipalities and one 所属未定地 (reported for its missing code)
    assert (geojson.data.attrs["unjoined"]["reason"] == "no geometry in this file").sum() == 11
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
    assert len(shelters) == 2462 and shelters["code"].nunique() == 58
    assert len(load_shelters("emergency_sites", directory=raw).data) == 2546
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
    prefs = load_mynumber_prefectures(directory=raw).data
    assert prefs[(prefs["date"] == "2022-12-31") & (prefs["pref_code"] == "07")]["rate_pct"].iloc[0] == 53.7
    assert len(load_mynumber_by_age(directory=raw).data) == 3 * 972
    assert len(load_mynumber_by_type(directory=raw).data) == 222


def test_dx_dashboard_published_layout_equals_the_derived_one(raw):
    published = load_dx_dashboard(directory=raw).data
    derived = load_dx_dashboard_wide(directory=raw).data.dropna(subset=["code"])
    assert len(published) == 1741
    merged = published.set_index("code").loc[derived["code"]]
    for column in ("card_holding_pct", "online_26_pct", "online_32_pct", "dx_cio"):
        assert merged[column].reset_index(drop=True).equals(derived[column].reset_index(drop=True)), column
    fk = published.set_index("code")
    assert fk.loc["07201", "card_holding_pct"] == 75
    prefectures = load_dx_dashboard_prefectures(directory=raw).data.set_index("pref_code")
    assert len(prefectures) == 47 and prefectures.loc["01", "online_32_pct"] == 88
    assert prefectures.loc["01", "online_32_handled"] == 17 and bool(prefectures.loc["01", "dx_cio"])
    assert fk.loc["07564", "online_32_handled"] == 24 and fk.loc["07564", "online_32_online"] == 3


def test_usage_surveys(raw):
    use = load_internet_use(directory=raw).data
    fk = use[use["pref_code"] == "07"].set_index("year")
    assert fk["use_rate_pct"].to_dict() == {2022: 75.2, 2023: 79.1, 2024: 82.2}
    assert fk["sample_n"].to_dict() == {2022: 789, 2023: 582, 2024: 699}
    assert (use["level"] == "prefecture").sum() == 141
    assert len(load_internet_use_2020(directory=raw).data) == 39
    ages = load_device_use_by_age(directory=raw).data
    seventy = ages[(ages["survey_year"] == 2023) & (ages["group"] == "70+")]
    assert seventy["pct"].iloc[0] == 48.5 and pd.isna(seventy["age_hi"].iloc[0])
    ftth = load_ftth_adoption(directory=raw).data.set_index("pref_code")
    assert len(ftth) == 47 and ftth.loc["07", "ftth_adoption_pct"] == 53.8


def test_kaso_and_evacuation(raw):
    kaso = load_kaso(directory=raw).data
    assert kaso["kaso"].value_counts().to_dict() == {"whole": 713, "partial": 158, "deemed": 14}
    fk = fukushima(kaso)
    assert len(fk) == 34 and (fk["kaso"] == "whole").sum() == 30
    events = load_evacuation_events(directory=raw).data
    assert len(events) == 23 and events["code"].nunique() == 12
    residence = load_residence(directory=raw).data
    assert residence.set_index("code").loc["07546"].query("as_of == '2025-09-01'")["residence_rate_pct"].iloc[0] == 3.8
