"""Where to put new support sites: keep the existing counters, add K sites to reach the most offline
residents, firmly only where the counter network is known.

*Demand*: the places people live (the settlement points of the geography stage), each carrying a
part of its municipality's estimated offline head-count in proportion to the point's weight: the
population of a grid cell when a population grid is supplied, otherwise an equal part per
settlement point (a designated shelter stands for a community; the mirror holds neither shelter
capacities nor a population grid, so communities are taken as equal: the result says which rule
was used). *Coverage*: a demand point is covered when a site of its own municipality lies within
``radius_km`` (straight line × the detour factor, as for access). *Existing*: every known counter
(main, ward and branch offices, the analyst's layers). *Candidates*: community halls and schools
(designated shelters) and railway stations.

*Firm and conditional.* Where a municipality's counter network is not known and its distance is
over the support-form cut (access ``unknown``), a branch office the data do not hold may already
serve its residents: no firm site is proposed there. The K firm sites are chosen among the other
municipalities' candidates (maximal covering, :mod:`divide.support.solver`: HiGHS with a time
limit, "optimal" only when proven, greedy alongside; ``gain`` gives the covered head-count for every
K from 0 to ``k_max``). The best K sites inside unknown networks are listed apart, ``conditional``:
what to consider once their counters are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import Field
from scipy import sparse

from divide.errors import DivideParameterError
from divide.estimate.offline import OfflineEstimate
from divide.geography.access import geodesic_km
from divide.geography.settlements import BASIS, assign
from divide.geography.stage import Geography
from divide.notes import Note, note
from divide.origin import Origin, matching
from divide.provenance import Dataset
from divide.support.forms import FormSpec, access_levels
from divide.support.solver import covered_weight, exact_cover, greedy_cover, merge_demand
from divide.validation import Positive, Result, Sites, checked


@dataclass
class SitesResult:
    """Result of :func:`propose_sites`.

    Attributes
    ----------
    chosen : DataFrame
        The proposed sites: code, name, kind, lon, lat, ``covers`` (offline residents newly within
        reach), ``conditional`` (True: inside a municipality whose counter network is unknown, to
        be considered only once it is checked), ``network_verified``.
    covered_before, covered_after, demand_total : float
        Offline residents within ``radius_km`` of a counter now, with the K firm sites, and in
        all.
    gain : DataFrame
        For K = 0 … ``k_max``: ``covered``, ``status`` (existing / optimal / best_found / greedy),
        ``gap``.
    status : str
        How the chosen K was solved; ``radius_km``, ``k``: the parameters; ``demand_basis``: how
        demand is spread over settlement points.
    """

    chosen: pd.DataFrame
    covered_before: float
    covered_after: float
    demand_total: float
    gain: pd.DataFrame
    status: str
    radius_km: float
    k: int
    demand_basis: str
    demand: pd.DataFrame
    candidates: pd.DataFrame
    notes: list[Note] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    origin: Origin | None = None  # the frame the inputs came from

    def __repr__(self) -> str:
        conditional = int(self.chosen["conditional"].sum())
        return (
            f"<SitesResult {len(self.chosen) - conditional} firm and {conditional} conditional "
            f"sites of {self.k} requested, radius {self.radius_km} km, {self.status}>"
        )


def _demand(geography: Geography, estimate: OfflineEstimate) -> pd.DataFrame:
    """Settlement points carrying their municipality's offline head-count, split by the points'
    weights.
    """
    demand = geography.settlements[["code", "lon", "lat", "weight", "basis"]].copy()
    heads = estimate.municipalities["offline_count"].reindex(geography.municipalities.index)
    share = demand.groupby("code")["weight"].transform(lambda w: w / w.sum())
    demand["offline"] = share.to_numpy() * heads.reindex(demand["code"]).fillna(0).to_numpy()
    return demand.reset_index(drop=True)


def _candidates(geography: Geography, kinds: tuple[str, ...]) -> pd.DataFrame:
    points = geography.frame.points
    table = geography.municipalities
    cands = points[
        points["kind"].isin(kinds) & points["code"].str[:2].isin(set(table["pref_code"]))
    ].copy()
    cands["code"] = assign(cands, table)
    cands = cands[cands["code"].notna()]
    return (
        pd.DataFrame(
            {
                "code": cands["code"].to_numpy(),
                "name": cands["name"].to_numpy(),
                "kind": cands["kind"].to_numpy(),
                "lon": cands.geometry.x.to_numpy(),
                "lat": cands.geometry.y.to_numpy(),
            }
        )
        .drop_duplicates(["code", "lon", "lat"])
        .reset_index(drop=True)
    )


def _within(
    points: pd.DataFrame, sites: pd.DataFrame, radius: float, detour: float
) -> sparse.csr_matrix:
    """Sites × points coverage (same municipality, road-approximate distance ≤ radius)."""
    rows, cols = [], []
    site_groups = sites.groupby("code").indices
    for code, point_idx in points.groupby("code").indices.items():
        site_idx = site_groups.get(code)
        if site_idx is None:
            continue
        km = geodesic_km(
            sites["lon"].to_numpy()[site_idx],
            sites["lat"].to_numpy()[site_idx],
            points["lon"].to_numpy()[point_idx],
            points["lat"].to_numpy()[point_idx],
        )
        s, p = np.nonzero(km * detour <= radius)
        rows.append(site_idx[s])
        cols.append(point_idx[p])
    if not rows:
        return sparse.csr_matrix((len(sites), len(points)))
    rows_all, cols_all = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix(
        (np.ones(len(rows_all)), (rows_all, cols_all)), shape=(len(sites), len(points))
    )


def _gain_curve(
    coverage: sparse.csr_matrix,
    weights: np.ndarray,
    before: float,
    k_max: int,
    method: str,
    time_limit: float,
) -> tuple[pd.DataFrame, dict[int, tuple[int, ...]]]:
    rows = [{"k": 0, "covered": before, "status": "existing", "gap": 0.0}]
    solutions: dict[int, tuple[int, ...]] = {0: ()}
    for size in range(1, k_max + 1):
        if method == "greedy":
            chosen = tuple(greedy_cover(coverage, weights, size))
            cover = (chosen, covered_weight(coverage, weights, chosen), "greedy", None)
        else:
            found = exact_cover(coverage, weights, size, time_limit=time_limit)
            cover = (found.chosen, found.covered, found.status, found.gap)
        solutions[size] = cover[0]
        rows.append({"k": size, "covered": before + cover[1], "status": cover[2], "gap": cover[3]})
    return pd.DataFrame(rows), solutions


def _solve_among(
    demand: pd.DataFrame,
    weights: np.ndarray,
    open_demand: np.ndarray,
    candidates: pd.DataFrame,
    geography: Geography,
    radius_km: float,
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The merged covering problem of ``candidates`` over the demand not yet within reach."""
    coverage = _within(
        demand.iloc[open_demand].reset_index(drop=True), candidates, radius_km, geography.detour
    )
    return merge_demand(coverage, weights[open_demand])


