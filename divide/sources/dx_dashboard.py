"""Digital Agency 自治体DX推進状況ダッシュボード (release 2024-07-12), in its published layouts.

Published layout (UTF-8 with BOM, *transposed*): line 1 holds the municipality names from column 3
on, in 全国地方公共団体コード order, without codes (伊達市 exists in 北海道 and 福島県); each
further line is one indicator: ``大分類, 指標, value per municipality``. Values: 実施 / 未実施 /
調査無し, percentages as ``75%``, and two counts. Codes are attached by aligning the columns, in
order, with a code list in the same order (default: the My Number 2022-12-31 list of the 1,741
municipalities) and checking every name.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from divide.codes import is_ward, normalize_name
from divide.errors import DivideDataError
from divide.notes import note
from divide.sources import reader
from divide.sources.table import Table, resolve

INDICATORS: dict[str, str] = {
    "CIOの任命": "dx_cio",
    "CIO補佐官等の任命": "dx_cio_deputy",
    "全体方針策定": "dx_policy",
    "全庁的な体制構築": "dx_organisation",
    "外部人材活用": "dx_external_experts",
    "職員育成の取組": "dx_staff_development",
    "全職員対象研修の実施": "dx_all_staff_training",
    "AIの導入状況": "dx_ai",
    "RPAの導入状況": "dx_rpa",
    "テレワークの導入状況": "dx_telework",
    "マイナンバーカードの保有状況": "card_holding_pct",
    "子育て・介護26手続のオンライン化状況": "online_26_pct",
    "よく使う32手続のオンライン化状況": "online_32_pct",
    "よく使う32手続のオンライン化状況_実施されている手続総数（分母）": "online_32_handled",
    (
        "よく使う32手続のオンライン化状況_実施されている手続総数のうち"
        "「オンライン化済」と回答した手続数（分子）"
    ): "online_32_online",
}
_FLAGS = {"実施": True, "未実施": False, "調査無し": None}


def _convert(values: pd.Series, column: str, file: Path, lines: pd.Series) -> pd.Series:
    if column.startswith("dx_"):
        reader.fail_at(
            pd.DataFrame({column: values, reader.LINE: lines}),
            ~values.isin(list(_FLAGS)),
            "expected 実施 / 未実施 / 調査無し",
            file=file,
            column=column,
        )
        return values.map(_FLAGS).astype("boolean")
    frame = pd.DataFrame({column: values, reader.LINE: lines})
    parsed, _ = reader.numbers(frame, column, file)
    return parsed


def _indicator_lines(raw: pd.DataFrame, count: int, file: Path) -> dict[str, np.ndarray]:
    """Transposed layout: each line after the header is one indicator, values in columns 3 …
    3+count.
    """
    header = list(raw.columns[:-1])
    block = raw.iloc[:, 2 : 2 + count]
    columns = {}
    for row_number in range(len(raw)):
        label = str(raw.iloc[row_number, 1]).strip()
        line = int(raw[reader.LINE].iloc[row_number])
        if label not in INDICATORS:
            raise DivideDataError(
                "unknown indicator", file=file, row=line, column=header[1], value=label
            )
        values = pd.Series(block.iloc[row_number].to_numpy())
        lines = pd.Series(line, index=values.index)
        columns[INDICATORS[label]] = _convert(values, INDICATORS[label], file, lines).to_numpy()
    return columns


def load_dx_dashboard(
    *, codes: pd.DataFrame | None = None, path: Path | None = None, directory: Path | None = None
) -> Table:
    """Published transposed layout -> one row per municipality: code, name, indicator columns.

    ``codes``: DataFrame(code, name) in 全国地方公共団体コード order; default the municipalities
    (wards excluded) of the municipal-office list, which carries every code with its name.
    """
    file, entry = resolve("dx_dashboard", path, directory)
    raw = reader.read_csv(file, unique_header=False)
    header = list(raw.columns[:-1])  # the last column is _line
    names = header[2:]
    while names and not names[-1]:
        names.pop()  # the published file ends every line with an empty cell
    if codes is None:
        from divide.sources.localgovjp import load_offices

        offices = load_offices(directory=directory).data
        codes = offices[~offices["code"].map(is_ward)].sort_values("code")[["code", "name"]]
    if len(codes) != len(names):
        raise DivideDataError(
            f"{len(names)} municipality columns but the code list has {len(codes)}",
            file=file,
            row=1,
        )
    for position, (name, expected) in enumerate(zip(names, codes["name"], strict=True)):
        if normalize_name(expected) != normalize_name(name):
            raise DivideDataError(
                f"column {position + 3} is {name!r} but code {codes['code'].iloc[position]} is "
                f"{expected!r}: the column order does not follow the code list",
                file=file,
                row=1,
                column=name,
            )
    out = pd.DataFrame({"code": codes["code"].to_numpy(), "name": names})
    out[reader.LINE] = 1  # the municipality is a column of line 1; indicators are lines
    for column, values in _indicator_lines(raw, len(names), file).items():
        out[column] = values
    reader.unique(out, "code", file)
    return Table(out, entry, file, [note("dx.codes_by_order")])
