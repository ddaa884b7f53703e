"""A pack a council reads without asking: names on the forms map, islands drawn to be read, no
count recoverable, one number with one interval everywhere, one language, cards within their frame.
"""

from __future__ import annotations

import itertools
import re
import tempfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from divide.report.briefing import PARTS, acting, briefing_figures
from divide.report.cards import CARD_HEIGHT, profile_card, text_frame
from divide.report.mapview import PAGE, SLIDE, map_view
from divide.report.numbers import headline
from divide.report.pack import write_pack
from divide.report.pack_tables import held
from divide.report.profiles import card_facts
from divide.report.textfit import em_width
from divide.report.words import CARD_INDICATORS

K_TOKYO = 40  # Tokyo's three smallest islands hold fewer offline residents than this


def _figure(analysis, name: str, lang: str, canvas=SLIDE, k: int = 10):
    item = next(f for f in briefing_figures(analysis, lang=lang, k=k) if f.name == name)
    return item.on(canvas)


@pytest.mark.parametrize(
    ("pref", "lang"), [("07", "ja"), ("07", "en"), ("13", "en"), ("47", "ja"), ("01", "ja")]
)
def test_the_forms_map_names_every_acting_municipality_and_the_top_ten(analysed, pref, lang):
    analysis = analysed(pref)
    figure = _figure(analysis, "forms", lang)
    meta = figure.layout.meta["divide"]
    wanted = set(acting(analysis))
    top = analysis.plan.table["headcount"].nlargest(10).index
    assert set(top) <= wanted
    assert wanted <= set(meta["named"]), sorted(wanted - set(meta["named"]))
    if not meta["key"]:
        return
    # names that did not fit are numbered; the key beside the map, or on its own slide, says which
    from divide.report.council import key_slide
    from divide.report.maps import names
    from divide.report.slides import Deck

    place = names(analysis.frame.municipalities, lang)
    if meta["key_overflow"]:
        deck = Deck(lang, [])
        item = next(f for f in briefing_figures(analysis, lang=lang) if f.name == "forms")
        key_slide(deck, item, analysis, lang)
        key = " ".join(
            shape.text_frame.text
            for slide in deck.presentation.slides
            for shape in slide.shapes
            if shape.has_text_frame
        )
    else:
        key = next(a.text for a in figure.layout.annotations if a.text and "<b>1</b>" in a.text)
    assert all(place[code] in key for code in meta["key"])


def _legend(figure) -> list[str]:
    shown = [t for t in figure.data if t.showlegend and t.fill == "toself"]
    return [t.name for t in sorted(shown, key=lambda t: t.legendrank)]


def test_the_three_maps_of_the_gap_share_one_scale_and_one_legend(analysed):
    """Slides that say "the three maps share one scale" show the same classes, empty ones too."""
    analysis = analysed("07")
    legends = [_legend(_figure(analysis, part, "ja")) for part in PARTS]
    assert legends[0] == legends[1] == legends[2], legends
    titles = {_figure(analysis, part, "ja").layout.legend.title.text for part in PARTS}
    assert len(titles) == 1, titles  # the same classing note ("4区分" …) over the same classes


@pytest.mark.parametrize("canvas", [SLIDE, PAGE], ids=["slide", "page"])
def test_the_sakishima_islands_are_drawn_to_be_read(analysed, canvas):
    frame = analysed("47").frame.municipalities
    view = map_view(frame, canvas, credit_lines=3, legend=["x"] * 8)
    drawn = {}
    for panel in view.views:
        scale_x = panel.box[2] / (panel.x_range[1] - panel.x_range[0])
        scale_y = panel.box[3] / (panel.y_range[1] - panel.y_range[0])
        for code in panel.codes:
            drawn[code] = view.geometry[code].area * scale_x * scale_y
    names = frame["name_ja"]
    code = {name: names.index[names == name][0] for name in ("那覇市", "宮古島市", "石垣市")}
    for island in ("宮古島市", "石垣市"):
        assert drawn[code[island]] >= 0.25 * drawn[code["那覇市"]], (island, drawn[code[island]])
    populated = frame.index[frame["population"] >= 1000]
    assert min(drawn[c] for c in populated) >= 30  # px²: a small island still shows as a shape


