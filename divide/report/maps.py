"""Maps as plotly figures drawn from our own boundaries: no CDN geographies, no tile servers.

Municipalities are filled polygons on plain axes (longitude, latitude with the aspect ratio of the
map's mean latitude), one trace per municipality so that hovering anywhere on it shows its figures;
legend entries are classes. Plotly's ``geo`` traces are not used: plotly.js fetches a world outline
from its CDN for them even when hidden, which fails on municipal networks without internet.

Polygons are drawn by their outer rings, largest first, so that an enclave (a municipality inside
another) is painted over its surrounding one instead of being cut out.

Every map carries place names (Japanese by default, romaji with ``lang="en"``), a classed legend, and
the credit lines of its sources at the bottom. ``layout.meta['divide']`` records which traces are
municipal polygons so that :mod:`divide.export.html` can share borders between neighbours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from divide.report.classify import NO_DATA_COLOUR, class_labels, classify, formatter, palette, text_colour

FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Yu Gothic, Meiryo, sans-serif"
NO_DATA = {"ja": "データなし", "en": "no data"}
MAX_LABELS = 120
LEGEND_WIDTH = 230  # pixels kept right of the map for the legend


@dataclass
class PointLayer:
    """Points drawn over a map: lon, lat, hover names, and a legend name."""

    lon: Sequence[float]
    lat: Sequence[float]
    names: Sequence[str]
    legend: str
    symbol: str = "circle"
    colour: str = "#000000"
    size: int = 7


def _rings(geometry: object) -> tuple[list[float | None], list[float | None]]:
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
        return frame["name_en"].where(frame["name_en"].notna() & (frame["name_en"] != "nan"), frame["name_ja"])
    return frame["name_ja"]


def base_layout(frame: gpd.GeoDataFrame, title: str, credits: Sequence[str], *, width: int, height: int,
                legend_title: str = "") -> dict:
    minx, miny, maxx, maxy = frame.total_bounds
    ratio = 1.0 / np.cos(np.radians((miny + maxy) / 2))
    pad_x, pad_y = 0.03 * (maxx - minx), 0.03 * (maxy - miny)
    note = "<br>".join(credits)
    return dict(
        title=dict(text=title, x=0.02, xanchor="left", font=dict(size=18)),
        font=dict(family=FONT, size=12, color="#222222"),
        paper_bgcolor="white", plot_bgcolor="white", width=width, height=height,
        xaxis=dict(visible=False, range=[minx - pad_x, maxx + pad_x], constrain="domain"),
        yaxis=dict(visible=False, range=[miny - pad_y, maxy + pad_y], scaleanchor="x", scaleratio=ratio,
                   constrain="domain"),
        legend=dict(title=dict(text=legend_title), x=1.01, xanchor="left", y=0.98, yanchor="top",
                    bgcolor="rgba(255,255,255,0.9)", bordercolor="#999999", borderwidth=1, tracegroupgap=2),
        margin=dict(l=10, r=LEGEND_WIDTH, t=60, b=40 + 14 * len(credits)),
        annotations=[dict(text=note, x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top",
                          yshift=-8, showarrow=False, align="left", font=dict(size=9, color="#555555"))],
        hoverlabel=dict(font=dict(family=FONT)),
        meta={"divide": {"kind": "map", "polygons": [], "credits": list(credits)}},
    )


def _hover_lines(frame: gpd.GeoDataFrame, hover: dict[str, tuple[pd.Series, object]] | None) -> pd.Series:
    """Extra hover lines; each entry is label -> (values, unit name or formatting function)."""
    text = pd.Series("", index=frame.index)
    for label, (extra, unit) in (hover or {}).items():
        fmt = unit if callable(unit) else formatter(str(unit))
        text = text + [f"<br>{label}: {fmt(v) if pd.notna(v) else '–'}" for v in extra.reindex(frame.index)]
    return text


def _polygon_traces(frame: gpd.GeoDataFrame, colours: pd.Series, legend_names: pd.Series, hover: pd.Series,
                    order: list[str]) -> tuple[list[dict], list[int]]:
    """One filled trace per municipality, largest first (so enclaves are drawn on top)."""
    traces, polygon_positions, shown = [], [], set()
    sizes = pd.Series(shapely.area(frame.geometry.to_numpy()), index=frame.index).sort_values(ascending=False)
    rank = {name: i for i, name in enumerate(order)}
    for code in sizes.index:
        xs, ys = _rings(frame.geometry[code])
        group = legend_names[code]
        traces.append(dict(
            type="scatter", x=xs, y=ys, mode="lines", fill="toself", fillcolor=colours[code],
            line=dict(color="white", width=0.6), hoveron="fills", hoverinfo="text", text=hover[code],
            name=group, legendgroup=group, showlegend=group not in shown, legendrank=rank.get(group, 999),
            meta={"code": code}))
        shown.add(group)
        polygon_positions.append(len(traces) - 1)
    return traces, polygon_positions


def _label_trace(frame: gpd.GeoDataFrame, lang: str, labels: bool | str, fills: pd.Series) -> list[dict]:
    if labels is False or (labels == "auto" and len(frame) > MAX_LABELS):
        return []
    points = frame.geometry.representative_point()
    return [dict(type="scatter", x=points.x.tolist(), y=points.y.tolist(), mode="text",
                 text=names(frame, lang).tolist(),
                 textfont=dict(size=9, color=[text_colour(c) for c in fills.reindex(frame.index)]),
                 hoverinfo="skip", showlegend=False)]


def hatch_trace(frame: gpd.GeoDataFrame, legend: str) -> dict:
    """One trace that hatches the polygons of ``frame`` over a map (e.g. support forms marked for checking)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for geometry in frame.geometry:
        ring_x, ring_y = _rings(geometry)
        xs += ring_x
        ys += ring_y
    return dict(type="scatter", x=xs, y=ys, mode="lines", fill="toself", fillcolor="rgba(0,0,0,0)",
                fillpattern=dict(shape="/", fgcolor="#222222", size=7, solidity=0.25),
                line=dict(color="#222222", width=1.2), name=legend, hoverinfo="skip", legendrank=1500)


