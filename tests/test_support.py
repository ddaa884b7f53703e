"""Support forms, proposed sites and the 2020 -> 2035 projection."""

import numpy as np
import pytest
from scipy import sparse

import divide
from divide.errors import DivideSpecError
from divide.estimate.by_age import area_shift
from divide.estimate.population import age_one_step, cohort_change_ratios
from divide.geography.access import geodesic_km
from divide.report.words import plan_words
from divide.support.forms import FormSpec
from divide.support.plan import support_plan
from divide.support.projection import cohort_rates, project_offline
from divide.support.sites import propose_sites
from divide.support.solver import covered_weight, exact_cover, greedy_cover


@pytest.fixture(scope="module")
def geo(fukushima_geography):
    return fukushima_geography


@pytest.fixture(scope="module")
def estimate(fukushima_estimate):
    return fukushima_estimate


@pytest.fixture(scope="module")
def result(geo, estimate):
    return support_plan(geo, estimate)


@pytest.fixture(scope="module")
def plan(result):
    return result.table


@pytest.fixture(scope="module")
def national_geography(national):
    return divide.add_geography(national)


@pytest.fixture(scope="module")
def national_estimate(national):
    return divide.estimate_offline(national, draws=200, validate=False)


@pytest.fixture(scope="module")
def national_plan(national_geography, national_estimate):
    return support_plan(national_geography, national_estimate)


def test_every_fukushima_municipality_gets_one_form_and_a_headcount(plan, result):
    assert len(plan) == 59 and plan["support_form"].notna().all()
    assert set(plan["support_form"]) <= {f.id for f in result.spec.forms}
    assert (plan["headcount_lo"] <= plan["headcount"]).all() and (
        plan["headcount"] <= plan["headcount_hi"]
    ).all()
    assert result.label("ja").str.len().gt(0).all() and plan["cluster"].notna().all()
    counts = result.counts()
    assert counts["municipalities"].sum() == 59
    assert counts["offline_residents"].sum() == pytest.approx(plan["headcount"].sum())


def test_forms_follow_need_on_share_and_count_and_access_in_three_states(plan, result):
    t = result.thresholds
    assert set(plan["need_level"]) <= {"high", "many", "low"}
    assert set(plan["access_level"]) <= {"near", "far", "unknown"}
    many = (plan["prefecture_fraction"] >= t["count_share_of_prefecture"]) | (
        plan["load_per_counter"] >= t["count_per_counter"]
    )
    assert (plan["many_offline"] == many).all()
    level = np.where(plan["share_high"], "high", np.where(many, "many", "low"))
    assert (plan["need_level"] == level).all()
    over = plan["access_km"] > t["access_threshold_km"]
    access = np.where(~over, "near", np.where(plan["access_verified"], "far", "unknown"))
    assert (plan["access_level"] == access).all()
    for (need, access_level), rows in plan.groupby(["need_level", "access_level"]):
        assert (rows["support_form"] == result.spec.form(need, access_level).id).all()
    assert plan["need_agreement"].between(0, 1).all()


def test_not_known_is_its_own_state_never_near(plan, result):
    """No municipality whose counter network is not verified and whose distance is over the cut
    is treated as near: 福島市, 郡山市, いわき市 say what the tool does not know.
    """
    cut = result.thresholds["access_threshold_km"]
    open_network = ~plan["access_verified"] & (plan["access_km"] > cut)
    assert (plan.loc[open_network, "access_level"] == "unknown").all() and open_network.any()
    assert not (plan["access_level"] == "near")[open_network].any()
    for code in ("07201", "07203", "07204"):
        row = plan.loc[code]
        assert row["access_level"] == "unknown" and "network" in row["uncertainty"]
        assert row["support_form"] == "capacity_network_check"  # acts on the head-count
    words = plan_words(result, "ja")
    assert words.loc["07201", "why_check"].startswith("支所・出張所などの窓口網が未確認")
    assert "窓口網の確認が先" in words.loc["07201", "support_form_label"]


def test_uncertain_forms_say_why(plan, result):
    agree = plan["need_agreement"] < result.thresholds["agreement"]
    near_cut = ((plan["access_km"] - result.thresholds["access_threshold_km"]).abs() <= 1.0) & (
        plan["access_level"] != "unknown"
    )
    unknown = plan["access_level"] == "unknown"
    assert (plan["form_uncertain"] == (agree | near_cut | unknown)).all()
    assert plan.loc[agree, "uncertainty"].str.contains("need").all()
    words = plan_words(result, "en")
    assert words.loc[near_cut[near_cut].index, "why_check"].str.contains("near the 5 km cut").all()
    assert (words.loc[~plan["form_uncertain"], "why_check"] == "").all()


