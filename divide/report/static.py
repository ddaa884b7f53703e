"""PNG / SVG / PDF through kaleido: one browser session for a whole batch, several tabs at once.

Starting Chromium costs most of a single export (about 2-3 s); a briefing pack has dozens of images,
so they are rendered together in one session, ``TABS`` figures at a time. MathJax is disabled
(kaleido would otherwise fetch it from a CDN) and the browser is started with its background
networking switched off (:mod:`divide.report.browser`). Japanese glyphs need a CJK font (Debian:
fonts-noto-cjk). When no browser can be started, :func:`static_status` says why, and the pack is
written without static images.

kaleido's own ``*_sync`` helpers run the browser in a non-daemon thread that Ctrl-C cannot stop: the
process lived on for the whole batch after an interrupt. :func:`render` runs the same coroutine in a
daemon thread it can cancel, so an interrupt (or SIGTERM, see :mod:`divide.report.atomic`) stops the
browser and returns control within about a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import signal
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from divide import hooks
from divide.errors import DivideError
from divide.report.browser import find_browser, kaleido_options

TABS = max(1, min(4, os.cpu_count() or 1))
GRACE_SECONDS = 1.0  # how long a cancelled render may take to close its browser before it is killed
RELOAD_EVERY = 25  # a tab is reloaded after this many figures (kaleido reloads after every one)


@dataclass
class ImageJob:
    figure: go.Figure
    path: Path
    format: str = "png"
    scale: float = 2.0


def _children() -> list[int]:
    """Process ids whose parent is this process (the browser kaleido started), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.append(int(stat.parent.name))
    return found


def run_cancellable(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coroutine`` to its end in a daemon thread; on KeyboardInterrupt cancel it, kill its
    browser, re-raise.
    """
    outcome: dict[str, Any] = {}
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(
        lambda _loop, _context: None
    )  # errors reach the caller through ``outcome``
    task = loop.create_task(coroutine)

    def run() -> None:
        try:
            outcome["value"] = loop.run_until_complete(task)
        except BaseException as exc:  # handed over to the calling thread
            outcome["error"] = exc
        finally:  # the other tabs' work, cancelled and awaited, so that nothing prints at exit
            pending = asyncio.all_tasks(loop)
            for other in pending:
                other.cancel()
            if pending:
                loop.run_until_complete(asyncio.wait(pending, timeout=GRACE_SECONDS))

    thread = threading.Thread(target=run, name="divide-static-export", daemon=True)
    before = set(_children())
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except BaseException:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(GRACE_SECONDS)
        for pid in set(_children()) - before:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@contextlib.contextmanager
def tabs_reused() -> Iterator[None]:
    """Let kaleido reuse a tab for ``RELOAD_EVERY`` figures instead of reloading it after each.

    kaleido 1.x reloads the page (and parses plotly.js again) after every figure: half the time of a
    batch of cards. The images are identical with the tab reused (``tests/test_static.py`` compares
    them); reloading now and then bounds the page's memory. Without the private hook (another
    kaleido), nothing changes.
    """
    try:
        from kaleido.kaleido import Kaleido
    except ImportError:
        yield
        return
    original = getattr(Kaleido, "_return_kaleido_tab", None)
    if original is None:
        yield
        return
    uses: dict[int, int] = {}

    async def reuse(self: Kaleido, tab: object) -> None:
        uses[id(tab)] = uses.get(id(tab), 0) + 1
        if uses[id(tab)] >= RELOAD_EVERY:
            uses[id(tab)] = 0
            await tab.reload()
        await self.tabs_ready.put(tab)

    Kaleido._return_kaleido_tab = reuse
    try:
        yield
    finally:
        Kaleido._return_kaleido_tab = original


class StaticExportError(DivideError):
    """The browser could not render (not startable, crashed): the pack is written without static
    files.
    """


def static_ready() -> tuple[bool, str]:
    """(available, reason) without starting a browser: kaleido installed and a Chrome/Chromium
    found.

    The pack uses this cheap check (a trial render costs a browser start, 2 s); if the browser then
    fails, :func:`render` raises :class:`StaticExportError` and the pack is written without static
    files.
    """
    try:
        import kaleido  # noqa: F401 - only whether it is there
    except ImportError:
        return False, "kaleido is not installed"
    browser = find_browser()
    if browser is None:
        return False, (
            "no Chrome or Chromium found: install one (Debian: apt-get install chromium "
            "fonts-noto-cjk) "
            "or run plotly_get_chrome; `divide doctor` checks"
        )
    return True, f"kaleido with {browser}"


@lru_cache(maxsize=1)
def static_status() -> tuple[bool, str]:
    """(available, reason). Tries a one-pixel render once per process."""
    try:
        import kaleido
    except ImportError:
        return False, "kaleido is not installed"
    browser = find_browser()
    try:
        run_cancellable(
            kaleido.calc_fig(
                go.Figure().to_dict(),
                opts={"format": "png", "width": 10, "height": 10},
                kopts=kaleido_options(),
            )
        )
    except Exception as exc:
        hint = (
            "install Chromium and a CJK font (Debian: apt-get install chromium fonts-noto-cjk) or "
            "run "
            "plotly_get_chrome; `divide doctor` checks both"
        )
        return False, f"static export unavailable ({type(exc).__name__}: {exc}); {hint}"
    return True, f"kaleido with {browser or 'a Chrome found by kaleido'}"


async def _announced(specs: list[dict]) -> AsyncIterator[dict]:
    """The specs, handed to kaleido once its browser runs: the "static export" hold point."""
    await hooks.reached_async("static export")
    for spec in specs:
        yield spec


def render(jobs: list[ImageJob], *, reuse_tabs: bool = True) -> list[Path]:
    """Render every job in one browser session, ``TABS`` at a time; returns the paths written."""
    import kaleido

    specs = []
    for job in jobs:
        job.path.parent.mkdir(parents=True, exist_ok=True)
        layout = job.figure.layout
        specs.append(
            {
                "fig": job.figure.to_dict(),
                "path": job.path,
                "opts": {
                    "format": job.format,
                    "width": layout.width or 1100,
                    "height": layout.height or 900,
                    "scale": job.scale,
                },
            }
        )
    # kaleido collects a failed figure's error and carries on unless told otherwise: a full disk
    # must stop here
    try:
        with tabs_reused() if reuse_tabs else contextlib.nullcontext():
            run_cancellable(
                kaleido.write_fig_from_object(
                    _announced(specs),
                    kopts={**kaleido_options(), "n": TABS},
                    cancel_on_error=True,
                )
            )
    except (OSError, KeyboardInterrupt):
        raise  # a full disk or an interrupt stops the pack
    except Exception as exc:
        raise StaticExportError(f"static export failed ({type(exc).__name__}: {exc})") from exc
    missing = [job.path for job in jobs if not job.path.is_file() or job.path.stat().st_size == 0]
    if missing:
        raise OSError(errno.EIO, f"{len(missing)} images were not written", str(missing[0]))
    return [job.path for job in jobs]
