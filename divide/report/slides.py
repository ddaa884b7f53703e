"""PowerPoint decks (python-pptx) that fit: 16:9, every text sized to its box, sources on a slide of
their own.

Every slide has a title, a body and a footer. The footer names the sources of that slide by their
number in the numbered list on the closing 出典 (Sources) slide(s), which carry the full credit
lines the licences require; a speaker-notes field carries what a presenter may be asked (basis,
classing, caveats). Text is fitted with :mod:`divide.report.textfit`: a box shrinks its font down to
a floor and then shortens its list with "…", so nothing runs off a slide (``tests/test_slides.py``
measures every box).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt

from divide.report.textfit import LINE, em_width, fit_size, fits
from divide.report.words import DECK

WIDTH_IN, HEIGHT_IN = 13.333, 7.5
MARGIN = 0.45
TITLE_TOP, TITLE_HEIGHT = 0.2, 0.7
SUB_TOP, SUB_HEIGHT = 0.85, 0.6
BODY_TOP, BODY_BOTTOM = 1.5, 6.85
FOOTER_TOP, FOOTER_HEIGHT = 6.9, 0.5
FONT = "Noto Sans CJK JP"
GREY = RGBColor(0x55, 0x55, 0x55)


@dataclass
class Deck:
    """A deck being built; ``sources`` is the numbered list of credit lines the footers refer to,
    ``terms``
    the licence and reference date each line carries on the Sources slide."""

    lang: str
    sources: list[str]
    terms: dict[str, str] = field(
        default_factory=dict
    )  # credit line -> licence and date, on the Sources slide
    presentation: Presentation = field(default_factory=Presentation)

    def __post_init__(self) -> None:
        self.presentation.slide_width, self.presentation.slide_height = (
            Inches(WIDTH_IN),
            Inches(HEIGHT_IN),
        )
        self.words = DECK[self.lang]

    # -- building blocks
    # ------------------------------------------------------------------------------------
    def _slide(
        self,
        title: str,
        subtitle: str = "",
        credits: Sequence[str] = (),
        note: str = "",
        notes: str = "",
    ) -> object:
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[6])
        box(
            slide,
            [(title, 26, True)],
            MARGIN,
            TITLE_TOP,
            WIDTH_IN - 2 * MARGIN,
            TITLE_HEIGHT,
            minimum=16,
        )
        if subtitle:
            box(
                slide,
                [(subtitle, 14, False)],
                MARGIN,
                SUB_TOP,
                WIDTH_IN - 2 * MARGIN,
                SUB_HEIGHT,
                minimum=12,
                colour=GREY,
            )
        footer = " ".join(part for part in (self.references(credits), note) if part)
        if footer:
            box(
                slide,
                [(footer, 11, False)],
                MARGIN,
                FOOTER_TOP,
                WIDTH_IN - 2 * MARGIN - 0.6,
                FOOTER_HEIGHT,
                minimum=7,
                colour=GREY,
            )
        box(
            slide,
            [(str(len(self.presentation.slides)), 11, False)],
            WIDTH_IN - MARGIN - 0.55,
            FOOTER_TOP,
            0.55,
            FOOTER_HEIGHT,
            minimum=8,
            colour=GREY,
            align=PP_ALIGN.RIGHT,
        )
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        return slide

    def references(self, credits: Sequence[str]) -> str:
        numbers = sorted({self.sources.index(line) + 1 for line in credits if line in self.sources})
        return (
            self.words["sources_ref"].format(numbers=", ".join(map(str, numbers)))
            if numbers
            else ""
        )

    # -- slides
    # -------------------------------------------------------------------------------------------
    def title(self, title: str, subtitle: str, lines: Sequence[str]) -> None:
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[6])
        box(slide, [(title, 36, True)], MARGIN, 1.6, WIDTH_IN - 2 * MARGIN, 1.4, minimum=20)
        box(slide, [(subtitle, 20, False)], MARGIN, 3.1, WIDTH_IN - 2 * MARGIN, 0.8, minimum=12)
        box(
            slide,
            [(line, 14, False) for line in lines],
            MARGIN,
            4.2,
            WIDTH_IN - 2 * MARGIN,
            2.6,
            minimum=9,
            colour=GREY,
        )

    def image(
        self,
        title: str,
        image: Path,
        *,
        subtitle: str = "",
        credits: Sequence[str] = (),
        note: str = "",
        notes: str = "",
    ) -> None:
        slide = self._slide(title, subtitle, credits, note, notes)
        picture(slide, image, MARGIN, BODY_TOP, WIDTH_IN - 2 * MARGIN, BODY_BOTTOM - BODY_TOP)

    def columns(
        self,
        title: str,
        entries: Sequence[str],
        *,
        credits: Sequence[str] = (),
        per_column: int = 30,
    ) -> None:
        """Short entries (a numbered key) in as many columns as they need, over slides if need be."""
        columns = 4
        per_slide = per_column * columns
        for start in range(0, len(entries), per_slide):
            chunk = list(entries[start : start + per_slide])
            slide = self._slide(title, "", credits)
            width = (WIDTH_IN - 2 * MARGIN) / columns
            for column in range(columns):
                part = chunk[column * per_column : (column + 1) * per_column]
                if part:
                    box(
                        slide,
                        [(entry, 12, False) for entry in part],
                        MARGIN + column * width,
                        BODY_TOP - 0.2,
                        width - 0.1,
                        BODY_BOTTOM - BODY_TOP + 0.2,
                        minimum=9,
                    )

    def full_image(self, image: Path, *, notes: str = "") -> None:
        """A slide that is the image (a profile card drawn at slide size, its text at 12 pt+)."""
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[6])
        picture(slide, image, 0.0, 0.0, WIDTH_IN, HEIGHT_IN)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes

    def bullets(
        self,
        title: str,
        items: Sequence[str],
        *,
        subtitle: str = "",
        credits: Sequence[str] = (),
        notes: str = "",
    ) -> None:
        slide = self._slide(title, subtitle, credits, notes=notes)
        box(
            slide,
            [(f"・{item}" if self.lang == "ja" else f"• {item}", 18, False) for item in items],
            MARGIN,
            BODY_TOP,
            WIDTH_IN - 2 * MARGIN,
            BODY_BOTTOM - BODY_TOP,
            minimum=11,
        )

    def numbers(
        self,
        title: str,
        figures: Sequence[tuple[str, str, str]],
        groups: Sequence[tuple[str, str]],
        *,
        credits: Sequence[str] = (),
        notes: str = "",
    ) -> None:
        """The summary: big numbers on the left (label, value, note), named groups on the right
        (heading, names).
        """
        slide = self._slide(title, "", credits, notes=notes)
        height = (BODY_BOTTOM - BODY_TOP) / max(len(figures), 1)
        for i, (label, value, note) in enumerate(figures):
            top = BODY_TOP + i * height
            box(
                slide,
                [(label, 15, False), (value, 30, True), (note, 12, False)],
                MARGIN,
                top,
                5.6,
                height - 0.1,
                minimum=9,
            )
        box(
            slide,
            [
                line
                for heading, names in groups
                for line in ((heading, 16, True), (names, 13, False))
            ],
            6.4,
            BODY_TOP,
            WIDTH_IN - 6.4 - MARGIN,
            BODY_BOTTOM - BODY_TOP,
            minimum=9,
        )

    def table(
        self,
        title: str,
        table: pd.DataFrame,
        *,
        numeric: Sequence[str] = (),
        footnote: str = "",
        credits: Sequence[str] = (),
    ) -> None:
        """A table whose columns are as wide as their longest cell, numbers right-aligned, on one
        line each.
        """
        slide = self._slide(title, footnote, credits)
        rows, cols = len(table) + 1, len(table.columns)
        row_height = min(0.38, (BODY_BOTTOM - BODY_TOP) / rows)
        cells = [[str(column), *map(str, table[column])] for column in table.columns]
        available = WIDTH_IN - 2 * MARGIN
        size = 14.0
        while size > 8:
            widths = [max(em_width(c) for c in column) * size / 72 + 0.3 for column in cells]
            if sum(widths) <= available:
                break
            size -= 0.5
        widths = [w * available / sum(widths) for w in widths]  # spread the spare width
        shape = slide.shapes.add_table(
            rows,
            cols,
            Inches(MARGIN),
            Inches(BODY_TOP),
            Inches(available),
            Inches(row_height * rows),
        )
        grid = shape.table
        for i in range(rows):
            grid.rows[i].height = Inches(row_height)
        for j, (column, values) in enumerate(zip(table.columns, cells, strict=True)):
            grid.columns[j].width = Inches(widths[j])
            for i, value in enumerate(values):
                cell = grid.cell(i, j)
                cell.text = value
                for paragraph in cell.text_frame.paragraphs:
                    paragraph.alignment = PP_ALIGN.RIGHT if column in numeric else PP_ALIGN.LEFT
                    for run in paragraph.runs:
                        run.font.size, run.font.name, run.font.bold = Pt(size), FONT, i == 0

    def sources_slides(self) -> None:
        """The numbered credit lines, as large as one slide allows, else over as many slides as they
        need.
        """
        open_, close = ("（", "）") if self.lang == "ja" else (" (", ")")
        numbered = [
            f"{i}. {line}" + (f"{open_}{self.terms[line]}{close}" if line in self.terms else "")
            for i, line in enumerate(self.sources, start=1)
        ]
        top = BODY_TOP - 0.3  # no subtitle on this slide: the list starts under the title
        width, height = WIDTH_IN - 2 * MARGIN, BODY_BOTTOM - top
        size = fit_size(numbered, width, height, 16, 11) or 11
        while numbered:
            take = len(numbered)
            while take > 1 and not fits([(line, size) for line in numbered[:take]], width, height):
                take -= 1
            slide = self._slide(self.words["sources"])
            box(
                slide,
                [(line, size, False) for line in numbered[:take]],
                MARGIN,
                top,
                width,
                height,
                minimum=8,
            )
            numbered = numbered[take:]

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.presentation.save(path)
        return path


def box(
    slide: object,
    paragraphs: list[tuple[str, float, bool]],
    left: float,
    top: float,
    width: float,
    height: float,
    *,
    minimum: float,
    colour: RGBColor | None = None,
    align: PP_ALIGN | None = None,
) -> None:
    """A text box whose font shrinks (all paragraphs alike) down to ``minimum`` pt, then whose list
    is cut with ….
    """
    texts = [text for text, _, _ in paragraphs]
    top_size = max(size for _, size, _ in paragraphs)
    size = fit_size(texts, width, height, top_size, minimum) if len(paragraphs) == 1 else None
    scale = (size or minimum) / top_size
    if len(paragraphs) > 1:
        scale = 1.0
        while scale * top_size > minimum and not fits(
            [(t, s * scale) for t, s, _ in paragraphs], width, height
        ):
            scale -= 0.04
    kept = list(paragraphs)
    while len(kept) > 1 and not fits([(t, s * scale) for t, s, _ in kept], width, height):
        kept = [*kept[:-2], ("…", kept[-1][1], False)] if len(kept) > 2 else kept[:1]
    if not fits(
        [(t, s * scale) for t, s, _ in kept], width, height
    ):  # one paragraph too long even at the floor
        text, s, bold = kept[0]
        while len(text) > 1 and not fits([(text + "…", s * scale)], width, height):
            text = text[: int(len(text) * 0.9)]
        kept = [(text + "…", s, bold)]
    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = shape.text_frame
    frame.word_wrap = True
    for i, (text, size_pt, bold) in enumerate(kept):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        shown = math.floor(size_pt * scale * 2) / 2
        # the line pitch the fit estimated (textfit.LINE): Noto Sans CJK's own is about 1.45 em,
        # so a long list left to the font's spacing runs a fifth longer than it was fitted for
        paragraph.line_spacing = Pt(round(shown * LINE, 1))
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.name = Pt(shown), bold, FONT
        if colour is not None:
            run.font.color.rgb = colour


def picture(
    slide: object, image: Path, left: float, top: float, max_width: float, max_height: float
) -> None:
    """An image as large as fits the box, centred in it."""
    from PIL import Image

    with Image.open(image) as opened:
        ratio = opened.width / opened.height
    width, height = max_width, max_width / ratio
    if height > max_height:
        height, width = max_height, max_height * ratio
    slide.shapes.add_picture(
        str(image),
        Inches(left + (max_width - width) / 2),
        Inches(top + (max_height - height) / 2),
        Inches(width),
        Inches(height),
    )
