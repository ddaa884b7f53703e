"""``support_plan``: the form of in-person support for each municipality, how sure it is, and
clusters of need.

The rule is in :mod:`divide.support.forms` (need × access, from the spec); this module applies it to
a prefecture and writes, in both languages, why a form is marked for checking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from divide.errors import DivideParameterError
from divide.estimate.offline import OfflineEstimate
from divide.geography.clusters import islands_note, local_clusters
from divide.geography.stage import Geography
from divide.index.engine import IndexResult
from divide.labels import UNCERTAIN
from divide.provenance import Dataset
from divide.support.forms import FormSpec, need
from divide.validation import Result, Seed, checked


@dataclass
class SupportPlan:
    """Result of :func:`support_plan`.

    Attributes
    ----------
    table : DataFrame
        One row per municipality: ``support_form`` (id, ``_ja``, ``_en``),
        ``reason_ja``/``reason_en``, ``need`` (offline share), ``need_probability`` (share of
        estimate draws with high need), ``need_level`` (high/low), ``access_km``, ``access_level``
        (far/near, as measured), ``access_verified``, ``form_uncertain`` with
        ``uncertainty_ja``/``uncertainty_en`` (why to check), ``headcount`` with ``_lo``/``_hi``,
        ``cluster`` (LISA of need), and ``score``/``rank`` when an index was given.
    thresholds : dict
        The need thresholds (relative and absolute) and the access threshold used.
    notes, datasets
    """

    table: pd.DataFrame
    thresholds: dict
    notes: list[str] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)


def _uncertainty(
    spec: FormSpec, probability: pd.Series, km: pd.Series, verified: pd.Series, lang: str
) -> pd.Series:
    """Why each form should be checked, in ``lang`` (empty when it need not be)."""
    low, high = spec.uncertain.probability
    words = UNCERTAIN[lang]
    cut = spec.access_km
    parts = [
        [words["need"].format(probability=p) if low <= p <= high else "" for p in probability],
        [
            words["access"].format(cut=cut, km=k)
            if abs(k - cut) <= spec.uncertain.access_margin_km
            else ""
            for k in km
        ],
        [
            words["unverified"] if (k > cut and not v) else ""
            for k, v in zip(km, verified, strict=True)
        ],
    ]
    joined = ["; " if lang == "en" else "／"][0]
    return pd.Series(
        [joined.join(p for p in row if p) for row in zip(*parts, strict=True)], index=km.index
    )


def assign_forms(
    geography: Geography, estimate: OfflineEstimate, spec: FormSpec
) -> tuple[pd.DataFrame, dict]:
    """One form per municipality with labels, reasons, how sure it is, and the head-count it must
    reach.
    """
    table = geography.municipalities
    if spec.access.column not in table:
        raise DivideParameterError(f"the geography has no {spec.access.column!r}")
    value, probability, threshold = need(spec, estimate, table.index)
    absolute = np.inf if spec.need.absolute is None else spec.need.absolute
    high = (value > threshold) | (value > absolute)
    km = table[spec.access.column].astype(float)
    verified = table["access_verified"].astype(bool)
    far = km > spec.access_km
    chosen = [
        spec.form("high" if h else "low", "far" if f and v else "near")
        for h, f, v in zip(high, far, verified, strict=True)
    ]
    # an unverified "far" is not a reason: the near form is given, with a reason that says the
    # distance is open
    reasons = [
        getattr(spec.uncertain.reason, "high" if h else "low") if f and not v else form.reason
        for form, h, f, v in zip(chosen, high, far, verified, strict=True)
    ]
    m = estimate.municipalities.reindex(table.index)
    out = pd.DataFrame(
        {
            "support_form": [f.id for f in chosen],
            "support_form_ja": [f.labels.ja for f in chosen],
            "support_form_en": [f.labels.en for f in chosen],
            "reason_ja": [r.ja for r in reasons],
            "reason_en": [r.en for r in reasons],
            "need": value,
            "need_probability": probability,
            "need_level": np.where(high, "high", "low"),
            "access_km": km,
            "access_level": np.where(far, "far", "near"),
            "access_verified": verified,
            "uncertainty_ja": _uncertainty(spec, probability, km, verified, "ja"),
            "uncertainty_en": _uncertainty(spec, probability, km, verified, "en"),
            "headcount": m["offline_count"],
            "headcount_lo": m["offline_count_lo"],
            "headcount_hi": m["offline_count_hi"],
        },
        index=table.index,
    )
    out.insert(out.columns.get_loc("uncertainty_ja"), "form_uncertain", out["uncertainty_en"] != "")
    thresholds = {
        "need_threshold": threshold,
        "need_basis": spec.need.threshold,
        "need_absolute": spec.need.absolute,
        "access_threshold_km": spec.access_km,
    }
    return out, thresholds


@checked
def support_plan(
    geography: Result[Geography],
    estimate: Result[OfflineEstimate],
    index: Result[IndexResult] | None = None,
    *,
    spec: str | Path | dict | FormSpec | None = None,
    seed: Seed = 0,
) -> SupportPlan:
    """One row per municipality: support form (ja/en, reason, how sure), head-count with interval,
    cluster.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> plan = divide.support_plan(divide.add_geography(frame), divide.estimate_offline(frame, draws=100,
    ...                                                                                   validate=False))
    >>> len(plan.table), plan.thresholds["access_threshold_km"]
    (59, 5.0)
    """
    forms = FormSpec.load(spec)
    table, thresholds = assign_forms(geography, estimate, forms)
    clusters = local_clusters(geography.municipalities, table["need"], seed=seed)
    table["cluster"] = clusters["cluster"]
    if index is not None:
        table = table.join(index.scores[["score", "rank"]])
    unused = [f.id for f in forms.forms if f.id not in set(table["support_form"])]
    notes = [f"forms not used with these thresholds: {', '.join(unused)}"] if unused else []
    notes.append(
        f"{int(table['form_uncertain'].sum())} of {len(table)} support forms are marked for "
        "checking "
        f"(need a coin toss, distance near the cut, or a counter network not verified)"
    )
    notes += islands_note(clusters)
    return SupportPlan(
        table=table,
        thresholds=thresholds,
        notes=notes,
        datasets={**geography.datasets, **estimate.datasets},
    )
