"""過疎地域 designation list (MIC 「過疎地域市町村等一覧」, 2022-04-01).

Layout: ``no, pref, kaso_name, kaso_kind, partial_area, muni_code, muni, row_type``; ``kaso_kind``
is 全部過疎 (whole municipality), 一部過疎 (only the former municipalities in ``partial_area``) or
みなし過疎 (deemed). Municipalities absent from the list are not designated.
"""

from __future__ import annotations

from pathlib import Path

from divide.sources import reader
from divide.sources.table import Table, resolve

KINDS = {"全部過疎": "whole", "一部過疎": "partial", "みなし過疎": "deemed"}


def load_kaso(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """code, name, kaso ('whole' / 'partial' / 'deemed'), kaso_ja, partial_area."""
    file, entry = resolve("kaso", path, directory)
    frame = reader.read_csv(file, required=["kaso_kind", "muni_code", "kaso_name"])
    reader.fail_at(
        frame,
        ~frame["kaso_kind"].isin(list(KINDS)),
        "kaso_kind must be 全部過疎, 一部過疎 or みなし過疎",
        file=file,
        column="kaso_kind",
    )
    out = frame[[reader.LINE]].copy()
    out["code"] = reader.codes(frame, "muni_code", "code5", file)
    out["name"] = frame["kaso_name"]
    out["kaso"] = frame["kaso_kind"].map(KINDS)
    out["kaso_ja"] = frame["kaso_kind"]
    out["partial_area"] = frame.get("partial_area", "")
    reader.unique(out, "code", file, column="muni_code")
    return Table(out, entry, file)
