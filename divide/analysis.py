"""The standard analysis of one prefecture, run in one call (the notebooks and the briefing pack use
it).

frame -> geography -> offline estimate -> index (+ Monte Carlo) -> support plan -> sites ->
2020-2035. This is the only place that chains stages: each layer is loaded once (by the frame stage)
and each stage runs once, handed the results it needs. The :class:`Analysis` keeps every result,
their notes, and the datasets they used, so that every output can print exactly the credit lines its
sources require.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from divide.estimate.offline import OfflineEstimate, estimate_offline
from divide.frame.load import Frame, load_frame
from divide.geography.stage import Geography, add_geography
from divide.index.engine import IndexResult, build_index
from divide.progress import steps
from divide.provenance import Dataset, credit_lines
from divide.support.plan import SupportPlan, support_plan
from divide.support.projection import Projection, project_offline
from divide.support.sites import SitesResult, propose_sites
from divide.validation import IndexDraws, Seed, Sites, checked


@dataclass
class Analysis:
    """Every stage's result for one prefecture (``pref``), as :func:`analyse` ran them."""

    pref: str | None
    frame: Frame
    geography: Geography
    estimate: OfflineEstimate
    index: IndexResult
    uncertainty: pd.DataFrame
    plan: SupportPlan
    sites: SitesResult
    projection: Projection

    @property
    def results(self) -> tuple:
        return (
            self.frame,
            self.geography,
            self.estimate,
            self.index,
            self.plan,
            self.sites,
            self.projection,
        )

    @property
    def datasets(self) -> dict[str, Dataset]:
        """Every dataset any stage used (id -> provenance)."""
        out: dict[str, Dataset] = {}
        for result in self.results:
            out.update(result.datasets)
        return out

    @property
    def notes(self) -> list[str]:
        """The notes of every stage, in pipeline order, without repeats."""
        return list(dict.fromkeys(note for result in self.results for note in result.notes))

    def credits(self, datasets: dict[str, Dataset] | None = None, lang: str = "ja") -> list[str]:
        """Credit lines of ``datasets`` (default: everything the analysis used), Japanese or
        English.
        """
        return credit_lines((self.datasets if datasets is None else datasets).values(), lang=lang)

    def summary_table(self) -> pd.DataFrame:
        """One row per municipality: the figures a council briefing quotes."""
        m = self.estimate.municipalities
        table = self.frame.municipalities[["name_ja", "name_en", "population", "pop_65plus"]].join(
            m[
                [
                    "residents_15plus",
                    "offline_share",
                    "offline_share_lo",
                    "offline_share_hi",
                    "offline_count",
                    "offline_count_lo",
                    "offline_count_hi",
                    "age_part",
                    "settlement_part",
                    "composition_part",
                    "extrapolated",
                ]
            ]
        )
        geo = self.geography.municipalities
        table = table.join(
            geo[
                [
                    "access_mean_km",
                    "access_p90_km",
                    "access_basis",
                    "access_verified",
                    "counter_basis",
                    "kaso",
                ]
            ]
        )
        table = table.join(
            self.plan.table[
                [
                    "support_form",
                    "support_form_ja",
                    "support_form_en",
                    "need_probability",
                    "form_uncertain",
                    "uncertainty_ja",
                    "uncertainty_en",
                    "cluster",
                ]
            ]
        )
        table = table.join(self.index.scores[["score", "rank"]]).join(
            self.uncertainty[["rank_p05", "rank_p95"]]
        )
        wide = self.projection.path().pivot(index="code", columns="year", values="offline_count")
        wide.columns = [f"offline_count_{year}" for year in wide.columns]
        return table.join(wide)


@checked
def analyse(
    pref: str | int | None = "07",
    *,
    source: Literal["auto", "raw", "processed"] = "auto",
    raw_directory: Path | None = None,
    broadband: str | Path | None = None,
    service_layers: list | None = None,
    population_grid: str | Path | pd.DataFrame | None = None,
    draws: IndexDraws = 2000,
    sites_k: Sites = 5,
    sites_k_max: Sites = 10,
    seed: Seed = 0,
    progress: bool | None = None,
) -> Analysis:
    """Run every stage once for ``pref`` with the defaults an analyst starts from.

    Examples
    --------
    >>> import divide
    >>> analysis = divide.analyse("07", draws=200)
    >>> len(analysis.summary_table()), "Source: e-Stat" in " ".join(analysis.credits(lang="en"))
    (59, True)
    """
    state: dict[str, object] = {}
    work = [
        (
            "load the municipal frame",
            lambda: state.update(
                frame=load_frame(
                    pref, source=source, raw_directory=raw_directory, broadband=broadband
                )
            ),
        ),
        (
            "geography",
            lambda: state.update(
                geography=add_geography(
                    state["frame"], service_layers=service_layers, population_grid=population_grid
                )
            ),
        ),
        (
            "offline estimate",
            lambda: state.update(estimate=estimate_offline(state["frame"], seed=seed)),
        ),
        (
            "index",
            lambda: state.update(index=build_index(state["geography"], estimate=state["estimate"])),
        ),
        (
            "index uncertainty",
            lambda: state.update(uncertainty=state["index"].uncertainty(draws=draws, seed=seed)),
        ),
        (
            "support plan",
            lambda: state.update(
                plan=support_plan(state["geography"], state["estimate"], state["index"], seed=seed)
            ),
        ),
        (
            "support sites",
            lambda: state.update(
                sites=propose_sites(
                    state["geography"], state["estimate"], k=sites_k, k_max=sites_k_max
                )
            ),
        ),
        (
            "2020-2035 projection",
            lambda: state.update(projection=project_offline(state["frame"], state["estimate"])),
        ),
    ]
    for _, step in steps(work, "analysis", enabled=progress):
        step()
    return Analysis(pref=state["frame"].pref, **{k: v for k, v in state.items()})
