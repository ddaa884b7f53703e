"""Charts of the briefing (not maps): the time axis of offline residents and the gain of new support
sites.

Drawn for a :class:`~divide.report.mapview.Canvas` like the maps: the title, subtitle and credit
lines are inside the figure on the screen and the A4 page, outside it (on the slide) in a deck.
Counts start from zero on every axis, so that a change is never drawn larger than it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from divide.report.mapview import FONT, SCREEN, Canvas, titled
from divide.report.words import TERMS

SCENARIO_STYLE = {
    "cohort": ("#E69F00", "dash"),
    "constant_rates": ("#009E73", "dot"),
    "survey_trend": ("#0072B2", None),
}


def chart_layout(canvas: Canvas, title: str, subtitle: str, credits: Sequence[str]) -> dict:
    """Size, fonts, title (with its subtitle) and credit lines of a chart on ``canvas``."""
    lines = list(credits) if canvas.credits else []
    layout = dict(
        width=canvas.width,
        height=canvas.height,
        font=dict(family=FONT, size=canvas.font + 1),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(
            l=90, r=30, t=84 if canvas.title else 20, b=70 + (13 * len(lines) + 10 if lines else 0)
        ),
        annotations=[],
        meta={"divide": {"kind": "chart", "credits": list(credits), "notes": []}},
    )
    return titled(layout, canvas, title, subtitle, lines, gap=62)


def projection_chart(
    projection: object,
    *,
    lang: str = "ja",
    credits: Sequence[str] = (),
    canvas: Canvas = SCREEN,
    subtitle: str | None = None,
    area: str = "",
) -> go.Figure:
    """Offline residents from the estimate's year (2025) to 2035: the central path, each scenario,
    the band.

    Earlier years are not drawn: 2020 would be a back-cast of each scenario, not a known value.
    """
    t = TERMS[lang]
    start = 2025
    band = projection.band().loc[lambda b: b.index >= start]
    totals = (
        projection.table[projection.table["year"] >= start]
        .groupby(["scenario", "year"])["offline_count"]
        .sum()
    )
    traces = [
        go.Scatter(
            x=band.index,
            y=band["high"],
            mode="lines",
            line=dict(width=0),
            showlegend=False,
            hoverinfo="skip",
        ),
        go.Scatter(
            x=band.index,
            y=band["low"],
            mode="lines",
            line=dict(width=0),
            fill="tonexty",
            fillcolor="rgba(0,114,178,0.18)",
            name=t["band"],
        ),
    ]
    for scenario in totals.index.get_level_values(0).unique():
        colour, dash = SCENARIO_STYLE.get(scenario, ("#555555", "dot"))
        central = scenario == projection.central
        traces.append(
            go.Scatter(
                x=totals[scenario].index,
                y=totals[scenario].to_numpy(),
                mode="lines+markers+text" if central else "lines",
                name=t[f"scenario_{scenario}"],
                text=[f"{round(v, -3):,.0f}" for v in totals[scenario]] if central else None,
                textposition="top center",
                line=dict(color=colour, width=4 if central else 2, dash=dash),
            )
        )
    figure = go.Figure(traces)
    subtitle = subtitle if subtitle is not None else t["projection_sub"].format(area=area or "")
    figure.update_layout(
        **chart_layout(canvas, t["projection"], subtitle, credits),
        xaxis=dict(title=t["year"], dtick=5),
        legend=dict(x=0.01, y=0.02, bgcolor="rgba(255,255,255,0.8)"),
        yaxis=dict(title=t["count_15"], tickformat=",", rangemode="tozero", gridcolor="#eeeeee"),
    )
    return figure


def gain_chart(
    analysis: object, lang: str, credits: Sequence[str], canvas: Canvas = SCREEN, subtitle: str = ""
) -> go.Figure:
    """Offline residents within reach for K = 0 … k_max new sites, from zero, with how each K was
    solved.
    """
    t = TERMS[lang]
    sites = analysis.sites
    gain = sites.gain
    markers = {
        "existing": "circle-open",
        "optimal": "circle",
        "best_found": "diamond",
        "greedy": "x",
    }
    traces = [
        go.Scatter(
            x=gain["k"],
            y=gain["covered"],
            mode="lines",
            line=dict(color="#0072B2", width=3),
            showlegend=False,
            hoverinfo="skip",
        )
    ]
    for status, rows in gain.groupby("status", sort=False):
        traces.append(
            go.Scatter(
                x=rows["k"],
                y=rows["covered"],
                mode="markers",
                name=t[status],
                marker=dict(symbol=markers[status], size=11, color="#0072B2"),
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(
        **chart_layout(canvas, t["gain"].format(radius=sites.radius_km), subtitle, credits),
        legend=dict(x=0.6, y=0.1),
        xaxis=dict(title=t["sites_axis"], dtick=1, gridcolor="#eeeeee"),
        yaxis=dict(
            title=t["covered_axis"], gridcolor="#eeeeee", tickformat=",", rangemode="tozero"
        ),
    )
    figure.add_vline(
        x=sites.k,
        line_dash="dot",
        line_color="#D55E00",
        annotation_text=t["proposed_k"].format(k=sites.k),
        annotation_position="top left",
    )
    return figure
