"""Fukushima evacuation context, transcribed with a source URL and a confidence grade on every row.

``evacuation_events``: ``event_date`` (YYYY-MM-DD, or YYYY-MM with ``date_precision`` = month),
``jis_code5``, ``municipality``, ``area_lifted``, ``zone_type_before``, ``source_url``,
``confidence`` (A official, B press, C aggregator).

``residence``: ``as_of``, ``scope`` (municipality / municipality part / totals), ``jis_code5``,
``registered_pop``, ``resident_pop``, ``residence_rate_pct``, ``source_url``, ``confidence``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide.sources import reader
from divide.sources.table import Table, resolve


def load_evacuation_events(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """event_date (Timestamp, first day of the month when only the month is known), year, code, …"""
    file, entry = resolve("evacuation_events", path, directory)
    frame = reader.read_csv(
        file,
        required=[
            "event_date",
            "date_precision",
            "jis_code5",
            "area_lifted",
            "source_url",
            "confidence",
        ],
    )
    out = frame[
        [
            reader.LINE,
            "date_precision",
            "area_lifted",
            "zone_type_before",
            "source_url",
            "confidence",
        ]
    ].copy()
    out["code"] = reader.codes(frame, "jis_code5", "code5", file)
    out["name"] = frame["municipality"]
    fmt = frame["date_precision"].map({"day": "%Y-%m-%d", "month": "%Y-%m"})
    dates = [
        pd.to_datetime(d, format=f, errors="coerce") if isinstance(f, str) else pd.NaT
        for d, f in zip(frame["event_date"], fmt, strict=True)
    ]
    out["event_date"] = pd.to_datetime(pd.Series(dates, index=frame.index))
    reader.fail_at(
        frame,
        out["event_date"].isna(),
        "date does not match its precision (day: YYYY-MM-DD, month: YYYY-MM)",
        file=file,
        column="event_date",
    )
    out["year"] = out["event_date"].dt.year
    return Table(out, entry, file)


def load_residence(*, path: Path | None = None, directory: Path | None = None) -> Table:
    """as_of, scope, code (missing for totals), registered, resident, residence_rate_pct,
    source_url.
    """
    file, entry = resolve("residence", path, directory)
    frame = reader.read_csv(
        file, required=["as_of", "scope", "jis_code5", "residence_rate_pct", "source_url"]
    )
    out = frame[[reader.LINE, "as_of", "scope", "municipality", "source_url", "confidence"]].copy()
    out["code"] = reader.codes(frame, "jis_code5", "code5", file, allow_missing=True)
    out["pref_code"] = "07"  # every figure of this table is about Fukushima's evacuation areas
    out["name"] = frame["municipality"]
    # Press figures such as "about 18000" are kept as numbers and flagged approximate.
    approximate = frame["resident_pop"].str.startswith("about ")
    frame["resident_pop"] = frame["resident_pop"].str.removeprefix("about ")
    out["approximate"] = approximate
    out["registered"], _ = reader.numbers(frame, "registered_pop", file)
    out["resident"], _ = reader.numbers(frame, "resident_pop", file)
    out["residence_rate_pct"], _ = reader.numbers(frame, "residence_rate_pct", file)
    return Table(out, entry, file)
