"""Static export: reusing a browser tab for many figures draws exactly what a fresh tab draws."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from divide.report.static import ImageJob, render, static_status

pytestmark = pytest.mark.skipif(not static_status()[0], reason="static export needs a browser")


def _figures() -> list[go.Figure]:
    rng = np.random.default_rng(0)
    figures = []
    for i in range(6):  # different kinds, so that a leftover of one figure would show in the next
        figure = go.Figure(
            go.Scatter(x=rng.random(30), y=rng.random(30), mode="markers+text", text=["福島"] * 30)
            if i % 2
            else go.Bar(x=["a", "b", "c"], y=rng.random(3))
        )
        figure.update_layout(title=f"図 {i}", width=400, height=300)
        figures.append(figure)
    return figures


def test_a_reused_tab_draws_what_a_reloaded_tab_draws(tmp_path):
    figures = _figures()
    reused = render(
        [ImageJob(f, tmp_path / f"reused_{i}.png") for i, f in enumerate(figures)], reuse_tabs=True
    )
    fresh = render(
        [ImageJob(f, tmp_path / f"fresh_{i}.png") for i, f in enumerate(figures)], reuse_tabs=False
    )
    for a, b in zip(reused, fresh, strict=True):
        with Image.open(a) as left, Image.open(b) as right:
            assert np.array_equal(
                np.asarray(left.convert("RGB")), np.asarray(right.convert("RGB"))
            ), a.name
