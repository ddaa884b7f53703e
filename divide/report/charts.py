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
from divide.report.numbers import headline, people
from divide.report.words import TERMS, area_word

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
    analysis: object,
    *,
    lang: str = "ja",
    credits: Sequence[str] = (),
    canvas: Canvas = SCREEN,
    subtitle: str = "",
) -> go.Figure:
    """Offline residents 2020 -> 2035: the central path with its 90 % band (the figures of
    :func:`divide.report.numbers.headline`), 2020 drawn as the back-cast it is, and the two
    sensitivities as thin lines.
    """
    t = TERMS[lang]
    figures = headline(analysis)
    totals = analysis.projection.totals
    years = list(totals.index)
    base = analysis.estimate.population_year
    traces = [
        go.Scatter(
            x=years,
            y=totals["high"],
            mode="lines",
            line=dict(width=0),
            showlegend=False,
            hoverinfo="skip",
        ),
        go.Scatter(
            x=years,
            y=totals["low"],
            mode="lines",
            line=dict(width=0),
            fill="tonexty",
            fillcolor="rgba(0,114,178,0.18)",
            name=t["band"],
        ),
    ]
    for scenario in ("constant_rates", "cohort"):
        if scenario in totals:
            colour, dash = SCENARIO_STYLE[scenario]
            traces.append(
                go.Scatter(
                    x=years,
                    y=totals[scenario],
                    mode="lines",
                    name=t["sensitivity_of"].format(scenario=t[f"scenario_{scenario}"]),
                    line=dict(color=colour, width=1.5, dash=dash),
                )
            )
    back = [y for y in years if y <= base]
    ahead = [y for y in years if y >= base]
    colour = SCENARIO_STYLE["survey_trend"][0]
    traces.append(
        go.Scatter(
            x=back,
            y=totals.loc[back, "central"],
            mode="lines",
            name=t["back_cast"],
            line=dict(color=colour, width=3, dash="dash"),
        )
    )
    labels = [
        people(figures[f"offline_{y}"].value, lang) + (t["back_cast_mark"] if y < base else "")
        for y in years
    ]
    traces.append(
        go.Scatter(
            x=ahead,
            y=totals.loc[ahead, "central"],
            mode="lines",
            name=t["central"],
            line=dict(color=colour, width=4),
        )
    )
    traces.append(
        go.Scatter(
            x=years,
            y=totals["central"],
            mode="markers+text",
            text=labels,
            # the first and last labels lean inwards: centred, they run into the axis or the edge
            textposition=["top right", *["top center"] * (len(years) - 2), "top left"],
            marker=dict(color=colour, size=9),
            showlegend=False,
            textfont=dict(size=canvas.font + 1),
        )
    )
    figure = go.Figure(traces)
    figure.update_layout(
        **chart_layout(canvas, t["projection"], subtitle, credits),
        xaxis=dict(title=t["year"], dtick=5, range=[years[0] - 1, years[-1] + 1]),
        legend=dict(x=0.01, y=0.02, bgcolor="rgba(255,255,255,0.85)"),
        yaxis=dict(title=t["count_15"], tickformat=",", rangemode="tozero", gridcolor="#eeeeee"),
    )
    return figure


def published_chart(
    analysis: object,
    *,
    lang: str = "ja",
    credits: Sequence[str] = (),
    canvas: Canvas = SCREEN,
    subtitle: str = "",
) -> go.Figure:
    """The prefecture's published offline share by survey year (with the survey's 90 % interval)
    beside the estimate's share of its residents and the estimate's interval.
    """
    t = TERMS[lang]
    published = analysis.estimate.published
    traces = []
    if len(published):
        rows = published.groupby("year").first()
        traces.append(
            go.Scatter(
                x=rows.index,
                y=rows["published_offline_share"],
                mode="markers+text",
                name=t["published_series"],
                text=[f"{v:.1%}" for v in rows["published_offline_share"]],
                textposition="middle right",
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=rows["published_hi"] - rows["published_offline_share"],
                    arrayminus=rows["published_offline_share"] - rows["published_lo"],
                    color="#555555",
                ),
                marker=dict(color="#555555", size=10, symbol="square"),
            )
        )
        share = headline(analysis)["share"]
        year = int(rows.index.max()) + 1
        traces.insert(
            0,
            go.Scatter(  # the estimate's interval across the survey years
                x=[rows.index.min() - 0.4, year + 0.4, year + 0.4, rows.index.min() - 0.4],
                y=[share.low, share.low, share.high, share.high],
                fill="toself",
                mode="lines",
                line=dict(width=0),
                fillcolor="rgba(0,114,178,0.15)",
                name=t["estimate_band"],
                hoverinfo="skip",
            ),
        )
        traces.append(
            go.Scatter(
                x=[year],
                y=[share.value],
                mode="markers+text",
                name=t["estimate_series"],
                text=[f"{share.value:.1%}"],
                textposition="middle right",
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=[share.high - share.value],
                    arrayminus=[share.value - share.low],
                    color="#0072B2",
                ),
                marker=dict(color="#0072B2", size=12),
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(
        **chart_layout(
            canvas, t["published"].format(area=area_word(analysis.pref, lang)), subtitle, credits
        ),
        xaxis=dict(title=t["year"], dtick=1),
        legend=dict(x=0.01, y=0.02, bgcolor="rgba(255,255,255,0.85)"),
        yaxis=dict(title=t["share_15"], tickformat=".0%", rangemode="tozero", gridcolor="#eeeeee"),
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
