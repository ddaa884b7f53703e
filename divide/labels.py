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
        "access": "本庁舎・把握済みの窓口までの平均距離（道路換算）",
        "sub_estimate": "{year}年の利用率 × 2025年国勢調査（速報）の人口による推計",
        "sub_score": "各指標を県内の最小0〜最大100に換算した平均（100は全指標で最大の場合）",
        "sub_access": "居住地から自市町村の窓口まで：直線距離×{detour:g}（斜線：窓口網が未確認で距離は上限）",
        "sub_forms": "基準：{year}年の推計と窓口までの距離（斜線：判定が不確かで要確認）",
        "sub_change": "中心シナリオ（調査の傾向を延長）、2025年→2035年",
        "persons_unit": "人", "km_unit": "km", "pct_unit": "%",
        "unverified": "窓口網が未確認（距離は上限）",
        "hatch_extrapolated": "学歴構成が範囲外", "hatch_check": "要確認", "hatch_unverified": "窓口網が未確認",
        "sub_extrapolated": "（斜線：学歴構成がモデルの範囲外、推計は範囲の端で区間を拡大）",
        "projection_sub": "県全体、中心シナリオと幅（3つのシナリオと推計の90%区間）",
        "central": "中心（調査の傾向を延長）", "range": "幅",
    },
    "en": {
        "offline_share": "Residents aged 15+ not using the Internet (estimated share)",
        "offline_count": "Residents aged 15+ not using the Internet (estimated number)",
        "age_part": "Gap to the national share from age structure",
        "settlement_part": "Gap to the national share from settlement geography (kaso, low density)",
        "composition_part": "Gap to the national share from educational composition",
        "score": "Digital gap index (100 = widest gap)",
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
        "access": "Mean distance to the main office or a known counter (road-approximate)",
        "sub_estimate": "{year} use rates × 2025 Census (preliminary) population",
        "sub_score": "Mean of indicators rescaled to 0 (lowest) – 100 (highest) in the prefecture; 100 only if "
                     "highest on all",
        "sub_access": "From where people live to a counter of their own municipality: straight line × {detour:g} "
                      "(hatched: counter network not verified, the distance is an upper bound)",
        "sub_forms": "Basis: {year} estimate and distance to counters (hatched: uncertain, to be checked)",
        "sub_change": "Central scenario (survey trend), 2025 to 2035",
        "persons_unit": "persons", "km_unit": "km", "pct_unit": "%",
        "unverified": "counter network not verified (upper bound)",
        "hatch_extrapolated": "education out of range", "hatch_check": "to be checked",
        "hatch_unverified": "counters not verified",
        "sub_extrapolated": " (hatched: education outside the model's range, held at the edge, interval widened)",
        "projection_sub": "Whole prefecture: central scenario and band (three scenarios and the 90% interval)",
        "central": "central (survey trend)", "range": "band",
    },
}

