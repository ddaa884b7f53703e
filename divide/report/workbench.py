"""The notebooks' workbench: what a notebook shows, formatted and worded in the chosen language.

A notebook cell does no arithmetic and writes no sentence: its tables pass through the pack's own
disclosure control and localisation (:func:`table_view`, :func:`analysis_table`), so a figure in a
notebook is the figure of the pack; its conclusions are computed from the results
(:func:`conclusions`); its figures fit the cell (:func:`fit`); its notes are the chosen prefecture's,
in the chosen language (:func:`notes_view`).
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from divide.analysis import Analysis
from divide.errors import DivideParameterError
from divide.estimate.offline import OfflineEstimate
from divide.frame.columns import COLUMNS
from divide.frame.load import Frame
from divide.index.engine import IndexResult
from divide.index.spec import IndexSpec
from divide.notes import for_area
from divide.provenance import credit_lines
from divide.report.classify import choose_classes
from divide.report.council import summary_figures, summary_groups
from divide.report.describe import describe
from divide.report.disclosure import held, held_bands, suppress
from divide.report.index_audit import audit_lines, treatment_lines
from divide.report.maps import Classes, MapText, choropleth, names
from divide.report.numbers import Headline, headline, people
from divide.report.pack import PackReport
from divide.report.pack_tables import (
    Sheet,
    join_report_table,
    localise,
    raw_tables,
    sources_table,
)
from divide.report.tables import write_xlsx
from divide.report.words import age_band_text, area_word, note_text, word
from divide.validation import check_lang

_FORMATS: dict[str, Callable[[float], str]] = {
    "persons": "{:,.0f}".format,
    "count": "{:,.0f}".format,
    "rank": "{:.0f}".format,
    "year": "{:.0f}".format,
    "fraction": "{:.1%}".format,
    "km": "{:,.1f}".format,
    "points": "{:.2f}".format,
    "score": "{:.1f}".format,
    "percent": "{:.1f}".format,
    "number": "{:,.2f}".format,
}


def _shown(unit: str) -> Callable[[object], str]:
    """A cell as read: numbers by their unit, suppressed cells ("<10", "X") and text as they are."""
    number = _FORMATS.get(unit)

    def show(value: object) -> str:
        if isinstance(value, bool | np.bool_):
            return "✓" if value else ""
        if number is not None and isinstance(value, int | float | np.number):
            return "" if pd.isna(value) else number(float(value))
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)

    return show


@dataclass
class TableView:
    """A table as a notebook shows it: localised headers, formatted numbers, small counts hidden.

    ``.table`` holds the values (suppressed cells as text), ``.to_excel(path)`` writes it as the pack
    writes its sheets (numbers formatted by unit, header frozen).
    """

    sheet: Sheet

    @property
    def table(self) -> pd.DataFrame:
        return self.sheet.table

    def _repr_html_(self) -> str:
        formats = {column: _shown(unit) for column, unit in self.sheet.units.items()}
        styled = self.table.style.format(formats).hide(axis="index")
        return styled.set_caption(html.escape(self.sheet.name)).to_html()

    def to_excel(self, path: str | Path) -> Path:
        """Write the table to a formatted Excel file (one sheet) and return its path."""
        return write_xlsx([(self.sheet.name, self.table, self.sheet.units)], Path(path))

    def __len__(self) -> int:
        return len(self.table)


def table_view(
    table: pd.DataFrame,
    name: str,
    *,
    lang: str = "ja",
    k: int = 10,
    rows: int | None = None,
    hold: set[str] | None = None,
) -> TableView:
    """``table`` as a notebook shows it: counts below ``k`` suppressed, then headers and values in
    ``lang``; ``rows`` keeps the first rows (after suppression, so nothing is recovered from them).

    Parameters
    ----------
    table : DataFrame
        The rows to show (a result table or a selection of it).
    name : str
        The table's name (its sheet name and suppression rules).
    lang : {"ja", "en"}
        Headers and values.
    k : int
        Disclosure threshold.
    rows : int, optional
        Keep the first rows after suppression.
    hold : set of str, optional
        Municipal codes to withhold whole (small counts elsewhere).

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31")
    >>> view = table_view(frame.municipalities[["name_ja", "population"]], "frame", lang="ja")
    >>> list(view.table.columns)
    ['団体コード（5桁、インデックス）', '市区町村名', '人口（2020年国勢調査）']
    """
    check_lang(lang, "table_view")
    safe, _ = suppress(table, name, k=k, hold=hold or set())
    sheet = localise(safe, name, lang)
    if rows is not None:
        sheet = Sheet(sheet.name, sheet.table.head(rows), sheet.units)
    return TableView(sheet)


def analysis_table(
    analysis: Analysis, name: str, *, lang: str = "ja", k: int = 10, rows: int | None = None
) -> TableView:
    """One of the pack's tables (``municipalities``, ``support_plan``, ``services``, ``by_age``,
    ``projection``, ``headline``, ``validation``, ``index``, ``sites_chosen``, ``sites_gain``,
    ``assumptions``, ``join_report``) exactly as the pack writes it, in ``lang``.

    Parameters
    ----------
    analysis : Analysis
        The analysis.
    name : str
        One of the pack's tables.
    lang : {"ja", "en"}
        Headers and values.
    k : int
        Disclosure threshold.
    rows : int, optional
        Keep the first rows.

    Examples
    --------
    >>> import divide
    >>> analysis = divide.analyse("31", draws=100)
    >>> view = divide.analysis_table(analysis, "by_age", lang="en", rows=4)
    >>> list(view.table.columns)[:2]
    ['municipal code (5 digits, the index)', 'age group']
    """
    check_lang(lang, "analysis_table")
    tables = raw_tables(analysis, lang)
    if name not in tables:
        raise DivideParameterError(
            f"analysis_table: parameter 'name' must be one of {', '.join(tables)} (got {name!r})"
        )
    hold = held_bands(analysis, k) if name == "by_age" else held(analysis, k)
    return table_view(tables[name], name, lang=lang, k=k, rows=rows, hold=hold)


def sources_view(result: object, lang: str = "ja") -> TableView:
    """The datasets behind ``result`` (a frame, a stage result or an analysis): who published
    what, as of when, under which terms, and the credit line every output carries.

    Parameters
    ----------
    result : Frame, a stage result or Analysis
        Whose datasets to list.
    lang : {"ja", "en"}
        Titles and credit lines.

    Examples
    --------
    >>> import divide
    >>> view = divide.sources_view(divide.load_frame("31"), "en")
    >>> "publisher" in view.table.columns
    True
    """
    return table_view(sources_table(result.datasets, lang), "sources", lang=lang)


def join_report_view(frame: Frame, lang: str = "ja") -> TableView:
    """Every input row not joined to the municipal table, with its file, line and reason.

    Parameters
    ----------
    frame : Frame
        The municipal frame.
    lang : {"ja", "en"}
        Titles and reasons.

    Examples
    --------
    >>> import divide
    >>> view = divide.join_report_view(divide.load_frame("31"), "en")
    >>> len(view) > 0
    True
    """
    return table_view(join_report_table(frame.join_report, lang), "join_report", lang=lang)


def column_map(frame: Frame, column: str, lang: str = "ja") -> go.Figure:
    """A map of one column of the frame, titled and credited from the column catalogue, at the
    cell's width.

    Parameters
    ----------
    frame : Frame
        The municipal frame.
    column : str
        A column of the frame (``docs/columns.md``).
    lang : {"ja", "en"}
        Title, legend and credits.

    Examples
    --------
    >>> import divide
    >>> divide.column_map(divide.load_frame("31"), "density", "en").layout.title.text
    'population density (2020 / area)'
    """
    check_lang(lang, "column_map")
    entry = COLUMNS.get(column)
    if entry is None or column not in frame.municipalities:
        raise DivideParameterError(f"column_map: parameter 'column': no column {column!r}")
    sources = ["boundaries", *([entry.source] if entry.source != "derived" else [])]
    text = MapText(
        entry.ja if lang == "ja" else entry.en,
        credit_lines(sources, lang=lang),
        lang=lang,
        legend_title=entry.unit,
    )
    return fit(choropleth(frame.municipalities, column, text))


def fit(figure: go.Figure) -> go.Figure:
    """The figure at the width of the notebook cell (its height kept): nothing is clipped when the
    browser window is narrow or the file browser is open.

    Parameters
    ----------
    figure : plotly Figure
        A figure drawn at a fixed width.

    Examples
    --------
    >>> import divide
    >>> figure = divide.column_map(divide.load_frame("31"), "density", "en")
    >>> figure.layout.width is None
    True
    """
    fitted = go.Figure(figure)
    fitted.update_layout(width=None, autosize=True)
    return fitted


class Markdown(str):
    """Text a notebook renders as Markdown (a ``str``, so tests and scripts can read it)."""

    def _repr_markdown_(self) -> str:
        return str(self)


class Html(str):
    """Markup a notebook renders as HTML (a ``str``, so tests can read it)."""

    def _repr_html_(self) -> str:
        return str(self)


def _bullets(lines: list[str]) -> Markdown:
    return Markdown("\n".join(f"- {line}" for line in lines if line))


def notes_view(result: object, lang: str = "ja") -> Markdown:
    """What the stages noticed about this area (and about all of Japan), worded in ``lang``.

    Parameters
    ----------
    result : a stage result, a Frame or an Analysis
        Whose notes to show.
    lang : {"ja", "en"}
        The notes' language.

    Examples
    --------
    >>> import divide
    >>> "福島" in divide.notes_view(divide.load_frame("47"), "ja")
    False
    """
    check_lang(lang, "notes_view")
    origin = getattr(result, "origin", None)
    pref = origin.pref if origin is not None else getattr(result, "pref", None)
    return _bullets([note_text(note, lang) for note in for_area(result.notes, pref)])


def _say(key: str, lang: str, **values: object) -> str:
    return word("workbench", key, lang).format(**values)


def _frame_conclusions(frame: Frame, lang: str) -> list[str]:
    missing = frame.municipalities.isna().all()
    layers = [column for column in ("broadband_coverage_pct",) if missing.get(column, False)]
    lines = [describe(frame, lang=lang).splitlines()[0]]
    if layers:
        lines.append(_say("missing_broadband", lang))
    unmatched = len(frame.join_report)
    lines.append(_say("join_report", lang, rows=unmatched))
    return lines


def _estimate_conclusions(
    estimate: OfflineEstimate, lang: str, total: Headline | None = None
) -> list[str]:
    """``total``: the figure an analysis quotes (the pack's headline), so that a notebook shows
    the same value and interval as the deck; a bare estimate quotes its own draws.
    """
    m = estimate.municipalities
    if total is None:
        low, high = estimate.total_interval()
        total = Headline("offline", float(m["offline_count"].sum()), low, high)
    lines = [
        _say(
            "offline_total",
            lang,
            year=estimate.population_year,
            people=people(total.value, lang),
            low=people(total.low, lang),
            high=people(total.high, lang),
        )
    ]
    for _, row in estimate.published.iterrows():
        inside = row["estimate_lo"] <= row["published_offline_share"] <= row["estimate_hi"]
        lines.append(
            _say(
                "published_inside" if inside else "published_outside",
                lang,
                area=area_word(getattr(estimate.origin, "pref", None), lang),
                year=int(row["year"]),
                published=f"{row['published_offline_share']:.1%}",
                low=f"{row['estimate_lo']:.1%}",
                high=f"{row['estimate_hi']:.1%}",
            )
        )
    extrapolated = int(m["extrapolated"].sum())
    if extrapolated:
        lines.append(_say("extrapolated", lang, n=extrapolated, of=len(m)))
    return lines


def _index_conclusions(index: IndexResult, lang: str, names: pd.Series) -> list[str]:
    top = index.scores.sort_values("rank").head(3).index
    separator = "、" if lang == "ja" else ", "
    lines = [_say("index_top", lang, names=separator.join(names.reindex(top).astype(str)))]
    consistency = index.consistency
    pillars = consistency["node"] != "score"  # the index's own row compares pillars, not indicators
    weak = consistency[pillars & (consistency["cronbach_alpha"] < 0.5)]
    for _, row in weak.iterrows():
        label = index.spec.node_label(row["node"], lang)
        lines.append(_say("weak_pillar", lang, pillar=label, alpha=f"{row['cronbach_alpha']:.2f}"))
    redundant = index.redundancy()
    lines.append(
        _say("redundant", lang, n=len(redundant)) if len(redundant) else _say("no_redundant", lang)
    )
    return lines


def _analysis_conclusions(analysis: Analysis, lang: str) -> list[str]:
    pattern = "{label}：{value}（{note}）" if lang == "ja" else "{label}: {value} ({note})"
    lines = [
        pattern.format(label=label, value=value, note=note)
        for label, value, note in summary_figures(analysis, lang)
    ]
    colon = "：" if lang == "ja" else ": "
    lines += [f"{heading}{colon}{listed}" for heading, listed in summary_groups(analysis, lang)]
    return lines


def _pack_conclusions(report: PackReport, lang: str, k: int) -> list[str]:
    names = {p.name: p for p in report.written}
    first = names.get("briefing.pptx") or names.get("offline_share.html")
    shown = os.path.relpath(first, Path.cwd()) if first else ""  # as the file browser shows it
    lines = [_say("open_first", lang, path=shown)] if first else []
    lines.append(_say("suppressed", lang, n=len(report.suppressed), k=k))
    if report.kept:
        lines.append(_say("kept", lang, n=len(report.kept), files=", ".join(report.kept[:5])))
    return lines


ABOUT = ("summary", "frame", "estimate", "index")


def conclusions(
    result: object, lang: str = "ja", *, about: str = "summary", k: int = 10
) -> Markdown:
    """What a result shows, in a few sentences computed from it (in ``lang``): the numbers to
    quote, the municipalities to name and the caveats that apply here.

    ``result``: a whole analysis (``about`` one of its parts: ``summary``, ``frame``,
    ``estimate``, ``index``), a frame, an offline estimate, or a written pack (``k``: its
    disclosure threshold).

    Parameters
    ----------
    result : Analysis, Frame, OfflineEstimate or PackReport
        What to conclude from.
    lang : {"ja", "en"}
        The sentences' language.
    about : {"summary", "frame", "estimate", "index"}
        The part of an analysis to conclude on.
    k : int
        The pack's disclosure threshold (for a pack).

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31")
    >>> print(divide.conclusions(frame, "en").splitlines()[0])
    - municipal frame: 19 municipalities, Tottori (source: processed)
    """
    check_lang(lang, "conclusions")
    if about not in ABOUT:
        raise DivideParameterError(
            f"conclusions: parameter 'about' must be one of {', '.join(ABOUT)} (got {about!r})"
        )
    if isinstance(result, Analysis):
        if about == "index":  # the index alone does not know the municipalities' names
            place = names(result.frame.municipalities, lang)
            return _bullets(_index_conclusions(result.index, lang, place))
        if about == "summary":
            return _bullets(_analysis_conclusions(result, lang))
        if about == "estimate":
            year = result.estimate.population_year
            quoted = headline(result)[f"offline_{year}"]
            return _bullets(_estimate_conclusions(result.estimate, lang, quoted))
        return conclusions(result.frame, lang)
    if isinstance(result, Frame):
        return _bullets(_frame_conclusions(result, lang))
    if isinstance(result, OfflineEstimate):
        return _bullets(_estimate_conclusions(result, lang))
    if isinstance(result, PackReport):
        return _bullets(_pack_conclusions(result, lang, k))
    raise DivideParameterError(
        "conclusions: parameter 'result' must be an analysis, a frame, an estimate or a pack "
        f"(got {type(result).__name__})"
    )


def _named(table: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """``table`` (with a ``code`` column) with the municipality's names first."""
    place = analysis.frame.municipalities[["name_ja", "name_en"]]
    return place.join(table.set_index("code"), how="inner")


def needs_picker(analysis: Analysis, *, lang: str = "ja", k: int = 10, rows: int = 15) -> object:
    """Pick an online service and an age group: the municipalities where that service's users are
    offline, and where that age group is, redraw (the pack's figures, suppressed as in the pack).

    Parameters
    ----------
    analysis : Analysis
        The analysis.
    lang : {"ja", "en"}
        Labels and tables.
    k : int
        Disclosure threshold.
    rows : int
        Rows shown per table.

    Examples
    --------
    >>> import contextlib, io, divide
    >>> analysis = divide.analyse("31", draws=100)
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside a notebook the tables are printed
    ...     picker = divide.needs_picker(analysis, lang="en")
    >>> len(picker.children)  # the two pickers, and the tables
    2
    """
    check_lang(lang, "needs_picker")
    import ipywidgets as widgets
    from IPython.display import display

    services = analysis.services.catalogue.services
    service = widgets.Dropdown(
        options=[(getattr(item.labels, lang), item.id) for item in services],
        description=_say("pick_service", lang),
        style={"description_width": "initial"},
    )
    bands = list(dict.fromkeys(analysis.estimate.by_age["age_band"]))
    band = widgets.Dropdown(
        options=[(age_band_text(item, lang), item) for item in bands],
        value=bands[-1],
        description=_say("pick_band", lang),
        style={"description_width": "initial"},
    )
    output = widgets.Output()
    needs, by_age = analysis.services.table, analysis.estimate.by_age

    def redraw(_: object = None) -> None:
        chosen = needs[needs["service"] == service.value]
        users = _named(chosen.sort_values("offline_users_online", ascending=False), analysis)
        group = by_age[by_age["age_band"] == band.value].sort_values(
            "offline_count", ascending=False
        )
        with output:
            output.clear_output(wait=True)
            hold = held(analysis, k)
            display(table_view(users, "services", lang=lang, k=k, rows=rows, hold=hold))
            display(
                table_view(
                    _named(group, analysis),
                    "by_age",
                    lang=lang,
                    k=k,
                    rows=rows,
                    hold=held_bands(analysis, k),
                )
            )

    service.observe(redraw, names="value")
    band.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([service, band]), output])


