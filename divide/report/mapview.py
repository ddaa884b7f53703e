"""Where a map is drawn: the canvas (screen, A4 page, slide), the main panel and insets for remote
islands.

A prefecture with islands far off its coast (Tokyo's 伊豆・小笠原, Kagoshima's 奄美, Okinawa's 先島)
would shrink its main area to a smudge if everything were drawn at one scale. As on Japanese
official maps, groups of municipalities far from the main area are drawn in insets (framed panels at
their own scale) in the column under the legend, so that the main area fills the map. Far-flung
specks of a municipality (小笠原村's 沖ノ鳥島 and 南鳥島, 1,000 km from 父島) are left out of the
drawing, and a note says so.

Every panel's data range is made to match its pixel box exactly (same scale in x and y at the map's
latitude), so that label placement (:mod:`divide.report.placement`) can work in pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from divide.report.textfit import text_width

FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
KM_PER_DEGREE = 111.32
TRIM_KM = 60.0  # parts of a municipality further than this from its largest part are not drawn
GROUP_KM = 60.0  # municipalities closer than this belong to one group (an island chain)
MERGE_GROWTH = 0.5  # a group joins the main panel when the main box grows by less than this share
MAX_INSETS = 3


@dataclass(frozen=True)
class Canvas:
    """A drawing surface: size in CSS pixels, whether the title and credits are inside, font sizes."""

    name: str
    width: int
    height: int
    title: bool
    credits: bool
    font: int
    label_font: int
    legend_width: int

    def margins(self, credit_lines: int) -> dict[str, int]:
        bottom = 16 + 12 * credit_lines if self.credits else 8
        return dict(l=8, r=8, t=74 if self.title else 8, b=bottom)


SCREEN = Canvas("screen", 1100, 780, True, True, 12, 11, 250)
PAGE = Canvas(
    "page", 1123, 794, True, True, 12, 10, 250
)  # A4 landscape at 96 dpi (PDF: scale 0.75 → pt)
SLIDE = Canvas("slide", 1200, 600, False, False, 14, 12, 270)  # the body of a 16:9 slide
CARD = Canvas("card", 560, 600, False, False, 12, 12, 0)  # the locator of a profile card


@dataclass(frozen=True)
class Panel:
    """One map panel: its municipalities, its plotly axes suffix ("" for the main), data range and
    pixel box.
    """

    suffix: str
    codes: tuple[str, ...]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    box: tuple[
        float, float, float, float
    ]  # left, bottom, width, height in pixels from the figure's bottom-left
    ratio: float  # degrees of latitude per degree of longitude on screen

    def to_pixels(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        left, bottom, width, height = self.box
        px = left + (np.asarray(x) - self.x_range[0]) / (self.x_range[1] - self.x_range[0]) * width
        py = (
            bottom
            + (np.asarray(y) - self.y_range[0]) / (self.y_range[1] - self.y_range[0]) * height
        )
        return px, py


def _km_xy(geometry: shapely.Geometry, lat0: float) -> shapely.Geometry:
    scale = np.array([KM_PER_DEGREE * np.cos(np.radians(lat0)), KM_PER_DEGREE])
    return shapely.transform(geometry, lambda xy: xy * scale)


def trimmed(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoSeries, list[str]]:
    """Geometries without far-flung specks (parts > TRIM_KM from the largest part), and the codes
    trimmed.
    """
    lat0 = float(np.mean(frame.total_bounds[[1, 3]]))
    out, cut = {}, []
    for code, geometry in frame.geometry.items():
        parts = list(getattr(geometry, "geoms", [geometry])) if geometry is not None else []
        if len(parts) <= 1:
            out[code] = geometry
            continue
        largest = max(parts, key=lambda p: p.area)
        core = _km_xy(largest, lat0)
        kept = [p for p in parts if core.distance(_km_xy(p, lat0)) <= TRIM_KM]
        if len(kept) < len(parts):
            cut.append(code)
        out[code] = shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]
    return gpd.GeoSeries(out, crs=frame.crs).reindex(frame.index), cut


def _groups(geometry: gpd.GeoSeries) -> list[list[str]]:
    """Municipalities linked by chains of neighbours closer than GROUP_KM (single linkage)."""
    lat0 = float(np.mean(geometry.total_bounds[[1, 3]]))
    metric = gpd.GeoSeries([_km_xy(g, lat0) for g in geometry], index=geometry.index)
    tree = shapely.STRtree(metric.to_numpy())
    left, right = tree.query(metric.to_numpy(), predicate="dwithin", distance=GROUP_KM)
    parent = list(range(len(metric)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(left, right, strict=True):
        parent[root(int(a))] = root(int(b))
    labels = pd.Series([root(i) for i in range(len(metric))], index=metric.index)
    return [list(group.index) for _, group in labels.groupby(labels)]


def _area(bounds: np.ndarray, ratio: float) -> float:
    return float((bounds[2] - bounds[0]) * (bounds[3] - bounds[1]) * ratio)


def split_remote(
    frame: gpd.GeoDataFrame, geometry: gpd.GeoSeries, weight: pd.Series
) -> list[list[str]]:
    """[main codes, inset group codes …]: groups far enough to shrink the main area go to insets."""
    groups = sorted(_groups(geometry), key=lambda g: -float(weight.reindex(g).sum()))
    main, insets = list(groups[0]), []
    lat0 = float(np.mean(geometry.total_bounds[[1, 3]]))
    ratio = 1 / np.cos(np.radians(lat0))
    box = geometry.reindex(main).total_bounds

    def distance(group: list[str]) -> float:
        return float(shapely.distance(geometry.reindex(group).to_numpy(), shapely.box(*box)).min())

    for group in sorted(groups[1:], key=distance):
        grown = np.r_[
            np.minimum(box[:2], geometry.reindex(group).total_bounds[:2]),
            np.maximum(box[2:], geometry.reindex(group).total_bounds[2:]),
        ]
        if _area(grown, ratio) <= (1 + MERGE_GROWTH) * _area(box, ratio):
            main += group
            box = grown
        else:
            insets.append(list(group))
    while len(insets) > MAX_INSETS:  # merge the two insets whose boxes are closest
        centres = [shapely.box(*geometry.reindex(g).total_bounds).centroid for g in insets]
        pairs = [
            (centres[i].distance(centres[j]), i, j)
            for i in range(len(insets))
            for j in range(i + 1, len(insets))
        ]
        _, i, j = min(pairs)
        insets[i] += insets.pop(j)
    return [main, *insets]


def _fit(
    bounds: np.ndarray, slot: tuple[float, float, float, float], ratio: float, pad: float = 0.03
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float, float, float]]:
    """Data ranges filling ``slot`` (left, bottom, width, height px) at one scale, centred on
    ``bounds``.
    """
    x0, y0, x1, y1 = bounds
    dx, dy = max(x1 - x0, 1e-3) * (1 + 2 * pad), max(y1 - y0, 1e-3) * (1 + 2 * pad)
    _, _, width, height = slot
    scale = min(width / dx, height / (dy * ratio))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_x, half_y = width / (2 * scale), height / (2 * scale * ratio)
    return (cx - half_x, cx + half_x), (cy - half_y, cy + half_y), slot


def legend_size(canvas: Canvas, legend: list[str]) -> tuple[float, float]:
    """Estimated width and height in pixels of the legend box (title line, method line, one line per
    entry).
    """
    if not canvas.legend_width:
        return 0.0, 0.0
    widest = max([text_width(text, canvas.font) for text in legend] or [0.0])
    return max(float(canvas.legend_width), widest + 56), (len(legend) + 2) * (canvas.font + 8) + 16


def panels(
    geometry: gpd.GeoSeries,
    groups: list[list[str]],
    canvas: Canvas,
    credit_lines: int,
    legend: list[str],
    weight: pd.Series | None = None,
    key_height: float = 0.0,
) -> tuple[list[Panel], tuple[float, float, float, float]]:
    """The main panel and the insets, placed on ``canvas`` (boxes in pixels of the plotting area).

    The legend and the insets share a column on the right. The column's room goes to the insets by
    the people they hold, not by their extent: of the arrangements tried (stacked or side by side,
    shared by people or by shape), the one that draws the smallest populated municipality (1,000+
    residents) largest is kept, so that 宮古島市 is not a speck beside an empty 大東 panel.
    ``key_height`` pixels at the foot of the column are kept for a numbered key of names (returned
    as its box: left, bottom, width, height).
    """
    margin = canvas.margins(credit_lines)
    width = canvas.width - margin["l"] - margin["r"]
    height = canvas.height - margin["t"] - margin["b"]
    lat0 = float(np.mean(geometry.reindex(groups[0]).total_bounds[[1, 3]]))
    ratio = 1 / np.cos(np.radians(lat0))
    legend_width, legend_height = legend_size(canvas, legend)
    column = max(legend_width, 0.3 * width if len(groups) > 1 else 0.0)
    main_slot = (0.0, 0.0, float(width - column - 8), float(height))
    x_range, y_range, box = _fit(geometry.reindex(groups[0]).total_bounds, main_slot, ratio)
    out = [Panel("", tuple(groups[0]), x_range, y_range, box, ratio)]
    key_box = (float(width - column + 8.0), 4.0, float(column - 12.0), float(key_height))
    if len(groups) == 1:
        return out, key_box
    free = max(height - legend_height - 8 - INSET_TITLE - key_height, 0.25 * height)
    weight = weight if weight is not None else pd.Series(1.0, index=geometry.index)
    insets = [_Inset(geometry, group, weight, ratio) for group in groups[1:]]
    slots = [
        (x, y + key_height, w, h)
        for x, y, w, h in _inset_slots(insets, width - column + 8.0, column - 8.0, free)
    ]
    for position, (inset, slot) in enumerate(zip(insets, slots, strict=True), start=2):
        x_range, y_range, box = _fit(inset.bounds, slot, ratio, pad=0.08)
        out.append(Panel(str(position), tuple(inset.codes), x_range, y_range, box, ratio))
    return out, key_box


INSET_TITLE = 16  # pixels above each inset for its title
READABLE_FROM = 1000  # residents: a municipality this large must be readable on the map


@dataclass(frozen=True)
class _Inset:
    """A group of municipalities drawn in an inset: its extent, people and smallest readable part."""

    codes: list[str]
    bounds: np.ndarray
    span: tuple[float, float]  # width and height of the extent (degrees, height at the map's scale)
    people: float
    smallest: float  # area (degrees², at the map's scale) of its smallest populated municipality

    def __init__(
        self, geometry: gpd.GeoSeries, codes: list[str], weight: pd.Series, ratio: float
    ) -> None:
        bounds = geometry.reindex(codes).total_bounds
        people = weight.reindex(codes).fillna(0)
        populated = [c for c in codes if people[c] >= READABLE_FROM] or codes
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "bounds", bounds)
        object.__setattr__(
            self,
            "span",
            (max(bounds[2] - bounds[0], 1e-3), max(bounds[3] - bounds[1], 1e-3) * ratio),
        )
        object.__setattr__(self, "people", float(people.sum()))
        object.__setattr__(
            self, "smallest", float(min(geometry[c].area for c in populated)) * ratio
        )


def _shares(insets: list[_Inset], by: str) -> np.ndarray:
    if by == "people":
        weights = np.sqrt(np.array([max(i.people, 1.0) for i in insets]))
    else:
        weights = np.array([i.span[1] / i.span[0] for i in insets])
    return weights / weights.sum()


def _inset_slots(
    insets: list[_Inset], left: float, width: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Slots for the insets in the column (left, width) below the legend (height), each with room
    for its title above.
    """

    def stacked(by: str) -> list[tuple[float, float, float, float]]:
        wanted = np.array([dy / dx * width for dx, dy in (i.span for i in insets)])
        sizes = np.minimum(wanted + INSET_TITLE, _shares(insets, by) * height)
        spare = height - sizes.sum()
        if spare > 0:  # room left: to those that would be drawn larger with it
            room = np.maximum(wanted + INSET_TITLE - sizes, 0)
            sizes += room / max(room.sum(), 1e-9) * min(spare, room.sum())
        tops = height - np.cumsum(sizes)
        return [
            (left + 4, float(top) + 6, width - 8, float(size) - 12 - INSET_TITLE)
            for top, size in zip(tops, sizes, strict=True)
        ]

    def side_by_side(by: str) -> list[tuple[float, float, float, float]]:
        wanted = np.array([max(dx / dy * height, 84.0) for dx, dy in (i.span for i in insets)])
        sizes = np.minimum(wanted, _shares(insets, by) * width)
        sizes *= width / max(sizes.sum(), 1e-9) if sizes.sum() < width else 1.0
        lefts = left + np.r_[0.0, np.cumsum(sizes)[:-1]]
        return [
            (float(x) + 4, 6.0, float(size) - 8, height - 12 - INSET_TITLE)
            for x, size in zip(lefts, sizes, strict=True)
        ]

    def smallest_drawn(slots: list[tuple[float, float, float, float]]) -> float:
        scales = [
            min(max(w, 1.0) / i.span[0], max(h, 1.0) / i.span[1])
            for (_, _, w, h), i in zip(slots, insets, strict=True)
        ]
        return min(s * s * i.smallest for s, i in zip(scales, insets, strict=True))

    options = [stacked("people"), stacked("shape"), side_by_side("people"), side_by_side("shape")]
    return max(options, key=smallest_drawn)


