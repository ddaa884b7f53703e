"""``build_index``: a composite digital-gap index from a declarative spec, with its uncertainty.

Steps: pick the spec's indicators from the table (and the offline estimate); drop indicators with no
data and pillars left empty, and say so (their weight goes to their siblings, never silently to
zero); leave out a pillar for a municipality that has less than ``availability`` of its indicators;
denominate, transform, impute (overall or group mean/median) and treat outliers
(:mod:`divide.index.prepare`); normalise to gap scores (0 best, 100 worst); aggregate level by level
up the tree (indicators → pillars → sub-indices → index); rank every level (1 = widest gap); audit
every level (:mod:`divide.index.audit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import Field

from divide.errors import DivideParameterError, DivideSpecError
from divide.estimate.offline import OfflineEstimate
from divide.index.aggregate import aggregate
from divide.index.audit import consistency, effective_weights, level_audit, node_ranks
from divide.index.hierarchy import INDEX, Level, availability, levels
from divide.index.indicators import ESTIMATE_COLUMNS, indicator_datasets, indicator_table, transform
from divide.index.normalise import Normaliser
from divide.index.prepare import Prepared, column_values, prepare
from divide.index.spec import IndexSpec, Indicator
from divide.index.treat import report
from divide.index.uncertainty import draw_ranks, rank_sensitivity, summarise
from divide.notes import Note, note
from divide.origin import Origin, matching
from divide.provenance import Dataset
from divide.validation import IndexDraws, Positive, Result, Seed, checked


@dataclass
class IndexContext:
    """Arrays the Monte Carlo reuses (everything already aligned: n municipalities × I indicators)."""

    values: np.ndarray  # n × I imputed values (NaN where nothing filled; the normaliser treats)
    normaliser: Normaliser
    levels: list[Level]  # the tree, indicators → … → index
    available: list[np.ndarray]  # per level: n × L, False where a municipality lacks that node
    present: np.ndarray | None  # n × I, None when every value is there
    estimate_draws: dict[int, np.ndarray] = field(
        default_factory=dict
    )  # indicator position -> D × n raw draws


@dataclass
class IndexResult:
    """Result of :func:`build_index`.

    Attributes
    ----------
    scores : DataFrame
        One column per pillar and sub-index, ``score`` (0-100, 100 = widest gap), ``rank`` (1 =
        widest), ``imputed`` and ``pillars_missing`` flags.
    ranks : DataFrame
        The rank of every pillar, sub-index and the index (1 = widest gap; empty where the part is
        missing).
    indicators : DataFrame
        The normalised indicator scores.
    raw : DataFrame
        The indicator values used (denominated and transformed, before imputation and treatment).
    treatment : DataFrame
        Per indicator: what the outlier treatment did (COINr's wording), points moved, skew and
        kurtosis.
    imputation : DataFrame
        Per indicator: how many values were imputed, and how many of them from the whole reference
        because the municipality's group had no value.
    effective_weights : DataFrame
        Each indicator's nominal weight, its nominal share of the index (``index_share``: the
        product of its weights within each parent up the tree) and its correlation with the index
        (what it exerts).
    audit : DataFrame
        The JRC audit of every level: each part's weight, its correlation with its parent, with the
        rest of its parent (without it) and with the index.
    consistency : DataFrame
        Per pillar, sub-index and the index: Cronbach's alpha of its parts and the first principal
        component's share of their variance.
    missing : DataFrame
        What was left out and why.
    notes, datasets, origin
    """

    spec: IndexSpec
    indicators_used: list[Indicator]
    pillars_used: list[str]
    scores: pd.DataFrame
    ranks: pd.DataFrame
    indicators: pd.DataFrame
    raw: pd.DataFrame
    treatment: pd.DataFrame
    imputation: pd.DataFrame
    effective_weights: pd.DataFrame
    audit: pd.DataFrame
    consistency: pd.DataFrame
    missing: pd.DataFrame
    context: IndexContext
    notes: list[Note] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    origin: Origin | None = None  # the frame the table came from (None for a plain table)

    @property
    def aggregates_used(self) -> list[str]:
        """The sub-indices between the pillars and the index (empty for a two-level spec)."""
        return [
            node for level in self.context.levels[1:] for node in level.parents if node != INDEX
        ]

    def uncertainty(self, draws: int = 10_000, seed: int = 0, **options: object) -> pd.DataFrame:
        """Monte Carlo ranks and scores; see :func:`monte_carlo` for options."""
        rank_draws, score_draws = monte_carlo(self, draws=draws, seed=seed, **options)
        return summarise(rank_draws, score_draws, self.scores.index)

    def sensitivity(self, draws: int = 2_000, seed: int = 0) -> pd.DataFrame:
        """How much each uncertain choice alone moves the ranks (mean absolute rank shift)."""
        return sensitivity(self, draws=draws, seed=seed)

    def redundancy(self, threshold: float = 0.9, *, within_pillar: bool = True) -> pd.DataFrame:
        """Indicator pairs whose |Spearman| correlation is at least ``threshold`` (of one pillar, or
        any two).
        """
        rows = []
        corr = self.raw.corr(method="spearman")
        ids = [i.id for i in self.indicators_used]
        pillar = {i.id: i.pillar for i in self.indicators_used}
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                rho = corr.loc[ids[a], ids[b]]
                if abs(rho) >= threshold and (
                    not within_pillar or pillar[ids[a]] == pillar[ids[b]]
                ):
                    rows.append(
                        {
                            "pillar": pillar[ids[a]],
                            "indicator_a": ids[a],
                            "indicator_b": ids[b],
                            "spearman": float(rho),
                        }
                    )
        return pd.DataFrame(rows, columns=["pillar", "indicator_a", "indicator_b", "spearman"])

    def __repr__(self) -> str:
        return (
            f"<IndexResult {self.spec.name!r}: {len(self.scores)} municipalities, pillars "
            f"{', '.join(self.pillars_used)}>"
        )


def _table_of(data: object) -> tuple[pd.DataFrame, dict[str, Dataset]]:
    """The municipal table of a Geography, a Frame or a plain DataFrame, and the datasets it
    carries.
    """
    if isinstance(data, pd.DataFrame):
        return data, {}
    table = getattr(data, "municipalities", None)
    if not isinstance(table, pd.DataFrame):
        raise DivideParameterError(
            f"build_index: parameter 'data' must be a Geography, a Frame or a DataFrame, "
            f"not {type(data).__name__}"
        )
    datasets = dict(getattr(getattr(data, "frame", None), "datasets", {}) or {})
    return table, {**datasets, **dict(getattr(data, "datasets", {}) or {})}


def _check_rows(table: pd.DataFrame, estimate: OfflineEstimate | None) -> None:
    """A plain table carries no origin: its municipalities must at least be the estimate's, or the
    estimate's indicators would be missing everywhere and imputed without a word.
    """
    if estimate is None:
        return
    foreign = table.index.difference(estimate.municipalities.index)
    if len(foreign):
        raise DivideParameterError(
            f"build_index: {len(foreign)} of the table's {len(table)} municipalities (e.g. "
            f"{foreign[0]}) are not in the estimate (from {estimate.origin}): pass the estimate of "
            "the same frame"
        )


def _reference_table(bounds: str | pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    if isinstance(bounds, pd.DataFrame):
        return bounds
    if bounds == "frame":
        return table
    if bounds == "japan":
        raise DivideParameterError(
            "bounds='japan' needs the national reference: pass "
            "bounds=divide.national_indicators(frame.data)"
        )
    raise DivideParameterError(
        f"bounds must be 'frame' or an indicator table (DataFrame), not {bounds!r}"
    )


def _select(spec: IndexSpec, table: pd.DataFrame) -> tuple[list[Indicator], list[str], list[dict]]:
    """Indicators with data, pillars left with at least one, and what was left out (with why)."""
    used, missing = [], []
    for indicator in spec.indicators:
        if indicator.column not in table.columns:
            hint = (
                " (pass estimate=)"
                if indicator.column in ESTIMATE_COLUMNS
                else " (pass a Geography?)"
            )
            raise DivideSpecError(
                f"indicator {indicator.id!r}: column {indicator.column!r} is not in the table{hint}"
            )
        if np.isnan(column_values(table, indicator)).all():
            why = " after division by its denominator" if indicator.denominator else ""
            missing.append(
                {
                    "level": "indicator",
                    "id": indicator.id,
                    "pillar": indicator.pillar,
                    "reason": f"no data for any municipality{why} (e.g. no municipal broadband "
                    "file supplied)",
                }
            )
        else:
            used.append(indicator)
    pillars = [p.id for p in spec.pillars if any(i.pillar == p.id for i in used)]
    missing += [
        {
            "level": "pillar",
            "id": p.id,
            "pillar": p.id,
            "reason": "no indicator with data: left out, the other pillars re-weighted",
        }
        for p in spec.pillars
        if p.id not in pillars
    ]
    if not used:
        raise DivideParameterError("no indicator of the spec has data in this table")
    return used, pillars, missing


def _estimate_draws(
    estimate: OfflineEstimate | None, table: pd.DataFrame, used: list[Indicator]
) -> dict[int, np.ndarray]:
    """Draws of the estimate-based indicators, aligned to ``table``, denominated and transformed
    like the point values.

    Treatment is the normaliser's: the draws meet the caps fitted on the point values.
    """
    if estimate is None:
        return {}
    order = estimate.municipalities.index.get_indexer(table.index)
    if (order < 0).any():
        return {}
    draws = {}
    for position, indicator in enumerate(used):
        if indicator.column in estimate.draws:
            sample = estimate.draws[indicator.column][:, order].astype(float)
            if indicator.denominator is not None:
                denominator = table[indicator.denominator.column].to_numpy(dtype=float)
                sample = sample / np.where(denominator != 0, denominator, np.nan)[None, :]
            draws[position] = transform(pd.Series(sample.ravel()), indicator.transform).reshape(
                sample.shape
            )
    return draws


@checked
def build_index(
    data: object,
    spec: str | Path | dict | IndexSpec | None = None,
    *,
    estimate: Result[OfflineEstimate] | None = None,
    bounds: str | pd.DataFrame = "frame",
) -> IndexResult:
    """Build the index for the municipalities of ``data`` (a Geography, a Frame or a DataFrame of
    indicators).

    ``spec``: a YAML path, a dict or an :class:`IndexSpec` (default: ``divide/specs/default.yaml``).
    ``estimate``: the :class:`OfflineEstimate` providing estimate-based indicators and their draws.
    ``bounds``: normalise (and impute and treat) against the table's own municipalities
    (``"frame"``) or against a given indicator table, e.g. all of Japan with
    :func:`divide.national_indicators`.

    Parameters
    ----------
    data : Geography, Frame or DataFrame
        The municipalities and their indicators.
    spec : str, Path, dict or IndexSpec, optional
        The index spec (default ``divide/specs/default.yaml``).
    estimate : OfflineEstimate, optional
        Provides the estimate-based indicators and their draws.
    bounds : "frame" or DataFrame
        Normalise against the table's own municipalities, or against a reference table (all of
        Japan: :func:`divide.national_indicators`).

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> estimate = divide.estimate_offline(frame, draws=100, validate=False)
    >>> index = divide.build_index(divide.add_geography(frame), estimate=estimate)
    >>> sorted(index.scores["rank"])[:3], len(index.scores)
    ([1, 2, 3], 59)
    """
    origin = matching("build_index", data=data, estimate=estimate)
    spec = IndexSpec.load(spec)
    source, carried = _table_of(data)
    _check_rows(source, estimate)
    table = indicator_table(source, estimate)
    used, pillars, missing = _select(spec, table)
    prepared = prepare(spec, used, table, _reference_table(bounds, table))
    tree = levels(spec, used, pillars)
    normaliser = Normaliser(
        prepared.reference,
        np.array([i.direction for i in used], dtype=float),
        [None if i.goalposts is None else (i.goalposts.lo, i.goalposts.hi) for i in used],
        prepared.treated,
    )
    normalised = normaliser.apply(prepared.values, spec.normalisation)
    present = ~np.isnan(normalised)
    available = availability(tree, prepared.raw.notna().to_numpy(), spec.availability, present)
    present = None if present.all() else present
    level_scores = aggregate(
        np.nan_to_num(normalised)[None],
        [lv.matrix[None] for lv in tree],
        available,
        [np.array([lv.geometric]) for lv in tree],
        present,
    )
    nodes = _node_table(tree, level_scores, available, table.index)
    indicators = pd.DataFrame(normalised, index=table.index, columns=prepared.raw.columns)
    scores = _scores(nodes, prepared, tree, available)
    context = IndexContext(
        values=prepared.values,
        normaliser=normaliser,
        levels=tree,
        available=available,
        present=present,
        estimate_draws=_estimate_draws(estimate, table, used),
    )
    missing += [
        {"level": "aggregate", "id": a.id, "pillar": a.id, "reason": "no pillar with data under it"}
        for a in spec.aggregates
        if a.id not in nodes.columns
    ]
    audit = level_audit(tree, indicators, nodes)
    return IndexResult(
        origin=origin,
        spec=spec,
        indicators_used=used,
        pillars_used=pillars,
        scores=scores,
        ranks=node_ranks(nodes),
        indicators=indicators,
        raw=prepared.raw,
        treatment=pd.DataFrame(report(prepared.treated)),
        imputation=pd.DataFrame(
            {
                "indicator": prepared.raw.columns,
                "imputed": prepared.imputed.sum(axis=0),
                "from_whole_reference": prepared.fallback.sum(axis=0),
            }
        ),
        effective_weights=effective_weights(used, tree, audit),
        audit=audit,
        consistency=consistency(tree, indicators, nodes),
        missing=pd.DataFrame(missing, columns=["level", "id", "pillar", "reason"]),
        context=context,
        notes=_notes(missing, prepared, spec),
        datasets=indicator_datasets([i.column for i in used], carried, estimate),
    )


def _node_table(
    tree: list[Level], level_scores: list[np.ndarray], available: list[np.ndarray], index: pd.Index
) -> pd.DataFrame:
    """Scores of every pillar, sub-index and the index (``score``), empty where a municipality lacks
    the node.
    """
    columns = {}
    for level, values, ok in zip(tree, level_scores, available, strict=True):
        for j, node in enumerate(level.parents):
            columns[node] = np.where(ok[:, j], values[0, :, j], np.nan)
    return pd.DataFrame(columns, index=index)


def _scores(
    nodes: pd.DataFrame, prepared: Prepared, tree: list[Level], available: list[np.ndarray]
) -> pd.DataFrame:
    scores = nodes.copy()
    scores["rank"] = scores[INDEX].rank(ascending=False, method="min").astype(np.int64)
    ids = np.array(prepared.raw.columns)
    scores["imputed"] = [", ".join(ids[row]) for row in prepared.imputed]
    scores["pillars_missing"] = [", ".join(np.array(tree[0].parents)[~row]) for row in available[0]]
    return scores


def _labels(spec: IndexSpec, part: str) -> dict[str, str]:
    """The spec's own words for an indicator or pillar (the analyst's labels travel with a note)."""
    nodes = {n.id: n for n in (*spec.pillars, *spec.aggregates, *spec.indicators)}
    node = nodes.get(part)
    return {f"label_{lang}": node.label(lang) if node else part for lang in ("ja", "en")}


def _notes(missing: list[dict], prepared: Prepared, spec: IndexSpec) -> list[Note]:
    notes = [note("index.no_data", **_labels(spec, m["id"])) for m in missing]
    notes += [
        note("index.shared", column=column, n=len(ids), ids=", ".join(ids))
        for column, ids in spec.shared_columns().items()
    ]
    imputed = prepared.imputed
    if imputed.any():
        notes.append(
            note(
                "index.imputed",
                n=int(imputed.any(axis=1).sum()),
                method=spec.imputation.method,
                group=spec.imputation.group or "",
            )
        )
    if prepared.fallback.any():
        notes.append(
            note("index.fallback", n=int(prepared.fallback.sum()), group=spec.imputation.group)
        )
    notes += [
        note(
            "index.treated",
            **_labels(spec, t.indicator),
            method=t.method,
            steps=t.steps,
            high=t.high_points,
            low=t.low_points,
            skew_before=round(t.skew_before, 2),
            skew_after=round(t.skew_after, 2),
        )
        for t in prepared.treated
        if t.method != "none"
    ]
    notes += [
        note("index.not_treated", **_labels(spec, t.indicator), skew=round(t.skew_before, 2))
        for t in prepared.treated
        if t.reason
    ]
    return notes


# ---------------------------------------------------------------------------------------------
# Uncertainty of the ranks (the kernel: divide.index.uncertainty)
# ---------------------------------------------------------------------------------------------


@checked
def monte_carlo(
    result: Result[IndexResult],
    *,
    draws: IndexDraws = 10_000,
    seed: Seed = 0,
    weights: bool = True,
    normalisation: bool = True,
    aggregation: bool = True,
    estimate: bool = True,
    concentration: Positive = 20.0,
    chunk: Annotated[int, Field(ge=1, le=10_000)] = 500,
) -> tuple[np.ndarray, np.ndarray]:
    """Rank and score draws (draws × municipalities) of an
    :class:`~divide.index.engine.IndexResult`.

    All estimate-based indicators of one draw come from the *same* draw of the estimate, so that
    their joint uncertainty (e.g. an age part and a geography part that add up) is kept.

    Parameters
    ----------
    result : IndexResult
        The index to perturb.
    draws : int
        Monte Carlo draws.
    seed : int
        Seed of the draws.
    weights, normalisation, aggregation, estimate : bool
        Which sources of uncertainty to vary.
    concentration : float
        Dirichlet concentration of the weight draws (higher: closer to the spec's weights).
    chunk : int
        Draws computed at once (memory).

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31")
    >>> estimate = divide.estimate_offline(frame, draws=100, validate=False)
    >>> result = divide.build_index(divide.add_geography(frame), estimate=estimate)
    >>> ranks, scores = divide.monte_carlo(result, draws=200)
    >>> ranks.shape == (200, len(frame.municipalities)), int(ranks.min()), int(ranks.max()) <= 19
    (True, 1, True)
    """
    return draw_ranks(
        result,
        draws=draws,
        seed=seed,
        weights=weights,
        normalisation=normalisation,
        aggregation=aggregation,
        estimate=estimate,
        concentration=concentration,
        chunk=chunk,
    )


@checked
def sensitivity(
    result: Result[IndexResult], *, draws: IndexDraws = 2_000, seed: Seed = 0
) -> pd.DataFrame:
    """Mean absolute rank shift from the point ranking when only one choice varies, and all
    together.

    Parameters
    ----------
    result : IndexResult
        The index.
    draws : int
        Monte Carlo draws per choice.
    seed : int
        Seed of the draws.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("31")
    >>> estimate = divide.estimate_offline(frame, draws=100, validate=False)
    >>> result = divide.build_index(divide.add_geography(frame), estimate=estimate)
    >>> list(sensitivity(result, draws=100)["factor"])
    ['weights', 'normalisation', 'aggregation', 'estimate', 'all']
    """
    return rank_sensitivity(result, draws=draws, seed=seed)
