"""Japanese standard grid squares (地域メッシュ) and the e-Stat mesh population CSV.

A population grid is the best answer to "where do people live". e-Stat distributes census mesh
statistics (国勢調査 地域メッシュ統計, e.g. 1 km ``tblT001100S5540.txt``) as CSV in cp932 with two
header lines: line 1 holds item codes (``KEY_CODE, HTKSYORI, HTKSAKI, GASSAN, T001100001, …``), line
2 their Japanese labels (``…, 人口（総数）, …``). divide accepts that layout, or any CSV with a
mesh-code column (``KEY_CODE`` / ``mesh_code``) and a population column (``population``, or the item
whose label is 人口（総数） / 人口総数, or ``T001100001``). Secret cells (``*``) and empty cells
count as unknown and are reported, never as zero. Codes may be 1st (4 digits) to 4th level (9
digits, 500 m).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from divide.errors import DivideDataError
from divide.sources import reader

_POPULATION_LABELS = ("人口（総数）", "人口総数", "総数")


def mesh_center(code: str) -> tuple[float, float]:
    """(lon, lat) of the centre of a grid square given its code (4, 6, 8 or 9 digits)."""
    code = str(code).strip()
    if not code.isdigit() or len(code) not in (4, 6, 8, 9):
        raise ValueError(f"not a grid-square code: {code!r}")
    lat = int(code[0:2]) / 1.5
    lon = int(code[2:4]) + 100.0
    dlat, dlon = 2 / 3, 1.0
    if len(code) >= 6:
        dlat, dlon = dlat / 8, dlon / 8
        lat += int(code[4]) * dlat
        lon += int(code[5]) * dlon
    if len(code) >= 8:
        dlat, dlon = dlat / 10, dlon / 10
        lat += int(code[6]) * dlat
        lon += int(code[7]) * dlon
    if len(code) == 9:
        quadrant = int(code[8])
        if quadrant not in (1, 2, 3, 4):
            raise ValueError(f"the 500 m quadrant must be 1-4: {code!r}")
        dlat, dlon = dlat / 2, dlon / 2
        lat += dlat if quadrant in (3, 4) else 0.0
        lon += dlon if quadrant in (2, 4) else 0.0
    return lon + dlon / 2, lat + dlat / 2


def _is_label_row(row: pd.Series, code_column: str) -> bool:
    """e-Stat's second header line: an empty key and item labels such as 人口（総数） (never a data
    row).
    """
    cells = [str(value).strip() for name, value in row.items() if name != reader.LINE]
    return str(row[code_column]).strip() == "" and any(cell in _POPULATION_LABELS for cell in cells)


def _population_column(frame: pd.DataFrame, labels: pd.Series | None, path: Path) -> str:
    if "population" in frame.columns:
        return "population"
    if labels is not None:
        labelled = next(
            (c for c in frame.columns if str(labels[c]).strip() in _POPULATION_LABELS), None
        )
        if labelled is not None:
            return labelled
    if "T001100001" in frame.columns:
        return "T001100001"
    raise DivideDataError(
        "no population column (population, 人口（総数）, T001100001)",
        file=path,
        column="population",
    )


def _mesh_codes(frame: pd.DataFrame, column: str, path: Path) -> list[str]:
    """Mesh codes as digit strings; a code a spreadsheet turned into a float (``56404000.0``) is
    read back.
    """
    codes = [str(value).strip().removesuffix(".0") for value in frame[column]]
    reader.fail_at(
        frame,
        pd.Series([c == "" for c in codes], index=frame.index),
        "mesh code missing",
        file=path,
        column=column,
    )
    return codes


def load_mesh_population(path: str | Path) -> pd.DataFrame:
    r"""mesh_code, lon, lat, population, secret (+ ``_line``) from an e-Stat mesh CSV or a plain
    CSV.

    Every data row is kept: a secret (``*``) or empty cell is an unknown population (NaN, with
    ``secret`` True for ``*``), never zero and never dropped.

    Parameters
    ----------
    path : str or Path
        An e-Stat mesh CSV or a plain ``mesh_code,population`` CSV.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mesh.csv"
    >>> _ = path.write_text("mesh_code,population\n53394611,120\n53394612,*\n", encoding="utf-8")
    >>> load_mesh_population(path)[["mesh_code", "population"]].to_dict("list")
    {'mesh_code': ['53394611', '53394612'], 'population': [120.0, nan]}
    """
    path = Path(path)
    frame = reader.read_csv(path)
    code_column = next(
        (c for c in ("KEY_CODE", "mesh_code", "meshcode") if c in frame.columns), None
    )
    if code_column is None:
        raise DivideDataError(
            "no mesh-code column (KEY_CODE or mesh_code)", file=path, column="KEY_CODE"
        )
    labels = frame.iloc[0] if _is_label_row(frame.iloc[0], code_column) else None
    population_column = _population_column(frame, labels, path)
    if labels is not None:
        frame = frame.iloc[1:].reset_index(drop=True)
    values, suppressed = reader.numbers(frame, population_column, path)
    codes = _mesh_codes(frame, code_column, path)
    centers = []
    for code, line in zip(codes, frame[reader.LINE], strict=True):
        try:
            centers.append(mesh_center(code))
        except ValueError as exc:
            raise DivideDataError(
                str(exc), file=path, row=int(line), column=code_column, value=code
            ) from exc
    out = pd.DataFrame(
        {
            reader.LINE: frame[reader.LINE].to_numpy(),
            "mesh_code": codes,
            "lon": [c[0] for c in centers],
            "lat": [c[1] for c in centers],
            "population": values.to_numpy(),
            "secret": suppressed.to_numpy(),
        }
    )
    reader.unique(out, "mesh_code", path, column=code_column)
    return out
