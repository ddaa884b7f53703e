"""fetch: the download path against a local HTTP server serving the mirror, checksums, and the
mirror path.
"""

import dataclasses
import functools
import http.server
import threading

import pytest

from divide.fetch import fetch, sha256_of
from divide.provenance import load_manifest


@pytest.fixture()
def server(mirror):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mirror))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_manifest_lists_every_mirror_file_with_its_checksum(mirror):
    manifest = load_manifest()
    files = {
        str(p.relative_to(mirror)) for p in mirror.rglob("*") if p.is_file() and p.suffix != ".md"
    }
    assert {e.file for e in manifest.values()} == files
    for entry in manifest.values():
        assert sha256_of(mirror / entry.file) == entry.sha256, entry.id
        assert entry.url is None or entry.url.startswith("https://")


def test_download_from_http_server_verifies_checksums(server, tmp_path):
    entries = [
        dataclasses.replace(e, url=f"{server}/{e.file}")
        for e in load_manifest().values()
        if e.id in ("kaso", "census_population", "ftth_adoption")
    ]
    report = fetch(tmp_path, entries=entries, progress=False)
    assert report.ok, report.failures
    assert all(status.startswith("downloaded") for status in report.results.values())
    again = fetch(tmp_path, entries=entries, progress=False)
    assert all(status.startswith("present") for status in again.results.values())


def test_checksum_mismatch_is_refused_and_nothing_is_kept(server, tmp_path):
    entry = load_manifest()["kaso"]
    wrong = dataclasses.replace(entry, url=f"{server}/{load_manifest()['ftth_adoption'].file}")
    report = fetch(tmp_path, entries=[wrong], progress=False)
    assert not report.ok and "checksum mismatch" in report.failures["kaso"]
    assert not (tmp_path / entry.file).exists()


def test_missing_url_and_http_error_are_reported(server, tmp_path):
    entry = load_manifest()["evacuation_events"]
    assert entry.url is None
    report = fetch(
        tmp_path,
        entries=[entry, dataclasses.replace(load_manifest()["kaso"], url=f"{server}/nope.csv")],
        progress=False,
    )
    assert "no download URL" in report.failures["evacuation_events"]
    assert "404" in report.failures["kaso"]


def test_fetch_from_mirror_and_unknown_dataset(mirror, tmp_path):
    report = fetch(tmp_path, mirror=mirror, datasets=["kaso"], progress=False)
    assert report.ok and (tmp_path / load_manifest()["kaso"].file).is_file()
    with pytest.raises(Exception, match="unknown dataset"):
        fetch(tmp_path, mirror=mirror, datasets=["nope"], progress=False)


def test_a_junk_file_in_a_mirror_is_blamed_on_the_mirror_not_the_publisher(tmp_path):
    entry = load_manifest()["kaso"]
    junk = tmp_path / "mirror" / entry.file
    junk.parent.mkdir(parents=True)
    junk.write_text("not the file\n", encoding="utf-8")
    report = fetch(tmp_path / "raw", mirror=tmp_path / "mirror", datasets=["kaso"], progress=False)
    why = report.failures["kaso"]
    assert "check the mirror" in why and "update the manifest" not in why
    assert not (tmp_path / "raw" / entry.file).exists()
