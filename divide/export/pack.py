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

import geopandas as gpd
import pandas as pd

from divide.analysis import ESTIMATE_DATASETS, GEOGRAPHY_DATASETS, Analysis, analyse
from divide.briefing import MAP_DATASETS, BriefingFigure, briefing_figures
from divide.codes import PREFECTURES
from divide.columns import label
from divide.export.html import write_html
from divide.export.slides import MapSlide, card_deck, deck
from divide.export.static import ImageJob, render, static_status
from divide.export.tables import headers, suppress_small_counts, write_csv, write_gpkg, write_xlsx
from divide.maps.cards import profile_card
from divide.maps.figures import names
from divide.progress import steps

EXTRA_LABELS = {
    "residents_15plus": ("15歳以上の居住者（推計）", "residents aged 15+"),
    "offline_share": ("オフライン率（推計）", "offline share (estimated)"),
    "offline_share_lo": ("オフライン率 90%区間下限", "offline share, 90% lower"),
    "offline_share_hi": ("オフライン率 90%区間上限", "offline share, 90% upper"),
    "offline_count": ("オフライン住民数（推計）", "offline residents (estimated)"),
    "offline_count_lo": ("オフライン住民数 90%区間下限", "offline residents, 90% lower"),
    "offline_count_hi": ("オフライン住民数 90%区間上限", "offline residents, 90% upper"),
    "age_part": ("全国差：年齢要因", "gap to national: age"), "geo_part": ("全国差：地域要因", "gap to national: area"),
    "access_mean_km": ("窓口までの平均距離(km)", "mean distance to counter (km)"),
    "access_p90_km": ("窓口までの距離 90パーセンタイル(km)", "distance to counter, 90th pct (km)"),
    "access_basis": ("居住地の表し方", "where people live (basis)"), "access_note": ("距離の注記", "distance note"),
    "support_form": ("支援の形（ID）", "support form (id)"), "support_form_ja": ("支援の形", "support form (ja)"),
    "support_form_en": ("支援の形（英）", "support form"), "cluster": ("空間クラスター", "spatial cluster"),
    "score": ("指数", "index score"), "rank": ("順位", "rank"), "rank_p05": ("順位 5%", "rank 5%"),
    "rank_p95": ("順位 95%", "rank 95%"), "headcount": ("支援対象人数", "head-count"),
    "headcount_lo": ("支援対象人数 下限", "head-count lower"),
    "headcount_hi": ("支援対象人数 上限", "head-count upper"),
}


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


