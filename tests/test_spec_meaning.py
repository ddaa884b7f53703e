"""Specs that pass the schema but mean nothing are refused: a key written twice, a number that is
not finite, one column counted by two indicators without saying so.

Every spec divide reads (index, support forms, services, assumptions, the words catalogue) goes
through the same loader, so each case is tried on the analyst's copy of a shipped spec.
"""

from __future__ import annotations

import copy

import pytest
import yaml

import divide
from divide.errors import DivideSpecError
from divide.paths import PACKAGE_DIR
from divide.specio import load_unique
from divide.support.forms import FormSpec
from divide.support.services import ServiceCatalogue

SPECS = {
    "index": (PACKAGE_DIR / "specs" / "default.yaml", divide.IndexSpec.load),
    "forms": (PACKAGE_DIR / "specs" / "support_forms.yaml", FormSpec.load),
    "services": (PACKAGE_DIR / "specs" / "services.yaml", ServiceCatalogue.load),
}


def _with_a_key_twice(text: str) -> tuple[str, int]:
    """The spec with its first plain ``key: value`` line written again on the line below it (the
    same mapping, as a copy-and-edit slip leaves it).
    """
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        key, _, value = line.split("#")[0].partition(":")
        plain = key.strip().isidentifier() and value.strip() not in ("", "|", ">")
        if plain and not line.lstrip().startswith(("-", "#")):
            repeated = line.split("#")[0].rstrip() + "\n"
            return "".join([*lines[: number + 1], repeated, *lines[number + 1 :]]), number + 2
    raise AssertionError("no plain key: value line")


@pytest.mark.parametrize("kind", list(SPECS))
def test_a_key_written_twice_is_refused_with_its_line(kind, tmp_path):
    shipped, load = SPECS[kind]
    text, line = _with_a_key_twice(shipped.read_text(encoding="utf-8"))
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DivideSpecError, match=rf"{kind}\.yaml: line {line}: key .* twice"):
        load(path)


def test_a_nested_key_written_twice_is_refused():
    with pytest.raises(DivideSpecError, match=r"line 3: key 'weight' is written twice"):
        load_unique("pillar:\n  weight: 1\n  weight: 2\n", "spec.yaml")


def test_the_words_catalogue_refuses_a_key_written_twice():
    with pytest.raises(DivideSpecError, match=r"words\.yaml: line 3"):
        load_unique(
            "form:\n  near: {ja: 近い, en: near}\n  near: {ja: 近, en: close}\n", "words.yaml"
        )


def test_assumptions_refuse_a_key_written_twice(tmp_path):
    path = tmp_path / "assumptions.yaml"
    path.write_text("seed: 1\nsites_k: 5\nsites_k: 7\n", encoding="utf-8")
    with pytest.raises(DivideSpecError, match="line 3: key 'sites_k'"):
        divide.Assumptions.load(path)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_number_that_is_not_finite_is_refused(value, tmp_path):
    text = PACKAGE_DIR.joinpath("specs", "default.yaml").read_text(encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace("kurtosis: 3.5", f"kurtosis: {value}", 1), encoding="utf-8")
    with pytest.raises(DivideSpecError, match=r"treatment\.kurtosis: must be a finite number"):
        divide.IndexSpec.load(path)


def test_a_form_threshold_that_is_not_finite_is_refused():
    raw = yaml.safe_load(PACKAGE_DIR.joinpath("specs", "support_forms.yaml").read_text("utf-8"))
    place = _first_number(raw)
    _set(raw, place, float("nan"))
    with pytest.raises(DivideSpecError, match="must be a finite number"):
        FormSpec.load(raw)


def test_an_assumption_that_is_not_finite_is_refused():
    with pytest.raises(DivideSpecError, match="must be a finite number"):
        divide.Assumptions.load({"radius_km": float("inf")})


def _first_number(document, where=()):
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        if isinstance(value, float | int) and not isinstance(value, bool):
            return (*where, key)
        if isinstance(value, dict | list):
            found = _first_number(value, (*where, key))
            if found:
                return found
    return None


def _set(document, place, value):
    for key in place[:-1]:
        document = document[key]
    document[place[-1]] = value


def _with_copied_indicator(**marks) -> dict:
    """The default index spec with its first indicator entered a second time under another id."""
    spec = divide.IndexSpec.load().model_dump(mode="json", exclude_none=True)
    first = spec["pillars"][0]["indicators"][0]
    copied = copy.deepcopy(first) | {"id": first["id"] + "_again"}
    spec["pillars"][0]["indicators"].append(copied)
    for indicator in (first, copied):
        indicator.update(marks)
    return spec


def test_one_column_read_by_two_indicators_is_refused():
    spec = _with_copied_indicator()
    column = spec["pillars"][0]["indicators"][0]["column"]
    with pytest.raises(DivideSpecError, match=rf"column '{column}' is read by 2 indicators"):
        divide.IndexSpec.load(spec)


def test_sharing_a_column_needs_a_reason_too():
    with pytest.raises(DivideSpecError, match="allow_shared"):
        divide.IndexSpec.load(_with_copied_indicator(allow_shared=True, reason=""))


def test_a_shared_column_with_a_reason_is_kept_and_noted():
    reason = "counted once per household and once per resident, on purpose"
    spec = divide.IndexSpec.load(_with_copied_indicator(allow_shared=True, reason=reason))
    frame = divide.load_frame("31", source="processed")
    estimate = divide.estimate_offline(frame, draws=100, validate=False)
    result = divide.build_index(divide.add_geography(frame), spec, estimate=estimate)
    shared = [n for n in result.notes if getattr(n, "code", "") == "index.shared"]
    assert len(spec.shared_columns()) == 1 and len(shared) == 1
