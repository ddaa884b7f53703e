"""Parity with COINr (the JRC's R package) on its own ASEM example, from the raw data to the index.

COINr's ``ASEM_COIN`` holds every data set ``build_ASEM()`` produced: denominated by the metadata's
denominators, imputed by group mean (Europe / Asia), treated for outliers, normalised min-max 0-100
and aggregated indicator → 8 pillars → 2 sub-indices → index. divide imports COINr's documented
input (``iData``/``iMeta``), runs the same steps, and must agree at every level.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import divide
from divide.errors import DivideDataError
from divide.index import build_index
from divide.index.audit import cronbach_alpha, first_component_share
from divide.index.coinr import from_coinr
from divide.index.spec import Treatment
from divide.index.treat import Treated, fit, kurtosis, skewness

STEPS = {"imputation": {"group": "EurAsia_group"}, "treatment": {"method": "coinr"}}


def _rda(path):
    import rdata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rdata.read_rda(path)


@pytest.fixture(scope="module")
def coin(raw):
    return _rda(raw / "reference/coinr/ASEM_COIN.rda")["ASEM_COIN"]


@pytest.fixture(scope="module")
def asem(raw):
    folder = raw / "reference/coinr"
    spec, table = from_coinr(folder / "ASEM_iData.rda", folder / "ASEM_iMeta.rda", **STEPS)
    return build_index(table, spec)


def _coinr6_inputs(coin) -> tuple[pd.DataFrame, pd.DataFrame]:
    """COINr6's own input (``Input$Original``) rewritten in the iData/iMeta format, unrounded."""
    data = coin["Input"]["Original"]["IndData"].rename(
        columns={"UnitCode": "uCode", "UnitName": "uName"}
    )
    meta = coin["Input"]["IndMeta"]
    weights = coin["Parameters"]["Weights"]["Original"]
    weight = dict(zip(weights["Code"].astype(str), weights["Weight"].astype(float), strict=True))
    rows = [
        {
            "iCode": str(r.IndCode),
            "Level": 1,
            "Parent": str(r.Agg1),
            "Direction": r.Direction,
            "Weight": weight[str(r.IndCode)],
            "Type": "Indicator",
            "Denominator": None if pd.isna(r.Denominator) else str(r.Denominator),
        }
        for r in meta.itertuples()
    ]
    for level, child, parent in ((2, "Agg1", "Agg2"), (3, "Agg2", "Agg3"), (4, "Agg3", None)):
        pairs = meta[[child, parent]] if parent else meta[[child]].assign(up=None)
        for code, up in pairs.drop_duplicates().itertuples(index=False, name=None):
            rows.append(
                {
                    "iCode": str(code),
                    "Level": level,
                    "Parent": up,
                    "Direction": 1,
                    "Weight": weight[str(code)],
                    "Type": "Aggregate",
                    "Denominator": None,
                }
            )
    rows += [{"iCode": c, "Type": "Group"} for c in data.columns if str(c).startswith("Group_")]
    rows += [{"iCode": c, "Type": "Denominator"} for c in data.columns if str(c).startswith("Den_")]
    return data, pd.DataFrame(rows)


def _max_diff(mine: pd.DataFrame, reference: pd.DataFrame, columns: list[str]) -> float:
    reference = reference.set_index(reference["UnitCode"].astype(str))
    a = mine.loc[reference.index, columns].to_numpy(dtype=float)
    b = reference[columns].to_numpy(dtype=float)
    assert (np.isnan(a) == np.isnan(b)).all()
    return float(np.nanmax(np.abs(a - b)))


def _every_level(result, coin) -> dict[str, float]:
    data = coin["Data"]
    scores = result.scores.rename(columns={"score": "Index"})
    return {
        "normalised": _max_diff(
            result.indicators, data["Normalised"], list(result.indicators.columns)
        ),
        "pillars": _max_diff(scores, data["Aggregated"], result.pillars_used),
        "sub-indices": _max_diff(scores, data["Aggregated"], result.aggregates_used),
        "index": _max_diff(scores, data["Aggregated"], ["Index"]),
    }


