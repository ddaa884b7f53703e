"""Words in one place: every code a stage can emit has its Japanese and English words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from divide.geography.counters import BASIS as COUNTER_BASIS_CODES
from divide.report.words import catalogue, note_text, word
from divide.support.forms import ACCESS_LEVELS, NEED_LEVELS, FormSpec
from divide.support.projection import SCENARIOS
from divide.support.services import ServiceCatalogue

PACKAGE = Path(__file__).resolve().parents[1] / "divide"


def _note_codes() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        found |= set(re.findall(r'note\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text()))
    return found


def test_every_note_a_stage_can_emit_has_both_words():
    codes = _note_codes()
    codes |= {"broadband.codes_by_name"}  # chosen by a condition beside its twin
    assert len(codes) > 35
    missing = [code for code in sorted(codes) if code not in catalogue()["notes"]]
    assert missing == []
    for code in codes:
        for lang in ("ja", "en"):
            assert word("notes", code, lang).strip()


@pytest.mark.parametrize(
    ("concept", "codes"),
    [
        ("need", NEED_LEVELS),
        ("access", ACCESS_LEVELS),
        ("why_check", ("need", "distance", "network")),
        ("counter_basis", COUNTER_BASIS_CODES),
        (
            "clusters",
            ("High-High", "Low-Low", "High-Low", "Low-High", "not significant", "no neighbours"),
        ),
    ],
)
def test_every_code_of_a_concept_has_both_words(concept, codes):
    for code in codes:
        assert word(concept, code, "ja") and word(concept, code, "en")


def test_scenarios_forms_and_services_have_both_words():
    for scenario in SCENARIOS:
        assert word("terms", f"scenario_{scenario}", "ja")
    for form in FormSpec.load().forms:
        assert form.labels.ja and form.labels.en
    for service in ServiceCatalogue.load().services:
        assert service.labels.ja and service.labels.en


def test_a_note_reads_in_either_language_without_another_prefectures_words(fukushima):
    for note in fukushima.notes:
        japanese, english = note_text(note, "ja"), note_text(note, "en")
        assert japanese and english and japanese != english
        assert not re.search(r"[a-z]+_[a-z]+", japanese)  # no code words in a Japanese sentence
    assert not any("広島市" in note_text(n, "ja") for n in fukushima.notes)
