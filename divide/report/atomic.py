"""A pack folder belongs to the user: divide replaces only what it wrote, whole or not at all.

* **Ownership.** A pack folder holds :data:`MANIFEST` (``.divide-pack.json``): every file divide
  wrote there with its SHA-256, and for which area and language. The next run replaces only those
  files. Anything else in the folder (a council memo, an edited copy of the deck) is kept where it
  is and listed in the run's report.
* **Refusals, before any analysis runs** (:func:`check_target`), each one line naming the folder:
  a symbolic link (divide never writes through a link into its target), a file in the way, a
  folder with files but no manifest (divide cannot tell its files from the user's), a file divide
  wrote that has been changed since (the deck edited in place), a folder that cannot be replaced.
* **Lock.** ``out/.<name>.lock`` is held (``flock``) from before the analysis to the end of the
  write (:func:`pack_lock`): a second run into the same folder, from another process or from
  another thread of this one, fails at once; a crashed run never leaves a stale lock.
* **Private folder.** Everything is written into a fresh private folder beside the target; no file
  appears under its final name half-written. Ctrl-C, SIGTERM, a full disk or a crash leave the
  previous pack and the user's files as they were.
* **Swap.** The user's files are linked (hard links; copied where a link is not possible) into the
  private folder, the manifest is written, the old folder is renamed aside and the new one into
  place with SIGINT and SIGTERM held back, and the old folder is removed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from divide import hooks
from divide.errors import DivideError

HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM}
MANIFEST = ".divide-pack.json"
MANIFEST_VERSION = 1


class DividePackError(DivideError):
    """The pack could not be written (folder busy, not writable, not divide's, disk full); the
    previous pack and the user's files are intact.
    """


def check_writable(folder: str | Path) -> Path:
    """``folder`` (created if needed) when a pack can be written into it; a clear error otherwise."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DividePackError(f"{folder}: is a file, not a folder: choose another --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".divide-write-test-{os.getpid()}-{threading.get_ident()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        why = exc.strerror or exc
        raise DividePackError(f"{folder}: cannot write here ({why}): choose another --out") from exc
    return folder


# ---------------------------------------------------------------------------------------------
# What is in a pack folder, and whose it is
# ---------------------------------------------------------------------------------------------


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _files(folder: Path) -> list[str]:
    """Relative paths (POSIX) of every file and link under ``folder``, the manifest left out."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or path.is_file():
            relative = path.relative_to(folder).as_posix()
            if relative != MANIFEST:
                found.append(relative)
    return found


@dataclass(frozen=True)
class PackTarget:
    """A pack folder checked before the analysis: what divide wrote there and what it must keep.

    Attributes
    ----------
    path : Path
        The pack folder (it may not exist yet).
    written : dict
        Relative path -> SHA-256 of every file divide wrote there last time (from its manifest).
    kept : tuple of str
        Relative paths of the files divide did not write: they stay in the folder.
    """

    path: Path
    written: dict[str, str] = field(default_factory=dict)
    kept: tuple[str, ...] = ()


def read_manifest(folder: Path) -> dict | None:
    """The manifest of a pack folder, or None when it has none."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not a mapping")
    except (ValueError, KeyError, TypeError) as exc:
        raise DividePackError(
            f"{path}: unreadable pack manifest ({exc}); divide cannot tell its files from yours: "
            "move the folder away or choose another --out"
        ) from exc
    return manifest


def _refuse_link_or_file(target: Path) -> None:
    if target.is_symlink():
        pointed = os.readlink(target)
        raise DividePackError(
            f"{target}: is a symbolic link (to {pointed}); divide does not write through a link "
            f"into its target: write the pack there directly (--out {Path(pointed).parent}) or "
            "remove the link"
        )
    if target.exists() and not target.is_dir():
        raise DividePackError(
            f"{target}: a file divide did not write has the pack folder's name: move or rename "
            "it, or choose another --out"
        )


def _refuse_unreplaceable(target: Path) -> None:
    """The swap renames the folder: it needs write access to the folder itself and to its parent."""
    probe = target / f".divide-write-test-{os.getpid()}-{threading.get_ident()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DividePackError(
            f"{target}: the pack folder cannot be replaced ({exc.strerror or exc}): is it "
            "read-only, locked or owned by another user? Nothing was written"
        ) from exc


def check_target(target: str | Path) -> PackTarget:
    """Check a pack folder before any work starts (see the module docstring for what is refused).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp()) / "07_fukushima"
    >>> check_target(folder).kept                   # a new folder: nothing to keep
    ()
    >>> folder.mkdir(); _ = (folder / "memo.txt").write_text("for the council")
    >>> check_target(folder)                        # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    divide.report.atomic.DividePackError: ...: holds 1 file(s) but no .divide-pack.json...
    """
    target = Path(target)
    _refuse_link_or_file(target)
    if not target.exists():
        return PackTarget(target)
    present = _files(target)
    manifest = read_manifest(target)
    if manifest is None:
        if present:
            raise DividePackError(
                f"{target}: holds {len(present)} file(s) but no {MANIFEST}: divide did not write "
                "this folder (or an older divide did) and cannot tell its files from yours: move "
                "the folder away or choose another --out"
            )
        _refuse_unreplaceable(target)
        return PackTarget(target)
    written = {str(k): str(v) for k, v in manifest["files"].items()}
    changed = [
        name
        for name in present
        if name in written
        and not (target / name).is_symlink()
        and digest(target / name) != written[name]
    ]
    if changed:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        raise DividePackError(
            f"{target / changed[0]}{more}: changed after divide wrote it: save your version under "
            "another name (divide keeps files it did not write) and run again"
        )
    _refuse_unreplaceable(target)
    return PackTarget(target, written, tuple(n for n in present if n not in written))