def axes_layout(views: list[Panel], canvas: Canvas, credit_lines: int) -> dict:
    """Plotly axes (one pair per panel) and the frames drawn around insets."""
    margin = canvas.margins(credit_lines)
    width = canvas.width - margin["l"] - margin["r"]
    height = canvas.height - margin["t"] - margin["b"]
    layout: dict = {"shapes": []}
    for view in views:
        left, bottom, w, h = view.box
        x_domain = [max(left / width, 0.0), min((left + w) / width, 1.0)]
        y_domain = [max(bottom / height, 0.0), min((bottom + h) / height, 1.0)]
        layout[f"xaxis{view.suffix}"] = dict(
            visible=False,
            range=list(view.x_range),
            domain=x_domain,
            anchor=f"y{view.suffix}",
            fixedrange=False,
        )
        layout[f"yaxis{view.suffix}"] = dict(
            visible=False,
            range=list(view.y_range),
            domain=y_domain,
            anchor=f"x{view.suffix}",
            scaleanchor=f"x{view.suffix}",
            scaleratio=view.ratio,
            constrain="range",
        )
        if view.suffix:
            layout["shapes"].append(
                dict(
                    type="rect",
                    xref="paper",
                    yref="paper",
                    x0=x_domain[0],
                    x1=x_domain[1],
                    y0=y_domain[0],
                    y1=y_domain[1],
                    line=dict(color="#888888", width=1),
                )
            )
    return layout


