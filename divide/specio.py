"""Reading declarative specs (the index, the support forms): YAML in, a validated pydantic model
out.

Both specs are YAML files an analyst copies and edits. Validation is pydantic's (unknown keys are
refused, so a mistyped ``wieght`` is an error, not a silently ignored line); this module only turns
its errors into one :class:`~divide.errors.DivideSpecError` per problem that names the file, the
place in the spec (``pillars[1].indicators[0].weight``) and what is allowed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from divide.errors import DivideSpecError

Model = TypeVar("Model", bound=BaseModel)


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key written twice in one mapping.

    PyYAML keeps the last of two equal keys without a word; in a spec that silently drops a
    weight or a threshold the analyst wrote (51 of Fukushima's 59 ranks changed that way).
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise DivideSpecError(
                    f"{self.name}: line {line}: key {key!r} is written twice (first on line "
                    f"{seen[key]}); keep one"
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_unique(text: str, name: str) -> object:
    """The YAML document ``text`` (from ``name``), refusing repeated keys."""
    loader = UniqueKeyLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def non_finite(document: object, where: tuple = ()) -> tuple | None:
    """The place of the first NaN or infinite number in ``document``, or None.

    YAML reads ``.nan`` and ``.inf`` as numbers; every comparison with NaN is false, so a
    ``kurtosis: .nan`` would switch a rule off instead of setting it.
    """
    if isinstance(document, float) and not math.isfinite(document):
        return where
    items = (
        document.items()
        if isinstance(document, dict)
        else enumerate(document)
        if isinstance(document, list)
        else ()
    )
    for key, value in items:
        found = non_finite(value, (*where, key))
        if found is not None:
            return found
    return None


def read_yaml(path: str | Path) -> dict:
    """The YAML document of ``path`` as a dict; every way it can fail names the file."""
    path = Path(path)
    if path.is_dir():
        raise DivideSpecError(f"{path}: this is a folder, not a spec file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise DivideSpecError(f"{path}: spec not found") from exc
    except UnicodeDecodeError as exc:
        raise DivideSpecError(
            f"{path}: not UTF-8 (byte {exc.start}); save the spec as UTF-8"
        ) from exc
    try:
        document = load_unique(text, str(path))
    except yaml.YAMLError as exc:
        raise DivideSpecError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(document, dict):
        raise DivideSpecError(
            f"{path}: a spec is a mapping of keys (got {type(document).__name__})"
        )
    return document


def _place(location: tuple) -> str:
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def validated(model: type[Model], source: str | Path | dict, *, default: Path) -> tuple[Model, str]:
    """``model`` validated from a YAML path, a dict, or the ``default`` file; returns (spec, where
    it came from).
    """
    where = "<dict>" if isinstance(source, dict) else str(source if source is not None else default)
    raw = (
        source if isinstance(source, dict) else read_yaml(source if source is not None else default)
    )
    place = non_finite(raw)
    if place is not None:
        raise DivideSpecError(f"{where}: {_place(place)}: must be a finite number (got NaN or ∞)")
    try:
        return model.model_validate(raw), where
    except ValidationError as exc:
        # a mistyped key explains the "missing" error of the key it should have been: report it
        # first
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        error = errors[0]
        problem = "unknown key (mistyped?)" if error["type"] == "extra_forbidden" else error["msg"]
        value = error.get("input")
        shown = (
            ""
            if error["type"] in ("missing", "extra_forbidden") or isinstance(value, dict)
            else (f" (value {value!r})")
        )
        # errors on a parent of the first one (a list left empty by the failed item) are its echoes
        others = [e for e in errors[1:] if tuple(error["loc"])[: len(e["loc"])] != tuple(e["loc"])]
        more = f"; {len(others)} more problem(s)" if others else ""
        raise DivideSpecError(f"{where}: {_place(error['loc'])}: {problem}{shown}{more}") from exc
