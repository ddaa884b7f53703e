"""The notebooks: thin (no arithmetic in a cell, no raw file read), in the chosen language, and
running top to bottom for Fukushima and Okinawa in Japanese and Tottori in English, showing the
library's own figures.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import divide

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]_*.ipynb"))
RUNS = [("07", "ja"), ("47", "ja"), ("31", "en")]  # static export is tested once, in test_export
FORBIDDEN = (
    "read_csv",
    "read_file",
    "read_parquet",
    "open(",
    "shared/data",
    "data/raw",
    "data/processed",
)
# a cell that sums, averages or counts a result table does by hand what a tested library call must
AGGREGATING = {
    "sum",
    "mean",
    "median",
    "groupby",
    "agg",
    "aggregate",
    "value_counts",
    "round",
    "cumsum",
    "count",
    "quantile",
    "pivot_table",
    "div",
    "mul",
    "add",
    "sub",
}
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[a-z]{2,}){4,}")


def _code(path: Path) -> list[str]:
    book = nbformat.read(path, as_version=4)
    return [cell.source for cell in book.cells if cell.cell_type == "code"]


def _parametrise(book: nbformat.NotebookNode, pref: str, lang: str, out: Path) -> None:
    """The parameter cell with PREF, LANG (and OUT, CARDS, STATIC) set; other lines kept."""
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    values = {"PREF": repr(pref), "LANG": repr(lang)}
    if "OUT" in cell.source:
        values |= {"OUT": repr(str(out)), "CARDS": "False", "STATIC": "False"}
    lines = []
    for line in cell.source.splitlines():
        name = line.split("=")[0].strip()
        lines.append(f"{name} = {values[name]}" if name in values else line)
    cell.source = "\n".join(lines)


def test_six_numbered_notebooks_stored_without_outputs():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]
    for path in NOTEBOOKS:
        book = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in book["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
            path.name
        )
        tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1 and "PREF" in "".join(tagged[0]["source"]), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_arithmetic_and_no_raw_files_in_a_cell(path):
    for source in _code(path):
        assert len(source.splitlines()) <= 15, f"{path.name}: move this logic into divide/"
        for pattern in FORBIDDEN:
            assert pattern not in source, f"{path.name} reads files directly ({pattern})"
        for node in ast.walk(ast.parse(source)):
            assert not isinstance(node, ast.BinOp | ast.AugAssign), (
                f"{path.name}: arithmetic in a cell: {ast.unparse(node)}"
            )
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in AGGREGATING, (
                    f"{path.name}: a result aggregated by hand: {ast.unparse(node)}"
                )


def test_the_scanner_would_catch_the_old_sum_over_scenarios():
    """The line notebook 04 once held (every resident counted once per scenario) is refused."""
    source = 'analysis.projection.table.groupby("year")[["offline_count"]].sum()'
    calls = [n.func.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert AGGREGATING & set(calls) == {"groupby", "sum"}


def test_assumptions_beside_the_notebooks_are_valid_and_read_by_03_to_05():
    divide.Assumptions.load(FOLDER / "assumptions.yaml")
    for path in NOTEBOOKS[2:5]:
        assert any("assumptions=ASSUMPTIONS" in source for source in _code(path)), path.name


def test_the_pack_is_written_where_jupyterlab_shows_it():
    """Notebook 05 writes beside itself (JupyterLab's root is notebooks/), never to ../."""
    cell = _code(NOTEBOOKS[4])[0]
    assert 'OUT = "outputs"' in cell


def _outputs(book: nbformat.NotebookNode) -> list[str]:
    """Every text a run displayed: Markdown, HTML and plain text outputs."""
    texts = []
    for cell in book.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            texts += [data.get(kind, "") for kind in ("text/markdown", "text/html")]
            texts.append(output.get("text", ""))
    return [t if isinstance(t, str) else "".join(t) for t in texts if t]


def _run(pref: str, lang: str, out: Path) -> dict[str, nbformat.NotebookNode]:
    books = {}
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        _parametrise(book, pref, lang, out)
        NotebookClient(
            book, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(FOLDER)}}
        ).execute()  # raises CellExecutionError on any error
        books[path.stem[:2]] = book
    return books


@pytest.fixture(scope="module", params=RUNS, ids=[f"{p}-{lang}" for p, lang in RUNS])
def run(request, tmp_path_factory):
    pref, lang = request.param
    out = tmp_path_factory.mktemp(f"notebooks-{pref}-{lang}") / "outputs"
    return pref, lang, out, _run(pref, lang, out)


@pytest.mark.slow
def test_the_notebooks_run_and_write_the_pack(run):
    _, _, out, books = run
    errors = [
        o
        for book in books.values()
        for c in book.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    assert any(out.rglob("README.md")), "no pack under the notebook's OUT"


@pytest.mark.slow
def test_the_projection_shown_is_the_librarys(run):
    pref, _, _, books = run
    assumptions = FOLDER / "assumptions.yaml"
    analysis = divide.analyse(pref, assumptions=assumptions, progress=False)
    totals = analysis.projection.scenario_totals()
    shown = " ".join(_outputs(books["04"]))
    for value in totals["offline_count"]:
        assert f"{value:,.0f}" in shown


@pytest.mark.slow
def test_a_japanese_run_shows_no_english_sentence(run):
    _, lang, _, books = run
    if lang != "ja":
        pytest.skip("an English run")
    for key, book in books.items():
        for text in _outputs(book):
            if "<table" in text or "plotly" in text:  # tables: headers checked by the catalogue
                continue
            found = ENGLISH_SENTENCE.search(text)
            assert found is None, f"notebook {key}: {found.group(0)!r}"


@pytest.mark.slow
def test_a_prefecture_sees_only_its_own_notes(run):
    pref, _, _, books = run
    others = {"07": ("広島", "Hiroshima", "沖縄"), "47": ("福島", "Fukushima", "広島", "双葉")}
    others["31"] = ("福島", "Fukushima", "Hiroshima", "沖縄")
    for key, book in books.items():
        if key == "06":  # the comparison names the other area on purpose
            continue
        text = " ".join(t for t in _outputs(book) if "plotly" not in t)
        named = [word for word in others[pref] if word in text]
        assert not named, f"notebook {key} of {pref} names {named}"


@pytest.mark.slow
def test_every_figure_fits_the_cell(run):
    """No figure is drawn at a fixed width (it would be clipped in a narrow browser window or
    beside the file browser): each takes the cell's width, its height kept.
    """
    _, _, _, books = run
    fixed = [
        (key, layout.get("title", {}).get("text", "")[:40])
        for key, book in books.items()
        for cell in book.cells
        for output in cell.get("outputs", [])
        if (figure := output.get("data", {}).get("application/vnd.plotly.v1+json"))
        and (layout := figure.get("layout", {})).get("width") is not None
    ]
    assert fixed == []
