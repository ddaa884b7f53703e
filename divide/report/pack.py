"""The council briefing pack: every map and table of a prefecture, in the formats an office uses.

``outputs/<pref>/``: ``maps/*.html`` (self-contained, offline), ``maps/*.png|svg|pdf`` (print),
``briefing.pptx`` (a slide per map with its legend and credit line, table slides), ``profiles.pptx`` and
``cards/*.png`` (one card per municipality), ``tables.xlsx`` (Japanese headers, notes sheet with sources),
``municipalities.csv`` (UTF-8 with BOM), ``divide.gpkg`` (for QGIS), ``README.md`` (what is here).
Static images need a browser; without one the rest is still written and the report says what was skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from divide.analysis import Analysis, analyse
from divide.codes import PREFECTURES, normalize_pref
from divide.frame.columns import label
from divide.labels import HEADERS, TERMS
from divide.progress import steps
from divide.report.atomic import check_writable, naming, pack_folder, pack_lock
from divide.report.briefing import BriefingFigure, briefing_figures, map_datasets
from divide.report.cards import profile_card
from divide.report.disclosure import count_text, suppress
from divide.report.html import write_html
from divide.report.maps import names
from divide.report.slides import MapSlide, card_deck, deck
from divide.report.static import ImageJob, render, static_status
from divide.report.tables import headers, write_csv, write_gpkg, write_xlsx
from divide.validation import Lang, Result, Threshold, checked


@dataclass
class PackReport:
    directory: Path
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    suppressed: pd.DataFrame = field(default_factory=pd.DataFrame)
    html_sizes: dict[str, dict] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"briefing pack in {self.directory}:"]
        out += [f"  wrote {p.relative_to(self.directory)} ({p.stat().st_size:,} bytes)" for p in self.written
                if p.parent == self.directory or p.parent.name == "maps"]
        cards = [p for p in self.written if p.parent.name == "cards"]
        if cards:
            out.append(f"  wrote cards/ ({len(cards)} profile cards)")
        out += [f"  skipped {what}: {why}" for what, why in self.skipped]
        out.append(f"  suppressed small counts (<k): {len(self.suppressed)} cells")
        return out

    def moved(self, target: Path) -> PackReport:
        """The same report with paths in ``target``, where the finished pack was swapped in."""
        written = [target / p.relative_to(self.directory) for p in self.written]
        return PackReport(target, written, self.skipped, self.suppressed, self.html_sizes)


def _header(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    index = 0 if lang == "ja" else 1
    renamed = table.rename(columns={c: HEADERS[c][index] for c in table.columns if c in HEADERS})
    return headers(renamed, lang)


def _tables(analysis: Analysis, lang: str, k: int) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    summary = analysis.summary_table()
    plan = analysis.plan.table.drop(columns=["need_level", "access_level"], errors="ignore")
    projection = analysis.projection.table.set_index(["code", "scenario", "year"])
    gain = analysis.sites.gain.set_index("k")
    chosen = analysis.sites.chosen
    sheets_raw = {
        "municipalities": summary, "support_plan": plan, "index": analysis.index.scores.join(analysis.uncertainty),
        "projection": projection, "sites_gain": gain, "sites_chosen": chosen,
        "validation": analysis.estimate.validation.set_index("model"),
        "join_report": analysis.frame.join_report,
    }
    sheets, reports = {}, []
    for name, table in sheets_raw.items():
        safe, report = suppress(table, name, k=k)
        sheets[name] = _header(safe, lang)
        reports.append(report)
    return sheets, pd.concat(reports, ignore_index=True)


def _notes(analysis: Analysis, lang: str, k: int, suppressed: pd.DataFrame) -> pd.DataFrame:
    rows = [("credits", line) for line in analysis.credits(lang=lang)]
    for key, entry in sorted(analysis.datasets.items()):
        rows.append((f"source: {key}", f"{entry.title} — {entry.publisher}, {entry.reference_date}, "
                                       f"{entry.licence}, {entry.official_url}"))
    rows += [("method", "docs/method.md: offline estimate, validation and limits"),
             ("disclosure", f"estimated counts below {k} are shown as <{k} ({len(suppressed)} cells)")]
    rows += [("note", note) for note in analysis.notes]
    rows += [("validation", f"{r.model}: MAE {r.mae_pp:.2f} pt, 90% coverage {r.coverage90:.0%}")
             for r in analysis.estimate.validation.itertuples()]
    return pd.DataFrame(rows, columns=["item", "text"])


def _gis_layers(analysis: Analysis, k: int) -> dict[str, gpd.GeoDataFrame]:
    table = analysis.frame.municipalities
    summary, _ = suppress(analysis.summary_table(), "gpkg", k=k, as_text=False)
    municipalities = gpd.GeoDataFrame(summary, geometry=table.geometry, crs=table.crs)
    offices = gpd.GeoDataFrame(table[["name_ja"]].reset_index(), crs=table.crs,
                               geometry=gpd.points_from_xy(table["office_lon"], table["office_lat"]))
    chosen, _ = suppress(analysis.sites.chosen, "sites", k=k, as_text=False)
    sites = gpd.GeoDataFrame(chosen, crs=table.crs, geometry=gpd.points_from_xy(chosen["lon"], chosen["lat"]))
    return {"municipalities": municipalities.reset_index(), "main_offices": offices, "proposed_sites": sites}


def _card_facts(analysis: Analysis) -> pd.DataFrame:
    m = analysis.estimate.municipalities
    facts = analysis.plan.table.join(m[["offline_share", "offline_share_lo", "offline_share_hi", "residents_15plus",
                                         "age_expected_share", "extrapolated"]])
    facts = facts.join(analysis.uncertainty[["rank_p05", "rank_p95"]])
    if "rank" not in facts:
        facts = facts.join(analysis.index.scores[["rank"]])
    geo = analysis.geography.municipalities
    return facts.join(geo[["access_mean_km", "card_holding_pct", "online_32_pct"]])


def card_datasets(analysis: Analysis) -> dict:
    """Datasets behind a profile card: boundaries, the estimate, the geography, the DX dashboard."""
    dx = {k: v for k, v in analysis.frame.datasets.items() if k == "dx_dashboard"}
    return {**analysis.geography.datasets, **analysis.estimate.datasets, **dx, **analysis.index.datasets}
CARD_INDICATORS = {
    "ja": {"offline_share": ("オフライン率", "share"), "age_expected_share": ("年齢から見込むオフライン率", "share"),
           "access_mean_km": ("窓口までの平均距離", "km"), "card_holding_pct": ("マイナンバーカード保有率", "%"),
           "online_32_pct": ("手続のオンライン化率", "%")},
    "en": {"offline_share": ("Offline share", "share"), "age_expected_share": ("Expected from age", "share"),
           "access_mean_km": ("Distance to counter", "km"), "card_holding_pct": ("My Number Card holding", "%"),
           "online_32_pct": ("Procedures online", "%")},
}


@dataclass
class _Pack:
    """What every part of a pack needs: the analysis, the folder, the language, the threshold k."""

    analysis: Analysis
    directory: Path
    lang: str
    k: int
    report: PackReport
    figures: list[BriefingFigure] = field(default_factory=list)

    @property
    def area(self) -> str:
        return self.analysis.frame.area_name[self.lang]


def _write_maps(pack: _Pack) -> None:
    pack.figures.extend(briefing_figures(pack.analysis, lang=pack.lang, k=pack.k))
    for item in pack.figures:
        path = pack.directory / "maps" / f"{item.name}.html"
        with naming(path):
            pack.report.html_sizes[item.name] = write_html(item.figure, path, title=item.title, lang=pack.lang)
        pack.report.written.append(path)


def _write_images(pack: _Pack, cards: bool) -> None:
    jobs = [ImageJob(item.figure, pack.directory / "maps" / f"{item.name}.{fmt}", fmt)
            for item in pack.figures for fmt in ("png", "svg", "pdf")]
    if cards:
        facts = _card_facts(pack.analysis)
        place = names(pack.analysis.frame.municipalities, pack.lang)
        credits = pack.analysis.credits(card_datasets(pack.analysis), pack.lang)
        for code in pack.analysis.frame.municipalities.index:
            card = profile_card(code, pack.analysis.frame.municipalities, facts, CARD_INDICATORS[pack.lang],
                                lang=pack.lang, credits=credits, k=pack.k)
            jobs.append(ImageJob(card, pack.directory / "cards" / f"{code}_{place[code]}.png", "png", scale=1.5))
    with naming(pack.directory / "maps"):
        pack.report.written.extend(render(jobs))


def _write_decks(pack: _Pack, cards: bool) -> None:
    analysis, lang, k = pack.analysis, pack.lang, pack.k
    t = TERMS[lang]
    plan = analysis.plan.table
    top = plan.sort_values("headcount", ascending=False).head(12)
    table = pd.DataFrame({
        label("name_ja", lang): names(analysis.frame.municipalities, lang).reindex(top.index),
        HEADERS["support_form_ja"][0 if lang == "ja" else 1]: top[f"support_form_{lang}"],
        HEADERS["headcount"][0 if lang == "ja" else 1]: [count_text(v, k) for v in top["headcount"]],
        "90%": ["X" if v < k else f"{lo:,.0f}–{hi:,.0f}"
                for v, lo, hi in zip(top["headcount"], top["headcount_lo"], top["headcount_hi"], strict=True)],
    })
    slides_maps = [MapSlide(item.title, pack.directory / "maps" / f"{item.name}.png", item.credits)
                   for item in pack.figures]
    subtitle = f"{pack.area} — divide, {date.today().isoformat()}"
    forms_credits = " / ".join(analysis.credits(map_datasets(analysis)["forms"], lang))
    with naming(pack.directory / "briefing.pptx") as path:
        pack.report.written.append(deck(path, title=t["deck_title"], subtitle=subtitle, maps=slides_maps,
                                        tables=[(t["top_table"], table, forms_credits)],
                                        credits=analysis.credits(lang=lang)))
    if cards:
        place = names(analysis.frame.municipalities, lang)
        card_files = [(place[c], pack.directory / "cards" / f"{c}_{place[c]}.png")
                      for c in analysis.frame.municipalities.index]
        with naming(pack.directory / "profiles.pptx") as path:
            pack.report.written.append(card_deck(path, f"{pack.area} — {t['profiles']}", card_files,
                                                 analysis.credits(card_datasets(analysis), lang)))


def _readme(pack: _Pack, credits: list[str]) -> str:
    return "\n".join([
        f"# divide briefing pack — {pack.area}", "",
        "Files: maps/*.html (open in any browser, works offline), maps/*.png|svg|pdf, briefing.pptx, "
        "profiles.pptx, cards/*.png, tables.xlsx, municipalities.csv (UTF-8 BOM), divide.gpkg (QGIS).", "",
        f"Estimated counts below {pack.k} are shown as <{pack.k}.", "", "## Credits", "",
        *[f"- {line}" for line in credits], ""])


def _write_tables(pack: _Pack) -> None:
    analysis, directory, lang = pack.analysis, pack.directory, pack.lang
    sheets, suppressed = _tables(analysis, lang, pack.k)
    pack.report.suppressed = suppressed
    notes = _notes(analysis, lang, pack.k, suppressed)
    credits = analysis.credits(lang=lang)
    writers = [
        ("tables.xlsx", lambda path: write_xlsx(sheets, notes, path)),
        ("municipalities.csv", lambda path: write_csv(sheets["municipalities"], path)),
        # a CSV cannot carry notes without breaking Excel: its credits go beside it
        ("municipalities.credits.txt", lambda path: _text(path, "\n".join(credits) + "\n", "utf-8-sig")),
        ("divide.gpkg", lambda path: write_gpkg(_gis_layers(analysis, pack.k), path, credits)),
        ("README.md", lambda path: _text(path, _readme(pack, credits), "utf-8")),
    ]
    for name, write in writers:
        with naming(directory / name) as path:
            pack.report.written.append(write(path))


def _text(path: Path, text: str, encoding: str) -> Path:
    path.write_text(text, encoding=encoding)
    return path


def pack_directory(out: str | Path, pref: str | int | None) -> Path:
    """The folder of ``pref``'s pack under ``out`` (``07_fukushima``; ``00_japan`` for all of Japan)."""
    code = normalize_pref(pref) or "00"
    return Path(out) / f"{code}_{PREFECTURES[code].name_en.lower() if code in PREFECTURES else 'japan'}"


