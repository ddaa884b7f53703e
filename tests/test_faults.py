"""Faults while a pack is written, and the pack folder as the user's: the previous pack and the
user's files survive.

Each run is ``divide brief`` for Tottori (19 municipalities, the smallest prefecture) as a real
process. A fault is provoked at a known point of the run, reached through the documented test hook
(:mod:`divide.hooks`): the run waits there until the test releases it, so no verdict depends on how
fast this machine is or on what else runs on it. The tests watch only the processes their own run
started (its process tree), never other browsers on the machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from divide import hooks
from divide.report.atomic import MANIFEST, DividePackError
from divide.report.static import static_status

PREF, FOLDER = "31", "31_tottori"
RUN_TIMEOUT = (
    900  # a guard against a hung run, not a verdict: the slowest machine finishes far sooner
)

needs_browser = pytest.mark.skipif(not static_status()[0], reason="static export needs a browser")

ENV = {**os.environ, "DIVIDE_PROGRESS": "1"}  # progress on stderr: a refused run shows none


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


# ---------------------------------------------------------------------------------------------
# A run held at a hook point, and its own process tree
# ---------------------------------------------------------------------------------------------


def _default_interrupt() -> None:
    """In the child: SIGINT as a terminal delivers it. A shell that starts the test run in the
    background ignores SIGINT for its children, and the run would then never see the interrupt
    the test sends: the verdict must not depend on how pytest was started.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_held(out: Path, point: str, hold: Path, *extra: str) -> subprocess.Popen:
    """Start a run that will wait at ``point`` until :func:`release`; returns when it is there."""
    hold.mkdir(parents=True, exist_ok=True)
    env = {**ENV, hooks.ENVIRONMENT: f"{point}={hold}"}
    process = subprocess.Popen(
        command(out, *extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=_default_interrupt,
    )
    deadline = time.monotonic() + RUN_TIMEOUT
    while not (hold / "reached").exists():
        if process.poll() is not None:
            raise AssertionError(f"the run ended before {point!r}: {process.stderr.read()[-2000:]}")
        assert time.monotonic() < deadline, f"the run never reached {point!r}"
        time.sleep(0.05)
    return process


def release(hold: Path) -> None:
    (hold / "release").write_text("go", encoding="utf-8")


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), fields[0], int(fields[19])


def descendants(root: int) -> set[tuple[int, int]]:
    """(pid, start time) of every process below ``root``: this run's own browser, nobody else's."""
    parents = {}
    for entry in Path("/proc").glob("[0-9]*"):
        info = _stat(int(entry.name))
        if info is not None:
            parents[int(entry.name)] = info
    found, frontier = set(), {root}
    while frontier:
        children = {pid for pid, (parent, _, _) in parents.items() if parent in frontier}
        found |= {(pid, parents[pid][2]) for pid in children}
        frontier = children
    return found


def still_running(processes: set[tuple[int, int]]) -> set[int]:
    """Those of ``processes`` that still run (the same start time, not a zombie awaiting reaping)."""
    running = set()
    for pid, started in processes:
        info = _stat(pid)
        if info is not None and info[2] == started and info[1] != "Z":
            running.add(pid)
    return running


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> Path:
    """A folder holding a complete pack written by an earlier run."""
    out = tmp_path_factory.mktemp("packs")
    subprocess.run(command(out), check=True, capture_output=True, timeout=RUN_TIMEOUT)
    return out


@pytest.fixture
def previous(packs) -> tuple[Path, dict[str, str]]:
    """The pack folder and the fingerprint of the pack in it now (a test may replace it whole)."""
    return packs, fingerprint(packs / FOLDER)


@pytest.fixture(scope="module")
def plain_pack(tmp_path_factory) -> Path:
    """A pack without static files (fast), copied by each test that changes it."""
    out = tmp_path_factory.mktemp("plain")
    subprocess.run(
        command(out, "--no-static"), check=True, capture_output=True, timeout=RUN_TIMEOUT
    )
    return out


@pytest.fixture
def own_copy(plain_pack, tmp_path) -> Path:
    """This test's own copy of the plain pack's output folder."""
    out = tmp_path / "out"
    shutil.copytree(plain_pack, out)
    return out


def assert_intact(out: Path, before: dict[str, str]) -> None:
    assert fingerprint(out / FOLDER) == before
    leftovers = [
        p.name
        for p in out.iterdir()
        if p.name.startswith(f".{FOLDER}.") and not p.name.endswith(".lock")
    ]
    assert leftovers == []


