"""The council briefing pack: every map and table of a prefecture, in the formats an office uses.

``outputs/<pref>/``: ``README.md`` (what is here and what to open first, in the pack's language),
``briefing.pptx`` (16:9: summary, maps, time axis, table, method and limits, sources),
``profiles.pptx`` and ``cards/*.png`` (one card per municipality), ``maps/*.html`` (interactive,
offline), ``maps/*.png|pdf`` (A4 landscape, with title and credits; the PDF is vector, for editing
and print), ``tables.xlsx`` (formatted, with notes and sources), ``municipalities.csv`` (UTF-8 with
BOM), ``divide.gpkg`` (for QGIS). Static files need a browser; without one the rest is still written
and the report says what was skipped. The pack is written whole or not at all
(:mod:`divide.report.atomic`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import divide
from divide.analysis import Analysis, analyse
from divide.codes import PREFECTURES, normalize_pref
from divide.progress import steps
from divide.report.atomic import check_target, check_writable, naming, pack_folder, pack_lock
from divide.report.briefing import BriefingFigure, briefing_figures
from divide.report.council import briefing_deck, profiles_deck
from divide.report.html import write_html
from divide.report.maps import names
from divide.report.mapview import PAGE, SLIDE
from divide.report.pack_tables import gis_layers, notes_sheet, sheets
from divide.report.profiles import card_datasets, card_jobs, shrink_png
from divide.report.readme import readme
from divide.report.static import ImageJob, StaticExportError, render, static_ready
from divide.report.tables import write_csv, write_gpkg, write_xlsx
from divide.validation import Lang, Result, Threshold, checked

PAGE_PDF_SCALE = (
    1.0  # Chromium prints CSS px at 0.75 pt: 1123 × 794 px is an A4 landscape page, 842 × 595 pt
)
SLIDE_SCALE = 1.6  # slide images 1920 × 960 px: sharp on a projector


@dataclass
class PackReport:
    directory: Path
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    suppressed: pd.DataFrame = field(default_factory=pd.DataFrame)
    html_sizes: dict[str, dict] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"briefing pack in {self.directory}:"]
        out += [
            f"  wrote {p.relative_to(self.directory)} ({p.stat().st_size:,} bytes)"
            for p in self.written
            if p.parent == self.directory or p.parent.name == "maps"
        ]
        cards = [p for p in self.written if p.parent.name == "cards"]
        if cards:
            out.append(f"  wrote cards/ ({len(cards)} profile cards)")
        out += [f"  skipped {what}: {why}" for what, why in self.skipped]
        out.append(f"  suppressed small counts (<k): {len(self.suppressed)} cells")
        if self.kept:
            shown = ", ".join(self.kept[:5]) + (" …" if len(self.kept) > 5 else "")
            out.append(f"  kept {len(self.kept)} file(s) divide did not write: {shown}")
        return out + self.guide()

    def guide(self) -> list[str]:
        """Where to start, and what each kind of file is for."""
        names = {p.name for p in self.written}
        first = "briefing.pptx" if "briefing.pptx" in names else "maps/offline_share.html"
        uses = [
            ("briefing.pptx", "the council deck"),
            ("tables.xlsx", "Excel"),
            ("divide.gpkg", "QGIS"),
            ("offline_share.html", "a browser, works offline (maps/*.html)"),
            ("README.md", "the guide"),
        ]
        kinds = "; ".join(
            f"{what}: {name if name != 'offline_share.html' else 'maps/'}"
            for name, what in uses
            if name in names
        )
        return [f"open first: {self.directory / first}", f"  {kinds}"]

    def moved(self, target: Path) -> PackReport:
        """The same report with paths in ``target``, where the finished pack was swapped in."""
        written = [target / p.relative_to(self.directory) for p in self.written]
        return PackReport(
            target, written, self.skipped, self.suppressed, self.html_sizes, list(self.kept)
        )


@dataclass
class _Pack:
    """What every part of a pack needs: the analysis, the folder, the language, the threshold k."""

    analysis: Analysis
    directory: Path
    lang: str
    k: int
    report: PackReport
    scratch: Path
    figures: list[BriefingFigure] = field(default_factory=list)

    @property
    def area(self) -> str:
        return self.analysis.frame.area_name[self.lang]


def _write_maps(pack: _Pack) -> None:
    pack.figures.extend(briefing_figures(pack.analysis, lang=pack.lang, k=pack.k))
    for item in pack.figures:
        path = pack.directory / "maps" / f"{item.name}.html"
        with naming(path):
            pack.report.html_sizes[item.name] = write_html(
                item.figure, path, title=item.title, lang=pack.lang
            )
        pack.report.written.append(path)


def _write_images(pack: _Pack, cards: bool) -> None:
    """A4 pages (PNG, vector PDF) in maps/, slide images in scratch, cards in cards/: one browser
    session.
    """
    jobs = []
    for item in pack.figures:
        page = item.on(PAGE)
        jobs += [
            ImageJob(page, pack.directory / "maps" / f"{item.name}.png", "png", 2.0),
            ImageJob(page, pack.directory / "maps" / f"{item.name}.pdf", "pdf", PAGE_PDF_SCALE),
            ImageJob(item.on(SLIDE), pack.scratch / f"{item.name}.png", "png", SLIDE_SCALE),
        ]
    if cards:
        jobs += card_jobs(pack.analysis, pack.directory / "cards", pack.lang, pack.k)
    with naming(pack.directory / "maps"):
        written = render(jobs)
    for path in written:
        if path.parent in (pack.scratch, pack.directory / "cards"):
            shrink_png(path)
    pack.report.written.extend(p for p in written if p.parent != pack.scratch)


def _write_static(pack: _Pack, cards: bool) -> None:
    """Images, cards and decks; if the browser fails, the rest of the pack is still written and says
    why.
    """
    try:
        _write_images(pack, cards)
        _write_decks(pack, cards)
    except StaticExportError as exc:
        for folder in (pack.directory / "cards", pack.directory / "maps"):
            for path in [*folder.glob("*.png"), *folder.glob("*.pdf")]:
                path.unlink()
        pack.report.written = [p for p in pack.report.written if p.exists()]
        pack.report.skipped.append(("PNG/PDF maps, PPTX decks and profile cards", str(exc)))


def _write_decks(pack: _Pack, cards: bool) -> None:
    analysis, lang = pack.analysis, pack.lang
    images = {item.name: pack.scratch / f"{item.name}.png" for item in pack.figures}
    with naming(pack.directory / "briefing.pptx") as path:
        pack.report.written.append(
            briefing_deck(path, analysis, pack.figures, images, lang=lang, k=pack.k)
        )
    if cards:
        place = names(analysis.frame.municipalities, lang)
        card_files = [
            (place[c], pack.directory / "cards" / f"{c}_{place[c]}.png")
            for c in analysis.frame.municipalities.index
        ]
        with naming(pack.directory / "profiles.pptx") as path:
            pack.report.written.append(
                profiles_deck(
                    path,
                    analysis,
                    card_files,
                    analysis.credits(card_datasets(analysis), lang),
                    lang=lang,
                )
            )


def _write_tables(pack: _Pack) -> None:
    analysis, directory, lang = pack.analysis, pack.directory, pack.lang
    tables, suppressed = sheets(analysis, lang, pack.k)
    pack.report.suppressed = suppressed
    notes = notes_sheet(analysis, lang, pack.k, suppressed)
    credits = analysis.credits(lang=lang)
    municipalities = tables["municipalities"]
    writers = [
        (
            "tables.xlsx",
            lambda path: write_xlsx(
                [(s.name, s.table, s.units) for s in [*tables.values(), notes]], path
            ),
        ),
        (
            "municipalities.csv",
            lambda path: write_csv(municipalities.table, municipalities.units, path),
        ),
        # a CSV cannot carry notes without breaking Excel: its credits go beside it
        (
            "municipalities.credits.txt",
            lambda path: _text(path, "\n".join(credits) + "\n", "utf-8-sig"),
        ),
        ("divide.gpkg", lambda path: write_gpkg(gis_layers(analysis, pack.k, lang), path, credits)),
    ]
    for name, write in writers:
        with naming(directory / name) as path:
            pack.report.written.append(write(path))


def _write_readme(pack: _Pack) -> None:
    with naming(pack.directory / "README.md") as path:
        text = readme(
            pack.analysis,
            pack.lang,
            pack.k,
            [p.relative_to(pack.directory) for p in pack.report.written],
            pack.report.skipped,
        )
        pack.report.written.append(_text(path, text, "utf-8"))


def _text(path: Path, text: str, encoding: str) -> Path:
    path.write_text(text, encoding=encoding)
    return path


def pack_directory(out: str | Path, pref: str | int | None) -> Path:
    """The folder of ``pref``'s pack under ``out`` (``07_fukushima``; ``00_japan`` for all of
    Japan).
    """
    code = normalize_pref(pref) or "00"
    return (
        Path(out)
        / f"{code}_{PREFECTURES[code].name_en.lower() if code in PREFECTURES else 'japan'}"
    )


@checked
def write_pack(
    analysis: Result[Analysis],
    out: str | Path,
    *,
    lang: Lang = "ja",
    k: Threshold = 10,
    static: bool = True,
    cards: bool = True,
    progress: bool | None = None,
) -> PackReport:
    """Write the briefing pack of an analysis into ``out`` (a folder per prefecture).

    Parameters
    ----------
    analysis : Analysis
        The analysis to write.
    out : str or Path
        The folder that receives the pack's folder.
    lang : {"ja", "en"}
        The pack's language.
    k : int
        Disclosure threshold.
    static, cards : bool
        Static maps and deck; profile cards.
    progress : bool, optional
        Show progress.

    Examples
    --------
    >>> import tempfile, divide
    >>> analysis = divide.analyse("31", draws=100)
    >>> report = divide.write_pack(analysis, tempfile.mkdtemp(), lang="en", static=False)
    >>> sorted(p.name for p in report.written if p.suffix in (".xlsx", ".gpkg"))
    ['divide.gpkg', 'tables.xlsx']
    """
    check_writable(out)
    target = pack_directory(out, analysis.pref)
    check_target(target)  # a folder divide may not replace is refused before anything is drawn
    available, reason = static_ready() if static else (False, "static export turned off")
    about = {"divide": divide.__version__, "area": analysis.pref or "00", "lang": lang, "k": k}
    with (
        pack_folder(target, about) as write,
        tempfile.TemporaryDirectory(prefix="divide-slides-") as scratch,
    ):
        pack = _Pack(
            analysis=analysis,
            directory=write.folder,
            lang=lang,
            k=k,
            report=PackReport(directory=write.folder),
            scratch=Path(scratch),
        )
        work = [("maps and HTML", lambda: _write_maps(pack))]
        if available:
            work += [("static images, cards and PowerPoint", lambda: _write_static(pack, cards))]
        else:
            pack.report.skipped.append(("PNG/PDF maps, PPTX decks and profile cards", reason))
        work += [
            ("tables, CSV, GeoPackage", lambda: _write_tables(pack)),
            ("README", lambda: _write_readme(pack)),
        ]
        for _, step in steps(work, "writing the briefing pack", enabled=progress):
            step()
    pack.report.kept = sorted(write.kept.values())
    return pack.report.moved(target)


@checked
def briefing_pack(
    pref: str | int = "07",
    out: str | Path = "outputs",
    *,
    lang: Lang = "ja",
    k: Threshold = 10,
    static: bool = True,
    cards: bool = True,
    progress: bool | None = None,
    **analysis_options: Any,
) -> PackReport:
    """Analyse ``pref`` and write its briefing pack (see the module docstring).

    Parameters
    ----------
    pref : str or int
        Prefecture code, name or romaji.
    out : str or Path
        The folder that receives the pack's folder.
    lang : {"ja", "en"}
        The pack's language.
    k : int
        Disclosure threshold: estimated counts below k are suppressed.
    static : bool
        Write PNG/PDF maps and the PowerPoint deck (needs Chromium).
    cards : bool
        Write one profile card per municipality.
    progress : bool, optional
        Show progress (default: in notebooks and terminals).
    **analysis_options
        Passed to :func:`~divide.analysis.analyse` (``assumptions``, ``broadband`` …).

    Examples
    --------
    >>> import tempfile, divide
    >>> report = divide.briefing_pack("31", tempfile.mkdtemp(), static=False, draws=100)
    >>> report.directory.name
    '31_tottori'
    """
    check_writable(out)  # a bad folder fails before the analysis, not after it
    target = pack_directory(out, pref)
    with pack_lock(target):  # and so does a second run into the same pack
        check_target(target)  # and a folder divide may not replace
        analysis = analyse(pref, progress=progress, **analysis_options)
        return write_pack(
            analysis, out, lang=lang, k=k, static=static, cards=cards, progress=progress
        )
