"""What the council sees: the briefing deck's story and the profile deck, in the pack's language.

The briefing deck runs: title → 要旨 (the numbers a council member quotes, and the municipalities in
each support form, the forms that act first) → the forms map → the online services that need an
offline counterpart, and where → the estimate's maps, the time axis, the published survey beside the
estimate, the change, access, the gain of new sites, the index and the parts → the municipalities
with the most offline residents → method and limits in five points → the numbered sources. Every
quoted figure comes from :func:`divide.report.numbers.headline`; every word from
:mod:`divide.report.words`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd

import divide
from divide.analysis import Analysis
from divide.estimate.by_age import band_label
from divide.provenance import credit_terms
from divide.report.briefing import BriefingFigure
from divide.report.disclosure import held
from divide.report.index_audit import part_label, pillar_list, treatment_sentence
from divide.report.maps import names
from divide.report.mapview import SLIDE
from divide.report.numbers import count_text, headline, people
from divide.report.slides import Deck
from divide.report.words import DECK, TERMS, age_band_text, area_word

DECK_ORDER = [
    "forms",
    "offline_share",
    "offline_count",
    "projection",
    "published",
    "change",
    "access",
    "gain",
    "score",
    "age_part",
    "settlement_part",
    "composition_part",
]
MAX_NAMES = 14  # municipalities named per support form on the summary slide
SERVICE_ROWS = 10  # municipalities on the services slide


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


def summary_figures(analysis: Analysis, lang: str) -> list[tuple[str, str, str]]:
    """The 要旨's big numbers (label, value, note), every one from :func:`headline`."""
    w = DECK[lang]
    figures = headline(analysis)
    base = figures[f"offline_{analysis.estimate.population_year}"]
    last = figures[f"offline_{max(analysis.projection.totals.index)}"]
    share = figures["share"]
    note = w["offline_total_note"].format(share=share.text(lang), interval=base.interval(lang))
    if "published" in figures:
        published = figures["published"]
        note += ("。" if lang == "ja" else "; ") + w["published_note"].format(
            area=area_word(analysis.pref, lang),
            year=published.year,
            published=published.text(lang),
        )
        if not share.low <= published.value <= share.high:
            note += w["published_outside"]
    old = figures["offline_75plus"]
    return [
        (w["offline_total"], base.text(lang), note),
        (w["old_total"], old.text(lang), w["old_total_note"].format(interval=old.interval(lang))),
        (
            w["future"],
            last.text(lang),
            w["future_note"].format(interval=last.interval(lang), now=base.text(lang)),
        ),
        (
            w["checks"],
            w["checks_value"].format(forms=int(figures["to_check"].value)),
            w["checks_note"],
        ),
    ]


def summary_groups(analysis: Analysis, lang: str, k: int = 10) -> list[tuple[str, str]]:
    """(form heading, municipality names) of the 要旨: forms that act first, most people first.

    A municipality withheld by disclosure control counts in its form's totals but is not named:
    its form would tell the class of the share the maps hide.
    """
    w = DECK[lang]
    plan = analysis.plan.table
    hidden = held(analysis, k)
    place = names(analysis.frame.municipalities, lang)
    totals = plan.groupby("support_form")["headcount"].sum()
    order = sorted(totals.index, key=lambda form: (form == "online_first", -float(totals[form])))
    groups = []
    for form in order:
        rows = plan[plan["support_form"] == form].sort_values("headcount", ascending=False)
        listed = place.reindex(rows.index.difference(sorted(hidden), sort=False)).tolist()
        shown = w["separator"].join(listed[:MAX_NAMES])
        if len(listed) > MAX_NAMES:
            shown += w["separator"] + w["and_more"].format(n=len(listed) - MAX_NAMES)
        heading = w["form_group"].format(
            form=analysis.plan.spec.label(form, lang),
            n=len(rows),
            people=people(float(totals[form]), lang),
        )
        groups.append((heading, shown))
    return groups


def method_and_limits(analysis: Analysis, lang: str, k: int) -> list[str]:
    """The method-and-limits slide: five points in plain words, with the analysis's own numbers."""
    w, t, area = DECK[lang], TERMS[lang], area_word(analysis.pref, lang)
    checks = analysis.estimate.validation
    row = checks.set_index("model").loc[analysis.estimate.model.name] if len(checks) else None
    thresholds = analysis.plan.thresholds
    trend, se = analysis.projection.trend_per_year
    points = [w["m_estimand"]]
    if row is not None:
        points.append(w["m_validation"].format(mae=row["mae_pp"], coverage=row["coverage90"]))
    points += [
        w["m_forms"].format(
            area=area,
            per_counter=thresholds["count_per_counter"] or 0,
            cut=thresholds["access_threshold_km"],
            detour=thresholds["detour"],
        ),
        w["m_sites"].format(radius=analysis.sites.radius_km),
        w["m_future"].format(
            verdict=t["trend_zero"] if abs(trend) < 2 * se else t["trend_real"], k=k
        ),
    ]
    return points