class Figures(Mapping[str, go.Figure]):
    """The briefing's figures by name (``offline_share``, ``forms``, ``projection`` …), each drawn
    on first use and fitted to the cell: a notebook shows the pack's own figures.
    """

    def __init__(self, analysis: Analysis, lang: str = "ja", k: int = 10) -> None:
        from divide.report.briefing import briefing_figures

        self._items = {item.name: item for item in briefing_figures(analysis, lang=lang, k=k)}

    def __getitem__(self, name: str) -> go.Figure:
        if name not in self._items:
            raise DivideParameterError(
                f"figures: no figure {name!r}; there are {', '.join(self._items)}"
            )
        return fit(self._items[name].figure)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


def spec_view(spec: IndexSpec, lang: str = "ja") -> TableView:
    """The index spec as a table: pillar, indicator, column, direction, unit, source, weight.

    Parameters
    ----------
    spec : IndexSpec
        The index spec.
    lang : {"ja", "en"}
        Labels' language.

    Examples
    --------
    >>> import divide
    >>> view = divide.spec_view(divide.IndexSpec.load(), "ja")
    >>> list(view.table.columns)[:2]
    ['柱', '指標']
    """
    return table_view(pd.DataFrame(spec.table(lang)), "index_spec", lang=lang)


def audit_view(index: IndexResult, lang: str = "ja") -> Markdown:
    """What outlier treatment did, and the JRC audit (consistency and weights), in ``lang``.

    Parameters
    ----------
    index : IndexResult
        The built index.
    lang : {"ja", "en"}
        The lines' language.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31")
    >>> estimate = divide.estimate_offline(frame, draws=100, validate=False)
    >>> index = divide.build_index(divide.add_geography(frame), estimate=estimate)
    >>> "Cronbach" in divide.audit_view(index, "en")
    True
    """
    check_lang(lang, "audit_view")
    return _bullets([*treatment_lines(index, lang), *audit_lines(index, lang)])


