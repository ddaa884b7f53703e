"""The standard analysis of one prefecture, run in one call (the notebooks and the briefing pack use it).

frame -> geography -> offline estimate -> index (+ Monte Carlo) -> support plan -> sites -> 2020-2035.
Every step is the public function of its stage; this module only chains them and collects the
datasets used, so that every output can print the credit lines its sources require.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from divide.estimate import OfflineEstimate, estimate_offline
from divide.geography import add_geography
from divide.index import IndexResult, build_index
from divide.load import load_frame
from divide.progress import steps
from divide.provenance import credit_lines
from divide.support import SitesResult, project_offline, propose_sites, support_plan

# Datasets behind the derived layers (the frame carries its own in attrs["provenance"]).
ESTIMATE_DATASETS = ("internet_use", "device_use_by_age", "juki_age", "census_population", "census_aging",
                     "census_households", "census_ratios", "kaso", "indicators_2025")
GEOGRAPHY_DATASETS = ("boundaries", "offices", "shelters", "stations")
PROJECTION_DATASETS = ("mynumber_by_age", "juki_age", "indicators_2025")


@dataclass
class Analysis:
    pref: str | None
    frame: gpd.GeoDataFrame
    geo: gpd.GeoDataFrame
    estimate: OfflineEstimate
    index: IndexResult
    uncertainty: pd.DataFrame
    plan: pd.DataFrame
    sites: SitesResult
    projection: pd.DataFrame
    datasets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def credits(self, datasets: Sequence[str] | None = None, lang: str = "ja") -> list[str]:
        """Credit lines of ``datasets`` (default: everything the analysis used), Japanese or English."""
        chosen = list(datasets if datasets is not None else self.datasets)
        if "broadband_coverage" in self.frame.attrs["provenance"] and datasets is None:
            chosen.append("broadband_coverage")
        return credit_lines(chosen, lang=lang, extra=self.frame.attrs["provenance"])

    def summary_table(self) -> pd.DataFrame:
        """One row per municipality: the figures a council briefing quotes."""
        m = self.estimate.municipalities
        table = self.frame[["name_ja", "name_en", "population", "pop_65plus"]].join(
            m[["residents_15plus", "offline_share", "offline_share_lo", "offline_share_hi", "offline_count",
               "offline_count_lo", "offline_count_hi", "age_part", "geo_part"]])
        table = table.join(self.geo[["access_mean_km", "access_p90_km", "access_basis", "access_note", "kaso"]])
        table = table.join(self.plan[["support_form", "support_form_ja", "support_form_en", "cluster"]])
        table = table.join(self.index.scores[["score", "rank"]]).join(self.uncertainty[["rank_p05", "rank_p95"]])
        wide = self.projection.pivot(index="code", columns="year", values="offline_count")
        wide.columns = [f"offline_count_{year}" for year in wide.columns]
        return table.join(wide)


def analyse(pref: str | int | None = "07", *, source: str = "auto", raw_directory: Path | None = None,
            broadband: str | Path | None = None,
            service_layers: list | None = None, draws: int = 2000, sites_k: int = 5, sites_k_max: int = 10,
            seed: int = 0, progress: bool = True) -> Analysis:
    """Run every stage for ``pref`` with the defaults an analyst starts from."""
    state: dict[str, object] = {}

    def load() -> None:
        state["frame"] = load_frame(pref, source=source, raw_directory=raw_directory, broadband=broadband)

    def geography() -> None:
        state["geo"] = add_geography(state["frame"], service_layers=service_layers)

    def estimate() -> None:
        state["estimate"] = estimate_offline(state["frame"], seed=seed)

    def index() -> None:
        state["index"] = build_index(state["geo"], estimate=state["estimate"])
        state["uncertainty"] = state["index"].uncertainty(draws=draws, seed=seed)

    def plan() -> None:
        state["plan"] = support_plan(state["geo"], state["estimate"], state["index"], seed=seed)

    def sites() -> None:
        state["sites"] = propose_sites(state["geo"], state["estimate"], k=sites_k, k_max=sites_k_max,
                                       service_layers=service_layers)

    def projection() -> None:
        state["projection"] = project_offline(state["frame"], state["estimate"])

    work = [("load the municipal frame", load), ("geography", geography), ("offline estimate", estimate),
            ("index and uncertainty", index), ("support plan", plan), ("support sites", sites),
            ("2020-2035 projection", projection)]
    for _, step in steps(work, "analysis", enabled=progress):
        step()
    frame = state["frame"]
    datasets = sorted({*frame.attrs["provenance"], *ESTIMATE_DATASETS, *GEOGRAPHY_DATASETS, *PROJECTION_DATASETS})
    notes = [*frame.attrs.get("notes", []), *state["estimate"].notes, *state["index"].notes,
             *state["plan"].attrs.get("notes", []), *state["sites"].notes]
    return Analysis(pref=frame["pref_code"].iloc[0] if pref is not None else None, frame=frame, geo=state["geo"],
                    estimate=state["estimate"], index=state["index"], uncertainty=state["uncertainty"],
                    plan=state["plan"], sites=state["sites"], projection=state["projection"], datasets=datasets,
                    notes=notes)
