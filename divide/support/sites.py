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

import numpy as np
import pandas as pd
from scipy import sparse

from divide.estimate.offline import OfflineEstimate
from divide.geography.access import geodesic_km
from divide.geography.settlements import assign
from divide.geography.stage import Geography
from divide.provenance import Dataset


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
    datasets: dict[str, Dataset] = field(default_factory=dict)


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


def _demand(geography: Geography, estimate: OfflineEstimate) -> pd.DataFrame:
    """Settlement points carrying their municipality's offline head-count, split by the points' weights."""
    demand = geography.settlements[["code", "lon", "lat", "weight", "basis"]].copy()
    heads = estimate.municipalities["offline_count"].reindex(geography.municipalities.index)
    share = demand.groupby("code")["weight"].transform(lambda w: w / w.sum())
    demand["offline"] = share.to_numpy() * heads.reindex(demand["code"]).fillna(0).to_numpy()
    return demand.reset_index(drop=True)


def _candidates(geography: Geography, kinds: tuple[str, ...]) -> pd.DataFrame:
    points = geography.frame.data.layer("points")
    table = geography.municipalities
    cands = points[points["kind"].isin(kinds) & points["code"].str[:2].isin(set(table["pref_code"]))].copy()
    cands["code"] = assign(cands, table)
    cands = cands[cands["code"].notna()]
    return pd.DataFrame({"code": cands["code"].to_numpy(), "name": cands["name"].to_numpy(),
                         "kind": cands["kind"].to_numpy(), "lon": cands.geometry.x.to_numpy(),
                         "lat": cands.geometry.y.to_numpy()}).drop_duplicates(["code", "lon", "lat"]).reset_index(
        drop=True)


def _reduce(matrix: sparse.csr_matrix, weights: np.ndarray, max_candidates: int
            ) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray, int]:
    """Keep the candidates reaching the most demand; merge demand points with the same covering set."""
    reach = matrix @ weights
    order = np.argsort(-reach, kind="stable")
    keep = order[reach[order] > 0][:max_candidates]
    kept = matrix[keep]
    signature = pd.Series([tuple(col.indices) for col in kept.T.tocsr()])
    groups = signature.groupby(signature).ngroup().to_numpy()
    merged_w = np.bincount(groups, weights=weights)
    first = pd.Series(np.arange(len(groups))).groupby(groups).first().to_numpy()
    return keep, kept[:, first].tocsr(), merged_w, int((reach > 0).sum())


def _gain_curve(merged: sparse.csr_matrix, merged_w: np.ndarray, before: float, k_max: int, method: str,
                time_limit: float) -> tuple[pd.DataFrame, dict[int, list[int]]]:
    greedy = greedy_cover(merged, merged_w, k_max)
    rows = [{"k": 0, "covered": before, "method": "existing", "covered_greedy": before}]
    solutions: dict[int, list[int]] = {0: []}
    for size in range(1, k_max + 1):
        solution = None
        if method in ("auto", "exact") and merged.shape[0]:
            solution, _ = exact_cover(merged, merged_w, size, time_limit=time_limit)  # None unless proven optimal
        used = "exact"
        if solution is None:
            # the previous solution plus one greedy step: the gain curve stays non-decreasing
            solution = greedy[:size] if method == "greedy" else greedy_cover(merged, merged_w, size,
                                                                            start=solutions[size - 1])
            used = "greedy"
        solutions[size] = solution
        rows.append({"k": size, "covered": before + covered_weight(merged, merged_w, solution), "method": used,
                     "covered_greedy": before + covered_weight(merged, merged_w, greedy[:size])})
    return pd.DataFrame(rows), solutions


def propose_sites(geography: Geography, estimate: OfflineEstimate, *, k: int = 5, k_max: int = 10,
                  radius_km: float = 5.0, candidate_kinds: tuple[str, ...] = ("shelter", "station"),
                  max_candidates: int = 60, time_limit: float = 20.0, method: str = "auto") -> SitesResult:
    """Propose ``k`` new sites (and the gain curve up to ``k_max``); ``method``: auto | exact | greedy.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> estimate = divide.estimate_offline(frame, draws=50, validate=False)
    >>> sites = divide.propose_sites(divide.add_geography(frame), estimate, k=2, k_max=3)
    >>> len(sites.chosen), list(sites.gain["k"])
    (2, [0, 1, 2, 3])
    """
    demand = _demand(geography, estimate)
    weights = demand["offline"].to_numpy()
    existing = geography.counters.reset_index(drop=True)
    covered_existing = np.asarray(_within(demand, existing, radius_km, geography.detour).sum(axis=0)).ravel() > 0
    before = float(weights[covered_existing].sum())
    cands = _candidates(geography, candidate_kinds)
    open_demand = np.flatnonzero(~covered_existing & (weights > 0))
    reduced = _within(demand.iloc[open_demand].reset_index(drop=True), cands, radius_km, geography.detour)
    keep, merged, merged_w, reaching = _reduce(reduced, weights[open_demand], max_candidates)
    notes = []
    if reaching > len(keep):
        notes.append(f"{reaching} candidates reach uncovered residents; the {len(keep)} reaching the "
                     "most were kept for the optimisation")
    candidates = cands.iloc[keep].reset_index(drop=True)
    gain, solutions = _gain_curve(merged, merged_w, before, k_max, method, time_limit)
    chosen_idx = solutions[min(k, k_max)]
    chosen = candidates.iloc[chosen_idx].copy()
    chosen["covers"] = [covered_weight(merged, merged_w, [c]) for c in chosen_idx]
    if method == "exact" and (gain["method"] == "greedy").any():
        notes.append("the exact solver did not prove optimality within the time limit for some K: greedy used")
    return SitesResult(chosen=chosen.reset_index(drop=True), covered_before=before,
                       covered_after=float(gain.loc[gain["k"] == min(k, k_max), "covered"].iloc[0]),
                       demand_total=float(weights.sum()), gain=gain, method=str(gain["method"].iloc[min(k, k_max)]),
                       demand=demand.assign(covered_by_existing=covered_existing), candidates=candidates, notes=notes,
                       datasets={**geography.datasets, **estimate.datasets,
                                 **{k_: v for k_, v in geography.frame.data.datasets.items() if k_ == "stations"}})