def _point_traces(points: Sequence[PointLayer]) -> list[dict]:
    return [dict(type="scatter", x=list(p.lon), y=list(p.lat), mode="markers", name=p.legend,
                 marker=dict(symbol=p.symbol, color=p.colour, size=p.size, line=dict(color="white", width=1)),
                 text=list(p.names), hoverinfo="text", legendrank=2000) for p in points]


def choropleth(frame: gpd.GeoDataFrame, values: str | pd.Series, *, title: str, credits: Sequence[str],
               lang: str = "ja", unit: str = "", scheme: str = "quantiles", k: int = 5,
               breaks: Sequence[float] | None = None, colours: str = "YlOrRd", labels: bool | str = "auto",
               points: Sequence[PointLayer] = (), hover: dict[str, tuple[pd.Series, object]] | None = None,
               legend_title: str = "", value_format: Callable[[float], str] | None = None,
               hidden: pd.Series | None = None, width: int = 1100, height: int = 900) -> go.Figure:
    """A classed choropleth of ``values`` (a frame column or a Series aligned to its index).

    ``hover``: extra lines, label -> (Series, unit or formatting function). ``colours``: YlOrRd, YlGnBu
    (sequential) or RdBu, PuOr (diverging; pass symmetric ``breaks`` to centre classes on zero).
    ``value_format`` overrides the unit's number format (e.g. to print small counts as "<10"); ``hidden``
    (bool per municipality) prints "X" in place of the value (disclosure control: the colour class stays).

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31").municipalities
    >>> figure = divide.choropleth(frame, "density", title="人口密度", credits=divide.credit_lines(["boundaries"]))
    >>> figure.layout.title.text
    '人口密度'
    """
    series = (frame[values] if isinstance(values, str) else values).reindex(frame.index).astype(float)
    fmt = value_format or formatter(unit)
    classes, bins = classify(series, scheme, k, breaks)
    minimum = float(series.min()) if series.notna().any() else 0.0
    legend = class_labels(bins, minimum, fmt)
    scale = palette(len(bins), colours)
    colour = classes.map(lambda c: scale[c] if c >= 0 else NO_DATA_COLOUR)
    legend_names = classes.map(lambda c: legend[c] if c >= 0 else NO_DATA[lang])
    place = names(frame, lang)
    hide = (pd.Series(False, index=frame.index) if hidden is None else hidden).reindex(frame.index, fill_value=False)
    lines = [f"<b>{place[c]}</b><br>{legend_title or ''}: "
             f"{'X' if hide[c] else fmt(v) if np.isfinite(v) else NO_DATA[lang]}" for c, v in series.items()]
    hover_text = pd.Series(lines, index=frame.index) + _hover_lines(frame, hover)
    order = [*reversed(legend), NO_DATA[lang]]
    traces, polygons = _polygon_traces(frame, colour, legend_names, hover_text, order)
    layout = base_layout(frame, title, credits, width=width, height=height, legend_title=legend_title)
    layout["meta"]["divide"]["polygons"] = polygons
    figure = go.Figure(data=traces + _label_trace(frame, lang, labels, colour) + _point_traces(points),
                       layout=layout)
    return figure


def category_map(frame: gpd.GeoDataFrame, categories: pd.Series, category_names: dict[str, str], *, title: str,
                 credits: Sequence[str], lang: str = "ja", labels: bool | str = "auto",
                 points: Sequence[PointLayer] = (), hover: dict[str, tuple[pd.Series, object]] | None = None,
                 legend_title: str = "", width: int = 1100, height: int = 900) -> go.Figure:
    """A map of categories (e.g. support forms) in the Okabe-Ito palette, legend in ``category_names`` order.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31").municipalities
    >>> figure = divide.category_map(frame, frame["kaso"], {"whole": "過疎", "none": "過疎でない"}, title="過疎",
    ...                              credits=divide.credit_lines(["kaso"]))
    >>> len(figure.layout.meta["divide"]["polygons"]) == len(frame)
    True
    """
    keys = list(category_names)
    scale = dict(zip(keys, palette(len(keys), "okabe_ito"), strict=True))
    values = categories.reindex(frame.index)
    colour = values.map(lambda v: scale.get(v, NO_DATA_COLOUR))
    legend_names = values.map(lambda v: category_names.get(v, NO_DATA[lang]))
    place = names(frame, lang)
    hover_text = pd.Series([f"<b>{place[c]}</b><br>{legend_names[c]}" for c in frame.index],
                           index=frame.index) + _hover_lines(frame, hover)
    traces, polygons = _polygon_traces(frame, colour, legend_names, hover_text,
                                       [*category_names.values(), NO_DATA[lang]])
    layout = base_layout(frame, title, credits, width=width, height=height, legend_title=legend_title)
    layout["meta"]["divide"]["polygons"] = polygons
    return go.Figure(data=traces + _label_trace(frame, lang, labels, colour) + _point_traces(points), layout=layout)
