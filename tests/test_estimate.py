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
from divide.estimate.age_curve import AGES, _basis, fit_age_curve, load_age_table, single_age_weights
from divide.estimate.area_model import fit_area_model
from divide.estimate.offline import age_expected_use
from divide.estimate.structure import resident_bands


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
        rate = np.average(use[inside], weights=weights[inside])  # the open band mixes ages by population
        rows.append({"survey": "synthetic", "age_lo": lo, "age_hi": hi, "pct": 100 * rate, "n": 1e7})
    curve = fit_age_curve(pd.DataFrame(rows), band_population)
    assert curve.params == pytest.approx(truth, abs=1e-3)
    assert curve.table["fitted_pct"].to_numpy() == pytest.approx(curve.table["pct"].to_numpy(), abs=1e-3)


def test_age_curve_fits_the_2023_survey(estimate):
    table = estimate.age_curve.table
    assert (table["fitted_pct"] - table["pct"]).abs().max() < 1.5
    use = estimate.age_curve.use_by_band()
    assert np.all(np.diff(use[6:]) < 0)  # declines with age from 30


def test_age_table_errors(tmp_path):
    path = tmp_path / "ages.csv"
    path.write_text("survey,age_lo,age_hi,pct,n\ns,18,29,99.3,200\ns,70,,148.5,300\n", encoding="utf-8")
    with pytest.raises(DivideDataError, match=r"ages.csv, row 3, column 'pct': pct must be a percentage"):
        load_age_table(path)
    path.write_text("survey,age_lo,age_hi,pct\ns,18,29,99.3\n", encoding="utf-8")
    with pytest.raises(DivideDataError, match=r"column 'n': give n"):
        load_age_table(path)


def test_area_model_recovers_known_coefficients():
    rng = np.random.default_rng(1)
    n_obs = 300
    obs = pd.DataFrame({"year": rng.choice([2022, 2023], n_obs), "x": rng.uniform(0, 1, n_obs),
                        "offset": rng.normal(1.5, 0.2, n_obs), "sample_n": 50_000})
    eta = obs["offset"] - 0.3 + 0.1 * (obs["year"] == 2023) + 0.8 * obs["x"]
    obs["rate"] = rng.binomial(obs["sample_n"], expit(eta)) / obs["sample_n"]
    model = fit_area_model(obs, ("x",))
    assert model.params == pytest.approx([-0.3, 0.1, 0.8], abs=0.05)
    assert model.scale == pytest.approx(1.0, abs=0.3)


def test_validation_is_reported_and_geography_is_judged(estimate):
    v = estimate.validation.set_index("model")
    assert set(v.index) == {"full", "age_only", "geography_only"} and (v["n"] == 141).all()
    # Bound: twice the pure binomial sampling error of the published rates (what a perfect model would
    # still miss). The full model must leave no more unexplained error than the sampling noise itself.
    loo = estimate.loo
    sampling = (np.sqrt(2 / np.pi) * np.sqrt(loo["rate"] * (1 - loo["rate"]) / loo["sample_n"])).mean() * 100
    assert v.loc["full", "mae_pp"] < 2 * sampling
    assert v.loc["full", "coverage90"] >= 0.80
    assert estimate.geography_improves() == (v.loc["full", "mae_pp"] < v.loc["age_only", "mae_pp"])
    assert "improve" in estimate.summary()


def test_fukushima_weighted_mean_beside_the_published_rates(estimate):
    check = estimate.prefecture_check.set_index("year")
    assert check["published_use_pct"].to_dict() == {2022: 75.2, 2023: 79.1, 2024: 82.2}
    assert check["estimated_use_pct"].between(70, 85).all()
    assert (check["loo_lo_pct"] < check["loo_use_pct"]).all() and (check["loo_use_pct"] < check["loo_hi_pct"]).all()


def test_decomposition_identity(estimate):
    m = estimate.municipalities
    gap = m["offline_share"] - estimate.reference_share
    assert np.max(np.abs(m["age_part"] + m["geo_part"] - gap)) < 1e-12


def test_every_municipality_of_japan_gets_a_finite_estimate(national):
    result = divide.estimate_offline(national, draws=200, validate=False)
    m = result.municipalities
    assert len(m) == 1741 and m.index.equals(national.municipalities.index)
    numeric = m.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy()).all()
    assert (m["offline_share_lo"] <= m["offline_share"]).all() and (m["offline_share"] <= m["offline_share_hi"]).all()
    weights = m["residents_15plus"]
    assert np.average(m["offline_share"], weights=weights) == pytest.approx(result.reference_share)


def test_same_seed_same_output(fukushima):
    a = divide.estimate_offline(fukushima, seed=3, draws=200, validate=False)
    b = divide.estimate_offline(fukushima, seed=3, draws=200, validate=False)
    c = divide.estimate_offline(fukushima, seed=4, draws=200, validate=False)
    pd.testing.assert_frame_equal(a.municipalities, b.municipalities)
    assert not a.municipalities["offline_share_lo"].equals(c.municipalities["offline_share_lo"])


def test_evacuated_towns_count_residents_not_registrations(estimate, fukushima):
    m = estimate.municipalities.join(fukushima.municipalities[["registered_2022", "pop_2025_prelim", "name_ja"]])
    okuma = m.loc["07545"]
    assert okuma["residents_15plus"] <= okuma["pop_2025_prelim"] < 0.2 * okuma["registered_2022"]
    assert (m["offline_count"] <= m["residents_15plus"]).all()
    assert any("evacuated towns" in note and "大熊町" in note for note in estimate.notes)


def test_resident_bands_are_raked_to_the_census(fukushima):
    fukushima = fukushima.municipalities
    bands = resident_bands(fukushima)
    lived_in = ~fukushima["census_zero_population"]
    assert bands[lived_in].sum(axis=1).to_numpy() == pytest.approx(fukushima.loc[lived_in, "population"].to_numpy())
    assert bands[lived_in].iloc[:, 13:].sum(axis=1).to_numpy() == pytest.approx(
        fukushima.loc[lived_in, "pop_65plus"].to_numpy())
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
@given(bands=st.lists(st.floats(0, 5000), min_size=21, max_size=21),
       source=st.integers(3, 14), moved=st.floats(0.01, 1.0), target=st.integers(15, 20))
def test_replacing_a_younger_adult_by_someone_aged_75_plus_never_lowers_it(estimate, bands, source, moved, target):
    use = estimate.age_curve.use_by_band()
    before = np.array(bands, dtype=float) + 1.0
    after = before.copy()
    amount = moved * after[source]
    after[source] -= amount
    after[target] += amount
    assert 1 - age_expected_use(after[None, :], use)[0] >= 1 - age_expected_use(before[None, :], use)[0] - 1e-12


def test_users_can_pass_their_own_age_table(fukushima, tmp_path):
    path = tmp_path / "ages.csv"
    path.write_text("survey,age_lo,age_hi,pct,survey_n\n"
                    "old,18,29,96.9,3000\nold,30,39,97.1,3000\nold,40,49,90.2,3000\nold,50,59,84.3,3000\n"
                    "old,60,69,55.5,3000\nold,70,,24.3,3000\n", encoding="utf-8")
    own = divide.estimate_offline(fukushima, age_table=path, draws=100, validate=False)
    assert own.age_curve.surveys == ["old"]
    assert own.age_curve.use_by_age()[75] < 0.4
