"""``build_index``: a composite digital-gap index from a declarative spec, with its uncertainty.

Steps: pick the spec's indicators from the frame (and the offline estimate); drop indicators with no data
and pillars left empty, and say so (their weight goes to the others, never silently to zero); leave out a
pillar for a municipality that has less than ``availability`` of its indicators; impute the remaining
gaps with the reference mean and flag them; normalise to gap scores (0 best, 100 worst); aggregate
indicators into pillars and pillars into the index; rank (1 = widest gap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from divide.estimate.offline import OfflineEstimate
from divide.index.aggregate import aggregate, ranks
from divide.index.indicators import ESTIMATE_COLUMNS, indicator_table, transform
from divide.index.normalise import Normaliser
from divide.index.spec import IndexSpec, Indicator


@dataclass
class IndexContext:
    """Arrays the Monte Carlo reuses (everything already aligned: n municipalities × I indicators)."""

    values: np.ndarray                 # n × I transformed raw values, imputed
    normaliser: Normaliser
    membership: np.ndarray             # I × P
    indicator_weights: np.ndarray      # I (normalised within pillar)
    pillar_weights: np.ndarray         # P (normalised)
    available: np.ndarray              # n × P
    estimate_draws: dict[int, np.ndarray] = field(default_factory=dict)  # indicator position -> D × n raw draws


@dataclass
class IndexResult:
    """``scores``: one column per pillar, ``score`` (0-100, 100 = widest gap), ``rank`` (1 = widest),
    ``imputed`` and ``pillars_missing`` flags. ``indicators``: the normalised indicator scores.
    ``effective_weights``: each indicator's share of the index after re-weighting. ``missing``: what was
    left out and why."""

    spec: IndexSpec
    indicators_used: list[Indicator]
    pillars_used: list[str]
    scores: pd.DataFrame
    indicators: pd.DataFrame
    raw: pd.DataFrame
    effective_weights: pd.DataFrame
    missing: pd.DataFrame
    context: IndexContext
    notes: list[str] = field(default_factory=list)

    def uncertainty(self, draws: int = 10_000, seed: int = 0, **options: object) -> pd.DataFrame:
        """Monte Carlo ranks and scores; see :func:`divide.index.uncertainty.monte_carlo` for options."""
        from divide.index.uncertainty import monte_carlo, summarise

        rank_draws, score_draws = monte_carlo(self, draws=draws, seed=seed, **options)
        return summarise(rank_draws, score_draws, self.scores.index)

    def sensitivity(self, draws: int = 2_000, seed: int = 0) -> pd.DataFrame:
        """How much each uncertain choice alone moves the ranks (mean absolute rank shift)."""
        from divide.index.uncertainty import sensitivity

        return sensitivity(self, draws=draws, seed=seed)

    def redundancy(self, threshold: float = 0.9) -> pd.DataFrame:
        """Indicator pairs of one pillar whose Spearman correlation exceeds ``threshold``."""
        rows = []
        for pillar in self.pillars_used:
            members = [i for i in self.indicators_used if i.pillar == pillar]
            corr = self.raw[[i.id for i in members]].corr(method="spearman")
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    rho = corr.iloc[a, b]
                    if abs(rho) > threshold:
                        rows.append({"pillar": pillar, "indicator_a": members[a].id, "indicator_b": members[b].id,
                                     "spearman": float(rho)})
        return pd.DataFrame(rows, columns=["pillar", "indicator_a", "indicator_b", "spearman"])


def _reference_table(bounds: str | pd.DataFrame, table: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    if isinstance(bounds, pd.DataFrame):
        return bounds
    if bounds == "frame":
        return table
    if bounds == "japan":
        from divide.estimate import estimate_offline
        from divide.geography import add_geography
        from divide.load import load_frame, same_source

        national = add_geography(load_frame(None, **same_source(frame)))
        return indicator_table(national, estimate_offline(national, draws=50, validate=False))
    raise ValueError("bounds must be 'frame', 'japan' or an indicator table (DataFrame)")


def build_index(frame: pd.DataFrame, spec: str | Path | dict | IndexSpec | None = None, *,
                estimate: OfflineEstimate | None = None, bounds: str | pd.DataFrame = "frame") -> IndexResult:
    """Build the index for the municipalities of ``frame`` (usually after ``add_geography``).

    ``spec``: a YAML path, a dict or an :class:`IndexSpec` (default: ``divide/specs/default.yaml``).
    ``estimate``: the :class:`OfflineEstimate` providing estimate-based indicators and their draws.
    ``bounds``: normalise against the frame's own municipalities (``"frame"``), against all of Japan
    (``"japan"``, comparable across prefectures), or against a given indicator table.
    """
    spec = IndexSpec.load(spec)
    table = indicator_table(frame, estimate)
    reference = _reference_table(bounds, table, frame)
    used, missing = [], []
    for indicator in spec.indicators:
        if indicator.column not in table.columns:
            hint = " (pass estimate=)" if indicator.column in ESTIMATE_COLUMNS else " (run add_geography?)"
            missing.append({"level": "indicator", "id": indicator.id, "pillar": indicator.pillar,
                            "reason": f"column {indicator.column!r} not in the frame{hint}"})
        elif table[indicator.column].isna().all():
            missing.append({"level": "indicator", "id": indicator.id, "pillar": indicator.pillar,
                            "reason": "no data for any municipality (e.g. no municipal broadband file supplied)"})
        else:
            used.append(indicator)
    pillars = [p.id for p in spec.pillars if any(i.pillar == p.id for i in used)]
    for pillar in spec.pillars:
        if pillar.id not in pillars:
            missing.append({"level": "pillar", "id": pillar.id, "pillar": pillar.id,
                            "reason": "no indicator with data: left out, the other pillars re-weighted"})
    if not used:
        raise ValueError("no indicator of the spec has data in this frame")

    raw = pd.DataFrame({i.id: transform(table[i.column], i.transform) for i in used}, index=table.index)
    reference_values = np.column_stack([transform(reference[i.column], i.transform) for i in used])
    values = raw.to_numpy(dtype=float)
    membership = np.array([[1.0 if i.pillar == p else 0.0 for p in pillars] for i in used])
    present = ~np.isnan(values)
    share_present = (present.astype(float) @ membership) / membership.sum(axis=0)
    available = share_present >= spec.availability - 1e-12
    fill = np.nanmean(reference_values, axis=0)
    imputed = ~present
    values = np.where(imputed, fill[None, :], values)

    directions = np.array([i.direction for i in used], dtype=float)
    normaliser = Normaliser(reference_values, directions, [i.goalposts for i in used])
    normalised = normaliser.apply(values, spec.normalisation)
    indicator_weights = np.array([i.weight for i in used], dtype=float)
    indicator_weights = indicator_weights / (membership @ (membership.T @ indicator_weights))
    pillar_spec = {p.id: p.weight for p in spec.pillars}
    pillar_weights = np.array([pillar_spec[p] for p in pillars], dtype=float)
    pillar_weights = pillar_weights / pillar_weights.sum()

    pillar_scores, index_scores = aggregate(
        normalised[None], indicator_weights[None], membership, pillar_weights[None], available,
        np.array([spec.indicator_aggregation == "geometric"]), np.array([spec.pillar_aggregation == "geometric"]))
    scores = pd.DataFrame(pillar_scores[0], index=table.index, columns=pillars).where(available)
    scores["score"] = index_scores[0]
    scores["rank"] = ranks(index_scores)[0]
    ids = np.array([i.id for i in used])
    scores["imputed"] = [", ".join(ids[row]) for row in imputed]
    scores["pillars_missing"] = [", ".join(np.array(pillars)[~row]) for row in available]

    effective = pd.DataFrame({
        "indicator": ids, "pillar": [i.pillar for i in used],
        "nominal_weight": [i.weight for i in used],
        "effective_weight": indicator_weights * (membership @ pillar_weights),
    })
    positions = {i.column: k for k, i in enumerate(used)}
    draws = {}
    if estimate is not None:
        order = estimate.municipalities.index.get_indexer(table.index)
        if (order >= 0).all():
            draws = {positions[c]: estimate.draws[c][:, order] for c in ("offline_share", "age_expected_share",
                                                                          "geo_part") if c in positions}
    draws = {k: np.asarray(transform(pd.Series(v.ravel()), used[k].transform)).reshape(v.shape)
             for k, v in draws.items()}
    context = IndexContext(values=values, normaliser=normaliser, membership=membership,
                           indicator_weights=indicator_weights, pillar_weights=pillar_weights, available=available,
                           estimate_draws=draws)
    notes = [f"{m['level']} {m['id']}: {m['reason']}" for m in missing]
    if imputed.any():
        notes.append(f"{int(imputed.any(axis=1).sum())} municipalities have imputed indicator values "
                     "(reference mean; column 'imputed')")
    return IndexResult(spec=spec, indicators_used=used, pillars_used=pillars, scores=scores,
                       indicators=pd.DataFrame(normalised, index=table.index, columns=ids), raw=raw,
                       effective_weights=effective, missing=pd.DataFrame(missing, columns=["level", "id", "pillar",
                                                                                           "reason"]),
                       context=context, notes=notes)
