"""Profile cards: one page per municipality for the prefecture's conversations with each of them.

A card shows where the municipality lies in the prefecture, its support form and head-count with the
interval, its index rank with the Monte Carlo interval, and its figures against the prefecture's
(bars scaled to the prefecture's maximum of each indicator, values printed).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from divide.labels import TERMS, cluster_label
from divide.report.classify import formatter
from divide.report.disclosure import GROUPS, count_text
from divide.report.maps import FONT, _rings, names


def _locator(code: str, frame: gpd.GeoDataFrame, place: pd.Series, highlight: str) -> list[go.Scatter]:
    """The prefecture in grey with the municipality highlighted and named."""
    traces = []
    for other in frame.index:
        xs, ys = _rings(frame.geometry[other])
        selected = other == code
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", hoverinfo="skip", showlegend=False,
                                 fillcolor=highlight if selected else "#e6e6e6",
                                 line=dict(color="white" if not selected else "#333333", width=0.6 if not selected
                                           else 1.2), xaxis="x", yaxis="y"))
    centre = frame.geometry[code].representative_point()
    traces.append(go.Scatter(x=[centre.x], y=[centre.y], mode="text", text=[place[code]], textposition="top center",
                             textfont=dict(size=14, color="#111111"), hoverinfo="skip", showlegend=False))
    return traces


def _bars(row: pd.Series, facts: pd.DataFrame, indicators: dict[str, tuple[str, str]], t: dict[str, str],
          highlight: str, hidden: frozenset[str] = frozenset()) -> list[go.Bar]:
    """The municipality's indicators beside the prefecture's (weighted by residents 15+), scaled to the maximum.

    ``hidden`` columns are drawn empty and printed "X" (disclosure control, :mod:`divide.report.disclosure`).
    """
    weights = facts["residents_15plus"] if "residents_15plus" in facts else pd.Series(1.0, index=facts.index)
    labels, mine, pref, mine_text, pref_text = [], [], [], [], []
    for column, (name, unit) in indicators.items():
        fmt = formatter(unit)
        values = facts[column].astype(float)
        top = float(np.nanmax(np.abs(values))) or 1.0
        average = float(np.average(values.fillna(values.mean()), weights=weights))
        labels.append(name)
        shown = pd.notna(row[column]) and column not in hidden
        mine.append(row[column] / top if shown else 0.0)
        pref.append(average / top)
        mine_text.append(fmt(row[column]) if shown else ("X" if column in hidden else "–"))
        pref_text.append(fmt(average))
    return [go.Bar(y=labels, x=mine, orientation="h", name=t["this"], marker_color=highlight, text=mine_text,
                   textposition="outside", xaxis="x2", yaxis="y2", hoverinfo="skip"),
            go.Bar(y=labels, x=pref, orientation="h", name=t["pref_average"], marker_color="#999999",
                   text=pref_text, textposition="outside", xaxis="x2", yaxis="y2", hoverinfo="skip")]


def profile_card(code: str, frame: gpd.GeoDataFrame, facts: pd.DataFrame, indicators: dict[str, tuple[str, str]],
                 *, lang: str = "ja", credits: Sequence[str] = (), highlight: str = "#D55E00",
                 width: int = 1400, height: int = 800, k: int = 10) -> go.Figure:
    """Card of municipality ``code``.

    ``facts``: one row per municipality with support_form_ja/en, headcount(_lo/_hi), offline_share(_lo/_hi),
    rank, rank_p05, rank_p95, cluster and the indicator columns. ``indicators``: column -> (label, unit);
    the prefecture value is the mean weighted by ``residents_15plus`` when present. A head-count below ``k``
    is printed "<k", and the shares it could be recomputed from "X" (:mod:`divide.report.disclosure`).
    """
    t = TERMS[lang]
    place = names(frame, lang)
    traces = _locator(code, frame, place, highlight)
    row = facts.loc[code]
    small = bool(row["headcount"] < k)
    hidden = frozenset(GROUPS["headcount"]) if small else frozenset()
    traces += _bars(row, facts, indicators, t, highlight, hidden)
    minx, miny, maxx, maxy = frame.total_bounds
    ratio = 1.0 / np.cos(np.radians((miny + maxy) / 2))
    share_fmt = formatter("share")
    share = (lambda v: "X") if small else share_fmt
    form = row[f"support_form_{lang}"]
    interval = "X" if small else f"{row['headcount_lo']:,.0f}–{row['headcount_hi']:,.0f}"
    lines = [
        f"<b>{t['form']}</b>: {form}",
        f"<b>{t['heads']}</b>: {count_text(row['headcount'], k)}{t['persons']} ({t['interval']} {interval})",
        f"<b>{t['share']}</b>: {share(row['offline_share'])} ({t['interval']} {share(row['offline_share_lo'])}"
        f"–{share(row['offline_share_hi'])})",
    ]
    if "rank" in row and pd.notna(row["rank"]):
        lines.append(f"<b>{t['rank']}</b>: {int(row['rank'])}{t['of']}{len(facts)} ({t['rank_interval']} "
                     f"{int(row['rank_p05'])}–{int(row['rank_p95'])})")
    if "need_probability" in row:
        verified = t["verified_yes"] if row["access_verified"] else t["verified_no"]
        lines.append(f"<b>{t['need_probability']}</b>: {share(row['need_probability'])}　"
                     f"<b>{t['access_verified']}</b>: {verified}")
    if "cluster" in row:
        lines.append(f"<b>{t['cluster']}</b>: {cluster_label(row['cluster'], lang)}")
    if row.get("extrapolated", False):
        lines.append(f"<b>{t['why_check']}</b>: {t['extrapolated']}")
    if row.get("form_uncertain", False):
        lines.append(f"<b>{t['why_check']}</b>: {row[f'uncertainty_{lang}']}")
    layout = go.Layout(
        width=width, height=height, font=dict(family=FONT, size=13), paper_bgcolor="white", plot_bgcolor="white",
        title=dict(text=f"<b>{place[code]}</b>  {frame.loc[code, 'pref_name_ja' if lang == 'ja' else 'pref_name_en']}",
                   x=0.02, font=dict(size=24)),
        xaxis=dict(domain=[0.0, 0.40], visible=False, range=[minx, maxx]),
        yaxis=dict(domain=[0.05, 0.92], visible=False, range=[miny, maxy], scaleanchor="x", scaleratio=ratio),
        xaxis2=dict(domain=[0.50, 0.97], visible=False, range=[0, 1.35], anchor="y2"),
        yaxis2=dict(domain=[0.05, 0.55], autorange="reversed", anchor="x2", tickfont=dict(size=13)),
        barmode="group", bargap=0.25, legend=dict(x=0.5, y=0.63, orientation="h", xanchor="left"),
        margin=dict(l=20, r=20, t=70, b=30 + 13 * len(credits)),
        annotations=[dict(text="<br>".join(lines), x=0.5, y=0.92, xref="paper", yref="paper", xanchor="left",
                          yanchor="top", align="left", showarrow=False, font=dict(size=15)),
                     dict(text="<br>".join(credits), x=0, y=0, xref="paper", yref="paper", xanchor="left",
                          yanchor="top", yshift=-4, showarrow=False, align="left", font=dict(size=8, color="#555555"))],
    )
    return go.Figure(data=traces, layout=layout)
