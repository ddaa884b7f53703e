"""``analyse`` chains the stages: each data file is read once, each stage runs once, results carry
credits.
"""

import json
import subprocess
import sys
from collections import Counter

import pytest

import divide
from divide.paths import project_root

COUNT_OPENS = """
import json, sys
from pathlib import Path
root = Path(sys.argv[1]).resolve()
opened = []
def hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = Path(args[0] if isinstance(args[0], str) else args[0].decode()).resolve()
        if (root / "data") in path.parents or (root / "divide" / "specs") in path.parents:
            opened.append(str(path.relative_to(root)))
sys.addaudithook(hook)
import divide
divide.analyse("07", draws=100)
print(json.dumps(opened))
"""


def test_analyse_reads_each_data_file_once():
    result = subprocess.run(
        [sys.executable, "-c", COUNT_OPENS, str(project_root())],
        capture_output=True,
        text=True,
        check=True,
    )
    opened = Counter(json.loads(result.stdout.strip().splitlines()[-1]))
    processed = {
        f"data/processed/{name}"
        for name in (
            "municipalities.parquet",
            "join_report.csv",
            "provenance.json",
            "points.parquet",
            "internet_use.csv",
            "age_use.csv",
            "national_ages.csv",
        )
    }
    assert processed <= set(
        opened
    )  # the embedded default (data/raw is empty in a fresh clone and here)
    assert {path: n for path, n in opened.items() if n > 1} == {}


def test_analyse_runs_each_stage_once(monkeypatch, data):
    import divide.analysis as module

    calls = Counter()
    for name in (
        "add_geography",
        "estimate_offline",
        "build_index",
        "support_plan",
        "propose_sites",
        "project_offline",
    ):
        original = getattr(module, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    def load_frame(pref, **_):
        calls["load_frame"] += 1
        return divide.load_frame(pref, data=data)

    monkeypatch.setattr(module, "load_frame", load_frame)
    analysis = module.analyse("31", draws=100)
    assert set(calls.values()) == {1} and len(calls) == 7
    assert analysis.pref == "31" and len(analysis.summary_table()) == len(analysis.frame)


def test_results_carry_their_notes_and_datasets(data):
    analysis = divide.analyse("07", draws=100)
    for result in analysis.results:
        assert isinstance(result.notes, list) and result.datasets, type(result).__name__
    assert (
        "internet_use" in analysis.estimate.datasets and "boundaries" in analysis.geography.datasets
    )
    assert set(analysis.datasets) == set().union(*(r.datasets for r in analysis.results))
    credits = analysis.credits(lang="en")
    assert credits == sorted(set(credits), key=credits.index) and any(
        "e-Stat" in line for line in credits
    )


def test_a_missing_prerequisite_says_what_to_call(fukushima, fukushima_estimate):
    with pytest.raises(divide.DivideParameterError, match="add_geography"):
        divide.support_plan(fukushima, fukushima_estimate)


def test_every_result_prints_in_one_short_line(fukushima_analysis):
    """A result typed at a notebook prompt says what it is in one line, not 30,000 characters."""
    analysis = fukushima_analysis
    results = [
        analysis,
        analysis.frame,
        analysis.frame.data,
        analysis.geography,
        analysis.estimate,
        analysis.estimate.variances,
        analysis.index,
        analysis.plan,
        analysis.sites,
        analysis.projection,
        analysis.services,
    ]
    long = {type(r).__name__: len(repr(r)) for r in results if len(repr(r)) > 300}
    assert long == {}
    assert all("\n" not in repr(r) for r in results)
    assert "59 municipalities" in repr(analysis.frame)
