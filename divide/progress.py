"""Progress for long work: a bar in notebooks and terminals, silence in tests when asked."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")


def steps(items: Iterable[tuple[str, T]], description: str, *, enabled: bool = True) -> Iterator[tuple[str, T]]:
    """Iterate over (label, item) pairs, showing the label of the running step."""
    items = list(items)
    bar = tqdm(items, desc=description, disable=not enabled, leave=False, unit="step")
    for label, item in bar:
        bar.set_postfix_str(label)
        yield label, item
    bar.close()


def track(items: Iterable[T], description: str, *, total: int | None = None, enabled: bool = True) -> Iterator[T]:
    """A plain progress bar over any iterable."""
    yield from tqdm(items, desc=description, total=total, disable=not enabled, leave=False)