@dataclass(frozen=True)
class MapView:
    """A prefecture's map on a canvas: drawn geometry, panels, which panel each municipality is in."""

    geometry: gpd.GeoSeries
    views: tuple[Panel, ...]
    trimmed: tuple[str, ...]
    canvas: Canvas
    key_box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def suffix(self, code: str) -> str:
        for view in self.views:
            if code in view.codes:
                return view.suffix
        return ""

    def panel_of_points(self, lon: np.ndarray, lat: np.ndarray) -> list[str]:
        """The panel suffix each point falls in (by the panels' data ranges; the main panel
        otherwise).
        """
        out = []
        for x, y in zip(lon, lat, strict=True):
            inside = [
                v.suffix
                for v in self.views[1:]
                if v.x_range[0] <= x <= v.x_range[1] and v.y_range[0] <= y <= v.y_range[1]
            ]
            out.append(inside[0] if inside else "")
        return out


def map_view(
    frame: gpd.GeoDataFrame,
    canvas: Canvas,
    *,
    credit_lines: int = 0,
    legend: list[str] | None = None,
    weight: pd.Series | None = None,
    key_height: float = 0.0,
) -> MapView:
    """Lay ``frame``'s municipalities out on ``canvas``: remote groups in insets, specks trimmed.

    Examples
    --------
    >>> import divide
    >>> tokyo = divide.load_frame("13").municipalities
    >>> view = map_view(tokyo, SLIDE)
    >>> len(view.views) > 1, "13421" in view.views[0].codes  # 小笠原村 is drawn in an inset
    (True, False)
    """
    geometry, cut = trimmed(frame)
    weight = (
        weight
        if weight is not None
        else (frame["population"] if "population" in frame else pd.Series(1.0, index=frame.index))
    )
    groups = split_remote(frame, geometry, weight) if len(frame) > 1 else [list(frame.index)]
    legend = legend if legend is not None else ["legend entry"] * 6
    views, key_box = panels(geometry, groups, canvas, credit_lines, legend, weight, key_height)
    return MapView(geometry, tuple(views), tuple(cut), canvas, key_box)


def titled(
    layout: dict, canvas: Canvas, title: str, subtitle: str, lines: list[str], *, gap: int
) -> dict:
    """``layout`` with the canvas's title (and subtitle) and the credit/note lines ``gap`` px below
    the plot.
    """
    if canvas.title:
        layout["title"] = dict(
            text=title,
            x=0.01,
            xanchor="left",
            font=dict(size=canvas.font + 6),
            subtitle=dict(text=subtitle, font=dict(size=canvas.font, color="#555555")),
        )
    if lines:
        layout["annotations"].append(
            dict(
                text="<br>".join(lines),
                x=0,
                y=0,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                yshift=-gap,
                showarrow=False,
                align="left",
                font=dict(size=max(canvas.font - 3, 8), color="#555555"),
            )
        )
    return layout
