"""Every word divide shows a reader, in Japanese and English: one table per concept, chosen by
``lang``.

Column headers of the municipal frame live with the column catalogue (:mod:`divide.frame.columns`);
everything else a map, card, chart, slide or table prints comes from here, so that a Japanese pack
is Japanese throughout and an English pack English throughout (a test scans both).
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
        "change_sign": "＋は増加、−は減少",
        "gain": "新しい支援拠点の数と、半径{radius:g} km以内に届くオフライン住民の数",
        "share": "オフライン率",
        "count": "オフライン住民",
        "interval": "90%区間",
        "rank": "指数の順位",
        "km": "平均距離",
        "p90": "90パーセンタイル",
        "form": "支援の形",
        "offices": "本庁舎",
        "sites": "提案する支援拠点",
        "change_pct": "変化率",
        "sites_axis": "追加する拠点数",
        "covered_axis": "半径内に届くオフライン住民（人）",
        "optimal": "現データ上の最適解（証明済み）",
        "best_found": "最良解（時間制限内、最適性は未証明）",
        "greedy": "貪欲法による解",
        "existing": "既存の窓口のみ",
        "proposed_k": "提案：{k}か所",
        "to_check": "要確認（判定が不確か・窓口網が未確認）",
        "why_check": "要確認",
        "extrapolated": "学歴構成がモデルの範囲外（推計は範囲の端で、区間を拡大）",
        "need_probability": "必要度が高い確率",
        "access_verified": "窓口網",
        "verified_yes": "確認済み",
        "verified_no": "未確認（距離は上限）",
        "pp": "全国差（ポイント）",
        "index": "指数",
        "age": "年齢",
        "use": "利用率",
        "curve": "推定曲線（1歳ごと）",
        "bands": "調査（年齢階級）",
        "age_title": "年齢別のスマートフォン・タブレット利用（内閣府2023）と推定曲線",
        "share_15": "オフライン率（15歳以上）",
        "ranked": "市町村別オフライン率と90%区間",
        "rank_axis": "指数順位（1＝差が最も大きい）",
        "ranks": "指数順位と5〜95%区間（モンテカルロ）",
        "shift": "平均順位変動",
        "sensitivity": "順位を動かす要因（感度分析）",
        "year": "年",
        "count_15": "オフライン住民（15歳以上、人）",
        "projection": "オフライン住民数の見通し（2025→2035）",
        "band": "幅（3つのシナリオと推計の90%区間）",
        "scenario_cohort": "世代交代（各世代が2025年の率を保つ）",
        "scenario_constant_rates": "年齢別の率が一定",
        "scenario_survey_trend": "調査の傾向を延長（中心）",
        "heads": "オフライン住民（15歳以上）",
        "of": "位／",
        "rank_interval": "5〜95%区間",
        "cluster": "空間クラスター",
        "this": "当該市町村",
        "pref_average": "県平均",
        "persons": "人",
        "no_data": "データなし",
        "deck_title": "オフライン支援が必要な地域と人",
        "top_table": "支援対象人数の多い市町村",
        "profiles": "市町村カード",
        "access": "本庁舎・把握済みの窓口までの平均距離（道路換算）",
        "sub_estimate": "{year}年の利用率 × 2025年国勢調査（速報）の人口による推計",
        "sub_score": "{pillars}の平均。"
        "各指標を{area}内の最小0〜最大100に換算（100は全指標で最大の場合）{missing}",
        "no_broadband": "。ブロードバンドは市町村別データがなく除外",
        "unsurveyed": "北方領土の6村（{names}）"
        "は行政統計がないため「データなし」で表示（歯舞群島は根室市に含む）",
        "sub_parts": "。3つの地図は同じ区分。学歴構成と地理的条件はデータ上分けにくく、"
        "区間とあわせて読む",
        "sub_gain": "半径は直線距離。既存の窓口は本庁舎と把握済みの窓口のみ（支所等の一部は未反映）"
        "、"
        "居住地は避難所の位置等で近似。提案{k}か所のうち{unverified}か所は窓口網が未確認の市町村",
        "hatch_no_ipss": "社人研の市町村推計なし",
        "sub_trend": "。中心シナリオの傾向は年{trend:+.3f}±{se:.3f}（ロジット）で、{verdict}",
        "trend_zero": "ゼロと統計的に区別できない",
        "trend_real": "統計的に有意",
        "sub_access": "居住地（指定避難所の位置等で近似）から自市町村の窓口まで："
        "直線距離×{detour:g}"
        "（点：窓口網が未確認で距離は上限）",
        "sub_forms": "基準：{year}年の推計と窓口までの距離（網掛け：判定が変わりうるため要確認）",
        "sub_change": "中心シナリオ（調査の傾向を延長）、2025年→2035年（斜線："
        "社人研の市町村推計がなく、"
        "2025年人口をコーホート変化で推移）",
        "persons_unit": "人",
        "km_unit": "km",
        "pct_unit": "%",
        "unverified": "窓口網が未確認（距離は上限）",
        "hatch_extrapolated": "学歴構成が範囲外",
        "hatch_check": "要確認",
        "hatch_unverified": "窓口網が未確認",
        "sub_extrapolated": "（斜線：学歴構成がモデルの範囲外、推計は範囲の端で区間を拡大）",
        "projection_sub": "{area}全体、中心シナリオと幅（3つのシナリオと推計の90%区間）",
        "central": "中心（調査の傾向を延長）",
        "range": "幅",
    },
    "en": {
        "offline_share": "Residents aged 15+ not using the Internet (estimated share)",
        "offline_count": "Residents aged 15+ not using the Internet (estimated number)",
        "age_part": "Gap to the national share from age structure",
        "settlement_part": "Gap to the national share from settlement geography (depopulated "
        "areas, low density)",
        "composition_part": "Gap to the national share from educational composition",
        "score": "Digital gap index (100 = widest gap)",
        "forms": "Form of offline support and proposed support sites",
        "change": "Change in offline residents, 2025 to 2035 (projected)",
        "change_sign": "+ rise, − fall",
        "gain": "New support sites and the offline residents within {radius:g} km",
        "share": "Offline share",
        "count": "Offline residents",
        "interval": "90% interval",
        "rank": "Index rank",
        "km": "Mean distance",
        "p90": "90th percentile",
        "form": "Support form",
        "offices": "Main offices",
        "sites": "Proposed support sites",
        "change_pct": "Change",
        "sites_axis": "Sites added",
        "covered_axis": "Offline residents within reach",
        "optimal": "optimal on these data (proven)",
        "best_found": "best found within the time limit (not proven optimal)",
        "greedy": "greedy heuristic",
        "existing": "existing counters only",
        "proposed_k": "proposed: {k} sites",
        "to_check": "to be checked (uncertain need or unverified counters)",
        "why_check": "To check",
        "extrapolated": "education outside the model's range (held at the edge, interval widened)",
        "need_probability": "Probability of high need",
        "access_verified": "Counter network",
        "verified_yes": "verified",
        "verified_no": "not verified (distance is an upper bound)",
        "pp": "Gap to national (points)",
        "index": "Index",
        "age": "Age",
        "use": "Use rate",
        "curve": "fitted curve (single years)",
        "bands": "survey (age bands)",
        "age_title": "Smartphone/tablet use by age (Cabinet Office 2023) and the fitted curve",
        "share_15": "Offline share (15+)",
        "ranked": "Offline share by municipality with 90% interval",
        "rank_axis": "Index rank (1 = widest gap)",
        "ranks": "Index rank with 5-95% interval (Monte Carlo)",
        "shift": "Mean rank shift",
        "sensitivity": "What moves the ranks (sensitivity)",
        "year": "Year",
        "count_15": "Offline residents aged 15+ (persons)",
        "projection": "Offline residents, 2025 to 2035",
        "band": "band (three scenarios and the 90% interval)",
        "scenario_cohort": "cohort replacement",
        "scenario_constant_rates": "constant rates by age",
        "scenario_survey_trend": "survey trend (central)",
        "heads": "Offline residents aged 15+",
        "of": " of ",
        "rank_interval": "5-95% interval",
        "cluster": "Spatial cluster",
        "this": "This municipality",
        "pref_average": "Prefecture",
        "persons": "",
        "no_data": "no data",
        "deck_title": "Where offline support must accompany online services",
        "top_table": "Municipalities with the most offline residents",
        "profiles": "profiles",
        "access": "Mean distance to the main office or a known counter (road-approximate)",
        "sub_estimate": "{year} use rates × 2025 Census (preliminary) population",
        "sub_score": "Mean of the pillars {pillars}. Each indicator rescaled to 0 (lowest) – 100 "
        "(highest) in the "
        "{area} (100 only if highest on all){missing}",
        "no_broadband": "; broadband left out (no municipal data)",
        "unsurveyed": "The six villages of the Northern Territories ({names}) have no "
        "administrative statistics and "
        "are shown as no data (the Habomai islands are part of Nemuro City)",
        "sub_parts": "; the three maps share one scale; education and settlement are hard to "
        "separate in the "
        "data: read them with their intervals",
        "sub_gain": "Radius as the crow flies. Existing counters: main offices and known counters "
        "only (some "
        "branch offices missing); where people live approximated by shelters. {unverified} of the "
        "{k} proposed sites lie where the counter network is not verified",
        "hatch_no_ipss": "no IPSS municipal projection",
        "sub_trend": "; the central trend is {trend:+.3f} ± {se:.3f} logit per year: {verdict}",
        "trend_zero": "not distinguishable from zero",
        "trend_real": "statistically significant",
        "sub_access": "From where people live (approximated by shelters) to a counter of their own "
        "municipality: "
        "straight line × {detour:g} (dotted: counter network not verified, an upper bound)",
        "sub_forms": "Basis: {year} estimate and distance to counters (cross-hatched: could "
        "change, to be checked)",
        "sub_change": "Central scenario (survey trend), 2025 to 2035 (hatched: no IPSS municipal "
        "projection, the "
        "2025 population aged by cohort change)",
        "persons_unit": "persons",
        "km_unit": "km",
        "pct_unit": "%",
        "unverified": "counter network not verified (upper bound)",
        "hatch_extrapolated": "education out of range",
        "hatch_check": "to be checked",
        "hatch_unverified": "counters not verified",
        "sub_extrapolated": " (hatched: education outside the model's range, held at the edge, "
        "interval widened)",
        "projection_sub": "Whole {area}: central scenario and band (three scenarios and the 90% "
        "interval)",
        "central": "central (survey trend)",
        "range": "band",
    },
}

# Words of the decks: slide titles, footers, the summary and the method-and-limits slide.
DECK: dict[str, dict[str, str]] = {
    "ja": {
        "sources_ref": "出典：{numbers}（最後の「出典」スライド）",
        "sources": "出典",
        "n_municipalities": "{n}市町村",
        "summary": "要旨",
        "method": "推計の方法と限界",
        "basis": "推計の基準：{year}年の利用率 × 2025年国勢調査（速報）の人口",
        "see_sources": "出典と利用条件は最後のスライドに記載",
        "made_by": "divide {version} で作成（{date}）",
        "offline_total": "インターネットを利用していない15歳以上の住民（推計）",
        "offline_total_note": "{area}内の15歳以上の{share}（90%区間 {share_lo}〜{share_hi}、"
        "{lo}〜{hi}）",
        "future": "2035年の見通し（中心シナリオ）",
        "future_note": "幅 {lo}〜{hi}（3つのシナリオと推計の90%区間）",
        "checks": "要確認の判定",
        "checks_value": "{forms}市町村",
        "checks_note": "支援の形の判定が変わりうる市町村：必要度の判定が五分五分、距離が基準付近、"
        "または窓口網が未確認で距離が基準を超える（地図の網掛け）",
        "form_group": "{form}（{n}市町村）",
        "and_more": "ほか{n}市町村",
        "separator": "、",
        "table_note": "90%区間：モデルに基づく推計の不確かさの目安。",
        "small_note": "{k}人未満は「<{k}」と表示。",
        "check_column": "要確認",
        "yes": "要確認",
        "municipality": "市町村",
        "headcount": "オフライン住民（推計、人）",
        "interval": "90%区間（人）",
        "form": "支援の形",
        "card_note": "出典は README.md と profiles.pptx の「出典」スライドに記載",
        "notes_basis": "基準と注記",
        "notes_classing": "区分",
        "notes_credits": "出典",
        "audit": "指標が指数に占める名目の比重と指数との順位相関（JRC監査）",
        "m_estimand": "対象：この1年にインターネットを利用していない15歳以上の住民。"
        "国の調査の年齢別利用率と都道府県別の利用率から、"
        "市町村の年齢構成・過疎・人口密度・学歴構成を使って推計した値で、実測ではない。",
        "m_validation": "精度：都道府県を1つずつ除いて予測した検証（都道府県単位。"
        "市町村の実測値はない）で、"
        "平均誤差 {mae:.1f} ポイント（最大 {worst:.1f}）、"
        "90%区間が調査の値を含んだ割合 {coverage:.0%}。",
        "m_intervals": "すべての推計にモデルに基づく90%区間（不確かさの目安）を付けた。"
        "市町村の順位の違いは、順位の90%区間（市町村カードに記載）で判断する。",
        "m_forms": "支援の形：オフライン率が{area}平均（または30%）を上回る確率と、"
        "窓口までの距離（基準 {cut:g} km）で決める。判定が変わりうる市町村は「要確認」とした。",
        "m_index": "指数：{pillars}の平均。各指標を{area}内の最小0〜最大100に換算しており、"
        "{area}内の相対的な比較にとどまる。",
        "m_distance": "距離は居住地から本庁舎と把握済みの窓口まで（直線距離×{detour:g}）。"
        "{unverified}市町村は支所等の窓口網が未確認で、距離は上限。"
        "「アクセスのしやすさ」そのものではない。",
        "m_sites": "支援拠点の候補は指定避難所と駅。"
        "居住地は人口メッシュがない限り避難所の位置などで近似しており、"
        "届く人数は目安。",
        "m_future": "2035年の見通しは3つのシナリオの幅で示す。中心は調査の傾向（{verdict}）"
        "を延長したもの。",
        "m_future_ipss": "社人研の市町村推計がない{no_ipss}市町村は、"
        "2025年人口をコーホート変化で推移させた。",
        "m_disclosure": "推計人数が{k}人未満の市町村は「<{k}」、"
        "その人数を逆算できる割合は「X」と表示。",
    },
    "en": {
        "sources_ref": "Sources: {numbers} (see the Sources slide)",
        "sources": "Sources",
        "n_municipalities": "{n} municipalities",
        "summary": "Summary",
        "method": "Method and limits",
        "basis": "Basis: {year} use rates × 2025 Census (preliminary) population",
        "see_sources": "Sources and terms of use on the last slide",
        "made_by": "made with divide {version} ({date})",
        "offline_total": "Residents aged 15+ not using the Internet (estimated)",
        "offline_total_note": "{share} of residents aged 15+ (90% interval {share_lo} to "
        "{share_hi}; {lo} to {hi})",
        "future": "Outlook for 2035 (central scenario)",
        "future_note": "band {lo} to {hi} (three scenarios and the 90% interval)",
        "checks": "Decisions to check",
        "checks_value": "{forms} municipalities",
        "checks_note": "municipalities whose support form could change: need a coin toss, distance "
        "near the cut, "
        "or an unverified counter network beyond the cut (cross-hatched on the map)",
        "form_group": "{form} ({n})",
        "and_more": "and {n} more",
        "separator": ", ",
        "table_note": "90% interval: the model's measure of the estimate's uncertainty.",
        "small_note": "Below {k} shown as <{k}.",
        "check_column": "To check",
        "yes": "to check",
        "municipality": "Municipality",
        "headcount": "Offline residents (estimated)",
        "interval": "90% interval",
        "form": "Support form",
        "card_note": "Sources: README.md and the Sources slide of profiles.pptx",
        "notes_basis": "Basis and notes",
        "notes_classing": "Classes",
        "notes_credits": "Sources",
        "audit": "Nominal share of each indicator in the index and its rank correlation with the "
        "index (JRC audit)",
        "m_estimand": "What is estimated: residents aged 15+ who did not use the Internet in the "
        "past year, from "
        "national surveys' rates by age and by prefecture and each municipality's age structure, "
        "depopulation, density and education. An estimate, not a count.",
        "m_validation": "Accuracy: predicting each prefecture with it left out (prefecture level: "
        "there are no "
        "municipal measurements), the mean error is {mae:.1f} points (largest {worst:.1f}) and "
        "the 90% interval held the survey value in {coverage:.0%} of cases.",
        "m_intervals": "Every estimate carries a model-based 90% interval (a measure of its "
        "uncertainty). Judge "
        "differences in rank by the rank intervals on the municipal cards.",
        "m_forms": "Support form: from the probability that the offline share exceeds the {area} "
        "average (or 30%) "
        "and the distance to a counter (cut at {cut:g} km); forms that could change are marked to "
        "check.",
        "m_index": "Index: mean of the pillars {pillars}. Each indicator is rescaled to 0–100 "
        "within the {area}, so "
        "it compares municipalities with each other only.",
        "m_distance": "Distance runs from where people live to the main office and known counters "
        "(straight line × "
        "{detour:g}). In {unverified} municipalities the branch-office network is not verified and "
        "the "
        "distance is an upper bound. It is a distance, not ease of access.",
        "m_sites": "Candidate support sites are designated shelters and stations; where people "
        "live is approximated "
        "(shelters, or a lattice) unless a population grid is given, so reach is indicative.",
        "m_future": "The 2035 outlook is a band across three scenarios; the central one extends "
        "the survey trend "
        "({verdict}).",
        "m_future_ipss": " {no_ipss} municipalities without an IPSS projection age their 2025 "
        "population by cohort "
        "change.",
        "m_disclosure": "Estimated counts below {k} are shown as <{k}, and the shares they could "
        "be recomputed from "
        "as X.",
    },
}

# How a map's classes were made (legend note); {k} is the number of classes.
CLASSING: dict[str, dict[str, str]] = {
    "ja": {
        "quantiles": "分位数で{k}区分（各区分の市町村数がほぼ同じ）",
        "fisher_jenks": "自然分類（Fisher-Jenks）で{k}区分",
        "equal_interval": "等間隔で{k}区分",
        "user": "指定した区切りで{k}区分",
        "diverging": "0を境に、両側をそれぞれ分位数で区分",
    },
    "en": {
        "quantiles": "{k} quantile classes (about equal numbers of municipalities)",
        "fisher_jenks": "{k} natural-break classes (Fisher-Jenks)",
        "equal_interval": "{k} equal-interval classes",
        "user": "{k} classes at given breaks",
        "diverging": "classes on each side of 0 (quantiles)",
    },
}

# Notes under a map: what the drawing leaves out or shows at another scale.
MAP_NOTES: dict[str, dict[str, str]] = {
    "ja": {
        "insets": "枠内：離れた島々（縮尺は本図と異なる）",
        "trimmed": "遠く離れた小島の一部は省略",
    },
    "en": {
        "insets": "framed panels: remote islands, each at its own scale",
        "trimmed": "some far-flung islets are not drawn",
    },
}

# Spatial cluster labels (esda's quadrants).
CLUSTERS: dict[str, dict[str, str]] = {
    "ja": {
        "High-High": "高い値の集積（高−高）",
        "Low-Low": "低い値の集積（低−低）",
        "High-Low": "周囲より高い（高−低）",
        "Low-High": "周囲より低い（低−高）",
        "not significant": "有意な集積なし",
        "no neighbours": "隣接する市町村なし",
    },
    "en": {
        "High-High": "High-High",
        "Low-Low": "Low-Low",
        "High-Low": "High-Low",
        "Low-High": "Low-High",
        "not significant": "not significant",
        "no neighbours": "no neighbours",
    },
}

# Why a municipality's counter network is (not) known to be complete
# (divide.geography.counters.BASIS).
COUNTER_BASIS: dict[str, dict[str, str]] = {
    "ja": {
        "analyst": "窓口一覧（分析者が提供）",
        "misplaced": "本庁舎の所在地が市町村外（仮庁舎）",
        "partial_branches": "支所等の一部のみ判明（避難所一覧の名称）",
        "large": "面積・人口が大きく、支所等が未把握の可能性",
        "single_office": "本庁舎のみ（小規模な市町村）",
    },
    "en": {
        "analyst": "counters supplied by the analyst",
        "misplaced": "main office listed outside the municipality",
        "partial_branches": "part of the branch network found (shelter list names)",
        "large": "large or populous: branch counters likely missing",
        "single_office": "one main office (small)",
    },
}

# Why a support form is marked for checking ({} are filled with numbers).
UNCERTAIN: dict[str, dict[str, str]] = {
    "ja": {
        "need": "必要度の判定が不確か（高い確率{probability:.0%}）",
        "access": "窓口までの距離が基準{cut:g} km付近（{km:.1f} km）",
        "unverified": "距離は把握済みの窓口まで（支所等が未確認）：窓口網を確認してください",
    },
    "en": {
        "need": "need uncertain (probability of high need {probability:.0%})",
        "access": "distance near the {cut:g} km cut ({km:.1f} km)",
        "unverified": "distance to known counters only (branch offices not verified): check the "
        "counter network",
    },
}


def area_word(pref: str | None, lang: str) -> str:
    """What a prefecture is called in running text: 道 / 都 / 府 / 県 (Japan: 全国), or
    "prefecture".
    """
    if lang != "ja":
        return "prefecture" if pref else "country"
    return {"01": "道", "13": "都", "26": "府", "27": "府", None: "国"}.get(pref, "県")


def term(key: str, lang: str) -> str:
    """A word of :data:`TERMS` in ``lang``."""
    return TERMS[lang][key]


def cluster_label(label: str, lang: str = "ja") -> str:
    """A cluster label for readers (esda's quadrant names in English, Japanese words otherwise)."""
    return CLUSTERS[lang].get(label, label)
