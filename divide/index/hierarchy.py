"""The index tree as levels of weight matrices: indicators → pillars → (sub-indices …) → the index.

Each level maps K children onto L parents with a K × L matrix (the child's weight where it belongs
to the parent, 0 elsewhere). The aggregation kernel divides by the weights of the children a
municipality actually has, so a missing child is re-weighted *within its own parent* (COINr's
``na.rm`` rule) and never across the whole index. The top level always has one parent, ``score``
(the index).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from divide.errors import DivideSpecError
from divide.index.spec import IndexSpec, Indicator

INDEX = "score"


@dataclass(frozen=True)
class Level:
    """One aggregation step: children, parents, membership (K × L), the children's weights, the mean
    used.
    """

    children: list[str]
    parents: list[str]
    member: np.ndarray
    weights: np.ndarray
    geometric: bool

    @property
    def matrix(self) -> np.ndarray:
        """K × L weights: a child's weight under its parent, 0 elsewhere."""
        return self.member * self.weights[:, None]

    def within(self) -> np.ndarray:
        """Each child's weight as a share of its parent's (the weights a complete municipality
        gets).
        """
        return self.weights / (self.member @ (self.member.T @ self.weights))

    def parent_of(self) -> list[str]:
        return [self.parents[j] for j in self.member.argmax(axis=1)]


def _level(
    children: list[str], parent_of: dict[str, str], weight: dict[str, float], geometric: bool
) -> Level:
    parents = list(dict.fromkeys(parent_of[c] for c in children))
    member = np.array([[1.0 if parent_of[c] == p else 0.0 for p in parents] for c in children])
    weights = np.array([weight[c] for c in children], dtype=float)
    totals = member.T @ weights
    if np.any(totals <= 0):
        empty = parents[int(np.argmax(totals <= 0))]
        raise DivideSpecError(f"{empty!r}: the weights of its parts with data are all 0")
    return Level(children, parents, member, weights, geometric)


def levels(spec: IndexSpec, used: list[Indicator], pillars: list[str]) -> list[Level]:
    """The levels of the tree restricted to the indicators with data and the pillars they leave."""
    weight = {i.id: i.weight for i in used} | {
        n.id: n.weight for n in (*spec.pillars, *spec.aggregates)
    }
    upward = {n.id: n.parent or INDEX for n in (*spec.pillars, *spec.aggregates)}
    geometric = [spec.indicator_aggregation == "geometric", spec.pillar_aggregation == "geometric"]
    out = [_level([i.id for i in used], {i.id: i.pillar for i in used}, weight, geometric[0])]
    nodes = [p for p in out[0].parents if p in pillars]
    while nodes != [INDEX]:
        out.append(_level(nodes, upward, weight, geometric[1]))
        nodes = out[-1].parents
    return out


def availability(
    tree: list[Level], observed: np.ndarray, threshold: float, usable: np.ndarray
) -> list[np.ndarray]:
    """Per level, n × L: a pillar has at least ``threshold`` of its indicators observed (before
    imputation)
    and at least one usable after it; a node above, any child."""
    first = tree[0]
    share = (observed.astype(float) @ first.member) / first.member.sum(axis=0)
    out = [(share >= threshold - 1e-12) & ((usable.astype(float) @ first.member) > 0)]
    for level in tree[1:]:
        out.append((out[-1].astype(float) @ level.member) > 0)
    return out


def effective(tree: list[Level]) -> np.ndarray:
    """Each indicator's share of the index for a municipality with every part (product of
    within-weights).
    """
    share = np.ones(1)
    for level in reversed(tree):
        share = level.within() * (level.member @ share)
    return share
