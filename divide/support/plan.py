"""``support_plan``: the form of in-person support for each municipality, how sure it is, and
clusters of need.

The rule is in :mod:`divide.support.forms` (need on share and on count × access in three states,
from the spec). This module applies it to the municipalities of an estimate, measures how sure each
choice is from the estimate's draws, and emits codes only: the report layer words them
(:mod:`divide.report.words`).
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
from divide.notes import Note, note
from divide.origin import Origin, matching
from divide.provenance import Dataset
from divide.support.forms import (
    FormSpec,
    access_levels,
    counters_per_municipality,
    need_levels,
    uncertainty,
)
from divide.validation import Result, Seed, check_lang, checked


@dataclass
class SupportPlan:
    """Result of :func:`support_plan`.

    Attributes
    ----------
    table : DataFrame
        One row per municipality: ``support_form`` (the form's id), ``need_level`` (high, many,
        low), ``access_level`` (near, far, unknown), ``share_high`` and ``many_offline`` (each need
        rule on its own), ``need_agreement`` (share of the estimate's draws giving the same need
        level), ``share_probability`` and ``many_probability`` (share of draws in which each rule
        holds), ``offline_share``, ``prefecture_fraction`` (of the prefecture's offline residents),
        ``counters`` (known counters) and ``load_per_counter``, ``access_km``,
        ``access_verified``, ``form_uncertain`` with ``uncertainty`` (codes ``need``,
        ``distance``, ``network`` joined by ``;``), ``headcount`` with ``_lo``/``_hi``,
        ``cluster`` (LISA of the offline share), and ``score``/``rank`` when an index was given.
    spec : FormSpec
        The forms and thresholds used (their labels word the forms).
    thresholds : dict
        The thresholds used, with the prefecture average of the point estimate.
    notes, datasets, origin
    """

    table: pd.DataFrame
    spec: FormSpec
    thresholds: dict
    notes: list[Note] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    origin: Origin | None = None  # the frame the inputs came from

    def label(self, lang: str) -> pd.Series:
        """The form of every municipality, worded in ``lang`` (from the spec)."""
        check_lang(lang, "SupportPlan.label")
        return self.table["support_form"].map(lambda form: self.spec.label(form, lang))

    def counts(self) -> pd.DataFrame:
        """Per form: municipalities and offline residents (point), in the spec's order."""
        grouped = self.table.groupby("support_form").agg(
            municipalities=("headcount", "size"), offline_residents=("headcount", "sum")
        )
        order = [f.id for f in self.spec.forms]
        return grouped.reindex(order).fillna(0).astype({"municipalities": int})

    def __repr__(self) -> str:
        used = self.table["support_form"].value_counts()
        forms = ", ".join(f"{form} {count}" for form, count in used.items())
        return f"<SupportPlan {len(self.table)} municipalities: {forms}>"


def _agreement(levels: np.ndarray, point: np.ndarray) -> np.ndarray:
    return (levels == point[None, :]).mean(axis=0)


def assign_forms(
    geography: Geography, estimate: OfflineEstimate, spec: FormSpec
) -> tuple[pd.DataFrame, dict]:
    """One form per municipality, how sure the need level is, and the head-count it must reach."""
    table = geography.municipalities
    if spec.access.column not in table:
        raise DivideParameterError(f"support_plan: the geography has no {spec.access.column!r}")
    if spec.need.share.column not in estimate.municipalities:
        raise DivideParameterError(
            f"support_plan: need column {spec.need.share.column!r} is not a column of the estimate"
        )
    order = estimate.municipalities.index.get_indexer(table.index)
    m = estimate.municipalities.iloc[order]
    residents = m["residents_15plus"].to_numpy(dtype=float)
    prefectures = table["pref_code"].to_numpy()
    counters = counters_per_municipality(geography.counters, table.index)
    point_share = m[spec.need.share.column].to_numpy(dtype=float)[None, :]
    point = need_levels(
        spec, point_share, residents, prefectures, counters, estimate.reference_share
    )
    drawn = need_levels(
        spec,
        estimate.draws[spec.need.share.column][:, order],
        residents,
        prefectures,
        counters,
        estimate.reference_share,
    )
    km = table[spec.access.column].to_numpy(dtype=float)
    verified = table["access_verified"].to_numpy(dtype=bool)
    access = access_levels(spec, km, verified)
    level = point["level"][0]
    agreement = _agreement(drawn["level"], level)
    counts = m["offline_count"].to_numpy(dtype=float)
    totals = pd.Series(counts).groupby(prefectures).transform("sum").to_numpy()
    out = pd.DataFrame(
        {
            "support_form": [spec.form(n, a).id for n, a in zip(level, access, strict=True)],
            "need_level": level,
            "access_level": access,
            "share_high": point["share_high"][0],
            "many_offline": point["many"][0],
            "need_agreement": agreement,
            "share_probability": drawn["share_high"].mean(axis=0),
            "many_probability": drawn["many"].mean(axis=0),
            "offline_share": point_share[0],
            "prefecture_fraction": counts / np.maximum(totals, 1e-12),
            "counters": counters.astype(int),
            "load_per_counter": counts / counters,
            "access_km": km,
            "access_verified": verified,
            "uncertainty": uncertainty(spec, agreement, km, access),
            "headcount": counts,
            "headcount_lo": m["offline_count_lo"].to_numpy(),
            "headcount_hi": m["offline_count_hi"].to_numpy(),
        },
        index=table.index,
    )
    out.insert(out.columns.get_loc("uncertainty"), "form_uncertain", out["uncertainty"] != "")
    thresholds = {
        "need_basis": spec.need.share.threshold,
        "need_threshold": float(np.average(point["cut"][0], weights=residents)),
        "count_share_of_prefecture": spec.need.count.share_of_prefecture,
        "count_per_counter": spec.need.count.per_counter,
        "access_threshold_km": spec.access_km,
        "detour": geography.detour,
        "agreement": spec.uncertain.agreement,
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
    """One row per municipality: support form, how sure, head-count with interval, cluster.

    Parameters
    ----------
    geography : Geography
        Distances to counters and whether the counter network is known.
    estimate : OfflineEstimate
        Offline shares and counts, with their draws.
    index : IndexResult, optional
        Adds the index score and rank to the table.
    spec : path, dict or FormSpec, optional
        The forms and thresholds (default ``divide/specs/support_forms.yaml``).
    seed : int
        Seed of the permutations of the spatial clusters.

    Returns
    -------
    SupportPlan

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> estimate = divide.estimate_offline(frame, draws=100, validate=False)
    >>> plan = divide.support_plan(divide.add_geography(frame), estimate)
    >>> len(plan.table), plan.thresholds["access_threshold_km"]
    (59, 5.0)
    """
    origin = matching("support_plan", geography=geography, estimate=estimate, index=index)
    forms = FormSpec.load(spec)
    table, thresholds = assign_forms(geography, estimate, forms)
    clusters = local_clusters(geography.municipalities, table["offline_share"], seed=seed)
    table["cluster"] = clusters["cluster"]
    if index is not None:
        table = table.join(index.scores[["score", "rank"]])
    unused = [f.id for f in forms.forms if f.id not in set(table["support_form"])]
    notes = (
        [
            note(
                "plan.unused",
                forms_ja=[forms.label(f, "ja") for f in unused],
                forms_en=[forms.label(f, "en") for f in unused],
            )
        ]
        if unused
        else []
    )
    notes.append(note("plan.marked", n=int(table["form_uncertain"].sum()), total=len(table)))
    notes += islands_note(clusters)
    return SupportPlan(
        origin=origin,
        table=table,
        spec=forms,
        thresholds=thresholds,
        notes=notes,
        datasets={**geography.datasets, **estimate.datasets},
    )
