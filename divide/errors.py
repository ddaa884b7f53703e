"""One exception family for the whole library.

Analysts meet these errors in a notebook, far from the code that raised them, so every data error
says *where* the problem is (file, row, column) and *what* was found, in one readable line.
"""

from __future__ import annotations

from pathlib import Path


class DivideError(Exception):
    """Base class of every error raised on purpose by divide."""


class DivideDataError(DivideError):
    """An input file (or frame) is malformed: names the file, the row and the column.

    ``row`` is the 1-based line number in the file as a text editor shows it (the header is line 1),
    or the feature/record number for non-tabular inputs; ``None`` when the problem is the whole
    file.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.value = value
        self.reason = message
        where = []
        if self.file:
            where.append(f"file {self.file}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        shown = f" (value {value!r})" if value is not None else ""
        super().__init__(f"{prefix}: {message}{shown}" if prefix else f"{message}{shown}")


class DivideFetchError(DivideError):
    """A raw dataset could not be obtained or failed its checksum."""


class DivideSpecError(DivideError):
    """A declarative spec (index, support forms) is invalid."""


class DivideParameterError(DivideError, ValueError):
    """A parameter of a public function is out of range or of the wrong kind.

    The message names the parameter, the value given and what is allowed.
    """
