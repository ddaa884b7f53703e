"""``load_frame``: the municipal frame of one prefecture (or all of Japan), ready for analysis.

It builds from ``data/raw/`` when the raw files are there (after ``divide fetch``), and otherwise reads
the embedded default in ``data/processed/``, so a fresh clone works with no download. The national
frame is built once per process and cached.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.codes import normalize_pref
from divide.errors import DivideDataError
from divide.frame import FRAME_DATASETS, build_frame
from divide.layers import LAYER_DATASETS, LAYERS
from divide.paths import processed_dir, raw_dir
from divide.processed import read_layer, read_processed
from divide.provenance import load_manifest
from divide.sources.broadband import load_broadband_coverage

NO_BROADBAND = ("no municipal broadband layer supplied: broadband_coverage_pct is empty and the index "
                "re-weights its infrastructure pillar (MIC「ＦＴＴＨ世帯カバー率（市区町村別）」can be passed "
                "as broadband=PATH)")


def raw_complete(directory: Path | None = None) -> bool:
    directory = Path(directory or raw_dir())
    manifest = load_manifest()
    return all((directory / manifest[key].file).is_file() for key in (*FRAME_DATASETS, *LAYER_DATASETS))


def _choose(source: str, raw_directory: Path | None, processed_directory: Path | None) -> tuple[str, Path]:
    if source not in ("auto", "raw", "processed"):
        raise ValueError("source must be 'auto', 'raw' or 'processed'")
    raw_directory = Path(raw_directory or raw_dir())
    if source == "auto":
        source = "raw" if raw_complete(raw_directory) else "processed"
    directory = raw_directory if source == "raw" else Path(processed_directory or processed_dir())
    return source, directory.resolve()


@lru_cache(maxsize=8)
def _layer(name: str, source: str, directory: str) -> pd.DataFrame:
    if source == "raw":
        table, used = LAYERS[name](Path(directory))
        table.attrs["datasets"] = used
        return table
    return read_layer(name, Path(directory))


def same_source(frame: pd.DataFrame) -> dict[str, object]:
    """Keyword arguments that load other tables from where ``frame`` came from (raw directory or default).

    Later stages load national tables and layers; they must read the same files as the frame they are
    given, not whatever ``data/raw`` holds.
    """
    source = frame.attrs.get("source", "auto")
    directory = frame.attrs.get("directory")
    if source == "raw" and directory:
        return {"source": "raw", "raw_directory": Path(directory)}
    if source == "processed" and directory:
        return {"source": "processed", "processed_directory": Path(directory)}
    return {"source": source}


def load_layer(name: str, *, source: str = "auto", raw_directory: Path | None = None,
               processed_directory: Path | None = None) -> pd.DataFrame:
    """A derived layer: ``points`` (shelters, emergency sites, stations), ``internet_use`` or ``age_use``.

    ``attrs["datasets"]`` lists the manifest datasets it comes from (for credit lines).
    """
    if name not in LAYERS:
        raise KeyError(f"unknown layer {name!r}; known: {', '.join(LAYERS)}")
    source, directory = _choose(source, raw_directory, processed_directory)
    table = _layer(name, source, str(directory))
    copy = table.copy()
    copy.attrs = dict(table.attrs)
    return copy


@lru_cache(maxsize=2)
def _national(source: str, directory: str) -> gpd.GeoDataFrame:
    if source == "raw":
        return build_frame(Path(directory), progress=False)
    return read_processed(Path(directory))


def load_frame(pref: str | int | None = "07", *, source: str = "auto", broadband: str | Path | None = None,
               raw_directory: Path | None = None, processed_directory: Path | None = None) -> gpd.GeoDataFrame:
    """One row per municipality of ``pref`` (``None``: all 1,741 of Japan), indexed by ``code``.

    ``source``: ``"auto"`` (raw files when complete, else the embedded default), ``"raw"`` or
    ``"processed"``. ``broadband``: MIC's municipal FTTH coverage xlsx or a CSV ``code,value,as_of,source``.
    ``frame.attrs`` holds ``provenance``, ``join_report`` (rows not joined, and why), ``notes`` and
    ``source``. Columns are documented in ``divide/columns.py`` (``docs/columns.md``).
    """
    source, directory = _choose(source, raw_directory, processed_directory)
    national = _national(source, str(directory))
    pref_code = normalize_pref(pref)
    frame = national if pref_code is None else national[national["pref_code"] == pref_code]
    frame = frame.copy()
    report = national.attrs["join_report"]
    if pref_code is not None:
        # rows of this prefecture, plus the counted blocks (by-sex rows, other dates) that span every prefecture
        block = report["pref_code"].isna() & (report["rows"] > 1)
        report = report[block | report["pref_code"].eq(pref_code).fillna(False)]
    frame.attrs = {"provenance": dict(national.attrs["provenance"]), "join_report": report.reset_index(drop=True),
                   "notes": list(national.attrs["notes"]), "source": source, "directory": str(directory)}
    if broadband is None:
        frame["broadband_coverage_pct"] = float("nan")
        frame.attrs["notes"].append(NO_BROADBAND)
    else:
        frame = _attach_broadband(frame, Path(broadband), national)
    return frame


def _attach_broadband(frame: gpd.GeoDataFrame, path: Path, national: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    reference = pd.DataFrame({"code": national.index, "pref_code": national["pref_code"],
                              "name_ja": national["name_ja"]})
    table = load_broadband_coverage(path, reference=reference)
    data = table.data
    unknown = ~data["code"].isin(national.index)
    if unknown.any():
        i = unknown.idxmax()
        raise DivideDataError("code is not a municipality of the frame (merged away, renamed or mistyped)",
                              file=path, row=int(data.at[i, "_line"]), column="code", value=data.at[i, "code"])
    values = data.set_index("code")["broadband_coverage_pct"]
    frame["broadband_coverage_pct"] = values.reindex(frame.index)
    frame.attrs["provenance"]["broadband_coverage"] = table.dataset.as_dict()
    unmatched = data.attrs.get("unmatched")
    if unmatched is not None and len(unmatched):
        rows = unmatched.rename(columns={"_line": "line"}).assign(source="broadband_coverage", file=str(path),
                                                                  code=pd.NA, rows=1)
        frame.attrs["join_report"] = pd.concat([frame.attrs["join_report"], rows[frame.attrs["join_report"].columns]],
                                               ignore_index=True)
    missing = frame["broadband_coverage_pct"].isna().sum()
    if missing:
        frame.attrs["notes"].append(f"broadband_coverage: {missing} municipalities have no value in {path.name}")
    return frame
