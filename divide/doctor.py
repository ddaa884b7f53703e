"""``divide doctor``: is this machine ready? Each problem comes with the one command that fixes it.

Checks, in the order a first run needs them: Python, the installed packages against
``requirements.lock``, the embedded default (``data/processed``: present, its content digests
intact, built from the raw files the manifest lists now), write access to the output folder, a
browser that kaleido can drive (static maps, decks and cards), a Japanese font, and the public-data
mirror (only for tests and rebuilding). A *required* check that fails stops ``make run`` before any
work; the others say what will be missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from divide.errors import DivideParameterError
from divide.paths import default_mirror, processed_dir, project_root

MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, whether it is fine, what was found, and the command that fixes
    it.
    """

    name: str
    ok: bool
    found: str
    fix: str = ""
    required: bool = True

    def line(self) -> str:
        mark = "ok  " if self.ok else ("FAIL" if self.required else "warn")
        return f"{mark} {self.name}: {self.found}" + (
            "" if self.ok or not self.fix else f"\n     fix: {self.fix}"
        )


def check_python() -> Check:
    found = ".".join(map(str, sys.version_info[:3]))
    return Check(
        "python",
        sys.version_info[:2] >= MIN_PYTHON,
        found,
        f"install Python {'.'.join(map(str, MIN_PYTHON))} or newer, then `make clean setup`",
    )


def check_packages(lock: Path | None = None) -> Check:
    """Installed versions of the locked packages that divide imports directly."""
    lock = lock or project_root() / "requirements.lock"
    wanted = {}
    for line in lock.read_text(encoding="utf-8").splitlines() if lock.is_file() else []:
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            wanted[name.strip().lower()] = version.split(";")[0].strip()
    core = (
        "pandas",
        "geopandas",
        "numpy",
        "plotly",
        "kaleido",
        "pydantic",
        "python-pptx",
        "statsmodels",
        "xlsxwriter",
        "shapely",
        "mapclassify",
    )
    problems = []
    for name in core:
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} missing")
            continue
        if name in wanted and have != wanted[name]:
            problems.append(f"{name} {have} (lock: {wanted[name]})")
    return Check(
        "packages",
        not problems,
        "; ".join(problems) or f"{len(core)} core packages as locked",
        "make clean setup  # reinstalls .venv from requirements.lock",
    )


def check_processed(directory: Path | None = None) -> Check:
    """The embedded default: present, content as its provenance says, built from the manifest's raw
    files.
    """
    from divide.errors import DivideDataError
    from divide.frame.processed import content_digest, read_processed, read_provenance
    from divide.provenance import load_manifest

    directory = Path(directory or processed_dir())
    fix = "git checkout -- data/processed  # or rebuild: divide fetch --mirror DIR && divide build"
    try:
        provenance = read_provenance(directory)
        data = read_processed(directory)
    except (DivideDataError, OSError, ValueError) as exc:
        return Check("embedded default", False, f"{directory}: {' '.join(str(exc).split())}", fix)
    if content_digest(data.national) != provenance["content_sha256"]:
        return Check(
            "embedded default",
            False,
            f"{directory}: municipalities.parquet differs from its provenance "
            "digest (edited or damaged)",
            fix,
        )
    for name, info in provenance["layers"].items():
        if content_digest(data.layers[name]) != info["content_sha256"]:
            return Check(
                "embedded default",
                False,
                f"{directory}: {info['file']} differs from its provenance digest",
                fix,
            )
    manifest = load_manifest()
    stale = sorted(
        key
        for key, entry in provenance["datasets"].items()
        if key in manifest and entry.get("sha256") and entry["sha256"] != manifest[key].sha256
    )
    if stale:
        return Check(
            "embedded default",
            False,
            f"built from older raw files than the manifest lists ({', '.join(stale)})",
            "divide fetch --mirror DIR && divide build  # rebuild from the raw files the manifest "
            "lists",
        )
    return Check(
        "embedded default",
        True,
        f"{directory} ({provenance['rows']} municipalities, digests match)",
    )


def check_output(folder: Path) -> Check:
    from divide.report.atomic import DividePackError, check_writable

    try:
        check_writable(folder)
    except DividePackError as exc:
        return Check(
            "output folder",
            False,
            str(exc),
            "choose another folder: divide brief --out DIR (make run OUT=DIR)",
        )
    return Check("output folder", True, f"{folder} is writable")


def check_browser(render: bool = True) -> Check:
    """A browser kaleido can drive; with ``render``, one trial image (about 2 s)."""
    from divide.report.static import static_ready, static_status

    ok, found = static_status() if render else static_ready()
    fix = (
        "apt-get install chromium fonts-noto-cjk  # Debian/Ubuntu, as root; elsewhere: "
        ".venv/bin/plotly_get_chrome"
        if not ok
        else ""
    )
    return Check("browser (static maps, decks, cards)", ok, found, fix, required=False)


def japanese_fonts() -> list[str]:
    """Font families with Japanese glyphs that fontconfig knows (empty without fontconfig)."""
    if shutil.which("fc-list") is None:
        return []
    result = subprocess.run(
        ["fc-list", ":lang=ja", "family"], capture_output=True, text=True, timeout=30
    )
    return sorted(
        {line.split(",")[0].strip() for line in result.stdout.splitlines() if line.strip()}
    )


def check_font(fonts: Callable[[], list[str]] = japanese_fonts) -> Check:
    found = fonts()
    return Check(
        "Japanese font",
        bool(found),
        ", ".join(found[:3]) or "none found (Japanese text would show as boxes)",
        "apt-get install fonts-noto-cjk  # Debian/Ubuntu, as root",
        required=False,
    )


def check_mirror() -> Check:
    """The mirror is found and holds every manifest file with its checksum; else which are not."""
    name = "data mirror (tests, divide build)"
    fix = "set DIVIDE_MIRROR=/path/to/shared/data, or divide fetch (official sites)"
    try:
        mirror = default_mirror()
    except DivideParameterError as exc:
        return Check(name, False, str(exc), fix, required=False)
    if mirror is None:
        return Check(name, False, "not found", fix, required=False)
    from divide.fetch import mirror_problems  # hashes the mirror: only when the check runs

    problems = mirror_problems(mirror)
    if not problems:
        return Check(name, True, str(mirror), required=False)
    differing_first = sorted(problems.items(), key=lambda item: (item[1] == "missing", item[0]))
    listed = "; ".join(f"{file} {why}" for file, why in differing_first[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return Check(
        name,
        False,
        f"{mirror}: {len(problems)} file(s) not as the manifest lists: {listed}{more}",
        "point DIVIDE_MIRROR at a copy of the public-data mirror, or divide fetch",
        required=False,
    )


def diagnose(out: Path = Path("outputs"), *, render: bool = True) -> list[Check]:
    """Every check, required ones first."""
    return [
        check_python(),
        check_packages(),
        check_processed(),
        check_output(out),
        check_browser(render),
        check_font(),
        check_mirror(),
    ]
