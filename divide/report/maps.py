"""Maps as plotly figures drawn from our own boundaries: no CDN geographies, no tile servers.

Municipalities are filled polygons on plain axes (longitude, latitude at the map's scale), one trace
per municipality so that hovering anywhere on it shows its figures; legend entries are classes, and
the legend title says the unit and how the classes were made. Plotly's ``geo`` traces are not used:
plotly.js fetches a world outline from its CDN for them even when hidden, which fails on municipal
networks.

A map is drawn for a :class:`~divide.report.mapview.Canvas` (the HTML screen, an A4 page, a slide
body): remote islands go to insets (:mod:`divide.report.mapview`), place names are placed without
overlaps (:mod:`divide.report.placement`), the title and credit lines are inside the figure only
where the canvas has room for them (a slide carries its own). Polygons are drawn largest first, so
that an enclave is painted over the municipality around it. ``layout.meta['divide']`` records the
polygon traces (for :mod:`divide.report.html` to share borders), the notes a slide must print, and
the label boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from divide.report.classify import NO_DATA_COLOUR, choose_classes, formatter, palette
from divide.report.mapview import (
    FONT,
    SCREEN,
    Canvas,
    MapView,
    axes_layout,
    legend_size,
    map_view,
    titled,
)
from divide.report.placement import (
    label_traces,
    leader_traces,
    marker_boxes,
    place_labels,
)
from divide.report.textfit import text_width
from divide.report.words import MAP_NOTES, NO_DATA, inset_title
from divide.validation import check_lang


@dataclass
class PointLayer:
    """Points drawn over a map: lon, lat, hover names, a legend name; black and white so they read
    on any fill.
    """

    lon: Sequence[float]
    lat: Sequence[float]
    names: Sequence[str]
    legend: str
    symbol: str = "circle"
    colour: str = "#000000"
    size: int = 7
    line: str = "#ffffff"


def rings(geometry: object) -> tuple[list[float | None], list[float | None]]:
    """Outer rings of a (multi)polygon as one x and one y list, parts separated by None."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        coords = np.asarray(polygon.exterior.coords)
        xs += [*coords[:, 0].tolist(), None]
        ys += [*coords[:, 1].tolist(), None]
    return xs, ys


