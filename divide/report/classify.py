"""Classed colour scales chosen for the data, that read in print and for colour-blind readers.

Classes come from ``mapclassify.classify`` (quantiles, Fisher-Jenks, equal interval, or given
breaks). The scale follows the data: values of one sign get a *sequential* scale (darker = further
from zero, so a map of declines is dark where the decline is largest); a *diverging* scale is used
only where zero means something (a gap to the national share, a change) and the values lie on both
sides of it; then each side is classed on its own and coloured from its own half of the scale.
Palettes are ColorBrewer schemes marked colour-blind safe (sequential YlOrRd, YlGnBu, Purples;
diverging RdBu, PuOr) and the Okabe-Ito qualitative palette for categories.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

from divide.report.words import CLASSING

NO_DATA_COLOUR = "#d9d9d9"
SEQUENTIAL = {
    "YlOrRd": ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026", "#800026"],
    "YlGnBu": ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    "Purples": ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#756bb1", "#54278f"],
    "Blues": ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
}
DIVERGING = {  # negative side first (dark to light), neutral, positive side (light to dark)
    "RdBu": ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"],
    "PuOr": ["#542788", "#998ec3", "#d8daeb", "#f7f7f7", "#fee0b6", "#f1a340", "#b35806"],
}
# Which sequential scale continues each side of a diverging one when the values have one sign only.
SIDES = {"RdBu": ("Blues", "YlOrRd"), "PuOr": ("Purples", "YlOrRd")}
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
SCHEMES = {
    "quantiles": "quantiles",
    "fisher_jenks": "fisherjenks",
    "equal_interval": "equalinterval",
    "user": "userdefined",
}


def _sample(colours: list[str], k: int) -> list[str]:
    positions = np.linspace(0, len(colours) - 1, k).round().astype(int)
    return [colours[p] for p in positions]


def palette(k: int, name: str = "YlOrRd") -> list[str]:
    """``k`` colours of a named scale, light to dark (sequential) or negative to positive
    (diverging).
    """
    if name in SEQUENTIAL:
        return _sample(SEQUENTIAL[name][1:] if k <= 5 else SEQUENTIAL[name], k)
    if name in DIVERGING:
        return _sample(DIVERGING[name], k)
    if name == "okabe_ito":
        return OKABE_ITO[:k]
    raise ValueError(
        f"unknown palette {name!r}; one of {', '.join([*SEQUENTIAL, *DIVERGING, 'okabe_ito'])}"
    )


def classify(
    values: pd.Series, scheme: str = "quantiles", k: int = 5, breaks: Sequence[float] | None = None
) -> tuple[pd.Series, list[float]]:
    """Class of each value (0 … k-1; -1 for missing) and the upper bounds of the classes
    (mapclassify).

    Examples
    --------
    >>> import pandas as pd
    >>> classes, bins = classify(pd.Series([1.0, 2.0, 3.0, 4.0, None]), "quantiles", k=2)
    >>> classes.tolist(), bins
    ([0, 0, 1, 1, -1], [2.5, 4.0])
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown classification {scheme!r}; one of {', '.join(SCHEMES)}")
    present = values.dropna().astype(float)
    options: dict = {}
    if scheme == "user" or breaks is not None:
        if breaks is None:
            raise ValueError("scheme 'user' needs breaks")
        scheme, bins = "user", sorted(float(b) for b in breaks)
        options["bins"] = bins if bins[-1] >= present.max() else [*bins, float(present.max())]
    else:
        options["k"] = k if scheme == "equal_interval" else min(k, max(present.nunique(), 1))
    result = mapclassify.classify(present.to_numpy(), SCHEMES[scheme], **options)
    classes = pd.Series(-1, index=values.index, dtype="int64")
    classes.loc[present.index] = result.yb
    return classes, [float(b) for b in result.bins]


@dataclass(frozen=True)
class Classing:
    """Classes of a mapped value with their colours, legend labels and how they were made."""

    classes: pd.Series  # class per municipality, -1 where missing
    bins: list[float]  # upper bound of each class
    colours: list[str]  # one per class
    minimum: float
    method: str  # a key of the "classing" words (divide.report.words)

    def labels(self, fmt: Callable[[float], str]) -> list[str]:
        return class_labels(self.bins, self.minimum, fmt)

    def describe(self, lang: str) -> str:
        return CLASSING[lang][self.method].format(k=len(self.bins))


