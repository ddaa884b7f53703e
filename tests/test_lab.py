"""JupyterLab starts from the project's environment and serves the notebooks (what `make lab` runs)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyterlab_serves_the_notebooks(tmp_path):
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        "--IdentityProvider.token=divide-test",
        f"--ServerApp.root_dir={ROOT / 'notebooks'}",
        "--ServerApp.open_browser=False",
        "--allow-root",
    ]
    env = {**os.environ, "HOME": str(tmp_path), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        body = ""
        for _ in range(120):
            time.sleep(0.5)
            try:
                url = f"http://127.0.0.1:{port}/api/contents?token=divide-test"
                body = urllib.request.urlopen(url, timeout=2).read().decode()
                break
            except OSError:
                continue
        assert "01_data_tour.ipynb" in body
        lab = urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=divide-test", timeout=5)
        assert lab.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "jupyter lab notebooks" in (ROOT / "Makefile").read_text()
