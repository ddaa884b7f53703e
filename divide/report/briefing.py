"""The figures of a council briefing, built from an :class:`~divide.analysis.Analysis`, in Japanese or English.

Each map names its sources: the boundaries plus the datasets behind the mapped value. Counts of people
estimated below ``k`` are shown as "<k" in legends and hovers, as in the exported tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from divide.analysis import Analysis
from divide.labels import TERMS as T
from divide.report.classify import formatter
from divide.report.disclosure import masked
from divide.report.maps import FONT, PointLayer, category_map, choropleth, hatch_trace, names
from divide.validation import Lang, Result, Threshold, checked


def map_datasets(analysis: Analysis) -> dict[str, dict]:
    """The datasets behind each map of the briefing (its credit lines): the boundaries plus the mapped value's."""
    boundaries = {k: v for k, v in analysis.frame.datasets.items() if k == "boundaries"}
    estimate = {**boundaries, **analysis.estimate.datasets}
    return {"offline_share": estimate, "offline_count": estimate, "age_part": estimate, "settlement_part": estimate,
            "composition_part": estimate,
            "score": {**boundaries, **analysis.index.datasets}, "access": {**boundaries, **analysis.geography.datasets},
            "forms": {**analysis.plan.datasets, **analysis.sites.datasets},
            "change": {**estimate, **analysis.projection.datasets}}


@dataclass
class BriefingFigure:
    name: str
    title: str
    figure: go.Figure
    credits: list[str]
    is_map: bool = True


def _count_format(k: int):
    plain = formatter("count")
    return lambda v: f"<{k}" if v < k else plain(v)


def _symmetric_breaks(values: pd.Series) -> list[float]:
    top = float(np.nanmax(np.abs(values))) or 1e-9
    return [-0.5 * top, -0.15 * top, 0.15 * top, 0.5 * top, top]


@checked
def briefing_figures(analysis: Result[Analysis], *, lang: Lang = "ja", k: Threshold = 10) -> list[BriefingFigure]:
    """The maps and the gain chart of a council briefing, each with its title and credit lines.

    Examples
    --------
    >>> import divide
    >>> figures = divide.briefing_figures(divide.analyse("07", draws=100), lang="en")
    >>> [f.name for f in figures][:3]
    ['offline_share', 'offline_count', 'age_part']
    """
    t = T[lang]
    frame = analysis.geography.municipalities
    credits = {name: analysis.credits(datasets, lang) for name, datasets in map_datasets(analysis).items()}
    if lang == "en" and frame["name_en"].isna().any():
        missing = int(frame["name_en"].isna().sum())
        credits = {name: [*lines, f"{missing} municipalities are named in Japanese: the data give no reading for them"]
                   for name, lines in credits.items()}
    counted = _count_format(k)
    figures = _estimate_figures(analysis, credits, lang, k)
    scores = analysis.index.scores
    figures.append(BriefingFigure("score", t["score"], choropleth(
        frame, scores["score"], title=t["score"], credits=credits["score"], lang=lang, legend_title=t["index"],
        hover={t["rank"]: (scores["rank"].astype(float), "count"),
               "5%": (analysis.uncertainty["rank_p05"].astype(float), "count"),
               "95%": (analysis.uncertainty["rank_p95"].astype(float), "count")}), credits["score"]))
    figures.append(BriefingFigure("access", t["access"], choropleth(
        frame, frame["access_mean_km"], title=t["access"], credits=credits["access"], lang=lang, unit="km",
        colours="YlGnBu", legend_title=t["km"], hover={t["p90"]: (frame["access_p90_km"], "km")}),
        credits["access"]))
    plan = analysis.plan.table
    form_names = dict(zip(plan["support_form"], plan[f"support_form_{lang}"], strict=False))
    order = ["outreach", "assisted_desk", "remote_help", "online_first"]
    form_names = {key: form_names[key] for key in order if key in form_names}
    chosen = analysis.sites.chosen
    counters = analysis.geography.counters
    offices = counters[counters["kind"] == "main office"]  # a listed office outside its town is not drawn
    place = names(frame, lang)
    layers = [PointLayer(offices["lon"], offices["lat"], (place.reindex(offices["code"]) + " " + t["offices"]).tolist(),
                         t["offices"], symbol="square", colour="#000000", size=6),
              PointLayer(chosen["lon"], chosen["lat"], chosen["name"], t["sites"], symbol="star", colour="#CC79A7",
                         size=13)]
    forms_map = category_map(
        frame, plan["support_form"], form_names, title=t["forms"], credits=credits["forms"], lang=lang,
        points=layers, legend_title=t["form"],
        hover={t["count"]: (plan["headcount"], counted),
               t["need_probability"]: (masked(plan["need_probability"], formatter("share"), plan["headcount"] < k),
                                       str),
               t["why_check"]: (plan[f"uncertainty_{lang}"].replace("", "–"), str)})
    forms_map.add_trace(hatch_trace(frame.loc[plan.index[plan["form_uncertain"]]], t["to_check"]))
    figures.append(BriefingFigure("forms", t["forms"], forms_map, credits["forms"]))
    wide = analysis.projection.path().pivot(index="code", columns="year", values="offline_count")
    change = (wide[2035] / wide[2025] - 1).where(wide[2025] > 0)
    figures.append(BriefingFigure("change", t["change"], choropleth(
        frame, change, title=t["change"], credits=credits["change"], lang=lang, unit="share", colours="PuOr",
        scheme="user", breaks=_symmetric_breaks(change.dropna()), legend_title=t["change_pct"]), credits["change"]))
    figures.append(BriefingFigure("gain", t["gain"].format(radius=analysis.sites.radius_km),
                                  gain_chart(analysis, lang, credits["forms"]), credits["forms"], is_map=False))
    return figures


