"""``load_frame``: the municipal frame of one prefecture (or all of Japan), the first stage's
result.

It is cut from the national :class:`~divide.frame.data.Data` (raw files when they are all there,
else the embedded default in ``data/processed/``, so a fresh clone works with no download). The
:class:`Frame` carries its prefecture's rows, its part of the join report, the notes, the datasets
it actually uses (so a Hokkaido pack never credits Fukushima-only sources) and the loaded data that
later stages take their national tables and layers from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from divide.codes import PREFECTURES, normalize_pref
from divide.frame.broadband import attach_broadband
from divide.frame.columns import datasets_with_values
from divide.frame.data import Data, datasets_of, load_data
from divide.notes import Note, for_area, note
from divide.origin import Origin, origin_of
from divide.provenance import Dataset
from divide.validation import IsoDate, Result, checked


@dataclass
class Frame:
    """The municipal frame of a prefecture (``pref``) or of Japan (``pref`` None).

    Attributes
    ----------
    municipalities : GeoDataFrame
        One row per municipality, indexed by the 5-digit ``code`` (columns: ``docs/columns.md``).
    pref : str or None
        Two-digit prefecture code.
    data : Data
        Everything loaded (national frame, layers); later stages read their inputs from here.
    join_report : DataFrame
        This prefecture's input rows not joined, and its municipalities missing from a file.
    notes : list of Note
        What the build and load noticed about this area (other prefectures' notes left out).
    datasets : dict
        Dataset id -> :class:`~divide.provenance.Dataset` of the sources with values in these rows.
    origin : Origin
        The area and a fingerprint of these rows, which every later result carries (and checks
        when it takes two).
    """

    municipalities: gpd.GeoDataFrame
    pref: str | None
    data: Data
    join_report: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    origin: Origin | None = None

    def __post_init__(self) -> None:
        if self.origin is None:
            self.origin = origin_of(self.municipalities, self.pref)

    # What later stages read from the loaded data, by name and type: no stage reaches into
    # ``frame.data`` by a string key.

    @property
    def national(self) -> gpd.GeoDataFrame:
        """Every municipality of Japan: the reference the estimate and the index are set against."""
        return self.data.national

    @property
    def points(self) -> pd.DataFrame:
        """Shelters, stations and ward offices (counters and candidate sites) of all Japan."""
        return self.data.layer("points")

    @property
    def national_ages(self) -> pd.DataFrame:
        """Japan's population by single year of age (the projection's ageing path)."""
        return self.data.layer("national_ages")

    @property
    def no_statistics(self) -> gpd.GeoDataFrame | None:
        """Areas no statistics cover (the Northern Territories), drawn as "no data" on maps."""
        return self.data.layers.get("no_statistics")

    @property
    def source(self) -> str:
        """Where the data came from: ``"raw"`` or ``"processed"``."""
        return self.data.source

    def sources_of(self, layer: str) -> tuple[str, ...]:
        """The ids of the datasets a layer (``internet_use``, ``age_use`` …) comes from."""
        return tuple(self.data.layer_datasets[layer])

    @property
    def internet_use(self) -> pd.DataFrame:
        """The communications usage survey's internet use by prefecture and year."""
        return self.data.layer("internet_use")

    @property
    def age_use(self) -> pd.DataFrame:
        """Internet use by age group (the age curve's input)."""
        return self.data.layer("age_use")

    def datasets_of(self, ids: list[str] | tuple[str, ...]) -> dict[str, Dataset]:
        """Provenance of the named datasets: as loaded, else the manifest's entry."""
        return datasets_of(self.data, ids)

    @property
    def area_name(self) -> dict[str, str]:
        """The prefecture's name (or Japan's) in Japanese and English."""
        if self.pref is None:
            return {"ja": "全国", "en": "Japan"}
        return {"ja": PREFECTURES[self.pref].name_ja, "en": PREFECTURES[self.pref].name_en}

    def __len__(self) -> int:
        return len(self.municipalities)

    def __repr__(self) -> str:
        return (
            f"<Frame {self.area_name['en']}: {len(self.municipalities)} municipalities, "
            f"{len(self.join_report)} input rows not joined, {len(self.datasets)} datasets, "
            f"source {self.source!r}>"
        )


@checked
def load_frame(
    pref: str | int | None = "07",
    *,
    source: Literal["auto", "raw", "processed"] = "auto",
    broadband: str | Path | None = None,
    broadband_as_of: IsoDate | None = None,
    raw_directory: Path | None = None,
    processed_directory: Path | None = None,
    data: Result[Data] | None = None,
) -> Frame:
    """One row per municipality of ``pref`` (``None``: all 1,741 of Japan), with its report and
    credits.

    ``source``: ``"auto"`` (raw files when complete, else the embedded default), ``"raw"`` or
    ``"processed"``; or pass ``data`` loaded before. ``broadband``: MIC's municipal FTTH coverage
    xlsx or a CSV ``code,value,as_of,source`` (``docs/inputs.md``); ``broadband_as_of``: its
    reference date (``2024-03-31``) when the workbook's title block does not say it.

    Parameters
    ----------
    pref : str, int or None
        Prefecture code, name or romaji; None for all of Japan.
    source : {"auto", "raw", "processed"}
        Raw files when complete (``auto``), or the embedded default.
    broadband : str or Path, optional
        MIC's municipal FTTH coverage xlsx, or a CSV ``code,value,as_of,source``.
    broadband_as_of : str, optional
        Its reference date (``2024-03-31``) when the workbook does not state one.
    raw_directory, processed_directory : Path, optional
        Other folders than ``data/raw`` and ``data/processed``.
    data : Data, optional
        Data loaded before (:func:`~divide.frame.data.load_data`).

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> len(frame), int(frame.municipalities["population"].sum())
    (59, 1833152)
    """
    pref_code = normalize_pref(pref)
    data = (
        data
        if data is not None
        else load_data(source, raw_directory=raw_directory, processed_directory=processed_directory)
    )
    national = data.national
    rows = national if pref_code is None else national[national["pref_code"] == pref_code]
    report = data.join_report
    if pref_code is not None:
        report = report[report["pref_code"].eq(pref_code).fillna(False).astype(bool)]
    frame = Frame(
        municipalities=rows.copy(),
        pref=pref_code,
        data=data,
        join_report=report.reset_index(drop=True),
        notes=for_area(data.notes, pref_code),
    )
    if broadband is None:
        frame.municipalities["broadband_coverage_pct"] = float("nan")
        frame.notes.append(note("frame.no_broadband"))
    else:
        attach_broadband(frame, Path(broadband), as_of=broadband_as_of)
    used = datasets_with_values(frame.municipalities)
    frame.datasets = {
        **datasets_of(data, [d for d in used if d != "broadband_coverage"]),
        **{k: v for k, v in frame.datasets.items() if k == "broadband_coverage"},
    }
    return frame