def test_the_asem_index_from_coinr_inputs_matches_coinr_at_every_level(asem, coin):
    assert asem.spec.depth == 3 and len(asem.indicators_used) == 49 and len(asem.scores) == 51
    differences = _every_level(asem, coin)
    assert max(differences.values()) < 1e-6, differences
    published = coin["Results"]["AggregatesScore"].set_index(
        coin["Results"]["AggregatesScore"]["UnitCode"].astype(str)
    )
    assert (
        asem.scores.loc[published.index, "rank"].to_numpy()
        == published["Rank"].to_numpy(dtype=float)
    ).all()
    # COINr's rank table ranks the published (2-decimal) scores: the same rule on ours gives the
    # same table
    table = coin["Results"]["AggregatesRank"].set_index(
        coin["Results"]["AggregatesRank"]["UnitCode"].astype(str)
    )
    rounded = asem.scores.rename(columns={"score": "Index"}).loc[table.index].round(2)
    for column in table.columns.drop(["UnitCode", "UnitName"]):
        assert (
            rounded[column].rank(ascending=False, method="min") == table[column].astype(float)
        ).all(), column


def test_the_treatment_report_reads_as_coinrs(asem, coin):
    summary = coin["Analysis"]["Treated"]["TreatSummary"]
    mine = asem.treatment.set_index("indicator").loc[summary["IndCode"].astype(str)]
    assert list(mine["treatment"]) == list(summary["Treatment"].astype(str))
    assert list(mine["high_points"]) == list(summary["High"].astype(int))
    assert list(mine["low_points"]) == list(summary["Low"].astype(int))
    imputed = sum(len([x for x in row.split(", ") if x]) for row in asem.scores["imputed"])
    assert imputed == int(np.asarray(coin["Analysis"]["Imputed"]["NImputed"]).ravel()[0]) == 65


def test_coinr6_inputs_give_coinrs_numbers_to_machine_precision(coin):
    data, meta = _coinr6_inputs(coin)
    steps = {**STEPS, "imputation": {"group": "Group_EurAsia"}}  # COINr6's name of the same column
    result = build_index(*reversed(from_coinr(data, meta, **steps)))
    assert max(_every_level(result, coin).values()) < 1e-12


@pytest.mark.parametrize(
    ("step", "at_least", "ranks_at_most"),
    [("treatment", 5.0, 20), ("group imputation", 4.0, 30), ("denomination", 18.0, 5)],
)
def test_each_step_is_needed_for_parity(raw, coin, step, at_least, ranks_at_most):
    """Leave one step out and the index moves by points and most ranks change (docs/index.md's
    table).
    """
    folder = raw / "reference/coinr"
    meta = _rda(folder / "ASEM_iMeta.rda")["ASEM_iMeta"]
    steps = {
        "treatment": {**STEPS, "treatment": {"method": "none"}},
        "group imputation": {**STEPS, "imputation": {"method": "mean"}},
    }.get(step, STEPS)
    if step == "denomination":
        meta = meta.assign(Denominator=None)
    result = build_index(*reversed(from_coinr(folder / "ASEM_iData.rda", meta, **steps)))
    assert _every_level(result, coin)["index"] > at_least
    published = coin["Results"]["AggregatesScore"]
    same = result.scores.loc[published["UnitCode"].astype(str), "rank"].to_numpy() == published[
        "Rank"
    ].to_numpy(float)
    assert same.sum() <= ranks_at_most


def test_a_missing_pillar_is_reweighted_within_its_own_sub_index():
    table = pd.DataFrame(
        {"a": [10.0, 20, 30, 40], "b": [5.0, 0, 10, 20], "c": [1.0, 2, 3, 4]}, index=list("wxyz")
    )
    table.loc["w", "a"] = np.nan
    spec = {
        "availability": 1.0,
        "aggregates": [{"id": "S", "weight": 3}, {"id": "T", "weight": 1}],
        "pillars": [
            {"id": "A", "parent": "S", "indicators": [{"id": "a", "direction": 1}]},
            {"id": "B", "parent": "S", "weight": 2, "indicators": [{"id": "b", "direction": 1}]},
            {"id": "C", "parent": "T", "indicators": [{"id": "c", "direction": 1}]},
        ],
    }
    result = build_index(table, spec)
    w = result.scores.loc["w"]
    assert np.isnan(w["A"]) and w["S"] == pytest.approx(
        w["B"]
    )  # S is B alone, not B spread over the index
    assert w["score"] == pytest.approx(0.75 * w["S"] + 0.25 * w["C"])
    x = result.scores.loc["x"]
    assert x["S"] == pytest.approx((x["A"] + 2 * x["B"]) / 3)
    assert list(result.ranks.columns) == ["A", "B", "C", "S", "T", "score"]
    assert pd.isna(result.ranks.loc["w", "A"]) and result.ranks["score"].min() == 1


