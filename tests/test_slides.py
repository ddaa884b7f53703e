"""The packs of 07 (ja), 01 (ja) and 13 (en): every text fits its box, each pack speaks one
language, and
each credits the sources of its own prefecture."""

from __future__ import annotations

import re

import pandas as pd
import pyogrio
import pytest
from pptx import Presentation

from divide.frame.columns import COLUMNS
from divide.report.pack import write_pack
from divide.report.textfit import EMU_PER_INCH, LINE, height_needed
from divide.report.words import DECK, SHEETS, TABLE_COLUMNS, TERMS, VALUES

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
PACKS = [("01", "ja"), ("13", "en")]
FUKUSHIMA_ONLY = ("residence", "evacuation_events")  # NHK福島・福島民友の居住率, 避難指示の解除


@pytest.fixture(scope="module")
def packs(fukushima_pack, fukushima_analysis, analysed, tmp_path_factory):
    out = {("07", "ja"): fukushima_pack}
    fukushima_pack.analysis = fukushima_analysis
    for pref, lang in PACKS:
        analysis = analysed(pref)
        out[(pref, lang)] = write_pack(
            analysis, tmp_path_factory.mktemp(f"{pref}{lang}"), lang=lang, cards=False
        )
        out[(pref, lang)].analysis = analysis
    return out


ALL = [("07", "ja"), *PACKS]


def _inches(value: int) -> float:
    return value / EMU_PER_INCH


@pytest.mark.parametrize(("pref", "lang"), ALL)
def test_every_text_fits_its_box_and_every_box_the_slide(packs, pref, lang):
    directory = packs[(pref, lang)].directory
    for name in ("briefing.pptx", "profiles.pptx"):
        if not (directory / name).exists():
            continue
        deck = Presentation(directory / name)
        width, height = _inches(deck.slide_width), _inches(deck.slide_height)
        assert round(width / height, 2) == round(16 / 9, 2)
        for number, slide in enumerate(deck.slides, start=1):
            for shape in slide.shapes:
                left, top = _inches(shape.left), _inches(shape.top)
                right, bottom = left + _inches(shape.width), top + _inches(shape.height)
                assert (
                    left >= 0 and top >= 0 and right <= width + 0.01 and bottom <= height + 0.01
                ), (name, number)
                if shape.has_text_frame:
                    paragraphs = [
                        (p.text, p.runs[0].font.size.pt)
                        for p in shape.text_frame.paragraphs
                        if p.runs
                    ]
                    needed = height_needed(paragraphs, _inches(shape.width))
                    assert needed <= _inches(shape.height) + 0.01, (
                        name,
                        number,
                        shape.text_frame.text[:60],
                    )
                    # nothing was cut to fit: a subtitle that ends in "…" loses its point
                    cut = [text for text, _ in paragraphs if text.endswith("…")]
                    assert not cut, (name, number, cut)
                    # the pitch the text was fitted with is the pitch it is drawn with
                    for paragraph in shape.text_frame.paragraphs:
                        if paragraph.runs and paragraph.line_spacing is not None:
                            size = paragraph.runs[0].font.size.pt
                            assert paragraph.line_spacing.pt == pytest.approx(size * LINE, abs=0.1)
                if shape.has_table:
                    rows = sum(_inches(row.height) for row in shape.table.rows)
                    assert top + rows <= height - 0.5, (name, number)
                    for column, col in zip(
                        shape.table.columns, range(len(shape.table.columns)), strict=True
                    ):
                        for row in range(len(shape.table.rows)):
                            cell = shape.table.cell(row, col)
                            if not cell.text:
                                continue
                            size = cell.text_frame.paragraphs[0].runs[0].font.size.pt
                            lines = height_needed([(cell.text, size)], _inches(column.width))
                            assert lines <= _inches(shape.table.rows[row].height) + 0.05, (
                                name,
                                number,
                                cell.text,
                            )


def _other_words(lang: str) -> set[str]:
    """Headers, values and deck words of the other language (and raw column ids), as whole cells or
    lines.
    """
    other = 1 if lang == "ja" else 0
    words = {entry[other] for entry in TABLE_COLUMNS.values()} | {
        entry[other] for entry in SHEETS.values()
    }
    words |= {(c.en if lang == "ja" else c.ja) for c in COLUMNS.values()}
    words |= {pair[other] for table in VALUES.values() for pair in table.values()}
    words |= set(DECK["en" if lang == "ja" else "ja"].values()) | set(
        TERMS["en" if lang == "ja" else "ja"].values()
    )
    words |= {c for c in TABLE_COLUMNS if "_" in c} | {
        "offline_count_2020",
        "reason_ja",
        "support_form",
    }
    mine = {entry[1 - other] for entry in TABLE_COLUMNS.values()} | {
        pair[1 - other] for t in VALUES.values() for pair in t.values()
    }
    return {w for w in words - mine if len(w) > 2 and "{" not in w}


def _slide_texts(directory) -> list[str]:
    """Every paragraph of the briefing deck and every README line."""
    out = []
    if (directory / "briefing.pptx").exists():
        for slide in Presentation(directory / "briefing.pptx").slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    out += [p.text for p in shape.text_frame.paragraphs]
    return out + (directory / "README.md").read_text(encoding="utf-8").splitlines()


