"""Everything the pipeline reads, loaded once from one place: the raw files or the embedded default.

:class:`Data` is the national frame (1,741 municipalities), its join report and build notes, the
derived layers (points, survey tables, national ages) and the provenance of every dataset they come
from. :func:`load_data` loads it once per process and place; every stage is handed what it needs
from it (through the :class:`~divide.frame.load.Frame` of a prefecture) and reads nothing from disk
itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from divide.errors import DivideParameterError
from divide.frame.build import build_frame
from divide.frame.layers import LAYERS, build_layers
from divide.notes import Note
from divide.paths import processed_dir, raw_dir
from divide.provenance import Dataset, dataset, load_manifest
from divide.sources.registry import LOADERS, RawTables
from divide.validation import existing_folder

SOURCES = ("auto", "raw", "processed")


@dataclass(frozen=True, eq=False)  # identity: one Data per place, usable as a cache key
class Data:
    """The loaded inputs of the whole pipeline, shared by every frame of a session.

    ``national``, ``join_report``, ``layers`` and :meth:`layer` hand out copies (shallow, made
    private by pandas' copy-on-write on the first write), so no caller can change what the next
    ``load_frame`` sees; ``national_table``, ``join_table`` and ``layer_tables`` are the shared
    originals, for divide's own readers.

    Attributes
    ----------
    national : GeoDataFrame
        One row per municipality of Japan, indexed by the 5-digit ``code`` (columns:
        ``docs/columns.md``).
    join_report : DataFrame
        Every input row not joined to the frame and every municipality missing from a file, with
        why.
    layers : mapping
        ``points`` (shelters, stations, ward offices), ``no_statistics`` (areas maps draw with no
        data: the Northern Territories), ``internet_use``, ``age_use``, ``national_ages``.
    layer_datasets : mapping
        Layer name -> ids of the datasets it comes from.
    datasets : mapping
        Dataset id -> :class:`~divide.provenance.Dataset` for everything loaded (credit lines).
    frame_datasets : tuple
        Ids of the datasets the national frame is built from.
    notes : tuple
        What the build noticed (suppressed cells, repaired polygons, known gaps).
    source, directory
        ``"raw"`` or ``"processed"`` and the folder it came from.
    """

    national_table: gpd.GeoDataFrame = field(repr=False)
    join_table: pd.DataFrame = field(repr=False)
    layer_tables: MappingProxyType = field(repr=False)
    layer_datasets: MappingProxyType
    datasets: MappingProxyType
    frame_datasets: tuple[str, ...]
    notes: tuple[Note, ...]
    source: str
    directory: Path

    # The loaded tables are cached and shared by every frame of the session: each access hands out
    # a shallow copy, which pandas' copy-on-write turns into a private copy the moment a caller
    # writes to it, so that a cell's ``frame.data.national.loc[...] = -1`` stays in that cell.

    @property
    def national(self) -> gpd.GeoDataFrame:
        """One row per municipality of Japan (a copy: writing to it changes nothing shared)."""
        return self.national_table.copy(deep=False)

    @property
    def join_report(self) -> pd.DataFrame:
        """Every input row not joined, with why (a copy)."""
        return self.join_table.copy(deep=False)

    @property
    def layers(self) -> MappingProxyType:
        """The derived layers by name (copies)."""
        return MappingProxyType({k: v.copy(deep=False) for k, v in self.layer_tables.items()})

    def layer(self, name: str) -> pd.DataFrame:
        """A derived layer by name (``points``, ``internet_use``, ``age_use``, ``national_ages``)."""
        if name not in self.layer_tables:
            known = ", ".join(self.layer_tables)
            raise DivideParameterError(f"unknown layer {name!r}; known: {known}")
        return self.layer_tables[name].copy(deep=False)


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


def build_data(directory: Path | None = None, *, progress: bool | None = False) -> Data:
    """Build :class:`Data` from the raw files in ``directory`` (default ``data/raw``), each file
    read once.

    This is what ``divide build`` writes to ``data/processed/``; :func:`load_data` calls it when the
    raw files are all there.

    Examples
    --------
    >>> from divide.paths import default_mirror
    >>> data = build_data(default_mirror())  # the mirror has the raw layout
    >>> len(data.national), data.source
    (1741, 'raw')
    """
    directory = existing_folder(directory or raw_dir(), "directory", "build_data").resolve()
    tables = RawTables(directory)
    national, report, used, notes = build_frame(tables, progress=progress)
    layers = build_layers(tables)
    datasets = {key: dataset(key) for key in tables.loaded}
    return Data(
        national_table=national,
        join_table=report.table(),
        layer_tables=_frozen({k: v[0] for k, v in layers.items()}),
        layer_datasets=_frozen({k: tuple(v[1]) for k, v in layers.items()}),
        datasets=_frozen(datasets),
        frame_datasets=tuple(used),
        notes=tuple(notes),
        source="raw",
        directory=directory,
    )


def raw_complete(directory: Path | None = None) -> bool:
    """True when every raw file the pipeline reads is present in ``directory`` (default
    ``data/raw``).
    """
    directory = Path(directory or raw_dir())
    manifest = load_manifest()
    return all((directory / manifest[key].file).is_file() for key in LOADERS)


def choose_source(
    source: str, raw_directory: Path | None, processed_directory: Path | None
) -> tuple[str, Path]:
    """``("raw" | "processed", folder)``: ``auto`` takes the raw files when complete, else the
    embedded default.
    """
    if source not in SOURCES:
        raise DivideParameterError(f"source must be one of {', '.join(SOURCES)} (got {source!r})")
    if raw_directory is not None:
        existing_folder(raw_directory, "raw_directory", "load_frame")
    if processed_directory is not None:
        existing_folder(processed_directory, "processed_directory", "load_frame")
    raw_directory = Path(raw_directory or raw_dir())
    if source == "auto":
        source = "raw" if raw_complete(raw_directory) else "processed"
    directory = raw_directory if source == "raw" else Path(processed_directory or processed_dir())
    return source, directory.resolve()


@lru_cache(maxsize=4)
def _cached(source: str, directory: Path) -> Data:
    if source == "raw":
        return build_data(directory)
    from divide.frame.processed import read_processed

    return read_processed(directory)


def load_data(
    source: str = "auto",
    *,
    raw_directory: Path | None = None,
    processed_directory: Path | None = None,
) -> Data:
    """Load (once per process and place) everything the pipeline reads.

    Examples
    --------
    >>> import divide
    >>> data = divide.load_data()
    >>> len(data.national), sorted(data.layers)
    (1741, ['age_use', 'internet_use', 'national_ages', 'no_statistics', 'points'])
    """
    chosen, directory = choose_source(source, raw_directory, processed_directory)
    return _cached(chosen, directory)


def datasets_of(data: Data, ids: list[str] | tuple[str, ...]) -> dict[str, Dataset]:
    """Provenance of the named datasets (those loaded, else the manifest's entry)."""
    return {key: data.datasets[key] if key in data.datasets else dataset(key) for key in ids}


__all__ = [
    "LAYERS",
    "Data",
    "build_data",
    "choose_source",
    "datasets_of",
    "load_data",
    "raw_complete",
]
