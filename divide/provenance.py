"""Provenance of every dataset: who published it, when, under which licence, and the credit line.

The manifest (``data/raw/manifest.toml``) is the single source of these facts; loaders attach the
matching :class:`Dataset` to what they return, and every export prints the credit lines of the
datasets it used, so that licence obligations follow the numbers to the council briefing.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from divide.errors import DivideDataError
from divide.paths import manifest_path

_REQUIRED = ("file", "sha256", "title", "publisher", "reference_date", "licence", "credit", "official_url")


@dataclass(frozen=True)
class Dataset:
    """One entry of the manifest: a raw file and everything needed to cite it."""

    id: str
    file: str
    sha256: str
    title: str
    publisher: str
    reference_date: str
    licence: str
    credit: str
    official_url: str
    title_en: str = ""
    credit_en: str = ""
    url: str | None = None
    via: str = ""

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def load_manifest(path: Path | None = None) -> dict[str, Dataset]:
    """Read and validate the manifest; a missing field names the dataset and the field."""
    path = path or manifest_path()
    return _load_manifest(Path(path).resolve())


@lru_cache(maxsize=4)
def _load_manifest(path: Path) -> dict[str, Dataset]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DivideDataError("manifest not found", file=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DivideDataError(f"manifest is not valid TOML: {exc}", file=path) from exc
    datasets: dict[str, Dataset] = {}
    for key, entry in raw.get("datasets", {}).items():
        for field in _REQUIRED:
            if not entry.get(field):
                raise DivideDataError(f"dataset {key!r} lacks {field!r}", file=path, column=field)
        known = {k: v for k, v in entry.items() if k in Dataset.__dataclass_fields__}
        datasets[key] = Dataset(id=key, **known)
    return datasets


def dataset(dataset_id: str) -> Dataset:
    manifest = load_manifest()
    if dataset_id not in manifest:
        raise KeyError(f"no dataset {dataset_id!r} in the manifest; known: {', '.join(sorted(manifest))}")
    return manifest[dataset_id]


def credit_lines(dataset_ids: list[str] | tuple[str, ...] | set[str], lang: str = "ja",
                 extra: dict[str, dict] | None = None) -> list[str]:
    """The distinct credit lines of these datasets, in a stable order, in Japanese or English.

    ``extra``: provenance entries of datasets outside the manifest (an analyst's own broadband file).
    """
    manifest = load_manifest()
    lines: list[str] = []
    for key in sorted(dataset_ids):
        entry = manifest[key].as_dict() if key in manifest else (extra or {}).get(key)
        if entry is None:
            raise KeyError(f"no provenance for dataset {key!r}")
        line = entry["credit_en"] if lang == "en" and entry.get("credit_en") else entry["credit"]
        if line not in lines:
            lines.append(line)
    return lines
