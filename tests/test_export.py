"""The briefing pack: every exported file is opened and checked; the HTML map in a real headless
browser.
"""

import json
import shutil
import tempfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from divide.report.disclosure import suppress
from divide.report.html import figure_payload, topology
from divide.report.maps import MapText, choropleth
from divide.report.pack import write_pack
from divide.report.words import VALUES


@pytest.fixture(scope="module")
def analysis(fukushima_analysis):
    return fukushima_analysis


@pytest.fixture(scope="module")
def pack(fukushima_pack):
    return fukushima_pack


def test_pack_lists_what_it_wrote(pack):
    names = {p.name for p in pack.written}
    for expected in (
        "briefing.pptx",
        "profiles.pptx",
        "tables.xlsx",
        "municipalities.csv",
        "divide.gpkg",
        "municipalities.credits.txt",
        "offline_share.html",
        "offline_share.png",
        "offline_share.pdf",
    ):
        assert expected in names
    assert not pack.skipped
    assert any("wrote briefing.pptx" in line for line in pack.lines())


def test_png_has_size_and_ink(pack):
    for path in pack.directory.glob("maps/*.png"):
        with Image.open(path) as image:
            assert image.width >= 2000 and image.height >= 1300, path
            pixels = np.asarray(image.convert("L"))
        charts = {"gain", "published"}  # a few marks on a plain ground, not a map
        assert (pixels < 200).mean() > (0.01 if path.stem in charts else 0.02), (
            f"{path} is nearly blank"
        )
    cards = sorted(pack.directory.glob("cards/*.png"))
    assert len(cards) == 59 and cards[0].name == "07201_福島市.png"


def test_pdf_is_an_a4_landscape_page_with_title_and_credits(pack, analysis):
    import re

    pdf = (pack.directory / "maps" / "offline_share.pdf").read_bytes()
    box = [float(v) for v in re.search(rb"/MediaBox \[([^\]]*)\]", pdf).group(1).split()]
    assert pdf[:5] == b"%PDF-" and (round(box[2]), round(box[3])) == (
        842,
        596,
    )  # A4 landscape in points
    from divide.report.briefing import briefing_figures
    from divide.report.mapview import PAGE

    figure = briefing_figures(analysis)[0].on(PAGE)  # the figure the page was drawn from
    assert "インターネットを利用していない住民の割合" in figure.layout.title.text
    assert "国土数値情報" in figure.layout.annotations[0].text


def test_pptx_slides_and_titles(pack, analysis):
    deck = Presentation(pack.directory / "briefing.pptx")
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in deck.slides]
    titles = [t[0] for t in texts]
    figures = {p.stem for p in pack.directory.glob("maps/*.png")}
    assert titles[:2] == ["オフライン支援が必要な地域と人", "要旨"]
    assert "インターネットを利用していない住民の割合（15歳以上、推計）" in titles
    assert "推計の方法と限界" in titles and titles[-1] == "出典"
    figure_slides = [t for t in texts if any(line.startswith("出典：") for line in t)]
    assert len(figure_slides) >= len(figures)  # every figure slide names its sources by number
    sources = " ".join(line for t in texts if t[0] == "出典" for line in t)
    assert "国土数値情報" in sources and "e-Stat" in sources
    profiles = Presentation(pack.directory / "profiles.pptx")
    slides = list(profiles.slides)
    cards = [slide for slide in slides[1:] if not any(s.has_text_frame for s in slide.shapes)]
    assert len(cards) == 59  # each card is a whole slide (its text at 12 pt and more)
    assert cards[0].notes_slide.notes_text_frame.text == "福島市"
    last = [s.text_frame.text for s in slides[-1].shapes if s.has_text_frame]
    assert last[0] == "出典"
    width = profiles.slide_width
    picture = next(s for s in cards[0].shapes if s.shape_type == 13)
    assert picture.width == pytest.approx(width, rel=0.001)  # the whole slide, to the EMU rounding


def test_xlsx_gpkg_csv_read_back(pack, analysis):
    sheets = pd.read_excel(pack.directory / "tables.xlsx", sheet_name=None)
    assert {"市町村", "支援の形", "見通し", "注記と出典"} <= set(sheets)
    assert len(sheets["市町村"]) == 59 and "市区町村名" in sheets["市町村"].columns
    assert len(sheets["支援の形"]) == 59 and len(sheets["見通し"]) == 59 * 4 * 3  # three scenarios
    notes = sheets["注記と出典"]
    assert notes["内容"].str.contains("国土数値情報").any() and notes["項目"].eq("出典").any()
    # the index audit: one line per pillar and the index (alpha, first component), one per part,
    # each treatment
    audit = notes.loc[notes["項目"] == "指数の監査（JRC）", "内容"]
    assert len(audit) == len(analysis.index.consistency) + len(analysis.index.audit)
    assert audit.str.contains("クロンバックのα").sum() == len(analysis.index.consistency)
    treated = notes.loc[notes["項目"] == "外れ値の処理", "内容"]
    assert len(treated) == int((analysis.index.treatment["method"] != "none").sum()) >= 1
    layers = gpd.list_layers(pack.directory / "divide.gpkg")
    assert set(layers["name"]) == {"municipalities", "main_offices", "proposed_sites"}
    municipalities = gpd.read_file(pack.directory / "divide.gpkg", layer="municipalities")
    assert len(municipalities) == 59 and municipalities.crs.to_epsg() == 6668
    import pyogrio

    metadata = pyogrio.read_info(pack.directory / "divide.gpkg", layer="municipalities")[
        "dataset_metadata"
    ]
    assert "国土数値情報" in metadata["CREDITS"]
    raw = (pack.directory / "municipalities.csv").read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    table = pd.read_csv(pack.directory / "municipalities.csv", encoding="utf-8-sig", dtype=str)
    assert len(table) == 59 and table.iloc[0, 0] == "07201"
    population = table["人口（2020年国勢調査）"]
    assert (
        population.str.fullmatch(r"\d+").all() and population.iloc[0] == "282693"
    )  # whole numbers, no .0


