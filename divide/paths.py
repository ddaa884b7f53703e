"""Where divide keeps its data: one place, so tests and notebooks can point it elsewhere.

``DIVIDE_HOME`` overrides the project root (the folder holding ``data/``); ``DIVIDE_MIRROR`` names a
mirror of the raw files (default: ``../shared/data`` beside the project). A clone elsewhere (as CI
makes) passes its mirror with ``DIVIDE_MIRROR``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    return Path(os.environ.get("DIVIDE_HOME", PACKAGE_DIR.parent)).resolve()


def raw_dir() -> Path:
    return project_root() / "data" / "raw"


def processed_dir() -> Path:
    return project_root() / "data" / "processed"


def manifest_path() -> Path:
    return project_root() / "data" / "raw" / "manifest.toml"


def default_mirror() -> Path | None:
    """The read-only mirror of public data, if one is reachable here."""
    candidates = [os.environ.get("DIVIDE_MIRROR"), project_root().parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate).resolve()
    return None