# Words of the decks: slide titles, footers, the summary and the method-and-limits slide.
DECK: dict[str, dict[str, str]] = {
    "ja": {
        "sources_ref": "出典：{numbers}（最後の「出典」スライド）", "sources": "出典", "n_municipalities": "{n}市町村",
        "summary": "要旨", "method": "推計の方法と限界",
        "basis": "推計の基準：{year}年の利用率 × 2025年国勢調査（速報）の人口",
        "see_sources": "出典と利用条件は最後のスライドに記載", "made_by": "divide {version} で作成（{date}）",
        "offline_total": "インターネットを利用していない15歳以上の住民（推計）",
        "offline_total_note": "90%区間 {lo}〜{hi}（県内の15歳以上の {share}）",
        "future": "2035年の見通し（中心シナリオ）", "future_note": "幅 {lo}〜{hi}（3つのシナリオと推計の90%区間）",
        "checks": "要確認の判定", "checks_value": "{forms}市町村",
        "checks_note": "判定が不確か、または窓口網が未確認（地図の斜線）",
        "form_group": "{form}（{n}市町村）", "and_more": "ほか{n}市町村", "separator": "、",
        "table_note": "90%区間：推計の不確かさ（90%の確率でこの範囲）。{k}人未満は「<{k}」と表示。",
        "municipality": "市町村", "headcount": "支援対象（人）", "interval": "90%区間（人）", "form": "支援の形",
        "card_note": "出典は README.md と profiles.pptx の「出典」スライドに記載",
        "notes_basis": "基準と注記", "notes_classing": "区分", "notes_credits": "出典",
        "audit": "指標の実効ウェイトと指数との順位相関（JRC監査）",
        "m_estimand": "対象：この1年にインターネットを利用していない15歳以上の住民。"
                      "国の調査の年齢別利用率と都道府県別の利用率から、"
                      "市町村の年齢構成・過疎・人口密度・学歴構成を使って推計した値で、実測ではない。",
        "m_validation": "精度：都道府県を1つずつ除いて予測した検証で、平均誤差 {mae:.1f} ポイント、"
                        "90%区間が実際の値を含んだ割合 {coverage:.0%}。",
        "m_intervals": "すべての推計に90%区間を付けた。区間が重なる市町村の間の順位の差は意味を持たない。",
        "m_distance": "距離は居住地から本庁舎と把握済みの窓口まで（直線距離×{detour:g}）。"
                      "{unverified}市町村は支所等の窓口網が未確認で、距離は上限。"
                      "「アクセスのしやすさ」そのものではない。",
        "m_sites": "支援拠点の候補は指定避難所と駅。居住地は人口メッシュがない限り避難所の位置などで近似しており、"
                   "届く人数は目安。",
        "m_future": "2035年の見通しは3つのシナリオの幅で示す。中心は調査の傾向を延長したもの。",
        "m_disclosure": "推計人数が{k}人未満の市町村は「<{k}」、その人数を逆算できる割合は「X」と表示。",
    },
    "en": {
        "sources_ref": "Sources: {numbers} (see the Sources slide)", "sources": "Sources",
        "n_municipalities": "{n} municipalities",
        "summary": "Summary", "method": "Method and limits",
        "basis": "Basis: {year} use rates × 2025 Census (preliminary) population",
        "see_sources": "Sources and terms of use on the last slide", "made_by": "made with divide {version} ({date})",
        "offline_total": "Residents aged 15+ not using the Internet (estimated)",
        "offline_total_note": "90% interval {lo} to {hi} ({share} of residents aged 15+)",
        "future": "Outlook for 2035 (central scenario)",
        "future_note": "band {lo} to {hi} (three scenarios and the 90% interval)",
        "checks": "Decisions to check", "checks_value": "{forms} municipalities",
        "checks_note": "uncertain decision or counter network not verified (hatched on the map)",
        "form_group": "{form} ({n})", "and_more": "and {n} more", "separator": ", ",
        "table_note": "90% interval: the estimate's uncertainty (90% probability within it). Below {k} shown as <{k}.",
        "municipality": "Municipality", "headcount": "Offline residents", "interval": "90% interval",
        "form": "Support form",
        "card_note": "Sources: README.md and the Sources slide of profiles.pptx",
        "notes_basis": "Basis and notes", "notes_classing": "Classes", "notes_credits": "Sources",
        "audit": "Effective weight of each indicator and its rank correlation with the index (JRC audit)",
        "m_estimand": "What is estimated: residents aged 15+ who did not use the Internet in the past year, from "
                      "national surveys' rates by age and by prefecture and each municipality's age structure, "
                      "depopulation, density and education. An estimate, not a count.",
        "m_validation": "Accuracy: predicting each prefecture with it left out, the mean error is {mae:.1f} points and "
                        "the 90% interval held the true value in {coverage:.0%} of cases.",
        "m_intervals": "Every estimate has a 90% interval; a difference in rank between municipalities whose intervals "
                       "overlap means nothing.",
        "m_distance": "Distance runs from where people live to the main office and known counters (straight line × "
                      "{detour:g}). In {unverified} municipalities the branch-office network is not verified and the "
                      "distance is an upper bound. It is a distance, not ease of access.",
        "m_sites": "Candidate support sites are designated shelters and stations; where people live is approximated "
                   "(shelters, or a lattice) unless a population grid is given, so reach is indicative.",
        "m_future": "The 2035 outlook is a band across three scenarios; the central one extends the survey trend.",
        "m_disclosure": "Estimated counts below {k} are shown as <{k}, and the shares they could be recomputed from "
                        "as X.",
    },
}

# How a map's classes were made (legend note); {k} is the number of classes.
CLASSING: dict[str, dict[str, str]] = {
    "ja": {"quantiles": "分位数で{k}区分（各区分の市町村数がほぼ同じ）",
           "fisher_jenks": "自然分類（Fisher-Jenks）で{k}区分", "equal_interval": "等間隔で{k}区分",
           "user": "指定した区切りで{k}区分", "diverging": "0を境に、両側をそれぞれ分位数で区分"},
    "en": {"quantiles": "{k} quantile classes (about equal numbers of municipalities)",
           "fisher_jenks": "{k} natural-break classes (Fisher-Jenks)", "equal_interval": "{k} equal-interval classes",
           "user": "{k} classes at given breaks", "diverging": "classes on each side of 0 (quantiles)"},
}

# Notes under a map: what the drawing leaves out or shows at another scale.
MAP_NOTES: dict[str, dict[str, str]] = {
    "ja": {"insets": "枠内：離れた島々（縮尺は本図と異なる）", "trimmed": "遠く離れた小島の一部は省略"},
    "en": {"insets": "framed panels: remote islands, each at its own scale",
           "trimmed": "some far-flung islets are not drawn"},
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
