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
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from divide.report.classify import NO_DATA_COLOUR, choose_classes, formatter, palette
from divide.report.mapview import FONT, SCREEN, Canvas, MapView, axes_layout, map_view, titled
from divide.report.placement import label_traces, marker_boxes, place_labels
from divide.report.words import MAP_NOTES, NO_DATA


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
    """Municipality names in the requested language (romaji falls back to Japanese where unknown)."""
    if lang == "en" and "name_en" in frame:
        return frame["name_en"].where(
            frame["name_en"].notna() & (frame["name_en"] != "nan"), frame["name_ja"]
        )
    return frame["name_ja"]


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


def _polygon_traces(
    view: MapView, colours: pd.Series, legend_names: pd.Series, hover: pd.Series, order: list[str]
) -> tuple[list[dict], list[int]]:
    """One filled trace per municipality, largest first (so enclaves are drawn on top), in its
    panel.
    """
    traces, polygon_positions, shown = [], [], set()
    geometry = view.geometry
    sizes = pd.Series(shapely.area(geometry.to_numpy()), index=geometry.index).sort_values(
        ascending=False
    )
    rank = {name: i for i, name in enumerate(order)}
    for code in sizes.index:
        xs, ys = rings(geometry[code])
        group = legend_names[code]
        suffix = view.suffix(code)
        traces.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=colours[code],
                line=dict(color="white", width=0.6),
                hoveron="fills",
                hoverinfo="text",
                text=hover[code],
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
    return traces, polygon_positions


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


def _labels(
    view: MapView,
    frame: gpd.GeoDataFrame,
    lang: str,
    labels: bool | str,
    points: Sequence[PointLayer],
) -> list[dict]:
    if labels is False:
        return []
    obstacles = [
        box
        for layer in points
        for box in marker_boxes(
            view, np.asarray(layer.lon, float), np.asarray(layer.lat, float), layer.size
        )
    ]
    priority = frame["population"] if "population" in frame else pd.Series(1.0, index=frame.index)
    placed = place_labels(
        view, names(frame, lang), priority, size=view.canvas.label_font, obstacles=obstacles
    )
    return label_traces(placed, view.canvas.label_font)


def _figure(
    view: MapView,
    frame: gpd.GeoDataFrame,
    traces: list[dict],
    polygons: list[int],
    layout: dict,
    *,
    lang: str,
    labels: bool | str,
    points: Sequence[PointLayer],
    extra: Sequence[dict],
) -> go.Figure:
    meta = layout["meta"]["divide"]
    axes = axes_layout(
        list(view.views), view.canvas, _reserved(view.canvas, [*meta["credits"], *meta["given"]])
    )
    layout = {**layout, **axes}
    layout["meta"]["divide"]["polygons"] = polygons
    layout["meta"]["divide"]["panels"] = {f"x{v.suffix}": list(v.box) for v in view.views}
    data = (
        traces
        + list(extra)
        + _point_traces(view, points)
        + _labels(view, frame, lang, labels, points)
    )
    # the traces and layout are plain dicts built here (tests render them): plotly's per-property
    # validation of hundreds of polygon traces costs more than drawing them
    return go.Figure(data=data, layout=layout, _validate=False)


