"""What a stage noticed, as a code with its values: the report layer words it in Japanese or English.

A stage never writes a sentence for a reader: it emits a :class:`Note` (``"census.no_residents"``
with ``names=("双葉町",)``), and :func:`divide.report.words.note_text` turns it into the pack's
language from the one word catalogue. A note also says which prefectures it concerns, so that a
Hokkaido pack never carries Fukushima's evacuated towns or Hiroshima's repaired boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """A fact a stage noticed.

    Attributes
    ----------
    code : str
        What kind of fact (a key of the ``notes`` words in :mod:`divide.report.words`).
    values : tuple of (name, value) pairs
        The numbers and names it carries; a list of names is a tuple of strings.
    prefectures : tuple of str or None
        The prefectures it concerns; None when it concerns every one.
    """

    code: str
    values: tuple[tuple[str, object], ...] = ()
    prefectures: tuple[str, ...] | None = None

    def value(self, name: str) -> object:
        return dict(self.values)[name]

    def concerns(self, pref: str | None) -> bool:
        """True for every note of all of Japan, or when ``pref`` is among its prefectures."""
        return pref is None or self.prefectures is None or pref in self.prefectures

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "values": {k: list(v) if isinstance(v, tuple) else v for k, v in self.values},
            "prefectures": list(self.prefectures) if self.prefectures is not None else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> Note:
        values = tuple(
            (k, tuple(v) if isinstance(v, list) else v) for k, v in data["values"].items()
        )
        prefectures = data.get("prefectures")
        return cls(data["code"], values, tuple(prefectures) if prefectures is not None else None)

    def __str__(self) -> str:
        shown = ", ".join(
            f"{k}={'/'.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in self.values
        )
        return f"{self.code}({shown})"


def note(code: str, *, codes: Iterable[str] | None = None, **values: object) -> Note:
    """A :class:`Note`; ``codes`` (municipal codes) scope it to their prefectures.

    Examples
    --------
    >>> n = note("census.no_residents", codes=["07546"], names=["双葉町"])
    >>> n.prefectures, n.value("names"), n.concerns("01")
    (('07',), ('双葉町',), False)
    """
    frozen = tuple(
        (k, tuple(str(x) for x in v) if isinstance(v, list | tuple) else v)
        for k, v in values.items()
    )
    prefectures = None if codes is None else tuple(sorted({str(c)[:2] for c in codes}))
    return Note(code, frozen, prefectures)


def for_area(notes: Iterable[Note], pref: str | None) -> list[Note]:
    """The notes that concern ``pref`` (all of them for Japan), in order, without repeats."""
    return list(dict.fromkeys(n for n in notes if n.concerns(pref)))
