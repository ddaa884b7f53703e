"""Every word divide shows a reader, in Japanese and English: one table per concept, chosen by ``lang``.

Column headers of the municipal frame live with the column catalogue (:mod:`divide.frame.columns`);
everything else a map, card, chart, slide or table prints comes from here, so that a Japanese pack is
Japanese throughout and an English pack English throughout (a test scans both).
"""

from __future__ import annotations

LANGS = ("ja", "en")

# Words of maps, charts, cards and slides.
TERMS: dict[str, dict[str, str]] = {
    "ja": {
        "offline_share": "インターネットを利用していない住民の割合（15歳以上、推計）",
        "offline_count": "インターネットを利用していない住民の数（15歳以上、推計）",
        "age_part": "オフライン率の全国差のうち年齢構成による部分",
        "settlement_part": "オフライン率の全国差のうち地理的条件（過疎・低密度）による部分",
        "composition_part": "オフライン率の全国差のうち学歴構成による部分",
        "score": "デジタル・ギャップ指数（100＝差が最も大きい）",
        "access": "最寄りの窓口までの平均距離（道路換算）",
        "forms": "オフライン支援の形と提案する支援拠点",
        "change": "オフライン住民数の変化（2025→2035年、推計）",
        "gain": "新しい支援拠点の数と、半径{radius:g} km以内に届くオフライン住民の数",
        "share": "オフライン率", "count": "オフライン住民", "interval": "90%区間", "rank": "順位",
        "km": "平均距離", "p90": "90パーセンタイル", "form": "支援の形", "offices": "本庁舎",
        "sites": "提案する支援拠点", "change_pct": "変化率", "sites_axis": "追加する拠点数",
        "covered_axis": "半径内に届くオフライン住民（人）", "optimal": "最適解（証明済み）",
        "best_found": "最良解（時間制限内、最適性は未証明）", "greedy": "貪欲法による解", "existing": "既存の窓口のみ",
        "proposed_k": "提案：{k}か所", "to_check": "要確認（判定が不確か・窓口網が未確認）", "why_check": "要確認",
        "extrapolated": "学歴構成がモデルの範囲外（推計は範囲の端で、区間を拡大）",
        "need_probability": "必要度が高い確率", "access_verified": "窓口網",
        "verified_yes": "確認済み", "verified_no": "未確認（距離は上限）",
        "pp": "全国差（ポイント）", "index": "指数",
        "age": "年齢", "use": "利用率", "curve": "推定曲線（1歳ごと）", "bands": "調査（年齢階級）",
        "age_title": "年齢別のスマートフォン・タブレット利用（内閣府2023）と推定曲線",
        "share_15": "オフライン率（15歳以上）", "ranked": "市町村別オフライン率と90%区間",
        "rank_axis": "指数順位（1＝差が最も大きい）", "ranks": "指数順位と5〜95%区間（モンテカルロ）",
        "shift": "平均順位変動", "sensitivity": "順位を動かす要因（感度分析）", "year": "年",
        "count_15": "オフライン住民（15歳以上）", "projection": "オフライン住民数の見通し（2020→2035）",
        "band": "幅（3つのシナリオと推計の90%区間）", "scenario_cohort": "世代交代（各世代が2025年の率を保つ）",
        "scenario_constant_rates": "年齢別の率が一定", "scenario_survey_trend": "調査の傾向を延長（中心）",
        "heads": "オフライン住民（15歳以上）", "of": "位／", "rank_interval": "5〜95%区間",
        "cluster": "空間クラスター", "this": "当該市町村", "pref_average": "県平均", "persons": "人",
        "no_data": "データなし", "deck_title": "オフライン支援が必要な地域と人",
        "top_table": "支援対象人数の多い市町村", "profiles": "市町村カード",
    },
    "en": {
        "offline_share": "Residents aged 15+ not using the Internet (estimated share)",
        "offline_count": "Residents aged 15+ not using the Internet (estimated number)",
        "age_part": "Gap to the national share from age structure",
        "settlement_part": "Gap to the national share from settlement geography (kaso, low density)",
        "composition_part": "Gap to the national share from educational composition",
        "score": "Digital gap index (100 = widest gap)",
        "access": "Mean distance to the nearest counter (road-approximate)",
        "forms": "Form of offline support and proposed support sites",
        "change": "Change in offline residents, 2025 to 2035 (projected)",
        "gain": "New support sites and the offline residents within {radius:g} km",
        "share": "Offline share", "count": "Offline residents", "interval": "90% interval", "rank": "Rank",
        "km": "Mean distance", "p90": "90th percentile", "form": "Support form", "offices": "Main offices",
        "sites": "Proposed support sites", "change_pct": "Change", "sites_axis": "Sites added",
        "covered_axis": "Offline residents within reach", "optimal": "optimal (proven)",
        "best_found": "best found within the time limit (not proven optimal)", "greedy": "greedy heuristic",
        "existing": "existing counters only", "proposed_k": "proposed: {k} sites",
        "to_check": "to be checked (uncertain need or unverified counters)", "why_check": "To check",
        "extrapolated": "education outside the model's range (held at the edge, interval widened)",
        "need_probability": "Probability of high need", "access_verified": "Counter network",
        "verified_yes": "verified", "verified_no": "not verified (distance is an upper bound)",
        "pp": "Gap to national (points)", "index": "Index",
        "age": "Age", "use": "Use rate", "curve": "fitted curve (single years)", "bands": "survey (age bands)",
        "age_title": "Smartphone/tablet use by age (Cabinet Office 2023) and the fitted curve",
        "share_15": "Offline share (15+)", "ranked": "Offline share by municipality with 90% interval",
        "rank_axis": "Index rank (1 = widest gap)", "ranks": "Index rank with 5-95% interval (Monte Carlo)",
        "shift": "Mean rank shift", "sensitivity": "What moves the ranks (sensitivity)", "year": "Year",
        "count_15": "Offline residents (15+)", "projection": "Offline residents, 2020 to 2035",
        "band": "band (three scenarios and the 90% interval)", "scenario_cohort": "cohort replacement",
        "scenario_constant_rates": "constant rates by age", "scenario_survey_trend": "survey trend (central)",
        "heads": "Offline residents aged 15+", "of": " of ", "rank_interval": "5-95% interval",
        "cluster": "Spatial cluster", "this": "This municipality", "pref_average": "Prefecture", "persons": "",
        "no_data": "no data", "deck_title": "Where offline support must accompany online services",
        "top_table": "Municipalities with the most offline residents", "profiles": "profiles",
    },
}