def names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Municipality names in the requested language (romaji falls back to Japanese where unknown).

    Two English names that differ only in City / Town / Village (Tokyo's 豊島区 "Toshima City" and
    利島村 "Toshima Village") read alike on a map: both carry their Japanese name too.
    """
    if lang != "en" or "name_en" not in frame:
        return frame["name_ja"]
    english = frame["name_en"].where(
        frame["name_en"].notna() & (frame["name_en"] != "nan"), frame["name_ja"]
    )
    stem = english.str.replace(r" (City|Town|Village)$", "", regex=True).str.lower()
    alike = stem.duplicated(keep=False) & english.ne(frame["name_ja"])
    return english.where(~alike, english + " (" + frame["name_ja"] + ")")


def _reserved(canvas: Canvas, credits: Sequence[str]) -> int:
    """Lines kept under the map for credits (and given notes) and the two possible notes (insets,
    trimmed islets).
    """
    return len(credits) + 2 if canvas.credits else 0


def _layout(
    view: MapView,
    title: str,
    subtitle: str,
    credits: Sequence[str],
    lang: str,
    legend_title: str,
    legend_note: str,
    given: Sequence[str] = (),
) -> dict:
    canvas = view.canvas
    notes = [
        *given,
        *(
            MAP_NOTES[lang][key]
            for key, present in (("insets", len(view.views) > 1), ("trimmed", bool(view.trimmed)))
            if present
        ),
    ]
    lines = [*credits, *notes] if canvas.credits else []
    margin = canvas.margins(_reserved(canvas, [*credits, *given]))
    legend = legend_title + (
        f"<br><span style='font-size:{canvas.font - 2}px'>{legend_note}</span>"
        if legend_note
        else ""
    )
    layout = dict(
        font=dict(family=FONT, size=canvas.font, color="#222222"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        width=canvas.width,
        height=canvas.height,
        margin=margin,
        hoverlabel=dict(font=dict(family=FONT)),
        legend=dict(
            title=dict(text=legend),
            x=1.0,
            xanchor="right",
            y=1.0,
            yanchor="top",
            tracegroupgap=2,
            bgcolor="rgba(255,255,255,0.95)",
            bordercolor="#999999",
            borderwidth=1,
            font=dict(size=canvas.font),
        ),
        meta={
            "divide": {
                "kind": "map",
                "polygons": [],
                "credits": list(credits),
                "notes": notes,
                "given": list(given),
                "canvas": canvas.name,
            }
        },
        annotations=[],
    )
    return titled(layout, canvas, title, subtitle, lines, gap=6)


def _hover_lines(
    frame: gpd.GeoDataFrame, hover: dict[str, tuple[pd.Series, object]] | None
) -> pd.Series:
    """Extra hover lines; each entry is label -> (values, unit name or formatting function)."""
    text = pd.Series("", index=frame.index)
    for label, (extra, unit) in (hover or {}).items():
        fmt = unit if callable(unit) else formatter(str(unit))
        text = text + [
            f"<br>{label}: {fmt(v) if pd.notna(v) else '–'}" for v in extra.reindex(frame.index)
        ]
    return text


@dataclass(frozen=True)
class Fills:
    """How every municipality is filled: its colour, legend name and hover text, the legend's order,
    and the classes listed even where no municipality falls in them (maps that share one scale show
    the same legend).
    """

    colour: pd.Series
    legend_name: pd.Series
    hover: pd.Series
    order: list[str]
    every_class: dict[str, str] = field(default_factory=dict)  # legend name -> colour


def _empty_class_swatches(fills: Fills, shown: set[str]) -> list[dict]:
    """Legend entries, with nothing drawn, for the classes no municipality of this map falls in."""
    rank = {name: i for i, name in enumerate(fills.order)}
    return [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="lines",
            fill="toself",
            fillcolor=colour,
            line=dict(color="white", width=0.6),
            name=name,
            legendgroup=name,
            showlegend=True,
            legendrank=rank.get(name, 999),
            hoverinfo="skip",
        )
        for name, colour in fills.every_class.items()
        if name not in shown
    ]


def _polygon_traces(view: MapView, fills: Fills) -> tuple[list[dict], list[int]]:
    """One filled trace per municipality, largest first (so enclaves are drawn on top), in its
    panel.
    """
    traces, polygon_positions, shown = [], [], set()
    geometry = view.geometry
    sizes = pd.Series(shapely.area(geometry.to_numpy()), index=geometry.index).sort_values(
        ascending=False
    )
    rank = {name: i for i, name in enumerate(fills.order)}
    for code in sizes.index:
        xs, ys = rings(geometry[code])
        group = fills.legend_name[code]
        suffix = view.suffix(code)
        traces.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=fills.colour[code],
                line=dict(color="white", width=0.6),
                hoveron="fills",
                hoverinfo="text",
                text=fills.hover[code],
                name=group,
                legendgroup=group,
                showlegend=group not in shown,
                legendrank=rank.get(group, 999),
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                meta={"code": code},
            )
        )
        shown.add(group)
        polygon_positions.append(len(traces) - 1)
    return traces + _empty_class_swatches(fills, shown), polygon_positions


def _dark(colour: str) -> bool:
    if not colour.startswith("#") or len(colour) != 7:
        return False
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 110


def hatch_traces(
    view: MapView,
    codes: Sequence[str],
    legend: str,
    shape: str = "/",
    fills: pd.Series | None = None,
) -> list[dict]:
    """Traces that hatch the polygons of ``codes`` over a map, per panel: dark lines on light fills,
    light on dark.

    ``shape``: plotly's pattern ("/" extrapolated, "x" to be checked, "." not verified …), one per
    meaning.
    """
    traces = []
    fills = fills if fills is not None else pd.Series("#ffffff", index=view.geometry.index)
    for panel in view.views:
        for dark in (False, True):
            mine = [
                c for c in codes if c in panel.codes and _dark(str(fills.get(c, "#ffffff"))) == dark
            ]
            xs: list[float | None] = []
            ys: list[float | None] = []
            for code in mine:
                ring_x, ring_y = rings(view.geometry[code])
                xs += ring_x
                ys += ring_y
            if xs:
                ink = "#f2f2f2" if dark else "#222222"
                traces.append(
                    dict(
                        type="scatter",
                        x=xs,
                        y=ys,
                        mode="lines",
                        fill="toself",
                        fillcolor="rgba(0,0,0,0)",
                        fillpattern=dict(shape=shape, fgcolor=ink, size=8, solidity=0.3),
                        line=dict(color="#222222", width=1.2),
                        name=legend,
                        legendgroup=legend,
                        showlegend=not traces,
                        hoverinfo="skip",
                        legendrank=1500,
                        xaxis=f"x{panel.suffix}",
                        yaxis=f"y{panel.suffix}",
                    )
                )
    return traces


def _hatches(
    view: MapView, hatch: Sequence[tuple[Sequence[str], str, str]], fills: pd.Series
) -> list[dict]:
    return [
        trace
        for codes, legend, shape in hatch
        if len(codes)
        for trace in hatch_traces(view, list(codes), legend, shape, fills)
    ]


def _point_traces(view: MapView, points: Sequence[PointLayer]) -> list[dict]:
    traces = []
    for layer in points:
        suffixes = np.array(
            view.panel_of_points(np.asarray(layer.lon, float), np.asarray(layer.lat, float))
        )
        for position, suffix in enumerate(sorted(set(suffixes.tolist()))):
            mine = suffixes == suffix
            traces.append(
                dict(
                    type="scatter",
                    x=list(np.asarray(layer.lon)[mine]),
                    y=list(np.asarray(layer.lat)[mine]),
                    mode="markers",
                    name=layer.legend,
                    legendgroup=layer.legend,
                    showlegend=position == 0,
                    marker=dict(
                        symbol=layer.symbol,
                        color=layer.colour,
                        size=layer.size,
                        line=dict(color=layer.line, width=1.5),
                    ),
                    text=list(np.asarray(layer.names)[mine]),
                    hoverinfo="text",
                    legendrank=2000,
                    xaxis=f"x{suffix}",
                    yaxis=f"y{suffix}",
                )
            )
    return traces


@dataclass(frozen=True)
class MapText:
    """The words of a map: title, subtitle (basis and date), credit lines, notes, legend title."""

    title: str
    credits: Sequence[str]
    lang: str = "ja"
    subtitle: str = ""
    legend_title: str = ""
    notes: Sequence[str] = ()

    def __post_init__(self) -> None:
        check_lang(self.lang, "MapText")


@dataclass(frozen=True)
class Classes:
    """How a choropleth classes its values (:func:`divide.report.classify.choose_classes`).

    ``colours``: a sequential scale (YlOrRd, YlGnBu, Purples, Blues) or a diverging one (RdBu,
    PuOr) with ``centre=True`` for values where zero means something; ``value_format`` overrides
    the unit's number format (small counts as "<10"); ``breaks`` and ``lowest`` give several maps
    one scale and one legend.
    """

    unit: str = ""
    scheme: str = "quantiles"
    k: int = 5
    breaks: Sequence[float] | None = None
    colours: str = "YlOrRd"
    centre: bool = False
    value_format: Callable[[float], str] | None = None
    lowest: float | None = None


@dataclass(frozen=True)
class Layers:
    """What is drawn over the fills, and how the map is read.

    ``points``: marker layers; ``hatch``: (codes, legend, pattern) hatched over the fill;
    ``hover``: extra hover lines, label -> (Series, unit or formatting function); ``hidden``: True
    where the value is printed "X" (disclosure control); ``labels``: place names (False: none);
    ``named``: municipalities that must be named, on the map or, where a name cannot fit, by a
    number with a key beside the map.
    """

    points: Sequence[PointLayer] = ()
    hatch: Sequence[tuple[Sequence[str], str, str]] = ()
    hover: dict[str, tuple[pd.Series, object]] | None = None
    hidden: pd.Series | None = None
    labels: bool | str = "auto"
    named: Sequence[str] = ()


KEY_FONT_DROP = 0  # the numbered key reads like the place names


def _obstacles(view: MapView, points: Sequence[PointLayer]) -> list:
    return [
        box
        for layer in points
        for box in marker_boxes(
            view, np.asarray(layer.lon, float), np.asarray(layer.lat, float), layer.size
        )
    ]


def _place_names(
    view: MapView, frame: gpd.GeoDataFrame, lang: str, layers: Layers
) -> tuple[list, list, list[str]]:
    """(names placed, numbers placed, codes of ``layers.named`` that found no room for a name).

    The named municipalities come first: their names, then a number for each name that found no
    room, and only then the other names, by population, in the room left. A number never gives way
    to the name of a municipality nobody asked about.
    """
    if layers.labels is False:
        return [], [], []
    population = frame["population"] if "population" in frame else pd.Series(1.0, index=frame.index)
    every_name = names(frame, lang)
    named = [c for c in layers.named if c in frame.index]
    size = view.canvas.label_font
    points = _obstacles(view, layers.points)
    placed = place_labels(view, every_name[named], population[named], size=size, obstacles=points)
    done = {label.code for label in placed}
    missing = sorted((c for c in named if c not in done), key=lambda c: -population[c])
    numbers = _numbers(view, [*points, *(label.box for label in placed)], missing)
    others = frame.index.difference(named)
    taken = [*points, *(label.box for label in placed + numbers)]
    placed += place_labels(view, every_name[others], population[others], size=size, obstacles=taken)
    return placed, numbers, missing


def _numbers(view: MapView, taken: list, missing: list[str]) -> list:
    """Number labels (1, 2 …) for the named municipalities whose names found no room; one that
    finds no room on or beside its municipality is set further out with a leader line, and one that
    finds none there either on its municipality all the same (every number of the key is drawn).
    """
    numbers = pd.Series([str(i) for i in range(1, len(missing) + 1)], index=missing)
    fitted = place_labels(
        view,
        numbers,
        pd.Series(range(len(missing), 0, -1), index=missing),
        size=view.canvas.label_font,
        obstacles=taken,
    )
    done = {label.code for label in fitted}
    rest = [code for code in missing if code not in done]
    return fitted + place_labels(
        view,
        numbers[rest],
        pd.Series(range(len(rest), 0, -1), index=rest),
        size=view.canvas.label_font,
        obstacles=[*taken, *(label.box for label in fitted)],
        leaders=True,
        anywhere=True,
    )


def _key_lines(entries: list[str], width: float, size: float) -> list[str]:
    """The key's entries ("3 国見町") packed into lines no wider than ``width`` pixels."""
    lines, line = [], ""
    for entry in entries:
        candidate = f"{line}　{entry}" if line else entry
        if line and text_width(candidate, size) > width:
            lines.append(line)
            candidate = entry
        line = candidate
    return [*lines, line] if line else lines


