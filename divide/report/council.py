"""What the council sees: the briefing deck's story and the profile deck, in the pack's language.

The briefing deck runs: title → 要旨 (the numbers a council member quotes, and the municipalities in
each support form) → the maps, the time axis and the gain of new sites → the municipalities with the
most offline residents → method and limits in plain words → the numbered sources. Every number comes
from the analysis; every word from :mod:`divide.report.words`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

import divide
from divide.analysis import Analysis
from divide.provenance import credit_terms
from divide.report.briefing import BriefingFigure
from divide.report.disclosure import count_text
from divide.report.index_audit import part_label, pillar_list, treatment_sentence
from divide.report.maps import names
from divide.report.slides import Deck
from divide.report.words import DECK, TERMS, area_word

DECK_ORDER = [
    "offline_share",
    "offline_count",
    "forms",
    "projection",
    "change",
    "access",
    "score",
    "gain",
    "age_part",
    "settlement_part",
    "composition_part",
]
MAX_NAMES = 14  # municipalities named per support form on the summary slide


def people(value: float, lang: str) -> str:
    """A head-count as a council member reads it: 34.6万人 / 346,000 (three significant figures)."""
    if lang == "ja":
        return f"{value / 1e4:.1f}万人" if value >= 1e4 else f"{value:,.0f}人"
    return f"{float(f'{value:.3g}'):,.0f}"


def prefecture_total(analysis: Analysis) -> tuple[float, float, float]:
    """Offline residents of the prefecture: estimate and 90 % interval from the estimate's joint
    draws.
    """
    m = analysis.estimate.municipalities
    draws = analysis.estimate.draws["offline_share"] @ m["residents_15plus"].to_numpy(dtype=float)
    return (
        float(m["offline_count"].sum()),
        float(np.quantile(draws, 0.05)),
        float(np.quantile(draws, 0.95)),
    )


def summary_credits(analysis: Analysis, lang: str) -> list[str]:
    """The summary draws on the estimate, the support plan and the projection."""
    return analysis.credits(
        {
            **analysis.estimate.datasets,
            **analysis.plan.datasets,
            **analysis.sites.datasets,
            **analysis.projection.datasets,
        },
        lang,
    )


def summary(
    analysis: Analysis, lang: str
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The 要旨 slide: (label, value, note) figures and (form heading, municipality names) groups."""
    w = DECK[lang]
    total, lo, hi = prefecture_total(analysis)
    residents = float(analysis.estimate.municipalities["residents_15plus"].sum())
    band = analysis.projection.band()
    future = band.loc[max(band.index)]
    plan = analysis.plan.table
    figures = [
        (
            w["offline_total"],
            people(total, lang),
            w["offline_total_note"].format(
                lo=people(lo, lang),
                hi=people(hi, lang),
                share=f"{total / residents:.1%}",
                share_lo=f"{lo / residents:.1%}",
                share_hi=f"{hi / residents:.1%}",
                area=area_word(analysis.pref, lang),
            ),
        ),
        (
            w["future"],
            people(future["central"], lang),
            w["future_note"].format(
                lo=people(future["low"], lang), hi=people(future["high"], lang)
            ),
        ),
        (
            w["checks"],
            w["checks_value"].format(forms=int(plan["form_uncertain"].sum())),
            w["checks_note"],
        ),
    ]
    place = names(analysis.frame.municipalities, lang)
    groups = []
    for _, rows in plan.sort_values("headcount", ascending=False).groupby(
        "support_form", sort=False
    ):
        listed = place.reindex(rows.index).tolist()
        shown = w["separator"].join(listed[:MAX_NAMES])
        if len(listed) > MAX_NAMES:
            shown += w["separator"] + w["and_more"].format(n=len(listed) - MAX_NAMES)
        groups.append(
            (
                w["form_group"].format(
                    form=analysis.plan.spec.label(rows["support_form"].iloc[0], lang), n=len(rows)
                ),
                shown,
            )
        )
    return figures, groups


def method_and_limits(analysis: Analysis, lang: str, k: int) -> list[str]:
    """The method-and-limits slide in plain words, with the analysis's own numbers."""
    w, t, area = DECK[lang], TERMS[lang], area_word(analysis.pref, lang)
    full = analysis.estimate.validation.set_index("model").loc[analysis.estimate.model.name]
    unverified = int((~analysis.geography.municipalities["access_verified"].astype(bool)).sum())
    pillars = pillar_list(analysis.index, lang)
    trend, se = analysis.projection.trend_per_year
    basis = analysis.projection.path().groupby("code")["population_basis"].last()
    no_ipss = int(basis.str.startswith("no IPSS").sum())
    return [
        w["m_estimand"],
        w["m_validation"].format(
            mae=full["mae_pp"], worst=full["max_error_pp"], coverage=full["coverage90"]
        ),
        w["m_intervals"],
        w["m_forms"].format(area=area, cut=analysis.plan.thresholds["access_threshold_km"]),
        w["m_distance"].format(detour=analysis.geography.detour, unverified=unverified),
        w["m_index"].format(pillars=pillars, area=area),
        treatment_sentence(analysis.index, lang),
        w["m_sites"],
        w["m_future"].format(verdict=t["trend_zero"] if abs(trend) < 2 * se else t["trend_real"])
        + (w["m_future_ipss"].format(no_ipss=no_ipss) if no_ipss else ""),
        w["m_disclosure"].format(k=k),
    ]


