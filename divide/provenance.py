"""Provenance of every dataset: who published it, when, under which licence, and the credit line.

The manifest (``data/raw/manifest.toml``) is the single source of these facts; loaders attach the
matching :class:`Dataset` to what they return, and every export prints the credit lines of the
datasets it used, so that licence obligations follow the numbers to the council briefing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from divide.errors import DivideDataError
from divide.paths import manifest_path
from divide.validation import check_lang

_REQUIRED = (
    "file",
    "sha256",
    "title",
    "publisher",
    "reference_date",
    "licence",
    "credit",
    "official_url",
)


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
    """The manifest entry of ``dataset_id``."""
    manifest = load_manifest()
    if dataset_id not in manifest:
        raise DivideDataError(
            f"no dataset {dataset_id!r} in the manifest; known: {', '.join(sorted(manifest))}",
            file=manifest_path(),
        )
    return manifest[dataset_id]


def credit_lines(datasets: Iterable[Dataset | str], lang: str = "ja") -> list[str]:
    """The distinct credit lines of these datasets (objects, or manifest ids), in Japanese or
    English.

    Sorted by dataset id so that the same data always print the same lines in the same order.

    Parameters
    ----------
    datasets : iterable of Dataset or str
        Datasets, or their manifest ids.
    lang : {"ja", "en"}
        The language of the lines.

    Examples
    --------
    >>> credit_lines(["boundaries"], lang="en")
    ['Based on MLIT National Land Numerical Information (Administrative Areas), processed']
    """
    check_lang(lang, "credit_lines")
    entries = [dataset(item) if isinstance(item, str) else item for item in datasets]
    lines: list[str] = []
    for entry in sorted(entries, key=lambda e: e.id):
        line = entry.credit_en if lang == "en" and entry.credit_en else entry.credit
        if line not in lines:
            lines.append(line)
    return lines


# Licence words of the manifest, in each pack language (the manifest keeps the publisher's own
# wording).
LICENCE_WORDS: dict[str, tuple[str, str]] = {
    "政府標準利用規約 2.0": (
        "政府標準利用規約2.0",
        "Government of Japan Standard Terms of Use 2.0",
    ),
    "国土数値情報利用約款": (
        "国土数値情報利用約款",
        "National Land Numerical Information terms of use",
    ),
    "国土地理院コンテンツ利用規約": ("国土地理院コンテンツ利用規約", "GSI content terms of use"),
    "デジタル庁 利用規約": ("デジタル庁利用規約", "Digital Agency terms of use"),
    "情報通信白書": ("情報通信白書", "White Paper on Information and Communications"),
    " (CC BY 4.0 compatible)": ("（CC BY 4.0 互換）", " (CC BY 4.0 compatible)"),
    "official statistics": ("公的統計", "official statistics"),
    "IPSS terms": ("社人研の利用条件", "IPSS terms"),
    "extraction by ": ("抽出：", "extraction by "),
    "simplification by ": ("簡略化：", "simplification by "),
    "compilation by ": ("集計：", "compilation by "),
    " has no licence yet": ("（利用条件の表示なし）", " (no licence stated yet)"),
    "third-party transcription": ("第三者による転記", "third-party transcription"),
    "facts transcribed with per-row source URLs": (
        "行ごとに出典URLを付けた事実の転記",
        "facts transcribed with per-row source URLs",
    ),
    "(derivation); underlying e-Stat data": (
        "（加工部分）、元データ e-Stat",
        "(derivation); underlying e-Stat data",
    ),
    "; ": ("；", "; "),
}


def terms(entry: Dataset, lang: str = "ja") -> str:
    """The dataset's licence and reference date in ``lang``: what a Sources slide adds to the credit
    line.
    """
    licence = entry.licence
    for words, (ja, en) in LICENCE_WORDS.items():
        licence = licence.replace(words, ja if lang == "ja" else en)
    return (
        f"{licence}、{entry.reference_date}時点"
        if lang == "ja"
        else f"{licence}; as of {entry.reference_date}"
    )


def credit_terms(datasets: Iterable[Dataset | str], lang: str = "ja") -> dict[str, str]:
    """Each credit line of :func:`credit_lines` with the terms of the datasets behind it."""
    out: dict[str, list[str]] = {}
    for entry in sorted(
        (dataset(d) if isinstance(d, str) else d for d in datasets), key=lambda e: e.id
    ):
        line = entry.credit_en if lang == "en" and entry.credit_en else entry.credit
        out.setdefault(line, [])
        if terms(entry, lang) not in out[line]:
            out[line].append(terms(entry, lang))
    return {line: ("／" if lang == "ja" else " / ").join(parts) for line, parts in out.items()}
