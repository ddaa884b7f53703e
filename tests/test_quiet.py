"""Quiet as a library, informative as a tool: no progress bars in a plain script, no raw library
warnings.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = "import divide; a = divide.analyse({pref!r}, draws=100); print('rows', len(a.frame.municipalities))"


@pytest.mark.parametrize("pref", ["07", "01", "13"])
def test_analyse_in_a_script_prints_only_what_the_script_prints(pref):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(pref=pref)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().startswith("rows ")
    assert "%|" not in result.stderr and "step/s" not in result.stderr  # no progress bar
    assert "('WARNING" not in result.stderr + result.stdout and "is an island" not in result.stderr
    assert "Warning" not in result.stderr, result.stderr[-2000:]


def test_islands_become_one_note(analysed):
    analysis = analysed("13")
    notes = [n for n in analysis.notes if n.code == "clusters.islands"]
    assert len(notes) == 1 and notes[0].value("n") > 0


def test_the_cli_ends_by_naming_the_file_to_open_first(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "divide",
            "brief",
            "--pref",
            "31",
            "--out",
            str(tmp_path),
            "--no-static",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = result.stdout.strip().splitlines()
    assert (
        result.returncode == 0
        and lines[-2].startswith("open first: ")
        and "offline_share.html" in lines[-2]
    )
    assert "Excel: tables.xlsx" in lines[-1] and "QGIS: divide.gpkg" in lines[-1]