@pytest.mark.parametrize("pref", ["07", "01", "13", "47"])
def test_no_large_offline_population_is_told_usual_counter(pref, national_plan):
    """A municipality holding 5 % or more of its prefecture's offline residents always gets a form
    that acts, whatever its share.
    """
    table = national_plan.table[national_plan.table.index.str[:2] == pref]
    large = table[table["prefecture_fraction"] >= 0.05]
    assert len(large) and not (large["support_form"] == "online_first").any()


def test_every_threshold_of_the_default_spec_changes_a_decision_in_japan(
    national_geography, national_estimate, national_plan
):
    """Each threshold of the shipped spec, switched off or moved, changes at least one form or
    marker somewhere in Japan: none is decoration.
    """
    spec = FormSpec.load().model_dump()
    base = national_plan.table[["support_form", "form_uncertain"]]
    variants = {
        "share threshold": {"need": {**spec["need"], "share": {"threshold": "national"}}},
        "share of prefecture": {
            "need": {
                **spec["need"],
                "count": {**spec["need"]["count"], "share_of_prefecture": None},
            }
        },
        "per counter": {
            "need": {**spec["need"], "count": {**spec["need"]["count"], "per_counter": None}}
        },
        "distance cut": {"access": {**spec["access"], "threshold_km": 10.0}},
        "agreement": {"uncertain": {**spec["uncertain"], "agreement": 0.51}},
        "distance margin": {"uncertain": {**spec["uncertain"], "access_margin_km": 0.0}},
    }
    for name, change in variants.items():
        other = support_plan(national_geography, national_estimate, spec={**spec, **change})
        moved = (other.table[["support_form", "form_uncertain"]] != base).any(axis=1)
        assert moved.any(), f"{name} changes nothing in Japan"
    assert set(national_plan.table["support_form"]) == {f["id"] for f in spec["forms"]}


def test_thresholds_are_parameters(geo, estimate):
    forms = FormSpec.load().model_dump()
    national = support_plan(
        geo,
        estimate,
        spec={
            **forms,
            "need": {**forms["need"], "share": {"threshold": "national"}},
            "access": {"column": "access_mean_km", "threshold_km": 100.0},
        },
    )
    assert national.thresholds["need_threshold"] == pytest.approx(estimate.reference_share)
    assert set(national.table["access_level"]) == {"near"}  # nobody is 100 km away


def test_form_spec_must_cover_the_nine_cells():
    spec = FormSpec.load().model_dump()
    with pytest.raises(DivideSpecError, match="exactly one form"):
        FormSpec.load({**spec, "forms": spec["forms"][:8]})
    with pytest.raises(DivideSpecError, match=r"access\.treshold_km: unknown key"):
        FormSpec.load({**spec, "access": {"treshold_km": 5}})
    with pytest.raises(DivideSpecError, match=r"access\.threshold_km"):
        FormSpec.load({**spec, "access": {"threshold_km": -1}})


def test_greedy_is_beaten_by_the_exact_solver_on_a_known_case():
    weights = np.array([4.0, 4.0, 4.0, 3.0, 3.0])
    sets = [[0, 1, 2], [0, 1, 3], [2, 4]]
    rows = [c for c, s in enumerate(sets) for _ in s]
    cols = [d for s in sets for d in s]
    coverage = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(3, 5))
    assert (
        greedy_cover(coverage, weights, 2)[0] == 0
    )  # greedy takes the biggest set first: 12, then +3
    cover = exact_cover(coverage, weights, 2)
    assert cover.status == "optimal" and sorted(cover.chosen) == [1, 2] and cover.covered == 18.0


def test_a_time_limited_solve_is_never_reported_as_optimal():
    rng = np.random.default_rng(0)
    coverage = sparse.random(3000, 300, density=0.05, random_state=1, format="csr")
    coverage.data[:] = 1.0
    weights = rng.uniform(1, 100, 300)
    cover = exact_cover(coverage, weights, 10, time_limit=0.05)
    assert cover.status in ("best_found", "greedy")
    assert cover.covered >= covered_weight(coverage, weights, greedy_cover(coverage, weights, 10))
    if cover.gap is not None:
        assert cover.gap > 0


