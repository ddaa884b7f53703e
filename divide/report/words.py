"""Every word divide shows a reader, from one catalogue (``words.yaml``) in one shape.

Stages emit codes (``"many"``, ``"unknown"``, ``"network"``, a cluster quadrant, a scenario); this
module turns them into Japanese and English for every output that shows them: maps, cards,
charts, slides, tables, the pack's README. The catalogue is ``concept -> code -> {ja, en}``
(table columns add a ``unit``); the views below give the tables the report modules index
(``TERMS[lang][key]``, ``TABLE_COLUMNS[column]``). A support form's own label comes from the
support-form spec the plan was made with, so an analyst who relabels a form sees the new label
everywhere. A test checks that every code a stage can emit has both words.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from divide.specio import load_unique

CATALOGUE_PATH = Path(__file__).with_name("words.yaml")
LANGS = ("ja", "en")


@cache
def catalogue() -> dict[str, dict[str, dict[str, str]]]:
    """The whole catalogue (read once)."""
    return load_unique(CATALOGUE_PATH.read_text(encoding="utf-8"), str(CATALOGUE_PATH))


def words(concept: str, lang: str) -> dict[str, str]:
    """Code -> word of one concept in ``lang``."""
    return {code: entry[lang] for code, entry in catalogue()[concept].items()}


def word(concept: str, code: str, lang: str) -> str:
    """One word; an unknown code is a programming error and fails loudly."""
    return catalogue()[concept][code][lang]


def _by_language(concept: str) -> dict[str, dict[str, str]]:
    return {lang: words(concept, lang) for lang in LANGS}


def _pairs(concept: str) -> dict[str, tuple[str, str]]:
    return {code: (entry["ja"], entry["en"]) for code, entry in catalogue()[concept].items()}


# Views the report modules index.
TERMS = _by_language("terms")
DECK = _by_language("deck")
CLASSING = _by_language("classing")
MAP_NOTES = _by_language("map_notes")
CLUSTERS = _by_language("clusters")
COUNTER_BASIS = _by_language("counter_basis")
AUDIT = _by_language("audit")
README_FILES = _by_language("readme_files")
README = _by_language("readme")
SKIPPED = {code: entry["ja"] for code, entry in catalogue()["skipped"].items()}
JOIN_REASONS = {code: entry["ja"] for code, entry in catalogue()["join_reasons"].items()}
NO_DATA = catalogue()["punctuation"]["no_data"]
FLAGS = {
    lang: (word("punctuation", "yes", lang), word("punctuation", "no", lang)) for lang in LANGS
}
SEPARATOR = catalogue()["punctuation"]["separator"]
JOIN = catalogue()["punctuation"]["join"]
CARD_INDICATORS = {
    lang: {
        code: (entry[lang], entry["unit"]) for code, entry in catalogue()["card_indicators"].items()
    }
    for lang in LANGS
}
TABLE_COLUMNS = {
    code: (entry["ja"], entry["en"], entry["unit"])
    for code, entry in catalogue()["columns"].items()
}
SHEETS = _pairs("sheets")
VALUES = {
    **{
        column: {v: (e["ja"], e["en"]) for v, e in table.items()}
        for column, table in catalogue()["values"].items()
    },
    "counter_basis": _pairs("counter_basis"),
    "cluster": _pairs("clusters"),
    "need_level": _pairs("need"),
    "access_level": _pairs("access"),
    "scenario": {
        key: (TERMS["ja"][f"scenario_{key}"], TERMS["en"][f"scenario_{key}"])
        for key in ("cohort", "constant_rates", "survey_trend")
    },
    "status": {
        key: (TERMS["ja"][key], TERMS["en"][key])
        for key in ("existing", "optimal", "best_found", "greedy")
    },
}


def inset_title(
    codes: list[str] | tuple[str, ...], names: pd.Series, people: pd.Series, lang: str
) -> str:
    """The title of an inset: the island group's name where the catalogue knows it, else the
    largest municipality's name (with "and nearby" when it holds more).
    """
    groups = catalogue()["island_groups"]
    ordered = sorted(codes, key=lambda c: -float(people.get(c, 0.0)))
    for code in ordered:
        if code in groups:
            return groups[code][lang]
    largest = str(names[ordered[0]])
    if len(codes) == 1:
        return largest
    return f"{largest}周辺" if lang == "ja" else f"{largest} and nearby"


def note_text(note: object, lang: str) -> str:
    """A stage's :class:`~divide.notes.Note` in ``lang``; lists of names joined as the language
    joins them.
    """
    template = word("notes", note.code, lang)
    join = "、" if lang == "ja" else ", "
    values = {
        key: join.join(map(str, value)) if isinstance(value, tuple) else value
        for key, value in note.values
    }
    return template.format(**values)


def age_band_text(band: str, lang: str) -> str:
    """An age group as a reader reads it: ``"75+"`` as 75歳以上, ``"15-39"`` as 15〜39歳."""
    if lang != "ja":
        return band
    return band.replace("+", "歳以上") if band.endswith("+") else band.replace("-", "〜") + "歳"


def area_word(pref: str | None, lang: str) -> str:
    """What a prefecture is called in running text: 道 / 都 / 府 / 県 (Japan: 国), or "prefecture"."""
    if lang != "ja":
        return "prefecture" if pref else "country"
    return {"01": "道", "13": "都", "26": "府", "27": "府", None: "国"}.get(pref, "県")


def term(key: str, lang: str) -> str:
    """A word of the ``terms`` concept in ``lang``."""
    return TERMS[lang][key]


def cluster_label(label: str, lang: str = "ja") -> str:
    """A cluster label for readers (esda's quadrant names in English, Japanese words otherwise)."""
    return CLUSTERS[lang].get(label, label)


# ---------------------------------------------------------------------------------------------
# The support plan's codes in words
# ---------------------------------------------------------------------------------------------


def reason(need: str, access: str, lang: str) -> str:
    """Why a form was chosen: its need and its access, in ``lang``."""
    return word("need", need, lang) + JOIN[lang] + word("access", access, lang)


def why_check(codes: str, lang: str, *, agreement: float, km: float, cut: float) -> str:
    """Why a form should be checked (empty when it need not be)."""
    found = [c for c in codes.split(";") if c]
    values = {"agreement": agreement, "km": km, "cut": cut}
    return SEPARATOR[lang].join(word("why_check", c, lang).format(**values) for c in found)


def plan_words(plan: object, lang: str) -> pd.DataFrame:
    """Per municipality: the form's label, the reason and why to check, in ``lang``."""
    table = plan.table
    cut = plan.thresholds["access_threshold_km"]
    return pd.DataFrame(
        {
            "support_form_label": plan.label(lang),
            "reason": [
                reason(n, a, lang)
                for n, a in zip(table["need_level"], table["access_level"], strict=True)
            ],
            "why_check": [
                why_check(c, lang, agreement=g, km=k, cut=cut)
                for c, g, k in zip(
                    table["uncertainty"], table["need_agreement"], table["access_km"], strict=True
                )
            ],
        },
        index=table.index,
    )
