"""Charts for the notebooks (not maps): the age curve, ranked intervals, sensitivity, the time axis.

Same conventions as the maps: Japanese labels by default, Okabe-Ito colours, credit lines at the
bottom.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from divide.estimate.age_curve import AGES
from divide.estimate.offline import OfflineEstimate
from divide.report.charts import projection_chart  # noqa: F401 - the notebooks' time axis
from divide.report.maps import FONT, names
from divide.report.words import TERMS as L


def _layout(title: str, credits: Sequence[str], height: int = 600) -> dict:
    return dict(
        title=dict(text=title, x=0.02),
        font=dict(family=FONT, size=13),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        width=1000,
        margin=dict(b=60 + 13 * len(credits)),
        annotations=[
            dict(
                text="<br>".join(credits),
                x=0,
                y=0,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                yshift=-45,
                showarrow=False,
                align="left",
                font=dict(size=9),
            )
        ],
    )


def age_curve_figure(
    estimate: OfflineEstimate, *, lang: str = "ja", credits: Sequence[str] = ()
) -> go.Figure:
    t = L[lang]
    table = estimate.age_curve.table
    mids = [
        (lo + (hi if pd.notna(hi) else 95)) / 2
        for lo, hi in zip(table["age_lo"], table["age_hi"], strict=True)
    ]
    figure = go.Figure(
        [
            go.Scatter(
                x=AGES,
                y=estimate.age_curve.use_by_age(),
                mode="lines",
                name=t["curve"],
                line=dict(color="#0072B2", width=3),
            ),
            go.Scatter(
                x=mids,
                y=table["pct"] / 100,
                mode="markers",
                name=t["bands"],
                marker=dict(color="#D55E00", size=11, symbol="diamond"),
                error_x=dict(
                    type="data",
                    symmetric=False,
                    array=[
                        (hi if pd.notna(hi) else 104) - m
                        for hi, m in zip(table["age_hi"], mids, strict=True)
                    ],
                    arrayminus=[m - lo for lo, m in zip(table["age_lo"], mids, strict=True)],
                ),
            ),
        ]
    )
    figure.update_layout(
        **_layout(t["age_title"], credits),
        xaxis=dict(title=t["age"], gridcolor="#eeeeee"),
        yaxis=dict(title=t["use"], tickformat=".0%", range=[0, 1.02], gridcolor="#eeeeee"),
    )
    return figure


def interval_chart(
    estimate: OfflineEstimate, frame: pd.DataFrame, *, lang: str = "ja", credits: Sequence[str] = ()
) -> go.Figure:
    t = L[lang]
    m = estimate.municipalities.sort_values("offline_share")
    place = names(frame, lang).reindex(m.index)
    figure = go.Figure(
        go.Scatter(
            x=m["offline_share"],
            y=place,
            mode="markers",
            marker=dict(color="#0072B2", size=7),
            name=t["share_15"],
            error_x=dict(
                type="data",
                symmetric=False,
                array=m["offline_share_hi"] - m["offline_share"],
                arrayminus=m["offline_share"] - m["offline_share_lo"],
                color="#999999",
            ),
        )
    )
    figure.add_vline(x=estimate.reference_share, line_dash="dash", line_color="#D55E00")
    figure.update_layout(
        **_layout(t["ranked"], credits, height=max(500, 16 * len(m))),
        xaxis=dict(title=t["share_15"], tickformat=".0%", gridcolor="#eeeeee"),
        yaxis=dict(tickfont=dict(size=10)),
    )
    return figure


def rank_interval_chart(
    scores: pd.DataFrame,
    uncertainty: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    lang: str = "ja",
    credits: Sequence[str] = (),
) -> go.Figure:
    t = L[lang]
    table = scores[["rank"]].join(uncertainty).sort_values("rank", ascending=False)
    place = names(frame, lang).reindex(table.index)
    figure = go.Figure(
        go.Scatter(
            x=table["rank"],
            y=place,
            mode="markers",
            marker=dict(color="#D55E00", size=7),
            name=t["rank_axis"],
            error_x=dict(
                type="data",
                symmetric=False,
                array=table["rank_p95"] - table["rank"],
                arrayminus=table["rank"] - table["rank_p05"],
                color="#999999",
            ),
        )
    )
    figure.update_layout(
        **_layout(t["ranks"], credits, height=max(500, 16 * len(table))),
        xaxis=dict(title=t["rank_axis"], autorange="reversed", gridcolor="#eeeeee"),
        yaxis=dict(tickfont=dict(size=10)),
    )
    return figure


def sensitivity_chart(table: pd.DataFrame, *, lang: str = "ja") -> go.Figure:
    t = L[lang]
    figure = go.Figure(
        go.Bar(
            x=table["mean_abs_rank_shift"],
            y=table["factor"],
            orientation="h",
            marker_color="#009E73",
            text=[f"{v:.2f}" for v in table["mean_abs_rank_shift"]],
            textposition="outside",
        )
    )
    figure.update_layout(**_layout(t["sensitivity"], (), height=400), xaxis=dict(title=t["shift"]))
    return figure


def rank_shift(a: pd.Series, b: pd.Series) -> float:
    """Mean absolute difference of two rankings of the same municipalities."""
    return float(np.mean(np.abs(a.sort_index().to_numpy() - b.sort_index().to_numpy())))