def test_the_monte_carlo_runs_over_three_levels(asem):
    fixed, _ = divide.monte_carlo(
        asem, draws=400, weights=False, normalisation=False, aggregation=False, estimate=False
    )
    assert (fixed == asem.scores["rank"].to_numpy()[None]).all()
    varied, _ = divide.monte_carlo(asem, draws=400)
    assert (varied != asem.scores["rank"].to_numpy()[None]).any()


def test_winsorisation_and_log_follow_coinrs_rule():
    skewed = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 60])
    treated = fit("x", skewed, Treatment(method="coinr"))
    assert (
        treated.method == "winsorised"
        and treated.high_points == 1
        and treated.apply(skewed).max() == 5
    )
    assert abs(skewness(treated.apply(skewed))) <= 2 or kurtosis(treated.apply(skewed)) <= 3.5
    heavy = np.concatenate([np.ones(20), [1e3, 1e4, 1e5, 1e6]])
    logged = fit("y", heavy, Treatment(method="coinr", winmax=1))
    assert logged.method == "log" and logged.describe() == "CTLog (exceeded winmax)"
    assert np.isfinite(
        logged.apply(np.array([-5.0]))
    ).all()  # below the reference: clipped, not NaN
    assert fit("z", skewed, Treatment(method="none")) == Treated(
        "z",
        "none",
        skew_before=skewness(skewed),
        kurtosis_before=kurtosis(skewed),
        skew_after=skewness(skewed),
        kurtosis_after=kurtosis(skewed),
    )


def test_e1071_type_2_moments_match_the_textbook_formula():
    x = np.array([2.0, 3, 5, 7, 11, 13, 17, 19, 23, 90])
    n, d = len(x), x - x.mean()
    s = np.sqrt((d**2).sum() / (n - 1))
    g1 = n / ((n - 1) * (n - 2)) * ((d / s) ** 3).sum()
    g2 = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * ((d / s) ** 4).sum() - 3 * (n - 1) ** 2 / (
        (n - 2) * (n - 3)
    )
    assert skewness(x) == pytest.approx(g1) and kurtosis(x) == pytest.approx(g2)


def test_audit_statistics():
    rng = np.random.default_rng(0)
    common = rng.normal(size=200)
    parts = np.column_stack([common + 0.1 * rng.normal(size=200) for _ in range(4)])
    assert cronbach_alpha(parts) > 0.95 and first_component_share(parts) > 0.95
    independent = rng.normal(size=(200, 4))
    assert abs(cronbach_alpha(independent)) < 0.3 and first_component_share(independent) < 0.45
    k, v = 4, parts.var(axis=0, ddof=1).sum()
    assert cronbach_alpha(parts) == pytest.approx(
        k / (k - 1) * (1 - v / parts.sum(axis=1).var(ddof=1))
    )


def test_the_audit_covers_every_level(asem):
    assert set(asem.audit["level"]) == {1, 2, 3}
    assert len(asem.audit) == 49 + 8 + 2
    assert asem.audit["share_of_index"][asem.audit["level"] == 1].sum() == pytest.approx(1.0)
    assert list(asem.consistency["node"]) == [*asem.pillars_used, *asem.aggregates_used, "score"]


def test_import_errors_name_file_row_and_column(tmp_path, raw):
    folder = raw / "reference/coinr"
    data = _rda(folder / "ASEM_iData.rda")["ASEM_iData"]
    meta = _rda(folder / "ASEM_iMeta.rda")["ASEM_iMeta"]
    path = tmp_path / "iMeta.csv"
    meta.drop(columns="Weight").to_csv(path, index=False)
    with pytest.raises(DivideDataError, match=r"iMeta.csv, column 'Weight'"):
        from_coinr(data, path)
    broken = meta.copy()
    broken.loc[broken.index[2], "Parent"] = "Nowhere"
    broken.to_csv(path, index=False)
    with pytest.raises(DivideDataError, match=r"iMeta.csv, row 4, column 'Parent'"):
        from_coinr(data, path)
    with pytest.raises(DivideDataError, match=r"row 3, column 'uCode'"):
        from_coinr(pd.concat([data.iloc[:1], data]), meta)


