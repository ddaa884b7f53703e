"""Fill ``data/raw/`` from the official download URLs, or copy from a mirror directory.

Every file is checked against the sha256 of the manifest, whichever way it arrived: a changed file
upstream is reported, never used silently. Files that were transcribed by hand have no download URL
and can only come from a mirror; fetch says so and carries on with the rest.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from divide.errors import DivideFetchError
from divide.paths import raw_dir
from divide.progress import track
from divide.provenance import Dataset, load_manifest
from divide.validation import existing_folder

USER_AGENT = "divide-fetch/0.1 (+https://github.com/; digital-divide analysis)"


@dataclass
class FetchReport:
    """What happened to each dataset: present, copied, downloaded, or failed with a reason."""

    results: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures

    def lines(self) -> list[str]:
        out = [f"  {key:32s} {status}" for key, status in sorted(self.results.items())]
        out += [f"  {key:32s} FAILED: {why}" for key, why in sorted(self.failures.items())]
        return out


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(path: Path, entry: Dataset) -> bool:
    return path.is_file() and sha256_of(path) == entry.sha256


def download(url: str, target: Path, *, timeout: float = 60.0) -> None:
    """Download ``url`` to ``target`` atomically (a partial file never takes the target's name)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp:
        tmp_path = Path(tmp.name)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                shutil.copyfileobj(response, tmp)
        except Exception as exc:
            tmp.close()
            tmp_path.unlink(missing_ok=True)
            raise DivideFetchError(f"download failed: {url}: {exc}") from exc
    tmp_path.replace(target)


def fetch(
    dest: Path | None = None,
    *,
    mirror: Path | None = None,
    datasets: Iterable[str] | None = None,
    entries: Iterable[Dataset] | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: float = 60.0,
) -> FetchReport:
    """Bring every manifest dataset (or the named ones) into ``dest`` (default ``data/raw``),
    checksums checked.

    Parameters
    ----------
    dest : Path, optional
        The raw folder to fill (default ``data/raw``).
    mirror : Path, optional
        Copy from this mirror folder instead of downloading.
    datasets : iterable of str, optional
        Manifest ids to fetch (default: all).
    entries : iterable of Dataset, optional
        Manifest entries to fetch instead of ids (tests).
    force : bool
        Fetch again even when a verified copy is present.
    progress : bool
        Show a progress bar.
    timeout : float
        Seconds per download.

    Examples
    --------
    >>> import tempfile
    >>> from divide.paths import default_mirror
    >>> report = fetch(tempfile.mkdtemp(), mirror=default_mirror(), datasets=["kaso"], progress=False)
    >>> report.ok, report.results["kaso"].startswith("copied")
    (True, True)
    """
    dest = Path(dest or raw_dir())
    if mirror is not None:
        existing_folder(mirror, "mirror", "fetch")
    chosen = list(entries) if entries is not None else list(load_manifest().values())
    if datasets is not None:
        wanted = set(datasets)
        unknown = wanted - {e.id for e in chosen}
        if unknown:
            raise DivideFetchError(f"unknown dataset(s): {', '.join(sorted(unknown))}")
        chosen = [e for e in chosen if e.id in wanted]
    report = FetchReport()
    for entry in track(chosen, "fetching raw data", enabled=progress):
        target = dest / entry.file
        if not force and _verified(target, entry):
            report.results[entry.id] = "present (checksum ok)"
            continue
        try:
            report.results[entry.id] = _obtain(entry, target, mirror, timeout)
        except DivideFetchError as exc:
            report.failures[entry.id] = str(exc)
    return report


def _obtain(entry: Dataset, target: Path, mirror: Path | None, timeout: float) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    if mirror is not None:
        source = Path(mirror) / entry.file
        if not source.is_file():
            raise DivideFetchError(f"not in the mirror: {source}")
        shutil.copyfile(source, target)
        how = f"copied from {mirror}"
    elif entry.url:
        download(entry.url, target, timeout=timeout)
        how = f"downloaded from {entry.url}"
    else:
        raise DivideFetchError("no download URL (transcribed or assembled file): use --mirror DIR")
    actual = sha256_of(target)
    if actual != entry.sha256:
        target.unlink()
        advice = (
            "the mirror holds another file under this name: check the mirror (divide doctor lists "
            "every file that differs)"
            if mirror is not None
            else "the published file changed: check it and update the manifest"
        )
        raise DivideFetchError(
            f"checksum mismatch ({how}): expected {entry.sha256[:12]}…, got {actual[:12]}…; "
            + advice
        )
    return how + " (checksum ok)"


def mirror_problems(mirror: Path) -> dict[str, str]:
    """Every manifest file the mirror does not hold as listed: ``{file: "missing" | "differs"}``.

    A mirror of the wrong files would otherwise look ready until a build refuses it halfway.
    """
    problems: dict[str, str] = {}
    for entry in load_manifest().values():
        source = Path(mirror) / entry.file
        if not source.is_file():
            problems[entry.file] = "missing"
        elif sha256_of(source) != entry.sha256:
            problems[entry.file] = "differs from the manifest's checksum"
    return problems
