"""Where a result comes from, so that results of two different frames are never mixed.

Every stage result carries the :class:`Origin` of the frame it was built on: the area (a prefecture
or all of Japan) and a fingerprint of the frame's rows. A stage that takes two results (the plan
takes a geography and an estimate; the projection a frame and an estimate) checks with
:func:`matching` that they share one origin. Fukushima's frame with Tottori's estimate would
otherwise give zero offline residents for every year, with no error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from divide.codes import PREFECTURES
from divide.errors import DivideParameterError

FINGERPRINTED = ("population",)  # with the codes: what tells two frames of one area apart


@dataclass(frozen=True)
class Origin:
    """The area of a result (``pref`` None: all of Japan) and the fingerprint of its frame."""

    pref: str | None
    fingerprint: str

    @property
    def area(self) -> str:
        """The area in words, for messages (``07 福島県``, ``Japan``)."""
        if self.pref is None:
            return "Japan"
        return f"{self.pref} {PREFECTURES[self.pref].name_ja}"

    def __str__(self) -> str:
        return f"{self.area} (frame {self.fingerprint[:8]})"


def origin_of(municipalities: pd.DataFrame, pref: str | None) -> Origin:
    """The origin of a frame: its area and a hash of its municipality codes and populations.

    Two frames of one prefecture built from the same data share an origin; a frame of another
    prefecture, or one whose rows were filtered or rebuilt from other data, does not.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"population": [100, 200]}, index=["07201", "07202"])
    >>> origin_of(rows, "07") == origin_of(rows.copy(), "07")
    True
    >>> origin_of(rows, "07") == origin_of(rows.iloc[:1], "07")
    False
    """
    columns = [c for c in FINGERPRINTED if c in municipalities.columns]
    content = pd.DataFrame(municipalities[columns]).assign(code=municipalities.index.astype(str))
    hashed = pd.util.hash_pandas_object(content, index=False).to_numpy()
    digest = hashlib.sha256(hashed.tobytes() + str(pref).encode()).hexdigest()
    return Origin(pref, digest)


def matching(function: str, **results: object) -> Origin:
    """The one origin of ``results`` (stage results and frames, by parameter name); raise
    :class:`~divide.errors.DivideParameterError` naming both when two come from different frames.

    A result without an origin (None passed for an optional input) is skipped.
    """
    known = {
        name: origin
        for name, result in results.items()
        if result is not None and (origin := getattr(result, "origin", None)) is not None
    }
    names = list(known)
    for name in names[1:]:
        if known[name] != known[names[0]]:
            first = names[0]
            raise DivideParameterError(
                f"{function}: {first!r} comes from {known[first]} but {name!r} from "
                f"{known[name]}: pass results built on one frame"
            )
    return known[names[0]] if names else None
