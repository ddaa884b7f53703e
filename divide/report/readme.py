"""The pack's README, in the pack's language: what to open first, what each file is, how to read it,
sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from divide.analysis import Analysis
from divide.labels import DECK
from divide.provenance import credit_terms

FILES = {
    "ja": {
        "briefing.pptx": "議会説明用スライド（要旨・地図・見通し・方法と限界・出典）。"
        "最初にこれを開いてください。",
        "profiles.pptx": "市町村ごとのカード（1市町村1枚）",
        "cards": "市町村カードの画像（PNG）",
        "maps/*.html": "地図（ブラウザで開く。オフラインで動作し、"
        "市町村にカーソルを当てると数値を表示）",
        "maps/*.png|pdf": "地図（A4横、印刷・資料貼り付け用。タイトルと出典付き。"
        "PDFはベクター形式）",
        "tables.xlsx": "表（市町村・支援の形・指数・見通し・拠点・検証・結合レポート・注記と出典）",
        "municipalities.csv": "市町村の表（UTF-8 BOM付き、Excelでそのまま開ける）。"
        "出典は municipalities.credits.txt",
        "divide.gpkg": "GISデータ（QGISで開く：市町村・本庁舎・提案する拠点）",
    },
    "en": {
        "briefing.pptx": "The council deck (summary, maps, outlook, method and limits, sources). "
        "Open this first.",
        "profiles.pptx": "One card per municipality",
        "cards": "The cards as PNG images",
        "maps/*.html": "Maps for a browser (work offline; hover a municipality for its figures)",
        "maps/*.png|pdf": "Maps on an A4 landscape page, for print and documents (title and "
        "sources on them; "
        "the PDF is vector)",
        "tables.xlsx": "Tables (municipalities, support plan, index, projection, sites, "
        "validation, join report, "
        "notes and sources)",
        "municipalities.csv": "The municipal table (UTF-8 with BOM, opens in Excel); sources in "
        "municipalities.credits.txt",
        "divide.gpkg": "GIS layers for QGIS (municipalities, main offices, proposed sites)",
    },
}
WORDS = {
    "ja": {
        "title": "divide 説明資料 — {area}",
        "answers": "この資料は、{area}の市町村ごとに、オンラインの行政サービスに対面（オフライン）"
        "の支援を"
        "どこで、誰に、どの形で添える必要があるかを、推計とその不確かさとともに示します。",
        "cite": "引用するときは、下の「出典」の各行を利用条件の求める表記としてそのまま記載してください"
        "（括弧内は利用条件と基準日）。",
        "open": "## 最初に開くファイル",
        "files": "## ファイル",
        "read": "## 読み方",
        "skipped": "## 作成されなかったファイル",
        "sources": "## 出典",
        "made": "divide で {date} に作成。",
    },
    "en": {
        "title": "divide briefing pack — {area}",
        "answers": "This pack shows, municipality by municipality in {area}, where, for whom and "
        "in what form "
        "in-person (offline) support has to accompany online public services, with the estimates' "
        "uncertainty.",
        "cite": "When you quote it, copy the lines under Sources as they are: they are the credits "
        "the licences "
        "require; each ends with its terms of use and reference date, in brackets.",
        "open": "## Open first",
        "files": "## Files",
        "read": "## How to read it",
        "skipped": "## Not written",
        "sources": "## Sources",
        "made": "Made with divide on {date}.",
    },
}


SKIPPED = {
    "PNG/PDF maps, PPTX decks and profile cards": "PNG・PDFの地図、PPTXスライド、市町村カード",
    "static export turned off": "静的ファイルの作成を省略する指定（--no-static）",
}


def _present(pattern: str, written: Sequence[Path]) -> bool:
    names = {str(p) for p in written}
    if pattern == "cards":
        return any(p.parts[0] == "cards" for p in written)
    if pattern.startswith("maps/"):
        suffixes = pattern.split(".")[-1].split("|")
        return any(p.parts[0] == "maps" and p.suffix.lstrip(".") in suffixes for p in written)
    return pattern in names


def readme(
    analysis: Analysis,
    lang: str,
    k: int,
    written: Sequence[Path],
    skipped: Sequence[tuple[str, str]],
) -> str:
    """The README text: open first, files present, how to read, what was skipped and why, sources."""
    w, files = WORDS[lang], FILES[lang]
    first = "briefing.pptx" if _present("briefing.pptx", written) else "maps/offline_share.html"
    area = analysis.frame.area_name[lang]
    lines = [
        f"# {w['title'].format(area=area)}",
        "",
        w["answers"].format(area=area),
        "",
        w["open"],
        "",
        f"`{first}`",
        "",
        w["files"],
        "",
    ]
    lines += [f"- `{name}` — {text}" for name, text in files.items() if _present(name, written)]
    lines += ["", w["read"], ""]
    lines += [
        f"- {item}"
        for item in (
            DECK[lang]["basis"].format(year=analysis.estimate.year),
            DECK[lang]["table_note"].format(k=k),
            DECK[lang]["m_disclosure"].format(k=k),
        )
    ]
    if skipped:
        words = SKIPPED if lang == "ja" else {}
        lines += ["", w["skipped"], ""] + [
            f"- {words.get(what, what)}: {words.get(why, why)}" for what, why in skipped
        ]
    terms = credit_terms(analysis.datasets.values(), lang)
    lines += ["", w["sources"], "", w["cite"], ""] + [
        f"- {line}"
        + (f"（{terms[line]}）" if lang == "ja" else f" ({terms[line]})") * (line in terms)
        for line in analysis.credits(lang=lang)
    ]
    lines += ["", w["made"].format(date=date.today().isoformat()), ""]
    return "\n".join(lines)
