"""Shared fixtures: the public-data mirror, a raw directory fetched from it, and what the stages
build from it.

Real-data tests read the read-only mirror (``DIVIDE_MIRROR`` or ``../shared/data`` beside the
project); they fail loudly when it is missing rather than skip, because a skipped data test proves
nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from divide.paths import default_mirror


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = default_mirror()
    if path is None:
        pytest.fail(
            "the public-data mirror is missing: set DIVIDE_MIRROR or provide ../shared/data"
        )
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
def data(raw: Path):
    """Everything the pipeline reads, built from the raw files (each read once)."""
    from divide.frame.data import build_data

    return build_data(raw)


@pytest.fixture(scope="session")
def national(data):
    from divide.frame.load import load_frame

    return load_frame(None, data=data)


@pytest.fixture(scope="session")
def fukushima(data):
    from divide.frame.load import load_frame

    return load_frame("07", data=data)


@pytest.fixture(scope="session")
def fukushima_geography(fukushima):
    from divide.geography.stage import add_geography

    return add_geography(fukushima)


@pytest.fixture(scope="session")
def fukushima_estimate(fukushima):
    from divide.estimate.offline import estimate_offline

    return estimate_offline(fukushima, seed=0, draws=400)


@pytest.fixture(scope="session")
def fukushima_analysis(raw):
    """The whole Fukushima analysis from the raw files (the path every other run takes through
    processed).
    """
    from divide.analysis import analyse

    return analyse("07", source="raw", raw_directory=raw, draws=500)


@pytest.fixture(scope="session")
def analysed():
    """``analyse(pref, draws=200)`` from the embedded default, run once per prefecture for the whole
    session.

    The maps, slides, export and quiet-output tests read the same analyses; none of them changes
    one.
    """
    from functools import cache

    from divide.analysis import analyse

    return cache(lambda pref: analyse(pref, draws=200))


@pytest.fixture(scope="session")
def fukushima_pack(fukushima_analysis, tmp_path_factory):
    """The Japanese Fukushima pack with static images and cards (CI installs chromium and
    fonts-noto-cjk).
    """
    from divide.report.pack import write_pack
    from divide.report.static import static_status

    assert static_status()[0], static_status()[1]
    return write_pack(fukushima_analysis, tmp_path_factory.mktemp("out"), lang="ja")