@checked
def write_pack(analysis: Result[Analysis], out: str | Path, *, lang: Lang = "ja", k: Threshold = 10,
               static: bool = True, cards: bool = True, progress: bool | None = None) -> PackReport:
    """Write the briefing pack of an analysis into ``out`` (a folder per prefecture).

    Examples
    --------
    >>> import tempfile, divide
    >>> report = divide.write_pack(divide.analyse("31", draws=100), tempfile.mkdtemp(), lang="en", static=False)
    >>> sorted(p.name for p in report.written if p.suffix in (".xlsx", ".gpkg"))
    ['divide.gpkg', 'tables.xlsx']
    """
    check_writable(out)
    target = pack_directory(out, analysis.pref)
    available, reason = static_status() if static else (False, "static export turned off")
    with pack_folder(target) as partial:
        pack = _Pack(analysis=analysis, directory=partial, lang=lang, k=k, report=PackReport(directory=partial))
        work = [("maps and HTML", lambda: _write_maps(pack))]
        if available:
            work += [("static images and cards", lambda: _write_images(pack, cards)),
                     ("PowerPoint", lambda: _write_decks(pack, cards))]
        else:
            pack.report.skipped.append(("PNG/SVG/PDF maps, PPTX decks and profile cards", reason))
        work.append(("tables, CSV, GeoPackage", lambda: _write_tables(pack)))
        for _, step in steps(work, "writing the briefing pack", enabled=progress):
            step()
    return pack.report.moved(target)


@checked
def briefing_pack(pref: str | int = "07", out: str | Path = "outputs", *, lang: Lang = "ja", k: Threshold = 10,
                  static: bool = True, cards: bool = True, progress: bool | None = None, **analysis_options: Any
                  ) -> PackReport:
    """Analyse ``pref`` and write its briefing pack (see the module docstring).

    Examples
    --------
    >>> import tempfile, divide
    >>> report = divide.briefing_pack("31", tempfile.mkdtemp(), static=False, draws=100)
    >>> report.directory.name
    '31_tottori'
    """
    check_writable(out)  # a bad folder fails before the analysis, not after it
    with pack_lock(pack_directory(out, pref)):  # and so does a second run into the same pack
        analysis = analyse(pref, progress=progress, **analysis_options)
        return write_pack(analysis, out, lang=lang, k=k, static=static, cards=cards, progress=progress)
