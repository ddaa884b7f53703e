"""Words of the exported tables: column headers with their units, sheet names, categorical values,
reasons.

A Japanese pack is Japanese throughout and an English pack English throughout: every column a sheet,
CSV or GeoPackage carries is named here (or in the frame's catalogue, :mod:`divide.frame.columns`),
every category a cell can hold is translated here, and a test scans both packs for the other
language. The unit says how the cell is formatted (``persons`` as integers with separators,
``fraction`` as a percentage, ``km`` with one decimal, ``code`` as text).
"""

from __future__ import annotations

from divide.labels import CLUSTERS, COUNTER_BASIS, TERMS
from divide.report.words import ACCESS, NEED


def _pairs(words: dict[str, dict[str, str]]) -> dict[str, tuple[str, str]]:
    """{key: (Japanese, English)} from a {lang: {key: word}} table of :mod:`divide.labels`."""
    return {key: (words["ja"][key], words["en"][key]) for key in words["ja"]}


# column -> (Japanese header, English header, unit)
TABLE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "residents_15plus": ("15歳以上の居住者（推計）", "residents aged 15+ (estimated)", "persons"),
    "offline_share": ("オフライン率（推計）", "offline share (estimated)", "fraction"),
    "offline_share_lo": ("オフライン率 90%区間下限", "offline share, 90% lower", "fraction"),
    "offline_share_hi": ("オフライン率 90%区間上限", "offline share, 90% upper", "fraction"),
    "offline_count": ("オフライン住民数（推計）", "offline residents (estimated)", "persons"),
    "offline_count_lo": ("オフライン住民数 90%区間下限", "offline residents, 90% lower", "persons"),
    "offline_count_hi": ("オフライン住民数 90%区間上限", "offline residents, 90% upper", "persons"),
    "offline_count_2020": (
        "オフライン住民数 2020年（2025年の率から逆算）",
        "offline residents 2020 (back-cast from 2025 rates)",
        "persons",
    ),
    "offline_count_2025": (
        "オフライン住民数 2025年（中心）",
        "offline residents 2025 (central)",
        "persons",
    ),
    "offline_count_2030": (
        "オフライン住民数 2030年（中心）",
        "offline residents 2030 (central)",
        "persons",
    ),
    "offline_count_2035": (
        "オフライン住民数 2035年（中心）",
        "offline residents 2035 (central)",
        "persons",
    ),
    "age_expected_share": (
        "年齢構成から見込むオフライン率",
        "offline share expected from age",
        "fraction",
    ),
    "age_part": ("全国差：年齢構成", "gap to national: age structure", "fraction"),
    "settlement_part": ("全国差：地理的条件", "gap to national: settlement geography", "fraction"),
    "composition_part": (
        "全国差：学歴構成",
        "gap to national: educational composition",
        "fraction",
    ),
    "extrapolated": ("学歴構成がモデルの範囲外", "education outside the model's range", "flag"),
    "access_mean_km": ("窓口までの平均距離", "mean distance to a counter", "km"),
    "access_p90_km": (
        "窓口までの距離 90パーセンタイル",
        "distance to a counter, 90th percentile",
        "km",
    ),
    "access_km": ("窓口までの平均距離", "mean distance to a counter", "km"),
    "access_basis": ("居住地の表し方", "where people live (basis)", "text"),
    "access_verified": ("窓口網が確認済み", "counter network verified", "flag"),
    "counter_basis": ("窓口網の根拠", "counter network basis", "text"),
    "need_level": ("必要度", "need", "text"),
    "access_level": ("窓口へのアクセス", "access to a counter", "text"),
    "share_high": ("オフライン率が平均より高い", "offline share above average", "flag"),
    "many_offline": ("オフライン住民が多い", "many offline residents", "flag"),
    "need_agreement": (
        "推計の幅の中で同じ必要度となる割合",
        "draws giving the same need",
        "fraction",
    ),
    "share_probability": (
        "オフライン率が平均を上回る確率",
        "probability share above average",
        "fraction",
    ),
    "many_probability": ("人数の基準を満たす確率", "probability of many offline", "fraction"),
    "prefecture_fraction": (
        "県内オフライン住民に占める割合",
        "part of the prefecture's offline",
        "fraction",
    ),
    "counters": ("把握済みの窓口数", "known counters", "count"),
    "load_per_counter": (
        "窓口1か所あたりのオフライン住民",
        "offline residents per counter",
        "persons",
    ),
    "placement_full": (
        "学歴による配分の重み",
        "weight of the graduate-share placement",
        "fraction",
    ),
    "survey_part": ("全国差：独自調査による補正", "gap to national: own survey", "fraction"),
    "conditional": (
        "条件付き（窓口網の確認が先）",
        "conditional (check the network first)",
        "flag",
    ),
    "form_uncertain": ("要確認", "to be checked", "flag"),
    "uncertainty_ja": ("確認が必要な理由", "why to check (Japanese)", "text"),
    "uncertainty_en": ("確認が必要な理由（英語）", "why to check", "text"),
    "reason_ja": ("判定の理由", "reason (Japanese)", "text"),
    "reason_en": ("判定の理由（英語）", "reason", "text"),
    "support_form": ("支援の形", "support form", "text"),
    "support_form_ja": ("支援の形", "support form (Japanese)", "text"),
    "support_form_en": ("支援の形（英語）", "support form", "text"),
    "cluster": ("空間クラスター", "spatial cluster", "text"),
    "score": ("指数", "index score", "score"),
    "rank": ("順位", "rank", "rank"),
    "rank_median": ("順位 中央値", "rank, median", "rank"),
    "rank_p05": ("順位 5%", "rank 5%", "rank"),
    "rank_p95": ("順位 95%", "rank 95%", "rank"),
    "score_median": ("指数 中央値", "index, median", "score"),
    "score_p05": ("指数 5%", "index 5%", "score"),
    "score_p95": ("指数 95%", "index 95%", "score"),
    "imputed": ("補完した指標の数", "indicators imputed", "count"),
    "pillars_missing": ("欠けている柱の数", "pillars missing", "count"),
    "headcount": ("支援対象人数", "head-count", "persons"),
    "headcount_lo": ("支援対象人数 下限", "head-count lower", "persons"),
    "headcount_hi": ("支援対象人数 上限", "head-count upper", "persons"),
    "year": ("年", "year", "year"),
    "scenario": ("シナリオ", "scenario", "text"),
    "population_basis": ("人口の基準", "population basis", "text"),
    "back_cast": (
        "逆算（2025年の率を過去に適用）",
        "back-cast (2025 rates applied backwards)",
        "flag",
    ),
    "k": ("追加する拠点数", "sites added", "count"),
    "covered": ("半径内のオフライン住民", "offline residents within reach", "persons"),
    "status": ("解の種類", "solution", "text"),
    "gap": ("最適性ギャップ", "optimality gap", "fraction"),
    "name": ("名称", "name", "text"),
    "kind": ("種類", "kind", "text"),
    "lon": ("経度", "longitude", "degree"),
    "lat": ("緯度", "latitude", "degree"),
    "covers": ("届くオフライン住民", "offline residents reached", "persons"),
    "network_verified": ("窓口網が確認済み", "counter network verified", "flag"),
    "model": ("モデル", "model", "text"),
    "mae_pp": ("平均絶対誤差（ポイント）", "mean absolute error (points)", "points"),
    "rmse_pp": ("二乗平均平方根誤差（ポイント）", "root mean square error (points)", "points"),
    "max_error_pp": ("最大誤差（ポイント）", "largest error (points)", "points"),
    "coverage90": ("90%区間が実測を含む割合", "90% interval coverage", "fraction"),
    "n": ("件数", "count", "count"),
    "source": ("データ", "dataset", "text"),
    "file": ("ファイル", "file", "text"),
    "line": ("行", "line", "count"),
    "reason": ("理由", "reason", "text"),
    "rows": ("行数", "rows", "count"),
    "item": ("項目", "item", "text"),
    "text": ("内容", "text", "text"),
    "people": ("柱：年齢・世帯・学歴", "pillar: people", "score"),
    "geography_access": ("柱：地理・アクセス", "pillar: geography and access", "score"),
    "digital": ("柱：デジタル基盤", "pillar: digital infrastructure", "score"),
}

