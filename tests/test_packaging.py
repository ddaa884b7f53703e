"""Project files agree with each other: dependencies, README commands, CI, generated docs."""

import re
import tomllib
from pathlib import Path

import yaml

from divide.frame.columns import markdown

ROOT = Path(__file__).resolve().parents[1]


def _name_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).split("#")[0].strip()


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(
        _name_spec(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    )
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    have = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            if entry.startswith("-e") or entry.split(">")[0].split("=")[0] in ("python", "pip"):
                continue
            name, spec = _name_spec(entry)
            have[name] = spec
    assert have == wanted


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_command():
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```bash") + 1 : lines.index("```bash") + 3]
    assert block[0].startswith("make run") and block[1].startswith("make test")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get update" in ci and "make test" in ci.splitlines()[-1]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: setup\n\t\$\(BIN\)/python -m pytest", makefile, re.M)


def test_column_docs_are_generated_from_the_code():
    assert (ROOT / "docs" / "columns.md").read_text() == markdown()


def test_no_mirror_file_is_committed(mirror):
    import hashlib
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    mirror_sums = {
        hashlib.sha256(p.read_bytes()).hexdigest() for p in mirror.rglob("*") if p.is_file()
    }
    for name in tracked:
        path = ROOT / name
        if path.is_file() and path.stat().st_size > 2000:
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in mirror_sums, name