def test_small_counts_are_suppressed_and_reported(pack, analysis):
    projection = analysis.projection.table.set_index(["code", "scenario", "year"])
    small = projection["offline_count"] < 10
    assert small.any()  # 双葉町 had no residents in 2020
    sheet = pd.read_excel(pack.directory / "tables.xlsx", sheet_name="見通し", dtype=str)
    sheet = sheet.set_index(list(sheet.columns[:3]))
    count_column = "オフライン住民数（推計）"
    scenario_ja = {key: ja for key, (ja, _) in VALUES["scenario"].items()}
    for code, scenario, year in projection.index[small]:
        assert sheet.loc[(code, scenario_ja[scenario], str(year)), count_column] == "<10"
    reported = pack.suppressed[pack.suppressed["table"] == "projection"]
    assert len(reported) >= int(small.sum()) and set(pack.suppressed.columns) == {
        "table",
        "row",
        "column",
    }
    big = projection.index[~small][0]
    assert sheet.loc[(big[0], scenario_ja[big[1]], str(big[2])), count_column] != "<10"


def test_pack_without_a_browser_still_writes_the_rest(analysis, tmp_path, monkeypatch):
    import divide.report.pack as pack_module

    monkeypatch.setattr(
        pack_module, "static_ready", lambda: (False, "no browser found (simulated)")
    )
    report = write_pack(analysis, tmp_path, cards=True)
    names = {p.name for p in report.written}
    assert {"tables.xlsx", "municipalities.csv", "divide.gpkg", "offline_share.html"} <= names
    assert not any(p.suffix in (".png", ".pptx") for p in report.written)
    assert report.skipped and "no browser found (simulated)" in report.skipped[0][1]
    assert any(line.startswith("  skipped PNG/PDF") for line in report.lines())


def test_suppression_keeps_published_counts():
    table = pd.DataFrame({"population": [3, 500], "offline_count": [3.2, 120.0]}, index=["a", "b"])
    out, report = suppress(table, "t", k=10)
    assert out.loc["a", "population"] == 3 and out.loc["a", "offline_count"] == "<10"
    assert report.to_dict("records") == [{"table": "t", "row": "a", "column": "offline_count"}]


def test_topology_shares_borders_and_decodes_to_the_same_polygons(analysis, tmp_path):
    figure = choropleth(analysis.frame.municipalities, "density", MapText("t", ["c"]))
    topo = topology(figure)
    path = tmp_path / "topology.json"
    path.write_text(json.dumps(topo), encoding="utf-8")
    decoded = gpd.read_file(path)  # GDAL's TopoJSON driver
    original = figure.layout.meta["divide"]["polygons"]
    assert len(decoded) == len(original)
    for shape, position in zip(decoded.geometry, original, strict=True):
        trace = figure.data[position]
        xs = [x for x in trace.x if x is not None]
        ys = [y for y in trace.y if y is not None]
        assert shape.bounds == pytest.approx((min(xs), min(ys), max(xs), max(ys)), abs=1e-3)
    payload, topo_json = figure_payload(figure)
    naive = json.dumps(
        [list(zip(figure.data[p].x, figure.data[p].y, strict=True)) for p in original]
    )
    assert len(topo_json) < 0.5 * len(naive)  # each border once, quantised
    assert '"x":[]' in payload


