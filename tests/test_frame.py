"""Acceptance of the municipal frame on real data."""

import pandas as pd
import pytest
import shapely

from divide.codes import NORTHERN_TERRITORIES
from divide.frame.joinreport import summarize
from divide.frame.load import load_frame
from divide.frame.testing import assert_frame_valid


def test_fukushima_frame_matches_the_published_figures(fukushima):
    assert_frame_valid(fukushima)
    assert len(fukushima) == 59
    fukushima = fukushima.municipalities
    assert fukushima.index.name == "code" and fukushima.crs == "EPSG:6668"
    assert fukushima["population"].sum() == 1_833_152
    assert fukushima.loc["07201", "population"] == 282_693
    assert fukushima["pop_65plus"].sum() == 572_825
    assert fukushima.loc["07564", "mynumber_rate_2022"] == 40.9
    assert (
        fukushima.loc["07201", "name_ja"] == "福島市"
        and fukushima.loc["07201", "name_en"] == "Fukushima City"
    )
    assert (
        fukushima.loc["07201", "code6"] == "072010" and fukushima.loc["07564", "code6"] == "075647"
    )


def test_futaba_is_kept_and_flagged(fukushima):
    fukushima = fukushima.municipalities
    futaba = fukushima.loc["07546"]
    assert futaba["name_ja"] == "双葉町"
    assert futaba["population"] == 0 and futaba["census_zero_population"]
    assert futaba["registered_2022"] > 5000  # still registered: registration is not residence
    assert fukushima["census_zero_population"].sum() == 1


def test_every_fukushima_row_has_a_polygon_and_an_office(fukushima):
    fukushima = fukushima.municipalities
    assert fukushima.geometry.notna().all() and fukushima.geometry.is_valid.all()
    assert set(fukushima.geom_type) <= {"Polygon", "MultiPolygon"}
    assert fukushima["office_lon"].notna().all() and fukushima["office_lat"].notna().all()


def test_offices_lie_in_their_municipality(fukushima):
    fukushima = fukushima.municipalities
    offices = shapely.points(fukushima["office_lon"], fukushima["office_lat"])
    inside = shapely.contains(fukushima.geometry.to_numpy(), offices) | (
        shapely.distance(fukushima.geometry.to_numpy(), offices) < 0.01
    )
    # 双葉町's listed office is its former temporary office in いわき市 (see SOURCES); all others
    # are inside
    assert set(fukushima.index[~inside]) == {"07546"}


def test_shared_borders_without_gaps_or_overlaps(fukushima):
    projected = fukushima.municipalities.to_crs(6677)  # JGD2011 plane rectangular IX, metres
    areas = projected.area
    union = shapely.union_all(projected.geometry.to_numpy())
    overlap = areas.sum() - union.area
    assert overlap / areas.sum() < 1e-9
    # neighbours meet along lines, not points: 福島市 and 伊達市 share a border of several km
    border = projected.loc["07201"].geometry.intersection(projected.loc["07213"].geometry)
    assert border.length > 5_000
    # the prefecture has no interior holes (gaps between municipalities)
    holes = sum(len(p.interiors) for p in getattr(union, "geoms", [union]))
    assert holes == 0


def test_national_frame_has_every_municipality_and_reports_the_rest(national):
    assert_frame_valid(national)
    report = national.join_report
    national = national.municipalities
    assert len(national) == 1741
    assert not set(NORTHERN_TERRITORIES) & set(national.index)
    nt = report[report["code"].isin(list(NORTHERN_TERRITORIES))]
    assert set(nt[nt["source"] == "boundaries"]["code"]) == set(NORTHERN_TERRITORIES)
    assert set(nt[nt["source"] == "boundaries"]["name"]) == set(NORTHERN_TERRITORIES.values())
    assert national.geometry.notna().all()
    assert (
        national["population"].sum() == 126_146_099
    )  # 2020 census total of Japan (published figure)