# Spatial cluster labels (esda's quadrants).
CLUSTERS: dict[str, dict[str, str]] = {
    "ja": {"High-High": "高い値の集積（高−高）", "Low-Low": "低い値の集積（低−低）",
           "High-Low": "周囲より高い（高−低）", "Low-High": "周囲より低い（低−高）",
           "not significant": "有意な集積なし", "no neighbours": "隣接する市町村なし"},
    "en": {"High-High": "High-High", "Low-Low": "Low-Low", "High-Low": "High-Low", "Low-High": "Low-High",
           "not significant": "not significant", "no neighbours": "no neighbours"},
}

# Why a municipality's counter network is (not) known to be complete (divide.geography.counters.BASIS).
COUNTER_BASIS: dict[str, dict[str, str]] = {
    "ja": {"analyst": "窓口一覧（分析者が提供）", "misplaced": "本庁舎の所在地が市町村外（仮庁舎）",
           "partial_branches": "支所等の一部のみ判明（避難所一覧の名称）",
           "large": "面積・人口が大きく、支所等が未把握の可能性", "single_office": "本庁舎のみ（小規模な市町村）"},
    "en": {"analyst": "counters supplied by the analyst", "misplaced": "main office listed outside the municipality",
           "partial_branches": "part of the branch network found (shelter list names)",
           "large": "large or populous: branch counters likely missing", "single_office": "one main office (small)"},
}

