"""A plain-text summary of a frame: what an analyst checks first (counts, totals, gaps, credits)."""

from __future__ import annotations

from divide.frame.joinreport import summarize
from divide.frame.load import Frame
from divide.provenance import credit_lines


def describe(frame: Frame, *, lang: str = "ja") -> str:
    """Counts, totals, evacuated towns, empty layers, the join report and the credit lines of
    ``frame``.

    Examples
    --------
    >>> import divide
    >>> print(divide.describe(divide.load_frame("07")).splitlines()[1])
      2020 census population 1,833,152; aged 65+ 572,825 (31.2%)
    """
    table = frame.municipalities
    pop, old = table["population"].sum(), table["pop_65plus"].sum()
    scope = f"prefecture {frame.pref} {frame.area_name['ja']}" if frame.pref else "all of Japan"
    lines = [
        f"municipal frame: {len(table)} municipalities, {scope} (source: {frame.data.source})",
        f"  2020 census population {pop:,.0f}; aged 65+ {old:,.0f} ({old / pop:.1%})",
        f"  registered population 2022-01-01 {table['registered_2022'].sum():,.0f}",
    ]
    zero = table.index[table["census_zero_population"]]
    if len(zero):
        lines.append(
            f"  no 2020 census residents (evacuation order), kept and flagged: "
            f"{', '.join(table.loc[zero, 'name_ja'])}"
        )
    low = table[(table["residence_ratio"] < 0.5) & ~table["census_zero_population"]]
    if len(low):
        lines.append(
            "  residents far below registrations (census/register < 0.5): "
            + ", ".join(
                f"{n} {r:.0%}" for n, r in zip(low["name_ja"], low["residence_ratio"], strict=True)
            )
        )
    empty = [c for c in table.columns if c != "geometry" and table[c].isna().all()]
    if empty:
        lines.append(f"  empty layers: {', '.join(empty)}")
    lines.append(
        f"  polygons: {int(table.geometry.notna().sum())}/{len(table)}; main offices: "
        f"{int(table['office_lat'].notna().sum())}/{len(table)}"
    )
    report = summarize(frame.join_report)
    if len(report):
        lines.append(
            "  input rows not joined (source: reason = rows; municipalities without a row):"
        )
        lines += [
            f"    {r.source}: {r.reason} = {r.rows}"
            + (f"; {r.municipalities}" if r.municipalities else "")
            for r in report.itertuples()
        ]
    lines.append("  notes:")
    lines += [f"    - {note}" for note in frame.notes]
    lines.append("  credits:")
    lines += [f"    {line}" for line in credit_lines(frame.datasets.values(), lang=lang)]
    return "\n".join(lines)