def test_insets_carry_their_titles(analysed):
    for pref, titles in (("47", {"宮古・八重山", "大東諸島"}), ("13", {"伊豆諸島", "小笠原諸島"})):
        figure = _figure(analysed(pref), "offline_share", "ja")
        shown = {re.sub("<.*?>", "", t) for t in figure.layout.meta["divide"]["insets"]}
        assert titles <= shown, shown


@pytest.fixture(scope="module")
def tokyo_pack(analysed):
    analysis = analysed("13")
    return analysis, write_pack(analysis, tempfile.mkdtemp(), lang="en", static=False, k=K_TOKYO)


def _numbers(values) -> list[float]:
    out = []
    for value in values:
        try:
            number = float(str(value).replace(",", "").rstrip("%"))
        except ValueError:
            continue
        if np.isfinite(number):
            out.append(number)
    return out


def test_no_withheld_count_of_tokyo_can_be_recomputed_from_any_export(tokyo_pack):
    analysis, report = tokyo_pack
    hold = held(analysis, K_TOKYO)
    assert len(hold) >= 2  # 青ヶ島村, 御蔵島村 …
    secrets = {}
    projection = analysis.projection.table
    bands = analysis.estimate.by_age
    for code in hold:
        values = [
            *projection.loc[projection["code"] == code, "offline_count"],
            analysis.estimate.municipalities.loc[code, "offline_count"],
            *bands.loc[bands["code"] == code, "offline_count"],
        ]
        secrets[code] = [v for v in values if v < K_TOKYO]
    sheets = pd.read_excel(report.directory / "tables.xlsx", sheet_name=None, dtype=str)
    csv = pd.read_csv(report.directory / "municipalities.csv", encoding="utf-8-sig", dtype=str)
    gpkg = gpd.read_file(report.directory / "divide.gpkg", layer="municipalities")
    tables = [*sheets.values(), csv, pd.DataFrame(gpkg.drop(columns="geometry"))]
    for table in tables:
        columns = [c for c in table.columns if "code" in str(c).lower() or "コード" in str(c)]
        if not columns:
            continue
        codes = table[columns[0]].astype(str).str.zfill(5)
        for code, small in secrets.items():
            rows = table[codes == code]
            for _, row in rows.iterrows():
                published = [c for c in row.index if re.search(r"[Cc]ensus|国勢調査", str(c))]
                estimated = [n for n in _numbers(row.drop(published).to_numpy()) if n != int(code)]
                numbers = estimated + _numbers(row[published].to_numpy())
                counts = [n for n in numbers if n >= 1 and abs(n - round(n)) < 1e-6]
                shares = [n for n in numbers if 0 < n < 1]
                derived = estimated + [c * f for c, f in itertools.product(counts, shares)]
                derived += [a - b for a, b in itertools.product(counts, counts)]
                for secret in small:
                    assert not any(abs(d - secret) < 1e-3 for d in derived), (code, secret, row)
    from divide.report.words import NO_DATA

    share_map = _figure(analysis, "offline_share", "en", canvas=SLIDE, k=K_TOKYO)
    drawn = [t for t in share_map.data if t.meta and t.meta.get("code") in hold]
    assert len(drawn) == len(hold)
    for trace in drawn:  # no class colour: a class and the published residents pin the count
        assert ": X" in trace.text and trace.name == NO_DATA["en"]


