"""PowerPoint decks (python-pptx): a title slide, one slide per map with its credit line, tables, cards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.util import Emu, Pt

WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9
FONT = "Noto Sans CJK JP"


@dataclass
class MapSlide:
    title: str
    image: Path
    credits: Sequence[str]
    note: str = ""


def _text(slide, text: str, left: int, top: int, width: int, height: int, size: int, bold: bool = False) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = FONT


def _picture(slide, image: Path, left: int, top: int, max_width: int, max_height: int) -> None:
    from PIL import Image

    with Image.open(image) as picture:
        ratio = picture.width / picture.height
    width, height = max_width, int(max_width / ratio)
    if height > max_height:
        height, width = max_height, int(max_height * ratio)
    slide.shapes.add_picture(str(image), left + (max_width - width) // 2, top, width, height)


def deck(path: Path, *, title: str, subtitle: str, maps: Sequence[MapSlide] = (),
         tables: Sequence[tuple[str, pd.DataFrame, str]] = (), credits: Sequence[str] = ()) -> Path:
    """Write a deck: title slide, map slides, then table slides (title, table, footnote)."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    blank = presentation.slide_layouts[6]
    margin = Emu(400000)
    first = presentation.slides.add_slide(blank)
    _text(first, title, margin, Emu(1800000), WIDTH - 2 * margin, Emu(1200000), 32, bold=True)
    _text(first, subtitle, margin, Emu(3100000), WIDTH - 2 * margin, Emu(800000), 18)
    _text(first, "\n".join(credits), margin, Emu(4300000), WIDTH - 2 * margin, Emu(2300000), 9)
    for item in maps:
        slide = presentation.slides.add_slide(blank)
        _text(slide, item.title, margin, Emu(150000), WIDTH - 2 * margin, Emu(500000), 22, bold=True)
        _picture(slide, item.image, margin, Emu(700000), WIDTH - 2 * margin, Emu(5300000))
        footer = "\n".join([*([item.note] if item.note else []), *item.credits])
        _text(slide, footer, margin, Emu(6050000), WIDTH - 2 * margin, Emu(700000), 8)
    for caption, table, footnote in tables:
        slide = presentation.slides.add_slide(blank)
        _text(slide, caption, margin, Emu(150000), WIDTH - 2 * margin, Emu(500000), 22, bold=True)
        rows, cols = len(table) + 1, len(table.columns)
        shape = slide.shapes.add_table(rows, cols, margin, Emu(750000), WIDTH - 2 * margin, Emu(300000) * rows)
        grid = shape.table
        for j, column in enumerate(table.columns):
            grid.cell(0, j).text = str(column)
        for i, (_, row) in enumerate(table.iterrows(), start=1):
            for j, value in enumerate(row):
                grid.cell(i, j).text = str(value)
        for cell in (grid.cell(i, j) for i in range(rows) for j in range(cols)):
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)
                    run.font.name = FONT
        _text(slide, footnote, margin, Emu(6250000), WIDTH - 2 * margin, Emu(500000), 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    presentation.save(path)
    return path


def card_deck(path: Path, title: str, cards: Sequence[tuple[str, Path]], credits: Sequence[str]) -> Path:
    """One slide per municipality profile card (title, card image, credit lines)."""
    return deck(path, title=title, subtitle=f"{len(cards)} municipalities",
                maps=[MapSlide(name, image, credits) for name, image in cards], credits=credits)
