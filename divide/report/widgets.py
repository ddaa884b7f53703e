"""A small interactive control for notebooks: pillar-weight sliders that re-run the index."""

from __future__ import annotations

from divide.estimate.offline import OfflineEstimate
from divide.index.engine import build_index
from divide.index.spec import IndexSpec
from divide.report.plots import rank_shift
from divide.validation import check_lang


def weight_sliders(
    geo: object, spec: IndexSpec, estimate: OfflineEstimate, *, lang: str = "ja", top: int = 10
):
    """Sliders for the pillar weights; moving one rebuilds the index and shows the new top ranks.

    Parameters
    ----------
    geo : Geography
        The municipalities and their indicators.
    spec : IndexSpec
        The spec whose pillar weights the sliders start from.
    estimate : OfflineEstimate
        The estimate behind the estimate-based indicators.
    lang : {"ja", "en"}
        Labels' language.
    top : int
        Ranks shown.

    Examples
    --------
    >>> import contextlib, io, divide
    >>> frame = divide.load_frame("31")
    >>> estimate = divide.estimate_offline(frame, draws=100, validate=False)
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside a notebook the table is printed
    ...     box = divide.weight_sliders(divide.add_geography(frame), divide.IndexSpec.load(), estimate)
    >>> len(box.children)  # three pillar sliders and the output
    4
    """
    check_lang(lang, "weight_sliders")
    import ipywidgets as widgets
    from IPython.display import display

    baseline = build_index(geo, spec, estimate=estimate).scores["rank"]
    sliders = {
        p.id: widgets.FloatSlider(
            value=p.weight, min=0, max=3, step=0.25, description=p.label(lang)
        )
        for p in spec.pillars
    }
    output = widgets.Output()

    def rerun(_: object = None) -> None:
        weights = {key: slider.value for key, slider in sliders.items()}
        if sum(weights.values()) <= 0:
            return
        changed = build_index(geo, spec.reweighted(weights), estimate=estimate).scores
        with output:
            output.clear_output()
            label = "平均順位変動" if lang == "ja" else "mean rank shift"
            print(f"{label}: {rank_shift(changed['rank'], baseline):.2f}")
            names = (
                geo.municipalities[["name_ja"]]
                if hasattr(geo, "municipalities")
                else geo[["name_ja"]]
            )
            display(changed.join(names).sort_values("rank").head(top))

    for slider in sliders.values():
        slider.observe(rerun, names="value")
    rerun()
    return widgets.VBox([*sliders.values(), output])
