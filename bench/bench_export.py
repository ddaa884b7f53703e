"""Benchmark: static export through one browser session, and the size of the all-Japan HTML map.

1. The 59 Fukushima profile cards as PNG: all through ONE kaleido browser session (divide's way) vs one
   ``fig.write_image`` per card (a browser started for each), on the first N cards of the same run.
2. The all-Japan offline-share map: HTML parts without plotly.js (figure + shared-border topology) beside
   a naive embed of the same boundaries as GeoJSON, and the total with the embedded bundle.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import divide
from divide.analysis import analyse
from divide.report.cards import profile_card
from divide.report.html import write_html
from divide.report.maps import choropleth
from divide.report.pack import CARD_INDICATORS, _card_facts
from divide.report.static import ImageJob, render

PER_FIGURE_SAMPLE = 8  # starting a browser 59 times takes minutes; the per-card cost is measured on 8


def cards_benchmark() -> None:
    analysis = analyse("07", draws=300)
    facts = _card_facts(analysis)
    table = analysis.frame.municipalities
    figures = {code: profile_card(code, table, facts, CARD_INDICATORS["ja"]) for code in table.index}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        render([ImageJob(fig, Path(tmp) / f"{code}.png", "png", 1.5) for code, fig in figures.items()])
        session = time.perf_counter() - start
        start = time.perf_counter()
        for code, fig in list(figures.items())[:PER_FIGURE_SAMPLE]:
            fig.write_image(Path(tmp) / f"single_{code}.png", scale=1.5)
        single = (time.perf_counter() - start) / PER_FIGURE_SAMPLE * len(figures)
    print(f"{len(figures)} profile cards: one browser session {session:6.1f} s; one write_image per card "
          f"{single:6.1f} s (extrapolated from {PER_FIGURE_SAMPLE}); ratio {single / session:4.1f}x (target >= 5x)")


def html_benchmark() -> None:
    frame = divide.load_frame(None)
    estimate = divide.estimate_offline(frame, draws=50, validate=False)
    figure = choropleth(frame.municipalities, estimate.municipalities["offline_share"], title="Japan",
                        credits=["credit"], unit="share")
    with tempfile.TemporaryDirectory() as tmp:
        sizes = write_html(figure, Path(tmp) / "japan.html")
    naive = len(json.dumps(json.loads(frame.municipalities[["geometry"]].to_json()), separators=(",", ":")).encode())
    without = sizes["figure"] + sizes["topology"]
    print(f"all-Japan map: {without / 1e6:5.2f} MB without plotly.js (figure {sizes['figure'] / 1e6:.2f} MB + "
          f"shared-border topology {sizes['topology'] / 1e6:.2f} MB; target <= 1.5 MB); naive GeoJSON of the same "
          f"boundaries {naive / 1e6:5.2f} MB; total file {sizes['total'] / 1e6:5.2f} MB with the {sizes['bundle']} "
          f"({sizes['plotlyjs'] / 1e6:.2f} MB)")


if __name__ == "__main__":
    html_benchmark()
    cards_benchmark()
