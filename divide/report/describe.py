"""A plain-text summary of a frame in the analyst's language: what they check first (counts,
totals, evacuated towns, empty layers, rows not joined, notes, credits).
"""

from __future__ import annotations

from divide.frame.columns import COLUMNS
from divide.frame.joinreport import summarize
from divide.frame.load import Frame
from divide.provenance import credit_lines
from divide.report.words import JOIN_REASONS, note_text, word
from divide.validation import Lang, Result, checked


def _w(key: str, lang: str, **values: object) -> str:
    return word("describe", key, lang).format(**values)


def _reason(reason: str, lang: str) -> str:
    if lang != "ja":
        return reason
    return next((ja for en, ja in JOIN_REASONS.items() if reason.startswith(en)), reason)


@checked
def describe(frame: Result[Frame], *, lang: Lang = "ja") -> str:
    """Counts, totals, evacuated towns, empty layers, the join report, notes and the credit lines
    of ``frame``, in ``lang``.

    Parameters
    ----------
    frame : Frame
        A prefecture's (or Japan's) frame.
    lang : {"ja", "en"}

    Returns
    -------
    str

    Examples
    --------
    >>> import divide
    >>> print(divide.describe(divide.load_frame("07"), lang="en").splitlines()[1])
      2020 census population 1,833,152; aged 65+ 572,825 (31.2%)
    """
    table = frame.municipalities
    pop, old = table["population"].sum(), table["pop_65plus"].sum()
    area = frame.area_name[lang]
    lines = [
        _w("header", lang, n=len(table), area=area, source=frame.source),
        _w("census", lang, population=f"{pop:,.0f}", old=f"{old:,.0f}", share=f"{old / pop:.1%}"),
        _w("registered", lang, population=f"{table['registered_2022'].sum():,.0f}"),
    ]
    separator = "、" if lang == "ja" else ", "
    zero = table.index[table["census_zero_population"]]
    if len(zero):
        lines.append(_w("zero", lang, names=separator.join(table.loc[zero, "name_ja"])))
    low = table[(table["residence_ratio"] < 0.5) & ~table["census_zero_population"]]
    if len(low):
        shown = separator.join(
            f"{n} {r:.0%}" for n, r in zip(low["name_ja"], low["residence_ratio"], strict=True)
        )
        lines.append(_w("low", lang, names=shown))
    empty = [c for c in table.columns if c != "geometry" and table[c].isna().all()]
    if empty:
        labels = [getattr(COLUMNS[c], lang) if c in COLUMNS else c for c in empty]
        lines.append(_w("empty", lang, columns=separator.join(labels)))
    lines.append(
        _w(
            "polygons",
            lang,
            polygons=int(table.geometry.notna().sum()),
            offices=int(table["office_lat"].notna().sum()),
            n=len(table),
        )
    )
    report = summarize(frame.join_report)
    if len(report):
        lines.append(_w("not_joined", lang))
        lines += [
            f"    {r.source}: {_reason(r.reason, lang)} = {r.rows}"
            + (f"; {r.municipalities}" if r.municipalities else "")
            for r in report.itertuples()
        ]
    lines.append(_w("notes", lang))
    lines += [f"    - {note_text(note, lang)}" for note in frame.notes]
    lines.append(_w("credits", lang))
    lines += [f"    {line}" for line in credit_lines(frame.datasets.values(), lang=lang)]
    return "\n".join(lines)
