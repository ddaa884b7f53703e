"""What every publisher module returns: a tidy table, its provenance, and what it noticed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from divide.errors import DivideDataError
from divide.notes import Note
from divide.paths import raw_dir
from divide.provenance import Dataset, dataset


@dataclass
class Table:
    """A tidy table with canonical column names.

    ``data`` keeps the source line of every row in ``_line`` so that later joins can report exactly
    which input rows they could not use. ``rejected`` holds the rows the loader itself could not
    place (a feature without a code, a name matching no municipality), with their line and reason,
    for the join report. ``notes`` are facts about the file worth telling an analyst (suppressed
    cells, repaired geometries, known gaps).
    """

    data: pd.DataFrame
    dataset: Dataset
    path: Path
    notes: list[Note] = field(default_factory=list)
    rejected: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.data)


def raw_file(dataset_id: str, directory: Path | None = None) -> tuple[Path, Dataset]:
    """Path of a dataset's raw file in ``directory`` (default ``data/raw``) and its manifest entry."""
    entry = dataset(dataset_id)
    path = Path(directory or raw_dir()) / entry.file
    if not path.is_file():
        raise DivideDataError(
            f"raw file of dataset {dataset_id!r} is missing: run `divide fetch` "
            "(or `divide fetch --mirror DIR` with a copy of the data)",
            file=path,
        )
    return path, entry


def resolve(
    dataset_id: str, path: Path | str | None = None, directory: Path | None = None
) -> tuple[Path, Dataset]:
    """The file to read for a dataset: an explicit ``path`` (a user's own copy) or the raw-data
    file.
    """
    if path is not None:
        return Path(path), dataset(dataset_id)
    return raw_file(dataset_id, directory)
