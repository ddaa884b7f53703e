"""The committed embedded default is exactly what the pipeline builds from the raw files."""

import json

import geopandas.testing
import pandas as pd

from divide.layers import build_layers
from divide.paths import processed_dir
from divide.processed import (
    PROVENANCE_FILE,
    REPORT_FILE,
    content_digest,
    read_layer,
    read_processed,
    write_processed,
)


def test_rebuilt_frame_is_identical_to_the_committed_default(national, raw, tmp_path):
    committed = read_processed()
    geopandas.testing.assert_geodataframe_equal(national, committed, check_like=False, check_crs=True)
    assert content_digest(national) == json.loads((processed_dir() / PROVENANCE_FILE).read_text())["content_sha256"]
    layers = build_layers(raw)
    for name, (table, _) in layers.items():
        assert content_digest(table) == content_digest(read_layer(name)), name
    paths = write_processed(national, layers, tmp_path)
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
    assert {"source", "file", "line", "pref_code", "code", "name", "reason", "rows"} == set(report.columns)
