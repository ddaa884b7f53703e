"""Profile cards: one page per municipality for the prefecture's conversations with each of them.

A card shows where the municipality lies (the prefecture's main area, or its island group when it
lies in an inset of the prefecture map), its support form and head-count with the interval, its
index rank with the Monte Carlo interval, and its figures beside the prefecture's average (道平均 /
都平均 / 府平均 / 県平均), bars scaled to the prefecture's maximum of each indicator, values
printed. The credit lines are not on the card (they would be unreadable at card size): a line points
to the pack's README and Sources slide.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from divide.report.classify import formatter
from divide.report.disclosure import GROUPS, count_text
from divide.report.maps import names, rings
from divide.report.mapview import CARD, FONT, MapView, map_view
from divide.report.textfit import em_width
from divide.report.words import TERMS, cluster_label


def prefecture_average(pref_code: str, pref_name_en: str, lang: str) -> str:
    """「道平均」「都平均」「府平均」「県平均」, or "<Prefecture> average" in English."""
    if lang != "ja":
        return f"{pref_name_en} average"
    return {"01": "道平均", "13": "都平均", "26": "府平均", "27": "府平均"}.get(pref_code, "県平均")


def _locator(code: str, view: MapView, place: pd.Series, highlight: str) -> list[dict]:
    """The panel holding ``code`` (main area or island group) in grey, the municipality highlighted
    and named.
    """
    panel = next(p for p in view.views if code in p.codes)
    xs: list[float | None] = []
    ys: list[float | None] = []
    for other in panel.codes:
        ring_x, ring_y = rings(view.geometry[other])
        xs += ring_x
        ys += ring_y
    own_x, own_y = rings(view.geometry[code])
    centre = view.geometry[code].representative_point()
    return [
        dict(
            type="scatter",
            x=xs,
            y=ys,
            mode="lines",
            fill="toself",
            fillcolor="#e6e6e6",
            hoverinfo="skip",
            showlegend=False,
            line=dict(color="white", width=0.6),
        ),
        dict(
            type="scatter",
            x=own_x,
            y=own_y,
            mode="lines",
            fill="toself",
            fillcolor=highlight,
            hoverinfo="skip",
            showlegend=False,
            line=dict(color="#333333", width=1.2),
        ),
        dict(
            type="scatter",
            x=[centre.x],
            y=[centre.y],
            mode="text",
            text=[place[code]],
            textposition="top center",
            textfont=dict(size=15, color="#111111", shadow="auto"),
            hoverinfo="skip",
            showlegend=False,
        ),
    ]


def _bars(
    row: pd.Series,
    facts: pd.DataFrame,
    indicators: dict[str, tuple[str, str]],
    names_: tuple[str, str],
    highlight: str,
    hidden: frozenset[str] = frozenset(),
) -> list[dict]:
    """The municipality's indicators beside the prefecture's (weighted by residents 15+), scaled to
    the maximum.

    ``hidden`` columns are drawn empty and printed "X" (disclosure control,
    :mod:`divide.report.disclosure`).
    """
    weights = (
        facts["residents_15plus"]
        if "residents_15plus" in facts
        else pd.Series(1.0, index=facts.index)
    )
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
    return [
        dict(
            type="bar",
            y=labels,
            x=mine,
            orientation="h",
            name=names_[0],
            marker=dict(color=highlight),
            text=mine_text,
            textposition="outside",
            xaxis="x2",
            yaxis="y2",
            hoverinfo="skip",
        ),
        dict(
            type="bar",
            y=labels,
            x=pref,
            orientation="h",
            name=names_[1],
            marker=dict(color="#999999"),
            text=pref_text,
            textposition="outside",
            xaxis="x2",
            yaxis="y2",
            hoverinfo="skip",
        ),
    ]


def _probability(value: float) -> str:
    """A probability as the estimate can say it: <1 % and >99 %, never 0.0 % or 100.0 %."""
    return "<1%" if value < 0.01 else (">99%" if value > 0.99 else f"{value:.0%}")


def _wrap(text: str, width: int) -> str:
    """Break a long card line (``width`` ems) at a separator so that it stays on the card."""
    out, line = [], ""
    for piece in text.replace("／", "／\n").replace("; ", ";\n").split("\n"):
        if line and em_width(line + piece) > width:
            out.append(line)
            line = ""
        line += piece
    return "<br>".join([*out, line])


def _lines(row: pd.Series, facts: pd.DataFrame, lang: str, k: int) -> list[str]:
    """The card's text: form, head-count, share, rank, need, cluster, and why to check (if so)."""
    t = TERMS[lang]
    small = bool(row["headcount"] < k)
    share = (lambda v: "X") if small else formatter("share")
    interval = "X" if small else f"{row['headcount_lo']:,.0f}–{row['headcount_hi']:,.0f}"
    lines = [
        f"<b>{t['form']}</b>: {row[f'support_form_{lang}']}",
        f"<b>{t['heads']}</b>: {count_text(row['headcount'], k)}{t['persons']} ({t['interval']} "
        f"{interval})",
        f"<b>{t['share']}</b>: {share(row['offline_share'])} ({t['interval']} "
        f"{share(row['offline_share_lo'])}"
        f"–{share(row['offline_share_hi'])})",
    ]
    if "rank" in row and pd.notna(row["rank"]):
        lines.append(
            f"<b>{t['rank']}</b>: {int(row['rank'])}{t['of']}{len(facts)} ({t['rank_interval']} "
            f"{int(row['rank_p05'])}–{int(row['rank_p95'])})"
        )
    if "need_agreement" in row:
        verified = t["verified_yes"] if row["access_verified"] else t["verified_no"]
        probability = "X" if small else _probability(row["need_agreement"])
        lines.append(
            f"<b>{t['need_probability']}</b>: {probability}　"
            f"<b>{t['access_verified']}</b>: {verified}"
        )
    if "cluster" in row:
        lines.append(f"<b>{t['cluster']}</b>: {cluster_label(row['cluster'], lang)}")
    if row.get("extrapolated", False):
        lines.append(f"<b>{t['why_check']}</b>: {t['extrapolated']}")
    if row.get("form_uncertain", False):
        lines.append(
            _wrap(
                f"<b>{t['why_check']}</b>: {row[f'why_check_{lang}']}", 34 if lang == "ja" else 60
            )
        )
    return lines


