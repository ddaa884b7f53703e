"""Joining an analyst's municipal broadband file (MIC's FTTH coverage table) to a frame.

The file is read by :func:`divide.sources.broadband.load_broadband_coverage`; here its rows are
matched to the frame's municipalities, rows that match none are added to the join report, a file
about another prefecture is refused, and the file's provenance joins the frame's credits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from divide.codes import ward_to_city
from divide.errors import DivideDataError
from divide.notes import note
from divide.sources.broadband import load_broadband_coverage
from divide.sources.reader import LINE, fail_at

if TYPE_CHECKING:  # load_frame calls this module: the type is for readers only
    from divide.frame.load import Frame


def _without_wards(data: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of designated-city wards set aside (reported) when the city has its own row; an error
    otherwise.
    """
    city = data["code"].map(ward_to_city)
    ward = city != data["code"]
    orphan = ward & ~city.isin(data["code"])
    if orphan.any():
        first = data[orphan].iloc[0]
        raise DivideDataError(
            f"code {first['code']} is a ward of the designated city {city[orphan].iloc[0]}, and "
            "the "
            "file has no row for the city: add the city's row (divide keeps one row per designated "
            "city)",
            file=path,
            row=int(first[LINE]),
            column="code",
        )
    wards = pd.DataFrame(
        {
            LINE: data.loc[ward, LINE],
            "pref": None,
            "name": data.loc[ward, "code"],
            "reason": "designated-city ward (the city row is used)",
        }
    )
    return data[~ward], wards


def attach_broadband(frame: Frame, path: Path, *, as_of: str | None = None) -> None:
    """Add ``broadband_coverage_pct`` to ``frame.municipalities`` from ``path`` (in place);
    ``as_of`` dates a workbook whose title block does not.
    """
    national = frame.data.national
    reference = pd.DataFrame(
        {"code": national.index, "pref_code": national["pref_code"], "name_ja": national["name_ja"]}
    )
    table = load_broadband_coverage(path, reference=reference, as_of=as_of)
    data, wards = _without_wards(table.data, path)
    fail_at(
        data,
        ~data["code"].isin(national.index),
        "code is not a municipality of the frame (merged away, renamed or mistyped)",
        file=path,
        column="code",
    )
    values = data.set_index("code")["broadband_coverage_pct"]
    mine = values.reindex(frame.municipalities.index)
    if frame.pref is not None and mine.notna().sum() == 0:
        others = sorted(data["code"].str[:2].unique())
        raise DivideDataError(
            f"no row of this file is about prefecture {frame.pref} (the file covers "
            f"{', '.join(others[:5])}{'…' if len(others) > 5 else ''})",
            file=path,
            column="code",
        )
    frame.municipalities["broadband_coverage_pct"] = mine
    frame.datasets["broadband_coverage"] = table.dataset
    unmatched = (
        pd.concat([table.rejected, wards], ignore_index=True) if len(wards) else table.rejected
    )
    if unmatched is not None and len(unmatched):
        rows = unmatched.rename(columns={LINE: "line"}).assign(
            source="broadband_coverage",
            file=str(path),
            code=pd.NA,
            rows=1,
            pref_code=frame.pref if frame.pref is not None else pd.NA,
        )
        frame.join_report = pd.concat(
            [frame.join_report, rows[frame.join_report.columns]], ignore_index=True
        )
    missing = int(frame.municipalities["broadband_coverage_pct"].isna().sum())
    if missing:
        frame.notes.append(note("broadband.missing", municipalities=missing, file=path.name))
    frame.notes += table.notes