def _two_pillars(**extra) -> dict:
    return {
        "pillars": [
            {"id": "P", "indicators": [{"id": "a", "direction": 1}, {"id": "b", "direction": 1}]},
            {"id": "Q", "indicators": [{"id": "c", "direction": 1}]},
        ],
        **extra,
    }


def test_denomination_divides_and_a_zero_denominator_is_missing():
    table = pd.DataFrame(
        {
            "a": [10.0, 20, 30, 40],
            "b": [1.0, 2, 3, 4],
            "c": [4.0, 3, 2, 1],
            "pop": [10.0, 10, 0, 20],
        },
        index=list("wxyz"),
    )
    spec = _two_pillars(imputation={"method": "none"}, availability=0)
    spec["pillars"][0]["indicators"][0]["denominator"] = {"column": "pop", "unit": "persons"}
    result = build_index(table, spec)
    assert result.raw["a"].tolist()[:2] == [1.0, 2.0] and np.isnan(result.raw.loc["y", "a"])
    assert result.scores.loc["y", "P"] == pytest.approx(
        result.indicators.loc["y", "b"]
    )  # b alone carries P
    table["pop"] = 0.0
    assert set(build_index(table, spec).missing["id"]) == {
        "a"
    }  # all-missing after division: left out, said so


def test_without_imputation_a_missing_value_is_dropped_within_its_pillar():
    table = pd.DataFrame(
        {"a": [np.nan, 2, 3, 4.0], "b": [4.0, 1, 2, 3], "c": [1.0, 2, 3, 4]}, index=list("wxyz")
    )
    result = build_index(table, _two_pillars(imputation={"method": "none"}, availability=0))
    assert result.scores.loc["w", "P"] == pytest.approx(result.indicators.loc["w", "b"])
    assert result.scores.loc["w", "imputed"] == "" and not result.notes
    mean = build_index(table, _two_pillars(availability=0))
    assert mean.scores.loc["w", "imputed"] == "a" and mean.raw.loc["w"].isna().any()


def test_goalposts_read_untreated_values_and_a_negative_skew_is_logged_reflected():
    values = np.array(
        [1.0] * 20 + [10, 100, 1000, 10000]
    )  # still skewed after one winsorisation step
    table = pd.DataFrame(
        {"a": values, "b": values[::-1], "c": np.arange(24.0)}, index=[f"u{i}" for i in range(24)]
    )
    spec = _two_pillars(treatment={"method": "coinr", "winmax": 1}, normalisation="goalposts")
    for indicator in (*spec["pillars"][0]["indicators"], *spec["pillars"][1]["indicators"]):
        indicator["goalposts"] = {"lo": 0, "hi": 10000}
    result = build_index(table, spec)
    assert result.treatment.set_index("indicator").loc["a", "method"] == "log"
    assert result.indicators["a"].tolist() == pytest.approx(
        (values / 100).tolist()
    )  # fixed bounds: no cap, no log
    minmax = build_index(table, {**spec, "normalisation": "minmax"})
    logged = np.log(values - 1 + 0.01 * 9999)
    assert minmax.indicators["a"].tolist() == pytest.approx(
        (100 * (logged - logged.min()) / np.ptp(logged)).tolist()
    )
    left = fit("x", -values, Treatment(method="coinr", winmax=1))
    assert left.reflected and left.describe().startswith("CTLog reflected")
    assert abs(left.skew_after) < abs(left.skew_before)  # the reflected log shortens the tail
    assert (np.diff(left.apply(np.sort(-values))) >= 0).all()  # and keeps the order


def test_ids_that_name_score_columns_are_refused():
    from divide.errors import DivideSpecError

    with pytest.raises(DivideSpecError, match="'score' names a column"):
        build_index(
            pd.DataFrame({"a": [1.0, 2, 3]}),
            {"pillars": [{"id": "score", "indicators": [{"id": "a", "direction": 1}]}]},
        )


def test_a_category_is_never_winsorised_into_a_constant():
    designation = np.array([0.0] * 55 + [1.0] * 7)  # Tokyo's 過疎 designation: 7 island towns of 62
    treated = fit("kaso", designation, Treatment(method="coinr"))
    assert treated.method == "none" and "category" in treated.describe()
    assert (treated.apply(designation) == designation).all()