def test_sites_gain_curve(geo, estimate):
    sites = propose_sites(geo, estimate, k=3, k_max=6, radius_km=5.0)
    gain = sites.gain
    assert list(gain["k"]) == list(range(7)) and (gain["status"].iloc[1:] == "optimal").all()
    assert (np.diff(gain["covered"]) >= -1e-9).all()
    firm = sites.chosen[~sites.chosen["conditional"]]
    assert len(firm) == 3 and sites.covered_after == pytest.approx(gain.loc[3, "covered"])
    assert sites.covered_after - sites.covered_before == pytest.approx(
        covered_weight_of_new_sites(sites), rel=1e-9
    )
    assert sites.demand_total == pytest.approx(estimate.municipalities["offline_count"].sum())
    assert sites.demand_basis == "equal per settlement point" and any(
        n.code == "sites.equal_demand" for n in sites.notes
    )
    # every candidate in the prefecture is considered (no pre-selection)
    assert len(sites.candidates) > 2000
    with pytest.raises(divide.DivideParameterError, match="parameter 'k' must be ≥ 1"):
        propose_sites(geo, estimate, k=0)
    with pytest.raises(divide.DivideParameterError, match="radius_km"):
        propose_sites(geo, estimate, radius_km=-1)
    with pytest.raises(divide.DivideParameterError, match="method"):
        propose_sites(geo, estimate, method="best")


def covered_weight_of_new_sites(sites) -> float:
    """Independently: offline residents not within reach of a counter but within reach of a chosen
    site.
    """
    demand = sites.demand[~sites.demand["covered_by_existing"]]
    total = 0.0
    for code, group in demand.groupby("code"):
        firm = sites.chosen[~sites.chosen["conditional"]]
        mine = firm[firm["code"] == code]
        if mine.empty:
            continue
        km = geodesic_km(
            group["lon"].to_numpy(),
            group["lat"].to_numpy(),
            mine["lon"].to_numpy(),
            mine["lat"].to_numpy(),
        )
        total += group.loc[(km * 1.3 <= 5.0).any(axis=1), "offline"].sum()
    return total


def test_sites_are_firm_only_where_the_counter_network_is_known(geo, estimate, result):
    sites = propose_sites(geo, estimate, k=5, k_max=5)
    access = result.table["access_level"].reindex(sites.chosen["code"]).to_numpy()
    assert (sites.chosen["conditional"] == (access == "unknown")).all()
    assert sites.chosen["conditional"].any() and (~sites.chosen["conditional"]).sum() == 5
    assert any(n.code == "sites.conditional" for n in sites.notes)


def test_requested_and_delivered_site_counts_are_stated(geo, estimate):
    sites = propose_sites(geo, estimate, k=200, k_max=200, method="greedy")
    firm = int((~sites.chosen["conditional"]).sum())
    assert firm < 200
    assert any(
        n.code == "sites.fewer" and (n.value("delivered"), n.value("k")) == (firm, 200)
        for n in sites.notes
    )


def test_cohort_rates_follow_their_rule():
    """Band b in 2035 holds the 2025 cohort of band b-2; entrants take today's 15-19 rate; a year
    between census steps takes the weighted mean of its neighbours.
    """
    rates = np.sort(np.random.default_rng(0).uniform(0.01, 0.9, size=(2, 21)), axis=1)
    cohort = cohort_rates(rates, 2035)
    assert cohort[:, 10] == pytest.approx(rates[:, 8])
    assert cohort[:, 3] == pytest.approx(rates[:, 3]) and cohort[:, 4] == pytest.approx(rates[:, 3])
    assert cohort_rates(rates, 2020)[:, 5] == pytest.approx(rates[:, 6])
    assert cohort_rates(rates, 2025)[:, 3:] == pytest.approx(rates[:, 3:])
    between = cohort_rates(rates, 2027)
    assert between[:, 10] == pytest.approx(0.6 * rates[:, 10] + 0.4 * rates[:, 9])


def test_ageing_moves_every_band_up_one():
    bands = np.arange(1.0, 22.0)[None, :]
    aged = age_one_step(bands, np.ones(21), 2.0)
    assert (
        aged[0, 0] == 2.0
        and aged[0, 5] == bands[0, 4]
        and aged[0, 20] == bands[0, 19] + bands[0, 20]
    )