def refused(out: Path, *extra: str) -> str:
    """Run into ``out``; it must refuse in one line before the analysis. Returns the line."""
    result = subprocess.run(
        command(out, "--no-static", *extra),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env=ENV,
    )
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr[-2000:]
    assert len(lines) == 1, lines  # one line, and no progress: the analysis never started
    return lines[0]


# ---------------------------------------------------------------------------------------------
# Faults during a run
# ---------------------------------------------------------------------------------------------


@needs_browser
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_static_export_keeps_the_previous_pack_and_ends_the_runs_browser(
    previous, tmp_path, signum
):
    out, before = previous
    process = start_held(out, "static export", tmp_path / "hold")
    try:
        browser = descendants(process.pid)
        assert browser, "the run's browser should be running at this point"
        process.send_signal(signum)
        status = process.wait(timeout=RUN_TIMEOUT)
    finally:
        process.kill()
    message = process.stderr.read().decode()
    assert status == 130 and "interrupted" in message and "previous one is intact" in message
    assert_intact(out, before)
    deadline = time.monotonic() + 60  # killed processes vanish at once; the bound only ends a hang
    while still_running(browser) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert still_running(browser) == set(), "a browser of the run outlived it"


@needs_browser
def test_a_second_run_into_the_same_pack_fails_at_once(previous, tmp_path):
    out, before = previous
    hold = tmp_path / "hold"
    first = start_held(out, "static export", hold)
    try:
        second = subprocess.run(
            command(out), capture_output=True, text=True, timeout=RUN_TIMEOUT, env=ENV
        )
        assert first.poll() is None, "the first run is held: it must still be writing"
        release(hold)
        first_status = first.wait(timeout=RUN_TIMEOUT)
    finally:
        first.kill()
    assert second.returncode == 2
    assert "another divide run is writing this pack" in second.stderr and FOLDER in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1  # no progress: no analysis was run
    assert first_status == 0
    after = fingerprint(out / FOLDER)
    assert after.keys() == before.keys()  # the first run's pack, whole, replaced the previous one
    assert_intact(out, after)


@needs_browser
def test_a_full_disk_names_the_file_and_keeps_the_previous_pack(previous, tmp_path):
    out, before = previous
    hold = tmp_path / "hold"
    process = start_held(out, "static export", hold)
    try:
        # From now on this process (not its browser, already started) may not write files over
        # 300 kB: the maps' HTML is already written, the A4 map images (about 0.8 MB) are not.
        # Python ignores SIGXFSZ, so the write fails with EFBIG as on a full disk.
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (300_000, 300_000))
        release(hold)
        status = process.wait(timeout=RUN_TIMEOUT)
    finally:
        process.kill()
    lines = process.stderr.read().decode().strip().splitlines()
    assert status == 2, lines[-5:]
    assert f"{FOLDER}/maps" in lines[-1] and "File too large" in lines[-1], lines[-1]
    assert "nothing was changed" in lines[-1]
    assert_intact(out, before)


def test_a_failure_just_before_the_swap_keeps_the_previous_pack(own_copy, tmp_path):
    """Held with everything written, the run is terminated: nothing of it reaches the folder."""
    before = fingerprint(own_copy / FOLDER)
    process = start_held(own_copy, "pack written", tmp_path / "hold", "--no-static")
    try:
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=RUN_TIMEOUT)
    finally:
        process.kill()
    assert status == 130
    assert_intact(own_copy, before)


# ---------------------------------------------------------------------------------------------
# The pack folder is the user's
# ---------------------------------------------------------------------------------------------


