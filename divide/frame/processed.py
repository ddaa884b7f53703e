"""The embedded default: the national frame and its small layers, written to ``data/processed/``.

A fresh clone runs with no download because what the pipeline derives is committed:
``municipalities.parquet`` (GeoParquet, EPSG:6668), one file per layer (``points.parquet``,
``no_statistics.parquet``, ``internet_use.csv``, ``age_use.csv``, ``national_ages.csv``),
``join_report.csv`` and ``provenance.json`` (datasets with their checksums, build notes, and a
digest of each table's content). Digests are computed from a canonical text form, independent of the
Parquet writer, so a test can rebuild everything from the raw files and prove it is identical to
what is committed, and ``divide doctor`` can tell a stale or edited default from a good one.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd

from divide.errors import DivideDataError
from divide.frame.loaded import Data
from divide.notes import Note
from divide.paths import processed_dir
from divide.provenance import Dataset

FRAME_FILE = "municipalities.parquet"
REPORT_FILE = "join_report.csv"
PROVENANCE_FILE = "provenance.json"
ZSTD_LEVEL = 19  # the default ships in git: smallest files, read speed unchanged
_CSV_TYPES = {
    "pref_code": "str",
    "level": "str",
    "area": "str",
    "survey": "str",
    "population_date": "str",
    "code": "string",
    "name": "string",
    "reason": "string",
    "source": "string",
    "file": "string",
}


def content_digest(frame: pd.DataFrame) -> str:
    """sha256 of a table's values (attributes as CSV with exact floats, geometry as WKB hex)."""
    plain = (
        pd.DataFrame(frame.drop(columns="geometry")) if "geometry" in frame else pd.DataFrame(frame)
    )
    text = plain.to_csv(float_format="%.17g", lineterminator="\n")
    digest = hashlib.sha256(text.encode("utf-8"))
    if "geometry" in frame:
        wkb = frame.geometry.to_wkb(hex=True).fillna("")
        digest.update("\n".join(wkb.astype(str)).encode("ascii"))
    return digest.hexdigest()


def _layer_file(name: str, table: pd.DataFrame) -> str:
    return f"{name}.parquet" if isinstance(table, gpd.GeoDataFrame) else f"{name}.csv"


def write_processed(data: Data, directory: Path | None = None) -> dict[str, Path]:
    """Write ``data`` as the embedded default; returns the paths written."""
    directory = Path(directory or processed_dir())
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"frame": directory / FRAME_FILE, "report": directory / REPORT_FILE}
    data.national.to_parquet(
        paths["frame"], index=True, compression="zstd", compression_level=ZSTD_LEVEL
    )
    data.join_report.to_csv(paths["report"], index=False, lineterminator="\n")
    layer_info = {}
    for name, table in data.layers.items():
        path = directory / _layer_file(name, table)
        if isinstance(table, gpd.GeoDataFrame):
            table.to_parquet(path, index=False, compression="zstd", compression_level=ZSTD_LEVEL)
        else:
            table.to_csv(path, index=False, lineterminator="\n")
        paths[name] = path
        layer_info[name] = {
            "file": path.name,
            "rows": len(table),
            "content_sha256": content_digest(table),
            "datasets": list(data.layer_datasets[name]),
        }
    provenance = {
        "description": "Built by `divide build` from data/raw (see data/raw/manifest.toml)",
        "rows": len(data.national),
        "crs": str(data.national.crs),
        "content_sha256": content_digest(data.national),
        "frame_datasets": list(data.frame_datasets),
        "layers": layer_info,
        "datasets": {key: entry.as_dict() for key, entry in sorted(data.datasets.items())},
        "notes": [n.to_json() for n in data.notes],
    }
    paths["provenance"] = directory / PROVENANCE_FILE
    paths["provenance"].write_text(
        json.dumps(provenance, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return paths


def read_provenance(directory: Path | None = None) -> dict:
    """The embedded default's provenance record (what was built from what, and content digests)."""
    path = Path(directory or processed_dir()) / PROVENANCE_FILE
    if not path.is_file():
        raise DivideDataError(
            "the embedded default is missing: run `divide fetch` then `divide build`", file=path
        )
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _read_table(path: Path) -> pd.DataFrame:
    """One file of the default, opened once by Python (so that tests can count what a run reads)."""
    if not path.is_file():
        raise DivideDataError(
            "file of the embedded default is missing: run `divide build`", file=path
        )
    with open(path, "rb") as handle:
        if path.suffix == ".parquet":
            return gpd.read_parquet(handle)
        return pd.read_csv(handle, dtype={k: v for k, v in _CSV_TYPES.items()})


def read_processed(directory: Path | None = None) -> Data:
    """Load the embedded default as :class:`~divide.frame.data.Data`."""
    directory = Path(directory or processed_dir()).resolve()
    provenance = read_provenance(directory)
    national = _read_table(directory / FRAME_FILE)
    report = _read_table(directory / REPORT_FILE)
    layers = {
        name: _read_table(directory / info["file"]) for name, info in provenance["layers"].items()
    }
    fields = set(Dataset.__dataclass_fields__)
    datasets = {
        key: Dataset(**{k: v for k, v in entry.items() if k in fields})
        for key, entry in provenance["datasets"].items()
    }
    return Data(
        national_table=national,
        join_table=report,
        layer_tables=MappingProxyType(layers),
        layer_datasets=MappingProxyType(
            {k: tuple(v["datasets"]) for k, v in provenance["layers"].items()}
        ),
        datasets=MappingProxyType(datasets),
        frame_datasets=tuple(provenance["frame_datasets"]),
        notes=tuple(Note.from_json(n) for n in provenance["notes"]),
        source="processed",
        directory=directory,
    )