def _hundreds(value: float, k: int) -> str:
    """A count rounded to hundreds (the estimate is not known to the person), <k when small."""
    return count_text(value, k) if value < k else f"{round(value, -2):,.0f}"


def top_table(analysis: Analysis, lang: str, k: int, rows: int = 12) -> pd.DataFrame:
    """The municipalities with the most offline residents: name, form, count, 90 % interval, to
    check.
    """
    w = DECK[lang]
    plan = analysis.plan.table.sort_values("headcount", ascending=False).head(rows)
    place = names(analysis.frame.municipalities, lang).reindex(plan.index)
    return pd.DataFrame(
        {
            w["municipality"]: place,
            w["form"]: analysis.plan.label(lang).reindex(plan.index),
            w["headcount"]: [_hundreds(v, k) for v in plan["headcount"]],
            w["interval"]: [
                "X" if v < k else f"{_hundreds(lo, k)}–{_hundreds(hi, k)}"
                for v, lo, hi in zip(
                    plan["headcount"], plan["headcount_lo"], plan["headcount_hi"], strict=True
                )
            ],
            w["check_column"]: [w["yes"] if flag else "" for flag in plan["form_uncertain"]],
        }
    )


def _figure_notes(item: BriefingFigure, lang: str, extra: Sequence[str] = ()) -> str:
    w = DECK[lang]
    meta = item.figure.layout.meta["divide"] if item.figure.layout.meta else {}
    lines = [
        f"{w['notes_basis']}: {item.subtitle}",
        *meta.get("notes", []),
        *extra,
        "",
        f"{w['notes_credits']}:",
        *item.credits,
    ]
    return "\n".join(lines)


def _audit(analysis: Analysis, lang: str) -> list[str]:
    table = analysis.index.effective_weights
    rows = [
        f"{part_label(analysis.index, r.indicator, lang)}: {r.index_share:.2f} (ρ = "
        f"{r.spearman_with_index:.2f})"
        for r in table.itertuples()
    ]
    return [DECK[lang]["audit"], *rows]


def briefing_deck(
    path: Path,
    analysis: Analysis,
    figures: Sequence[BriefingFigure],
    images: dict[str, Path],
    *,
    lang: str,
    k: int,
) -> Path:
    """The council deck (see the module docstring); ``images``: figure name -> PNG drawn for a
    slide.
    """
    w, t = DECK[lang], TERMS[lang]
    deck = Deck(lang, analysis.credits(lang=lang), credit_terms(analysis.datasets.values(), lang))
    area = analysis.frame.area_name[lang]
    deck.title(
        t["deck_title"],
        f"{area} — {date.today().isoformat()}",
        [
            w["basis"].format(year=analysis.estimate.year),
            w["see_sources"],
            w["made_by"].format(version=divide.__version__, date=date.today().isoformat()),
        ],
    )
    numbers, groups = summary(analysis, lang)
    deck.numbers(w["summary"], numbers, groups, credits=summary_credits(analysis, lang))
    by_name = {item.name: item for item in figures}
    for name in [n for n in DECK_ORDER if n in by_name and n in images]:
        item = by_name[name]
        notes = (
            item.figure.layout.meta["divide"].get("notes", []) if item.figure.layout.meta else []
        )
        extra = _audit(analysis, lang) if name == "score" else []
        deck.image(
            item.title,
            images[name],
            subtitle=item.subtitle,
            credits=item.credits,
            note="　".join(notes) if lang == "ja" else "; ".join(notes),
            notes=_figure_notes(item, lang, extra),
        )
    table = top_table(analysis, lang, k)
    small = (table[w["headcount"]].str.startswith("<")).any()
    deck.table(
        t["top_table"],
        table,
        numeric=[w["headcount"], w["interval"]],
        footnote=w["table_note"] + (w["small_note"].format(k=k) if small else ""),
        credits=by_name["forms"].credits if "forms" in by_name else (),
    )
    deck.bullets(
        w["method"], method_and_limits(analysis, lang, k), credits=analysis.credits(lang=lang)
    )
    deck.sources_slides()
    return deck.save(path)


def profiles_deck(
    path: Path,
    analysis: Analysis,
    cards: Sequence[tuple[str, Path]],
    credits: Sequence[str],
    *,
    lang: str,
) -> Path:
    """One slide per municipality card (its name as title), then the numbered sources."""
    deck = Deck(lang, list(credits), credit_terms(analysis.datasets.values(), lang))
    area = analysis.frame.area_name[lang]
    deck.title(
        f"{area} — {TERMS[lang]['profiles']}",
        DECK[lang]["n_municipalities"].format(n=len(cards)),
        [DECK[lang]["see_sources"]],
    )
    for name, image in cards:
        deck.image(name, image, credits=credits)
    deck.sources_slides()
    return deck.save(path)