def _key_height(missing: list[str], canvas: Canvas, width: float) -> float:
    """Pixels the numbered key of ``missing`` names needs in the column."""
    size = canvas.label_font - KEY_FONT_DROP
    entries = [f"{i + 1} {n}" for i, n in enumerate(missing)]
    return (len(_key_lines(entries, width, size)) + 1) * (size + 4) + 4 if missing else 0.0


INSET_SHARE = 0.3  # of the column's height, kept for the insets when a key shares it


def _key_room(view: MapView, legend: list[str], credit_lines: int) -> float:
    """Pixels a key may take in the column under the legend (and beside any insets' share)."""
    canvas = view.canvas
    margin = canvas.margins(credit_lines)
    height = canvas.height - margin["t"] - margin["b"]
    insets = INSET_SHARE * height if len(view.views) > 1 else 0.0
    return height - legend_size(canvas, legend)[1] - 16 - insets


def _key(view: MapView, frame: gpd.GeoDataFrame, lang: str, missing: list[str]) -> list[dict]:
    """The numbered key as an annotation in the column beside the map."""
    if not missing:
        return []
    size = view.canvas.label_font - KEY_FONT_DROP
    place = names(frame, lang)
    entries = [f"<b>{i}</b> {place[c]}" for i, c in enumerate(missing, start=1)]
    plain = [f"{i} {place[c]}" for i, c in enumerate(missing, start=1)]
    left, _bottom, width, _height = view.key_box
    lines, used = [], 0
    for line in _key_lines(plain, width, size):
        count = len(line.split("　"))
        lines.append("　".join(entries[used : used + count]))
        used += count
    margin = view.canvas.margins(0)
    heading = "地図中の番号" if lang == "ja" else "Numbers on the map"
    return [
        dict(
            text="<br>".join([f"<b>{heading}</b>", *lines]),
            xref="paper",
            yref="paper",
            x=left / (view.canvas.width - margin["l"] - margin["r"]),
            y=0.0,
            xanchor="left",
            yanchor="bottom",
            align="left",
            showarrow=False,
            font=dict(size=size, color="#222222"),
        )
    ]


