"""Where offline support must accompany online services: forms, head-counts, sites, and the time axis."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.estimate.offline import OfflineEstimate
from divide.geography import add_geography, local_clusters
from divide.index.engine import IndexResult
from divide.support.forms import FormSpec, assign_forms
from divide.support.projection import project_offline
from divide.support.sites import SitesResult, exact_cover, greedy_cover, propose_sites

__all__ = ["FormSpec", "SitesResult", "exact_cover", "greedy_cover", "project_offline", "propose_sites",
           "support_plan"]


def support_plan(frame: gpd.GeoDataFrame, estimate: OfflineEstimate, index: IndexResult | None = None, *,
                 spec: str | Path | dict | FormSpec | None = None, seed: int = 0) -> pd.DataFrame:
    """One row per municipality: support form (ja/en, reason), head-count with interval, LISA cluster of need.

    ``frame`` should carry the geography columns (``add_geography``); if it does not, they are added with
    the defaults. ``index``: adds the index ``score`` and ``rank`` for priority within a form. The
    thresholds used are in ``attrs['thresholds']``.
    """
    forms = FormSpec.load(spec)
    if forms.access_column not in frame:
        frame = add_geography(frame)
    table, thresholds = assign_forms(frame, estimate, forms)
    need = table["need"]
    clusters = local_clusters(frame, need, seed=seed)
    table["cluster"] = clusters["cluster"]
    if "access_note" in frame:
        table["access_note"] = frame["access_note"]  # e.g. distances overstated until branch offices are supplied
    if index is not None:
        table = table.join(index.scores[["score", "rank"]])
    table.attrs["thresholds"] = thresholds
    counts = table["support_form"].value_counts()
    unused = [f["id"] for f in forms.forms if f["id"] not in counts]
    table.attrs["notes"] = [f"forms not used with these thresholds: {', '.join(unused)}"] if unused else []
    return table
