"""The package reads as the pipeline: small modules and functions, no hidden contracts, cheap import."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "divide"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
STAGES = ("sources", "frame", "estimate", "geography", "index", "support", "report")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_folder_listing_is_the_pipeline():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert folders == sorted(STAGES)


def test_no_module_is_long():
    lines = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in _modules()}
    long = {name: n for name, n in lines.items() if n > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_long():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body_start = node.body[0].lineno
                if isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
                    body_start = node.body[0].end_lineno + 1  # the docstring does not count
                length = node.end_lineno - body_start + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = length
    assert long == {}


def test_dataframe_attrs_are_not_a_contract_between_stages():
    uses = [f"{p.relative_to(ROOT)}:{i + 1}" for p in _modules() for i, line in enumerate(p.read_text().splitlines())
            if re.search(r"\.attrs\b", line)]
    assert uses == []


def test_no_machine_specific_path_in_code_or_tests():
    pattern = re.compile(r"['\"](/work/|/usr/bin/|/usr/local/|/tmp/|/root/|/home/)")
    hits = [f"{p.relative_to(ROOT)}:{i + 1}" for p in [*_modules(), *sorted((ROOT / "tests").glob("*.py"))]
            for i, line in enumerate(p.read_text().splitlines()) if pattern.search(line)]
    assert hits == []


def test_stages_import_only_to_their_left():
    order = {name: i for i, name in enumerate(("sources", "frame", "estimate", "geography", "index", "support",
                                               "analysis", "report"))}
    wrong = []
    for path in _modules():
        stage = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if stage not in order:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("divide."):
                target = node.module.split(".")[1]
                if target in order and order[target] > order[stage]:
                    wrong.append(f"{path.relative_to(ROOT)} imports {node.module}")
    assert wrong == []


def test_import_divide_and_the_cli_load_no_heavy_library():
    heavy = ("pandas", "geopandas", "plotly", "statsmodels", "esda", "pptx", "scipy", "numpy", "kaleido")
    code = ("import sys, divide, divide.cli; "
            f"print([m for m in {heavy!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_every_public_name_resolves_and_has_a_docstring():
    import divide

    for name in divide.__all__:
        value = getattr(divide, name)
        assert getattr(value, "__doc__", None), name


def test_every_public_function_has_a_runnable_example():
    import inspect

    import divide

    missing = [name for name in divide.__all__ if inspect.isfunction(getattr(divide, name))
               and ">>>" not in (getattr(divide, name).__doc__ or "")]
    assert missing == []