SHEETS: dict[str, tuple[str, str]] = {
    "municipalities": ("市町村", "municipalities"),
    "support_plan": ("支援の形", "support plan"),
    "index": ("指数", "index"),
    "projection": ("見通し", "projection"),
    "sites_gain": ("拠点数と効果", "sites gain"),
    "sites_chosen": ("提案する拠点", "proposed sites"),
    "validation": ("推計の検証", "validation"),
    "join_report": ("結合レポート", "join report"),
    "notes": ("注記と出典", "notes and sources"),
}

# column -> {value: (Japanese, English)}
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "kaso": {
        "none": ("過疎地域でない", "not depopulated"),
        "partial": ("一部過疎", "partly depopulated"),
        "whole": ("過疎地域", "depopulated area"),
        "deemed": ("過疎とみなす", "deemed depopulated"),
    },
    "access_basis": {
        "settlement points (designated shelters)": (
            "指定避難所の位置で近似",
            "designated shelters",
        ),
        "points sampled inside the boundary": (
            "区域内の格子点で近似",
            "points inside the boundary",
        ),
        "population grid (census mesh)": ("人口メッシュ", "population grid"),
    },
    "counter_basis": _pairs(COUNTER_BASIS),
    "need_level": {key: (words["ja"], words["en"]) for key, words in NEED.items()},
    "access_level": {key: (words["ja"], words["en"]) for key, words in ACCESS.items()},
    "scenario": {
        key: (TERMS["ja"][f"scenario_{key}"], TERMS["en"][f"scenario_{key}"])
        for key in ("cohort", "constant_rates", "survey_trend")
    },
    "population_basis": {
        "2020 census": ("2020年国勢調査", "2020 Census"),
        "2025 census preliminary": ("2025年国勢調査（速報）", "2025 Census (preliminary)"),
        "IPSS 2023 change applied to the 2025 census": (
            "2025年国勢調査に社人研2023の変化率を適用",
            "IPSS 2023 change applied to the 2025 Census",
        ),
        "no IPSS municipal projection: 2025 count aged by cohort change": (
            "社人研の市町村推計なし：2025年人口をコーホート変化で推移",
            "no IPSS municipal projection: 2025 count aged by cohort change",
        ),
    },
    "status": {
        key: (TERMS["ja"][key], TERMS["en"][key])
        for key in ("existing", "optimal", "best_found", "greedy")
    },
    "kind": {"shelter": ("指定避難所", "designated shelter"), "station": ("駅", "station")},
    "model": {
        "full": ("年齢・地理的条件・学歴", "age, settlement and graduate share"),
        "age": ("年齢のみ", "age only"),
        "age+settlement": ("年齢と地理的条件", "age and settlement"),
        "averaged": ("二つのモデルの平均（既定）", "two models averaged (default)"),
    },
    "cluster": _pairs(CLUSTERS),
}

# Join-report reasons by their English opening words -> Japanese
JOIN_REASONS: dict[str, str] = {
    "gun_total row": "郡の合計行（市町村ではない）",
    "prefecture row": "都道府県の合計行（市町村ではない）",
    "by-sex rows": "男女別の行（合計を使用）",
    "other dates": "系列の他の日付（2時点を使用）",
    "not the latest": "最新の市町村全体の値ではない（合計・一部地域・過去の日付など）",
    "designated-city ward": "政令指定都市の区（市の行を使用）",
    "Northern Territories": "北方領土（行政統計なし）",
    "code not in the municipal list": "市町村一覧にないコード（合併・改称・誤記）",
    "no value": "値なし",
    "ward of an unknown city": "不明な市の区",
    "no code": "コードなし",
}
