"""The embedded default: the national frame and its small layers, written to ``data/processed/``.

A fresh clone runs with no download because what the pipeline derives is committed:
``municipalities.parquet`` (GeoParquet, EPSG:6668), one file per layer (``points.parquet``,
``internet_use.csv``, ``age_use.csv``), ``join_report.csv`` and ``provenance.json`` (datasets with
their checksums, build notes, and a digest of each table's content). Digests are computed from a
canonical text form, independent of the Parquet writer, so a test can rebuild everything from the raw
files and prove it is identical to what is committed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.errors import DivideDataError
from divide.paths import processed_dir
from divide.provenance import dataset

FRAME_FILE = "municipalities.parquet"
REPORT_FILE = "join_report.csv"
PROVENANCE_FILE = "provenance.json"


def content_digest(frame: pd.DataFrame) -> str:
    """sha256 of a table's values (attributes as CSV with exact floats, geometry as WKB hex)."""
    plain = pd.DataFrame(frame.drop(columns="geometry")) if "geometry" in frame else pd.DataFrame(frame)
    text = plain.to_csv(float_format="%.17g", lineterminator="\n")
    digest = hashlib.sha256(text.encode("utf-8"))
    if "geometry" in frame:
        wkb = frame.geometry.to_wkb(hex=True).fillna("")
        digest.update("\n".join(wkb.astype(str)).encode("ascii"))
    return digest.hexdigest()


def _layer_file(name: str, table: pd.DataFrame) -> str:
    return f"{name}.parquet" if isinstance(table, gpd.GeoDataFrame) else f"{name}.csv"


def write_processed(frame: gpd.GeoDataFrame, layers: dict[str, tuple[pd.DataFrame, list[str]]],
                    directory: Path | None = None) -> dict[str, Path]:
    directory = Path(directory or processed_dir())
    directory.mkdir(parents=True, exist_ok=True)
    plain = frame.copy()
    plain.attrs = {}
    paths = {"frame": directory / FRAME_FILE, "report": directory / REPORT_FILE}
    plain.to_parquet(paths["frame"], index=True, compression="zstd")
    frame.attrs["join_report"].to_csv(paths["report"], index=False, lineterminator="\n")
    datasets = dict(frame.attrs["provenance"])
    layer_info = {}
    for name, (table, used) in layers.items():
        path = directory / _layer_file(name, table)
        if isinstance(table, gpd.GeoDataFrame):
            table.to_parquet(path, index=False, compression="zstd")
        else:
            table.to_csv(path, index=False, lineterminator="\n")
        paths[name] = path
        layer_info[name] = {"file": path.name, "rows": len(table), "content_sha256": content_digest(table),
                            "datasets": used}
        for key in used:
            datasets.setdefault(key, dataset(key).as_dict())
    provenance = {
        "description": "Built by `divide build` from data/raw (see data/raw/manifest.toml)",
        "rows": len(frame),
        "crs": str(frame.crs),
        "content_sha256": content_digest(frame),
        "frame_datasets": list(frame.attrs["provenance"]),
        "layers": layer_info,
        "datasets": dict(sorted(datasets.items())),
        "notes": frame.attrs["notes"],
    }
    paths["provenance"] = directory / PROVENANCE_FILE
    paths["provenance"].write_text(json.dumps(provenance, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return paths


def _provenance(directory: Path) -> dict:
    path = directory / PROVENANCE_FILE
    if not path.is_file():
        raise DivideDataError("the embedded default is missing: run `divide fetch` then `divide build`", file=path)
    return json.loads(path.read_text(encoding="utf-8"))


def read_processed(directory: Path | None = None) -> gpd.GeoDataFrame:
    directory = Path(directory or processed_dir())
    provenance = _provenance(directory)
    frame = gpd.read_parquet(directory / FRAME_FILE)
    report = pd.read_csv(directory / REPORT_FILE, dtype={"code": "string", "name": "string", "reason": "string",
                                                         "source": "string", "file": "string",
                                                         "pref_code": "string"})
    used = {key: provenance["datasets"][key] for key in provenance["frame_datasets"]}
    frame.attrs = {"provenance": used, "join_report": report, "notes": provenance["notes"]}
    return frame


def read_layer(name: str, directory: Path | None = None) -> pd.DataFrame:
    directory = Path(directory or processed_dir())
    info = _provenance(directory)["layers"].get(name)
    if info is None:
        raise DivideDataError(f"no layer {name!r} in the embedded default", file=directory / PROVENANCE_FILE)
    path = directory / info["file"]
    if path.suffix == ".parquet":
        table = gpd.read_parquet(path)
    else:
        table = pd.read_csv(path, dtype={"pref_code": "str", "level": "str", "area": "str", "survey": "str",
                                         "population_date": "str"})
    table.attrs["datasets"] = info["datasets"]
    return table
