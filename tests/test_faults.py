"""Faults while a pack is written: interrupt, terminate, a second run, a full disk. The previous
pack survives.

Each test starts ``divide brief`` for Tottori (19 municipalities, the smallest prefecture) as a real
process, provokes the fault at a known stage and compares every file of the previous pack, byte for
byte, with what was there before.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from divide.report.static import static_status

PREF, FOLDER = "31", "31_tottori"
QUIET_BROWSER = "--host-resolver-rules=MAP * ~NOTFOUND"

needs_browser = pytest.mark.skipif(not static_status()[0], reason="static export needs a browser")


ENV = {
    **os.environ,
    "DIVIDE_PROGRESS": "1",
}  # progress on stderr: the tests read it to find the stage


def command(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "divide",
        "brief",
        "--pref",
        PREF,
        "--out",
        str(out),
        "--lang",
        "en",
        "--no-cards",
        *extra,
    ]


def fingerprint(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def browsers() -> set[int]:
    """Running browsers started by divide (they carry divide's quiet switches)."""
    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if QUIET_BROWSER.encode() in cmdline.read_bytes():
                found.add(int(cmdline.parent.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> Path:
    """A folder holding a complete pack written by an earlier run."""
    out = tmp_path_factory.mktemp("packs")
    subprocess.run(command(out), check=True, capture_output=True, timeout=600)
    return out


@pytest.fixture
def previous(packs) -> tuple[Path, dict[str, str]]:
    """The pack folder and the fingerprint of the pack in it now (a test may replace it whole)."""
    return packs, fingerprint(packs / FOLDER)


def wait_for(process: subprocess.Popen, stage: str, out: Path, timeout: float = 300) -> None:
    """Read the progress on stderr until ``stage`` shows, then until the private folder holds a PNG."""
    seen = b""
    deadline = time.monotonic() + timeout
    while stage.encode() not in seen:
        chunk = os.read(process.stderr.fileno(), 4096)
        assert chunk, f"the run ended before {stage!r}: {seen[-2000:]!r}"
        seen += chunk
        assert time.monotonic() < deadline
    while not list(out.glob(f".{FOLDER}.partial-*/**/*.png")):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)


def assert_intact(out: Path, before: dict[str, str]) -> None:
    assert fingerprint(out / FOLDER) == before
    leftovers = [
        p.name
        for p in out.iterdir()
        if p.name.startswith(f".{FOLDER}.") and not p.name.endswith(".lock")
    ]
    assert leftovers == []


@needs_browser
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_static_export_stops_within_two_seconds_and_keeps_the_previous_pack(
    previous, signum
):
    out, before = previous
    browsers_before = browsers()
    process = subprocess.Popen(
        command(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    try:
        wait_for(process, "static images", out)
        sent = time.monotonic()
        process.send_signal(signum)
        status = process.wait(timeout=30)
        elapsed = time.monotonic() - sent
    finally:
        process.kill()
    message = process.stderr.read().decode()
    assert status == 130 and "interrupted" in message and "previous one is intact" in message
    assert elapsed <= 2.0, f"the run took {elapsed:.1f} s to stop"
    assert_intact(out, before)
    time.sleep(0.5)
    assert browsers() <= browsers_before, "a browser outlived the interrupted run"


@needs_browser
def test_a_second_run_into_the_same_pack_fails_at_once(previous):
    out, before = previous
    first = subprocess.Popen(
        command(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    try:
        wait_for(first, "static images", out)
        started = time.monotonic()
        second = subprocess.run(command(out), capture_output=True, text=True, timeout=120)
        elapsed = time.monotonic() - started
        assert first.poll() is None, "the first run must still be writing"
        first_status = first.wait(timeout=600)
    finally:
        first.kill()
    assert second.returncode == 2 and elapsed < 15  # no analysis was run: it failed on the lock
    assert "another divide run is writing this pack" in second.stderr and FOLDER in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    assert first_status == 0
    after = fingerprint(out / FOLDER)
    assert after.keys() == before.keys()  # the first run's pack, whole, replaced the previous one
    assert_intact(out, after)


@needs_browser
def test_a_full_disk_names_the_file_and_keeps_the_previous_pack(previous):
    out, before = previous
    process = subprocess.Popen(
        command(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    try:
        wait_for(process, "static images", out)
        # From now on this process (not its browser, already started) may not write files over 300
        # kB: the maps' HTML (1.2 MB) is already written, the A4 map images (about 0.8 MB) are not.
        # Python ignores SIGXFSZ, so the write fails with EFBIG as on a full disk.
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (300_000, 300_000))
        status = process.wait(timeout=300)
    finally:
        process.kill()
    lines = process.stderr.read().decode().strip().splitlines()
    assert status == 2, lines[-5:]
    assert f"{FOLDER}/maps" in lines[-1] and "File too large" in lines[-1], lines[-1]
    assert "nothing was changed" in lines[-1]
    assert_intact(out, before)


def test_a_stale_file_of_an_earlier_pack_does_not_survive_a_rerun(tmp_path):
    subprocess.run(command(tmp_path, "--no-static"), check=True, capture_output=True, timeout=600)
    stale = tmp_path / FOLDER / "maps" / "old_map.html"
    stale.write_text("from an earlier version", encoding="utf-8")
    subprocess.run(command(tmp_path, "--no-static"), check=True, capture_output=True, timeout=600)
    assert not stale.exists() and (tmp_path / FOLDER / "tables.xlsx").exists()


@pytest.mark.parametrize("make_bad", ["file", "read_only"])
def test_a_bad_out_folder_fails_before_the_analysis(tmp_path, make_bad):
    target = tmp_path / "out"
    if make_bad == "file":
        target.write_text("not a folder", encoding="utf-8")
    else:
        target.mkdir()
        target.chmod(0o500)
        if os.access(target, os.W_OK):  # root writes anywhere: make it unwritable another way
            target.chmod(0o700)
            shutil.rmtree(target)
            target = Path("/proc/divide-cannot-write-here")
    started = time.monotonic()
    result = subprocess.run(command(target), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and time.monotonic() - started < 10
    assert str(target) in result.stderr and "choose another --out" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
