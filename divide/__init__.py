"""divide: where, for whom and in what form offline support must accompany online public services.

Public API (notebooks and the CLI use only these names)::

    frame = divide.load_frame("07")            # one row per municipality, with provenance and join report
    estimate = divide.estimate_offline(frame)  # offline share, head-count, interval, age/geography split
    geo = divide.add_geography(frame)          # access to counters, remoteness, evacuation context
    divide.local_clusters(geo, "access_mean_km", seed=0)
    index = divide.build_index(geo, estimate=estimate)   # composite index; index.uncertainty(draws=10_000)
    plan = divide.support_plan(geo, estimate, index)     # support form, head-count, cluster per municipality
    sites = divide.propose_sites(geo, estimate, k=5)     # new sites and the gain curve
    future = divide.project_offline(frame, estimate)     # 2020 -> 2035
    analysis = divide.analyse("07")                      # all of the above in one call
    divide.briefing_pack("07", "outputs")                # maps, slides, tables, GIS for the council
"""

from divide import plots
from divide.analysis import Analysis, analyse
from divide.codes import PREFECTURES, normalize_code, normalize_name, normalize_pref, to_lg6
from divide.errors import DivideDataError, DivideError, DivideFetchError, DivideSpecError
from divide.estimate import OfflineEstimate, estimate_offline, fit_age_curve, load_age_table
from divide.export.html import write_html
from divide.export.pack import PackReport, briefing_pack, write_pack
from divide.fetch import fetch
from divide.frame import build_frame
from divide.geography import add_geography, load_mesh_population, local_clusters
from divide.index import IndexResult, IndexSpec, build_index, indicator_table
from divide.joinreport import summarize as summarize_join_report
from divide.load import load_frame, load_layer
from divide.maps.figures import PointLayer, category_map, choropleth
from divide.provenance import credit_lines
from divide.summary import describe
from divide.support import FormSpec, SitesResult, project_offline, propose_sites, support_plan

__version__ = "0.1.0"

__all__ = [
    "PREFECTURES",
    "Analysis",
    "DivideDataError",
    "DivideError",
    "DivideFetchError",
    "DivideSpecError",
    "FormSpec",
    "IndexResult",
    "IndexSpec",
    "OfflineEstimate",
    "PackReport",
    "PointLayer",
    "SitesResult",
    "add_geography",
    "analyse",
    "briefing_pack",
    "build_frame",
    "build_index",
    "category_map",
    "choropleth",
    "credit_lines",
    "describe",
    "estimate_offline",
    "fetch",
    "fit_age_curve",
    "indicator_table",
    "load_age_table",
    "load_frame",
    "load_layer",
    "load_mesh_population",
    "local_clusters",
    "normalize_code",
    "normalize_name",
    "normalize_pref",
    "plots",
    "project_offline",
    "propose_sites",
    "summarize_join_report",
    "support_plan",
    "to_lg6",
    "write_html",
    "write_pack",
]
