"""Benchmark: how fast an interrupted pack run stops while its browser renders (target ≤ 2 s).

The fault tests check *that* an interrupted run keeps the previous pack and ends its browser; how
fast it stops depends on the machine, so it is measured here. A run of ``divide brief`` for Tottori
is held at the "static export" hook point (:mod:`divide.hooks`), then sent SIGINT; the time to exit
is printed with its ratio to the 2-second target, beside the time the same machine takes to start
Python and import divide (the baseline, run in the same process). Not a test; run with `make bench`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from divide import hooks

TARGET_SECONDS = 2.0


def baseline() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import divide.cli"], check=True)
    return time.perf_counter() - start


def interrupted(out: Path, hold: Path) -> float:
    env = {**os.environ, hooks.ENVIRONMENT: f"static export={hold}"}
    command = [sys.executable, "-m", "divide", "brief", "--pref", "31", "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--no-cards"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while not (hold / "reached").exists():
        if process.poll() is not None:
            raise SystemExit("the run ended before the static export (no browser?)")
        time.sleep(0.05)
    sent = time.perf_counter()
    process.send_signal(signal.SIGINT)
    process.wait()
    return time.perf_counter() - sent


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        hold = Path(folder) / "hold"
        hold.mkdir()
        stop = interrupted(Path(folder) / "out", hold)
    start = baseline()
    print(
        f"interrupt during static export: stopped in {stop:4.2f} s, ratio {stop / TARGET_SECONDS:4.2f}"
        f" of the {TARGET_SECONDS:g} s target; python + import divide.cli {start:4.2f} s"
    )


if __name__ == "__main__":
    main()