def test_the_users_files_in_the_pack_folder_survive_a_rerun(own_copy):
    pack = own_copy / FOLDER
    memo = pack / "council memo.txt"
    memo.write_text("questions for the committee", encoding="utf-8")
    (pack / "maps" / "my notes").mkdir()
    (pack / "maps" / "my notes" / "tokyo.md").write_text("compare", encoding="utf-8")
    edited = pack / "briefing (edited).xlsx"
    shutil.copy(pack / "tables.xlsx", edited)
    edited_bytes = edited.read_bytes()
    result = subprocess.run(
        command(own_copy, "--no-static"), capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert result.returncode == 0, result.stderr
    assert memo.read_text(encoding="utf-8") == "questions for the committee"
    assert (pack / "maps" / "my notes" / "tokyo.md").read_text(encoding="utf-8") == "compare"
    assert edited.read_bytes() == edited_bytes
    assert "kept 3 file(s) divide did not write" in result.stdout
    manifest = json.loads((pack / MANIFEST).read_text(encoding="utf-8"))
    assert "council memo.txt" in manifest["kept"] and "council memo.txt" not in manifest["files"]


def test_a_file_divide_no_longer_writes_is_removed_by_a_rerun(own_copy):
    """A file the manifest says divide wrote, and that the new pack does not write, is gone."""
    pack = own_copy / FOLDER
    stale = pack / "maps" / "old_map.html"
    stale.write_text("from an earlier version", encoding="utf-8")
    manifest = json.loads((pack / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["maps/old_map.html"] = hashlib.sha256(stale.read_bytes()).hexdigest()
    (pack / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    subprocess.run(
        command(own_copy, "--no-static"), check=True, capture_output=True, timeout=RUN_TIMEOUT
    )
    assert not stale.exists() and (pack / "tables.xlsx").exists()


def test_a_deck_edited_in_place_stops_the_rerun_before_the_analysis(own_copy):
    pack = own_copy / FOLDER
    with (pack / "tables.xlsx").open("ab") as handle:
        handle.write(b"edited")
    before = fingerprint(pack)
    line = refused(own_copy)
    assert "tables.xlsx" in line and "changed after divide wrote it" in line
    assert fingerprint(pack) == before


def test_a_folder_divide_did_not_write_is_refused(tmp_path):
    folder = tmp_path / FOLDER
    folder.mkdir()
    (folder / "budget.xlsx").write_bytes(b"the user's")
    line = refused(tmp_path)
    assert str(folder) in line and "no .divide-pack.json" in line
    assert (folder / "budget.xlsx").read_bytes() == b"the user's"


def test_a_symlinked_pack_folder_is_refused_and_its_target_untouched(own_copy, tmp_path):
    shared = tmp_path / "shared drive" / FOLDER
    shared.parent.mkdir()
    shutil.move(own_copy / FOLDER, shared)
    (own_copy / FOLDER).symlink_to(shared, target_is_directory=True)
    before = fingerprint(shared)
    line = refused(own_copy)
    assert "symbolic link" in line and str(shared.parent) in line
    assert (own_copy / FOLDER).is_symlink() and os.readlink(own_copy / FOLDER) == str(shared)
    assert fingerprint(shared) == before
    assert [p.name for p in own_copy.iterdir() if p.name.startswith(f".{FOLDER}.old")] == []


def test_a_file_in_the_way_of_the_pack_folder_is_refused(tmp_path):
    (tmp_path / FOLDER).write_text("a file that happens to have the pack's name", encoding="utf-8")
    line = refused(tmp_path)
    assert "did not write" in line and FOLDER in line
    assert (tmp_path / FOLDER).read_text(encoding="utf-8").startswith("a file that happens")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f".{FOLDER}.lock", FOLDER]  # nothing renamed or hidden: only divide's lock


def test_a_folder_that_cannot_be_replaced_is_refused_before_the_analysis(own_copy):
    """A locked pack folder (the immutable attribute: what a sync client or an admin lock does)."""
    pack = own_copy / FOLDER
    before = fingerprint(pack)
    lock = subprocess.run(["chattr", "+i", str(pack)], capture_output=True, text=True)
    if lock.returncode != 0:
        pytest.skip(f"this file system cannot lock a folder: {lock.stderr.strip()}")
    try:
        line = refused(own_copy)
    finally:
        subprocess.run(["chattr", "-i", str(pack)], check=True)
    assert str(pack) in line and "cannot be replaced" in line
    assert_intact(own_copy, before)


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
    line = refused(target)
    assert str(target) in line and "choose another --out" in line


# ---------------------------------------------------------------------------------------------
# Two threads of one process
# ---------------------------------------------------------------------------------------------


def test_two_threads_writing_one_pack_cannot_mix_it(tmp_path):
    """The first thread is held with its pack written; the second must fail, not share its folder."""
    from divide.analysis import analyse
    from divide.report.pack import write_pack

    analysis = analyse(PREF, draws=100)
    outcome: dict[str, object] = {}

    def second_thread() -> None:
        try:
            outcome["second"] = write_pack(analysis, tmp_path, lang="en", static=False)
        except DividePackError as exc:
            outcome["second"] = exc

    def while_held() -> None:  # runs in the first thread, its pack written but not yet swapped
        worker = threading.Thread(target=second_thread)
        worker.start()
        worker.join()

    with hooks.holding("pack written", while_held):
        first = write_pack(analysis, tmp_path, lang="ja", static=False)
    assert isinstance(outcome["second"], DividePackError), outcome["second"]
    assert "another divide run is writing this pack" in str(outcome["second"])
    readme = (first.directory / "README.md").read_text(encoding="utf-8")
    assert "## 最初に開くファイル" in readme  # the Japanese pack, whole
    manifest = json.loads((first.directory / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["lang"] == "ja"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [
        f".{FOLDER}.lock"
    ]
