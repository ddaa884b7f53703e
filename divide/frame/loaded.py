"""The loaded inputs of the pipeline as one object (:class:`Data`): what :mod:`divide.frame.data`
builds from the raw files and :mod:`divide.frame.processed` reads from the embedded default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from divide.errors import DivideParameterError
from divide.notes import Note


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

    def __repr__(self) -> str:
        return (
            f"<Data {self.source} from {self.directory}: {len(self.national_table)} "
            f"municipalities, layers {', '.join(self.layer_tables)}>"
        )
