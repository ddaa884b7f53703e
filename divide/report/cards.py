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
from divide.report.disclosure import GROUPS
from divide.report.maps import names, rings
from divide.report.mapview import CARD, FONT, MapView, map_view
from divide.report.numbers import count_text
from divide.report.textfit import em_width
from divide.report.words import TERMS, age_band_text, cluster_label


def prefecture_average(pref_code: str, pref_name_en: str, lang: str) -> str:
    """「道平均」「都平均」「府平均」「県平均」, or "<Prefecture> average" in English."""
    if lang != "ja":
        return f"{pref_name_en} average"
    return {"01": "道平均", "13": "都平均", "26": "府平均", "27": "府平均"}.get(pref_code, "県平均")


# dark navy: no support form's colour, so that a card never seems to give its municipality a form
HIGHLIGHT = "#1B2A49"


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
            textfont=dict(size=16, color="#111111", shadow="auto"),
            cliponaxis=False,
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


CARD_WIDTH, CARD_HEIGHT = 1400, 788  # a 16:9 slide: the card is the whole slide of profiles.pptx
TEXT_FONT = 18  # px: 12.3 pt on a 13.33-inch slide
TEXT_LEFT, TEXT_TOP, TEXT_BOTTOM = 0.47, 0.93, 0.50  # the text frame, in paper fractions
LINE_HEIGHT = 1.35  # plotly's line spacing, in font sizes
MARGINS = dict(l=24, r=24, t=76, b=44)
AGE_COLUMNS = ("15-39", "40-64", "65-74", "75+")


def _pieces(text: str, width: float) -> list[str]:
    """The text cut at its separators, and a piece still wider than ``width`` at its spaces (or,
    for Japanese without spaces, into ``width``-em runs).
    """
    marked = text.replace("／", "／\n").replace(" / ", " / \n").replace("; ", "; \n")
    out = []
    for piece in marked.split("\n"):
        if em_width(_plain(piece)) <= width:
            out.append(piece)
        elif " " in piece:
            out += [word + " " for word in piece.split(" ")[:-1]] + [piece.split(" ")[-1]]
        else:
            run = ""
            for char in piece:
                if em_width(_plain(run + char)) > width:
                    out.append(run)
                    run = ""
                run += char
            out.append(run)
    return [p for p in out if p]


def _wrap(text: str, width: float) -> list[str]:
    """Break a card line at its separators (then its spaces) so that it stays within ``width``
    ems.
    """
    out, line = [], ""
    for piece in _pieces(text, width):
        if line and em_width(_plain(line + piece)) > width:
            out.append(line.rstrip())
            line = ""
        line += piece
    return [*out, line.rstrip()]


def _plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")


def text_frame() -> tuple[float, float]:
    """Width (ems) and lines the card's text frame holds at :data:`TEXT_FONT`."""
    plot_width = CARD_WIDTH - MARGINS["l"] - MARGINS["r"]
    plot_height = CARD_HEIGHT - MARGINS["t"] - MARGINS["b"]
    width = (1 - TEXT_LEFT) * plot_width / TEXT_FONT
    lines = (TEXT_TOP - TEXT_BOTTOM) * plot_height / (TEXT_FONT * LINE_HEIGHT)
    return width, lines


def _age_line(row: pd.Series, lang: str, k: int) -> str:
    """Offline residents by age group; when one group is below k, every group is withheld (the
    total minus the others would give it back).
    """
    t = TERMS[lang]
    present = [band for band in AGE_COLUMNS if f"age_{band}" in row]
    small = any(row[f"age_{band}"] < k for band in present)
    parts = [
        f"{age_band_text(band, lang)} "
        + (count_text(row[f"age_{band}"], k) if row[f"age_{band}"] < k or not small else "X")
        for band in present
    ]
    colon = "：" if lang == "ja" else ": "
    return f"<b>{t['ages']}</b>{colon}" + ("／" if lang == "ja" else " / ").join(parts)


