"""A testing helper for the municipal frame, for divide's tests and for analysts' own (like
geopandas.testing).
"""

from __future__ import annotations

import pandas as pd

from divide.constants import CRS
from divide.frame.load import Frame


def assert_frame_valid(frame: Frame) -> None:
    """Raise AssertionError unless ``frame`` keeps the frame's invariants.

    Unique 5-digit string codes as the index, one prefecture (or all of Japan), JGD2011 geometry
    present and valid, non-negative counts, the 65+ count within the population, and a join report
    whose rows all belong to the frame's prefecture.

    Parameters
    ----------
    frame : Frame
        The frame to check.

    Examples
    --------
    >>> import divide
    >>> divide.assert_frame_valid(divide.load_frame("13"))
    """
    table = frame.municipalities
    assert table.index.is_unique, "duplicate municipal codes"
    assert table.index.str.fullmatch(r"\d{5}").all(), "codes must be 5-digit strings"
    assert table.crs is not None and table.crs.equals(CRS), f"CRS must be {CRS}, not {table.crs}"
    assert table.geometry.notna().all() and table.geometry.is_valid.all(), (
        "missing or invalid polygons"
    )
    for column in ("population", "pop_65plus", "households"):
        assert (table[column] >= 0).all(), f"negative {column}"
    assert (table["pop_65plus"] <= table["population"]).all(), "65+ above the population"
    if frame.pref is not None:
        assert table["pref_code"].eq(frame.pref).all(), "rows of another prefecture"
        assert pd.Series(frame.join_report["pref_code"]).eq(frame.pref).all(), (
            "join report of another prefecture"
        )