def _one_side(values: pd.Series, k: int) -> list[float]:
    """Quantile upper bounds of one side of zero (at most ``k`` classes)."""
    if values.empty:
        return []
    return classify(values, "quantiles", k)[1]


def _diverging_bins(present: pd.Series, k: int) -> list[float]:
    """Upper bounds of classes on each side of zero, each side classed by its own quantiles."""
    negative, positive = present[present < 0], present[present >= 0]
    k_neg = int(np.clip(round(k * len(negative) / len(present)), 1, 3))
    k_pos = int(np.clip(k - k_neg, 1, 3))
    return sorted({*_one_side(negative, k_neg)[:-1], 0.0, *_one_side(positive, k_pos)})


def _colours(bins: list[float], colours: str, diverging: bool, below_zero: bool) -> list[str]:
    """Class colours: negative classes from the cold half, positive from the warm half, or one
    sequential scale.
    """
    if diverging:
        n_neg = sum(b <= 0 for b in bins)
        scale = DIVERGING[colours]
        return [*scale[3 - n_neg : 3], *scale[4 : 4 + len(bins) - n_neg]]
    low, high = SIDES.get(colours, (colours, colours))
    if below_zero:  # all below zero: darkest for the furthest below
        return palette(len(bins), low if low in SEQUENTIAL else "YlOrRd")[::-1]
    return palette(len(bins), high if high in SEQUENTIAL else "YlOrRd")


def choose_classes(
    values: pd.Series,
    *,
    colours: str = "YlOrRd",
    centre: bool = False,
    k: int = 5,
    scheme: str = "quantiles",
    breaks: Sequence[float] | None = None,
    lowest: float | None = None,
) -> Classing:
    """Classes for a map of ``values``: sequential for one sign, diverging around 0 only if
    ``centre`` and both signs.

    ``colours`` names a sequential scale, or a diverging one (RdBu, PuOr) for values where zero
    means something; a diverging name with values of one sign continues that side's colours
    sequentially. ``breaks`` (upper bounds) and ``lowest`` (the first class's lower bound; default
    this map's smallest value) class several maps alike, so that their colours and legends compare.

    Examples
    --------
    >>> import pandas as pd
    >>> declines = pd.Series([-0.54, -0.50, -0.45, -0.40, -0.35, -0.30, -0.27])
    >>> chosen = choose_classes(declines, colours="PuOr", centre=True)
    >>> len(chosen.bins), chosen.method, chosen.colours[int(chosen.classes.iloc[0])] == chosen.colours[0]
    (5, 'quantiles', True)
    """
    present = values.dropna().astype(float)
    both_sides = centre and colours in DIVERGING and present.min() < 0 < present.max()
    if breaks is None and both_sides:
        breaks = _diverging_bins(present, k)
        method = "diverging"
    elif breaks is None:
        method = scheme
    else:  # breaks with a lower bound are another map's classes, shared so that colours compare
        method = "user" if lowest is None else "shared"
    classes, bins = classify(values, "user" if breaks is not None else scheme, k, breaks)
    diverging = (
        centre
        and colours in DIVERGING
        and min(bins) <= 0 < max(bins)
        and (breaks is not None)
        and any(b <= 0 for b in bins[:-1])
    )
    below = bool(centre and present.max() <= 0)
    return Classing(
        classes,
        bins,
        _colours(bins, colours, diverging, below),
        float(present.min()) if lowest is None else float(min(lowest, present.min())),
        method,
    )


def class_labels(bins: list[float], minimum: float, fmt: Callable[[float], str]) -> list[str]:
    """ "a – b" for the first class, "> a – b" after it (classes hold their upper bound, not their
    lower).
    """
    lows = [minimum, *bins[:-1]]
    return [
        f"{'' if i == 0 else '> '}{fmt(lo)} – {fmt(hi)}"
        for i, (lo, hi) in enumerate(zip(lows, bins, strict=True))
    ]


def formatter(unit: str) -> Callable[[float], str]:
    """Number format for legends and hover: shares as percent, counts with separators."""
    if unit in ("share", "fraction"):
        return lambda v: f"{100 * v:.1f}%"
    if unit == "share_pt":  # points of a share; the legend title says so, in the reader's language
        return lambda v: f"{100 * v:+.1f}"
    if unit == "count":
        return lambda v: f"{v:,.0f}"
    if unit == "km":
        return lambda v: f"{v:.1f} km"
    if unit == "%":
        return lambda v: f"{v:.1f}%"
    return lambda v: f"{v:,.0f}" if abs(v) >= 100 else (f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}")