def test_calibration_reproduces_the_estimate(estimate):
    population = estimate.population
    use = estimate.age_curve.use_by_band()
    share = estimate.municipalities["offline_share"].to_numpy()
    eta = area_shift(population, use, share)
    from scipy.special import expit, logit

    rates = 1 - expit(logit(use)[None, :] + eta[:, None])
    adults = population[:, 3:]
    assert (adults * rates[:, 3:]).sum(axis=1) / adults.sum(axis=1) == pytest.approx(
        share, abs=1e-9
    )


def test_every_scenario_starts_from_the_estimates_2025_head_count(fukushima, estimate):
    projection = project_offline(fukushima, estimate)
    counts = estimate.municipalities["offline_count"]
    for scenario in ("cohort", "constant_rates", "survey_trend"):
        start = (
            projection.path(scenario).set_index("year").loc[2025].set_index("code")["offline_count"]
        )
        assert (start / counts.reindex(start.index) - 1).abs().max() < 1e-9
    totals = projection.totals
    assert (totals["low"] <= totals["central"]).all() and (
        totals["central"] <= totals["high"]
    ).all()
    assert (
        totals.loc[2035, "cohort"] < totals.loc[2035, "central"]
    )  # replacement: the optimistic path


def test_the_2025_interval_of_the_time_axis_is_the_estimates_own(fukushima, estimate):
    """One number, one interval: the projection's 2025 band is the estimate's draws summed."""
    totals = project_offline(fukushima, estimate).totals
    m = estimate.municipalities
    drawn = estimate.draws["offline_share"] @ m["residents_15plus"].to_numpy()
    assert totals.loc[2025, "central"] == pytest.approx(m["offline_count"].sum(), rel=1e-9)
    assert [totals.loc[2025, "low"], totals.loc[2025, "high"]] == pytest.approx(
        list(np.quantile(drawn, [0.05, 0.95])), rel=1e-6
    )


def test_the_central_path_counts_ageing_once(national):
    """Japan's central share is flat over the survey years, as the survey itself (83.1 / 83.4 /
    83.1 % use): the period trend is net of ageing, so ageing the population does not add it again.
    """
    estimate = divide.estimate_offline(national, draws=200, validate=False)
    totals = project_offline(national, estimate, years=(2022, 2024)).totals
    share = totals["central"] / totals["residents_15plus"]
    assert abs(share[2024] - share[2022]) < 0.003
    assert totals["back_cast"].all()


def test_projection_does_not_depend_on_the_years_asked(fukushima, estimate):
    alone = project_offline(fukushima, estimate, years=(2035,)).table
    together = project_offline(fukushima, estimate, years=(2020, 2030, 2035)).table
    assert alone["offline_count"].to_numpy() == pytest.approx(
        together[together["year"] == 2035]["offline_count"].to_numpy()
    )
    for bad in ((2055,), (2019,), ()):
        with pytest.raises(divide.DivideParameterError, match="years"):
            project_offline(fukushima, estimate, years=bad)


def test_fukushima_projection(fukushima, estimate):
    projection = project_offline(fukushima, estimate)
    table = projection.path()
    totals = table.groupby("year")["offline_count"].sum()
    assert list(totals.index) == [2020, 2025, 2030, 2035] and (totals > 0).all()
    residents = table.groupby("year")["residents_15plus"].sum()
    counted = fukushima.municipalities["pop_2025_prelim"].sum()  # the 2025 census: all ages
    assert 0.8 * counted < residents[2025] < counted
    futaba = table[table["code"] == "07546"].set_index("year")
    assert futaba.loc[2020, "offline_count"] == 0 and futaba.loc[2025, "residents_15plus"] > 0
    hamadori = table[(table["code"] == "07204") & (table["year"] == 2035)]
    assert "no IPSS" in hamadori["population_basis"].iloc[0]
    assert (table["offline_count_lo"] <= table["offline_count"]).all()
    assert table.loc[table["year"] == 2020, "back_cast"].all()
    sensitivity = projection.path("cohort")
    assert sensitivity["offline_count_lo"].isna().all()  # a sensitivity has no interval of its own


def test_national_cohort_change_ratios(data):
    national = data.layer("national_ages")
    ratios = cohort_change_ratios(national)
    assert ratios[:10] == pytest.approx(
        1.0, abs=0.05
    )  # young adults: survival plus some immigration
    assert np.all(np.diff(ratios[12:20]) < 0)  # survival falls with age from 60 on
    assert 0.5 < ratios[17] < 0.7  # 85-89 -> 90-94 over five years
    table = national.set_index("population_date")
    assert (
        table.loc["2020-01-01"].drop("source").sum() == 127_137_969
    )  # the register total of 2020-01-01
