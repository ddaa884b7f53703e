"""Disclosure control: estimated counts of people below k never leave divide, and cannot be
recomputed.

One function serves every exported table, the GIS layers, the cards and the slides. A count divide
estimates or derives (offline residents, head-counts, people within reach, the projection's counts)
is suppressed when it is below ``k`` (default 10): shown as ``<k`` (or left empty in GIS layers).
Published counts (census population, households) are never suppressed. A suppressed count must not
be recomputable from the same row: with it go the shares and parts it was computed from (offline
share × residents = offline count) and the bounds of its interval, shown as ``X`` (the mark of a
confidential cell in Japanese official statistics). Nor from another row or year: a municipality
whose count is small in any year is *withheld* (:func:`withheld`), and every estimated figure of
it, in every table, is ``X`` (a later year's count and the change between them give the small one
back; so would the residents beside a share's class).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

# trigger count column -> the columns of the same row that go with it when it is below k
SHARES = (
    "offline_share",
    "offline_share_lo",
    "offline_share_hi",
    "age_expected_share",
    "age_part",
    "settlement_part",
    "composition_part",
    "survey_part",
    "need_agreement",
    "share_probability",
    "many_probability",
    "prefecture_fraction",
    "load_per_counter",
    "online_share_x_offline",
)
GROUPS: dict[str, tuple[str, ...]] = {
    "offline_count": ("offline_count_lo", "offline_count_hi", *SHARES),
    "headcount": ("headcount_lo", "headcount_hi", "need", "need_probability", *SHARES),
    "covers": (),
    "covered": (),
}
COUNT = re.compile(
    r"^(offline_count(_lo|_hi|_\d{4})?|headcount(_lo|_hi)?|offline_residents(_lo|_hi)?"
    r"|offline_users_online|covers|covered)$"
)
ESTIMATED = re.compile(r"^(offline_|headcount|residents|target_residents|age_|survey_part)")
PUBLISHED = (
    "population",
    "pop_65plus",
    "households",
    "elderly_single_hh",
    "elderly_couple_hh",
    "registered_2020",
    "registered_2021",
    "registered_2022",
    "pop_2025_prelim",
    "residents_15plus",
)


def _masks(table: pd.DataFrame, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cells to suppress: (counts below k, the columns that go with a small trigger count)."""
    counts = pd.DataFrame(False, index=table.index, columns=table.columns)
    linked = counts.copy()
    for column in table.columns:
        if isinstance(column, str) and COUNT.match(column) and column not in PUBLISHED:
            small = (pd.to_numeric(table[column], errors="coerce") < k).fillna(False).to_numpy()
            counts[column] |= small
            for other in GROUPS.get(column, ()):
                if other in linked:
                    linked[other] |= small
    return counts, linked & ~counts


def withheld(counts: pd.Series, k: int) -> set[str]:
    """Municipalities (codes) with an estimated count below ``k`` anywhere in ``counts``
    (indexed by code, any number of rows per code: years, scenarios, age bands).
    """
    small = pd.to_numeric(counts, errors="coerce") < k
    return set(map(str, counts.index[small.to_numpy()]))


def _codes(table: pd.DataFrame) -> pd.Series:
    """The municipal code of every row (the index, an index level or a ``code`` column)."""
    if "code" in table.columns:
        return table["code"].astype(str).reset_index(drop=True).set_axis(table.index)
    if isinstance(table.index, pd.MultiIndex) and "code" in table.index.names:
        return pd.Series(table.index.get_level_values("code").astype(str), index=table.index)
    return pd.Series(table.index.astype(str), index=table.index)


def suppress(
    table: pd.DataFrame,
    name: str,
    *,
    k: int,
    as_text: bool = True,
    hold: set[str] | frozenset[str] = frozenset(),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table with small counts (and what would reveal them) suppressed, and a report of what
    was. ``hold``: withheld municipalities (:func:`withheld`): all their estimated figures go.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"offline_count": [4.2, 250.0], "offline_share": [0.3, 0.2],
    ...                       "residents_15plus": [14.0, 1250.0]}, index=["village", "town"])
    >>> out, report = suppress(table, "t", k=10)
    >>> out.to_dict("list")
    {'offline_count': ['<10', 250.0], 'offline_share': ['X', 0.2], 'residents_15plus': [14.0, 1250.0]}
    >>> report["column"].tolist()
    ['offline_count', 'offline_share']
    """
    counts, linked = _masks(table, k)
    if hold:
        rows = _codes(table).isin(hold).to_numpy()
        for column in table.columns:
            if isinstance(column, str) and ESTIMATED.match(column) and column not in PUBLISHED[:-1]:
                linked[column] |= rows & ~counts[column].to_numpy()
    out = table.copy()
    for mask, text in ((counts, f"<{k}"), (linked, "X")):
        for column in mask.columns[mask.any().to_numpy()]:
            out[column] = out[column].astype(object) if as_text else out[column].astype(float)
            out.loc[mask[column], column] = text if as_text else np.nan
    either = counts | linked
    rows = [
        {"table": name, "row": str(row), "column": column}
        for column in either.columns
        for row in table.index[either[column].to_numpy()]
    ]
    return out, pd.DataFrame(rows, columns=["table", "row", "column"])


def count_text(value: float, k: int, fmt: str = "{:,.0f}") -> str:
    """A count as readers see it on cards, slides and map hovers: ``<k`` when below k.

    >>> count_text(7.9, 10), count_text(1234.4, 10)
    ('<10', '1,234')
    """
    return f"<{k}" if value < k else fmt.format(value)


def masked(values: pd.Series, fmt: Callable[[float], str], hidden: pd.Series) -> pd.Series:
    """``values`` formatted for a map hover or a slide, "X" where ``hidden`` (a share that goes with
    a small count).

    >>> import pandas as pd
    >>> masked(pd.Series([0.25, 0.1]), "{:.0%}".format, pd.Series([True, False])).tolist()
    ['X', '10%']
    """
    hidden = hidden.reindex(values.index, fill_value=False)
    return pd.Series(
        [
            "X" if hide else ("–" if pd.isna(v) else fmt(v))
            for v, hide in zip(values, hidden, strict=True)
        ],
        index=values.index,
    )


def held(analysis: object, k: int) -> set[str]:
    """Municipalities withheld everywhere: an estimated count below ``k`` now or in a projected
    year (a later count and the change give the small one back).
    """
    projection = analysis.projection.table.set_index("code")["offline_count"]
    now = analysis.estimate.municipalities["offline_count"]
    return withheld(pd.concat([projection, now]), k)


def held_bands(analysis: object, k: int) -> set[str]:
    """Municipalities whose age bands are withheld too: one small band is the total minus the
    others.
    """
    bands = analysis.estimate.by_age.set_index("code")["offline_count"]
    return held(analysis, k) | withheld(bands, k)
