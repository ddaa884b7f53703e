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

import numpy as np
import pandas as pd

from divide.assumptions import Assumptions
from divide.estimate.offline import OfflineEstimate, estimate_offline
from divide.frame.load import Frame, load_frame
from divide.geography.stage import Geography, add_geography
from divide.index.engine import IndexResult, build_index
from divide.origin import Origin
from divide.progress import stages
from divide.provenance import Dataset, credit_lines
from divide.support.plan import SupportPlan, support_plan
from divide.support.projection import Projection, project_offline
from divide.support.services import ServiceNeeds, service_needs
from divide.support.sites import SitesResult, propose_sites
from divide.validation import IndexDraws, IsoDate, Seed, Sites, check_lang, checked

RANDOM_STAGES = ("estimate", "index", "clusters", "projection")


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
    services: ServiceNeeds
    assumptions: Assumptions

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
            self.services,
        )

    @property
    def origin(self) -> Origin:
        """The frame every stage was built on (one for all: :func:`analyse` runs them on one)."""
        return self.frame.origin

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
        check_lang(lang, "Analysis.credits")
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
                    "need_level",
                    "access_level",
                    "need_agreement",
                    "form_uncertain",
                    "uncertainty",
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

    def __repr__(self) -> str:
        area = self.frame.area_name["en"]
        return (
            f"<Analysis {area}: {len(self.frame)} municipalities, "
            f"{self.estimate.municipalities['offline_count'].sum():,.0f} offline, "
            f"{len(self.sites.chosen)} sites, seed {self.assumptions.seed}>"
        )


def stage_seeds(seed: int) -> dict[str, int]:
    """Independent seeds for every random stage, spawned from one (``numpy.random.SeedSequence``)."""
    children = np.random.SeedSequence(seed).spawn(len(RANDOM_STAGES))
    return {
        stage: int(child.generate_state(1)[0])
        for stage, child in zip(RANDOM_STAGES, children, strict=True)
    }


@checked
def analyse(  # noqa: PLR0913 - the one entry point: every stage's inputs and the assumptions' shortcuts
    pref: str | int | None = "07",
    *,
    assumptions: str | Path | dict | Assumptions | None = None,
    source: Literal["auto", "raw", "processed"] = "auto",
    raw_directory: Path | None = None,
    broadband: str | Path | None = None,
    broadband_as_of: IsoDate | None = None,
    service_layers: list | None = None,
    population_grid: str | Path | pd.DataFrame | None = None,
    draws: IndexDraws | None = None,
    sites_k: Sites | None = None,
    sites_k_max: Sites | None = None,
    seed: Seed | None = None,
    progress: bool | None = None,
) -> Analysis:
    """Run every stage once for ``pref`` with the analyst's assumptions.

    Parameters
    ----------
    pref : str, int or None
        Prefecture code or name; None for all of Japan.
    assumptions : Assumptions, dict or path, optional
        Weights, thresholds, sites, scenario, age bands, model, evidence, draws and seed
        (:class:`~divide.assumptions.Assumptions`; default: the shipped ones).
    source, raw_directory, broadband, broadband_as_of
        Where the data come from (see :func:`~divide.frame.load.load_frame`).
    service_layers, population_grid
        The analyst's own counters and population grid (see
        :func:`~divide.geography.stage.add_geography`).
    draws, sites_k, sites_k_max, seed : optional
        Shortcuts that change ``index_draws``, ``sites_k``, ``sites_k_max`` and ``seed`` of the
        assumptions.
    progress : bool, optional
        Show a progress bar (default: in notebooks only).

    Returns
    -------
    Analysis

    Examples
    --------
    >>> import divide
    >>> analysis = divide.analyse("07", draws=200)
    >>> len(analysis.summary_table()), "Source: e-Stat" in " ".join(analysis.credits(lang="en"))
    (59, True)
    """
    chosen = Assumptions.load(assumptions)
    shortcuts = {"index_draws": draws, "sites_k": sites_k, "sites_k_max": sites_k_max, "seed": seed}
    chosen = chosen.changed(**{k: v for k, v in shortcuts.items() if v is not None})
    forms = chosen.forms()
    seeds = stage_seeds(chosen.seed)
    with stages("analysis", 9, enabled=progress) as work:
        with work.step("load the municipal frame"):
            frame = load_frame(
                pref,
                source=source,
                raw_directory=raw_directory,
                broadband=broadband,
                broadband_as_of=broadband_as_of,
            )
        with work.step("geography"):
            geography = add_geography(
                frame, service_layers=service_layers, population_grid=population_grid
            )
        with work.step("offline estimate"):
            estimate = estimate_offline(
                frame,
                model=chosen.model,
                survey=chosen.survey,
                benchmark=chosen.benchmark,
                seed=seeds["estimate"],
                draws=chosen.estimate_draws,
            )
        with work.step("index"):
            index = build_index(geography, chosen.index(), estimate=estimate)
        with work.step("index uncertainty"):
            uncertainty = index.uncertainty(draws=chosen.index_draws, seed=seeds["index"])
        with work.step("support plan"):
            plan = support_plan(geography, estimate, index, spec=forms, seed=seeds["clusters"])
        with work.step("support sites"):
            sites = propose_sites(
                geography,
                estimate,
                k=chosen.sites_k,
                k_max=max(chosen.sites_k, chosen.sites_k_max),
                radius_km=chosen.radius_km,
                spec=forms,
            )
        with work.step("2020-2035 projection"):
            projection = project_offline(frame, estimate, seed=seeds["projection"])
        with work.step("online services and their offline users"):
            services = service_needs(frame, estimate)
    return Analysis(
        pref=frame.pref,
        frame=frame,
        geography=geography,
        estimate=estimate,
        index=index,
        uncertainty=uncertainty,
        plan=plan,
        sites=sites,
        projection=projection,
        services=services,
        assumptions=chosen,
    )
