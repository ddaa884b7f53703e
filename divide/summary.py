"""A plain-text summary of a frame: what an analyst checks first (counts, totals, gaps, credits)."""

from __future__ import annotations

import geopandas as gpd

from divide.joinreport import summarize
from divide.provenance import credit_lines


def describe(frame: gpd.GeoDataFrame, *, lang: str = "ja") -> str:
    pop = frame["population"].sum()
    old = frame["pop_65plus"].sum()
    prefs = sorted(frame["pref_code"].unique())
    scope = f"prefecture {prefs[0]} {frame['pref_name_ja'].iloc[0]}" if len(prefs) == 1 else f"{len(prefs)} prefectures"
    lines = [
        f"municipal frame: {len(frame)} municipalities, {scope} (source: {frame.attrs.get('source', '?')})",
        f"  2020 census population {pop:,.0f}; aged 65+ {old:,.0f} ({old / pop:.1%})",
        f"  registered population 2022-01-01 {frame['registered_2022'].sum():,.0f}",
    ]
    zero = frame.index[frame["census_zero_population"]]
    if len(zero):
        names = ", ".join(frame.loc[zero, "name_ja"])
        lines.append(f"  no 2020 census residents (evacuation order), kept and flagged: {names}")
    low = frame[(frame["residence_ratio"] < 0.5) & ~frame["census_zero_population"]]
    if len(low):
        lines.append("  residents far below registrations (census/register < 0.5): "
                     + ", ".join(f"{n} {r:.0%}" for n, r in zip(low["name_ja"], low["residence_ratio"], strict=True)))
    empty = [c for c in frame.columns if c != "geometry" and frame[c].isna().all()]
    if empty:
        lines.append(f"  empty layers: {', '.join(empty)}")
    lines.append(f"  polygons: {int(frame.geometry.notna().sum())}/{len(frame)}; main offices: "
                 f"{int(frame['office_lat'].notna().sum())}/{len(frame)}")
    report = summarize(frame.attrs.get("join_report"))
    if len(report):
        lines.append("  input rows not joined (source: reason = rows):")
        lines += [f"    {r.source}: {r.reason} = {r.rows}" for r in report.itertuples()]
    lines.append("  notes:")
    lines += [f"    - {note}" for note in frame.attrs.get("notes", [])]
    lines.append("  credits:")
    provenance = frame.attrs.get("provenance", {})
    lines += [f"    {line}" for line in credit_lines(list(provenance), lang=lang, extra=provenance)]
    return "\n".join(lines)