# Why a support form is marked for checking ({} are filled with numbers).
UNCERTAIN: dict[str, dict[str, str]] = {
    "ja": {"need": "必要度の判定が不確か（高い確率{probability:.0%}）",
           "access": "窓口までの距離が基準{cut:g} km付近（{km:.1f} km）",
           "unverified": "距離は把握済みの窓口まで（支所等が未確認）：窓口網を確認してください"},
    "en": {"need": "need uncertain (probability of high need {probability:.0%})",
           "access": "distance near the {cut:g} km cut ({km:.1f} km)",
           "unverified": "distance to known counters only (branch offices not verified): check the counter network"},
}

# Headers of the columns that the stages add (frame columns: divide.frame.columns).
HEADERS: dict[str, tuple[str, str]] = {
    "residents_15plus": ("15歳以上の居住者（推計）", "residents aged 15+"),
    "offline_share": ("オフライン率（推計）", "offline share (estimated)"),
    "offline_share_lo": ("オフライン率 90%区間下限", "offline share, 90% lower"),
    "offline_share_hi": ("オフライン率 90%区間上限", "offline share, 90% upper"),
    "offline_count": ("オフライン住民数（推計）", "offline residents (estimated)"),
    "offline_count_lo": ("オフライン住民数 90%区間下限", "offline residents, 90% lower"),
    "offline_count_hi": ("オフライン住民数 90%区間上限", "offline residents, 90% upper"),
    "age_part": ("全国差：年齢構成", "gap to national: age structure"),
    "settlement_part": ("全国差：地理的条件", "gap to national: settlement geography"),
    "composition_part": ("全国差：学歴構成", "gap to national: educational composition"),
    "extrapolated": ("学歴構成がモデルの範囲外", "education outside the model's range"),
    "access_mean_km": ("窓口までの平均距離(km)", "mean distance to counter (km)"),
    "access_p90_km": ("窓口までの距離 90パーセンタイル(km)", "distance to counter, 90th pct (km)"),
    "access_basis": ("居住地の表し方", "where people live (basis)"),
    "access_verified": ("窓口網が確認済み", "counter network verified"),
    "counter_basis": ("窓口網の根拠", "counter network basis"),
    "need_probability": ("必要度が高い確率", "probability of high need"),
    "form_uncertain": ("要確認", "to be checked"), "uncertainty_ja": ("確認が必要な理由", "why to check (ja)"),
    "uncertainty_en": ("確認が必要な理由（英）", "why to check"),
    "support_form": ("支援の形（ID）", "support form (id)"), "support_form_ja": ("支援の形", "support form (ja)"),
    "support_form_en": ("支援の形（英）", "support form"), "cluster": ("空間クラスター", "spatial cluster"),
    "score": ("指数", "index score"), "rank": ("順位", "rank"), "rank_p05": ("順位 5%", "rank 5%"),
    "rank_p95": ("順位 95%", "rank 95%"), "headcount": ("支援対象人数", "head-count"),
    "headcount_lo": ("支援対象人数 下限", "head-count lower"),
    "headcount_hi": ("支援対象人数 上限", "head-count upper"),
}


def term(key: str, lang: str) -> str:
    """A word of :data:`TERMS` in ``lang``."""
    return TERMS[lang][key]


def cluster_label(label: str, lang: str = "ja") -> str:
    """A cluster label for readers (esda's quadrant names in English, Japanese words otherwise)."""
    return CLUSTERS[lang].get(label, label)


def header(column: str, lang: str) -> str | None:
    """Header of a stage column in ``lang``, or None when the column is not one of them."""
    entry = HEADERS.get(column)
    return None if entry is None else entry[LANGS.index(lang)]
