"""The offline-population estimate: method checks on constructed data, and acceptance on real data."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

import divide
from divide.constants import AGE_BANDS
from divide.errors import DivideDataError
from divide.estimate.age_curve import (
    AGES,
    _basis,
    fit_age_curve,
    load_age_table,
    single_age_weights,
)
from divide.estimate.area_model import AreaData, AreaModel, fit_area_model
from divide.estimate.structure import age_expected_use, resident_bands


@pytest.fixture(scope="module")
def estimate(fukushima_estimate):
    return fukushima_estimate


@pytest.fixture(scope="module")
def band_population(national):
    return national.municipalities[[f"reg_{b}" for b in AGE_BANDS]].sum().to_numpy()


def test_age_curve_recovers_a_known_curve_from_bands_with_an_open_band(band_population):
    truth = np.array([2.0, -1.5, -0.4])
    weights = single_age_weights(band_population)
    use = expit(truth[0] + _basis(AGES) @ truth[1:])
    bands = [(18, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, None)]
    rows = []
    for lo, hi in bands:
        inside = (AGES >= lo) & (AGES <= (104 if hi is None else hi))
        rate = np.average(
            use[inside], weights=weights[inside]
        )  # the open band mixes ages by population
        rows.append(
            {"survey": "synthetic", "age_lo": lo, "age_hi": hi, "pct": 100 * rate, "n": 1e7}
        )
    curve = fit_age_curve(pd.DataFrame(rows), band_population)
    assert curve.params == pytest.approx(truth, abs=1e-3)
    assert curve.table["fitted_pct"].to_numpy() == pytest.approx(
        curve.table["pct"].to_numpy(), abs=1e-3
    )


def test_age_curve_fits_the_2023_survey(estimate):
    table = estimate.age_curve.table
    assert (table["fitted_pct"] - table["pct"]).abs().max() < 1.5
    use = estimate.age_curve.use_by_band()
    assert np.all(np.diff(use[6:]) < 0)  # declines with age from 30


def test_age_table_errors(tmp_path):
    path = tmp_path / "ages.csv"
    path.write_text(
        "survey,age_lo,age_hi,pct,n\ns,18,29,99.3,200\ns,70,,148.5,300\n", encoding="utf-8"
    )
    with pytest.raises(
        DivideDataError, match=r"ages.csv, row 3, column 'pct': pct must be a percentage"
    ):
        load_age_table(path)
    path.write_text("survey,age_lo,age_hi,pct\ns,18,29,99.3\n", encoding="utf-8")
    with pytest.raises(DivideDataError, match=r"column 'n': give n"):
        load_age_table(path)


def test_area_model_recovers_known_municipal_coefficients_from_prefecture_aggregates():
    """Simulate municipalities, publish only prefecture rates (with sampling noise), fit, recover β."""
    rng = np.random.default_rng(1)
    n_muni, prefs = 600, np.repeat([f"{p:02d}" for p in range(1, 41)], 15)
    x = np.column_stack([rng.uniform(0, 1, n_muni), rng.normal(0.25, 0.08, n_muni)])
    x[:, 1] += np.repeat(rng.normal(0, 0.05, 40), 15)  # prefectures differ in their composition
    offset = rng.normal(1.5, 0.3, n_muni)
    weights = rng.uniform(500, 50_000, n_muni)
    truth = np.array([-0.3, 0.1, -0.4, 3.0])  # const, year 2023, x1, x2
    rows = []
    for year in (2022, 2023):
        use = expit(offset + truth[0] + truth[1] * (year == 2023) + x @ truth[2:])
        for pref in np.unique(prefs):
            members = prefs == pref
            rate = np.average(use[members], weights=weights[members])
            rows.append(
                {
                    "pref_code": pref,
                    "year": year,
                    "rate": rng.binomial(200_000, rate) / 200_000,
                    "sample_n": 200_000,
                }
            )
    offsets = {2022: offset, 2023: offset}
    data = AreaData(offsets, x, ("x1", "x2"), weights, prefs, pd.DataFrame(rows))
    model = fit_area_model(data)
    assert model.params == pytest.approx(truth, abs=0.1)
    assert model.scale == pytest.approx(1.0, abs=0.5)


def test_the_survey_trend_is_the_slope_of_the_year_effects():
    model = AreaModel(
        np.array([0.0, 0.02, 0.06]), np.diag([1.0, 0.01, 0.01]), 1.0, (2022, 2023, 2024), ()
    )
    slope, se = model.trend_per_year()
    assert slope == pytest.approx(0.03) and se == pytest.approx(np.sqrt(0.01 * 0.25))


def test_every_named_model_and_the_default_are_validated(estimate):
    v = estimate.validation.set_index("model")
    assert set(v.index) == {"age", "age+settlement", "full", "averaged"} and (v["n"] == 141).all()
    # Bound: twice the pure binomial sampling error of the published rates (what a perfect model
    # would still miss). The full model must leave no more unexplained error than the sampling
    # noise itself.
    loo = estimate.loo["full"]
    sampling = (
        np.sqrt(2 / np.pi) * np.sqrt(loo["rate"] * (1 - loo["rate"]) / loo["sample_n"])
    ).mean() * 100
    assert v.loc["full", "mae_pp"] < 2 * sampling
    # the default carries the model choice and stays calibrated where it can be checked
    assert v.loc["averaged", "mae_pp"] <= 2.2 and 0.85 <= v.loc["averaged", "coverage90"] <= 0.95
    assert "averaged" in estimate.summary() and "averaged" in repr(estimate)


def test_fukushima_weighted_mean_beside_the_published_rates(estimate):
    check = estimate.prefecture_check.set_index("year")
    assert check["published_use_pct"].to_dict() == {2022: 75.2, 2023: 79.1, 2024: 82.2}
    assert check["estimated_use_pct"].between(70, 85).all()
    assert (check["loo_lo_pct"] < check["loo_use_pct"]).all() and (
        check["loo_use_pct"] < check["loo_hi_pct"]
    ).all()


def test_three_way_split_adds_up_exactly_and_is_centred_on_japan(national):
    result = divide.estimate_offline(national, draws=200, validate=False)
    m = result.municipalities
    gap = m["offline_share"] - result.reference_share
    parts = m["age_part"] + m["settlement_part"] + m["composition_part"] + m["survey_part"]
    assert np.max(np.abs(parts - gap)) < 1e-9
    for part in ("age_part", "settlement_part", "composition_part"):
        assert abs(np.average(m[part], weights=m["residents_15plus"])) * 100 < 0.05
    # draws of the parts add up too (the index draws them jointly)
    drawn = sum(result.draws[p] for p in ("age_part", "settlement_part", "composition_part"))
    assert np.isfinite(drawn).all()


def test_extrapolation_is_judged_against_the_prefecture_values_that_identify_it(national):
    result = divide.estimate_offline(national, draws=200, validate=False)
    m = result.municipalities
    low, high = result.bounds["prefecture"]["graduate_share"]
    assert 0.10 < low < high < 0.35  # the adult-weighted shares of the 47 prefectures
    share = national.municipalities["graduate_share"]
    outside = (share < low) | (share > high)
    known = share.notna()  # an imputed share is judged on its imputed value
    assert (m.loc[known, "extrapolated"] == outside[known]).all()
    assert m["extrapolated"].sum() > 0.3 * len(m)
    assert (m.loc[m["extrapolated"], "extrapolated_covariates"] == "graduate_share").all()
    # outside, the placement moves toward the model without graduate share, the further the more
    assert (m.loc[~m["extrapolated"], "placement_full"] == 0.5).all()
    far = (share - high).where(share > high)
    assert m.loc[far.idxmax(), "placement_full"] < m.loc[far.idxmin(), "placement_full"] <= 0.5
    low_m, high_m = result.bounds["municipal"]["graduate_share"]
    assert low_m < low and high < high_m  # municipal values spread wider than prefecture means


@pytest.mark.parametrize("pref", ["07", None], ids=["Fukushima", "Japan"])
def test_the_default_interval_holds_the_other_reading_of_the_data(pref, fukushima, national):
    """The age+settlement model places the offline residents by settlement, the full model by
    graduate share; the default's intervals hold the age+settlement model's point estimates.
    """
    frame = fukushima if pref else national
    default = divide.estimate_offline(frame, draws=1000, validate=False).municipalities
    other = divide.estimate_offline(frame, model="age+settlement", draws=100, validate=False)
    point = other.municipalities["offline_share"]
    outside = (point < default["offline_share_lo"]) | (point > default["offline_share_hi"])
    assert outside.mean() <= 0.10


def test_a_model_choice_must_name_known_models_with_weights_adding_to_one(fukushima):
    from divide.estimate.models import ModelChoice

    with pytest.raises(divide.DivideParameterError, match="must be one of"):
        divide.estimate_offline(fukushima, model="settlement", validate=False)
    with pytest.raises(divide.DivideParameterError, match="add up to 1"):
        ModelChoice("mine", {"full": 0.7, "age": 0.2})
    with pytest.raises(divide.DivideParameterError, match="unknown area model"):
        ModelChoice("mine", {"fulll": 1.0})
    own = ModelChoice("mine", {"full": 0.8, "age+settlement": 0.2})
    result = divide.estimate_offline(fukushima, model=own, draws=100, validate=False)
    assert result.model.name == "mine" and len(result.municipalities) == 59


def test_municipal_intervals_depend_on_size(national):
    m = divide.estimate_offline(national, draws=400, validate=False).municipalities
    width = m["offline_share_hi"] - m["offline_share_lo"]
    small, large = m["residents_15plus"] < 2_000, m["residents_15plus"] > 100_000
    assert width[small].median() > 1.8 * width[large].median()
    assert (
        (m["offline_share_lo"] <= m["offline_share"])
        & (m["offline_share"] <= m["offline_share_hi"])
    ).all()


def test_variance_components_carry_their_own_uncertainty(estimate):
    v = estimate.variances
    assert 0 < v.in_sample < v.prefecture < 0.02  # held out, areas differ more than in sample
    draws = v.prefecture_draws
    assert len(draws) == estimate.draws["offline_share"].shape[0]
    assert (draws >= 0).all() and (draws == 0).mean() < 0.5 and draws.std() > 0.2 * v.prefecture
    ratios = estimate.heterogeneity
    assert set(ratios) >= {"mynumber_rate_2020", "mynumber_rate_2022", "card_holding_pct"}
    assert min(ratios.values()) >= 1 and max(ratios.values()) > 1.5 * min(ratios.values())
    assert set(np.unique(v.ratio_draws)) <= set(ratios.values())
    assert len(np.unique(v.ratio_draws)) == len(ratios)  # every proxy is drawn


def test_every_municipality_of_japan_gets_a_finite_estimate(national):
    result = divide.estimate_offline(national, draws=200, validate=False)
    m = result.municipalities
    assert len(m) == 1741 and m.index.equals(national.municipalities.index)
    numeric = m.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy()).all()
    assert (m["offline_share_lo"] <= m["offline_share"]).all() and (
        m["offline_share"] <= m["offline_share_hi"]
    ).all()
    weights = m["residents_15plus"]
    assert np.average(m["offline_share"], weights=weights) == pytest.approx(result.reference_share)


def test_same_seed_same_output(fukushima):
    a = divide.estimate_offline(fukushima, seed=3, draws=200, validate=False)
    b = divide.estimate_offline(fukushima, seed=3, draws=200, validate=False)
    c = divide.estimate_offline(fukushima, seed=4, draws=200, validate=False)
    pd.testing.assert_frame_equal(a.municipalities, b.municipalities)
    assert not a.municipalities["offline_share_lo"].equals(c.municipalities["offline_share_lo"])


def test_evacuated_towns_count_residents_not_registrations(estimate, fukushima):
    m = estimate.municipalities.join(
        fukushima.municipalities[["registered_2022", "pop_2025_prelim", "name_ja"]]
    )
    okuma = m.loc["07545"]
    assert okuma["residents_15plus"] <= okuma["pop_2025_prelim"] < 0.2 * okuma["registered_2022"]
    assert (m["offline_count"] <= m["residents_15plus"]).all()
    assert any(
        n.code == "estimate.residents_not_registrations" and "大熊町" in n.value("names")
        for n in estimate.notes
    )


def test_resident_bands_are_raked_to_the_census(fukushima):
    fukushima = fukushima.municipalities
    bands = resident_bands(fukushima)
    lived_in = ~fukushima["census_zero_population"]
    assert bands[lived_in].sum(axis=1).to_numpy() == pytest.approx(
        fukushima.loc[lived_in, "population"].to_numpy()
    )
    assert bands[lived_in].iloc[:, 13:].sum(axis=1).to_numpy() == pytest.approx(
        fukushima.loc[lived_in, "pop_65plus"].to_numpy()
    )
    # 双葉町 had no residents in 2020: its registered profile is kept as the shape
    assert bands.loc["07546"].sum() == fukushima.loc["07546", "registered_age_sum"]


@settings(max_examples=80, deadline=None)
@given(bands=st.lists(st.floats(0, 5000), min_size=21, max_size=21), factor=st.floats(1.0, 5.0))
def test_more_residents_aged_75_plus_never_lowers_age_expected_offline(estimate, bands, factor):
    """Scale up every 75+ band (their composition and all other bands fixed): offline never falls."""
    use = estimate.age_curve.use_by_band()
    before = np.array(bands, dtype=float) + 1.0
    after = before.copy()
    after[15:] *= factor
    offline_before = 1 - age_expected_use(before[None, :], use)[0]
    offline_after = 1 - age_expected_use(after[None, :], use)[0]
    assert offline_after >= offline_before - 1e-12


@settings(max_examples=80, deadline=None)
@given(
    bands=st.lists(st.floats(0, 5000), min_size=21, max_size=21),
    source=st.integers(3, 14),
    moved=st.floats(0.01, 1.0),
    target=st.integers(15, 20),
)
def test_replacing_a_younger_adult_by_someone_aged_75_plus_never_lowers_it(
    estimate, bands, source, moved, target
):
    use = estimate.age_curve.use_by_band()
    before = np.array(bands, dtype=float) + 1.0
    after = before.copy()
    amount = moved * after[source]
    after[source] -= amount
    after[target] += amount
    assert (
        1 - age_expected_use(after[None, :], use)[0]
        >= 1 - age_expected_use(before[None, :], use)[0] - 1e-12
    )


def test_users_can_pass_their_own_age_table(fukushima, tmp_path):
    path = tmp_path / "ages.csv"
    path.write_text(
        "survey,age_lo,age_hi,pct,survey_n\n"
        "old,18,29,96.9,3000\nold,30,39,97.1,3000\nold,40,49,90.2,3000\nold,50,59,84.3,3000\n"
        "old,60,69,55.5,3000\nold,70,,24.3,3000\n",
        encoding="utf-8",
    )
    own = divide.estimate_offline(fukushima, age_table=path, draws=100, validate=False)
    assert own.age_curve.surveys == ["old"]
    assert own.age_curve.use_by_age()[75] < 0.4


# ---------------------------------------------------------------------------------------------
# The analyst's own survey
# ---------------------------------------------------------------------------------------------

GROUP = ["07201", "07203", "07204"]  # 福島市, 郡山市, いわき市


def _group_share(result) -> float:
    m = result.municipalities.loc[GROUP]
    return float(np.average(m["offline_share"], weights=m["residents_15plus"]))


@pytest.fixture(scope="module")
def without_survey(fukushima):
    return divide.estimate_offline(fukushima, draws=400, validate=False)


@pytest.mark.parametrize("n", [2000, 20])
def test_a_resident_survey_moves_its_group_by_its_precision(fukushima, without_survey, n):
    survey = pd.DataFrame(
        {"area": [";".join(GROUP)], "year": [2024], "n": [n], "offline_pct": [40.0]}
    )
    result = divide.estimate_offline(fukushima, survey=survey, draws=400, validate=False)
    before, after = _group_share(without_survey), _group_share(result)
    half = 1.6449 * np.sqrt(0.4 * 0.6 / n)
    if n == 2000:
        assert abs(after - 0.40) <= half  # inside the survey's own 90 % interval
    else:
        assert 0 < after - before < 0.3 * (0.40 - before)  # 20 respondents move it little
    others = result.municipalities.drop(index=GROUP)["offline_share"]
    assert others.equals(without_survey.municipalities.drop(index=GROUP)["offline_share"])
    m = result.municipalities
    gap = m["offline_share"] - result.reference_share
    parts = m[["age_part", "settlement_part", "composition_part", "survey_part"]].sum(axis=1)
    assert np.max(np.abs(parts - gap)) < 1e-9 and (m.loc[GROUP, "survey_part"] > 0).all()
    assert result.survey.loc[0, "weight_of_survey"] > (0.9 if n == 2000 else 0.0)


def test_a_survey_file_with_an_age_band(fukushima, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(
        "area,year,n,use_pct,age_lo,age_hi,label\n07201,2024,1500,55,75,,福島市 75歳以上\n",
        encoding="utf-8",
    )
    result = divide.estimate_offline(fukushima, survey=path, draws=400, validate=False)
    report = result.survey.iloc[0]
    assert report["age_band"] == "75+" and report["label"] == "福島市 75歳以上"
    band = result.by_age.set_index(["code", "age_band"]).loc[("07201", "75+")]
    assert abs(band["offline_share"] - 0.45) < 0.02


@pytest.mark.parametrize(
    "text, message",
    [
        ("area,year,n\n07201,2024,100\n", "give exactly one rate column"),
        ("area,year,n,use_pct\n99999,2024,100,80\n", "prefecture part 99"),
        ("area,year,n,use_pct\n07201,2024,0,80\n", "n must be"),
        ("area,year,n,use_pct\n07201,2024,100,180\n", "a percentage 0-100"),
        ("area,year,n,offline_count\n07201,2024,100,120\n", "count larger than n"),
        ("area,n,use_pct\n07201,100,80\n", "required column missing"),
        ("area,year,n,use_pct,age_lo\n07201,2024,100,80,10\n", "ages 15"),
        ("area,year,n,use_pct\n01100,2024,100,80\n", "not in the frame"),
    ],
)
def test_a_bad_survey_file_names_file_row_and_column(fukushima, tmp_path, text, message):
    path = tmp_path / "survey.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DivideDataError, match=message) as caught:
        divide.estimate_offline(fukushima, survey=path, draws=100, validate=False)
    assert "survey.csv" in str(caught.value)


def test_benchmarking_to_the_prefectures_published_rate(fukushima, without_survey):
    result = divide.estimate_offline(fukushima, benchmark="prefecture", draws=400, validate=False)
    published = 1 - 0.822  # Fukushima 2024, n = 699
    m, before = result.municipalities, without_survey.municipalities
    share = np.average(m["offline_share"], weights=m["residents_15plus"])
    old = np.average(before["offline_share"], weights=before["residents_15plus"])
    assert abs(share - published) < abs(old - published)
    assert len(result.survey) == 1 and 0 < result.survey.loc[0, "weight_of_survey"] < 1
    with pytest.raises(divide.DivideParameterError, match="benchmark"):
        divide.estimate_offline(fukushima, benchmark="national", validate=False)


def test_the_published_series_stands_beside_the_estimate(estimate):
    published = estimate.published.set_index("year")
    assert published["published_offline_share"].round(3).to_dict() == {
        2022: 0.248,
        2023: 0.209,
        2024: 0.178,
    }
    assert (published["published_lo"] < published["published_offline_share"]).all()
    assert published["estimate_lo"].iloc[0] < published["estimate_offline_share"].iloc[0]


# ---------------------------------------------------------------------------------------------
# For whom: age bands
# ---------------------------------------------------------------------------------------------


def test_offline_residents_by_age_band_add_up_in_every_draw(estimate):
    from divide.estimate.by_age import DEFAULT_BANDS, by_age_table

    m = estimate.municipalities
    _, draws = by_age_table(
        m.index,
        estimate.population,
        estimate.age_curve.use_by_band(),
        m["offline_share"].to_numpy(),
        estimate.draws["use_by_band"],
        estimate.draws["offline_share"],
        DEFAULT_BANDS,
    )
    by_age = estimate.by_age
    assert list(by_age.columns) == [
        "code",
        "age_band",
        "residents",
        "offline_share",
        "offline_count",
        "offline_count_lo",
        "offline_count_hi",
    ]
    assert set(by_age["age_band"]) == {"15-39", "40-64", "65-74", "75+"}
    summed = by_age.groupby("code")["offline_count"].sum().reindex(m.index)
    assert ((summed / m["offline_count"] - 1).abs() < 0.005).all()
    per_draw = draws.sum(axis=2)
    expected = estimate.draws["offline_share"] * m["residents_15plus"].to_numpy()[None, :]
    assert np.allclose(per_draw, expected, rtol=1e-6)
    residents = by_age.groupby("code")["residents"].sum().reindex(m.index)
    assert np.allclose(residents, m["residents_15plus"])
    wide = by_age.pivot(index="code", columns="age_band", values="offline_share")
    assert (wide["75+"] > wide["15-39"]).all()
    assert (by_age["offline_count_lo"] <= by_age["offline_count"]).all()


def test_age_bands_are_configurable_and_checked(estimate):
    table = estimate.age_bands(((15, 64), (65, None)))
    assert set(table["age_band"]) == {"15-64", "65+"}
    with pytest.raises(divide.DivideParameterError, match="age bands"):
        estimate.age_bands(((40, 64), (30, 39)))