def _inset_titles(view: MapView, frame: gpd.GeoDataFrame, lang: str) -> list[dict]:
    """A title over each inset (伊豆諸島, 宮古・八重山 …), so that a reader knows what it shows."""
    people = frame["population"] if "population" in frame else pd.Series(1.0, index=frame.index)
    place = names(frame, lang)
    out = []
    for panel in view.views[1:]:
        title, size = _fitted_title(
            inset_title(panel.codes, place, people, lang), panel.box[2], view.canvas.label_font
        )
        out.append(
            dict(
                text=f"<b>{title}</b>",
                xref=f"x{panel.suffix} domain",
                yref=f"y{panel.suffix} domain",
                x=0.0,
                y=1.0,
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=size, color="#333333"),
            )
        )
    return out


def _fitted_title(title: str, width: float, size: int) -> tuple[str, float]:
    """An inset's title within its panel's width: smaller type first (to 80 %), then one line per
    part of a joined name (宮古・八重山, "Hachijo and Aogashima"), so that neighbouring titles never
    run into each other.
    """
    bold = 1.1  # bold glyphs are wider than text_width's estimate
    if text_width(title, size) * bold <= width:
        return title, size
    fitting = width / max(text_width(title, 1.0) * bold, 1e-9)
    if fitting >= size * 0.8:
        return title, fitting
    for joiner in ("・", " and ", "、", " "):
        if joiner in title:
            parts = title.split(joiner)
            lines = [part + (joiner.strip() if joiner == "・" else "") for part in parts[:-1]]
            lines.append(parts[-1])
            widest = max(text_width(line, 1.0) for line in lines) * bold
            return "<br>".join(lines), max(min(size, width / max(widest, 1e-9)), size * 0.6)
    if len(title) > 2 and all(ord(char) >= 0x2E80 for char in title):  # 大東諸島 -> 大東 / 諸島
        half = (len(title) + 1) // 2
        lines = [title[:half], title[half:]]
        widest = max(text_width(line, 1.0) for line in lines) * bold
        return "<br>".join(lines), max(min(size, width / max(widest, 1e-9)), size * 0.6)
    return title, size * 0.8


