"""The package reads as the pipeline: small modules and functions, no hidden contracts, cheap
import.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "divide"
STAGES = ("sources", "frame", "estimate", "geography", "index", "support", "report")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_folder_listing_is_the_pipeline():
    folders = sorted(
        p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()
    )
    assert folders == sorted(STAGES)


def _ruff(*arguments: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "ruff", *arguments, "divide", "tests", "bench", "notebooks"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_ruff_owns_the_layout():
    """`ruff format` decides the layout (pyproject.toml): no line is packed to meet a count."""
    result = _ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_rules_hold():
    """The lint rules of pyproject.toml, complexity and argument counts among them, hold everywhere."""
    result = _ruff("check", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_dataframe_attrs_are_not_a_contract_between_stages():
    uses = [
        f"{p.relative_to(ROOT)}:{i + 1}"
        for p in _modules()
        for i, line in enumerate(p.read_text().splitlines())
        if re.search(r"\.attrs\b", line)
    ]
    assert uses == []


def test_no_machine_specific_path_in_code_or_tests():
    pattern = re.compile(r"['\"](/work/|/usr/bin/|/usr/local/|/tmp/|/root/|/home/)")
    hits = [
        f"{p.relative_to(ROOT)}:{i + 1}"
        for p in [*_modules(), *sorted((ROOT / "tests").glob("*.py"))]
        for i, line in enumerate(p.read_text().splitlines())
        if pattern.search(line)
    ]
    assert hits == []


def test_stages_import_only_to_their_left():
    order = {
        name: i
        for i, name in enumerate(
            ("sources", "frame", "estimate", "geography", "index", "support", "analysis", "report")
        )
    }
    wrong = []
    for path in _modules():
        stage = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if stage not in order:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("divide.")
            ):
                target = node.module.split(".")[1]
                if target in order and order[target] > order[stage]:
                    wrong.append(f"{path.relative_to(ROOT)} imports {node.module}")
    assert wrong == []


def test_import_divide_and_the_cli_load_no_heavy_library():
    heavy = (
        "pandas",
        "geopandas",
        "plotly",
        "statsmodels",
        "esda",
        "pptx",
        "scipy",
        "numpy",
        "kaleido",
    )
    code = f"import sys, divide, divide.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_public_name_resolves_and_has_a_docstring():
    import divide

    for name in divide.__all__:
        value = getattr(divide, name)
        assert getattr(value, "__doc__", None), name


def test_every_public_function_has_a_runnable_example():
    import inspect

    import divide

    missing = [
        name
        for name in divide.__all__
        if inspect.isfunction(getattr(divide, name))
        and ">>>" not in (getattr(divide, name).__doc__ or "")
    ]
    assert missing == []


def test_every_public_function_documents_its_parameters_numpydoc_style():
    """Parameters and Examples sections (numpydoc) on every public function that takes any, with
    each parameter named in them: the reference an analyst reads in a notebook with ``?``.
    """
    import inspect

    import divide

    problems = []
    for name in divide.__all__:
        value = getattr(divide, name)
        if not callable(value) or inspect.isclass(value):
            continue
        doc = inspect.getdoc(value) or ""
        parameters = [
            p.name
            for p in inspect.signature(value).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL,)
        ]
        if parameters and "Parameters\n----------" not in doc:
            problems.append(f"{name}: no Parameters section")
            continue
        section = doc.split("Parameters\n----------", 1)[-1].split("\n\n", 1)[0]
        undocumented = [p for p in parameters if p not in section and f"**{p}" not in section]
        if undocumented:
            problems.append(f"{name}: {undocumented} not in Parameters")
        if "Examples\n--------" not in doc:
            problems.append(f"{name}: no Examples section")
    assert problems == []


def _imports_of(path: Path, modules: set[str]) -> set[str]:
    """The divide modules ``path`` imports anywhere (function-level imports too; imports for type
    checkers only are not imports at run time).
    """
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("divide."):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found & modules


def test_no_import_circle_anywhere_in_divide():
    """Data flow one way: no module imports, at any depth or level, one that imports it back."""
    package = Path(__file__).resolve().parents[1] / "divide"
    paths = {
        ".".join(p.relative_to(package.parent).with_suffix("").parts).removesuffix(".__init__"): p
        for p in package.rglob("*.py")
    }
    graph = {name: _imports_of(path, set(paths)) - {name, "divide"} for name, path in paths.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, frontier = set(), [start]
        while frontier:
            current = frontier.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                frontier += graph[current]
        return False

    circles = sorted(f"{a} <-> {b}" for a in graph for b in graph[a] if a < b and reaches(b, a))
    assert circles == []
