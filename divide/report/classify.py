"""Classed colour scales that read in print and for colour-blind readers.

Classes come from mapclassify (quantiles, Fisher-Jenks, equal interval, or the analyst's own breaks).
Palettes are ColorBrewer schemes marked colour-blind safe (sequential YlOrRd and YlGnBu, diverging RdBu
and PuOr) and the Okabe-Ito qualitative palette for categories.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mapclassify
import numpy as np
import pandas as pd

NO_DATA_COLOUR = "#d9d9d9"
SEQUENTIAL = {
    "YlOrRd": ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026", "#800026"],
    "YlGnBu": ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
}
DIVERGING = {
    "RdBu": ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"],
    "PuOr": ["#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806"],
}
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
SCHEMES = ("quantiles", "fisher_jenks", "equal_interval", "user")


def _sample(colours: list[str], k: int) -> list[str]:
    positions = np.linspace(0, len(colours) - 1, k).round().astype(int)
    return [colours[p] for p in positions]


def palette(k: int, name: str = "YlOrRd") -> list[str]:
    if name in SEQUENTIAL:
        return _sample(SEQUENTIAL[name], k)
    if name in DIVERGING:
        return _sample(DIVERGING[name], k)
    if name == "okabe_ito":
        return OKABE_ITO[:k]
    raise ValueError(f"unknown palette {name!r}; one of {', '.join([*SEQUENTIAL, *DIVERGING, 'okabe_ito'])}")


def classify(values: pd.Series, scheme: str = "quantiles", k: int = 5,
             breaks: Sequence[float] | None = None) -> tuple[pd.Series, list[float]]:
    """Class of each value (0 … k-1; -1 for missing) and the upper bounds of the classes."""
    present = values.dropna().astype(float)
    if scheme == "user" or breaks is not None:
        if breaks is None:
            raise ValueError("scheme 'user' needs breaks")
        bins = sorted(float(b) for b in breaks)
        if bins[-1] < present.max():
            bins.append(float(present.max()))
        result = mapclassify.UserDefined(present.to_numpy(), bins=bins)
    elif scheme == "quantiles":
        result = mapclassify.Quantiles(present.to_numpy(), k=min(k, max(present.nunique(), 1)))
    elif scheme == "fisher_jenks":
        result = mapclassify.FisherJenks(present.to_numpy(), k=min(k, max(present.nunique(), 1)))
    elif scheme == "equal_interval":
        result = mapclassify.EqualInterval(present.to_numpy(), k=k)
    else:
        raise ValueError(f"unknown classification {scheme!r}; one of {', '.join(SCHEMES)}")
    classes = pd.Series(-1, index=values.index, dtype="int64")
    classes.loc[present.index] = result.yb
    return classes, [float(b) for b in result.bins]


def class_labels(bins: list[float], minimum: float, fmt: Callable[[float], str]) -> list[str]:
    lows = [minimum, *bins[:-1]]
    return [f"{fmt(lo)} – {fmt(hi)}" for lo, hi in zip(lows, bins, strict=True)]


def formatter(unit: str) -> Callable[[float], str]:
    """Number format for legends and hover: shares as percent, counts with separators."""
    if unit in ("share", "fraction"):
        return lambda v: f"{100 * v:.1f}%"
    if unit == "share_pt":
        return lambda v: f"{100 * v:+.1f} pt"
    if unit == "count":
        return lambda v: f"{v:,.0f}"
    if unit == "km":
        return lambda v: f"{v:.1f} km"
    if unit == "%":
        return lambda v: f"{v:.1f}%"
    return lambda v: f"{v:,.0f}" if abs(v) >= 100 else (f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}")


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (relative luminance)."""
    red, green, blue = (int(fill.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#ffffff" if luminance < 0.45 else "#1a1a1a"
