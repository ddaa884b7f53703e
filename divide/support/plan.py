"""``support_plan``: the form of in-person support for each municipality, the people it must reach, clusters."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from divide.errors import DivideParameterError
from divide.estimate.offline import OfflineEstimate
from divide.geography.clusters import islands_note, local_clusters
from divide.geography.stage import Geography
from divide.index.engine import IndexResult
from divide.provenance import Dataset
from divide.support.forms import FormSpec, assign_forms


@dataclass
class SupportPlan:
    """Result of :func:`support_plan`.

    Attributes
    ----------
    table : DataFrame
        One row per municipality: ``support_form`` (id, ``_ja``, ``_en``), ``reason_ja``/``reason_en``,
        ``need``, ``need_level``, ``access_km``, ``access_level``, ``headcount`` with ``_lo``/``_hi``,
        ``cluster`` (LISA of need), ``access_note``, and ``score``/``rank`` when an index was given.
    thresholds : dict
        The need and access thresholds used.
    notes, datasets
    """

    table: pd.DataFrame
    thresholds: dict
    notes: list[str] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)


def support_plan(geography: Geography, estimate: OfflineEstimate, index: IndexResult | None = None, *,
                 spec: str | Path | dict | FormSpec | None = None, seed: int = 0) -> SupportPlan:
    """One row per municipality: support form (ja/en, reason), head-count with interval, LISA cluster of need.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> plan = divide.support_plan(divide.add_geography(frame), divide.estimate_offline(frame, draws=50,
    ...                                                                                   validate=False))
    >>> len(plan.table), plan.thresholds["access_threshold_km"]
    (59, 5.0)
    """
    if not isinstance(geography, Geography):
        raise DivideParameterError("support_plan needs the geography stage's result: call "
                                   "divide.add_geography(frame) first and pass what it returns")
    forms = FormSpec.load(spec)
    table, thresholds = assign_forms(geography.municipalities, estimate, forms)
    clusters = local_clusters(geography.municipalities, table["need"], seed=seed)
    table["cluster"] = clusters["cluster"]
    table["access_note"] = geography.municipalities["access_note"]
    if index is not None:
        table = table.join(index.scores[["score", "rank"]])
    unused = [f.id for f in forms.forms if f.id not in set(table["support_form"])]
    notes = [f"forms not used with these thresholds: {', '.join(unused)}"] if unused else []
    notes += islands_note(clusters)
    return SupportPlan(table=table, thresholds=thresholds, notes=notes,
                       datasets={**geography.datasets, **estimate.datasets})
