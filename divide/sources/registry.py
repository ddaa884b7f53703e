"""Which loader reads which dataset, and a per-build cache so that every raw file is read once.

The frame and its layers are built from the same raw files (the register feeds both the frame and
the national age table; the office list feeds the frame, the ward offices and the DX dashboard's
codes). A :class:`RawTables` hands every builder the same parsed
:class:`~divide.sources.table.Table`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from divide.codes import is_ward
from divide.sources.census_ratios import load_census_ratios
from divide.sources.dx_dashboard import load_dx_dashboard
from divide.sources.estat_census import load_census
from divide.sources.fukushima_evacuation import load_evacuation_events, load_residence
from divide.sources.gsi_shelters import load_shelters
from divide.sources.juki import load_juki_age
from divide.sources.kaso import load_kaso
from divide.sources.kurashimap import load_indicators_2025
from divide.sources.localgovjp import load_offices
from divide.sources.mynumber import load_mynumber, load_mynumber_by_age
from divide.sources.n03 import load_boundaries
from divide.sources.s12_stations import load_stations
from divide.sources.table import Table
from divide.sources.usage_survey import load_device_use_by_age, load_internet_use

Loader = Callable[[Path | None, "RawTables"], Table]

LOADERS: dict[str, Loader] = {
    "census_population": lambda d, _: load_census("census_population", directory=d),
    "census_aging": lambda d, _: load_census("census_aging", directory=d),
    "census_households": lambda d, _: load_census("census_households", directory=d),
    "census_ratios": lambda d, _: load_census_ratios(directory=d),
    "juki_age": lambda d, _: load_juki_age(directory=d),
    "indicators_2025": lambda d, _: load_indicators_2025(directory=d),
    "boundaries": lambda d, _: load_boundaries(directory=d),
    "offices": lambda d, _: load_offices(directory=d),
    "stations": lambda d, _: load_stations(directory=d),
    "shelters_japan": lambda d, _: load_shelters(directory=d),
    "kaso": lambda d, _: load_kaso(directory=d),
    "mynumber": lambda d, _: load_mynumber(directory=d),
    "mynumber_by_age": lambda d, _: load_mynumber_by_age(directory=d),
    "dx_dashboard": lambda d, tables: load_dx_dashboard(
        codes=tables.municipal_codes(), directory=d
    ),
    "evacuation_events": lambda d, _: load_evacuation_events(directory=d),
    "residence": lambda d, _: load_residence(directory=d),
    "internet_use": lambda d, _: load_internet_use(directory=d),
    "device_use_by_age": lambda d, _: load_device_use_by_age(directory=d),
}


class RawTables:
    """Parsed raw tables of one directory, each loaded on first request and then reused."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._tables: dict[str, Table] = {}

    def get(self, dataset_id: str) -> Table:
        if dataset_id not in self._tables:
            self._tables[dataset_id] = LOADERS[dataset_id](self.directory, self)
        return self._tables[dataset_id]

    def municipal_codes(self):
        """Municipalities (wards excluded) of the office list in code order: the DX dashboard's
        columns.
        """
        offices = self.get("offices").data
        return offices[~offices["code"].map(is_ward)].sort_values("code")[["code", "name"]]

    @property
    def loaded(self) -> list[str]:
        return list(self._tables)
