"""The pack's tables in the pack's language: sheets, the CSV, the GeoPackage layers, the README.

Every table passes through disclosure control first (:mod:`divide.report.disclosure`), then through
:func:`localise`: columns of the other language are dropped, categorical values translated and
headers named (with their units) from :mod:`divide.report.words` or the frame's catalogue. The unit
of each column travels with the sheet so that the XLSX writer can format it (people as integers,
shares as %, km).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from divide.analysis import Analysis
from divide.frame.columns import COLUMNS
from divide.report.council import method_and_limits
from divide.report.disclosure import held, held_bands, suppress
from divide.report.index_audit import AUDIT, audit_lines, treatment_lines
from divide.report.numbers import headline_table
from divide.report.words import (
    DECK,
    FLAGS,
    JOIN_REASONS,
    LANGS,
    SHEETS,
    TABLE_COLUMNS,
    VALUES,
    note_text,
    plan_words,
)

UNIT_OF_FRAME = {
    "persons": "persons",
    "households": "persons",
    "fraction": "fraction",
    "km²": "km",
    "persons/km²": "number",
    "flag": "flag",
    "%": "percent",
    "": "text",
}


@dataclass
class Sheet:
    """A localised table: its cells, and the unit of each column (by localised header)."""

    name: str
    table: pd.DataFrame
    units: dict[str, str]


def column_label(column: str, lang: str) -> tuple[str, str]:
    """(header, unit) of a column in ``lang``; the column id itself when no catalogue knows it."""
    if column in TABLE_COLUMNS:
        ja, en, unit = TABLE_COLUMNS[column]
        return (ja if lang == "ja" else en), unit
    if column in COLUMNS:
        entry = COLUMNS[column]
        unit = (
            "code"
            if column in ("code", "code6", "pref_code")
            else UNIT_OF_FRAME.get(entry.unit, "number")
        )
        return (entry.ja if lang == "ja" else entry.en), unit
    return column, "number"


def _other_language(column: str, lang: str) -> bool:
    """Columns that hold the other language's words (name_ja stays in an English pack: the place's
    own name).
    """
    other = LANGS[1 - LANGS.index(lang)]
    return column.endswith(f"_{other}") and column != "name_ja"


def _translated(values: pd.Series, column: str, lang: str) -> pd.Series:
    if column_label(column, lang)[1] == "flag":
        yes, no = FLAGS[lang]
        return values.map(
            lambda v: (
                yes
                if isinstance(v, bool | np.bool_) and v
                else (no if isinstance(v, bool | np.bool_) else v)
            )
        )
    if column == "reason" and lang == "ja":
        return values.map(
            lambda v: next((ja for en, ja in JOIN_REASONS.items() if str(v).startswith(en)), v)
        )
    table = VALUES.get(column)
    if table is None:
        return values
    position = LANGS.index(lang)
    return values.map(lambda v: table[v][position] if v in table else v)


def localise(table: pd.DataFrame, name: str, lang: str) -> Sheet:
    """``table`` (index made a column) with the other language's columns dropped, values and headers
    in ``lang``.
    """
    flat = (
        table.reset_index() if table.index.name or isinstance(table.index, pd.MultiIndex) else table
    )
    keep = [c for c in flat.columns if not _other_language(str(c), lang)]
    out = pd.DataFrame({c: _translated(flat[c], str(c), lang) for c in keep})
    if (
        "support_form" in out and f"support_form_{lang}" in out
    ):  # the id column gives way to the words
        out = out.drop(columns="support_form")
    labels = {c: column_label(str(c), lang) for c in out.columns}
    out.columns = [labels[c][0] for c in out.columns]
    return Sheet(
        SHEETS[name][LANGS.index(lang)] if name in SHEETS else name,
        out,
        {header: unit for header, unit in labels.values()},
    )


def _with_words(table: pd.DataFrame, analysis: Analysis) -> pd.DataFrame:
    """``table`` with the support form, its reason and why to check in both languages (the codes
    stay for filtering).
    """
    out = table.copy()
    for lang in LANGS:
        words = plan_words(analysis.plan, lang).reindex(out.index)
        out[f"support_form_{lang}"] = words["support_form_label"]
        out[f"reason_{lang}"] = words["reason"]
        out[f"uncertainty_{lang}"] = words["why_check"]
    return out.drop(columns=["uncertainty"], errors="ignore")


def sources_table(datasets: dict, lang: str) -> pd.DataFrame:
    """One row per dataset: title, publisher, reference date, licence and credit line in ``lang``."""
    rows = [
        {
            "dataset": entry.title if lang == "ja" else (entry.title_en or entry.title),
            "publisher": entry.publisher,
            "reference_date": entry.reference_date,
            "licence": entry.licence,
            "credit": entry.credit if lang == "ja" else (entry.credit_en or entry.credit),
        }
        for _, entry in sorted(datasets.items())
    ]
    return pd.DataFrame(rows)


def _services(analysis: Analysis, lang: str) -> pd.DataFrame:
    """The services table with each service's name in the pack's language."""
    table = analysis.services.table.copy()
    labels = {s.id: getattr(s.labels, lang) for s in analysis.services.catalogue.services}
    table["service"] = table["service"].map(labels)
    return table.drop(columns=["online_column"]).set_index(["code", "service"])


def _assumption_text(key: str, value: object, lang: str) -> str:
    if value is None:
        return ""
    if key in VALUES and value in VALUES[key]:
        return VALUES[key][value][LANGS.index(lang)]
    if key == "age_bands":
        return ", ".join(f"{lo}+" if hi is None else f"{lo}-{hi}" for lo, hi in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v:g}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:,g}"
    return str(value)


def _in_effect(analysis: Analysis, lang: str) -> dict[str, object]:
    """The analyst's assumptions with every one left unset replaced by the value the analysis used
    (weights from the index spec, thresholds from the support plan), so that the sheet never shows
    a blank where a number decided the result.
    """
    values = analysis.assumptions.model_dump()
    given = {key: value for key, value in values.items() if value is not None}
    thresholds = analysis.plan.thresholds
    used = {
        "weights": {p.label(lang): p.weight for p in analysis.index.spec.pillars},
        "index_spec": VALUES["in_effect"]["default_spec"][LANGS.index(lang)],
        "forms_spec": VALUES["in_effect"]["default_spec"][LANGS.index(lang)],
        "need_threshold": thresholds["need_basis"],
        "count_share_of_prefecture": thresholds["count_share_of_prefecture"],
        "count_per_counter": thresholds["count_per_counter"],
        "access_km": thresholds["access_threshold_km"],
    }
    none = VALUES["in_effect"]["none"][LANGS.index(lang)]
    return {key: given.get(key, used.get(key, none)) for key in values}


def _assumptions(analysis: Analysis, lang: str) -> pd.DataFrame:
    """Every assumption of the analysis, as the pack must record it (item, value in effect)."""
    values = _in_effect(analysis, lang)
    return pd.DataFrame(
        {
            "item": list(values),
            "text": [_assumption_text(k, v, lang) for k, v in values.items()],
        }
    )


def _index_table(analysis: Analysis, lang: str) -> pd.DataFrame:
    """Scores and ranks; the imputed indicators named by their labels, not their ids."""
    table = analysis.index.scores.join(analysis.uncertainty)
    labels = {i.id: i.label(lang) for i in analysis.index.spec.indicators}
    separator = "、" if lang == "ja" else ", "
    for column in ("imputed", "pillars_missing"):
        if column in table:
            nodes = {**labels, **{p.id: p.label(lang) for p in analysis.index.spec.pillars}}
            table[column] = [
                separator.join(
                    nodes.get(part.strip(), part.strip())
                    for part in str(v).split(",")
                    if part.strip()
                )
                for v in table[column].fillna("")
            ]
    return table


def join_report_table(join_report: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The join report with each dataset named by its title in ``lang``."""
    from divide.provenance import dataset

    table = join_report.copy()

    def title(key: str) -> str:
        try:
            entry = dataset(key)
        except Exception:  # a user's own file: its id is its name
            return key
        return entry.title if lang == "ja" else (entry.title_en or entry.title)

    table["source"] = table["source"].map(title)
    return table


