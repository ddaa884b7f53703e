"""PNG / SVG / PDF through kaleido, with ONE browser session for a whole batch of figures.

Starting Chromium costs most of a single export (about 2-3 s here); a briefing pack has dozens of
images, so they are rendered together. MathJax is disabled (kaleido would otherwise fetch it from a
CDN). Japanese glyphs need a CJK font in the system (Debian: fonts-noto-cjk). When no browser can be
started, :func:`static_status` says why, and the pack is written without static images.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go


@dataclass
class ImageJob:
    figure: go.Figure
    path: Path
    format: str = "png"
    scale: float = 2.0


def _kopts() -> dict:
    return {"mathjax": False}


@lru_cache(maxsize=1)
def static_status() -> tuple[bool, str]:
    """(available, reason). Tries a one-pixel render once per process."""
    try:
        import kaleido
    except ImportError:
        return False, "kaleido is not installed"
    browser = shutil.which("chromium") or shutil.which("google-chrome") or shutil.which("chrome")
    try:
        kaleido.calc_fig_sync(go.Figure().to_dict(), opts={"format": "png", "width": 10, "height": 10},
                              kopts=_kopts())
    except Exception as exc:
        hint = ("install Chromium and a CJK font (Debian: apt-get install chromium fonts-noto-cjk) or run "
                "plotly_get_chrome")
        return False, f"static export unavailable ({type(exc).__name__}: {exc}); {hint}"
    return True, f"kaleido with {browser or 'a Chrome found by kaleido'}"


def render(jobs: list[ImageJob]) -> list[Path]:
    """Render every job in one browser session; returns the paths written."""
    import kaleido

    specs = []
    for job in jobs:
        job.path.parent.mkdir(parents=True, exist_ok=True)
        layout = job.figure.layout
        specs.append({"fig": job.figure.to_dict(), "path": job.path,
                      "opts": {"format": job.format, "width": layout.width or 1100, "height": layout.height or 900,
                               "scale": job.scale}})
    kaleido.write_fig_from_object_sync(specs, kopts=_kopts())
    return [job.path for job in jobs]
