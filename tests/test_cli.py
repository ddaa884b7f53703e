import subprocess
import sys

from divide.cli import main


def test_summary_prints_the_fukushima_frame(capsys, tmp_path, monkeypatch):
    assert main(["summary", "--pref", "07", "--source", "processed"]) == 0
    out = capsys.readouterr().out
    assert "59市町村" in out and "1,833,152" in out and "双葉町" in out
    assert "国土数値情報（行政区域データ）" in out  # credit lines are printed


def test_errors_are_one_line_and_exit_2(capsys, tmp_path):
    bad = tmp_path / "bb.csv"
    bad.write_text("code,value\n07201,1\n", encoding="utf-8")
    assert main(["summary", "--broadband", str(bad), "--source", "processed"]) == 2
    assert "required column missing" in capsys.readouterr().err


def test_module_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "divide", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "fetch" in result.stdout