def _texts(directory) -> list[str]:
    """Every header, sheet name, categorical cell, CSV header, slide text and README line of a pack."""
    out = []
    book = pd.read_excel(directory / "tables.xlsx", sheet_name=None, dtype=str)
    for sheet, table in book.items():
        out += [sheet, *map(str, table.columns)]
        for column in table.columns:
            values = table[column].dropna()
            if len(values) and not values.str.match(r"^[\d.,<X%\-–]+$").all():
                out += [v for v in values.unique()[:200] if len(v) < 80]
    out += list(
        pd.read_csv(directory / "municipalities.csv", encoding="utf-8-sig", nrows=0).columns
    )
    return out + _slide_texts(directory)


@pytest.mark.parametrize(("pref", "lang"), ALL)
def test_a_pack_speaks_one_language(packs, pref, lang):
    report = packs[(pref, lang)]
    texts = _texts(report.directory)
    foreign = _other_words(lang)
    found = sorted({t for t in texts if t.strip() in foreign})
    assert not found, found[:10]
    book = pd.read_excel(report.directory / "tables.xlsx", sheet_name=None, nrows=0)
    headers = [str(h) for table in book.values() for h in table.columns] + list(book)
    if lang == "ja":
        assert all(CJK.search(h) for h in headers), [h for h in headers if not CJK.search(h)][:10]
    else:
        assert not [h for h in headers if CJK.search(h)], [h for h in headers if CJK.search(h)][:10]
        slides = [
            t for t in _slide_texts(report.directory) if CJK.search(t)
        ]  # facility names in cells are data
        place_names = set(report.analysis.frame.municipalities["name_ja"])
        stray = [t for t in slides if not any(n in t for n in place_names)]
        assert not stray, stray[:10]


def _credit_texts(directory) -> str:
    parts = [
        (directory / "README.md").read_text(encoding="utf-8"),
        (directory / "municipalities.credits.txt").read_text(encoding="utf-8-sig"),
        pyogrio.read_info(directory / "divide.gpkg", layer="municipalities")["dataset_metadata"][
            "CREDITS"
        ],
    ]
    if (directory / "briefing.pptx").exists():
        parts += [
            shape.text_frame.text
            for slide in Presentation(directory / "briefing.pptx").slides
            for shape in slide.shapes
            if shape.has_text_frame
        ]
    return "\n".join(parts)


@pytest.mark.parametrize(("pref", "lang"), ALL)
def test_credits_are_those_of_the_prefecture(packs, pref, lang):
    from divide.provenance import dataset

    text = _credit_texts(packs[(pref, lang)].directory)
    for key in FUKUSHIMA_ONLY:
        entry = dataset(key)
        credit = entry.credit if lang == "ja" else entry.credit_en
        assert (credit in text) == (pref == "07"), (key, pref)
    boundaries = dataset("boundaries")
    assert (boundaries.credit if lang == "ja" else boundaries.credit_en) in text


def test_prefecture_average_is_named_for_the_prefecture():
    from divide.report.cards import prefecture_average

    assert prefecture_average("01", "Hokkaido", "ja") == "道平均"
    assert prefecture_average("13", "Tokyo", "ja") == "都平均"
    assert prefecture_average("26", "Kyoto", "ja") == "府平均"
    assert prefecture_average("07", "Fukushima", "ja") == "県平均"
    assert prefecture_average("01", "Hokkaido", "en") == "Hokkaido average"


def test_xlsx_numbers_are_formatted_and_codes_are_text(fukushima_pack):
    from openpyxl import load_workbook

    sheet = load_workbook(fukushima_pack.directory / "tables.xlsx")["市町村"]
    cells = {cell.value: sheet.cell(row=2, column=cell.column) for cell in sheet[1]}
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    code = cells["団体コード（5桁、インデックス）"]
    assert code.data_type == "s" and code.value == "07201" and code.number_format == "@"
    assert (
        cells["人口（2020年国勢調査）"].value == 282693
        and cells["人口（2020年国勢調査）"].number_format == "#,##0"
    )
    assert cells["オフライン住民数（推計）"].number_format == "#,##0"
    assert cells["オフライン率（推計）"].number_format == "0.0%"
    assert cells["窓口までの平均距離"].number_format == "0.0"
    assert cells["市区町村名"].value == "福島市"
    assert None not in cells and not any(
        str(h).startswith("Unnamed") for h in cells
    )  # no blank index columns


@pytest.mark.parametrize(("pref", "lang"), ALL)
def test_the_sources_slide_and_the_readme_give_each_credit_its_licence_and_date(packs, pref, lang):
    from divide.provenance import credit_terms

    report = packs[(pref, lang)]
    slide = Presentation(report.directory / "briefing.pptx").slides[-1]
    lines = [
        p.text
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if re.match(r"\d+\. ", p.text)
    ]
    terms = credit_terms(report.analysis.datasets.values(), lang)
    assert len(lines) == len(report.analysis.credits(lang=lang)) == len(terms)
    for number, line in enumerate(lines, start=1):
        assert line.startswith(f"{number}. ")
        assert ("時点" if lang == "ja" else "; as of ") in line and any(
            t in line for t in terms.values()
        )
    readme = (
        (report.directory / "README.md").read_text(encoding="utf-8").split("\n## ")[-1].splitlines()
    )
    cited = [line for line in readme if line.startswith("- ")]
    assert len(cited) == len(terms) and all(
        any(t in line for t in terms.values()) for line in cited
    )
