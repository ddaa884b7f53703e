"""Municipal broadband coverage: MIC's xlsx layout and the plain CSV, on small fixtures (no real
file exists).
"""

import math

import pytest
from openpyxl import Workbook

from divide.errors import DivideDataError
from divide.frame.load import load_frame
from divide.sources.broadband import load_broadband_coverage


def mic_workbook(path, rows, *, fractions=False, with_code=False):
    """A sheet shaped like MIC's 「ＦＴＴＨ世帯カバー率（市区町村別）」: title, note, header, merged
    cells.
    """
    book = Workbook()
    sheet = book.active
    sheet.append(["令和５年度末ＦＴＴＨ世帯カバー率（市区町村別）"])
    sheet.append(["※住民基本台帳等に基づき、事業者情報等から一定の仮定の下に推計"])
    sheet.append([])
    header = ["都道府県名", "市区町村名", "世帯数", "ＦＴＴＨ世帯カバー率"]
    sheet.append((["団体コード"] if with_code else []) + header)
    first = sheet.max_row + 1
    for pref, name, households, value, code in rows:
        cell = value / 100 if fractions and isinstance(value, float) else value
        sheet.append(([code] if with_code else []) + [pref, name, households, cell])
    if len(rows) > 1 and not with_code:
        sheet.merge_cells(start_row=first, end_row=first + 1, start_column=1, end_column=1)
    book.save(path)
    return path


ROWS = [
    ("福島県", "福島市", 120000, 99.9, "072010"),
    (None, "伊達郡川俣町", 5000, 97.5, "073083"),
    ("福島県", "相馬郡飯舘村", 1600, 100.0, "075647"),
    ("福島県", "計", 740000, 99.7, None),
    ("福島県", "存在しない村", 10, 50.0, None),
]


def test_mic_xlsx_by_names(fukushima, tmp_path):
    path = mic_workbook(tmp_path / "ftth.xlsx", ROWS)
    reference = fukushima.municipalities.reset_index()[["code", "pref_code", "name_ja"]]
    table = load_broadband_coverage(path, reference=reference, as_of="2024-03-31")
    values = table.data.set_index("code")["broadband_coverage_pct"]
    assert values.to_dict() == {"07201": 99.9, "07308": 97.5, "07564": 100.0}
    unmatched = table.rejected
    assert unmatched["name"].tolist() == ["存在しない村"] and unmatched["_line"].tolist() == [9]
    assert table.dataset.credit.startswith("出典：総務省")


def test_mic_xlsx_with_codes_and_fractions(tmp_path):
    path = mic_workbook(
        tmp_path / "ftth.xlsx", [r for r in ROWS if r[4]], fractions=True, with_code=True
    )
    values = load_broadband_coverage(path).data.set_index("code")["broadband_coverage_pct"]
    assert values["07308"] == pytest.approx(97.5)


def test_mic_xlsx_without_codes_needs_a_reference(tmp_path):
    with pytest.raises(DivideDataError, match="no code column"):
        load_broadband_coverage(mic_workbook(tmp_path / "ftth.xlsx", ROWS))


def test_xlsx_without_the_expected_header(tmp_path):
    book = Workbook()
    book.active.append(["a", "b"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(DivideDataError, match="no header row"):
        load_broadband_coverage(tmp_path / "x.xlsx")


def test_plain_csv_joins_into_the_frame_and_is_credited(data, tmp_path):
    path = tmp_path / "ftth.csv"
    path.write_text(
        "code,value,as_of,source\n07201,99.9,2024-03-31,MIC\n075647,96.5,2024-03-31,MIC\n",
        encoding="utf-8",
    )
    frame = load_frame("07", data=data, broadband=path)
    table = frame.municipalities
    assert table.loc["07201", "broadband_coverage_pct"] == 99.9
    assert table.loc["07564", "broadband_coverage_pct"] == 96.5
    assert math.isnan(table.loc["07202", "broadband_coverage_pct"])
    assert "broadband_coverage" in frame.datasets
    assert any(
        n.code == "broadband.missing" and n.value("municipalities") == 57 for n in frame.notes
    )


def test_coverage_above_100_is_refused(tmp_path):
    path = tmp_path / "ftth.csv"
    path.write_text("code,value,as_of,source\n07201,199.9,2024-03-31,MIC\n", encoding="utf-8")
    with pytest.raises(DivideDataError, match=r"row 2, column 'value': coverage above 100"):
        load_broadband_coverage(path)
