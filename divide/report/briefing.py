"""The figures of a council briefing, built from an :class:`~divide.analysis.Analysis`, in Japanese
or English.

A :class:`BriefingFigure` is a recipe: ``figure`` draws it for the screen (HTML), ``on(canvas)`` for
an A4 page or a slide body, where labels are placed anew and remote islands laid out for that size.
Each map names its sources (the boundaries plus the datasets behind the mapped value), says its
reference date in its subtitle and its unit and classing in its legend. Counts of people estimated
below ``k`` are shown as "<k", and the shares that would give them back as "X", as in the exported
tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from divide.analysis import Analysis
from divide.codes import NORTHERN_TERRITORIES_ISLANDS
from divide.report.charts import gain_chart, projection_chart
from divide.report.classify import choose_classes, formatter
from divide.report.disclosure import masked
from divide.report.index_audit import pillar_list
from divide.report.maps import PointLayer, category_map, choropleth, names
from divide.report.mapview import SCREEN, Canvas
from divide.report.words import TERMS as T
from divide.report.words import area_word, plan_words
from divide.validation import Lang, Result, Threshold, checked

PARTS = ("age_part", "settlement_part", "composition_part")
MAX_OFFICE_MARKERS = 80


def map_datasets(analysis: Analysis) -> dict[str, dict]:
    """The datasets behind each figure of the briefing (its credit lines): the boundaries plus the
    value's.
    """
    boundaries = {k: v for k, v in analysis.frame.datasets.items() if k == "boundaries"}
    estimate = {**boundaries, **analysis.estimate.datasets}
    forms = {**analysis.plan.datasets, **analysis.sites.datasets}
    return {
        "offline_share": estimate,
        "offline_count": estimate,
        "age_part": estimate,
        "settlement_part": estimate,
        "composition_part": estimate,
        "score": {**boundaries, **analysis.index.datasets},
        "access": {**boundaries, **analysis.geography.datasets},
        "forms": forms,
        "gain": forms,
        "change": {**estimate, **analysis.projection.datasets},
        "projection": analysis.projection.datasets,
    }


@dataclass
class BriefingFigure:
    """A figure of the briefing: its name, title, subtitle (basis and date), credit lines and how to
    draw it.
    """

    name: str
    title: str
    subtitle: str
    credits: list[str]
    build: Callable[[Canvas], go.Figure]
    is_map: bool = True
    _screen: go.Figure | None = field(default=None, repr=False)

    @property
    def figure(self) -> go.Figure:
        """The figure for the screen (HTML, notebooks)."""
        if self._screen is None:
            self._screen = self.build(SCREEN)
        return self._screen

    def on(self, canvas: Canvas) -> go.Figure:
        """The figure drawn for ``canvas`` (an A4 page, a slide body …)."""
        return self.figure if canvas == SCREEN else self.build(canvas)


def _count_format(k: int) -> Callable[[float], str]:
    plain = formatter("count")
    return lambda v: f"<{k}" if v < k else plain(v)


def _with_unsurveyed(analysis: Analysis, lang: str) -> tuple[pd.DataFrame, str]:
    """The municipalities to draw, with the areas no statistics cover (the Northern Territories, for
    Hokkaido).

    Maps draw them as "no data"; the second value names them for the map's note ("" when there are
    none).
    """
    frame = analysis.geography.municipalities
    layer = analysis.frame.data.layers.get("no_statistics")
    if layer is None or analysis.pref is None:
        return frame, ""
    extra = layer[layer["pref_code"] == analysis.pref].set_index("code")
    if extra.empty:
        return frame, ""
    island = {code: NORTHERN_TERRITORIES_ISLANDS[code][lang == "en"] for code in extra.index}
    extra = extra.assign(
        name_ja=[f"{n}（{island[c]}）" for c, n in extra["name_ja"].items()]
        if lang == "ja"
        else extra["name_ja"],
        name_en=[f"{n} ({island[c]})" for c, n in extra["name_en"].items()],
    )
    drawn = pd.concat([frame, extra[["name_ja", "name_en", "geometry"]].to_crs(frame.crs)])
    return drawn, ("、" if lang == "ja" else ", ").join(extra[f"name_{lang}"])


class _Figures:
    """What every figure of one briefing needs: the analysis, the language, k, credit lines, words."""

    def __init__(self, analysis: Analysis, lang: str, k: int) -> None:
        self.analysis, self.lang, self.k, self.t = analysis, lang, k, T[lang]
        self.frame, unsurveyed = _with_unsurveyed(analysis, lang)
        self.credits = {
            name: analysis.credits(datasets, lang)
            for name, datasets in map_datasets(analysis).items()
        }
        self.notes = [T[lang]["unsurveyed"].format(names=unsurveyed)] if unsurveyed else []
        if lang == "en" and self.frame["name_en"].isna().any():
            missing = int(self.frame["name_en"].isna().sum())
            self.credits = {
                name: [
                    *lines,
                    f"{missing} municipalities are named in Japanese: the data give no "
                    "reading for them",
                ]
                for name, lines in self.credits.items()
            }
        self.small = (
            analysis.estimate.municipalities["offline_count"] < k
        )  # shares that would give the count back
        self.area = area_word(analysis.pref, lang)

    def map(
        self, name: str, subtitle: str, draw: Callable[..., go.Figure], **options: object
    ) -> BriefingFigure:
        title = self.t[name]
        build = partial(
            draw,
            self.frame,
            title=title,
            subtitle=subtitle,
            credits=self.credits[name],
            lang=self.lang,
            notes=self.notes,
            **options,
        )
        return BriefingFigure(
            name, title, subtitle, self.credits[name], lambda canvas: build(canvas=canvas)
        )

    def estimate(self) -> list[BriefingFigure]:
        t, m, share = self.t, self.analysis.estimate.municipalities, formatter("share")
        subtitle = t["sub_estimate"].format(year=self.analysis.estimate.year)
        counted = _count_format(self.k)
        hover = {
            f"{t['interval']} 5%": (masked(m["offline_share_lo"], share, self.small), str),
            f"{t['interval']} 95%": (masked(m["offline_share_hi"], share, self.small), str),
            t["count"]: (m["offline_count"], counted),
        }
        hatch = (
            [(m.index[m["extrapolated"]], t["hatch_extrapolated"], "/")]
            if m["extrapolated"].any()
            else []
        )
        subtitle += t["sub_extrapolated"] if hatch else ""
        figures = [
            self.map(
                "offline_share",
                subtitle,
                choropleth,
                values=m["offline_share"],
                unit="share",
                legend_title=f"{t['share']} ({t['pct_unit']})",
                hover=hover,
                hidden=self.small,
                hatch=hatch,
            ),
            self.map(
                "offline_count",
                subtitle,
                choropleth,
                values=m["offline_count"],
                unit="count",
                colours="YlGnBu",
                legend_title=f"{t['count']} ({t['persons_unit']})",
                value_format=counted,
                hatch=hatch,
            ),
        ]
        shared = choose_classes(
            pd.concat([m[p] for p in PARTS], ignore_index=True), colours="RdBu", centre=True
        ).bins
        for part in PARTS:
            figures.append(
                self.map(
                    part,
                    subtitle + t["sub_parts"],
                    choropleth,
                    values=m[part],
                    unit="share_pt",
                    colours="RdBu",
                    centre=True,
                    breaks=shared,
                    legend_title=t["pp"],
                    hidden=self.small,
                    hatch=hatch,
                )
            )
        return figures

    def context(self) -> list[BriefingFigure]:
        t, scores, frame, analysis = self.t, self.analysis.index.scores, self.frame, self.analysis
        ranks = {
            t["rank"]: (scores["rank"].astype(float), "count"),
            "5%": (analysis.uncertainty["rank_p05"].astype(float), "count"),
            "95%": (analysis.uncertainty["rank_p95"].astype(float), "count"),
        }
        unverified = frame.index[~frame["access_verified"].astype(bool)]
        pillars = pillar_list(analysis.index, self.lang)
        missing = (
            t["no_broadband"]
            if analysis.frame.municipalities["broadband_coverage_pct"].isna().all()
            else ""
        )
        return [
            self.map(
                "score",
                t["sub_score"].format(pillars=pillars, area=self.area, missing=missing),
                choropleth,
                values=scores["score"],
                legend_title=t["index"],
                hover=ranks,
            ),
            self.map(
                "access",
                t["sub_access"].format(detour=analysis.geography.detour),
                choropleth,
                values=frame["access_mean_km"],
                unit="km",
                colours="YlGnBu",
                legend_title=f"{t['km']} ({t['km_unit']})",
                hover={t["p90"]: (frame["access_p90_km"], "km")},
                hatch=[(unverified, t["hatch_unverified"], ".")],
            ),
        ]

    def _layers(self) -> list[PointLayer]:
        t, analysis = self.t, self.analysis
        counters = analysis.geography.counters
        offices = counters[
            counters["kind"] == "main office"
        ]  # a listed office outside its town is not drawn
        place = names(self.frame, self.lang)
        chosen = analysis.sites.chosen
        layers = [
            PointLayer(
                chosen["lon"],
                chosen["lat"],
                chosen["name"],
                t["sites"],
                symbol="star",
                colour="#000000",
                size=17,
                line="#ffffff",
            )
        ]
        if (
            len(self.frame) <= MAX_OFFICE_MARKERS
        ):  # beyond, 179 squares would hide the names (hover has them)
            layers.insert(
                0,
                PointLayer(
                    offices["lon"],
                    offices["lat"],
                    (place.reindex(offices["code"]) + " " + t["offices"]).tolist(),
                    t["offices"],
                    symbol="square",
                    colour="#ffffff",
                    size=7,
                    line="#000000",
                ),
            )
        return layers

    def support(self) -> list[BriefingFigure]:
        t, plan, analysis = self.t, self.analysis.plan.table, self.analysis
        spec = analysis.plan.spec
        used = set(plan["support_form"])
        form_names = {f.id: spec.label(f.id, self.lang) for f in spec.forms if f.id in used}
        words = plan_words(analysis.plan, self.lang)
        hover = {
            t["count"]: (plan["headcount"], _count_format(self.k)),
            t["need_probability"]: (
                masked(plan["need_agreement"], formatter("share"), plan["headcount"] < self.k),
                str,
            ),
            t["why_check"]: (words["why_check"].replace("", "–"), str),
        }
        projection = analysis.projection
        wide = projection.path().pivot(index="code", columns="year", values="offline_count")
        change = (wide[2035] / wide[2025] - 1).where(wide[2025] > 0)
        basis = projection.path().groupby("code")["population_basis"].last()
        no_ipss = basis.index[basis.str.startswith("no IPSS")]
        return [
            self.map(
                "forms",
                t["sub_forms"].format(year=analysis.estimate.year),
                category_map,
                categories=plan["support_form"],
                category_names=form_names,
                points=self._layers(),
                legend_title=t["form"],
                hover=hover,
                hatch=[(plan.index[plan["form_uncertain"]], t["hatch_check"], "x")],
            ),
            self.map(
                "change",
                t["sub_change"],
                choropleth,
                values=change,
                unit="share",
                colours="PuOr",
                centre=True,
                legend_title=f"{t['change_pct']} ({t['pct_unit']}; {t['change_sign']})",
                hatch=[(no_ipss, t["hatch_no_ipss"], "\\")],
            ),
        ]

    def charts(self) -> list[BriefingFigure]:
        t, analysis, lang = self.t, self.analysis, self.lang
        sites = analysis.sites
        gain_title = t["gain"].format(radius=sites.radius_km)
        unverified = (
            int((~sites.chosen["network_verified"].astype(bool)).sum()) if len(sites.chosen) else 0
        )
        gain_sub = t["sub_gain"].format(k=sites.k, unverified=unverified)
        trend, se = analysis.projection.trend_per_year
        verdict = t["trend_zero"] if abs(trend) < 2 * se else t["trend_real"]
        projection_sub = t["projection_sub"].format(area=self.area) + t["sub_trend"].format(
            trend=trend, se=se, verdict=verdict
        )
        return [
            BriefingFigure(
                "gain",
                gain_title,
                gain_sub,
                self.credits["gain"],
                lambda canvas: gain_chart(analysis, lang, self.credits["gain"], canvas, gain_sub),
                is_map=False,
            ),
            BriefingFigure(
                "projection",
                t["projection"],
                projection_sub,
                self.credits["projection"],
                lambda canvas: projection_chart(
                    analysis.projection,
                    lang=lang,
                    credits=self.credits["projection"],
                    canvas=canvas,
                    subtitle=projection_sub,
                    area=self.area,
                ),
                is_map=False,
            ),
        ]


@checked
def briefing_figures(
    analysis: Result[Analysis], *, lang: Lang = "ja", k: Threshold = 10
) -> list[BriefingFigure]:
    """The maps and charts of a council briefing, each with its title, subtitle and credit lines.

    Examples
    --------
    >>> import divide
    >>> figures = divide.briefing_figures(divide.analyse("07", draws=100), lang="en")
    >>> [f.name for f in figures][:3]
    ['offline_share', 'offline_count', 'age_part']
    """
    figures = _Figures(analysis, lang, k)
    return [*figures.estimate(), *figures.context(), *figures.support(), *figures.charts()]
