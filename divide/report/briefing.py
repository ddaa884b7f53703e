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
from divide.report.charts import gain_chart, projection_chart, published_chart
from divide.report.classify import choose_classes, formatter
from divide.report.disclosure import masked
from divide.report.index_audit import pillar_list
from divide.report.maps import Classes, Layers, MapText, PointLayer, category_map, choropleth, names
from divide.report.mapview import SCREEN, Canvas
from divide.report.numbers import count_text
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
        "published": analysis.estimate.datasets,
    }


@dataclass
class BriefingFigure:
    """A figure of the briefing: its name, title, subtitle (basis and date), credit lines and how
    to draw it; each canvas is drawn once.
    """

    name: str
    title: str
    subtitle: str
    credits: list[str]
    build: Callable[[Canvas], go.Figure]
    is_map: bool = True
    _drawn: dict[str, go.Figure] = field(default_factory=dict, repr=False)

    @property
    def figure(self) -> go.Figure:
        """The figure for the screen (HTML, notebooks)."""
        return self.on(SCREEN)

    def on(self, canvas: Canvas) -> go.Figure:
        """The figure drawn for ``canvas`` (an A4 page, a slide body …)."""
        if canvas.name not in self._drawn:
            self._drawn[canvas.name] = self.build(canvas)
        return self._drawn[canvas.name]


def _count_format(k: int) -> Callable[[float], str]:
    """Counts as read everywhere: ``<k`` below k, else three significant figures."""
    return lambda v: count_text(v, k)


def _with_unsurveyed(analysis: Analysis, lang: str) -> tuple[pd.DataFrame, str]:
    """The municipalities to draw, with the areas no statistics cover (the Northern Territories, for
    Hokkaido).

    Maps draw them as "no data"; the second value names them for the map's note ("" when there are
    none).
    """
    frame = analysis.geography.municipalities
    layer = analysis.frame.no_statistics
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


FORM_COLOURS = {  # one colour per support form in every pack (need: hue; unknown access: pale)
    "outreach": "#D55E00",
    "assisted_desk": "#E69F00",
    "high_network_check": "#F3CC8A",
    "mobile_desk": "#0072B2",
    "extra_capacity": "#56B4E9",
    "capacity_network_check": "#B3DAF1",
    "remote_help": "#009E73",
    "online_first": "#EFE7CF",  # pale sand: distinct from the grey of "no data"
    "network_check": "#CC79A7",
}
TOP_NAMED = 10  # the municipalities with the most offline residents are always named
FAR_OUTSIDE = 0.25  # hatched as extrapolated where the graduate-share placement fell to this weight


def suppressed(analysis: Analysis, k: int) -> pd.Series:
    """Municipalities whose estimated counts are withheld: any count below ``k`` now or in a
    projected year (a later count and the change between them would give the small one back).
    """
    counts = analysis.projection.table.groupby("code")["offline_count"].min()
    small = analysis.estimate.municipalities["offline_count"] < k
    return small | (counts.reindex(small.index) < k).fillna(False)