def choropleth(
    frame: gpd.GeoDataFrame,
    values: str | pd.Series,
    *,
    title: str,
    credits: Sequence[str],
    lang: str = "ja",
    unit: str = "",
    scheme: str = "quantiles",
    k: int = 5,
    breaks: Sequence[float] | None = None,
    colours: str = "YlOrRd",
    centre: bool = False,
    labels: bool | str = "auto",
    points: Sequence[PointLayer] = (),
    hover: dict[str, tuple[pd.Series, object]] | None = None,
    legend_title: str = "",
    value_format: Callable[[float], str] | None = None,
    hidden: pd.Series | None = None,
    hatch: Sequence[tuple[Sequence[str], str, str]] = (),
    subtitle: str = "",
    canvas: Canvas = SCREEN,
    notes: Sequence[str] = (),
) -> go.Figure:
    """A classed choropleth of ``values`` (a frame column or a Series aligned to its index).

    ``colours``: a sequential scale (YlOrRd, YlGnBu, Purples, Blues) or a diverging one (RdBu, PuOr)
    with ``centre=True`` for values where zero means something: the scale diverges only when the
    values lie on both sides of zero (:func:`divide.report.classify.choose_classes`). ``hover``:
    extra lines, label -> (Series, unit or formatting function). ``value_format`` overrides the
    unit's number format (small counts as "<10"); ``hidden`` (bool per municipality) prints "X" in
    place of the value (disclosure control: the colour class stays). ``hatch``: (codes, legend,
    pattern) hatched over the fill.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31").municipalities
    >>> credits = divide.credit_lines(["boundaries"])
    >>> figure = divide.choropleth(frame, "density", title="人口密度", credits=credits)
    >>> figure.layout.title.text
    '人口密度'
    """
    series = (
        (frame[values] if isinstance(values, str) else values).reindex(frame.index).astype(float)
    )
    fmt = value_format or formatter(unit)
    chosen = choose_classes(
        series, colours=colours, centre=centre, k=k, scheme=scheme, breaks=breaks
    )
    legend = chosen.labels(fmt)
    colour = chosen.classes.map(lambda c: chosen.colours[c] if c >= 0 else NO_DATA_COLOUR)
    legend_names = chosen.classes.map(lambda c: legend[c] if c >= 0 else NO_DATA[lang])
    place = names(frame, lang)
    hide = (pd.Series(False, index=frame.index) if hidden is None else hidden).reindex(
        frame.index, fill_value=False
    )
    lines = [
        f"<b>{place[c]}</b><br>{legend_title or ''}: "
        f"{'X' if hide[c] else fmt(v) if np.isfinite(v) else NO_DATA[lang]}"
        for c, v in series.items()
    ]
    hover_text = pd.Series(lines, index=frame.index) + _hover_lines(frame, hover)
    entries = [
        *legend,
        NO_DATA[lang],
        *[p.legend for p in points],
        *[h[1] for h in hatch],
        legend_title,
    ]
    view = map_view(
        frame, canvas, credit_lines=_reserved(canvas, [*credits, *notes]), legend=entries
    )
    traces, polygons = _polygon_traces(
        view, colour, legend_names, hover_text, [*reversed(legend), NO_DATA[lang]]
    )
    layout = _layout(
        view, title, subtitle, credits, lang, legend_title, chosen.describe(lang), notes
    )
    extra = _hatches(view, hatch, colour)
    return _figure(
        view, frame, traces, polygons, layout, lang=lang, labels=labels, points=points, extra=extra
    )


def category_map(
    frame: gpd.GeoDataFrame,
    categories: pd.Series,
    category_names: dict[str, str],
    *,
    title: str,
    credits: Sequence[str],
    lang: str = "ja",
    labels: bool | str = "auto",
    points: Sequence[PointLayer] = (),
    hover: dict[str, tuple[pd.Series, object]] | None = None,
    legend_title: str = "",
    hatch: Sequence[tuple[Sequence[str], str, str]] = (),
    subtitle: str = "",
    canvas: Canvas = SCREEN,
    notes: Sequence[str] = (),
) -> go.Figure:
    """A map of categories (e.g. support forms) in the Okabe-Ito palette, legend in
    ``category_names`` order.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31").municipalities
    >>> names = {"whole": "過疎", "none": "過疎でない"}
    >>> credits = divide.credit_lines(["kaso"])
    >>> figure = divide.category_map(frame, frame["kaso"], names, title="過疎", credits=credits)
    >>> len(figure.layout.meta["divide"]["polygons"]) == len(frame)
    True
    """
    keys = list(category_names)
    scale = dict(zip(keys, palette(len(keys), "okabe_ito"), strict=True))
    values = categories.reindex(frame.index)
    colour = values.map(lambda v: scale.get(v, NO_DATA_COLOUR))
    legend_names = values.map(lambda v: category_names.get(v, NO_DATA[lang]))
    place = names(frame, lang)
    hover_text = pd.Series(
        [f"<b>{place[c]}</b><br>{legend_names[c]}" for c in frame.index], index=frame.index
    ) + _hover_lines(frame, hover)
    entries = [
        *category_names.values(),
        NO_DATA[lang],
        *[p.legend for p in points],
        *[h[1] for h in hatch],
        legend_title,
    ]
    view = map_view(
        frame, canvas, credit_lines=_reserved(canvas, [*credits, *notes]), legend=entries
    )
    traces, polygons = _polygon_traces(
        view, colour, legend_names, hover_text, [*category_names.values(), NO_DATA[lang]]
    )
    layout = _layout(view, title, subtitle, credits, lang, legend_title, "", notes)
    extra = _hatches(view, hatch, colour)
    return _figure(
        view, frame, traces, polygons, layout, lang=lang, labels=labels, points=points, extra=extra
    )
