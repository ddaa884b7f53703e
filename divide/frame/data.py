"""Everything the pipeline reads, loaded once from one place: the raw files or the embedded default.

:class:`Data` is the national frame (1,741 municipalities), its join report and build notes, the
derived layers (points, survey tables, national ages) and the provenance of every dataset they come
from. :func:`load_data` loads it once per process and place; every stage is handed what it needs
from it (through the :class:`~divide.frame.load.Frame` of a prefecture) and reads nothing from disk
itself.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from divide.errors import DivideParameterError
from divide.frame.build import build_frame
from divide.frame.layers import LAYERS, build_layers
from divide.frame.loaded import Data
from divide.frame.processed import read_processed
from divide.paths import processed_dir, raw_dir
from divide.provenance import Dataset, dataset, load_manifest
from divide.sources.registry import LOADERS, RawTables
from divide.validation import existing_folder

SOURCES = ("auto", "raw", "processed")


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


def build_data(directory: Path | None = None, *, progress: bool | None = False) -> Data:
    """Build :class:`Data` from the raw files in ``directory`` (default ``data/raw``), each file
    read once.

    This is what ``divide build`` writes to ``data/processed/``; :func:`load_data` calls it when the
    raw files are all there.

    Parameters
    ----------
    directory : Path, optional
        A folder with the raw layout (default ``data/raw``; a mirror works too).
    progress : bool, optional
        Show a progress bar.

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
    return read_processed(directory)


def load_data(
    source: str = "auto",
    *,
    raw_directory: Path | None = None,
    processed_directory: Path | None = None,
) -> Data:
    """Load (once per process and place) everything the pipeline reads.

    Parameters
    ----------
    source : {"auto", "raw", "processed"}
        The raw files when complete (``auto``), or the embedded default.
    raw_directory, processed_directory : Path, optional
        Other folders than ``data/raw`` and ``data/processed``.

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
