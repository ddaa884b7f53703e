"""A pack is written whole or not at all: a private folder beside the target, swapped in at the end,
under a lock.

* **Lock.** ``out/.<name>.lock`` is held (``flock``) from before the analysis to the end of the
  write (:func:`pack_lock`): a second run into the same folder fails at once, and a crashed run
  never leaves a stale lock (the kernel releases it).
* **Private folder.** Everything is written into ``out/.<name>.partial-<pid>``; no file ever appears
  under its final name half-written, and Ctrl-C, SIGTERM, a full disk or a crash leave the previous
  pack untouched (the partial folder is removed, or cleaned by the next run).
* **Swap.** At the end the old pack is renamed aside, the new folder renamed into place and the old
  one removed, with SIGINT and SIGTERM held back for those two renames. Files of an earlier pack
  that the new one does not write do not survive.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

from divide.errors import DivideError

HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class DividePackError(DivideError):
    """The pack could not be written (folder busy, not writable, disk full); the previous pack is
    intact.
    """


def check_writable(folder: str | Path) -> Path:
    """``folder`` (created if needed) when a pack can be written into it; a clear error otherwise."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DividePackError(f"{folder}: is a file, not a folder: choose another --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".divide-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DividePackError(
            f"{folder}: cannot write here ({exc.strerror or exc}): choose another --out"
        ) from exc
    return folder


_HELD: set[Path] = (
    set()
)  # packs this process holds the lock of (a lock is not taken twice by one run)


@contextlib.contextmanager
def pack_lock(target: Path) -> Iterator[None]:
    """Hold the lock of the pack ``target``; a second run into the same pack fails at once."""
    target = Path(target).absolute()
    if target in _HELD:
        yield
        return
    path = check_writable(target.parent) / f".{target.name}.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise DividePackError(
                f"{target}: another divide run is writing this pack ({path.name} is locked); "
                "wait for it to finish or choose another --out"
            ) from exc
        _HELD.add(target)
        yield
    finally:
        _HELD.discard(target)
        handle.close()


@contextlib.contextmanager
def naming(path: Path) -> Iterator[Path]:
    """Writing ``path``: any failure of the writer (OSError or a library's own error) names the
    file.
    """
    try:
        yield path
    except DivideError:
        raise
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise
    except Exception as exc:
        raise DividePackError(
            f"{path}: could not be written ({type(exc).__name__}: {exc})"
        ) from exc


def _clean(parent: Path, name: str) -> None:
    """Remove partial or set-aside folders that a killed run left behind."""
    for leftover in [*parent.glob(f".{name}.partial-*"), *parent.glob(f".{name}.old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _swap(partial: Path, target: Path) -> None:
    aside = target.parent / f".{target.name}.old-{os.getpid()}"
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        if target.exists():
            target.rename(aside)
        partial.rename(target)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def pack_folder(target: Path) -> Iterator[Path]:
    """Yield the private folder to write a pack into; swap it into ``target`` when the block
    succeeds.
    """
    parent = check_writable(target.parent)
    with pack_lock(target):
        _clean(parent, target.name)
        partial = parent / f".{target.name}.partial-{os.getpid()}"
        partial.mkdir()
        try:
            yield partial
        except OSError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            where = _final(exc.filename, partial, target)
            why = (
                " (disk full or file size limit)"
                if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
                else ""
            )
            raise DividePackError(
                f"{where}: {exc.strerror or exc}{why}: the pack was not written, nothing was "
                f"changed in {target}"
            ) from exc
        except DividePackError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise DividePackError(
                f"{_final(str(exc), partial, target)}: the pack was not written, nothing was "
                f"changed in {target}"
            ) from exc
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _swap(partial, target)


def _final(text: str | None, partial: Path, target: Path) -> str:
    """``text`` with the private folder's path replaced by the pack's own (the name a reader knows)."""
    return str(text or target).replace(str(partial), str(target))


def raise_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so that a terminated run cleans up like an interrupted
    one.
    """

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)
