"""The embedded default: the national frame written to ``data/processed/`` and read back.

A fresh clone runs with no download because the derived frame (with simplified boundaries) is
committed. Three files: ``municipalities.parquet`` (GeoParquet, EPSG:6668), ``join_report.csv`` and
``provenance.json`` (datasets with their checksums, build notes, and a digest of the frame's content).
The digest is computed from a canonical text form, independent of the Parquet writer, so a test can
rebuild the frame from the raw files and prove it is identical to what is committed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.errors import DivideDataError
from divide.paths import processed_dir

FRAME_FILE = "municipalities.parquet"
REPORT_FILE = "join_report.csv"
PROVENANCE_FILE = "provenance.json"


def content_digest(frame: gpd.GeoDataFrame) -> str:
    """sha256 of the frame's values (attributes as CSV with exact floats, geometry as WKB hex)."""
    table = pd.DataFrame(frame.drop(columns="geometry"))
    text = table.to_csv(float_format="%.17g", lineterminator="\n")
    wkb = frame.geometry.to_wkb(hex=True).fillna("")
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update("\n".join(wkb.astype(str)).encode("ascii"))
    return digest.hexdigest()


def write_processed(frame: gpd.GeoDataFrame, directory: Path | None = None) -> dict[str, Path]:
    directory = Path(directory or processed_dir())
    directory.mkdir(parents=True, exist_ok=True)
    plain = frame.copy()
    plain.attrs = {}
    paths = {"frame": directory / FRAME_FILE, "report": directory / REPORT_FILE,
             "provenance": directory / PROVENANCE_FILE}
    plain.to_parquet(paths["frame"], index=True, compression="zstd")
    frame.attrs["join_report"].to_csv(paths["report"], index=False, lineterminator="\n")
    provenance = {
        "description": "Municipal frame of Japan built by `divide build` from data/raw (see data/raw/manifest.toml)",
        "rows": len(frame),
        "crs": str(frame.crs),
        "content_sha256": content_digest(frame),
        "datasets": frame.attrs["provenance"],
        "notes": frame.attrs["notes"],
    }
    paths["provenance"].write_text(json.dumps(provenance, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return paths


def read_processed(directory: Path | None = None) -> gpd.GeoDataFrame:
    directory = Path(directory or processed_dir())
    path = directory / FRAME_FILE
    if not path.is_file():
        raise DivideDataError("the embedded default frame is missing: run `divide build` after `divide fetch`",
                              file=path)
    frame = gpd.read_parquet(path)
    provenance = json.loads((directory / PROVENANCE_FILE).read_text(encoding="utf-8"))
    report = pd.read_csv(directory / REPORT_FILE, dtype={"code": "string", "name": "string", "reason": "string",
                                                         "source": "string", "file": "string"})
    frame.attrs = {"provenance": provenance["datasets"], "join_report": report, "notes": provenance["notes"]}
    return frame