def test_every_input_row_is_joined_or_reported(national, raw):
    """Count rows: frame rows + reported rows = input rows, for the sources joined one-to-one."""
    from divide.sources.estat_census import load_census
    from divide.sources.localgovjp import load_offices

    report = summarize(national.join_report).groupby("source")["rows"].sum()
    census_rows = len(load_census("census_population", directory=raw).data)
    # 双葉町 has no census row, so the census rows joined are 1,741 - 1
    assert census_rows == (len(national) - 1) + report["census_population"]
    assert len(load_offices(directory=raw).data) == len(national) + report["offices"]


def test_every_municipality_has_a_row_in_every_complete_file(national):
    """A missing row is an error (tests/test_bad_files.py); the mirror's files are complete, so none
    is.
    """
    report = national.join_report
    assert (report["rows"] > 0).all()


def test_designated_cities_are_one_row(national):
    national = national.municipalities
    sapporo = national.loc["01100"]
    assert sapporo["name_ja"] == "札幌市" and sapporo["population"] == 1_973_395
    assert pd.notna(sapporo["graduate_share"])  # aggregated from the wards
    assert not national.index.str.match(r"^01(10[1-9]|11\d)$").any()


def test_load_frame_falls_back_to_the_embedded_default(tmp_path):
    frame = load_frame("07", raw_directory=tmp_path)  # an empty raw directory
    assert frame.data.source == "processed"
    assert len(frame) == 59 and frame.municipalities["population"].sum() == 1_833_152
    assert any(n.code == "frame.no_broadband" for n in frame.notes)
    assert frame.municipalities["broadband_coverage_pct"].isna().all()


def test_load_frame_other_prefecture_and_names(tmp_path):
    frame = load_frame("Miyagi", raw_directory=tmp_path)
    assert (
        frame.municipalities["pref_code"].eq("04").all() and "04100" in frame.municipalities.index
    )


def test_a_prefecture_frame_reports_its_own_rows_only(fukushima, national):
    report = fukushima.join_report
    assert report["pref_code"].eq("07").all()
    # the Fukushima-only press table keeps its totals rows in Fukushima's report
    residence = report[report["source"] == "residence"]
    assert len(residence) == 8 and residence["code"].isna().sum() == 3
    # block entries (other dates, by-sex rows) are split by prefecture: Fukushima's count only its
    # rows
    mynumber = report[(report["source"] == "mynumber") & report["code"].isna()]["rows"].sum()
    everything = national.join_report
    fukushima_rows = everything[
        (everything["source"] == "mynumber") & everything["pref_code"].eq("07")
    ]
    assert mynumber == fukushima_rows[fukushima_rows["code"].isna()]["rows"].sum() > 0
    assert report["rows"].sum() < 10_000 < everything["rows"].sum()


def test_credits_follow_the_prefecture(data):
    assert "evacuation_events" in load_frame("07", data=data).datasets
    hokkaido = load_frame("01", data=data).datasets
    assert "evacuation_events" not in hokkaido and "residence" not in hokkaido
    assert {"boundaries", "census_population", "juki_age"} <= set(hokkaido)


@pytest.mark.filterwarnings("ignore::pandas.errors.ChainedAssignmentError")
def test_changing_loaded_data_in_one_cell_changes_no_later_frame():
    """The notebook mutation of the architecture review: a write through ``frame.data`` or the
    frame's own accessors stays with that object; the next load_frame sees the published data.
    """
    first = load_frame("07")
    population = first.data.national.loc["07201", "population"]
    first.data.national.loc["07201", "population"] = -1
    first.national.loc["07201", "population"] = -1
    first.points.loc[first.points.index[0], "code"] = "99999"
    first.data.join_report.loc[0, "reason"] = "changed"
    again = load_frame("07")
    assert again.municipalities.loc["07201", "population"] == population
    assert again.national.loc["07201", "population"] == population
    assert (again.points["code"] != "99999").all()
    assert (again.data.join_report["reason"] != "changed").all()


def test_no_stage_reaches_into_the_loaded_data_by_key():
    """Stages read the frame's named accessors (``frame.points``, ``frame.national`` …); only
    frame/ and analysis.py know how the loaded data are held.
    """
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "divide"
    reach = re.compile(r"frame\.data\.")
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        if path.parent.name != "frame" and path.name != "analysis.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reach.search(line) and not line.lstrip().startswith(("#", ">>>"))
    ]
    assert not found, found
