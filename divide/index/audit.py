"""The JRC audit of an index, level by level: does each part pull its weight, do the parts of a
parent agree?

For every part (indicator, pillar, sub-index): its nominal weight, its nominal share of the index
(what the weights say), and its Pearson and Spearman correlation with its parent, with the *rest* of
its parent (the parent without it: a part always correlates with a whole it is in, so the rest is
the honest reading), and with the index. A part whose correlation with the index is near zero or
negative carries a weight it does not exert (the JRC's reading of effective weights). For every
parent: Cronbach's alpha of its parts (internal consistency; ≥ 0.7 is the usual reading of "one
thing measured") and the share of their variance on the first principal component (one dimension
behind them when it is large).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from divide.index.hierarchy import INDEX, Level, effective
from divide.index.spec import Indicator


def _corr(a: pd.Series, b: pd.Series, method: str) -> float:
    both = pd.concat([a, b], axis=1).dropna()
    if len(both) < 3 or both.iloc[:, 0].nunique() < 2 or both.iloc[:, 1].nunique() < 2:
        return float("nan")  # a constant has no correlation
    return float(both.iloc[:, 0].corr(both.iloc[:, 1], method=method))


def _children(depth: int, indicators: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """The scores of a level's parts: indicators at level 1, nodes above (ids may repeat across the
    two).
    """
    return indicators if depth == 1 else nodes


def _rest(level: Level, child: str, parts: pd.DataFrame) -> pd.Series:
    """The weighted mean of the child's siblings (its parent without it); empty for an only child."""
    k = level.children.index(child)
    siblings = [j for j in np.flatnonzero(level.member[:, level.member[k].argmax()]) if j != k]
    if not siblings:
        return pd.Series(np.nan, index=parts.index)
    values = parts[[level.children[j] for j in siblings]]
    weights = pd.Series(level.weights[siblings], index=values.columns)
    present = values.notna()
    return (values.fillna(0) * weights).sum(axis=1) / (present * weights).sum(axis=1).where(
        lambda w: w > 0
    )


def level_audit(tree: list[Level], indicators: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """One row per part of every level: weight within its parent, share of the index, correlations."""
    share = {}
    for depth in range(len(tree)):
        below = effective(tree[depth:])
        share.update(dict(zip(tree[depth].children, below, strict=True)))
    rows = []
    for depth, level in enumerate(tree, start=1):
        parts = _children(depth, indicators, nodes)
        for child, parent, within in zip(
            level.children, level.parent_of(), level.within(), strict=True
        ):
            rest = _rest(level, child, parts)
            rows.append(
                {
                    "level": depth,
                    "part": child,
                    "parent": parent,
                    "weight_in_parent": float(within),
                    "share_of_index": float(share[child]),
                    "pearson_with_parent": _corr(parts[child], nodes[parent], "pearson"),
                    "spearman_with_parent": _corr(parts[child], nodes[parent], "spearman"),
                    "spearman_with_rest": _corr(parts[child], rest, "spearman"),
                    "pearson_with_index": _corr(parts[child], nodes[INDEX], "pearson"),
                    "spearman_with_index": _corr(parts[child], nodes[INDEX], "spearman"),
                }
            )
    return pd.DataFrame(rows)


def cronbach_alpha(parts: np.ndarray) -> float:
    """k/(k−1) (1 − Σ var(part) / var(Σ parts)) over the complete rows; NaN for fewer than two
    parts.
    """
    parts = parts[~np.isnan(parts).any(axis=1)]
    k = parts.shape[1]
    if k < 2 or len(parts) < 3:
        return float("nan")
    total = parts.sum(axis=1).var(ddof=1)
    return (
        float(k / (k - 1) * (1 - parts.var(axis=0, ddof=1).sum() / total))
        if total > 0
        else float("nan")
    )


def first_component_share(parts: np.ndarray) -> float:
    """The first principal component's share of the parts' variance (of their correlation matrix)."""
    parts = parts[~np.isnan(parts).any(axis=1)]
    parts = parts[:, parts.std(axis=0) > 0]
    if parts.shape[1] < 2 or len(parts) < 3:
        return float("nan")
    eigen = np.linalg.eigvalsh(np.corrcoef(parts, rowvar=False))
    return float(eigen[-1] / eigen.sum())


def consistency(tree: list[Level], indicators: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Per parent (pillar, sub-index, the index): its parts, Cronbach's alpha, first component's
    share.
    """
    rows = []
    for depth, level in enumerate(tree, start=1):
        parts = _children(depth, indicators, nodes)
        for j, parent in enumerate(level.parents):
            children = [c for c, m in zip(level.children, level.member[:, j], strict=True) if m > 0]
            values = parts[children].to_numpy(dtype=float)
            rows.append(
                {
                    "level": depth + 1,
                    "node": parent,
                    "parts": len(children),
                    "cronbach_alpha": cronbach_alpha(values),
                    "first_component_share": first_component_share(values),
                }
            )
    return pd.DataFrame(rows)


def effective_weights(
    used: list[Indicator], tree: list[Level], audit: pd.DataFrame
) -> pd.DataFrame:
    """Each indicator's nominal weight, its nominal share of the index, and its correlation with the
    index.
    """
    first = audit[audit["level"] == 1].set_index("part")
    ids = [i.id for i in used]
    return pd.DataFrame(
        {
            "indicator": ids,
            "pillar": [i.pillar for i in used],
            "nominal_weight": [i.weight for i in used],
            "index_share": effective(tree),
            "pearson_with_index": first.loc[ids, "pearson_with_index"].to_numpy(),
            "spearman_with_index": first.loc[ids, "spearman_with_index"].to_numpy(),
        }
    )


def node_ranks(nodes: pd.DataFrame) -> pd.DataFrame:
    """The rank of every pillar, sub-index and the index (1 = widest gap, ties share the best rank)."""
    return nodes.rank(ascending=False, method="min").astype("Int64")