def _header(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    index = 0 if lang == "ja" else 1
    renamed = table.rename(columns={c: EXTRA_LABELS[c][index] for c in table.columns if c in EXTRA_LABELS})
    return headers(renamed, lang)


def _tables(analysis: Analysis, lang: str, k: int) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    summary = analysis.summary_table()
    plan = analysis.plan.drop(columns=["need_level", "access_level"], errors="ignore")
    projection = analysis.projection.set_index(["code", "year"])
    gain = analysis.sites.gain.set_index("k")
    chosen = analysis.sites.chosen
    sheets_raw = {
        "municipalities": summary, "support_plan": plan, "index": analysis.index.scores.join(analysis.uncertainty),
        "projection": projection, "sites_gain": gain, "sites_chosen": chosen,
        "validation": analysis.estimate.validation.set_index("model"),
        "join_report": analysis.frame.attrs["join_report"],
    }
    sheets, reports = {}, []
    for name, table in sheets_raw.items():
        safe, report = suppress_small_counts(table, name, k=k)
        sheets[name] = _header(safe, lang)
        reports.append(report)
    return sheets, pd.concat(reports, ignore_index=True)


def _notes(analysis: Analysis, lang: str, k: int, suppressed: pd.DataFrame) -> pd.DataFrame:
    rows = [("credits", line) for line in analysis.credits(lang=lang)]
    for key, entry in analysis.frame.attrs["provenance"].items():
        rows.append((f"source: {key}", f"{entry['title']} — {entry['publisher']}, {entry['reference_date']}, "
                                       f"{entry['licence']}, {entry['official_url']}"))
    rows += [("method", "docs/method.md: offline estimate, validation and limits"),
             ("disclosure", f"estimated counts below {k} are shown as <{k} ({len(suppressed)} cells)")]
    rows += [("note", note) for note in analysis.notes]
    rows += [("validation", f"{r.model}: MAE {r.mae_pp:.2f} pt, 90% coverage {r.coverage90:.0%}")
             for r in analysis.estimate.validation.itertuples()]
    return pd.DataFrame(rows, columns=["item", "text"])


def _gis_layers(analysis: Analysis, k: int) -> dict[str, gpd.GeoDataFrame]:
    summary, _ = suppress_small_counts(analysis.summary_table(), "gpkg", k=k, as_text=False)
    municipalities = gpd.GeoDataFrame(summary, geometry=analysis.frame.geometry, crs=analysis.frame.crs)
    offices = gpd.GeoDataFrame(analysis.frame[["name_ja"]].reset_index(), crs=analysis.frame.crs,
                               geometry=gpd.points_from_xy(analysis.frame["office_lon"], analysis.frame["office_lat"]))
    chosen, _ = suppress_small_counts(analysis.sites.chosen, "sites", k=k, as_text=False)
    sites = gpd.GeoDataFrame(chosen, crs=analysis.frame.crs, geometry=gpd.points_from_xy(chosen["lon"], chosen["lat"]))
    return {"municipalities": municipalities.reset_index(), "main_offices": offices, "proposed_sites": sites}


def _card_facts(analysis: Analysis) -> pd.DataFrame:
    m = analysis.estimate.municipalities
    facts = analysis.plan.join(m[["offline_share", "offline_share_lo", "offline_share_hi", "residents_15plus",
                                   "age_expected_share"]], rsuffix="_est")
    facts = facts.join(analysis.uncertainty[["rank_p05", "rank_p95"]])
    if "rank" not in facts:
        facts = facts.join(analysis.index.scores[["rank"]])
    geo = analysis.geo
    return facts.join(geo[["access_mean_km", "card_holding_pct", "online_32_pct"]])


CARD_DATASETS = ("boundaries", *ESTIMATE_DATASETS, *GEOGRAPHY_DATASETS, "dx_dashboard")
CARD_INDICATORS = {
    "ja": {"offline_share": ("オフライン率", "share"), "age_expected_share": ("年齢から見込むオフライン率", "share"),
           "access_mean_km": ("窓口までの平均距離", "km"), "card_holding_pct": ("マイナンバーカード保有率", "%"),
           "online_32_pct": ("手続のオンライン化率", "%")},
    "en": {"offline_share": ("Offline share", "share"), "age_expected_share": ("Expected from age", "share"),
           "access_mean_km": ("Distance to counter", "km"), "card_holding_pct": ("My Number Card holding", "%"),
           "online_32_pct": ("Procedures online", "%")},
}


def write_pack(analysis: Analysis, out: str | Path, *, lang: str = "ja", k: int = 10, static: bool = True,
               cards: bool = True, progress: bool = True) -> PackReport:
    """Write the briefing pack of an analysis into ``out`` (a folder per prefecture)."""
    pref = analysis.pref or "00"
    pref_name = PREFECTURES[pref].name_ja if lang == "ja" and pref in PREFECTURES else (
        PREFECTURES[pref].name_en if pref in PREFECTURES else "Japan")
    directory = Path(out) / f"{pref}_{PREFECTURES[pref].name_en.lower() if pref in PREFECTURES else 'japan'}"
    directory.mkdir(parents=True, exist_ok=True)
    report = PackReport(directory=directory)
    figures: list[BriefingFigure] = []
    available, reason = static_status() if static else (False, "static export turned off")
    jobs: list[ImageJob] = []

    def maps() -> None:
        figures.extend(briefing_figures(analysis, lang=lang, k=k))
        for item in figures:
            path = directory / "maps" / f"{item.name}.html"
            report.html_sizes[item.name] = write_html(item.figure, path, title=item.title, lang=lang)
            report.written.append(path)

    def images() -> None:
        if not available:
            report.skipped.append(("PNG/SVG/PDF maps, PPTX decks and profile cards", reason))
            return
        for item in figures:
            for fmt in ("png", "svg", "pdf"):
                jobs.append(ImageJob(item.figure, directory / "maps" / f"{item.name}.{fmt}", fmt))
        if cards:
            facts = _card_facts(analysis)
            place = names(analysis.frame, lang)
            credits = analysis.credits(CARD_DATASETS, lang)
            for code in analysis.frame.index:
                card = profile_card(code, analysis.frame, facts, CARD_INDICATORS[lang], lang=lang, credits=credits)
                jobs.append(ImageJob(card, directory / "cards" / f"{code}_{place[code]}.png", "png", scale=1.5))
        report.written.extend(render(jobs))

    def slides() -> None:
        if not available:
            return
        title = {"ja": "オフライン支援が必要な地域と人",
                 "en": "Where offline support must accompany online services"}[lang]
        subtitle = f"{pref_name} — divide, {date.today().isoformat()}"
        top = analysis.plan.sort_values("headcount", ascending=False).head(12)
        table = pd.DataFrame({
            label("name_ja", lang): names(analysis.frame, lang).reindex(top.index),
            EXTRA_LABELS["support_form_ja"][0 if lang == "ja" else 1]: top[f"support_form_{lang}"],
            EXTRA_LABELS["headcount"][0 if lang == "ja" else 1]: [f"{v:,.0f}" if v >= k else f"<{k}"
                                                                  for v in top["headcount"]],
            "90%": [f"{lo:,.0f}–{hi:,.0f}" for lo, hi in zip(top["headcount_lo"], top["headcount_hi"], strict=True)],
        })
        caption = "支援対象人数の多い市町村" if lang == "ja" else "Municipalities with the most offline residents"
        slides_maps = [MapSlide(item.title, directory / "maps" / f"{item.name}.png", item.credits) for item in figures]
        report.written.append(deck(directory / "briefing.pptx", title=title, subtitle=subtitle, maps=slides_maps,
                                   tables=[(caption, table, " / ".join(analysis.credits(MAP_DATASETS["forms"], lang)))],
                                   credits=analysis.credits(lang=lang)))
        if cards:
            place = names(analysis.frame, lang)
            card_files = [(place[c], directory / "cards" / f"{c}_{place[c]}.png") for c in analysis.frame.index]
            report.written.append(card_deck(directory / "profiles.pptx", f"{pref_name} — profiles", card_files,
                                            analysis.credits(CARD_DATASETS, lang)))

    def tables() -> None:
        sheets, suppressed = _tables(analysis, lang, k)
        report.suppressed = suppressed
        notes = _notes(analysis, lang, k, suppressed)
        report.written.append(write_xlsx(sheets, notes, directory / "tables.xlsx"))
        report.written.append(write_csv(sheets["municipalities"], directory / "municipalities.csv"))
        sidecar = directory / "municipalities.credits.txt"  # a CSV cannot carry notes without breaking Excel
        sidecar.write_text("\n".join(analysis.credits(lang=lang)) + "\n", encoding="utf-8-sig")
        report.written.append(sidecar)
        report.written.append(write_gpkg(_gis_layers(analysis, k), directory / "divide.gpkg",
                                         analysis.credits(lang=lang)))
        readme = directory / "README.md"
        readme.write_text("\n".join([
            f"# divide briefing pack — {pref_name}", "",
            "Files: maps/*.html (open in any browser, works offline), maps/*.png|svg|pdf, briefing.pptx, "
            "profiles.pptx, cards/*.png, tables.xlsx, municipalities.csv (UTF-8 BOM), divide.gpkg (QGIS).", "",
            f"Estimated counts below {k} are shown as <{k}.", "", "## Credits", "",
            *[f"- {line}" for line in analysis.credits(lang=lang)], ""]), encoding="utf-8")
        report.written.append(readme)

    work = [("maps and HTML", maps), ("static images and cards", images), ("PowerPoint", slides),
            ("tables, CSV, GeoPackage", tables)]
    for _, step in steps(work, "writing the briefing pack", enabled=progress):
        step()
    return report


def briefing_pack(pref: str | int = "07", out: str | Path = "outputs", *, lang: str = "ja", k: int = 10,
                  static: bool = True, cards: bool = True, progress: bool = True, **analysis_options: object
                  ) -> PackReport:
    """Analyse ``pref`` and write its briefing pack (see the module docstring)."""
    analysis = analyse(pref, progress=progress, **analysis_options)
    return write_pack(analysis, out, lang=lang, k=k, static=static, cards=cards, progress=progress)