# ---------------------------------------------------------------------------------------------
# The lock
# ---------------------------------------------------------------------------------------------

_holders: dict[Path, int] = {}  # pack -> thread holding its lock in this process
_holders_guard = threading.Lock()


def _busy(target: Path, lock: Path) -> DividePackError:
    return DividePackError(
        f"{target}: another divide run is writing this pack ({lock.name} is locked); wait for it "
        "to finish or choose another --out"
    )


@contextlib.contextmanager
def pack_lock(target: Path) -> Iterator[None]:
    """Hold the lock of the pack ``target``; a second run (process or thread) fails at once.

    The thread that holds the lock may take it again (the pack writer inside ``briefing_pack``).
    """
    target = Path(target).absolute()
    me = threading.get_ident()
    with _holders_guard:
        holder = _holders.get(target)
    if holder == me:
        yield
        return
    path = check_writable(target.parent) / f".{target.name}.lock"
    if holder is not None:
        raise _busy(target, path)
    handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise _busy(target, path) from exc
        with _holders_guard:
            _holders[target] = me
        yield
    finally:
        with _holders_guard:
            if _holders.get(target) == me:
                del _holders[target]
        handle.close()


# ---------------------------------------------------------------------------------------------
# Writing: private folder, user's files carried over, swap
# ---------------------------------------------------------------------------------------------


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
    """Remove private or set-aside folders that a killed run left behind (the lock is held)."""
    for leftover in [*parent.glob(f".{name}.partial-*"), *parent.glob(f".{name}.old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _carry(source: Path, destination: Path) -> None:
    """Put a user's file (or link) at ``destination`` without touching ``source``."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), destination)
        return
    try:
        os.link(source, destination)
    except OSError:  # a file system without hard links: a copy, the original stays until the swap
        shutil.copy2(source, destination)


def _kept_name(partial: Path, relative: str) -> str:
    """Where a user's file goes: its own name, unless the new pack now writes a file of that name."""
    if not (partial / relative).exists():
        return relative
    path = Path(relative)
    return str(path.with_name(f"{path.stem}.yours{path.suffix}"))


def carry_over(target: PackTarget, partial: Path) -> dict[str, str]:
    """Link the user's files into the new pack; returns their old -> new relative paths."""
    placed = {}
    for relative in target.kept:
        source = target.path / relative
        if not (source.exists() or source.is_symlink()):
            continue  # removed by the user meanwhile
        name = _kept_name(partial, relative)
        _carry(source, partial / name)
        placed[relative] = name
    return placed


def write_manifest(partial: Path, kept: dict[str, str], about: dict[str, object]) -> Path:
    """The pack's manifest: every file divide wrote (with its SHA-256), what it kept, for what."""
    kept_names = set(kept.values())
    files = {
        name: digest(partial / name)
        for name in _files(partial)
        if name not in kept_names and not (partial / name).is_symlink()
    }
    manifest = {"version": MANIFEST_VERSION, **about, "files": files, "kept": sorted(kept_names)}
    path = partial / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _swap(partial: Path, target: Path) -> None:
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    aside.rmdir()  # the name is reserved for this run; rename needs it free
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        if target.exists():
            target.rename(aside)
        try:
            partial.rename(target)
        except OSError:
            if aside.exists():
                aside.rename(target)  # put the previous pack back
            raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    shutil.rmtree(aside, ignore_errors=True)


def _failure(exc: BaseException, partial: Path, target: Path) -> DividePackError:
    """The one-line error of a failed write, with the private folder's name replaced by the
    pack's (the name a reader knows).
    """
    if isinstance(exc, DividePackError):
        where = str(exc).replace(str(partial), str(target))
        return DividePackError(
            f"{where}: the pack was not written, nothing was changed in {target}"
        )
    assert isinstance(exc, OSError)
    where = str(exc.filename or target).replace(str(partial), str(target))
    full = exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    why = " (disk full or file size limit)" if full else ""
    return DividePackError(
        f"{where}: {exc.strerror or exc}{why}: the pack was not written, nothing was changed in "
        f"{target}"
    )


@dataclass
class PackWrite:
    """The private folder a pack is written into, and what happened to the user's files."""

    folder: Path
    kept: dict[str, str] = field(default_factory=dict)


@contextlib.contextmanager
def pack_folder(target: Path, about: dict[str, object] | None = None) -> Iterator[PackWrite]:
    """Yield the private folder to write a pack into; on success carry the user's files over,
    write the manifest and swap the folder into ``target``.
    """
    target = Path(target)
    parent = check_writable(target.parent)
    with pack_lock(target):
        checked = check_target(target)
        _clean(parent, target.name)
        partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=parent))
        write = PackWrite(partial)
        try:
            yield write
            hooks.reached("pack written")
            write.kept = carry_over(checked, partial)
            write_manifest(partial, write.kept, about or {})
            _swap(partial, target)
        except (OSError, DividePackError) as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise _failure(exc, partial, target) from exc
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise


def raise_on_sigterm() -> None:
    """Turn SIGTERM into KeyboardInterrupt, so that a terminated run cleans up like an interrupted
    one.
    """

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, handler)
