"""divide: where, for whom and in what form offline support must accompany online public services.

The pipeline, one stage per sub-package, data flowing one way::

    frame = divide.load_frame("07")                            # frame/: one row per municipality
    estimate = divide.estimate_offline(frame)                  # estimate/: offline share and count
    geography = divide.add_geography(frame)                    # geography/: counters, distance
    index = divide.build_index(geography, estimate=estimate)   # index/: composite index
    plan = divide.support_plan(geography, estimate, index)     # support/: form per municipality
    sites = divide.propose_sites(geography, estimate, k=5)     # support/: new sites, gain curve
    future = divide.project_offline(frame, estimate)           # support/: 2020 -> 2035
    needs = divide.service_needs(frame, estimate)              # support/: offline users by service
    analysis = divide.analyse("07")                            # every stage once, with defaults
    divide.briefing_pack("07", "outputs")                      # report/: maps, slides, tables, GIS

Every stage returns a result object with ``.notes`` and ``.datasets`` (the credit lines follow from
them). ``import divide`` is cheap: the names below are imported on first use (PEP 562).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.2.0"

_EXPORTS: dict[str, tuple[str, str | None]] = {
    # errors and codes
    "DivideError": ("divide.errors", "DivideError"),
    "DivideDataError": ("divide.errors", "DivideDataError"),
    "DivideFetchError": ("divide.errors", "DivideFetchError"),
    "DivideSpecError": ("divide.errors", "DivideSpecError"),
    "DivideParameterError": ("divide.errors", "DivideParameterError"),
    "PREFECTURES": ("divide.codes", "PREFECTURES"),
    "normalize_code": ("divide.codes", "normalize_code"),
    "normalize_name": ("divide.codes", "normalize_name"),
    "normalize_pref": ("divide.codes", "normalize_pref"),
    "to_lg6": ("divide.codes", "to_lg6"),
    "credit_lines": ("divide.provenance", "credit_lines"),
    "fetch": ("divide.fetch", "fetch"),
    # frame
    "Data": ("divide.frame.data", "Data"),
    "Frame": ("divide.frame.load", "Frame"),
    "load_data": ("divide.frame.data", "load_data"),
    "load_frame": ("divide.frame.load", "load_frame"),
    "build_data": ("divide.frame.data", "build_data"),
    "describe": ("divide.report.describe", "describe"),
    "summarize_join_report": ("divide.frame.joinreport", "summarize"),
    "assert_frame_valid": ("divide.frame.testing", "assert_frame_valid"),
    # estimate
    "OfflineEstimate": ("divide.estimate.offline", "OfflineEstimate"),
    "estimate_offline": ("divide.estimate.offline", "estimate_offline"),
    "fit_age_curve": ("divide.estimate.age_curve", "fit_age_curve"),
    "load_age_table": ("divide.estimate.age_curve", "load_age_table"),
    # geography
    "Geography": ("divide.geography.stage", "Geography"),
    "add_geography": ("divide.geography.stage", "add_geography"),
    "local_clusters": ("divide.geography.clusters", "local_clusters"),
    "load_mesh_population": ("divide.sources.mesh", "load_mesh_population"),
    "load_points": ("divide.sources.points", "load_points"),
    # index
    "IndexResult": ("divide.index.engine", "IndexResult"),
    "IndexSpec": ("divide.index.spec", "IndexSpec"),
    "build_index": ("divide.index.engine", "build_index"),
    "monte_carlo": ("divide.index.engine", "monte_carlo"),
    "indicator_table": ("divide.index.indicators", "indicator_table"),
    "national_indicators": ("divide.reference", "national_indicators"),
    # support
    "FormSpec": ("divide.support.forms", "FormSpec"),
    "SupportPlan": ("divide.support.plan", "SupportPlan"),
    "support_plan": ("divide.support.plan", "support_plan"),
    "SitesResult": ("divide.support.sites", "SitesResult"),
    "propose_sites": ("divide.support.sites", "propose_sites"),
    "ServiceNeeds": ("divide.support.services", "ServiceNeeds"),
    "service_needs": ("divide.support.services", "service_needs"),
    "Projection": ("divide.support.projection", "Projection"),
    "project_offline": ("divide.support.projection", "project_offline"),
    # the whole analysis and its report
    "Assumptions": ("divide.assumptions", "Assumptions"),
    "Analysis": ("divide.analysis", "Analysis"),
    "analyse": ("divide.analysis", "analyse"),
    "PackReport": ("divide.report.pack", "PackReport"),
    "briefing_pack": ("divide.report.pack", "briefing_pack"),
    "write_pack": ("divide.report.pack", "write_pack"),
    "briefing_figures": ("divide.report.briefing", "briefing_figures"),
    "PointLayer": ("divide.report.maps", "PointLayer"),
    "MapText": ("divide.report.maps", "MapText"),
    "Classes": ("divide.report.maps", "Classes"),
    "Layers": ("divide.report.maps", "Layers"),
    "choropleth": ("divide.report.maps", "choropleth"),
    "category_map": ("divide.report.maps", "category_map"),
    "write_html": ("divide.report.html", "write_html"),
    "weight_sliders": ("divide.report.widgets", "weight_sliders"),
    # the notebooks' workbench: tables, conclusions, notes and figures as a notebook shows them
    "table_view": ("divide.report.workbench", "table_view"),
    "analysis_table": ("divide.report.workbench", "analysis_table"),
    "conclusions": ("divide.report.workbench", "conclusions"),
    "notes_view": ("divide.report.workbench", "notes_view"),
    "fit": ("divide.report.workbench", "fit"),
    "column_map": ("divide.report.workbench", "column_map"),
    "Figures": ("divide.report.workbench", "Figures"),
    "spec_view": ("divide.report.workbench", "spec_view"),
    "audit_view": ("divide.report.workbench", "audit_view"),
    "compare": ("divide.report.workbench", "compare"),
    "needs_picker": ("divide.report.workbench", "needs_picker"),
    "pack_preview": ("divide.report.workbench", "pack_preview"),
    "sources_view": ("divide.report.workbench", "sources_view"),
    "join_report_view": ("divide.report.workbench", "join_report_view"),
    "plots": ("divide.report.plots", None),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import an exported name on first use, so that ``import divide`` (and ``divide --help``) stay
    fast.
    """
    try:
        module_name, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'divide' has no attribute {name!r}") from None
    module = import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