def _draw(
    frame: gpd.GeoDataFrame,
    fills: Fills,
    text: MapText,
    layers: Layers,
    canvas: Canvas,
    legend: tuple[list[str], str],
) -> go.Figure:
    """Lay out, fill, hatch, mark and name a map. ``legend``: its entries and the classing note."""
    entries, note = legend
    credit_lines = _reserved(canvas, [*text.credits, *text.notes])

    def laid_out(key_height: float) -> tuple[MapView, list, list, list[str]]:
        view = map_view(
            frame, canvas, credit_lines=credit_lines, legend=entries, key_height=key_height
        )
        return (view, *_place_names(view, frame, text.lang, layers))

    view, placed, numbers, missing = laid_out(0.0)
    room = _key_room(view, entries, credit_lines)
    overflow = False
    for _ in range(2):  # room for the key shrinks the map a little: place the names again
        if not missing:
            break
        height = _key_height([names(frame, text.lang)[c] for c in missing], canvas, view.key_box[2])
        if height > room:  # the key goes to its own slide or table; the map keeps the numbers
            overflow = True
            break
        view, placed, numbers, missing_now = laid_out(height)
        if len(missing_now) <= len(missing):
            missing = missing_now
            break
        missing = missing_now
    traces, polygons = _polygon_traces(view, fills)
    layout = _layout(
        view,
        text.title,
        text.subtitle,
        text.credits,
        text.lang,
        text.legend_title,
        note,
        text.notes,
    )
    axes = axes_layout(list(view.views), canvas, credit_lines)
    layout = {**layout, **axes}
    meta = layout["meta"]["divide"]
    meta["polygons"] = polygons
    meta["panels"] = {f"x{v.suffix}": list(v.box) for v in view.views}
    titles = _inset_titles(view, frame, text.lang)
    key = [] if overflow else _key(view, frame, text.lang, missing)
    layout["annotations"] = [*layout.get("annotations", []), *titles, *key]
    meta["insets"] = [a["text"] for a in titles]
    # named: by a name on the map, or by a number drawn on the map that the key explains
    meta["named"] = sorted({label.code for label in placed + numbers})
    meta["key"] = list(missing)
    meta["key_overflow"] = overflow
    size = canvas.label_font
    data = (
        traces
        + _hatches(view, layers.hatch, fills.colour)
        + _point_traces(view, layers.points)
        + label_traces(placed, size)
        + leader_traces(numbers)
        + label_traces(numbers, size, colour="#0b3d91", bold=True)
    )
    # the traces and layout are plain dicts built here (tests render them): plotly's per-property
    # validation of hundreds of polygon traces costs more than drawing them
    return go.Figure(data=data, layout=layout, _validate=False)


