"""Census-derived municipal ratios (e-Stat 「統計でみる市区町村のすがた 2024」 + 2020 Census 学歴).

Layout (UTF-8, CC0 derivation by mu373/election-202602-shugiin): ``muni_code`` (5-digit),
``muni_name``, ``pref_code``, ``pop_total``, ``n_hh_total`` and ratio columns as fractions 0-1
(``pct_college`` = university graduates / graduates with known schooling; ``pop_density`` = persons
per km²). Designated cities appear only as their wards; the frame aggregates them. Several columns
are empty for whole prefectures (all of Fukushima for ``pct_married`` …): empty stays missing, never
zero.
"""

from __future__ import annotations

from pathlib import Path

from divide.errors import DivideDataError
from divide.notes import note
from divide.sources import reader
from divide.sources.table import Table, resolve

COUNT_COLUMNS = ("pop_total", "n_hh_total")
RATIO_COLUMNS = (
    "pct_elderly_65",
    "pct_child_under15",
    "pct_child_under5",
    "pct_foreign",
    "pct_college",
    "pct_working_age_3044",
    "pct_primary_ind",
    "pct_tertiary_ind",
    "pct_secondary_ind",
    "pct_ict_industry",
    "female_labor_participation",
    "pct_owner_occupied",
    "pct_apartment",
    "pct_commute_other_pref",
    "pct_single_hh",
    "pct_married",
    "pct_nuclear_with_child",
    "pct_hh_with_child_under6",
    "pct_hh_with_child_under18",
)
# Checked to lie in 0-1. ``pct_single_parent`` is left out on purpose: in this file it holds values
# up to 1,841 (median 155), so it is not the share its name says and is not loaded.
CHECKED_FRACTIONS = (
    "pct_elderly_65",
    "pct_child_under15",
    "pct_foreign",
    "pct_college",
    "pct_single_hh",
)
OTHER_COLUMNS = ("avg_hh_size", "pop_density", "nursery_ratio", "taxable_income_per_capita")


def load_census_ratios(*, path: Path | None = None, directory: Path | None = None) -> Table:
    file, entry = resolve("census_ratios", path, directory)
    frame = reader.read_csv(
        file, required=["muni_code", "muni_name", *COUNT_COLUMNS, "pct_college", "pop_density"]
    )
    out = frame[[reader.LINE]].copy()
    out["code"] = reader.codes(frame, "muni_code", "code5", file)
    out["name"] = frame["muni_name"]
    for column in (*COUNT_COLUMNS, *RATIO_COLUMNS, *OTHER_COLUMNS):
        if column in frame:
            out[column], _ = reader.numbers(frame, column, file)
    for column in CHECKED_FRACTIONS:
        if column in out and (out[column] > 1.0 + 1e-9).any():
            bad = out.index[out[column] > 1.0][0]
            raise DivideDataError(
                "ratio above 1 (fractions 0-1 expected)",
                file=file,
                row=int(out.at[bad, reader.LINE]),
                column=column,
                value=out.at[bad, column],
            )
    reader.unique(out, "code", file, column="muni_code")
    notes = [note("census.single_parent_skipped")]
    return Table(out.reset_index(drop=True), entry, file, notes)