def profile_card(
    code: str,
    frame: gpd.GeoDataFrame,
    facts: pd.DataFrame,
    indicators: dict[str, tuple[str, str]],
    *,
    lang: str = "ja",
    note: str = "",
    credits: Sequence[str] = (),
    highlight: str = "#D55E00",
    width: int = 1400,
    height: int = 800,
    k: int = 10,
    view: MapView | None = None,
) -> go.Figure:
    """Card of municipality ``code``.

    ``facts``: one row per municipality with support_form_ja/en, headcount(_lo/_hi),
    offline_share(_lo/_hi), rank, rank_p05, rank_p95, cluster and the indicator columns.
    ``indicators``: column -> (label, unit); the prefecture value is the mean weighted by
    ``residents_15plus`` when present. A head-count below ``k`` is printed "<k", and the shares it
    could be recomputed from "X" (:mod:`divide.report.disclosure`). ``note`` (one line) and
    ``credits`` go at the bottom; ``view``: the prefecture laid out once for all cards.
    """
    t = TERMS[lang]
    place = names(frame, lang)
    view = view or map_view(frame, CARD, legend=[])
    row = facts.loc[code]
    average = prefecture_average(
        frame.loc[code, "pref_code"], frame.loc[code, "pref_name_en"], lang
    )
    hidden = frozenset(GROUPS["headcount"]) if row["headcount"] < k else frozenset()
    traces = _locator(code, view, place, highlight) + _bars(
        row, facts, indicators, (t["this"], average), highlight, hidden
    )
    panel = next(p for p in view.views if code in p.codes)
    bottom = [*([note] if note else []), *credits]
    layout = dict(
        width=width,
        height=height,
        font=dict(family=FONT, size=14),
        paper_bgcolor="white",
        plot_bgcolor="white",
        title=dict(
            text=f"<b>{place[code]}</b>  "
            f"{frame.loc[code, 'pref_name_ja' if lang == 'ja' else 'pref_name_en']}",
            x=0.02,
            font=dict(size=26),
        ),
        xaxis=dict(domain=[0.0, 0.40], visible=False, range=list(panel.x_range)),
        yaxis=dict(
            domain=[0.05, 0.92],
            visible=False,
            range=list(panel.y_range),
            scaleanchor="x",
            scaleratio=panel.ratio,
        ),
        xaxis2=dict(domain=[0.50, 0.97], visible=False, range=[0, 1.35], anchor="y2"),
        yaxis2=dict(domain=[0.05, 0.55], autorange="reversed", anchor="x2", tickfont=dict(size=14)),
        barmode="group",
        bargap=0.25,
        legend=dict(x=0.5, y=0.63, orientation="h", xanchor="left"),
        margin=dict(l=20, r=20, t=70, b=30 + 14 * len(bottom)),
        annotations=[
            dict(
                text="<br>".join(_lines(row, facts, lang, k)),
                x=0.5,
                y=0.92,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                align="left",
                showarrow=False,
                font=dict(size=16),
            ),
            dict(
                text="<br>".join(bottom),
                x=0,
                y=0,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                yshift=-4,
                showarrow=False,
                align="left",
                font=dict(size=11, color="#555555"),
            ),
        ],
    )
    return go.Figure(
        data=traces, layout=layout, _validate=False
    )  # plain dicts: see divide.report.maps
