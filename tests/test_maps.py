"""Maps that read at slide size: classes chosen for the data, insets for remote islands, names
without overlaps.
"""

from __future__ import annotations

import itertools

import mapclassify
import numpy as np
import pandas as pd
import pytest

import divide
from divide.report.briefing import briefing_figures
from divide.report.classify import OKABE_ITO, choose_classes, classify
from divide.report.mapview import SLIDE, map_view


@pytest.fixture(scope="module")
def tokyo():
    return divide.load_frame("13").municipalities


@pytest.fixture(scope="module")
def fukushima_analysis(analysed):
    return analysed("07")


def test_classify_is_mapclassify(tokyo):
    values = tokyo["density"]
    for scheme, name in (
        ("quantiles", "Quantiles"),
        ("fisher_jenks", "FisherJenks"),
        ("equal_interval", "EqualInterval"),
    ):
        classes, bins = classify(values, scheme, k=5)
        direct = getattr(mapclassify, name)(values.to_numpy(), k=5)
        assert classes.tolist() == direct.yb.tolist() and bins == pytest.approx(
            direct.bins.tolist()
        )


def test_one_signed_values_get_a_sequential_scale_darkest_furthest_from_zero():
    declines = pd.Series(np.linspace(-0.54, -0.27, 20))
    chosen = choose_classes(declines, colours="PuOr", centre=True)
    assert chosen.method == "quantiles" and len(chosen.bins) == 5
    darkest = chosen.colours[int(chosen.classes.iloc[0])]  # the largest decline
    lightest = chosen.colours[int(chosen.classes.iloc[-1])]
    luminance = [int(c[1:3], 16) + int(c[3:5], 16) + int(c[5:7], 16) for c in (darkest, lightest)]
    assert luminance[0] < luminance[1]


def test_values_on_both_sides_of_zero_diverge_at_zero():
    values = pd.Series([-0.3, -0.1, -0.05, 0.02, 0.1, 0.2, 0.4, 0.5])
    chosen = choose_classes(values, colours="RdBu", centre=True)
    assert chosen.method == "diverging" and 0.0 in chosen.bins
    negative = {chosen.colours[c] for c in chosen.classes[values < 0]}
    positive = {chosen.colours[c] for c in chosen.classes[values > 0]}
    assert not negative & positive


def test_fukushima_change_map_has_at_least_four_classes(fukushima_analysis):
    change = next(f for f in briefing_figures(fukushima_analysis) if f.name == "change").figure
    classes = {
        t.name for t in change.data if t.meta and "code" in t.meta and t.name != "データなし"
    }
    assert len(classes) >= 4


def test_tokyo_main_area_fills_the_map_and_islands_are_insets(tokyo):
    view = map_view(tokyo, SLIDE)
    main = view.views[0]
    assert len(main.codes) == 53 and "13101" in main.codes and "13421" not in main.codes
    margin = SLIDE.margins(0)
    plot_area = (SLIDE.width - margin["l"] - margin["r"]) * (
        SLIDE.height - margin["t"] - margin["b"]
    )
    assert main.box[2] * main.box[3] > 0.6 * plot_area
    x0, y0, x1, y1 = view.geometry.reindex(list(main.codes)).total_bounds
    drawn = (
        (x1 - x0)
        / (main.x_range[1] - main.x_range[0])
        * (y1 - y0)
        / (main.y_range[1] - main.y_range[0])
    )
    assert drawn > 0.45  # the 23 wards and Tama take most of their panel, not a smudge
    islands = {code for panel in view.views[1:] for code in panel.codes}
    assert {
        "13361",
        "13401",
        "13421",
    } <= islands and "13421" in view.trimmed  # 沖ノ鳥島, 南鳥島 left out


def _boxes(figure) -> list[tuple[str, tuple[float, ...]]]:
    return [
        (trace.xaxis or "x", tuple(box))
        for trace in figure.data
        if trace.meta and "labels" in trace.meta
        for box in trace.meta["labels"]
    ]


# Hokkaido's maps also draw the Northern Territories (as no data), so the main island is drawn a
# little smaller.
@pytest.mark.parametrize(
    ("pref", "name", "share"),
    [
        ("01", "offline_share", 0.43),
        ("01", "forms", 0.38),
        ("07", "forms", 0.7),
        ("13", "offline_share", 0.7),
        ("13", "forms", 0.5),
    ],
)
def test_place_names_do_not_overlap_and_stay_in_their_panel(analysed, pref, name, share):
    analysis = analysed(pref)
    figure = next(f for f in briefing_figures(analysis) if f.name == name).on(SLIDE)
    boxes = _boxes(figure)
    assert len(boxes) >= share * len(analysis.frame.municipalities)
    for (axis_a, a), (axis_b, b) in itertools.combinations(boxes, 2):
        overlap = a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
        assert not overlap, (axis_a, a, axis_b, b)
    panels = figure.layout.meta["divide"]["panels"]
    for axis, box in boxes:
        left, bottom, width, height = panels[axis]
        assert (
            left <= box[0]
            and box[2] <= left + width
            and bottom <= box[1]
            and box[3] <= bottom + height
        )


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_site_markers_contrast_with_every_form_colour(fukushima_analysis):
    """Luminance contrast survives deuteranopia and protanopia (they lose hue, not lightness)."""
    forms = next(f for f in briefing_figures(fukushima_analysis) if f.name == "forms").figure
    sites = next(t for t in forms.data if t.mode == "markers" and t.marker.symbol == "star")
    fill, outline = sites.marker.color, sites.marker.line.color
    for colour in OKABE_ITO[:4]:
        ratios = [
            (max(_luminance(c), _luminance(colour)) + 0.05)
            / (min(_luminance(c), _luminance(colour)) + 0.05)
            for c in (fill, outline)
        ]
        assert max(ratios) >= 3.0, colour


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_hokkaido_maps_draw_the_northern_territories_as_no_data_and_say_why(analysed, lang):
    from divide.report.maps import NO_DATA

    hokkaido = next(
        f for f in briefing_figures(analysed("01"), lang=lang) if f.name == "offline_share"
    )
    figure = hokkaido.on(SLIDE)
    drawn = " ".join(str(t.text) for t in figure.data if t.name == NO_DATA[lang])
    villages = {
        "ja": ("色丹村（色丹島）", "紗那村（択捉島）"),
        "en": ("Shikotan Village", "Shana Village (Etorofu)"),
    }[lang]
    assert all(v in drawn for v in villages)
    note = " ".join(figure.layout.meta["divide"]["notes"])  # the slide's note line, not a credit
    assert all(v in note for v in villages) and ("歯舞" in note or "Habomai" in note)
    assert not any(v in " ".join(hokkaido.credits) for v in villages)
    fukushima = next(
        f for f in briefing_figures(analysed("07"), lang=lang) if f.name == "offline_share"
    )
    assert not any(
        v in " ".join(fukushima.on(SLIDE).layout.meta["divide"]["notes"]) for v in villages
    )
