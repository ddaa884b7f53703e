"""The committed embedded default is exactly what the pipeline builds from the raw files."""

import json

import geopandas.testing
import pandas as pd

from divide.frame.processed import (
    PROVENANCE_FILE,
    REPORT_FILE,
    content_digest,
    read_processed,
    write_processed,
)
from divide.paths import processed_dir


def test_rebuilt_default_is_identical_to_the_committed_one(data, tmp_path):
    committed = read_processed()
    geopandas.testing.assert_geodataframe_equal(
        data.national, committed.national, check_like=False, check_crs=True
    )
    provenance = json.loads((processed_dir() / PROVENANCE_FILE).read_text())
    assert content_digest(data.national) == provenance["content_sha256"]
    for name, table in data.layers.items():
        assert content_digest(table) == content_digest(committed.layer(name)), name
    paths = write_processed(data, tmp_path)
    assert paths["report"].read_bytes() == (processed_dir() / REPORT_FILE).read_bytes()
    assert paths["provenance"].read_bytes() == (processed_dir() / PROVENANCE_FILE).read_bytes()


def test_default_is_small_and_carries_provenance():
    total = sum(p.stat().st_size for p in processed_dir().iterdir() if p.is_file())
    assert total < 5_000_000
    provenance = json.loads((processed_dir() / PROVENANCE_FILE).read_text())
    assert provenance["rows"] == 1741 and provenance["crs"] == "EPSG:6668"
    for entry in provenance["datasets"].values():
        assert entry["credit"] and entry["licence"] and len(entry["sha256"]) == 64
    report = pd.read_csv(processed_dir() / REPORT_FILE)
    assert {"source", "file", "line", "pref_code", "code", "name", "reason", "rows"} == set(
        report.columns
    )


def test_the_default_loads_into_the_same_data_as_the_raw_files(data):
    committed = read_processed()
    assert committed.frame_datasets == data.frame_datasets and committed.notes == data.notes
    assert set(committed.datasets) == set(data.datasets)
    assert {k: len(v) for k, v in committed.layers.items()} == {
        k: len(v) for k, v in data.layers.items()
    }