def method_notes(analysis: Analysis, lang: str, k: int) -> str:
    """What a presenter may be asked about the method: the details kept off the slide."""
    w, area = DECK[lang], area_word(analysis.pref, lang)
    unverified = int((~analysis.geography.municipalities["access_verified"].astype(bool)).sum())
    trend, se = analysis.projection.trend_per_year
    lines = [
        w["m_index"].format(pillars=pillar_list(analysis.index, lang), area=area),
        treatment_sentence(analysis.index, lang),
        w["m_distance"].format(detour=analysis.geography.detour, unverified=unverified),
        f"trend: {trend:+.3f} ± {se:.3f} (logit / year)",
        w["m_disclosure"].format(k=k),
    ]
    basis = analysis.projection.path().groupby("code")["population_basis"].last()
    no_ipss = int(basis.str.startswith("no IPSS").sum())
    if no_ipss:
        lines.append(w["m_future_ipss"].format(no_ipss=no_ipss))
    return "\n".join(lines)


def top_table(analysis: Analysis, lang: str, k: int, rows: int = 12) -> pd.DataFrame:
    """The municipalities with the most offline residents: name, form, count, 90 % interval, to
    check; counts rounded as everywhere (three significant figures).
    """
    w = DECK[lang]
    plan = analysis.plan.table.sort_values("headcount", ascending=False).head(rows)
    place = names(analysis.frame.municipalities, lang).reindex(plan.index)
    return pd.DataFrame(
        {
            w["municipality"]: place,
            w["form"]: analysis.plan.label(lang).reindex(plan.index),
            w["headcount"]: [count_text(v, k) for v in plan["headcount"]],
            w["interval"]: [
                "X" if v < k else f"{count_text(lo, k)}–{count_text(hi, k)}"
                for v, lo, hi in zip(
                    plan["headcount"], plan["headcount_lo"], plan["headcount_hi"], strict=True
                )
            ],
            w["check_column"]: [w["yes"] if flag else "" for flag in plan["form_uncertain"]],
        }
    )


def services_table(analysis: Analysis, lang: str, k: int) -> pd.DataFrame:
    """Municipality × service, the municipalities where an offline counterpart is needed first:
    each cell "online share online / offline users", ★ where most of it is online and many of its
    users are offline.
    """
    w = DECK[lang]
    needs = analysis.services
    table = needs.table
    order = (
        table.groupby("code")["offline_users_online"].sum().sort_values(ascending=False).index
    )[:SERVICE_ROWS]
    place = names(analysis.frame.municipalities, lang)
    out = pd.DataFrame({w["municipality"]: place.reindex(order).to_numpy()})
    for service in needs.catalogue.services:
        rows = table[table["service"] == service.id].set_index("code").reindex(order)
        cells = []
        for _, row in rows.iterrows():
            online = "–" if pd.isna(row["online_share"]) else f"{row['online_share']:.0%}"
            cell = w["services_cell"].format(
                online=online, people=count_text(row["offline_residents"], k)
            )
            cells.append(("★ " if row["counterpart_first"] else "") + cell)
        users = "・".join(age_band_text(band_label(b), lang) for b in service.users)
        header = w["services_header"].format(service=_short(service, lang), users=users)
        out[header] = cells
    return out


def services_footnote(analysis: Analysis, lang: str) -> str:
    """What each cell holds, and which services share one dashboard rate (their online shares are
    the same number by construction, not a copying slip).
    """
    w = DECK[lang]
    by_column: dict[str, list[object]] = {}
    for service in analysis.services.catalogue.services:
        by_column.setdefault(service.column, []).append(service)
    joined = "・" if lang == "ja" else " and "
    shared = [
        w["services_shared"].format(
            services=joined.join(_short(service, lang) for service in services)
        )
        for services in by_column.values()
        if len(services) > 1
    ]
    separator = "。" if lang == "ja" else ". "
    return separator.join([w["services_note"], *shared])


def _short(service: object, lang: str) -> str:
    """A service's name without its examples (the column header stays short)."""
    label = getattr(service.labels, lang)
    return label.split("（")[0].split(" (")[0]


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


def key_slide(deck: Deck, item: BriefingFigure, analysis: Analysis, lang: str) -> None:
    """When the numbered key of the forms map does not fit beside it, a slide of its own."""
    meta = item.on(SLIDE).layout.meta["divide"]
    if not meta.get("key_overflow"):
        return
    place = names(analysis.frame.municipalities, lang)
    entries = [f"{i}　{place[c]}" for i, c in enumerate(meta["key"], start=1)]
    deck.columns(DECK[lang]["key_title"], entries, credits=item.credits)


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
    deck.numbers(
        w["summary"],
        summary_figures(analysis, lang),
        summary_groups(analysis, lang, k),
        credits=summary_credits(analysis, lang),
    )
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
        if name == "forms":
            key_slide(deck, item, analysis, lang)
            deck.table(
                w["services_title"],
                services_table(analysis, lang, k),
                numeric=[],
                footnote=services_footnote(analysis, lang),
                credits=analysis.credits(analysis.services.datasets, lang),
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
        w["method"],
        method_and_limits(analysis, lang, k),
        credits=analysis.credits(lang=lang),
        notes=method_notes(analysis, lang, k),
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
    """One slide per municipality: the card drawn at slide size is the slide; then the sources."""
    deck = Deck(lang, list(credits), credit_terms(analysis.datasets.values(), lang))
    area = analysis.frame.area_name[lang]
    deck.title(
        f"{area} — {TERMS[lang]['profiles']}",
        DECK[lang]["n_municipalities"].format(n=len(cards)),
        [DECK[lang]["see_sources"]],
    )
    for name, image in cards:
        deck.full_image(image, notes=name)
    deck.sources_slides()
    return deck.save(path)