def raw_tables(analysis: Analysis, lang: str) -> dict[str, pd.DataFrame]:
    """The pack's tables before disclosure control and localisation."""
    headline = headline_table(analysis, lang).set_index("item")
    return {
        "headline": headline,
        "municipalities": _with_words(analysis.summary_table(), analysis),
        "support_plan": _with_words(analysis.plan.table, analysis),
        "services": _services(analysis, lang),
        "by_age": analysis.estimate.by_age.set_index(["code", "age_band"]),
        "index": _index_table(analysis, lang),
        "projection": analysis.projection.table.set_index(["code", "scenario", "year"]),
        "sites_gain": analysis.sites.gain.set_index("k"),
        "sites_chosen": analysis.sites.chosen,
        "validation": analysis.estimate.validation.set_index("model"),
        "assumptions": _assumptions(analysis, lang),
        "join_report": join_report_table(analysis.frame.join_report, lang),
    }


def sheets(analysis: Analysis, lang: str, k: int) -> tuple[dict[str, Sheet], pd.DataFrame]:
    """Every sheet, suppressed and localised, and the report of suppressed cells (table, row,
    column).
    """
    out, reports = {}, []
    hold, bands = held(analysis, k), held_bands(analysis, k)
    for name, table in raw_tables(analysis, lang).items():
        safe, report = suppress(table, name, k=k, hold=bands if name == "by_age" else hold)
        out[name] = localise(safe, name, lang)
        reports.append(report)
    return out, pd.concat(reports, ignore_index=True)