def acting(analysis: Analysis) -> list[str]:
    """Codes a council will ask about: every form that acts (all but the usual counter), the ten
    with the most offline residents, and every municipality that holds a proposed site (its
    marker on the map raises the question "where is that?").
    """
    plan = analysis.plan.table
    top = plan["headcount"].nlargest(TOP_NAMED).index
    sites = set(analysis.sites.chosen["code"]) & set(plan.index)
    return sorted(set(plan.index[plan["support_form"] != "online_first"]) | set(top) | sites)


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
                name: [*lines, T[lang]["named_in_japanese"].format(n=missing)]
                for name, lines in self.credits.items()
            }
        self.hidden = suppressed(analysis, k)
        self.area = area_word(analysis.pref, lang)
        self.year = analysis.estimate.population_year

    def _legend(self, title: str, *parts: str) -> str:
        """A legend's title with its unit and reference date, punctuated in the deck's language:
        オフライン率（%、2025年） / Offline share (%, 2025).
        """
        if self.lang == "ja":
            return f"{title}（{'、'.join(parts)}）"
        return f"{title} ({', '.join(parts)})"

    def map(
        self,
        name: str,
        subtitle: str,
        draw: Callable[..., go.Figure],
        *values: object,
        legend_title: str,
        **options: object,
    ) -> BriefingFigure:
        title = self.t[name]
        text = MapText(
            title,
            self.credits[name],
            lang=self.lang,
            subtitle=subtitle,
            legend_title=legend_title,
            notes=self.notes,
        )
        build = partial(draw, self.frame, *values, text, **options)
        return BriefingFigure(
            name, title, subtitle, self.credits[name], lambda canvas: build(canvas=canvas)
        )

    def _withheld(self, values: pd.Series) -> pd.Series:
        """``values`` with the withheld municipalities left without a class (their fill is grey)."""
        return values.where(~self.hidden.reindex(values.index, fill_value=False))

    def estimate(self) -> list[BriefingFigure]:
        t, m, share = self.t, self.analysis.estimate.municipalities, formatter("share")
        basis = t["sub_estimate"].format(year=self.analysis.estimate.year)
        subtitle = basis
        counted = _count_format(self.k)
        hover = {
            f"{t['interval']} 5%": (masked(m["offline_share_lo"], share, self.hidden), str),
            f"{t['interval']} 95%": (masked(m["offline_share_hi"], share, self.hidden), str),
            t["count"]: (m["offline_count"], counted),
        }
        far = m.index[m["placement_full"] <= FAR_OUTSIDE]
        hatch = [(far, t["hatch_extrapolated"], "/")] if len(far) else []
        if m["extrapolated"].any():
            subtitle += t["sub_extrapolated"].format(n=int(m["extrapolated"].sum()))
            subtitle += t["sub_extrapolated_far"].format(far=len(far)) if len(far) else ""
        hidden = Layers(hover=hover, hidden=self.hidden, hatch=hatch)
        year = f"{self.year}{t['year_suffix']}"
        figures = [
            self.map(
                "offline_share",
                subtitle,
                choropleth,
                self._withheld(m["offline_share"]),
                legend_title=self._legend(t["share"], t["pct_unit"], year),
                classes=Classes(unit="share"),
                layers=hidden,
            ),
            self.map(
                "offline_count",
                subtitle,
                choropleth,
                self._withheld(m["offline_count"]),
                legend_title=self._legend(t["count"], t["persons_unit"], year),
                classes=Classes(unit="count", colours="YlGnBu", value_format=counted),
                layers=Layers(hatch=hatch, hidden=self.hidden),
            ),
        ]
        shared = choose_classes(
            pd.concat([m[p] for p in PARTS], ignore_index=True), colours="RdBu", centre=True
        )
        one_scale = Classes(
            unit="share_pt", colours="RdBu", centre=True, breaks=shared.bins, lowest=shared.minimum
        )
        for part in PARTS:
            figures.append(
                self.map(
                    part,
                    basis + t["sub_parts"],
                    choropleth,
                    self._withheld(m[part]),
                    legend_title=self._legend(t["pp"], year),
                    classes=one_scale,
                    layers=Layers(hidden=self.hidden, hatch=hatch),
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
        year = f"{self.year}{t['year_suffix']}"
        return [
            self.map(
                "score",
                t["sub_score"].format(pillars=pillars, area=self.area, missing=missing),
                choropleth,
                scores["score"],
                legend_title=self._legend(t["index"], year),
                layers=Layers(hover=ranks),
            ),
            self.map(
                "access",
                t["sub_access"].format(detour=analysis.geography.detour),
                choropleth,
                frame["access_mean_km"],
                legend_title=self._legend(t["km"], t["km_unit"], t["access_date"]),
                classes=Classes(unit="km", colours="YlGnBu"),
                layers=Layers(
                    hover={t["p90"]: (frame["access_p90_km"], "km")},
                    hatch=[(unverified, t["hatch_unverified"], ".")],
                ),
            ),
        ]

    def _points(self) -> list[PointLayer]:
        t, analysis = self.t, self.analysis
        counters = analysis.geography.counters
        offices = counters[
            counters["kind"] == "main office"
        ]  # not a listed office outside its town
        place = names(self.frame, self.lang)
        chosen = analysis.sites.chosen
        firm, conditional = chosen[~chosen["conditional"]], chosen[chosen["conditional"]]
        layers = [
            PointLayer(
                firm["lon"],
                firm["lat"],
                firm["name"],
                t["sites"],
                symbol="star",
                colour="#000000",
                size=17,
                line="#ffffff",
            ),
            PointLayer(
                conditional["lon"],
                conditional["lat"],
                conditional["name"],
                t["sites_conditional"],
                symbol="star-open",
                colour="#000000",
                size=15,
                line="#000000",
            ),
        ]
        if len(self.frame) <= MAX_OFFICE_MARKERS:  # beyond, the squares would hide the names
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
        return [layer for layer in layers if len(layer.lon)]

    def support(self) -> list[BriefingFigure]:
        t, plan, analysis = self.t, self.analysis.plan.table, self.analysis
        spec = analysis.plan.spec
        used = set(plan["support_form"])
        form_names = {f.id: spec.label(f.id, self.lang) for f in spec.forms if f.id in used}
        words = plan_words(analysis.plan, self.lang)
        hover = {
            t["count"]: (plan["headcount"], _count_format(self.k)),
            t["need_probability"]: (
                masked(plan["need_agreement"], formatter("share"), self.hidden),
                str,
            ),
            t["why_check"]: (words["why_check"].replace("", "–"), str),
        }
        checked_here = plan["uncertainty"].str.contains("need|distance")
        projection = analysis.projection
        wide = projection.path().pivot(index="code", columns="year", values="offline_count")
        change = self._withheld((wide[2035] / wide[2025] - 1).where(wide[2025] > 0))
        basis = projection.path().groupby("code")["population_basis"].last()
        no_ipss = basis.index[basis.str.startswith("no IPSS")]
        year = f"{self.year}{t['year_suffix']}"
        return [
            self.map(
                "forms",
                t["sub_forms"].format(year=analysis.estimate.year),
                category_map,
                plan["support_form"],
                form_names,
                legend_title=self._legend(t["form"], year),
                colours=FORM_COLOURS,
                layers=Layers(
                    points=self._points(),
                    hover=hover,
                    hatch=[(plan.index[checked_here], t["hatch_check"], "x")],
                    named=acting(analysis),
                ),
            ),
            self.map(
                "change",
                t["sub_change"],
                choropleth,
                change,
                legend_title=self._legend(
                    t["change_pct"], t["pct_unit"], t["change_sign"], f"2025→2035{t['year_suffix']}"
                ),
                classes=Classes(unit="share", colours="PuOr", centre=True),
                layers=Layers(hatch=[(no_ipss, t["hatch_no_ipss"], "\\")], hidden=self.hidden),
            ),
        ]

    def charts(self) -> list[BriefingFigure]:
        t, analysis, lang = self.t, self.analysis, self.lang
        sites = analysis.sites
        conditional = int(sites.chosen["conditional"].sum())
        gain_sub = t["sub_gain"].format(
            k=sites.k,
            radius=sites.radius_km,
            detour=analysis.geography.detour,
            conditional=conditional,
        )
        trend, se = analysis.projection.trend_per_year
        verdict = t["trend_zero"] if abs(trend) < 2 * se else t["trend_real"]
        projection_sub = t["projection_sub"].format(area=self.area, verdict=verdict)
        published_sub = t["published_sub"].format(area=self.area)
        return [
            BriefingFigure(
                "gain",
                t["gain"].format(radius=sites.radius_km),
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
                    analysis,
                    lang=lang,
                    credits=self.credits["projection"],
                    canvas=canvas,
                    subtitle=projection_sub,
                ),
                is_map=False,
            ),
            BriefingFigure(
                "published",
                t["published"].format(area=area_word(analysis.pref, lang)),
                published_sub,
                self.credits["published"],
                lambda canvas: published_chart(
                    analysis,
                    lang=lang,
                    credits=self.credits["published"],
                    canvas=canvas,
                    subtitle=published_sub,
                ),
                is_map=False,
            ),
        ]


@checked
def briefing_figures(
    analysis: Result[Analysis], *, lang: Lang = "ja", k: Threshold = 10
) -> list[BriefingFigure]:
    """The maps and charts of a council briefing, each with its title, subtitle and credit lines.

    Parameters
    ----------
    analysis : Analysis
        The analysis to draw.
    lang : {"ja", "en"}
        The figures' language.
    k : int
        Disclosure threshold for counts shown.

    Examples
    --------
    >>> import divide
    >>> figures = divide.briefing_figures(divide.analyse("07", draws=100), lang="en")
    >>> [f.name for f in figures][:3]
    ['offline_share', 'offline_count', 'age_part']
    """
    figures = _Figures(analysis, lang, k)
    return [*figures.estimate(), *figures.context(), *figures.support(), *figures.charts()]
