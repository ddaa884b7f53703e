"""Where to put new support sites: keep the existing counters, add K sites to reach the most offline residents.

*Demand*: the places people live (the settlement points of the geography stage), each carrying an equal
part of its municipality's estimated offline head-count (population-weighted when a grid is supplied).
*Coverage*: a demand point is covered when a site of its own municipality lies within ``radius_km``
(geodesic × detour, as for access). *Existing*: main offices and any supplied counters. *Candidates*:
community halls and schools (designated shelters) and railway stations.

Maximal covering (Church & ReVelle): choose K candidates to maximise the covered offline head-count.
Solved exactly with PuLP's bundled CBC under a time limit, on a reduced problem: demand already covered
is dropped, demand points with the same set of covering candidates are merged, and only the candidates
covering the most uncovered demand are kept (``max_candidates``, pruning reported). Greedy selection is
the fallback and the comparison (maximal covering is submodular, so greedy reaches at least 1 - 1/e of
the optimum). ``gain`` gives the covered head-count for every K from 0 to ``k_max``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse

from divide.estimate.offline import OfflineEstimate
from divide.geography.access import DETOUR_FACTOR, assign, geodesic_km, service_points, settlement_points
from divide.load import load_layer, same_source
from divide.sources.points import load_points


@dataclass
class SitesResult:
    chosen: pd.DataFrame
    covered_before: float
    covered_after: float
    demand_total: float
    gain: pd.DataFrame
    method: str
    demand: pd.DataFrame
    candidates: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def greedy_cover(coverage: sparse.csr_matrix, weights: np.ndarray, k: int, *,
                 start: list[int] | None = None) -> list[int]:
    """Add, one at a time, the candidate covering the most uncovered weight (ties: lowest index)."""
    chosen = list(start or [])
    covered = np.zeros(coverage.shape[1], dtype=bool)
    for c in chosen:
        covered[coverage[c].indices] = True
    while len(chosen) < min(k, coverage.shape[0]):
        gains = coverage @ np.where(covered, 0.0, weights)
        gains[chosen] = -1.0
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        chosen.append(best)
        covered[coverage[best].indices] = True
    return chosen


def exact_cover(coverage: sparse.csr_matrix, weights: np.ndarray, k: int, *, time_limit: float = 20.0
                ) -> tuple[list[int] | None, bool]:
    """Optimal K-site maximal covering with CBC; returns (chosen, proven optimal)."""
    import pulp

    n_cand, n_dem = coverage.shape
    problem = pulp.LpProblem("maximal_covering", pulp.LpMaximize)
    x = [problem.add_variable(f"x{c}", cat="Binary") for c in range(n_cand)]
    y = [problem.add_variable(f"y{d}", lowBound=0, upBound=1) for d in range(n_dem)]  # integral at the optimum
    problem += pulp.lpSum(float(weights[d]) * y[d] for d in range(n_dem))
    columns = coverage.tocsc()
    for d in range(n_dem):
        problem += y[d] <= pulp.lpSum(x[c] for c in columns[:, d].indices)
    problem += pulp.lpSum(x) <= k
    with warnings.catch_warnings():
        # PuLP 3.3 deprecates its bundled CBC in favour of the separate cbcbox package, which does not
        # yet register as a solver here; the bundled one is used until PuLP 4 (pinned in requirements.lock).
        warnings.simplefilter("ignore", DeprecationWarning)
        status = problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    if pulp.LpStatus[status] != "Optimal":
        return None, False
    return [c for c in range(n_cand) if (x[c].value() or 0) > 0.5], True


def covered_weight(coverage: sparse.csr_matrix, weights: np.ndarray, chosen: list[int]) -> float:
    if not chosen:
        return 0.0
    hit = np.asarray(coverage[chosen].sum(axis=0)).ravel() > 0
    return float(weights[hit].sum())


def _within(frame_points: pd.DataFrame, sites: pd.DataFrame, radius: float, detour: float) -> sparse.csr_matrix:
    """Sites × points coverage (same municipality, road-approximate distance ≤ radius)."""
    rows, cols = [], []
    site_groups = sites.groupby("code").indices
    for code, point_idx in frame_points.groupby("code").indices.items():
        site_idx = site_groups.get(code)
        if site_idx is None:
            continue
        km = geodesic_km(sites["lon"].to_numpy()[site_idx], sites["lat"].to_numpy()[site_idx],
                         frame_points["lon"].to_numpy()[point_idx], frame_points["lat"].to_numpy()[point_idx])
        s, p = np.nonzero(km * detour <= radius)
        rows.append(site_idx[s])
        cols.append(point_idx[p])
    if not rows:
        return sparse.csr_matrix((len(sites), len(frame_points)))
    rows_all, cols_all = np.concatenate(rows), np.concatenate(cols)
    data = np.ones(len(rows_all))
    return sparse.csr_matrix((data, (rows_all, cols_all)), shape=(len(sites), len(frame_points)))


def propose_sites(frame: gpd.GeoDataFrame, estimate: OfflineEstimate, *, k: int = 5, k_max: int = 10,
                  radius_km: float = 5.0, candidate_kinds: tuple[str, ...] = ("shelter", "station"),
                  service_layers: list | None = None, detour: float = DETOUR_FACTOR, max_candidates: int = 60,
                  time_limit: float = 20.0, method: str = "auto") -> SitesResult:
    """Propose ``k`` new sites (and the gain curve up to ``k_max``); ``method``: auto | exact | greedy."""
    points = load_layer("points", **same_source(frame))
    shelters = points[points["kind"] == "shelter"]
    demand = settlement_points(frame, shelters, None)
    heads = estimate.municipalities["offline_count"].reindex(frame.index)
    share = demand.groupby("code")["weight"].transform(lambda w: w / w.sum())
    demand["offline"] = share.to_numpy() * heads.reindex(demand["code"]).fillna(0).to_numpy()
    layers = [layer if isinstance(layer, gpd.GeoDataFrame) else load_points(layer) for layer in service_layers or []]
    existing = service_points(frame, layers).reset_index(drop=True)
    covered_existing = np.asarray(_within(demand, existing, radius_km, detour).sum(axis=0)).ravel() > 0
    weights = demand["offline"].to_numpy()
    before = float(weights[covered_existing].sum())

    cands = points[points["kind"].isin(candidate_kinds)].copy()
    cands["code"] = assign(cands, frame)
    cands = cands[cands["code"].notna()]
    cands = pd.DataFrame({"code": cands["code"].to_numpy(), "name": cands["name"].to_numpy(),
                          "kind": cands["kind"].to_numpy(), "lon": cands.geometry.x.to_numpy(),
                          "lat": cands.geometry.y.to_numpy()}).drop_duplicates(["code", "lon", "lat"])
    cands = cands.reset_index(drop=True)
    open_demand = np.flatnonzero(~covered_existing & (weights > 0))
    reduced = _within(demand.iloc[open_demand].reset_index(drop=True), cands, radius_km, detour)
    reach = reduced @ weights[open_demand]
    order = np.argsort(-reach, kind="stable")
    keep = order[reach[order] > 0][:max_candidates]
    notes = []
    if (reach > 0).sum() > len(keep):
        notes.append(f"{int((reach > 0).sum())} candidates reach uncovered residents; the {len(keep)} reaching the "
                     "most were kept for the optimisation")
    matrix = reduced[keep]
    # merge demand points covered by the same set of candidates
    signature = pd.Series([tuple(col.indices) for col in matrix.T.tocsr()])
    groups = signature.groupby(signature).ngroup().to_numpy()
    merged_w = np.bincount(groups, weights=weights[open_demand])
    first = pd.Series(np.arange(len(groups))).groupby(groups).first().to_numpy()
    merged = matrix[:, first].tocsr()
    candidates = cands.iloc[keep].reset_index(drop=True)
    greedy = greedy_cover(merged, merged_w, k_max)
    gain_rows = [{"k": 0, "covered": before, "method": "existing", "covered_greedy": before}]
    solutions: dict[int, list[int]] = {0: []}
    methods: dict[int, str] = {0: "existing"}
    for size in range(1, k_max + 1):
        solution = None
        if method in ("auto", "exact") and len(candidates):
            solution, _ = exact_cover(merged, merged_w, size, time_limit=time_limit)  # None unless proven optimal
        if solution is None:
            # the previous solution plus one greedy step: the gain curve stays non-decreasing
            solution = greedy[:size] if method == "greedy" else greedy_cover(merged, merged_w, size,
                                                                            start=solutions[size - 1])
            methods[size] = "greedy"
        else:
            methods[size] = "exact"
        solutions[size] = solution
        gain_rows.append({"k": size, "covered": before + covered_weight(merged, merged_w, solution),
                          "method": methods[size],
                          "covered_greedy": before + covered_weight(merged, merged_w, greedy[:size])})
    used_method = methods[min(k, k_max)]
    gain = pd.DataFrame(gain_rows)
    chosen_idx = solutions[min(k, k_max)]
    chosen = candidates.iloc[chosen_idx].copy()
    chosen["covers"] = [covered_weight(merged, merged_w, [c]) for c in chosen_idx]
    if method == "exact" and (gain["method"] == "greedy").any():
        notes.append("the exact solver did not prove optimality within the time limit for some K: greedy used")
    return SitesResult(chosen=chosen.reset_index(drop=True), covered_before=before,
                       covered_after=float(gain.loc[gain["k"] == min(k, k_max), "covered"].iloc[0]),
                       demand_total=float(weights.sum()), gain=gain, method=used_method,
                       demand=demand.assign(covered_by_existing=covered_existing), candidates=candidates, notes=notes)
