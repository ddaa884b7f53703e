"""One number, one interval, one rounding: the figures a briefing quotes, computed once.

Every output that quotes a prefecture's figure (the 要旨 slide, the time axis, the README, the
``要旨`` sheet of ``tables.xlsx``) takes it from :func:`headline`, and every count a reader sees is
rounded by :func:`rounded` (three significant figures: the estimate is not known to the person).
The 2025 interval is the estimate's own draws summed over the municipalities; the later years'
are the projection's joint draws of the same estimate and of the trend; 2020 is a back-cast and
says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SIGNIFICANT = 3


def rounded(value: float) -> float:
    """A count of people rounded to three significant figures (at least to the unit)."""
    if not np.isfinite(value) or value == 0:
        return float(value)
    digits = SIGNIFICANT - int(np.floor(np.log10(abs(value)))) - 1
    return float(round(value, min(digits, 0)))


def people(value: float, lang: str) -> str:
    """A head-count as a council member reads it, with the same three significant figures in both
    languages: 34.6万人 / 346,000, 6.09万人 / 60,900, 115万人 / 1,150,000 (never "115.0万").

    >>> people(345_871.2, "ja"), people(345_871.2, "en"), people(60_925.1, "ja"), people(847.4, "ja")
    ('34.6万人', '346,000', '6.09万人', '847人')
    >>> people(1_146_000, "ja"), people(1_146_000, "en")
    ('115万人', '1,150,000')
    """
    value = rounded(value)
    if lang == "ja" and value >= 1e4:
        man = value / 1e4
        decimals = max(SIGNIFICANT - len(str(int(man))), 0)
        return f"{man:.{decimals}f}万人"
    return f"{value:,.0f}人" if lang == "ja" else f"{value:,.0f}"


def count_text(value: float, k: int, lang: str = "en") -> str:
    """A municipal count as readers see it on cards, tables, hovers: ``<k`` below k, else rounded.

    >>> count_text(7.9, 10), count_text(60_925.1, 10)
    ('<10', '60,900')
    """
    return f"<{k}" if value < k else f"{rounded(value):,.0f}"


def interval_text(low: float, high: float, lang: str) -> str:
    """A 90 % interval of people, rounded like its value: 27.7万〜39.2万人 / 277,000–392,000."""
    if lang == "ja":
        low_text, high_text = people(low, lang), people(high, lang)
        if low_text.endswith("万人") and high_text.endswith("万人"):
            low_text = low_text.removesuffix("人")
        return f"{low_text}〜{high_text}"
    return f"{people(low, lang)}–{people(high, lang)}"


@dataclass(frozen=True)
class Headline:
    """A quoted figure: value, 90 % interval (NaN when it has none) and what it is."""

    key: str
    value: float
    low: float = float("nan")
    high: float = float("nan")
    unit: str = "persons"  # persons | share | count
    year: int | None = None
    back_cast: bool = False

    def text(self, lang: str) -> str:
        """The value as quoted (the interval separately, :meth:`interval`)."""
        if self.unit == "share":
            return f"{self.value:.1%}"
        if self.unit == "count":
            return f"{self.value:,.0f}"
        return people(self.value, lang)

    def interval(self, lang: str) -> str:
        """The 90 % interval as quoted ("" when there is none)."""
        if not np.isfinite(self.low):
            return ""
        if self.unit == "share":
            return f"{self.low:.1%}–{self.high:.1%}"
        return interval_text(self.low, self.high, lang)


def _age_band_total(analysis: object, band: tuple[int, int | None]) -> Headline:
    estimate = analysis.estimate
    table, draws = estimate.band_counts((band,))
    low, high = np.quantile(draws.sum(axis=(1, 2)), [0.05, 0.95])
    value = float(table["offline_count"].sum())
    label = f"{band[0]}plus" if band[1] is None else f"{band[0]}_{band[1]}"
    return Headline(
        f"offline_{label}",
        value,
        float(min(low, value)),
        float(max(high, value)),
        year=estimate.population_year,
    )


def headline(analysis: object) -> dict[str, Headline]:
    """The figures of a briefing, by key: ``offline_<year>`` (every projection year), ``share``,
    ``offline_75plus``, ``published`` (the prefecture's latest published offline share) and
    ``published_estimate``, ``to_check`` and the sites.
    """
    totals = analysis.projection.totals
    out: dict[str, Headline] = {}
    for year, row in totals.iterrows():
        out[f"offline_{year}"] = Headline(
            f"offline_{year}",
            float(row["central"]),
            float(row["low"]),
            float(row["high"]),
            year=int(year),
            back_cast=bool(row["back_cast"]),
        )
    base = out[f"offline_{analysis.estimate.population_year}"]
    residents = float(analysis.estimate.municipalities["residents_15plus"].sum())
    out["share"] = Headline(
        "share",
        base.value / residents,
        base.low / residents,
        base.high / residents,
        unit="share",
        year=base.year,
    )
    out["offline_75plus"] = _age_band_total(analysis, (75, None))
    published = analysis.estimate.published
    if len(published) and published["pref_code"].nunique() == 1:
        latest = published.sort_values("year").iloc[-1]
        out["published"] = Headline(
            "published",
            float(latest["published_offline_share"]),
            float(latest["published_lo"]),
            float(latest["published_hi"]),
            unit="share",
            year=int(latest["year"]),
        )
    plan = analysis.plan.table
    out["to_check"] = Headline("to_check", float(plan["form_uncertain"].sum()), unit="count")
    chosen = analysis.sites.chosen
    out["sites_firm"] = Headline("sites_firm", float((~chosen["conditional"]).sum()), unit="count")
    out["sites_conditional"] = Headline(
        "sites_conditional", float(chosen["conditional"].sum()), unit="count"
    )
    return out


def headline_table(analysis: object, lang: str) -> pd.DataFrame:
    """The headline figures as a table (the ``要旨`` sheet): key, value, interval, as quoted."""
    rows = [
        {
            "item": key,
            "value": figure.value,
            "low": figure.low,
            "high": figure.high,
            "quoted": figure.text(lang),
            "interval": figure.interval(lang),
            "year": figure.year,
            "back_cast": figure.back_cast,
        }
        for key, figure in headline(analysis).items()
    ]
    return pd.DataFrame(rows)
