"""Progress for long work: a bar in notebooks and in the command line, silence in plain scripts and
tests.

``progress=None`` (the default of every long function) means *automatic*: a bar inside a Jupyter
kernel, none elsewhere; the CLI asks for bars explicitly. Bars go to stderr, never into a script's
output.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def in_notebook() -> bool:
    """True inside a Jupyter (IPython kernel) session."""
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ipython = shell.get_ipython()  # type: ignore[attr-defined]
    except AttributeError:
        return False
    return ipython is not None and "IPKernelApp" in getattr(ipython, "config", {})


def wanted(progress: bool | None) -> bool:
    """Resolve ``progress`` (True / False / None = automatic) to whether bars are shown."""
    return in_notebook() if progress is None else bool(progress)


def steps(
    items: Iterable[tuple[str, T]], description: str, *, enabled: bool | None = None
) -> Iterator[tuple[str, T]]:
    """Iterate over (label, item) pairs, showing the label of the running step."""
    items = list(items)
    if not wanted(enabled):
        yield from items
        return
    from tqdm.auto import tqdm

    bar = tqdm(items, desc=description, leave=False, unit="step", file=sys.stderr)
    for label, item in bar:
        bar.set_postfix_str(label)
        yield label, item
    bar.close()


def track(
    items: Iterable[T], description: str, *, total: int | None = None, enabled: bool | None = None
) -> Iterator[T]:
    """A plain progress bar over any iterable."""
    if not wanted(enabled):
        yield from items
        return
    from tqdm.auto import tqdm

    yield from tqdm(items, desc=description, total=total, leave=False, file=sys.stderr)


class Steps:
    """The named steps of one long piece of work, shown as one bar (see :func:`stages`)."""

    def __init__(self, bar: object | None) -> None:
        self._bar = bar

    @contextlib.contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Run the block as the step ``label``: the bar shows it while it runs."""
        if self._bar is not None:
            self._bar.set_postfix_str(label)
        yield
        if self._bar is not None:
            self._bar.update(1)


@contextlib.contextmanager
def stages(description: str, total: int, *, enabled: bool | None = None) -> Iterator[Steps]:
    """A bar of ``total`` named steps, used as ``with stages(...) as work: with work.step(...):``.

    Examples
    --------
    >>> with stages("analysis", 2, enabled=False) as work:
    ...     with work.step("frame"):
    ...         pass
    """
    if not wanted(enabled):
        yield Steps(None)
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=description, leave=False, unit="step", file=sys.stderr)
    try:
        yield Steps(bar)
    finally:
        bar.close()