def choropleth(
    frame: gpd.GeoDataFrame,
    values: str | pd.Series,
    text: MapText,
    *,
    classes: Classes = Classes(),
    layers: Layers = Layers(),
    canvas: Canvas = SCREEN,
) -> go.Figure:
    """A classed choropleth of ``values`` (a frame column or a Series aligned to its index).

    Parameters
    ----------
    frame : GeoDataFrame
        The municipalities to draw (``name_ja``/``name_en``, ``population`` for naming order).
    values : str or Series
        A column of ``frame``, or values aligned to its index.
    text : MapText
        Title, subtitle, credit lines, notes, legend title, language.
    classes : Classes
        Scheme, number of classes, colours, unit and number format.
    layers : Layers
        Points, hatching, hover lines, hidden values, names to show.
    canvas : Canvas
        Screen (HTML), A4 page or slide body.

    Returns
    -------
    plotly Figure

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31").municipalities
    >>> text = divide.MapText("人口密度", divide.credit_lines(["boundaries"]))
    >>> figure = divide.choropleth(frame, "density", text)
    >>> figure.layout.title.text
    '人口密度'
    """
    lang = text.lang
    series = (
        (frame[values] if isinstance(values, str) else values).reindex(frame.index).astype(float)
    )
    fmt = classes.value_format or formatter(classes.unit)
    chosen = choose_classes(
        series,
        colours=classes.colours,
        centre=classes.centre,
        k=classes.k,
        scheme=classes.scheme,
        breaks=classes.breaks,
        lowest=classes.lowest,
    )
    legend = chosen.labels(fmt)
    colour = chosen.classes.map(lambda c: chosen.colours[c] if c >= 0 else NO_DATA_COLOUR)
    legend_names = chosen.classes.map(lambda c: legend[c] if c >= 0 else NO_DATA[lang])
    place = names(frame, lang)
    hidden = layers.hidden if layers.hidden is not None else pd.Series(False, index=frame.index)
    hide = hidden.reindex(frame.index, fill_value=False)
    lines = [
        f"<b>{place[c]}</b><br>{text.legend_title or ''}: "
        f"{'X' if hide[c] else fmt(v) if np.isfinite(v) else NO_DATA[lang]}"
        for c, v in series.items()
    ]
    hover_text = pd.Series(lines, index=frame.index) + _hover_lines(frame, layers.hover)
    entries = [
        *legend,
        NO_DATA[lang],
        *[p.legend for p in layers.points],
        *[h[1] for h in layers.hatch],
        text.legend_title,
    ]
    fills = Fills(
        colour,
        legend_names,
        hover_text,
        [*reversed(legend), NO_DATA[lang]],
        every_class=dict(zip(legend, chosen.colours, strict=True)),
    )
    return _draw(frame, fills, text, layers, canvas, (entries, chosen.describe(lang)))


