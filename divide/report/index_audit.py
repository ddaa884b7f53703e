"""The index audit in the pack's language: how each part weighs and pulls, how each parent holds
together.

Read from :class:`~divide.index.engine.IndexResult` (``audit``, ``consistency``, ``treatment``);
written as lines for the notes sheet, and as one sentence for the method-and-limits slide.
"""

from __future__ import annotations

import math

from divide.index.engine import IndexResult
from divide.index.hierarchy import INDEX
from divide.report.words import AUDIT


def _number(value: float, percent: bool = False) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.0%}" if percent else f"{value:.2f}"


def part_label(index: IndexResult, node: str, lang: str) -> str:
    if node == INDEX:
        return AUDIT[lang]["index_word"]
    for indicator in index.indicators_used:
        if indicator.id == node:
            return indicator.label(lang)
    return index.spec.node_label(node, lang)


def audit_lines(index: IndexResult, lang: str) -> list[str]:
    """Per parent: Cronbach's alpha and the first component; per part: weights and rank
    correlations.
    """
    w = AUDIT[lang]
    lines = [
        w["audit_node"].format(
            node=part_label(index, r.node, lang),
            parts=r.parts,
            alpha=_number(r.cronbach_alpha),
            pc1=_number(r.first_component_share, True),
        )
        for r in index.consistency.itertuples()
    ]
    lines += [
        w["audit_part"].format(
            part=part_label(index, r.part, lang),
            parent=part_label(index, r.parent, lang),
            within=r.weight_in_parent,
            share=r.share_of_index,
            rho_rest=_number(r.spearman_with_rest),
            rho_index=_number(r.spearman_with_index),
        )
        for r in index.audit.itertuples()
    ]
    return lines


def treatment_lines(index: IndexResult, lang: str) -> list[str]:
    """One line per treated indicator: what was done and what it did to the skew."""
    w, out = AUDIT[lang], []
    for r in index.treatment.itertuples():
        kind = "category" if r.treatment.startswith("None (") else r.method
        if kind != "none":
            out.append(
                w[f"treat_{kind}"].format(
                    part=part_label(index, r.indicator, lang),
                    steps=r.steps,
                    high=r.high_points,
                    low=r.low_points,
                    s0=r.skew_before,
                    s1=r.skew_after,
                    k0=r.kurtosis_before,
                    k1=r.kurtosis_after,
                )
            )
    return out


def treatment_sentence(index: IndexResult, lang: str) -> str:
    """The method slide's sentence: what was imputed (and from what), which extreme values were
    capped.
    """
    w, sep = AUDIT[lang], ("、" if lang == "ja" else "; ")
    treated = [
        w["m_treated_log"].format(label=part_label(index, r.indicator, lang))
        if r.method == "log"
        else w["m_treated_item"].format(
            label=part_label(index, r.indicator, lang), n=r.high_points + r.low_points
        )
        for r in index.treatment.itertuples()
        if r.method != "none"
    ]
    group = index.spec.imputation.group
    if index.spec.imputation.method == "none":
        imputation = w["m_not_imputed"]
    else:
        items = []
        for r in index.imputation[index.imputation["imputed"] > 0].itertuples():
            item = w["m_imputed_item"].format(
                label=part_label(index, r.indicator, lang), n=r.imputed
            )
            if r.from_whole_reference:
                item += (
                    ("（" if lang == "ja" else " (")
                    + w["m_fallback"].format(n=r.from_whole_reference)
                    + ("）" if lang == "ja" else ")")
                )
            items.append(item)
        imputation = (
            w["m_imputed"].format(
                group=w.get(f"group_{group}", group) if group else w["m_group_all"],
                items=sep.join(items),
            )
            if items
            else ""
        )
    return w["m_treatment"].format(
        treated=sep.join(treated) or w["m_treated_none"], imputation=imputation
    )


def pillar_list(index: IndexResult, lang: str) -> str:
    """The pillars as one phrase that says how many there are: 3分野（「年齢・世帯・学歴」「地理・アク
    セス」…） in Japanese, "the 3 pillars (“People: age, household, education”; …)" in English. Each
    label is quoted, because the labels themselves join items (年齢・世帯・学歴, "age, household").
    """
    labels = [p.label(lang) for p in index.spec.pillars]
    if lang == "ja":
        return f"{len(labels)}分野（{''.join(f'「{label}」' for label in labels)}）"
    return f"the {len(labels)} pillars ({'; '.join(f'“{label}”' for label in labels)})"
