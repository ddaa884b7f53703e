"""``build_index``: a composite digital-gap index from a declarative spec, with its uncertainty.

Steps: pick the spec's indicators from the table (and the offline estimate); drop indicators with no data
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

from divide.errors import DivideParameterError, DivideSpecError
from divide.estimate.offline import OfflineEstimate
from divide.index.aggregate import aggregate, ranks
from divide.index.indicators import ESTIMATE_COLUMNS, indicator_datasets, indicator_table, transform
from divide.index.normalise import Normaliser
from divide.index.spec import IndexSpec, Indicator
from divide.provenance import Dataset
from divide.validation import Result, checked


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
    """Result of :func:`build_index`.

    Attributes
    ----------
    scores : DataFrame
        One column per pillar, ``score`` (0-100, 100 = widest gap), ``rank`` (1 = widest), ``imputed`` and
        ``pillars_missing`` flags.
    indicators : DataFrame
        The normalised indicator scores.
    raw : DataFrame
        The indicator values used (after the spec's transforms).
    effective_weights : DataFrame
        Each indicator's nominal weight, its share of the index after re-weighting, and (the JRC/COINr
        audit) its Pearson and Spearman correlation with the index.
    missing : DataFrame
        What was left out and why.
    notes, datasets
    """

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
    datasets: dict[str, Dataset] = field(default_factory=dict)

    def uncertainty(self, draws: int = 10_000, seed: int = 0, **options: object) -> pd.DataFrame:
        """Monte Carlo ranks and scores; see :func:`divide.index.uncertainty.monte_carlo` for options."""
        from divide.index.uncertainty import monte_carlo, summarise

        rank_draws, score_draws = monte_carlo(self, draws=draws, seed=seed, **options)
        return summarise(rank_draws, score_draws, self.scores.index)

    def sensitivity(self, draws: int = 2_000, seed: int = 0) -> pd.DataFrame:
        """How much each uncertain choice alone moves the ranks (mean absolute rank shift)."""
        from divide.index.uncertainty import sensitivity

        return sensitivity(self, draws=draws, seed=seed)

    def redundancy(self, threshold: float = 0.9, *, within_pillar: bool = True) -> pd.DataFrame:
        """Indicator pairs whose |Spearman| correlation is at least ``threshold`` (of one pillar, or any two)."""
        rows = []
        corr = self.raw.corr(method="spearman")
        ids = [i.id for i in self.indicators_used]
        pillar = {i.id: i.pillar for i in self.indicators_used}
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                rho = corr.loc[ids[a], ids[b]]
                if abs(rho) >= threshold and (not within_pillar or pillar[ids[a]] == pillar[ids[b]]):
                    rows.append({"pillar": pillar[ids[a]], "indicator_a": ids[a], "indicator_b": ids[b],
                                 "spearman": float(rho)})
        return pd.DataFrame(rows, columns=["pillar", "indicator_a", "indicator_b", "spearman"])


def _table_of(data: object) -> tuple[pd.DataFrame, dict[str, Dataset]]:
    """The municipal table of a Geography, a Frame or a plain DataFrame, and the datasets it carries."""
    if isinstance(data, pd.DataFrame):
        return data, {}
    table = getattr(data, "municipalities", None)
    if not isinstance(table, pd.DataFrame):
        raise DivideParameterError(f"build_index: parameter 'data' must be a Geography, a Frame or a DataFrame, "
                                   f"not {type(data).__name__}")
    datasets = dict(getattr(getattr(data, "frame", None), "datasets", {}) or {})
    return table, {**datasets, **dict(getattr(data, "datasets", {}) or {})}


def _reference_table(bounds: str | pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    if isinstance(bounds, pd.DataFrame):
        return bounds
    if bounds == "frame":
        return table
    if bounds == "japan":
        raise DivideParameterError("bounds='japan' needs the national reference: pass "
                                   "bounds=divide.national_indicators(frame.data)")
    raise DivideParameterError(f"bounds must be 'frame' or an indicator table (DataFrame), not {bounds!r}")


def _select(spec: IndexSpec, table: pd.DataFrame) -> tuple[list[Indicator], list[str], list[dict]]:
    """Indicators with data, pillars left with at least one, and what was left out (with why)."""
    used, missing = [], []
    for indicator in spec.indicators:
        if indicator.column not in table.columns:
            hint = " (pass estimate=)" if indicator.column in ESTIMATE_COLUMNS else " (pass a Geography?)"
            raise DivideSpecError(f"indicator {indicator.id!r}: column {indicator.column!r} is not in the table{hint}")
        if table[indicator.column].isna().all():
            missing.append({"level": "indicator", "id": indicator.id, "pillar": indicator.pillar,
                            "reason": "no data for any municipality (e.g. no municipal broadband file supplied)"})
        else:
            used.append(indicator)
    pillars = [p.id for p in spec.pillars if any(i.pillar == p.id for i in used)]
    missing += [{"level": "pillar", "id": p.id, "pillar": p.id,
                 "reason": "no indicator with data: left out, the other pillars re-weighted"}
                for p in spec.pillars if p.id not in pillars]
    if not used:
        raise DivideParameterError("no indicator of the spec has data in this table")
    return used, pillars, missing


def _weights(spec: IndexSpec, used: list[Indicator], pillars: list[str], membership: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    indicator_weights = np.array([i.weight for i in used], dtype=float)
    within = membership @ (membership.T @ indicator_weights)
    if np.any(within <= 0):
        raise DivideSpecError("a pillar's indicators with data all have weight 0")
    pillar_spec = {p.id: p.weight for p in spec.pillars}
    pillar_weights = np.array([pillar_spec[p] for p in pillars], dtype=float)
    if pillar_weights.sum() <= 0:
        raise DivideSpecError("the pillars with data all have weight 0")
    return indicator_weights / within, pillar_weights / pillar_weights.sum()


def _estimate_draws(estimate: OfflineEstimate | None, table: pd.DataFrame, used: list[Indicator]
                    ) -> dict[int, np.ndarray]:
    """Draws of the estimate-based indicators, aligned to ``table`` and transformed like the point values."""
    if estimate is None:
        return {}
    order = estimate.municipalities.index.get_indexer(table.index)
    if (order < 0).any():
        return {}
    draws = {}
    for position, indicator in enumerate(used):
        if indicator.column in estimate.draws:
            sample = estimate.draws[indicator.column][:, order]
            draws[position] = transform(pd.Series(sample.ravel()), indicator.transform).reshape(sample.shape)
    return draws


@checked
def build_index(data: object, spec: str | Path | dict | IndexSpec | None = None, *,
                estimate: Result[OfflineEstimate] | None = None, bounds: str | pd.DataFrame = "frame"
                ) -> IndexResult:
    """Build the index for the municipalities of ``data`` (a Geography, a Frame or a DataFrame of indicators).

    ``spec``: a YAML path, a dict or an :class:`IndexSpec` (default: ``divide/specs/default.yaml``).
    ``estimate``: the :class:`OfflineEstimate` providing estimate-based indicators and their draws.
    ``bounds``: normalise against the table's own municipalities (``"frame"``) or against a given
    indicator table, e.g. all of Japan with :func:`divide.national_indicators`.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> index = divide.build_index(divide.add_geography(frame), estimate=divide.estimate_offline(frame, draws=100,
    ...                                                                                      validate=False))
    >>> sorted(index.scores["rank"])[:3], len(index.scores)
    ([1, 2, 3], 59)
    """
    spec = IndexSpec.load(spec)
    source, carried = _table_of(data)
    table = indicator_table(source, estimate)
    reference = _reference_table(bounds, table)
    used, pillars, missing = _select(spec, table)
    raw = pd.DataFrame({i.id: transform(table[i.column], i.transform) for i in used}, index=table.index)
    reference_values = np.column_stack([transform(reference[i.column], i.transform) for i in used])
    values = raw.to_numpy(dtype=float)
    membership = np.array([[1.0 if i.pillar == p else 0.0 for p in pillars] for i in used])
    present = ~np.isnan(values)
    available = (present.astype(float) @ membership) / membership.sum(axis=0) >= spec.availability - 1e-12
    imputed = ~present
    values = np.where(imputed, np.nanmean(reference_values, axis=0)[None, :], values)
    normaliser = Normaliser(reference_values, np.array([i.direction for i in used], dtype=float),
                            [None if i.goalposts is None else (i.goalposts.lo, i.goalposts.hi) for i in used])
    normalised = normaliser.apply(values, spec.normalisation)
    indicator_weights, pillar_weights = _weights(spec, used, pillars, membership)
    pillar_scores, index_scores = aggregate(
        normalised[None], indicator_weights[None], membership, pillar_weights[None], available,
        np.array([spec.indicator_aggregation == "geometric"]), np.array([spec.pillar_aggregation == "geometric"]))
    scores = _scores(table.index, pillars, pillar_scores[0], index_scores, available, imputed, used)
    context = IndexContext(values=values, normaliser=normaliser, membership=membership,
                           indicator_weights=indicator_weights, pillar_weights=pillar_weights, available=available,
                           estimate_draws=_estimate_draws(estimate, table, used))
    notes = [f"{m['level']} {m['id']}: {m['reason']}" for m in missing]
    if imputed.any():
        notes.append(f"{int(imputed.any(axis=1).sum())} municipalities have imputed indicator values "
                     "(reference mean; column 'imputed')")
    return IndexResult(spec=spec, indicators_used=used, pillars_used=pillars, scores=scores,
                       indicators=pd.DataFrame(normalised, index=table.index, columns=raw.columns), raw=raw,
                       effective_weights=_audit(used, indicator_weights, membership, pillar_weights, raw, scores),
                       missing=pd.DataFrame(missing, columns=["level", "id", "pillar", "reason"]), context=context,
                       notes=notes, datasets=indicator_datasets([i.column for i in used], carried, estimate))


def _scores(index: pd.Index, pillars: list[str], pillar_scores: np.ndarray, index_scores: np.ndarray,
            available: np.ndarray, imputed: np.ndarray, used: list[Indicator]) -> pd.DataFrame:
    scores = pd.DataFrame(pillar_scores, index=index, columns=pillars).where(available)
    scores["score"] = index_scores[0]
    scores["rank"] = ranks(index_scores)[0]
    ids = np.array([i.id for i in used])
    scores["imputed"] = [", ".join(ids[row]) for row in imputed]
    scores["pillars_missing"] = [", ".join(np.array(pillars)[~row]) for row in available]
    return scores


def _audit(used: list[Indicator], indicator_weights: np.ndarray, membership: np.ndarray, pillar_weights: np.ndarray,
           raw: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Nominal and effective weight of each indicator beside its correlation with the index (JRC audit)."""
    oriented = raw.mul([i.direction for i in used], axis=1)

    def corr(column: str, method: str) -> float:
        values = oriented[column]
        if values.nunique() < 2 or scores["score"].nunique() < 2:
            return float("nan")  # a constant has no correlation
        return float(values.corr(scores["score"], method=method))

    return pd.DataFrame({
        "indicator": [i.id for i in used], "pillar": [i.pillar for i in used],
        "nominal_weight": [i.weight for i in used],
        "effective_weight": indicator_weights * (membership @ pillar_weights),
        "pearson_with_index": [corr(i.id, "pearson") for i in used],
        "spearman_with_index": [corr(i.id, "spearman") for i in used],
    })