def notes_sheet(analysis: Analysis, lang: str, k: int, suppressed: pd.DataFrame) -> Sheet:
    """Sources with their terms, the method and its limits, what was assumed, and what each stage
    noticed about this area, all in the pack's language.
    """
    w = DECK[lang]
    heading = {
        "ja": ("出典", "データ", "方法と限界", "非表示", "処理の記録", "仮定"),
        "en": ("credit", "dataset", "method and limits", "disclosure", "processing log", "assumed"),
    }[lang]
    rows = [(heading[0], line) for line in analysis.credits(lang=lang)]
    for _key, entry in sorted(analysis.datasets.items()):
        title = entry.title if lang == "ja" else (entry.title_en or entry.title)
        rows.append(
            (
                heading[1],
                f"{title} — {entry.publisher}, {entry.reference_date}, {entry.licence}, "
                f"{entry.official_url}",
            )
        )
    rows += [(heading[2], line) for line in method_and_limits(analysis, lang, k)]
    rows.append((heading[3], w["m_disclosure"].format(k=k) + f" ({len(suppressed)})"))
    rows += [
        (
            heading[5],
            f"{VALUES['item'][key][LANGS.index(lang)]}: {_assumption_text(key, value, lang)}",
        )
        for key, value in analysis.assumptions.changes().items()
    ]
    rows += [
        (AUDIT[lang]["treatment_heading"], line) for line in treatment_lines(analysis.index, lang)
    ]
    rows += [(AUDIT[lang]["audit_heading"], line) for line in audit_lines(analysis.index, lang)]
    rows += [(heading[4], note_text(note, lang)) for note in analysis.notes]
    return localise(pd.DataFrame(rows, columns=["item", "text"]), "notes", lang)


def gis_layers(analysis: Analysis, k: int, lang: str) -> dict[str, gpd.GeoDataFrame]:
    """Municipalities (suppressed, localised values), main offices and proposed sites for QGIS.

    Layer fields keep the column ids (GIS tools handle short ASCII names best); values are
    localised.
    """
    table = analysis.frame.municipalities
    summary, _ = suppress(
        analysis.summary_table(), "gpkg", k=k, as_text=False, hold=held(analysis, k)
    )
    summary = summary[[c for c in summary.columns if not _other_language(c, lang)]]
    summary = pd.DataFrame(
        {c: _translated(summary[c], c, lang) for c in summary.columns}, index=summary.index
    )
    municipalities = gpd.GeoDataFrame(summary, geometry=table.geometry, crs=table.crs)
    offices = gpd.GeoDataFrame(
        table[["name_ja"]].reset_index(),
        crs=table.crs,
        geometry=gpd.points_from_xy(table["office_lon"], table["office_lat"]),
    )
    chosen, _ = suppress(analysis.sites.chosen, "sites", k=k, as_text=False)
    chosen = chosen.assign(kind=_translated(chosen["kind"], "kind", lang))
    sites = gpd.GeoDataFrame(
        chosen, crs=table.crs, geometry=gpd.points_from_xy(chosen["lon"], chosen["lat"])
    )
    return {
        "municipalities": municipalities.reset_index(),
        "main_offices": offices,
        "proposed_sites": sites,
    }