@dataclass
class Comparison:
    """Areas side by side: their headline figures in one table and their maps on one scale."""

    table: TableView
    maps: list[go.Figure]

    def _repr_html_(self) -> str:
        return self.table._repr_html_()


def compare(areas: Sequence[str | int | None], *, lang: str = "ja", seed: int = 0) -> Comparison:
    """Two prefectures, or a prefecture and Japan (``None``), on the same scales: residents aged
    15+, offline residents with their 90 % interval and the offline share, and maps of the share
    classed with the same breaks so that one colour means one range in both.

    Parameters
    ----------
    areas : sequence of str, int or None
        Prefectures (code, name, romaji); None for Japan.
    lang : {"ja", "en"}
        Table and maps.
    seed : int
        Seed of the estimates.

    Examples
    --------
    >>> import divide
    >>> comparison = divide.compare(["31", "32"], lang="en")
    >>> comparison.table.table.iloc[:, 0].tolist(), len(comparison.maps)
    (['Tottori', 'Shimane'], 2)
    """
    check_lang(lang, "compare")
    from divide.estimate.offline import estimate_offline
    from divide.frame.load import load_frame

    frames = [load_frame(area) for area in areas]
    estimates = [estimate_offline(frame, seed=seed, validate=False) for frame in frames]
    rows = []
    for frame, estimate in zip(frames, estimates, strict=True):
        m = estimate.municipalities
        low, high = estimate.total_interval()
        residents = float(m["residents_15plus"].sum())
        rows.append(
            {
                "area": frame.area_name[lang],
                "municipalities": len(m),
                "residents_15plus": residents,
                "offline_count": float(m["offline_count"].sum()),
                "offline_count_lo": float(low),
                "offline_count_hi": float(high),
                "offline_share": float(m["offline_count"].sum()) / residents,
            }
        )
    shared = choose_classes(
        pd.concat([e.municipalities["offline_share"] for e in estimates], ignore_index=True)
    )
    one_scale = Classes(unit="share", breaks=shared.bins, lowest=shared.minimum)
    maps = [
        fit(
            choropleth(
                frame.municipalities,
                estimate.municipalities["offline_share"],
                MapText(
                    _say("compare_title", lang, area=frame.area_name[lang]),
                    credit_lines([frame.datasets["boundaries"], *estimate.datasets.values()], lang),
                    lang=lang,
                    legend_title=_say("compare_legend", lang),
                ),
                classes=one_scale,
            )
        )
        for frame, estimate in zip(frames, estimates, strict=True)
    ]
    return Comparison(table_view(pd.DataFrame(rows), "comparison", lang=lang), maps)