def _chosen(
    candidates: pd.DataFrame, solution: tuple[int, ...], merged, merged_weights
) -> pd.DataFrame:
    chosen = candidates.iloc[list(solution)].copy()
    chosen["covers"] = [covered_weight(merged, merged_weights, [c]) for c in solution]
    return chosen


def _notes(
    candidates: pd.DataFrame,
    radius_km: float,
    k: int,
    status: str,
    delivered: int,
    conditional: int,
    basis: str,
) -> list[Note]:
    notes = [note("sites.solved", candidates=len(candidates), radius=radius_km, k=k, status=status)]
    if delivered < k:
        notes.append(note("sites.fewer", delivered=delivered, k=k))
    if conditional:
        notes.append(note("sites.conditional", n=conditional))
    if basis != "population":
        notes.append(note("sites.equal_demand"))
    return notes


def _stations_credit(geography: Geography) -> dict[str, Dataset]:
    """The stations' dataset (candidate sites include stations)."""
    return geography.frame.datasets_of(["stations"])


@checked
def propose_sites(
    geography: Result[Geography],
    estimate: Result[OfflineEstimate],
    *,
    k: Sites = 5,
    k_max: Sites = 10,
    radius_km: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] = 5.0,
    candidate_kinds: tuple[Literal["shelter", "station"], ...] = ("shelter", "station"),
    time_limit: Positive = 20.0,
    method: Literal["auto", "exact", "greedy"] = "auto",
    spec: str | Path | dict | FormSpec | None = None,
) -> SitesResult:
    """Propose ``k`` new sites where the counter network is known, and the best ``k`` conditional
    ones where it is not.

    Parameters
    ----------
    geography, estimate
        Where people live and the counters they have; how many of them are offline.
    k, k_max : int
        Sites to propose, and the largest K of the gain curve.
    radius_km : float
        Reach of a site, road-approximate (straight line × the geography's detour factor).
    candidate_kinds : tuple
        ``"shelter"`` (community halls, schools) and ``"station"``.
    time_limit : float
        Seconds the solver may take for each K.
    method : {"auto", "exact", "greedy"}
    spec : path, dict or FormSpec, optional
        The support-form spec whose distance cut says where the counter network is unknown.

    Returns
    -------
    SitesResult

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> estimate = divide.estimate_offline(frame, draws=100, validate=False)
    >>> sites = divide.propose_sites(divide.add_geography(frame), estimate, k=2, k_max=3)
    >>> list(sites.gain["k"]), sites.status, sites.chosen["conditional"].any()
    ([0, 1, 2, 3], 'optimal', np.True_)
    """
    if k_max < k:
        raise DivideParameterError(
            f"propose_sites: parameter 'k_max' must be ≥ k = {k} (got {k_max})"
        )
    origin = matching("propose_sites", geography=geography, estimate=estimate)
    forms = FormSpec.load(spec)
    table = geography.municipalities
    access = pd.Series(
        access_levels(
            forms,
            table[forms.access.column].to_numpy(dtype=float),
            table["access_verified"].to_numpy(dtype=bool),
        ),
        index=table.index,
    )
    unknown = set(access.index[access == "unknown"])
    demand = _demand(geography, estimate)
    weights = demand["offline"].to_numpy()
    existing = geography.counters.reset_index(drop=True)
    reach = _within(demand, existing, radius_km, geography.detour)
    covered_existing = np.asarray(reach.sum(axis=0)).ravel() > 0
    before = float(weights[covered_existing].sum())
    candidates = _candidates(geography, candidate_kinds)
    open_demand = np.flatnonzero(~covered_existing & (weights > 0))
    in_unknown = candidates["code"].isin(unknown).to_numpy()
    firm = candidates[~in_unknown].reset_index(drop=True)
    merged, merged_weights = _solve_among(demand, weights, open_demand, firm, geography, radius_km)
    gain, solutions = _gain_curve(merged, merged_weights, before, k_max, method, time_limit)
    chosen = _chosen(firm, solutions[k], merged, merged_weights).assign(conditional=False)
    maybe = candidates[in_unknown].reset_index(drop=True)
    conditional = maybe.iloc[[]].assign(covers=[], conditional=[])
    if len(maybe):
        merged_c, weights_c = _solve_among(
            demand, weights, open_demand, maybe, geography, radius_km
        )
        if merged_c.shape[0] and merged_c.nnz:
            found = exact_cover(merged_c, weights_c, k, time_limit=time_limit)
            conditional = _chosen(maybe, found.chosen, merged_c, weights_c).assign(conditional=True)
    proposed = pd.concat([chosen, conditional], ignore_index=True)
    proposed["network_verified"] = table["access_verified"].reindex(proposed["code"]).to_numpy()
    basis = (
        "population" if (demand["basis"] == BASIS["grid"]).all() else "equal per settlement point"
    )
    status = str(gain.loc[k, "status"])
    return SitesResult(
        origin=origin,
        chosen=proposed,
        covered_before=before,
        covered_after=float(gain.loc[k, "covered"]),
        demand_total=float(weights.sum()),
        gain=gain,
        status=status,
        radius_km=radius_km,
        k=k,
        demand_basis=basis,
        demand=demand.assign(covered_by_existing=covered_existing),
        candidates=candidates.assign(conditional=in_unknown),
        notes=_notes(candidates, radius_km, k, status, len(chosen), len(conditional), basis),
        datasets={
            **geography.datasets,
            **estimate.datasets,
            **_stations_credit(geography),
        },
    )
