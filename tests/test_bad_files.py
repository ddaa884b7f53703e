"""Real-world input files an analyst brings: each wrong one fails with the file, the row and the
column named.

Complements ``test_bad_input.py`` (the census readers): the analyst's own layers (age tables,
service points, population grids), MIC's broadband table as Excel really stores it, and the office
list.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import Workbook

import divide
from divide.cli import main
from divide.codes import to_lg6
from divide.errors import DivideDataError, DivideParameterError
from divide.estimate.age_curve import load_age_table
from divide.sources.broadband import load_broadband_coverage
from divide.sources.mesh import load_mesh_population
from divide.sources.points import load_points

AGE_HEADER = "survey,age_lo,age_hi,pct,survey_n\n"
FRACTION = re.compile(r",(\d+\.\d),")
AGE_ROWS = [
    "s,13,19,98.0,3000\n",
    "s,20,29,98.5,3000\n",
    "s,30,39,98.0,3000\n",
    "s,40,49,97.0,3000\n",
    "s,50,59,94.0,3000\n",
    "s,60,69,85.0,3000\n",
    "s,70,,50.0,3000\n",
]


@pytest.fixture(scope="module")
def tottori():
    return divide.load_frame("31", source="processed")


def write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def raises(error, *words):
    """Context: the exact error class, and a message containing every word."""

    class _Check:
        def __enter__(self):
            self.context = pytest.raises(DivideDataError if error is None else error)
            self.info = self.context.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.context.__exit__(*exc)
            assert type(self.info.value) is (error or DivideDataError), repr(self.info.value)
            message = str(self.info.value)
            missing = [w for w in words if w not in message]
            assert not missing, f"{message!r} does not name {missing}"
            return handled

    return _Check()


# -- age tables
# ---------------------------------------------------------------------------------------------


def test_age_table_reads(tmp_path):
    table = load_age_table(write(tmp_path, "ages.csv", AGE_HEADER + "".join(AGE_ROWS)))
    assert len(table) == 7 and table["pct"].max() == 98.5


@pytest.mark.parametrize(
    ("rows", "line", "column", "why"),
    [
        ([*AGE_ROWS[:2], "s,25,34,98.0,3000\n", *AGE_ROWS[3:]], 4, "age_lo", "overlaps"),
        (
            [FRACTION.sub(lambda m: f",{float(m.group(1)) / 100:.3f},", row) for row in AGE_ROWS],
            2,
            "pct",
            "fractions",
        ),
        ([*AGE_ROWS[:6], "s,70,,0.5,3000\n"], 8, "pct", "between 0 and 1"),
        ([*AGE_ROWS[:6], "s,70,,150,3000\n"], 8, "pct", "0-100"),
        ([*AGE_ROWS[:6], "s,70,65,50,3000\n"], 8, "age_hi", "age_lo"),
        ([*AGE_ROWS[:6], "s,70,,fifty,3000\n"], 8, "pct", "fifty"),
        ([*AGE_ROWS[:6], "s,70,,50,-3\n"], 8, "survey_n", "-3"),
    ],
    ids=[
        "overlapping bands",
        "fractions not percents",
        "a fraction among percents",
        "above 100",
        "reversed band",
        "text",
        "negative n",
    ],
)
def test_bad_age_table(tmp_path, rows, line, column, why):
    path = write(tmp_path, "ages.csv", AGE_HEADER + "".join(rows))
    words = ["ages.csv", f"column {column!r}", why] + ([f"row {line}"] if line else [])
    with raises(None, *words):
        load_age_table(path)


def test_missing_analyst_file_is_not_told_to_fetch(tmp_path):
    with raises(None, "ages.csv", "not found") as caught:
        load_age_table(tmp_path / "ages.csv")
    assert "fetch" not in str(caught.value)


# -- service points and population grids
# --------------------------------------------------------------------


def test_service_layer_outside_the_prefecture_is_refused(tottori, tmp_path):
    path = write(
        tmp_path, "post.csv", "name,lon,lat\n福島郵便局,140.47,37.75\n郡山郵便局,140.38,37.40\n"
    )
    with raises(None, "post.csv", "no point", "31"):
        divide.add_geography(tottori, service_layers=[path])


def test_service_layer_partly_outside_is_kept_with_a_note(tottori, tmp_path):
    path = write(
        tmp_path, "post.csv", "name,lon,lat\n鳥取郵便局,134.23,35.50\n福島郵便局,140.47,37.75\n"
    )
    geography = divide.add_geography(tottori, service_layers=[path])
    assert any(
        n.code == "layers.partly_outside"
        and n.value("layer") == "post.csv"
        and (n.value("inside"), n.value("total")) == (1, 2)
        for n in geography.notes
    )


def test_service_layer_in_excel_is_read(tottori, tmp_path):
    book = Workbook()
    book.active.append(["name", "lon", "lat"])
    book.active.append(["鳥取郵便局", 134.23, 35.50])
    path = tmp_path / "post.xlsx"
    book.save(path)
    points = load_points(path)
    assert len(points) == 1 and points.geometry.x.iloc[0] == pytest.approx(134.23)


def test_population_grid_outside_the_prefecture_is_refused(tottori, tmp_path):
    path = write(tmp_path, "grid.csv", "mesh_code,population\n56404000,120\n56404001,80\n")
    with raises(None, "grid.csv", "31"):
        divide.add_geography(tottori, population_grid=path)


@pytest.mark.parametrize("first", ["56404000.0", "", "5640-4000"])
def test_mesh_file_never_loses_its_first_row(tmp_path, first):
    path = write(tmp_path, "mesh.csv", f"mesh_code,population\n{first},120\n56404001,80\n")
    if first == "56404000.0":
        table = load_mesh_population(path)
        assert len(table) == 2 and table["mesh_code"].iloc[0] == "56404000"
    else:
        with raises(None, "mesh.csv", "row 2", "mesh_code"):
            load_mesh_population(path)


# -- codes
# --------------------------------------------------------------------------------------------------


def test_six_and_five_digit_codes_in_one_file(tmp_path):
    path = write(
        tmp_path,
        "post.csv",
        "code,name,lon,lat\n312011,鳥取郵便局,134.23,35.50\n31202,米子郵便局,133.33,35.43\n",
    )
    points = load_points(path)
    assert points["code"].tolist() == ["31201", "31202"]


def test_a_service_point_with_a_ward_code_counts_for_its_city(tmp_path):
    path = write(tmp_path, "post.csv", "code,name,lon,lat\n01101,中央区郵便局,141.35,43.06\n")
    assert load_points(path)["code"].tolist() == ["01100"]


def test_a_broadband_ward_row_without_its_city_is_named(tmp_path):
    path = write(
        tmp_path,
        "bb.csv",
        "code,value,as_of,source\n01101,99.0,2024-03-31,MIC\n01202,98.0,2024-03-31,MIC\n",
    )
    with raises(None, "bb.csv", "row 2", "ward", "01100") as caught:
        divide.load_frame("01", source="processed", broadband=path)
    assert "merged" not in str(caught.value)


def test_a_broadband_ward_row_beside_its_city_is_reported(tmp_path):
    path = write(
        tmp_path,
        "bb.csv",
        "code,value,as_of,source\n01100,99.5,2024-03-31,MIC\n01101,99.0,2024-03-31,MIC\n",
    )
    frame = divide.load_frame("01", source="processed", broadband=path)
    rejected = frame.join_report[frame.join_report["source"] == "broadband_coverage"]
    assert rejected["line"].tolist() == [3] and "ward" in rejected["reason"].iloc[0]
    assert frame.municipalities.loc["01100", "broadband_coverage_pct"] == 99.5


# -- MIC broadband as Excel stores it
# -----------------------------------------------------------------------


def mic_book(path, rows, title="令和５年度末ＦＴＴＨ世帯カバー率（市区町村別）"):
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([])
    sheet.append(["団体コード", "都道府県名", "市区町村名", "ＦＴＴＨ世帯カバー率"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


TOTTORI_ROWS = [(312011, "鳥取県", "鳥取市", 99.9), (312029, "鳥取県", "米子市", 99.8)]


def test_mic_codes_stored_as_numbers_keep_their_prefecture(tmp_path):
    rows = [
        (72010, "福島県", "福島市", 99.9),
        (73083, "福島県", "川俣町", 97.5),
        (12025, "北海道", "函館市", 99.0),
    ]
    table = load_broadband_coverage(mic_book(tmp_path / "ftth.xlsx", rows))
    assert table.data["code"].tolist() == ["07201", "07308", "01202"]
    assert any(n.code == "broadband.reference_date" for n in table.notes)


def test_mic_file_of_another_prefecture_is_refused(tottori, tmp_path):
    path = mic_book(tmp_path / "ftth.xlsx", [(72010, "福島県", "福島市", 99.9)])
    with raises(None, "ftth.xlsx", "prefecture 31", "07"):
        divide.load_frame("31", source="processed", broadband=path)


def test_mic_mixed_fractions_and_percents_are_refused(tmp_path):
    path = mic_book(tmp_path / "ftth.xlsx", [TOTTORI_ROWS[0], (312029, "鳥取県", "米子市", 0.998)])
    with raises(None, "ftth.xlsx", "row 5", "between 0 and 1"):
        load_broadband_coverage(path)


def test_mic_fractions_are_read_and_said(tmp_path):
    path = mic_book(tmp_path / "ftth.xlsx", [(c, p, n, v / 100) for c, p, n, v in TOTTORI_ROWS])
    table = load_broadband_coverage(path)
    assert table.data["broadband_coverage_pct"].tolist() == pytest.approx([99.9, 99.8])
    assert any(n.code == "broadband.fractions" for n in table.notes)


def test_mic_without_a_reference_date_needs_one(tmp_path):
    path = mic_book(
        tmp_path / "ftth.xlsx", TOTTORI_ROWS, title="ＦＴＴＨ世帯カバー率（市区町村別）"
    )
    with raises(None, "ftth.xlsx", "reference date", "as_of"):
        load_broadband_coverage(path)
    assert load_broadband_coverage(path, as_of="2024-03-31").dataset.reference_date == "2024-03-31"


def test_mic_empty_value_is_reported_not_a_crash(tottori, tmp_path):
    path = mic_book(tmp_path / "ftth.xlsx", [TOTTORI_ROWS[0], (312029, "鳥取県", "米子市", None)])
    frame = divide.load_frame("31", source="processed", broadband=path)
    report = frame.join_report
    rejected = report[report["source"] == "broadband_coverage"]
    assert len(rejected) == 1 and "no value" in rejected["reason"].iloc[0]
    assert frame.municipalities.loc["31201", "broadband_coverage_pct"] == pytest.approx(99.9)


def test_mic_unmatched_name_is_reported_not_a_crash(tottori, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["令和５年度末ＦＴＴＨ世帯カバー率（市区町村別）"])
    sheet.append(["都道府県名", "市区町村名", "ＦＴＴＨ世帯カバー率"])
    sheet.append(["鳥取県", "鳥取市", 99.9])
    sheet.append(["鳥取県", "存在しない村", 50.0])
    path = tmp_path / "names.xlsx"
    book.save(path)
    frame = divide.load_frame("31", source="processed", broadband=path)
    rejected = frame.join_report[frame.join_report["source"] == "broadband_coverage"]
    assert rejected["line"].tolist() == [4]


def test_broadband_csv_of_fractions_is_read_as_fractions(tmp_path):
    path = write(
        tmp_path,
        "bb.csv",
        "code,value,as_of,source\n31201,0.999,2024-03-31,MIC\n31202,0.998,2024-03-31,MIC\n",
    )
    table = load_broadband_coverage(path)
    assert table.data["broadband_coverage_pct"].tolist() == pytest.approx([99.9, 99.8])


def test_broadband_in_an_unknown_format(tmp_path):
    with raises(None, "bb.json", "xlsx"):
        load_broadband_coverage(write(tmp_path, "bb.json", "{}"))


# -- the office list and the census
# ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "row_of_tottori_city", "column"),
    [
        (
            "facilities/localgovjp_municipal_offices_japan.csv",
            lambda line: line.rstrip().endswith(",312011"),
            "code",
        ),
        (
            "census/r2_census_population_by_municipality.csv",
            lambda line: line.startswith("31201,"),
            "jisCode",
        ),
    ],
    ids=["office list", "census"],
)
def test_a_municipality_without_a_row_is_an_error(raw, tmp_path, file, row_of_tottori_city, column):
    """Every raw file linked from the session's raw folder, one of them with 鳥取市's row removed."""
    for path in raw.rglob("*"):
        if path.is_file():
            (tmp_path / path.relative_to(raw)).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path.relative_to(raw)).symlink_to(path)
    edited = tmp_path / file
    lines = edited.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    kept = [line for line in lines if not row_of_tottori_city(line)]
    assert len(kept) == len(lines) - 1
    edited.unlink()
    edited.write_text("".join(kept), encoding="utf-8")
    with raises(None, edited.name, "31201", f"column {column!r}"):
        divide.build_data(tmp_path)


def test_a_prefecture_code_outside_01_47_in_a_parameter(tmp_path):
    with raises(DivideParameterError, "99"):
        divide.normalize_pref("99")


def test_clusters_of_a_table_without_polygons(tmp_path):
    with raises(DivideParameterError, "frame", "GeoDataFrame"):
        divide.local_clusters(pd.DataFrame({"x": [1.0]}), "density")


def test_a_register_row_with_a_wrong_code_is_blamed_on_the_register_too(raw, tmp_path):
    """鳥取市 under a code the census does not know: the error names both files, and the row of the
    register that defined the municipality, not only the census file.
    """
    for path in raw.rglob("*"):
        if path.is_file():
            (tmp_path / path.relative_to(raw)).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path.relative_to(raw)).symlink_to(path)
    edited = tmp_path / "census/juki_age5_by_municipality_2020-2022.csv"
    text = edited.read_text(encoding="utf-8")
    edited.unlink()
    edited.write_text(text.replace(",312011,31201,", f",{to_lg6('31299')},31299,"), "utf-8")
    with raises(None, "r2_census_population", "31299", "juki_age5", "lists it at row", "register"):
        divide.build_data(tmp_path)


def test_an_undated_workbook_says_how_to_date_it_and_is_read_when_dated(tottori, tmp_path):
    path = mic_book(
        tmp_path / "ftth.xlsx", TOTTORI_ROWS, title="ＦＴＴＨ世帯カバー率（市区町村別）"
    )
    with raises(None, "ftth.xlsx", "broadband_as_of=", "--broadband-as-of"):
        divide.load_frame("31", source="processed", broadband=path)
    frame = divide.load_frame(
        "31", source="processed", broadband=path, broadband_as_of="2024-03-31"
    )
    assert frame.datasets["broadband_coverage"].reference_date == "2024-03-31"


def test_an_undated_workbook_is_dated_on_the_command_line(tmp_path, capsys):
    path = mic_book(
        tmp_path / "ftth.xlsx", TOTTORI_ROWS, title="ＦＴＴＨ世帯カバー率（市区町村別）"
    )
    argv = ["summary", "--pref", "31", "--source", "processed", "--broadband", str(path)]
    assert main(argv) == 2 and "--broadband-as-of" in capsys.readouterr().err
    assert main([*argv, "--broadband-as-of", "2024-03-31", "--lang", "en"]) == 0


def test_a_header_over_two_merged_rows_is_read(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["令和５年度末ＦＴＴＨ世帯カバー率（市区町村別）"])
    sheet.append(["団体コード", "都道府県名", "市区町村名", "ＦＴＴＨ"])
    sheet.append([None, None, None, "世帯カバー率"])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    for row in TOTTORI_ROWS:
        sheet.append(list(row))
    book.save(tmp_path / "two_rows.xlsx")
    table = load_broadband_coverage(tmp_path / "two_rows.xlsx")
    assert table.data["broadband_coverage_pct"].tolist() == pytest.approx([99.9, 99.8])
    assert table.data["_line"].tolist() == [4, 5]


def test_a_header_without_the_coverage_column_says_what_it_looked_for(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["団体コード", "都道府県名", "市区町村名", "世帯数"])
    sheet.append(list(TOTTORI_ROWS[0]))
    book.save(tmp_path / "no_value.xlsx")
    with raises(None, "no_value.xlsx", "「カバー率」", "two rows"):
        load_broadband_coverage(tmp_path / "no_value.xlsx")
