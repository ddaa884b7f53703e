"""The index audit in the pack's language: how each part weighs and pulls, how each parent holds
together.

Read from :class:`~divide.index.engine.IndexResult` (``audit``, ``consistency``, ``treatment``);
written as lines for the notes sheet, and as one sentence for the method-and-limits slide.
"""

from __future__ import annotations

import math

from divide.index.engine import IndexResult
from divide.index.hierarchy import INDEX

# The words of the audit (notes sheet) and of the method slide's treatment sentence.
AUDIT: dict[str, dict[str, str]] = {
    "ja": {
        "m_treatment": "指数：{imputation}分布の偏りが大きい指標は、"
        "極端な値を次の値まで抑えてから換算した"
        "（{treated}。欧州委員会共同研究センターの COINr と同じ規則）。記録は注記シートに記載。",
        "m_imputed": "欠けた値は{group}の平均で補った（{items}）。",
        "m_imputed_item": "{label} {n}市町村",
        "m_fallback": "うち{n}市町村は区分内に値がなく全体の平均",
        "m_not_imputed": "欠けた値は補わず、同じ柱の他の指標で評価した。",
        "m_treated_none": "該当する指標はなし",
        "m_treated_item": "{label} {n}市町村",
        "m_treated_log": "{label}は対数変換",
        "m_group_all": "全市町村",
        "group_kaso": "同じ過疎区分（全部・一部・なし）の市町村",
        "group_pref_code": "同じ都道府県の市町村",
        "audit_heading": "指数の監査（JRC）",
        "treatment_heading": "外れ値の処理",
        "audit_node": "{node}：構成要素 {parts}、クロンバックのα {alpha}、第1主成分の寄与 {pc1}",
        "audit_part": "{part} → {parent}：上位項目内のウェイト {within:.2f}、"
        "指数に占める名目の比重 {share:.3f}、"
        "順位相関（上位項目の他の要素と {rho_rest}、指数と {rho_index}）",
        "treat_winsorised": "{part}：ウィンザー化 {steps}回（上側 {high}点・下側 {low}点）、歪度 "
        "{s0:.2f}→{s1:.2f}、"
        "尖度 {k0:.2f}→{k1:.2f}",
        "treat_log": "{part}：ウィンザー化で歪みが残るため対数変換、歪度 {s0:.2f}→{s1:.2f}、尖度 "
        "{k0:.2f}→{k1:.2f}",
        "treat_category": "{part}：歪み（歪度 {s0:.2f}）はあるが、"
        "値が3種類以下の区分のため処理せず",
        "index_word": "指数",
    },
    "en": {
        "m_treatment": "Index: {imputation}In strongly skewed indicators the most extreme values "
        "were pulled in to "
        "the next value before rescaling ({treated}; the rule of COINr, the European Commission's "
        "Joint Research Centre tool). The record is in the notes sheet.",
        "m_imputed": "missing values take the mean of {group} (municipalities filled: {items}). ",
        "m_imputed_item": "{label}: {n}",
        "m_fallback": "{n} of them from all, their group having none",
        "m_not_imputed": "missing values are not filled: the pillar's other indicators carry it. ",
        "m_treated_none": "none needed it",
        "m_treated_item": "{label}: {n}",
        "m_treated_log": "{label}: log-transformed",
        "m_group_all": "all municipalities",
        "group_kaso": "municipalities of the same depopulated-area (kaso) status",
        "group_pref_code": "the same prefecture",
        "audit_heading": "index audit (JRC)",
        "treatment_heading": "outlier treatment",
        "audit_node": "{node}: {parts} parts, Cronbach's alpha {alpha}, first principal component "
        "{pc1}",
        "audit_part": "{part} → {parent}: weight within its parent {within:.2f}, nominal share of "
        "the index "
        "{share:.3f}; rank correlation with the rest of its parent {rho_rest}, with the index "
        "{rho_index}",
        "treat_winsorised": "{part}: winsorised in {steps} step(s) ({high} high, {low} low "
        "point(s)), skewness "
        "{s0:.2f}→{s1:.2f}, kurtosis {k0:.2f}→{k1:.2f}",
        "treat_log": "{part}: still skewed after winsorising, so log-transformed; skewness "
        "{s0:.2f}→{s1:.2f}, "
        "kurtosis {k0:.2f}→{k1:.2f}",
        "treat_category": "{part}: skewed (skewness {s0:.2f}) but a category of three values or "
        "fewer: not treated",
        "index_word": "the index",
    },
}


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
    """The pillars' labels as one phrase: 年齢・世帯・学歴・地理… in Japanese; quoted and separated
    by
    semicolons in English, because the labels themselves contain commas ("People: age, household, …")."""
    labels = [p.label(lang) for p in index.spec.pillars]
    return "・".join(labels) if lang == "ja" else "; ".join(f"“{label}”" for label in labels)
