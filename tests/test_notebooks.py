"""Every notebook runs top to bottom for Fukushima (Japanese) and for another prefecture (English)."""

import json
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RUNS = [("07", "ja"), ("31", "en")]  # the static export (browser) is tested once, in test_export
FORBIDDEN = (
    "read_csv",
    "read_file",
    "read_parquet",
    "open(",
    "shared/data",
    "data/raw",
    "data/processed",
)


def _parametrise(book: nbformat.NotebookNode, pref: str, lang: str, out: Path) -> None:
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    lines = [f"PREF = {pref!r}", f"LANG = {lang!r}"]
    if "OUT" in cell.source:
        lines += [f"OUT = {str(out)!r}", "CARDS = False", "STATIC = False"]
    cell.source = "\n".join(lines)


def test_there_are_five_numbered_notebooks_stored_without_outputs():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05"]
    for path in NOTEBOOKS:
        book = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in book["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), (
            path.name
        )
        tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1 and "PREF" in "".join(tagged[0]["source"]), path.name


def test_notebooks_stay_thin_and_never_read_raw_files():
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type != "code":
                continue
            assert len(cell.source.splitlines()) <= 15, f"{path.name}: move this logic into divide/"
            for pattern in FORBIDDEN:
                assert pattern not in cell.source, f"{path.name} reads files directly ({pattern})"


@pytest.mark.slow
@pytest.mark.parametrize(("pref", "lang"), RUNS)
def test_notebooks_execute(pref, lang, tmp_path):
    started = time.perf_counter()
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        _parametrise(book, pref, lang, tmp_path / "outputs")
        client = NotebookClient(
            book,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()  # raises CellExecutionError on any error
        errors = [
            o
            for c in book.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        assert not errors, path.name
    assert (tmp_path / "outputs").is_dir()
    print(f"notebooks for {pref}: {time.perf_counter() - started:.0f} s")
