"""Malformed inputs fail with a DivideDataError that names the file, the row and the column."""

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point

from divide.errors import DivideDataError
from divide.sources.estat_census import load_census
from divide.sources.juki import load_juki_age
from divide.sources.n03 import load_boundaries
from divide.sources.points import load_points

HEADER = "jisCode,prefecture,municipality,population,sourceUrl,updatedAt\n"
ROWS = [
    "07201,福島県,福島市,282693,u,2021-11-30\n",
    "07202,福島県,会津若松市,117376,u,2021-11-30\n",
]


def write(tmp_path, text: str, name: str = "population.csv", encoding: str = "utf-8") -> object:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def census(path):
    return load_census("census_population", path=path).data.set_index("code")["population"]


def test_utf8_with_and_without_bom_and_cp932_read_the_same(tmp_path):
    text = HEADER + "".join(ROWS)
    plain = census(write(tmp_path, text, "a.csv"))
    bom = census(write(tmp_path, "\ufeff" + text, "b.csv"))
    sjis = census(write(tmp_path, text, "c.csv", encoding="cp932"))
    assert plain.equals(bom) and plain.equals(sjis)
    assert plain["07202"] == 117_376


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes((HEADER + ROWS[0]).encode() + b"07202,\xff\xfe\xfa,x,1,u,d\n")
    with pytest.raises(DivideDataError, match=r"bad.csv, row 3: cannot decode"):
        census(path)


def test_full_width_digits_and_separators_are_numbers(tmp_path):
    path = write(tmp_path, HEADER + '０７２０１,福島県,福島市,"２８２，６９３",u,d\n')
    assert census(path)["07201"] == 282_693


@pytest.mark.parametrize("mark", ["-", "…", "X", "***"])
def test_suppressed_cells_become_missing_and_are_counted(tmp_path, mark):
    path = write(tmp_path, HEADER + ROWS[0] + f"07202,福島県,会津若松市,{mark},u,d\n")
    table = load_census("census_population", path=path)
    assert table.data["population"].isna().sum() == 1
    assert [(n.code, n.value("cells"), n.value("column")) for n in table.notes] == [
        ("census.suppressed", 1, "population")
    ]


