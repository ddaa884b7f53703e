"""The profile cards of a pack: the facts each card shows, its indicators, its sources, and small
PNGs.

Cards are rendered at slide size (1400 × 788 px: a 13.3 in, 16:9 slide at 105 px per inch, so the
card is the whole slide of ``profiles.pptx`` and its 18 px text reads at 12 pt) and stored as
256-colour PNGs: flat map fills and text lose nothing visible, and a deck of 179 Hokkaido
cards stays a file one can e-mail.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from PIL import Image

from divide.analysis import Analysis
from divide.report.cards import profile_card
from divide.report.maps import names
from divide.report.mapview import CARD, map_view
from divide.report.static import ImageJob
from divide.report.words import CARD_INDICATORS, DECK, plan_words


def card_facts(analysis: Analysis) -> pd.DataFrame:
    """One row per municipality with everything a card prints."""
    m = analysis.estimate.municipalities
    words = {lang: plan_words(analysis.plan, lang) for lang in ("ja", "en")}
    facts = analysis.plan.table.join(
        m[
            [
                "offline_share_lo",
                "offline_share_hi",
                "residents_15plus",
                "age_expected_share",
                "extrapolated",
            ]
        ]
    )
    for lang, table in words.items():
        facts[f"support_form_{lang}"] = table["support_form_label"]
        facts[f"why_check_{lang}"] = table["why_check"]
    ages = analysis.estimate.by_age.pivot(index="code", columns="age_band", values="offline_count")
    facts = facts.join(ages.add_prefix("age_"))
    facts = facts.join(analysis.uncertainty[["rank_p05", "rank_p95"]])
    if "rank" not in facts:
        facts = facts.join(analysis.index.scores[["rank"]])
    geo = analysis.geography.municipalities
    return facts.join(geo[["access_mean_km", "card_holding_pct", "online_32_pct"]])


def card_datasets(analysis: Analysis) -> dict:
    """Datasets behind a profile card: boundaries, the estimate, the geography, the DX dashboard."""
    dx = {k: v for k, v in analysis.frame.datasets.items() if k == "dx_dashboard"}
    return {
        **analysis.geography.datasets,
        **analysis.estimate.datasets,
        **dx,
        **analysis.index.datasets,
    }


def card_jobs(analysis: Analysis, folder: Path, lang: str, k: int) -> list[ImageJob]:
    """One PNG job per municipality's card, the prefecture laid out once for all of them."""
    table = analysis.frame.municipalities
    facts = card_facts(analysis)
    place = names(table, lang)
    view = map_view(table, CARD, legend=[])
    note = DECK[lang]["card_note"]
    return [
        ImageJob(
            profile_card(
                code, table, facts, CARD_INDICATORS[lang], lang=lang, k=k, view=view, note=note
            ),
            folder / f"{code}_{place[code]}.png",
            "png",
            scale=1.0,
        )
        for code in table.index
    ]


def shrink_png(path: Path) -> Path:
    """The PNG stored with a 256-colour palette (maps and cards are flat colours and text)."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, compress_level=6)
    return path
