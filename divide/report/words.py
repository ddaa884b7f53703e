"""Words for the codes the support stage emits: need, access, why to check, the forms themselves.

Stages emit codes (``"many"``, ``"unknown"``, ``"network"``); this module turns them into Japanese
and English for every output that shows them (maps, cards, slides, tables). A form's own label
comes from the support-form spec the plan was made with, so an analyst who relabels a form sees
the new label everywhere.
"""

from __future__ import annotations

import pandas as pd

NEED: dict[str, dict[str, str]] = {
    "high": {"ja": "オフライン率が高い", "en": "high offline share"},
    "many": {
        "ja": "オフライン率は低めだが人数が多い",
        "en": "lower share but many offline residents",
    },
    "low": {"ja": "オフライン率・人数とも低め", "en": "lower share and fewer people"},
}

ACCESS: dict[str, dict[str, str]] = {
    "near": {"ja": "窓口に近い", "en": "near a counter"},
    "far": {"ja": "窓口から遠い", "en": "far from a counter"},
    "unknown": {
        "ja": "窓口網が未確認（距離は把握済みの窓口まで）",
        "en": "counter network not known (distance to known counters only)",
    },
}

WHY_CHECK: dict[str, dict[str, str]] = {
    "need": {
        "ja": "推計の幅の中で必要度の判定が変わりうる（同じ判定{agreement:.0%}）",
        "en": "the need level could change within the estimate's range ({agreement:.0%} agree)",
    },
    "distance": {
        "ja": "窓口までの距離が基準{cut:g} km付近（{km:.1f} km）",
        "en": "distance near the {cut:g} km cut ({km:.1f} km)",
    },
    "network": {
        "ja": "支所・出張所などの窓口網が未確認：まず窓口網を確認",
        "en": "branch offices not known: check the counter network first",
    },
}

SEPARATOR = {"ja": "／", "en": "; "}
JOIN = {"ja": "、", "en": " and "}


def reason(need: str, access: str, lang: str) -> str:
    """Why a form was chosen: its need and its access, in ``lang``."""
    return NEED[need][lang] + JOIN[lang] + ACCESS[access][lang]


def why_check(codes: str, lang: str, *, agreement: float, km: float, cut: float) -> str:
    """Why a form should be checked (empty when it need not be)."""
    found = [c for c in codes.split(";") if c]
    values = {"agreement": agreement, "km": km, "cut": cut}
    return SEPARATOR[lang].join(WHY_CHECK[c][lang].format(**values) for c in found)


def plan_words(plan: object, lang: str) -> pd.DataFrame:
    """Per municipality: the form's label, the reason and why to check, in ``lang``."""
    table = plan.table
    cut = plan.thresholds["access_threshold_km"]
    return pd.DataFrame(
        {
            "support_form_label": plan.label(lang),
            "reason": [
                reason(n, a, lang)
                for n, a in zip(table["need_level"], table["access_level"], strict=True)
            ],
            "why_check": [
                why_check(c, lang, agreement=g, km=k, cut=cut)
                for c, g, k in zip(
                    table["uncertainty"], table["need_agreement"], table["access_km"], strict=True
                )
            ],
        },
        index=table.index,
    )
