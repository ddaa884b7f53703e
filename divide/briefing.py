"""The figures of a council briefing, built from an :class:`~divide.analysis.Analysis`, in Japanese or English.

Each map names its sources: the boundaries plus the datasets behind the mapped value. Counts of people
estimated below ``k`` are shown as "<k" in legends and hovers, as in the exported tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from divide.analysis import ESTIMATE_DATASETS, GEOGRAPHY_DATASETS, PROJECTION_DATASETS, Analysis
from divide.geography.access import service_points
from divide.maps.classify import formatter
from divide.maps.figures import FONT, PointLayer, category_map, choropleth, names

T = {
    "ja": {
        "offline_share": "インターネットを利用していない住民の割合（15歳以上、推計）",
        "offline_count": "インターネットを利用していない住民の数（15歳以上、推計）",
        "age_part": "オフライン率の全国差のうち年齢構成による部分",
        "geo_part": "オフライン率の全国差のうち地域要因による部分",
        "score": "デジタル・ギャップ指数（100＝差が最も大きい）",
        "access": "最寄りの窓口までの平均距離（道路換算）",
        "forms": "オフライン支援の形と提案する支援拠点",
        "change": "オフライン住民数の変化（2025→2035年、推計）",
        "gain": "新しい支援拠点の数と、届くオフライン住民の数",
        "share": "オフライン率", "count": "オフライン住民", "interval": "90%区間", "rank": "順位",
        "km": "平均距離", "p90": "90パーセンタイル", "form": "支援の形", "offices": "本庁舎",
        "sites": "提案する支援拠点", "change_pct": "変化率", "sites_axis": "追加する拠点数",
        "covered_axis": "半径内に届くオフライン住民（人）", "exact": "最適解", "greedy": "貪欲法",
        "pp": "全国差（ポイント）", "index": "指数",
    },
    "en": {
        "offline_share": "Residents aged 15+ not using the Internet (estimated share)",
        "offline_count": "Residents aged 15+ not using the Internet (estimated number)",
        "age_part": "Gap to the national share explained by age structure",
        "geo_part": "Gap to the national share explained by the area",
        "score": "Digital gap index (100 = widest gap)",
        "access": "Mean distance to the nearest counter (road-approximate)",
        "forms": "Form of offline support and proposed support sites",
        "change": "Change in offline residents, 2025 to 2035 (projected)",
        "gain": "New support sites and the offline residents they reach",
        "share": "Offline share", "count": "Offline residents", "interval": "90% interval", "rank": "Rank",
        "km": "Mean distance", "p90": "90th percentile", "form": "Support form", "offices": "Main offices",
        "sites": "Proposed support sites", "change_pct": "Change", "sites_axis": "Sites added",
        "covered_axis": "Offline residents within reach", "exact": "optimal", "greedy": "greedy",
        "pp": "Gap to national (points)", "index": "Index",
    },
}

MAP_DATASETS = {
    "offline_share": ESTIMATE_DATASETS, "offline_count": ESTIMATE_DATASETS, "age_part": ESTIMATE_DATASETS,
    "geo_part": ESTIMATE_DATASETS,
    "score": (*ESTIMATE_DATASETS, *GEOGRAPHY_DATASETS, "dx_dashboard", "mynumber"),
    "access": GEOGRAPHY_DATASETS, "forms": ("boundaries", *ESTIMATE_DATASETS, *GEOGRAPHY_DATASETS),
    "change": (*ESTIMATE_DATASETS, *PROJECTION_DATASETS),
}


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


def briefing_figures(analysis: Analysis, *, lang: str = "ja", k: int = 10) -> list[BriefingFigure]:
    t = T[lang]
    frame, m = analysis.geo, analysis.estimate.municipalities
    credits = {name: analysis.credits(("boundaries", *datasets), lang) for name, datasets in MAP_DATASETS.items()}
    if lang == "en" and frame["name_en"].isna().any():
        missing = int(frame["name_en"].isna().sum())
        credits = {name: [*lines, f"{missing} municipalities are named in Japanese: the data give no reading for them"]
                   for name, lines in credits.items()}
    counted = _count_format(k)
    share_hover = {f'{t["interval"]} 5%': (m["offline_share_lo"], "share"),
                   f'{t["interval"]} 95%': (m["offline_share_hi"], "share"), t["count"]: (m["offline_count"], counted)}
    figures = [
        BriefingFigure("offline_share", t["offline_share"], choropleth(
            frame, m["offline_share"], title=t["offline_share"], credits=credits["offline_share"], lang=lang,
            unit="share", legend_title=t["share"], hover=share_hover), credits["offline_share"]),
    ]
    counts = m["offline_count"]
    count_map = choropleth(frame, counts, title=t["offline_count"], credits=credits["offline_count"], lang=lang,
                           unit="count", legend_title=t["count"], colours="YlGnBu", value_format=counted)
    figures.append(BriefingFigure("offline_count", t["offline_count"], count_map, credits["offline_count"]))
    for part in ("age_part", "geo_part"):
        figures.append(BriefingFigure(part, t[part], choropleth(
            frame, m[part], title=t[part], credits=credits[part], lang=lang, unit="share_pt", colours="RdBu",
            scheme="user", breaks=_symmetric_breaks(m[part]), legend_title=t["pp"]), credits[part]))
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
    plan = analysis.plan
    form_names = dict(zip(plan["support_form"], plan[f"support_form_{lang}"], strict=False))
    order = ["outreach", "assisted_desk", "remote_help", "online_first"]
    form_names = {key: form_names[key] for key in order if key in form_names}
    chosen = analysis.sites.chosen
    offices = service_points(frame, None)
    offices = offices[offices["kind"] == "main office"]  # a listed office outside its town is not drawn
    place = names(frame, lang)
    layers = [PointLayer(offices["lon"], offices["lat"], (place.reindex(offices["code"]) + " " + t["offices"]).tolist(),
                         t["offices"], symbol="square", colour="#000000", size=6),
              PointLayer(chosen["lon"], chosen["lat"], chosen["name"], t["sites"], symbol="star", colour="#CC79A7",
                         size=13)]
    figures.append(BriefingFigure("forms", t["forms"], category_map(
        frame, plan["support_form"], form_names, title=t["forms"], credits=credits["forms"], lang=lang,
        points=layers, legend_title=t["form"], hover={t["count"]: (plan["headcount"], counted)}), credits["forms"]))
    wide = analysis.projection.pivot(index="code", columns="year", values="offline_count")
    change = (wide[2035] / wide[2025] - 1).where(wide[2025] > 0)
    figures.append(BriefingFigure("change", t["change"], choropleth(
        frame, change, title=t["change"], credits=credits["change"], lang=lang, unit="share", colours="PuOr",
        scheme="user", breaks=_symmetric_breaks(change.dropna()), legend_title=t["change_pct"]), credits["change"]))
    figures.append(BriefingFigure("gain", t["gain"], gain_chart(analysis, lang, credits["forms"]), credits["forms"],
                                  is_map=False))
    return figures


def gain_chart(analysis: Analysis, lang: str, credits: list[str]) -> go.Figure:
    t = T[lang]
    gain = analysis.sites.gain
    figure = go.Figure([
        go.Scatter(x=gain["k"], y=gain["covered"], mode="lines+markers", name=t["exact"],
                   line=dict(color="#0072B2", width=3)),
        go.Scatter(x=gain["k"], y=gain["covered_greedy"], mode="lines", name=t["greedy"],
                   line=dict(color="#E69F00", dash="dash")),
    ])
    figure.update_layout(
        title=dict(text=t["gain"], x=0.02), width=1100, height=700, font=dict(family=FONT, size=14),
        paper_bgcolor="white", plot_bgcolor="white",
        xaxis=dict(title=t["sites_axis"], dtick=1, gridcolor="#eeeeee"),
        yaxis=dict(title=t["covered_axis"], gridcolor="#eeeeee", tickformat=","),
        margin=dict(b=60 + 14 * len(credits)),
        annotations=[dict(text="<br>".join(credits), x=0, y=0, xref="paper", yref="paper", xanchor="left",
                          yanchor="top", yshift=-50, showarrow=False, align="left", font=dict(size=9))])
    return figure
