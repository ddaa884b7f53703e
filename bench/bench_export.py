"""Benchmark: the pack with and without static files, static export per session, the all-Japan HTML
map.

1. The Fukushima pack (and with ``--hokkaido`` the Hokkaido one): ``divide brief --no-static``
   against the whole ``divide brief`` (A4 maps, slide images, cards, decks), each a fresh process as
   an analyst runs it; the ratio is what the static files cost (goal <= 2.5x), and the deck
   sizes (goal: profiles.pptx <= 8 MB for Fukushima, <= 25 MB for Hokkaido).
2. The 59 Fukushima profile cards as PNG: all through ONE kaleido browser session (divide's way) vs
   one ``fig.write_image`` per card (a browser started for each), on the first N cards of the same
   run.
3. The all-Japan offline-share map: HTML parts without plotly.js (figure + shared-border topology)
   beside a naive embed of the same boundaries as GeoJSON, and the total with the embedded bundle.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import divide
from divide.analysis import analyse
from divide.report.cards import profile_card
from divide.report.html import write_html
from divide.report.maps import Classes, MapText, choropleth
from divide.report.profiles import CARD_INDICATORS, card_facts
from divide.report.static import ImageJob, render

PER_FIGURE_SAMPLE = (
    8  # starting a browser 59 times takes minutes; the per-card cost is measured on 8
)


def cards_benchmark() -> None:
    analysis = analyse("07", draws=300)
    facts = card_facts(analysis)
    table = analysis.frame.municipalities
    figures = {
        code: profile_card(code, table, facts, CARD_INDICATORS["ja"]) for code in table.index
    }
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        render(
            [ImageJob(fig, Path(tmp) / f"{code}.png", "png", 1.5) for code, fig in figures.items()]
        )
        session = time.perf_counter() - start
        start = time.perf_counter()
        for code, fig in list(figures.items())[:PER_FIGURE_SAMPLE]:
            fig.write_image(Path(tmp) / f"single_{code}.png", scale=1.5)
        single = (time.perf_counter() - start) / PER_FIGURE_SAMPLE * len(figures)
    print(
        f"{len(figures)} profile cards: one browser session {session:6.1f} s; one write_image per "
        "card "
        f"{single:6.1f} s (extrapolated from {PER_FIGURE_SAMPLE}); ratio {single / session:4.1f}x "
        "(target >= 5x)"
    )


def _brief(pref: str, out: Path, *extra: str) -> float:
    """Seconds of a fresh ``divide brief`` process: what an analyst waits for."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "divide", "brief", "--pref", pref, "--out", str(out), *extra],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def pack_benchmark(pref: str, goal_mb: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _brief(
            pref, Path(tmp) / "warm", "--no-static", "--no-cards"
        )  # file caches warm for both runs
        plain = _brief(pref, Path(tmp) / "plain", "--no-static")
        full = _brief(pref, Path(tmp) / "full")
        folder = next(
            p for p in (Path(tmp) / "full").iterdir() if p.is_dir() and not p.name.startswith(".")
        )
        sizes = {p.name: p.stat().st_size / 1e6 for p in folder.glob("*.pptx")}
        total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6
    print(
        f"{pref} pack (divide brief, fresh process): without static files {plain:5.1f} s, with "
        f"them {full:5.1f} s: "
        f"ratio {full / plain:4.1f}x (goal <= 2.5x); briefing.pptx "
        f"{sizes.get('briefing.pptx', 0):.1f} MB, "
        f"profiles.pptx {sizes.get('profiles.pptx', 0):.1f} MB (goal <= {goal_mb:g} MB); whole "
        f"pack {total:.0f} MB"
    )


def html_benchmark() -> None:
    frame = divide.load_frame(None)
    estimate = divide.estimate_offline(frame, draws=100, validate=False)
    figure = choropleth(
        frame.municipalities,
        estimate.municipalities["offline_share"],
        MapText("Japan", ["credit"]),
        classes=Classes(unit="share"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        sizes = write_html(figure, Path(tmp) / "japan.html")
    naive = len(
        json.dumps(
            json.loads(frame.municipalities[["geometry"]].to_json()), separators=(",", ":")
        ).encode()
    )
    without = sizes["figure"] + sizes["topology"]
    print(
        f"all-Japan map: {without / 1e6:5.2f} MB without plotly.js (figure "
        f"{sizes['figure'] / 1e6:.2f} MB + "
        f"shared-border topology {sizes['topology'] / 1e6:.2f} MB; target <= 1.5 MB); naive "
        "GeoJSON of the same "
        f"boundaries {naive / 1e6:5.2f} MB; total file {sizes['total'] / 1e6:5.2f} MB with the "
        f"{sizes['bundle']} "
        f"({sizes['plotlyjs'] / 1e6:.2f} MB)"
    )


if __name__ == "__main__":
    pack_benchmark("07", 8)
    if "--hokkaido" in sys.argv:
        pack_benchmark("01", 25)
    html_benchmark()
    cards_benchmark()
