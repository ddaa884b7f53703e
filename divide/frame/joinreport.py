"""The join report: every input row that did not become part of the frame, and why.

Analysts must be able to trust that nothing vanished between an official file and a council map.
Each join records the rows it could not (or chose not to) use, with the file and line they came
from, and the municipalities a file should have covered but did not (``rows`` 0: nothing was read
for them).
"""

from __future__ import annotations

import pandas as pd

from divide.errors import DivideDataError
from divide.sources.reader import LINE
from divide.sources.table import Table

COLUMNS = ["source", "file", "line", "pref_code", "code", "name", "reason", "rows"]


def _prefectures(rows: pd.DataFrame) -> object:
    """Prefecture of each row: from its code, else from a ``pref_code`` column, else unknown (<NA>)."""
    codes = (
        rows["code"].astype("string").str[:2]
        if "code" in rows
        else pd.Series(pd.NA, index=rows.index)
    )
    if "pref_code" in rows:
        codes = codes.fillna(rows["pref_code"].astype("string"))
    return codes.to_numpy()


class JoinReport:
    """Collects unjoined rows from many sources into one table."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []

    def add(self, table: Table, rows: pd.DataFrame, reason: str | pd.Series) -> None:
        """Record ``rows`` (a subset of ``table.data``) as not joined, for ``reason``."""
        if rows.empty:
            return
        part = pd.DataFrame(
            {
                "source": table.dataset.id,
                "file": table.dataset.file,
                "line": rows[LINE].astype("int64").to_numpy() if LINE in rows else -1,
                "pref_code": _prefectures(rows),
                "code": rows["code"].astype("string").to_numpy() if "code" in rows else pd.NA,
                "name": rows["name"].astype("string").to_numpy() if "name" in rows else pd.NA,
                "reason": reason.to_numpy() if isinstance(reason, pd.Series) else reason,
                "rows": 1,
            }
        )
        self._parts.append(part)

    def add_block(self, table: Table, rows: pd.DataFrame, reason: str) -> None:
        """Record many structurally excluded rows (other dates, by-sex rows) as one counted entry
        per prefecture.

        Per prefecture, so that a prefecture's report counts exactly its own rows.
        """
        if rows.empty:
            return
        prefectures = pd.Series(_prefectures(rows), index=rows.index).fillna("")
        for pref, group in rows.groupby(prefectures.to_numpy(), sort=True):
            first, last = int(group[LINE].min()), int(group[LINE].max())
            self._parts.append(
                pd.DataFrame(
                    {
                        "source": [table.dataset.id],
                        "file": [table.dataset.file],
                        "line": [first],
                        "pref_code": [pref or pd.NA],
                        "code": [pd.NA],
                        "name": [f"{len(group)} rows between lines {first} and {last}"],
                        "reason": [reason],
                        "rows": [len(group)],
                    }
                )
            )

    @staticmethod
    def require(table: Table, codes: pd.Index, names: pd.Series) -> None:
        """Every municipality must have a row in ``table``: an error naming the file and the first
        code without one.

        Every such file of the mirror is complete (a test checks it); a municipality without a row
        means a truncated or edited file, and a value silently left empty would be wrong.
        """
        if len(codes) == 0:
            return
        code = str(codes[0])
        others = f" (and {len(codes) - 1} more)" if len(codes) > 1 else ""
        raise DivideDataError(
            f"municipality {code} {names.get(code, '')} has no row in this file{others}: every "
            "municipality needs one (truncated or edited file?)",
            file=table.path,
            column="code",
        )

    def add_records(self, source: str, file: str, records: pd.DataFrame) -> None:
        """Record rows already shaped as (line, code, name, reason)."""
        if records.empty:
            return
        part = records.rename(columns={LINE: "line"}).copy()
        part["pref_code"] = _prefectures(part)
        part = part.reindex(columns=["line", "pref_code", "code", "name", "reason"])
        part.insert(0, "file", file)
        part.insert(0, "source", source)
        part["rows"] = 1
        self._parts.append(part)

    def table(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame(columns=COLUMNS)
        frame = pd.concat(self._parts, ignore_index=True)[COLUMNS]
        frame["line"] = frame["line"].astype("int64")
        frame["rows"] = frame["rows"].astype("int64")
        for column in ("source", "file", "pref_code", "code", "name", "reason"):
            frame[column] = frame[column].astype("string")
        return frame.sort_values(["source", "line"], kind="stable").reset_index(drop=True)


def summarize(report: pd.DataFrame) -> pd.DataFrame:
    """One line per (source, reason): input rows not joined, municipalities without a row, a few
    examples.

    Parameters
    ----------
    report : DataFrame
        A frame's ``join_report``.

    Examples
    --------
    >>> import divide
    >>> table = divide.summarize_join_report(divide.load_frame("07").join_report)
    >>> table.loc[table["source"] == "residence", "rows"].tolist()  # Fukushima's press table: totals, parts
    [8]
    """
    columns = ["source", "reason", "rows", "municipalities", "examples"]
    if report.empty:
        return pd.DataFrame(columns=columns)
    grouped = report.assign(missing=report["rows"].eq(0)).groupby(
        ["source", "reason"], sort=True, dropna=False
    )
    out = grouped.agg(
        rows=("rows", "sum"),
        municipalities=("missing", "sum"),
        examples=("name", lambda s: ", ".join(s.dropna().astype(str).unique()[:5])),
    )
    return out.reset_index()[columns]