def test_html_map_renders_offline_in_headless_chromium(pack):
    from playwright.sync_api import sync_playwright

    path = pack.directory / "maps" / "offline_share.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or shutil.which("google-chrome"),
            args=["--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page()
        blocked, problems = [], []
        page.on(
            "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
        )
        page.on("pageerror", lambda e: problems.append(str(e)))

        def route(request_route):
            if request_route.request.url.startswith("file:"):
                request_route.continue_()
            else:
                blocked.append(request_route.request.url)
                request_route.abort()

        page.route("**/*", route)
        page.goto(path.as_uri())
        page.wait_for_selector("path.js-fill", timeout=20_000)
        fills = page.locator("path.js-fill").count()
        title = page.locator("text.gtitle").text_content()
        browser.close()
    assert fills >= 59
    assert title.startswith("インターネットを利用していない住民")
    assert blocked == [] and problems == []


TOKYO_K = (
    40  # Tokyo's three smallest islands (青ヶ島村, 御蔵島村, 利島村) hold fewer offline residents
)


@pytest.fixture(scope="module")
def tokyo(analysed):
    """Tokyo with a disclosure threshold of 40: its smallest islands' counts are suppressed."""
    analysis = analysed("13")
    pack = write_pack(analysis, tempfile.mkdtemp(), lang="en", static=False, k=TOKYO_K)
    return analysis, pack


def _numbers(row: pd.Series) -> list[float]:
    return [float(v) for v in pd.to_numeric(row, errors="coerce").dropna()]


def test_a_suppressed_count_cannot_be_recomputed_from_its_row(tokyo):
    from divide.report.disclosure import SHARES
    from divide.report.pack_tables import column_label

    analysis, report = tokyo
    count = analysis.estimate.municipalities["offline_count"]
    small = count.index[count < TOKYO_K]
    assert len(small) >= 1
    sheet = pd.read_excel(report.directory / "tables.xlsx", sheet_name="municipalities", dtype=str)
    sheet = sheet.set_index(sheet.columns[0])
    english = {column_label(c, "en")[0]: c for c in [*SHARES, "offline_count"]}
    shares = [h for h, c in english.items() if c in SHARES and h in sheet.columns]
    assert len(shares) >= 5
    for code in small:
        row = sheet.loc[code]
        assert row[next(h for h, c in english.items() if c == "offline_count")] == f"<{TOKYO_K}"
        assert (row[shares] == "X").all(), row[shares]
        values = _numbers(row)
        products = [a * b for a in values for b in values]
        assert not any(abs(p - count[code]) < 0.05 for p in values + products), (
            "the count is in the row"
        )
    layer = gpd.read_file(report.directory / "divide.gpkg", layer="municipalities").set_index(
        "code"
    )
    assert layer.loc[small, ["offline_count", "offline_share"]].isna().all().all()
    assert layer.drop(index=small)["offline_count"].notna().all()


def test_projected_small_counts_are_suppressed_in_the_municipal_table(tokyo):
    analysis, report = tokyo
    wide = analysis.projection.path().pivot(index="code", columns="year", values="offline_count")
    small = wide[2020] < TOKYO_K
    assert small.any() and not (wide[2035] < TOKYO_K).all()
    table = pd.read_csv(
        report.directory / "municipalities.csv", encoding="utf-8-sig", dtype=str, index_col=0
    )
    table.index = table.index.str.zfill(5)
    from divide.report.pack_tables import column_label

    column = column_label("offline_count_2020", "en")[0]
    assert (table.loc[small.index[small], column] == f"<{TOKYO_K}").all()
    assert (table.loc[small.index[~small], column] != f"<{TOKYO_K}").all()


def test_maps_and_cards_hide_what_the_tables_hide(tokyo):
    from divide.report.briefing import briefing_figures
    from divide.report.cards import profile_card
    from divide.report.profiles import CARD_INDICATORS, card_facts

    analysis, _ = tokyo
    code = analysis.estimate.municipalities["offline_count"].idxmin()
    share_map = briefing_figures(analysis, lang="en", k=TOKYO_K)[0].figure
    hover = [t.text for t in share_map.data if t.meta and t.meta.get("code") == code]
    assert hover and ": X" in str(hover[0]) and f"<{TOKYO_K}" in str(hover[0])
    card = profile_card(
        code,
        analysis.frame.municipalities,
        card_facts(analysis),
        CARD_INDICATORS["en"],
        lang="en",
        k=TOKYO_K,
    )
    text = " ".join(a.text for a in card.layout.annotations) + " ".join(
        str(t.text) for t in card.data
    )
    assert f"<{TOKYO_K}" in text and "X" in text
    shown = analysis.estimate.municipalities.loc[code, "offline_share"]
    assert f"{100 * shown:.1f}%" not in text


def test_a_browser_that_fails_leaves_the_rest_of_the_pack_and_says_why(
    analysis, tmp_path, monkeypatch
):
    import divide.report.pack as pack_module
    from divide.report.static import StaticExportError

    def failing(jobs, **_):
        jobs[0].path.parent.mkdir(parents=True, exist_ok=True)
        jobs[0].path.write_bytes(b"half")  # an image written before the browser died
        raise StaticExportError("static export failed (BrowserFailedError: simulated)")

    monkeypatch.setattr(pack_module, "static_ready", lambda: (True, "simulated browser"))
    monkeypatch.setattr(pack_module, "render", failing)
    report = write_pack(analysis, tmp_path, cards=True)
    assert (
        not list(report.directory.glob("maps/*.png"))
        and not (report.directory / "briefing.pptx").exists()
    )
    assert (report.directory / "tables.xlsx").exists() and (
        report.directory / "maps" / "forms.html"
    ).exists()
    assert "BrowserFailedError: simulated" in report.skipped[0][1]
    assert "BrowserFailedError" in (report.directory / "README.md").read_text(encoding="utf-8")
