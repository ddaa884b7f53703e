"""The canonical columns of the municipal frame, documented in one place.

Each entry: Japanese label, English label, unit, and the manifest dataset it comes from. The labels
are used for Japanese/English table headers in exports, the sources tell which datasets a
prefecture's frame actually uses (its credit lines), and ``docs/columns.md`` is generated from here,
so the documentation cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from divide.constants import AGE_BANDS


@dataclass(frozen=True)
class Column:
    ja: str
    en: str
    unit: str
    source: str  # manifest dataset id, or "derived"


_C = Column
COLUMNS: dict[str, Column] = {
    "code": _C(
        "団体コード（5桁、インデックス）", "municipal code (5 digits, the index)", "", "derived"
    ),
    "code6": _C("団体コード（6桁・検査数字付）", "municipal code with check digit", "", "derived"),
    "name_ja": _C("市区町村名", "municipality (Japanese)", "", "juki_age"),
    "name_en": _C("市区町村名（ローマ字）", "municipality (romaji)", "", "offices"),
    "name_kana": _C("市区町村名（かな）", "municipality (kana)", "", "offices"),
    "pref_code": _C("都道府県コード", "prefecture code", "", "derived"),
    "pref_name_ja": _C("都道府県名", "prefecture", "", "derived"),
    "pref_name_en": _C("都道府県名（英）", "prefecture (English)", "", "derived"),
    "population": _C(
        "人口（2020年国勢調査）", "population, 2020 Census", "persons", "census_population"
    ),
    "census_zero_population": _C(
        "2020年国勢調査人口ゼロ（避難指示）",
        "no residents in the 2020 Census",
        "flag",
        "census_population",
    ),
    "pop_65plus": _C(
        "65歳以上人口（2020年国勢調査）", "population 65+, 2020 Census", "persons", "census_aging"
    ),
    "households": _C(
        "一般世帯数（2020年）", "general households, 2020", "households", "census_households"
    ),
    "elderly_single_hh": _C(
        "65歳以上の単独世帯（2020年）",
        "elderly single-person households, 2020",
        "households",
        "census_households",
    ),
    "elderly_couple_hh": _C(
        "高齢夫婦のみの世帯（2020年）",
        "elderly couple-only households, 2020",
        "households",
        "census_households",
    ),
    "registered_2020": _C(
        "住民基本台帳人口（2020-01-01）", "registered population 2020-01-01", "persons", "juki_age"
    ),
    "registered_2021": _C(
        "住民基本台帳人口（2021-01-01）", "registered population 2021-01-01", "persons", "juki_age"
    ),
    "registered_2022": _C(
        "住民基本台帳人口（2022-01-01）", "registered population 2022-01-01", "persons", "juki_age"
    ),
    "registered_age_sum": _C(
        "年齢階級別人口の合計（2022-01-01）", "sum of age bands 2022-01-01", "persons", "juki_age"
    ),
    "residence_ratio": _C(
        "居住率（国勢調査人口÷住基人口）",
        "residents / registered (2020 Census / 2021 register)",
        "ratio",
        "derived",
    ),
    "pop_2025_prelim": _C(
        "人口（2025年国勢調査速報）",
        "population, 2025 Census preliminary",
        "persons",
        "indicators_2025",
    ),
    "area_km2": _C("面積", "area", "km²", "indicators_2025"),
    "density": _C(
        "人口密度（2020年人口÷面積）", "population density (2020 / area)", "persons/km²", "derived"
    ),
    "ipss_projected": _C(
        "社人研の市町村別推計あり", "IPSS projects this municipality", "flag", "indicators_2025"
    ),
    "graduate_share": _C(
        "大学・大学院卒業者の割合", "university graduate share", "fraction", "census_ratios"
    ),
    "single_household_share": _C(
        "単独世帯の割合", "single-person household share", "fraction", "census_ratios"
    ),
    "kaso": _C(
        "過疎地域の区分", "depopulated-area (kaso) status", "whole/partial/deemed/none", "kaso"
    ),
    "office_lon": _C("本庁舎の経度", "main office longitude", "degrees", "offices"),
    "office_lat": _C("本庁舎の緯度", "main office latitude", "degrees", "offices"),
    "stations": _C("鉄道駅数（路線別）", "railway station entries (per line)", "count", "stations"),
    "mynumber_rate_2020": _C(
        "マイナンバーカード交付率（2020-10-01）",
        "My Number Card issuance rate 2020-10-01",
        "%",
        "mynumber",
    ),
    "mynumber_rate_2022": _C(
        "マイナンバーカード交付率（2022-12-31）",
        "My Number Card issuance rate 2022-12-31",
        "%",
        "mynumber",
    ),
    "card_holding_pct": _C(
        "マイナンバーカード保有率（2024）",
        "My Number Card holding rate (2024)",
        "%",
        "dx_dashboard",
    ),
    "online_26_pct": _C(
        "子育て・介護26手続のオンライン化率",
        "26 childcare/care procedures online",
        "%",
        "dx_dashboard",
    ),
    "online_32_pct": _C(
        "よく使う32手続のオンライン化率", "32 common procedures online", "%", "dx_dashboard"
    ),
    "online_32_handled": _C(
        "32手続のうち実施している手続数", "of the 32 procedures, handled", "count", "dx_dashboard"
    ),
    "online_32_online": _C(
        "32手続のうちオンライン化済の手続数",
        "of the 32 procedures, online",
        "count",
        "dx_dashboard",
    ),
    "evac_first_lifted": _C(
        "避難指示の最初の解除日",
        "first lifting of an evacuation order",
        "date",
        "evacuation_events",
    ),
    "evac_last_lifted": _C(
        "避難指示の最後の解除日",
        "latest lifting of an evacuation order",
        "date",
        "evacuation_events",
    ),
    "residence_rate_pct": _C(
        "居住率（報道による最新値）", "residence rate, latest press figure", "%", "residence"
    ),
    "residence_rate_as_of": _C("居住率の時点", "residence rate as of", "date", "residence"),
    "broadband_coverage_pct": _C(
        "FTTH世帯カバー率", "FTTH household coverage", "%", "broadband_coverage"
    ),
    "geometry": _C("境界", "boundary", "", "boundaries"),
}
for _year in (2025, 2030, 2035, 2040, 2045, 2050):
    COLUMNS[f"ipss_{_year}"] = _C(
        f"将来推計人口（社人研, {_year}年）",
        f"IPSS projected population {_year}",
        "persons",
        "indicators_2025",
    )
COLUMNS["ipss_65plus_2050"] = _C(
    "将来推計65歳以上人口（2050年）", "IPSS projected 65+ in 2050", "persons", "indicators_2025"
)
for _flag, _ja in (
    ("dx_cio", "CIOの任命"),
    ("dx_cio_deputy", "CIO補佐官等の任命"),
    ("dx_policy", "全体方針策定"),
    ("dx_organisation", "全庁的な体制構築"),
    ("dx_external_experts", "外部人材活用"),
    ("dx_staff_development", "職員育成の取組"),
    ("dx_all_staff_training", "全職員対象研修"),
    ("dx_ai", "AIの導入"),
    ("dx_rpa", "RPAの導入"),
    ("dx_telework", "テレワークの導入"),
):
    COLUMNS[_flag] = _C(
        f"DX推進：{_ja}", f"DX: {_flag[3:].replace('_', ' ')}", "flag", "dx_dashboard"
    )
for _band in AGE_BANDS:
    _lo = _band.split("_")[1].removesuffix("plus")
    _label = f"{_lo}歳以上" if _band.endswith("plus") else f"{_lo}〜{_band.split('_')[2]}歳"
    COLUMNS[f"reg_{_band}"] = _C(
        f"住基人口 {_label}（2022-01-01）",
        f"registered {_band[4:]} (2022-01-01)",
        "persons",
        "juki_age",
    )


def label(column: str, lang: str = "ja") -> str:
    """Header for a column in the requested language; unknown columns keep their name."""
    entry = COLUMNS.get(column)
    if entry is None:
        return column
    return entry.ja if lang == "ja" else entry.en


def datasets_with_values(table: pd.DataFrame) -> list[str]:
    """Manifest datasets behind the columns of ``table`` that hold at least one value (for credit
    lines).

    A prefecture with no evacuation order has empty evacuation columns, so those sources are not
    credited in its outputs.
    """
    used = {"boundaries"} if "geometry" in table else set()
    for column in table.columns:
        entry = COLUMNS.get(column)
        if entry is None or entry.source == "derived" or column == "geometry":
            continue
        if table[column].notna().any() and not (
            table[column].dtype == object and table[column].eq("nan").all()
        ):
            used.add(entry.source)
    return sorted(used)


def markdown() -> str:
    """The column catalogue as a Markdown table (docs/columns.md)."""
    lines = [
        "# Columns of the municipal frame",
        "",
        "Generated from `divide/columns.py`; `load_frame()` returns these columns. `code` is the "
        "index",
        "(a 5-digit string); everything else is a column.",
        "",
        "| column | 日本語 | English | unit | source |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{name}` | {c.ja} | {c.en} | {c.unit} | {c.source} |" for name, c in COLUMNS.items()
    ]
    return "\n".join(lines) + "\n"
