"""The pack's README, in the pack's language: what to open first, what each file is, how to read it,
sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from divide.analysis import Analysis
from divide.provenance import credit_terms
from divide.report.council import summary_figures
from divide.report.words import DECK, LANGS, SKIPPED, VALUES
from divide.report.words import README as WORDS
from divide.report.words import README_FILES as FILES


def _present(pattern: str, written: Sequence[Path]) -> bool:
    names = {str(p) for p in written}
    if pattern == "cards":
        return any(p.parts[0] == "cards" for p in written)
    if pattern.startswith("maps/"):
        suffixes = pattern.split(".")[-1].split("|")
        return any(p.parts[0] == "maps" and p.suffix.lstrip(".") in suffixes for p in written)
    return pattern in names


def readme(
    analysis: Analysis,
    lang: str,
    k: int,
    written: Sequence[Path],
    skipped: Sequence[tuple[str, str]],
) -> str:
    """The README text: open first, files present, how to read, what was skipped and why, sources."""
    w, files = WORDS[lang], FILES[lang]
    first = "briefing.pptx" if _present("briefing.pptx", written) else "maps/offline_share.html"
    area = analysis.frame.area_name[lang]
    lines = [
        f"# {w['title'].format(area=area)}",
        "",
        w["answers"].format(area=area),
        "",
        w["open"],
        "",
        f"`{first}`",
        "",
        w["files"],
        "",
    ]
    lines += [f"- `{name}` — {text}" for name, text in files.items() if _present(name, written)]
    lines += ["", w["figures"], ""]
    lines += [
        f"- {label}: {value}（{note}）" if lang == "ja" else f"- {label}: {value} ({note})"
        for label, value, note in summary_figures(analysis, lang)
    ]
    changed = analysis.assumptions.changes()
    lines += ["", w["assumed"], ""]
    lines += (
        [f"- {VALUES['item'][key][LANGS.index(lang)]}: {value}" for key, value in changed.items()]
        if changed
        else [f"- {w['defaults']}"]
    )
    lines += ["", w["read"], ""]
    lines += [
        f"- {item}"
        for item in (
            DECK[lang]["basis"].format(year=analysis.estimate.year),
            DECK[lang]["table_note"].format(k=k),
            DECK[lang]["m_disclosure"].format(k=k),
        )
    ]
    if skipped:
        words = SKIPPED if lang == "ja" else {}
        lines += ["", w["skipped"], ""] + [
            f"- {words.get(what, what)}: {words.get(why, why)}" for what, why in skipped
        ]
    terms = credit_terms(analysis.datasets.values(), lang)
    lines += ["", w["sources"], "", w["cite"], ""] + [
        f"- {line}"
        + (f"（{terms[line]}）" if lang == "ja" else f" ({terms[line]})") * (line in terms)
        for line in analysis.credits(lang=lang)
    ]
    lines += ["", w["made"].format(date=date.today().isoformat()), ""]
    return "\n".join(lines)