def test_one_2025_interval_in_the_deck_the_workbook_and_the_readme(fukushima_pack):
    from pptx import Presentation

    report = fukushima_pack
    text = " ".join(
        shape.text_frame.text
        for slide in Presentation(report.directory / "briefing.pptx").slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    sheet = pd.read_excel(report.directory / "tables.xlsx", sheet_name="要旨の数値", dtype=str)
    row = sheet[sheet.iloc[:, 0].str.startswith("オフライン住民（2025年）")].iloc[0]
    interval = row["90%区間"]
    assert re.fullmatch(r"\d+\.\d万〜\d+\.\d万人", interval), interval
    readme = (report.directory / "README.md").read_text(encoding="utf-8")
    assert interval in text and interval in readme


def test_the_assumptions_sheet_shows_every_value_in_effect(fukushima_pack):
    """A threshold left at its default is still a number that decided the forms: never a blank."""
    sheet = pd.read_excel(fukushima_pack.directory / "tables.xlsx", sheet_name="仮定", dtype=str)
    values = sheet.set_index(sheet.columns[0])[sheet.columns[1]]
    assert values.notna().all(), values[values.isna()]
    assert values["窓口までの距離の基準（km）"] == "5"
    assert values["人数の基準（窓口1か所あたり）"] == "10,000"


def test_the_headline_is_one_table(analysed):
    analysis = analysed("07")
    figures = headline(analysis)
    base = figures["offline_2025"]
    m = analysis.estimate.municipalities
    assert base.value == pytest.approx(m["offline_count"].sum())
    drawn = analysis.estimate.draws["offline_share"] @ m["residents_15plus"].to_numpy()
    assert [base.low, base.high] == pytest.approx(list(np.quantile(drawn, [0.05, 0.95])))
    assert figures["offline_2020"].back_cast and not base.back_cast
    assert figures["offline_75plus"].value < base.value


SNAKE = re.compile(r"\b[a-z]+(_[a-z0-9]+)+\b")
ENGLISH = re.compile(r"\b(the|and|of|with|not|municipalities|offline)\b", re.IGNORECASE)


def test_a_japanese_pack_workbook_has_no_code_words_or_english_sentences(fukushima_pack):
    sheets = pd.read_excel(fukushima_pack.directory / "tables.xlsx", sheet_name=None, dtype=str)
    found = []
    for name, table in sheets.items():
        cells = [str(c) for c in table.columns] + [
            str(v) for column in table.columns for v in table[column].dropna()
        ]
        for cell in cells:
            if "http" in cell or "Source" in cell or cell.startswith(("出典", "「")):
                continue  # credit lines keep their publishers' own words
            if re.search(r"\.(csv|xlsx|geojson|topojson)$", cell):
                continue  # a file's name is its name
            if SNAKE.search(cell) or len(ENGLISH.findall(cell)) >= 2:
                found.append((name, cell[:80]))
    assert found == []


@pytest.mark.parametrize("pref", ["07", "01", "13", "47"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_card_text_runs_out_of_its_frame(analysed, pref, lang):
    analysis = analysed(pref)
    facts = card_facts(analysis)
    frame = analysis.frame.municipalities
    width, lines = text_frame()
    for code in frame.index:
        card = profile_card(code, frame, facts, CARD_INDICATORS[lang], lang=lang)
        text = card.layout.meta["divide"]["text_lines"]
        assert len(text) <= lines, (code, len(text), lines)
        assert max(em_width(line) for line in text) <= width, (code, text)
        title = card.layout.title.text
        assert em_width(re.sub("<.*?>", "", title)) * 30 <= 1400 * 0.9
    assert CARD_HEIGHT == 788


def test_the_deck_names_the_services_and_the_75_plus(fukushima_pack):
    from pptx import Presentation

    slides = Presentation(fukushima_pack.directory / "briefing.pptx").slides
    texts = [
        " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        + " ".join(
            cell.text
            for s in slide.shapes
            if s.has_table
            for row in s.table.rows
            for cell in row.cells
        )
        for slide in slides
    ]
    assert "うち75歳以上" in texts[1]
    services = next(t for t in texts if "窓口での支援をまず添える" in t)
    assert "介護" in services and "子育て" in services and "★" in services
