"""Named points where a test can hold a run: documented test hooks, not a feature for analysts.

A fault test must provoke its fault at a known point of a run, not after a guessed delay: on a busy
machine a delay is either too short or too long. A run announces each point with :func:`reached`
(or :func:`reached_async` inside the browser's event loop). Nothing happens unless a holder is set:

* **another process** sets the environment variable ``DIVIDE_HOLD="<point>=<folder>"``. At
  ``<point>`` the run writes ``<folder>/reached`` (its process id) and waits until
  ``<folder>/release`` exists, then goes on;
* **this process** (a thread test) installs a callback with :func:`holding`; the run calls it at
  the point, in the thread that reached it.

Points
------
``"static export"``
    The browser that renders the static images has started; no image is written yet.
``"pack written"``
    Every file of the pack is in the private folder; the swap into place has not begun.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

POINTS = ("static export", "pack written")
ENVIRONMENT = "DIVIDE_HOLD"
POLL_SECONDS = (
    0.05  # how often a held run looks for the release file (the verdict never depends on it)
)

_callbacks: dict[str, Callable[[], None]] = {}


def _held_here(point: str) -> Path | None:
    """The folder of the holder of ``point`` set in the environment, or None."""
    setting = os.environ.get(ENVIRONMENT, "")
    name, _, folder = setting.partition("=")
    if name != point or not folder:
        return None
    folder_path = Path(folder)
    (folder_path / "reached").write_text(str(os.getpid()), encoding="utf-8")
    return folder_path / "release"


def reached(point: str) -> None:
    """Announce ``point``; wait there while a holder holds it."""
    if point in _callbacks:
        _callbacks[point]()
    release = _held_here(point)
    while release is not None and not release.exists():
        time.sleep(POLL_SECONDS)


async def reached_async(point: str) -> None:
    """:func:`reached` for code running in an event loop: the loop goes on while the run is held."""
    if point in _callbacks:
        _callbacks[point]()
    release = _held_here(point)
    while release is not None and not release.exists():
        await asyncio.sleep(POLL_SECONDS)


@contextlib.contextmanager
def holding(point: str, callback: Callable[[], None]) -> Iterator[None]:
    """Call ``callback`` whenever a run of this process reaches ``point`` (tests only).

    Examples
    --------
    >>> seen = []
    >>> with holding("pack written", lambda: seen.append("here")):
    ...     reached("pack written")
    >>> seen
    ['here']
    """
    if point not in POINTS:
        raise ValueError(f"unknown hold point {point!r}; known: {', '.join(POINTS)}")
    _callbacks[point] = callback
    try:
        yield
    finally:
        _callbacks.pop(point, None)