def _estimate_figures(analysis: Analysis, credits: dict[str, list[str]], lang: str, k: int) -> list[BriefingFigure]:
    """Maps of the offline estimate: share (extrapolated hatched), count, and the three parts of the share."""
    t = T[lang]
    frame, m = analysis.geography.municipalities, analysis.estimate.municipalities
    counted = _count_format(k)
    small = m["offline_count"] < k  # its share and parts would give the count back: printed "X"
    share_fmt = formatter("share")
    share_hover = {f'{t["interval"]} 5%': (masked(m["offline_share_lo"], share_fmt, small), str),
                   f'{t["interval"]} 95%': (masked(m["offline_share_hi"], share_fmt, small), str),
                   t["count"]: (m["offline_count"], counted)}
    share_map = choropleth(frame, m["offline_share"], title=t["offline_share"], credits=credits["offline_share"],
                           lang=lang, unit="share", legend_title=t["share"], hover=share_hover, hidden=small)
    if m["extrapolated"].any():
        share_map.add_trace(hatch_trace(frame.loc[m.index[m["extrapolated"]]], t["extrapolated"]))
    figures = [BriefingFigure("offline_share", t["offline_share"], share_map, credits["offline_share"])]
    counts = m["offline_count"]
    count_map = choropleth(frame, counts, title=t["offline_count"], credits=credits["offline_count"], lang=lang,
                           unit="count", legend_title=t["count"], colours="YlGnBu", value_format=counted)
    figures.append(BriefingFigure("offline_count", t["offline_count"], count_map, credits["offline_count"]))
    for part in ("age_part", "settlement_part", "composition_part"):
        figures.append(BriefingFigure(part, t[part], choropleth(
            frame, m[part], title=t[part], credits=credits[part], lang=lang, unit="share_pt", colours="RdBu",
            scheme="user", breaks=_symmetric_breaks(m[part]), legend_title=t["pp"], hidden=small), credits[part]))
    return figures


def gain_chart(analysis: Analysis, lang: str, credits: list[str]) -> go.Figure:
    """Offline residents within reach for K = 0 … k_max new sites, from zero, with how each K was solved."""
    t = T[lang]
    sites = analysis.sites
    gain = sites.gain
    title = t["gain"].format(radius=sites.radius_km)
    markers = {"existing": "circle-open", "optimal": "circle", "best_found": "diamond", "greedy": "x"}
    traces = [go.Scatter(x=gain["k"], y=gain["covered"], mode="lines", line=dict(color="#0072B2", width=3),
                         showlegend=False, hoverinfo="skip")]
    for status, rows in gain.groupby("status", sort=False):
        traces.append(go.Scatter(x=rows["k"], y=rows["covered"], mode="markers", name=t[status],
                                 marker=dict(symbol=markers[status], size=11, color="#0072B2")))
    figure = go.Figure(traces)
    figure.update_layout(
        title=dict(text=title, x=0.02), width=1100, height=700, font=dict(family=FONT, size=14),
        paper_bgcolor="white", plot_bgcolor="white", legend=dict(x=0.6, y=0.1),
        xaxis=dict(title=t["sites_axis"], dtick=1, gridcolor="#eeeeee"),
        yaxis=dict(title=t["covered_axis"], gridcolor="#eeeeee", tickformat=",", rangemode="tozero"),
        margin=dict(b=60 + 14 * len(credits)),
        annotations=[dict(text="<br>".join(credits), x=0, y=0, xref="paper", yref="paper", xanchor="left",
                          yanchor="top", yshift=-50, showarrow=False, align="left", font=dict(size=9))])
    figure.add_vline(x=sites.k, line_dash="dot", line_color="#D55E00",
                     annotation_text=t["proposed_k"].format(k=sites.k), annotation_position="top left")
    return figure