def category_map(
    frame: gpd.GeoDataFrame,
    categories: pd.Series,
    category_names: dict[str, str],
    text: MapText,
    *,
    colours: dict[str, str] | None = None,
    layers: Layers = Layers(),
    canvas: Canvas = SCREEN,
) -> go.Figure:
    """A map of categories (e.g. support forms), legend in ``category_names`` order.

    Parameters
    ----------
    frame : GeoDataFrame
        The municipalities to draw.
    categories : Series
        The category code of every municipality.
    category_names : dict
        Code -> legend name, in legend order.
    text : MapText
        Title, subtitle, credit lines, notes, legend title, language.
    colours : dict, optional
        Code -> colour, so that a category keeps its colour in every map (default: the Okabe-Ito
        palette in legend order).
    layers : Layers
        Points, hatching, hover lines, names to show.
    canvas : Canvas
        Screen (HTML), A4 page or slide body.

    Returns
    -------
    plotly Figure

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31").municipalities
    >>> kinds = {"whole": "過疎", "none": "過疎でない"}
    >>> text = divide.MapText("過疎", divide.credit_lines(["kaso"]))
    >>> figure = divide.category_map(frame, frame["kaso"], kinds, text)
    >>> len(figure.layout.meta["divide"]["polygons"]) == len(frame)
    True
    """
    lang = text.lang
    keys = list(category_names)
    scale = colours or dict(zip(keys, palette(len(keys), "okabe_ito"), strict=True))
    values = categories.reindex(frame.index)
    colour = values.map(lambda v: scale.get(v, NO_DATA_COLOUR))
    legend_names = values.map(lambda v: category_names.get(v, NO_DATA[lang]))
    place = names(frame, lang)
    hover_text = pd.Series(
        [f"<b>{place[c]}</b><br>{legend_names[c]}" for c in frame.index], index=frame.index
    ) + _hover_lines(frame, layers.hover)
    entries = [
        *category_names.values(),
        NO_DATA[lang],
        *[p.legend for p in layers.points],
        *[h[1] for h in layers.hatch],
        text.legend_title,
    ]
    fills = Fills(colour, legend_names, hover_text, [*category_names.values(), NO_DATA[lang]])
    return _draw(frame, fills, text, layers, canvas, (entries, ""))
