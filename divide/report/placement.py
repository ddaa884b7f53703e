"""Place-name labels without overlaps: greedy placement in pixels, largest population first.

Each municipality's label is tried at the visual centre of its largest polygon (``polylabel``), then
just above, below, right and left of it. A position is taken when the label's box (estimated from
the characters: a kanji or kana is one em wide, Latin letters about 0.6 em) stays inside its panel,
clear of every label already placed and of every marker (offices, proposed sites), and reads as the
right place: its centre lies in its municipality, or it touches its municipality and no other (an
island's name in the sea beside it). Municipalities are taken in order of population, so where a
prefecture has more names than room (Hokkaido's 179) the larger places are named and the rest keep
their name in the hover. The boxes placed are returned with the labels so that a test can check that
none overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from divide.report.mapview import MapView
from divide.report.textfit import text_width

GAP = 2.0  # pixels kept between labels
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the plotting area


@dataclass(frozen=True)
class Label:
    code: str
    text: str
    suffix: str  # the panel
    x: float  # data coordinates of the label's centre
    y: float
    box: Box
    leader: tuple[float, float] | None = None  # data coordinates a leader line points to, if any


def _overlaps(box: Box, others: list[Box]) -> bool:
    x0, y0, x1, y1 = box
    return any(
        x0 < b[2] + GAP and b[0] < x1 + GAP and y0 < b[3] + GAP and b[1] < y1 + GAP for b in others
    )


def _anchor(geometry: shapely.Geometry) -> shapely.Point:
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area)
    try:
        return polylabel(largest, tolerance=max(np.sqrt(largest.area) / 50, 1e-5))
    except Exception:  # degenerate polygon: its representative point will do
        return largest.representative_point()


def marker_boxes(view: MapView, lon: np.ndarray, lat: np.ndarray, size: float) -> list[Box]:
    """Pixel boxes of markers (``size`` px across), in the panel each point falls in."""
    boxes = []
    for suffix, x, y in zip(view.panel_of_points(lon, lat), lon, lat, strict=True):
        panel = next(p for p in view.views if p.suffix == suffix)
        px, py = panel.to_pixels(np.array([x]), np.array([y]))
        half = size / 2 + 1
        boxes.append(
            (float(px[0]) - half, float(py[0]) - half, float(px[0]) + half, float(py[0]) + half)
        )
    return boxes


def _offsets(
    panel: object, geometry: shapely.Geometry, width: float, height: float
) -> list[tuple[float, float]]:
    """Positions to try, in pixels from the anchor: centred first, beside first when the label would
    hide the shape.
    """
    x0, y0, x1, y1 = geometry.bounds
    px, py = panel.to_pixels(np.array([x0, x1]), np.array([y0, y1]))
    around = [
        (width / 2 + 5, 0.0),
        (-width / 2 - 5, 0.0),
        (0.0, height * 0.9),
        (0.0, -height * 0.9),
    ]
    near = [
        (0.0, height * 0.55),
        (0.0, -height * 0.55),
        (width * 0.3, height * 0.6),
        (-width * 0.3, height * 0.6),
        (width * 0.3, -height * 0.6),
        (-width * 0.3, -height * 0.6),
        (0.0, height * 1.5),
        (0.0, -height * 1.5),
    ]
    if width > 0.8 * abs(px[1] - px[0]) or height > 0.8 * abs(py[1] - py[0]):
        small = abs(px[1] - px[0]) / 2
        return [(dx + np.sign(dx) * small, dy) for dx, dy in around[:2]] + around[2:] + [(0.0, 0.0)]
    return [(0.0, 0.0), *near[:2], *around, *near[2:]]


class _Owners:
    """Which municipalities a label box would cover, so that a name never sits on a neighbour."""

    def __init__(self, view: MapView) -> None:
        self.codes = list(view.geometry.index)
        self.geometry = view.geometry
        self.tree = shapely.STRtree(view.geometry.to_numpy())

    def reads_right(self, code: str, centre: shapely.Point, box: shapely.Geometry) -> bool:
        """The label's centre lies in its municipality, or the label touches it and no other (e.g.
        in the sea).
        """
        own = self.geometry[code]
        if own.contains(centre):
            return True
        if not box.intersects(own):
            return False
        others = [self.codes[i] for i in self.tree.query(box, predicate="intersects")]
        return all(other == code for other in others)


def _leader_offsets(height: float) -> list[tuple[float, float]]:
    """Positions further out, on rings of growing radius, for a label drawn with a leader line."""
    angles = np.deg2rad(np.arange(0, 360, 22.5))  # sixteen directions, the nearest ring first
    return [
        (float(np.cos(angle)) * radius * height, float(np.sin(angle)) * radius * height)
        for radius in (1.6, 2.4, 3.2, 4.0, 5.0, 6.5, 8.0, 10.0)
        for angle in angles
    ]


def _into_panel(centre: float, width: float, left: float, panel_width: float) -> float:
    """The horizontal centre of a ``width``-wide label moved the least so that it lies inside the
    panel (a thin inset such as 大東諸島 has no room beside its islands, only above and below).
    """
    low, high = left + 1 + width / 2, left + panel_width - 1 - width / 2
    return centre if high < low else min(max(centre, low), high)


def place_labels(
    view: MapView,
    texts: pd.Series,
    priority: pd.Series,
    *,
    size: float,
    obstacles: Sequence[Box] = (),
    leaders: bool = False,
    anywhere: bool = False,
) -> list[Label]:
    """Labels for ``texts`` (one per municipality) that fit without overlapping, in ``priority``
    order. With ``leaders``, a label that finds no room on or beside its municipality is set
    further out with a line pointing to it (a key number in a crowd of small towns). With
    ``anywhere``, one that finds no free room at all is set on its municipality regardless: a
    number the key explains must be on the map, even over another (Hokkaido's 117).
    """
    placed: list[Label] = []
    taken = list(obstacles)
    owners = _Owners(view)
    height = 1.2 * size
    for code in priority.reindex(texts.index).sort_values(ascending=False).index:
        panel = next(p for p in view.views if p.suffix == view.suffix(code))
        anchor = _anchor(view.geometry[code])
        px, py = (float(v[0]) for v in panel.to_pixels(np.array([anchor.x]), np.array([anchor.y])))
        width = text_width(str(texts[code]), size) + 2
        left, bottom, panel_w, panel_h = panel.box
        scale_x = (panel.x_range[1] - panel.x_range[0]) / panel_w
        scale_y = (panel.y_range[1] - panel.y_range[0]) / panel_h
        offsets = _offsets(panel, view.geometry[code], width, height)
        tries = [(offset, False) for offset in offsets]
        if leaders:
            tries += [(offset, True) for offset in _leader_offsets(height)]
        for (dx, dy), with_leader in tries:
            if with_leader:  # set apart anyway: slid into the panel where the offset leaves it
                dx = _into_panel(px + dx, width, left, panel_w) - px
            box = (
                px + dx - width / 2,
                py + dy - height / 2,
                px + dx + width / 2,
                py + dy + height / 2,
            )
            inside = (
                box[0] >= left + 1
                and box[2] <= left + panel_w - 1
                and box[1] >= bottom + 1
                and box[3] <= bottom + panel_h - 1
            )
            if not inside or _overlaps(box, taken):
                continue
            centre = shapely.Point(anchor.x + dx * scale_x, anchor.y + dy * scale_y)
            area = shapely.box(
                centre.x - width / 2 * scale_x,
                centre.y - height / 2 * scale_y,
                centre.x + width / 2 * scale_x,
                centre.y + height / 2 * scale_y,
            )
            if not with_leader and not owners.reads_right(code, centre, area):
                continue  # a name on a neighbour, or floating away from its municipality, misleads
            leader = (anchor.x, anchor.y) if with_leader else None
            placed.append(
                Label(code, str(texts[code]), panel.suffix, centre.x, centre.y, box, leader)
            )
            taken.append(box)
            break
        else:
            if anywhere:
                x = _into_panel(px, width, left, panel_w)
                box = (x - width / 2, py - height / 2, x + width / 2, py + height / 2)
                centre_x = anchor.x + (x - px) * scale_x
                placed.append(Label(code, str(texts[code]), panel.suffix, centre_x, anchor.y, box))
                taken.append(box)
    return placed


def leader_traces(labels: list[Label], colour: str = "#0b3d91") -> list[dict]:
    """Thin lines from each label set apart to the place it names (one trace per panel)."""
    traces = []
    for suffix in sorted({label.suffix for label in labels if label.leader}):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for label in labels:
            if label.suffix == suffix and label.leader:
                xs += [label.leader[0], label.x, None]
                ys += [label.leader[1], label.y, None]
        traces.append(
            dict(
                type="scatter",
                mode="lines",
                x=xs,
                y=ys,
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                line=dict(color=colour, width=0.8),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    return traces


def label_traces(
    labels: list[Label], size: float, *, colour: str = "#111111", bold: bool = False
) -> list[dict]:
    """One text trace per panel; dark text with a white halo reads on any fill (and on hatching)."""
    traces = []
    for suffix in sorted({label.suffix for label in labels}):
        mine = [label for label in labels if label.suffix == suffix]
        traces.append(
            dict(
                type="scatter",
                mode="text",
                x=[label.x for label in mine],
                y=[label.y for label in mine],
                text=[f"<b>{label.text}</b>" if bold else label.text for label in mine],
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                textfont=dict(
                    size=size, color=colour, shadow="1px 1px 2px white, -1px -1px 2px white"
                ),
                textposition="middle center",
                hoverinfo="skip",
                showlegend=False,
                meta={"labels": [list(label.box) for label in mine]},
            )
        )
    return traces
