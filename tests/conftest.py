"""Shared fixtures: the public-data mirror, a raw directory fetched from it, and the frames built from it.

Real-data tests read the read-only mirror (``DIVIDE_MIRROR`` or ``../shared/data``); they fail loudly
when it is missing rather than skip, because a skipped data test proves nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from divide.paths import default_mirror


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = default_mirror()
    if path is None:
        pytest.fail("the public-data mirror is missing: set DIVIDE_MIRROR or provide ../shared/data")
    return path


@pytest.fixture(scope="session")
def raw(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data/raw directory filled from the mirror through the real fetch code."""
    from divide.fetch import fetch

    target = tmp_path_factory.mktemp("raw")
    report = fetch(target, mirror=mirror, progress=False)
    assert report.ok, report.failures
    return target


@pytest.fixture(scope="session")
def national(raw: Path):
    from divide.frame import build_frame

    return build_frame(raw, progress=False)


@pytest.fixture(scope="session")
def fukushima(raw: Path):
    from divide.load import load_frame

    return load_frame("07", source="raw", raw_directory=raw)
