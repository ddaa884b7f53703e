"""``divide doctor``: each problem is found, and comes with the command that fixes it."""

from __future__ import annotations

import json
import shutil

import geopandas as gpd

from divide.cli import main
from divide.doctor import (
    check_browser,
    check_font,
    check_mirror,
    check_output,
    check_packages,
    check_processed,
)
from divide.paths import processed_dir
from divide.provenance import load_manifest


def test_a_healthy_machine_passes_every_required_check(capsys, tmp_path):
    status = main(["doctor", "--quick", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert status == 0
    assert "ok   embedded default" in out and "ok   packages" in out and "ok   output folder" in out


def test_a_missing_browser_says_how_to_install_one(monkeypatch):
    import divide.report.static as static

    monkeypatch.setattr(static, "find_browser", lambda: None)
    check = check_browser(render=False)
    assert not check.ok and not check.required
    assert "apt-get install chromium" in check.fix and "plotly_get_chrome" in check.fix


def test_a_missing_japanese_font_says_which_package():
    check = check_font(fonts=lambda: [])
    assert not check.ok and "fonts-noto-cjk" in check.fix and "boxes" in check.found
    assert check_font(fonts=lambda: ["Noto Sans CJK JP"]).ok


def _copy_processed(tmp_path):
    target = tmp_path / "processed"
    shutil.copytree(processed_dir(), target)
    return target


def test_edited_embedded_data_is_found_by_its_digest(tmp_path):
    target = _copy_processed(tmp_path)
    table = gpd.read_parquet(target / "municipalities.parquet")
    table.loc[table.index[0], "population"] += 1
    table.to_parquet(target / "municipalities.parquet")
    check = check_processed(target)
    assert not check.ok and check.required and "differs from its provenance digest" in check.found
    assert "git checkout -- data/processed" in check.fix


def test_embedded_data_built_from_older_raw_files_is_stale(tmp_path):
    target = _copy_processed(tmp_path)
    provenance = json.loads((target / "provenance.json").read_text(encoding="utf-8"))
    provenance["datasets"]["kaso"]["sha256"] = "0" * 64
    (target / "provenance.json").write_text(json.dumps(provenance), encoding="utf-8")
    check = check_processed(target)
    assert not check.ok and "older raw files" in check.found and "kaso" in check.found
    assert "divide build" in check.fix


def test_missing_embedded_data_and_an_unwritable_folder(tmp_path):
    assert not check_processed(tmp_path / "nothing").ok
    blocked = tmp_path / "a_file"
    blocked.write_text("x", encoding="utf-8")
    check = check_output(blocked)
    assert not check.ok and "--out" in check.fix


def test_a_package_off_its_lock_is_named(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==0.0.1\n", encoding="utf-8")
    check = check_packages(lock)
    assert not check.ok and "pandas" in check.found and "(lock: 0.0.1)" in check.found


def test_a_mirror_of_junk_files_is_not_ok_and_names_them(tmp_path, monkeypatch, mirror):
    entry = load_manifest()["kaso"]
    for path in mirror.rglob("*"):  # a faithful copy but for one file
        if path.is_file():
            target = tmp_path / path.relative_to(mirror)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    (tmp_path / entry.file).unlink()
    (tmp_path / entry.file).write_text("junk\n", encoding="utf-8")
    monkeypatch.setenv("DIVIDE_MIRROR", str(tmp_path))
    check = check_mirror()
    assert not check.ok and "1 file(s)" in check.found
    assert f"{entry.file} differs" in check.found


def test_a_mirror_variable_pointing_at_a_file_is_said_not_replaced(tmp_path, monkeypatch):
    path = tmp_path / "not_a_folder"
    path.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DIVIDE_MIRROR", str(path))
    check = check_mirror()
    assert not check.ok and f"DIVIDE_MIRROR={path} is a file" in check.found


def test_the_real_mirror_is_ok(mirror, monkeypatch):
    monkeypatch.setenv("DIVIDE_MIRROR", str(mirror))
    assert check_mirror().ok
