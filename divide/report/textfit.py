"""How much room a text needs on a slide: the estimate the deck builder fits text with, and the test
checks.

PowerPoint does not tell python-pptx how tall a text will be, so divide estimates it from the
characters: a kanji or kana is one em wide, a Latin letter or digit about 0.55 em, a space 0.3 em; a
line is 1.2 em tall; a text frame keeps 0.1 in left and right and 0.05 in above and below. Lines
wrap at the frame's width. The estimate errs on the wide side (Noto Sans CJK's Latin letters average
under 0.55 em), so a text judged to fit does fit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

EMU_PER_INCH = 914400
POINTS_PER_INCH = 72
INSET_X, INSET_Y = 0.1, 0.05  # inches, python-pptx's default text frame insets
LINE = 1.2


def em_width(text: str) -> float:
    """Width of ``text`` in ems."""
    width = 0.0
    for char in text:
        if ord(char) >= 0x2E80 or char in "、。「」（）：％":
            width += 1.0
        elif char == " ":
            width += 0.3
        elif char.isupper() or char in "%@#&MW":
            width += 0.68
        else:
            width += 0.55
    return width


def lines_needed(text: str, size_pt: float, width_in: float) -> int:
    """Lines a paragraph takes in a frame ``width_in`` wide (at least one)."""
    available = max(width_in - 2 * INSET_X, 0.1) * POINTS_PER_INCH / size_pt  # in ems
    return max(1, math.ceil(em_width(text) / available))


def height_needed(paragraphs: Iterable[tuple[str, float]], width_in: float) -> float:
    """Height in inches that ``(text, size_pt)`` paragraphs take in a frame ``width_in`` wide."""
    total = (
        sum(lines_needed(text, size, width_in) * size * LINE for text, size in paragraphs)
        / POINTS_PER_INCH
    )
    return total + 2 * INSET_Y


def fits(paragraphs: list[tuple[str, float]], width_in: float, height_in: float) -> bool:
    return height_needed(paragraphs, width_in) <= height_in


def fit_size(
    texts: list[str], width_in: float, height_in: float, size: float, minimum: float
) -> float | None:
    """The largest size from ``size`` down to ``minimum`` (half points) at which ``texts`` fit, or
    None.
    """
    while size >= minimum:
        if fits([(t, size) for t in texts], width_in, height_in):
            return size
        size -= 0.5
    return None


def text_width(text: str, size: float) -> float:
    """Estimated width in pixels of ``text`` at ``size`` px on a map (CJK 1 em, capitals 0.68 em,
    others 0.56 em): where a name fits beside its municipality, how wide a legend is.
    """
    width = 0.0
    for char in text:
        if ord(char) >= 0x2E80:
            width += 1.0
        elif char == " ":
            width += 0.3
        elif char.isupper():
            width += 0.68
        else:
            width += 0.56
    return width * size
