"""Where divide keeps its data: one place, so tests and notebooks can point it elsewhere.

``DIVIDE_HOME`` overrides the project root (the folder holding ``data/``); ``DIVIDE_MIRROR`` names a
mirror of the raw files (default: ``../shared/data`` beside the project). A clone elsewhere (as CI
makes) passes its mirror with ``DIVIDE_MIRROR``.
"""

from __future__ import annotations

import os
from pathlib import Path

from divide.errors import DivideParameterError

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
    """The read-only mirror of public data, if one is reachable here.

    ``DIVIDE_MIRROR``, when set, is the only candidate: a value that is not a folder is an error
    rather than a silent fall-back to another mirror the user did not choose.
    """
    chosen = os.environ.get("DIVIDE_MIRROR")
    if chosen:
        if not Path(chosen).is_dir():
            why = "is a file" if Path(chosen).exists() else "does not exist"
            raise DivideParameterError(f"DIVIDE_MIRROR={chosen} {why}: point it at a folder")
        return Path(chosen).resolve()
    sibling = project_root().parent / "shared" / "data"
    return sibling.resolve() if sibling.is_dir() else None