def pack_preview(report: PackReport, *, start: str | Path = ".", width: int = 360) -> Html:
    """HTML for a notebook: links to the pack's deck, workbook and maps (relative to the notebook,
    so JupyterLab opens them), and a thumbnail of every static map the deck holds.

    Parameters
    ----------
    report : PackReport
        What :func:`~divide.report.pack.briefing_pack` returned.
    start : str or Path
        The folder links are relative to (the notebook's).
    width : int
        Thumbnail width in pixels.

    Examples
    --------
    >>> import tempfile, divide
    >>> report = divide.briefing_pack("31", tempfile.mkdtemp(), static=False, cards=False, draws=100)
    >>> "tables.xlsx" in divide.pack_preview(report)
    True
    """
    links = [p for p in report.written if p.suffix in (".pptx", ".xlsx", ".html", ".md")]
    items = "".join(
        f'<li><a href="{html.escape(os.path.relpath(p, start))}" target="_blank">'
        f"{html.escape(str(p.relative_to(report.directory)))}</a></li>"
        for p in links
        if p.parent == report.directory or p.parent.name == "maps"
    )
    pictures = sorted(p for p in report.written if p.suffix == ".png" and p.parent.name == "maps")
    thumbs = "".join(
        f'<figure style="display:inline-block;margin:4px"><img width="{width}" '
        f'src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}"/>'
        f"<figcaption>{html.escape(p.stem)}</figcaption></figure>"
        for p in pictures
    )
    return Html(f"<ul>{items}</ul><div>{thumbs}</div>")