def _lines(row: pd.Series, facts: pd.DataFrame, lang: str, k: int) -> list[str]:
    """The card's text, each line within the frame: form, why to check, head-count, age groups,
    share, rank, how sure, cluster.
    """
    t = TERMS[lang]
    colon = "：" if lang == "ja" else ": "
    small = bool(row["headcount"] < k)
    share = (lambda v: "X") if small else formatter("share")
    interval = (
        "X"
        if small
        else f"{count_text(row['headcount_lo'], k)}–{count_text(row['headcount_hi'], k)}"
    )
    lines = [f"<b>{t['form']}</b>{colon}{row[f'support_form_{lang}']}"]
    if row.get("form_uncertain", False):
        lines.append(f"<b>{t['why_check']}</b>{colon}{row[f'why_check_{lang}']}")
    lines += [
        f"<b>{t['heads']}</b>{colon}{count_text(row['headcount'], k)}{t['persons']}"
        f"（{t['interval']} {interval}）"
        if lang == "ja"
        else f"<b>{t['heads']}</b>: {count_text(row['headcount'], k)} ({t['interval']} {interval})",
    ]
    if "age_75+" in row:
        lines.append(_age_line(row, lang, k))
    low, high = share(row["offline_share_lo"]), share(row["offline_share_hi"])
    lines.append(
        f"<b>{t['share']}</b>{colon}{share(row['offline_share'])}"
        + (
            f"（{t['interval']} {low}–{high}）"
            if lang == "ja"
            else f" ({t['interval']} {low}–{high})"
        )
    )
    if "rank" in row and pd.notna(row["rank"]):
        ranks = f"{int(row['rank_p05'])}–{int(row['rank_p95'])}"
        lines.append(
            f"<b>{t['rank']}</b>{colon}{int(row['rank'])}{t['of']}{len(facts)}"
            + (
                f"（{t['rank_interval']} {ranks}）"
                if lang == "ja"
                else f" ({t['rank_interval']} {ranks})"
            )
        )
    if "need_agreement" in row:
        verified = t["verified_yes"] if row["access_verified"] else t["verified_no"]
        probability = "X" if small else _probability(row["need_agreement"])
        lines.append(f"<b>{t['need_probability']}</b>{colon}{probability}")
        lines.append(f"<b>{t['access_verified']}</b>{colon}{verified}")
    if "cluster" in row:
        lines.append(f"<b>{t['cluster']}</b>{colon}{cluster_label(row['cluster'], lang)}")
    width, _ = text_frame()
    return [part for line in lines for part in _wrap(line, width)]


def profile_card(
    code: str,
    frame: gpd.GeoDataFrame,
    facts: pd.DataFrame,
    indicators: dict[str, tuple[str, str]],
    *,
    lang: str = "ja",
    note: str = "",
    credits: Sequence[str] = (),
    highlight: str = HIGHLIGHT,
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
    text = _lines(row, facts, lang, k)
    layout = dict(
        width=CARD_WIDTH,
        height=CARD_HEIGHT,
        font=dict(family=FONT, size=TEXT_FONT),
        paper_bgcolor="white",
        plot_bgcolor="white",
        title=dict(
            text=f"<b>{place[code]}</b>  "
            f"{frame.loc[code, 'pref_name_ja' if lang == 'ja' else 'pref_name_en']}",
            x=0.02,
            font=dict(size=30),
        ),
        xaxis=dict(domain=[0.0, 0.42], visible=False, range=list(panel.x_range)),
        yaxis=dict(
            domain=[0.02, 0.93],
            visible=False,
            range=list(panel.y_range),
            scaleanchor="x",
            scaleratio=panel.ratio,
        ),
        xaxis2=dict(domain=[0.66, 0.93], visible=False, range=[0, 1.45], anchor="y2"),
        yaxis2=dict(
            domain=[0.02, 0.40], autorange="reversed", anchor="x2", tickfont=dict(size=TEXT_FONT)
        ),
        barmode="group",
        bargap=0.25,
        legend=dict(
            x=TEXT_LEFT, y=0.47, orientation="h", xanchor="left", font=dict(size=TEXT_FONT)
        ),
        margin=MARGINS,
        annotations=[
            dict(
                text="<br>".join(text),
                x=TEXT_LEFT,
                y=TEXT_TOP,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                align="left",
                showarrow=False,
                font=dict(size=TEXT_FONT),
                name="card text",
            ),
            dict(
                text="<br>".join(bottom),
                x=0,
                y=0,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                yshift=-6,
                showarrow=False,
                align="left",
                font=dict(size=14, color="#555555"),
            ),
        ],
        meta={"divide": {"kind": "card", "text_lines": [_plain(line) for line in text]}},
    )
    return go.Figure(
        data=traces, layout=layout, _validate=False
    )  # plain dicts: see divide.report.maps
