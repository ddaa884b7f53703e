import pandas as pd
import pytest

from divide.codes import (
    DESIGNATED_CITIES,
    PREFECTURES,
    check_digit,
    english_name,
    is_ward,
    kana_to_romaji,
    normalize_code,
    normalize_name,
    normalize_pref,
    to_lg6,
    ward_to_city,
)
from divide.errors import DivideDataError


def test_check_digit_examples_from_the_design():
    assert to_lg6("07201") == "072010"
    assert to_lg6("07564") == "075647"


def test_check_digit_agrees_with_every_code_of_the_office_list(mirror):
    offices = pd.read_csv(
        mirror / "facilities/localgovjp_municipal_offices_japan.csv",
        dtype=str,
        encoding="utf-8-sig",
    )
    assert len(offices) == 1916
    for lgcode in offices["lgcode"]:
        assert check_digit(lgcode[:5]) == lgcode[5], lgcode


@pytest.mark.parametrize(
    ("value", "form", "expected"),
    [
        ("07201", "code5", "07201"),
        ("072010", "lg6", "07201"),
        ("72010", "lg6_nozero", "07201"),
        ("11002", "lg6_nozero", "01100"),  # 札幌市: ambiguous without the declared form
        ("7201", "cid4", "07201"),
        ("13101", "cid4", "13101"),
        ("０７２０１", "code5", "07201"),  # full-width digits
        (72010.0, "lg6_nozero", "07201"),  # read as float by a spreadsheet
    ],
)
def test_normalize_code_forms(value, form, expected):
    assert normalize_code(value, form) == expected


@pytest.mark.parametrize(
    ("value", "form"),
    [
        ("072011", "lg6"),  # wrong check digit
        ("48201", "code5"),  # no prefecture 48
        ("7201", "code5"),  # too short
        ("福島市", "code5"),
    ],
)
def test_normalize_code_rejects(value, form):
    with pytest.raises(DivideDataError):
        normalize_code(value, form, file="x.csv", row=3, column="code")


def test_normalize_name_drops_gun_and_island_prefix_only_for_towns_and_villages():
    assert normalize_name("相馬郡飯舘村") == "飯舘村"
    assert normalize_name("三宅島三宅村") == "三宅村"
    assert normalize_name("郡山市") == "郡山市"
    assert normalize_name("大和郡山市") == "大和郡山市"
    assert normalize_name("伊達郡　桑折町") == "桑折町"
    assert normalize_name("ｲﾜｷ") == "イワキ"


def test_prefecture_table():
    assert len(PREFECTURES) == 47
    assert PREFECTURES["07"].name_ja == "福島県" and PREFECTURES["07"].name_en == "Fukushima"
    assert normalize_pref(7) == normalize_pref("福島県") == normalize_pref("fukushima") == "07"
    assert normalize_pref(None) is None
    with pytest.raises(ValueError):
        normalize_pref("48")


def test_every_ward_of_the_register_maps_to_a_designated_city(mirror):
    juki = pd.read_csv(
        mirror / "census/juki_age5_by_municipality_2020-2022.csv",
        dtype=str,
        usecols=["jis_code5", "row_type", "muni_name_raw"],
    )
    wards = juki[juki["row_type"] == "designated_city_ward"].drop_duplicates("jis_code5")
    assert len(wards) == 175
    for code, raw in zip(wards["jis_code5"], wards["muni_name_raw"], strict=True):
        city = ward_to_city(code)
        assert city in DESIGNATED_CITIES, code
        assert raw.startswith(DESIGNATED_CITIES[city]), (code, raw)
    assert not is_ward("07201") and not is_ward("13101") and not is_ward("14201")
    assert ward_to_city("22138") == "22130"  # 浜松市 2024 wards


def test_romaji():
    assert kana_to_romaji("こおりやま") == "koriyama"
    assert kana_to_romaji("いわき") == "iwaki"
    assert kana_to_romaji("はっぽう") == "happo"
    assert kana_to_romaji("しゅうなん") == "shunan"
    assert english_name("飯舘村", "いいたてむら") == "Iitate Village"
    assert english_name("会津若松市", "あいづわかまつし") == "Aizuwakamatsu City"
    assert english_name("川俣町", "かわまたまち") == "Kawamata Town"
    assert english_name("中央区", "さっぽろし ちゅうおうく") == "Chuo City"
    assert english_name("福島市", None) is None