def test_suppressed_cell_where_a_value_is_required(tmp_path, mirror):
    lines = (
        (mirror / "census/juki_age5_fukushima_2020-2022.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    cells = lines[2].split(",")
    cells[lines[0].split(",").index("age_5_9")] = "X"
    path = write(tmp_path, "\n".join([lines[0], lines[1], ",".join(cells)]) + "\n", "juki.csv")
    with pytest.raises(
        DivideDataError, match=r"juki.csv, row 3, column 'age_5_9': suppressed cell"
    ):
        load_juki_age("juki_age_fukushima", path=path)


def test_duplicate_codes(tmp_path):
    path = write(tmp_path, HEADER + ROWS[0] + ROWS[1] + ROWS[0])
    with pytest.raises(
        DivideDataError, match=r"row 4, column 'jisCode': duplicate key \('07201',\) on lines 2, 4"
    ):
        census(path)


def test_unknown_prefecture_code(tmp_path):
    path = write(tmp_path, HEADER + ROWS[0] + "48201,?,?,1,u,d\n")
    with pytest.raises(DivideDataError, match=r"row 3, column 'jisCode': prefecture part 48"):
        census(path)


def test_code_of_a_municipality_merged_away(tmp_path, data):
    from divide.frame.load import load_frame

    # 07302 (伊達郡伊達町) was merged into 伊達市 in 2006: well-formed, but no longer a municipality
    path = write(
        tmp_path,
        "code,value,as_of,source\n07201,99.9,2024-03-31,MIC\n07302,98.0,2024-03-31,MIC\n",
        "broadband.csv",
    )
    with pytest.raises(
        DivideDataError, match=r"broadband.csv, row 3, column 'code': .*merged away"
    ):
        load_frame("07", data=data, broadband=path)


def test_wrong_check_digit(tmp_path):
    path = write(tmp_path, "code,value,as_of,source\n072011,99.9,2024-03-31,MIC\n", "broadband.csv")
    from divide.sources.broadband import load_broadband_coverage

    with pytest.raises(DivideDataError, match=r"row 2, column 'code': check digit should be 0"):
        load_broadband_coverage(path)


def test_missing_required_column(tmp_path):
    path = write(tmp_path, "jisCode,prefecture,municipality,sourceUrl\n07201,福島県,福島市,u\n")
    with pytest.raises(DivideDataError, match=r"column 'population': required column missing"):
        census(path)


def test_empty_file(tmp_path):
    with pytest.raises(DivideDataError, match="the file is empty"):
        census(write(tmp_path, ""))


def test_header_without_rows(tmp_path):
    with pytest.raises(DivideDataError, match="header but no data rows"):
        census(write(tmp_path, HEADER))


def test_truncated_file(tmp_path):
    path = write(tmp_path, HEADER + ROWS[0] + "07202,福島県,会津")
    with pytest.raises(DivideDataError, match=r"row 3: fewer fields than the header"):
        census(path)


def test_unbalanced_quote(tmp_path):
    path = write(tmp_path, HEADER + ROWS[0] + '07202,"福島県,会津若松市,1,u,d\n')
    with pytest.raises(DivideDataError, match="row 3: malformed CSV"):
        census(path)


def test_non_numeric_count(tmp_path):
    path = write(tmp_path, HEADER + ROWS[0] + "07202,福島県,会津若松市,約11万,u,d\n")
    with pytest.raises(
        DivideDataError, match=r"row 3, column 'population': not a number \(value '約11万'\)"
    ):
        census(path)


def test_negative_count(tmp_path):
    path = write(tmp_path, HEADER + ROWS[0] + "07202,福島県,会津若松市,-5,u,d\n")
    with pytest.raises(DivideDataError, match=r"row 3, column 'population': negative value"):
        census(path)


def _feature(coords, code="07201"):
    return {
        "type": "Feature",
        "properties": {"N03_001": "福島県", "N03_004": "福島市", "N03_007": code},
        "geometry": {"type": "Polygon", "coordinates": [coords]},
    }


def test_invalid_geometry(tmp_path):
    bowtie = [[140.0, 37.0], [140.1, 37.1], [140.1, 37.0], [140.0, 37.1], [140.0, 37.0]]
    square = [[140.2, 37.0], [140.3, 37.0], [140.3, 37.1], [140.2, 37.1], [140.2, 37.0]]
    doc = {"type": "FeatureCollection", "features": [_feature(square, "07202"), _feature(bowtie)]}
    path = write(tmp_path, json.dumps(doc), "n03.geojson")
    with pytest.raises(
        DivideDataError, match=r"n03.geojson, row 2, column 'geometry': invalid polygon: Self-inter"
    ):
        load_boundaries(path=path, repair=False)
    repaired = load_boundaries(path=path)  # default: repaired, and said so
    assert repaired.data.geometry.is_valid.all() and any(
        n.code == "boundaries.repaired" for n in repaired.notes
    )


def test_boundaries_in_metres_without_crs(tmp_path):
    metres = [[0.0, 0.0], [1000.0, 0.0], [1000.0, 1000.0], [0.0, 1000.0], [0.0, 0.0]]
    doc = {"type": "FeatureCollection", "features": [_feature(metres)]}
    with pytest.raises(DivideDataError, match="missing or wrong CRS"):
        load_boundaries(path=write(tmp_path, json.dumps(doc), "n03.geojson"))


def test_point_layer_without_crs(tmp_path):
    layer = gpd.GeoDataFrame(
        {"name": ["窓口"]}, geometry=[Point(50000.0, 200000.0)]
    )  # metres, no CRS
    path = tmp_path / "counters.gpkg"
    layer.to_file(path)
    with pytest.raises(DivideDataError, match=r"counters\.gpkg: the layer declares no CRS"):
        load_points(path)


def test_lat_lon_swapped(tmp_path):
    path = write(tmp_path, "name,lat,lon\n支所A,37.76,140.47\n支所B,140.35,37.40\n", "counters.csv")
    with pytest.raises(
        DivideDataError, match=r"row 3, column 'lon/lat': latitude and longitude are swapped"
    ):
        load_points(path)


def test_point_csv_reads(tmp_path):
    path = write(tmp_path, "name,code,lat,lon\n支所A,072010,37.76,140.47\n", "counters.csv")
    points = load_points(path, kind="branch_office")
    assert (
        points.crs == "EPSG:6668"
        and points["code"].iloc[0] == "07201"
        and points["kind"].iloc[0] == "branch_office"
    )
