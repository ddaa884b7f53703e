"""The index engine: spec checks, properties on constructed data, and the Fukushima default."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import divide
from divide.errors import DivideSpecError
from divide.index import IndexSpec, build_index

SPEC = {
    "name": "toy",
    "normalisation": "minmax",
    "pillars": [
        {
            "id": "people",
            "weight": 2,
            "indicators": [
                {"id": "old", "column": "old", "direction": 1, "goalposts": {"lo": 0, "hi": 1}},
                {
                    "id": "alone",
                    "column": "alone",
                    "direction": 1,
                    "weight": 3,
                    "goalposts": {"lo": 0, "hi": 1},
                },
            ],
        },
        {
            "id": "place",
            "weight": 1,
            "indicators": [
                {"id": "far", "column": "far", "direction": 1, "goalposts": {"lo": 0, "hi": 50}},
                {
                    "id": "online",
                    "column": "online",
                    "direction": -1,
                    "goalposts": {"lo": 0, "hi": 100},
                },
            ],
        },
    ],
}


def toy(values: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(values, columns=["old", "alone", "far", "online"])
    frame.index = pd.Index([f"{i:05d}" for i in range(len(frame))], name="code")
    return frame


matrices = st.integers(4, 12).flatmap(
    lambda n: st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 50), st.floats(0, 100)),
        min_size=n,
        max_size=n,
    )
)


@settings(max_examples=60, deadline=None)
@given(
    rows=matrices,
    who=st.integers(0, 3),
    column=st.integers(0, 3),
    bump=st.floats(0.01, 10),
    normalisation=st.sampled_from(["minmax", "zscore", "rank", "goalposts"]),
    geometric=st.booleans(),
)
def test_worsening_an_indicator_never_lowers_that_score(
    rows, who, column, bump, normalisation, geometric
):
    values = np.array(rows, dtype=float)
    who = who % len(values)
    spec = {
        **SPEC,
        "normalisation": normalisation,
        "aggregation": {
            "indicators": "geometric" if geometric else "arithmetic",
            "pillars": "arithmetic",
        },
    }
    before = build_index(toy(values), spec).scores["score"].iloc[who]
    worse = values.copy()
    worse[who, column] += bump if column != 3 else -bump  # "online" is better when higher
    after = build_index(toy(worse), spec).scores["score"].iloc[who]
    assert after >= before - 1e-9


@settings(max_examples=40, deadline=None)
@given(
    rows=matrices,
    column=st.integers(0, 3),
    factor=st.floats(0.001, 1000),
    normalisation=st.sampled_from(["minmax", "zscore", "rank"]),
)
def test_scores_do_not_depend_on_the_unit(rows, column, factor, normalisation):
    values = np.array(rows, dtype=float)
    scaled = values.copy()
    scaled[:, column] *= factor
    spec = {**SPEC, "normalisation": normalisation}
    a = build_index(toy(values), spec).scores["score"].to_numpy()
    b = build_index(toy(scaled), spec).scores["score"].to_numpy()
    assert a == pytest.approx(b, abs=1e-7)


@settings(max_examples=40, deadline=None)
@given(weights=st.lists(st.floats(0.01, 100), min_size=6, max_size=6))
def test_effective_weights_sum_to_one(weights):
    spec = {
        **SPEC,
        "pillars": [
            {
                **SPEC["pillars"][0],
                "weight": weights[0],
                "indicators": [
                    {**SPEC["pillars"][0]["indicators"][0], "weight": weights[1]},
                    {**SPEC["pillars"][0]["indicators"][1], "weight": weights[2]},
                ],
            },
            {
                **SPEC["pillars"][1],
                "weight": weights[3],
                "indicators": [
                    {**SPEC["pillars"][1]["indicators"][0], "weight": weights[4]},
                    {**SPEC["pillars"][1]["indicators"][1], "weight": weights[5]},
                ],
            },
        ],
    }
    result = build_index(toy(np.random.default_rng(0).random((6, 4)) * [1, 1, 50, 100]), spec)
    assert result.effective_weights["index_share"].sum() == pytest.approx(1.0)
    pillar_share = result.effective_weights.groupby("pillar")["index_share"].sum()
    assert pillar_share["people"] == pytest.approx(weights[0] / (weights[0] + weights[3]))


def test_zero_noise_monte_carlo_median_equals_point_rank():
    result = build_index(toy(np.random.default_rng(1).random((30, 4)) * [1, 1, 50, 100]), SPEC)
    quiet = result.uncertainty(
        draws=200, seed=0, weights=False, normalisation=False, aggregation=False, estimate=False
    )
    assert (quiet["rank_median"] == result.scores["rank"]).all()
    assert (quiet["rank_p05"] == quiet["rank_p95"]).all()


def test_arithmetic_by_hand():
    values = np.array(
        [
            [0.0, 0.0, 0.0, 100.0],
            [1.0, 1.0, 50.0, 0.0],
            [0.5, 0.5, 25.0, 50.0],
            [1.0, 1.0, 0, 100.0],
        ]
    )
    scores = build_index(toy(values), SPEC).scores
    assert scores.loc["00000", "score"] == pytest.approx(0.0) and scores.loc[
        "00001", "score"
    ] == pytest.approx(100.0)
    # municipality 3: people pillar 100, place pillar 0 -> (2*100 + 1*0)/3
    assert scores.loc["00003", "score"] == pytest.approx(200 / 3)
    assert list(scores["rank"]) == [4, 1, 3, 2]


def test_geometric_aggregation_pushes_the_widest_single_gap_up_the_priority_list():
    """Pillars (100, 0, 0) against (20, 20, 20): geometric must rank the first above, by more than
    arithmetic.
    """
    spec = {
        "normalisation": "goalposts",
        "pillars": [
            {
                "id": p,
                "indicators": [
                    {"id": p, "column": p, "direction": 1, "goalposts": {"lo": 0, "hi": 100}}
                ],
            }
            for p in ("a", "b", "c")
        ],
    }
    frame = pd.DataFrame(
        {"a": [100.0, 20.0], "b": [0.0, 20.0], "c": [0.0, 20.0]},
        index=pd.Index(["unbalanced", "balanced"], name="code"),
    )
    arithmetic = build_index(frame, spec).scores["score"]
    geometric = build_index(frame, {**spec, "aggregation": {"pillars": "geometric"}}).scores
    assert geometric.loc["unbalanced", "rank"] == 1
    assert geometric.loc["balanced", "score"] == pytest.approx(
        20.0
    )  # a balanced profile is unchanged
    assert geometric.loc["unbalanced", "score"] == pytest.approx(101 - 101 ** (2 / 3))
    margin = geometric["score"]["unbalanced"] - geometric["score"]["balanced"]
    assert margin > arithmetic["unbalanced"] - arithmetic["balanced"] > 0


def test_missing_pillar_is_reported_and_reweighted():
    with_empty = {
        **SPEC,
        "pillars": [
            *SPEC["pillars"],
            {
                "id": "broadband",
                "weight": 5,
                "indicators": [
                    {
                        "id": "ftth",
                        "column": "broadband_coverage_pct",
                        "direction": -1,
                        "goalposts": {"lo": 90, "hi": 100},
                    }
                ],
            },
        ],
    }
    frame = toy(np.random.default_rng(2).random((10, 4)) * [1, 1, 50, 100])
    frame["broadband_coverage_pct"] = np.nan
    result = build_index(frame, with_empty)
    assert set(result.missing["id"]) == {"ftth", "broadband"}
    assert result.effective_weights["index_share"].sum() == pytest.approx(1.0)
    plain = build_index(frame, SPEC)
    assert result.scores["score"].to_numpy() == pytest.approx(plain.scores["score"].to_numpy())
    assert any(n.code == "index.no_data" for n in result.notes)


def test_availability_threshold_and_imputation_flags():
    values = np.random.default_rng(3).random((8, 4)) * [1, 1, 50, 100]
    frame = toy(values)
    frame.loc["00002", ["far", "online"]] = np.nan  # whole pillar missing -> pillar left out for it
    frame.loc["00005", "old"] = np.nan  # one of two -> 50 % < 66 %: pillar left out too
    result = build_index(frame, {**SPEC, "availability": 0.5})
    assert result.scores.loc["00002", "pillars_missing"] == "place"
    assert np.isnan(result.scores.loc["00002", "place"])
    assert result.scores.loc["00002", "score"] == pytest.approx(
        result.scores.loc["00002", "people"]
    )
    assert (
        result.scores.loc["00005", "imputed"] == "old"
        and result.scores.loc["00005", "pillars_missing"] == ""
    )


def test_spec_errors(tmp_path):
    bad = {
        **SPEC,
        "pillars": [{"id": "p", "indicators": [{"id": "x", "column": "x", "direction": 2}]}],
    }
    with pytest.raises(DivideSpecError, match=r"pillars\[0\]\.indicators\[0\]\.direction"):
        IndexSpec.load(bad)
    no_goal = {
        "normalisation": "goalposts",
        "pillars": [{"id": "p", "indicators": [{"id": "x", "direction": 1}]}],
    }
    with pytest.raises(DivideSpecError, match="goalposts normalisation needs lo and hi"):
        IndexSpec.load(no_goal)
    path = tmp_path / "s.yaml"
    path.write_text("pillars: [", encoding="utf-8")
    with pytest.raises(DivideSpecError, match="not valid YAML"):
        IndexSpec.load(path)


def test_default_spec_has_labels_in_both_languages():
    spec = IndexSpec.load()
    assert [p.id for p in spec.pillars] == ["people", "geography_access", "digital"]
    for item in (*spec.pillars, *spec.indicators):
        assert item.labels.get("ja") and item.labels.get("en"), item.id
    for indicator in spec.indicators:
        assert indicator.unit and indicator.source and indicator.goalposts


@pytest.fixture(scope="module")
def fukushima_index(fukushima_geography, fukushima_estimate):
    return build_index(fukushima_geography, estimate=fukushima_estimate)


def test_fukushima_default_index_ranks_all_59(fukushima_index):
    scores = fukushima_index.scores
    assert len(scores) == 59 and sorted(scores["rank"]) == list(range(1, 60))
    assert scores["score"].between(0, 100).all()
    assert "broadband_coverage_pct" in set(
        fukushima_index.missing["id"]
    )  # no broadband file: reported
    uncertainty = fukushima_index.uncertainty(draws=2000, seed=0)
    assert len(uncertainty) == 59
    assert (uncertainty["rank_p05"] <= uncertainty["rank_median"]).all()
    assert (uncertainty["rank_median"] <= uncertainty["rank_p95"]).all()
    again = fukushima_index.uncertainty(draws=2000, seed=0)
    pd.testing.assert_frame_equal(uncertainty, again)
    other = fukushima_index.uncertainty(draws=2000, seed=1)
    assert not uncertainty["score_p05"].equals(other["score_p05"])


def test_sensitivity_and_redundancy(fukushima_index):
    table = fukushima_index.sensitivity(draws=300)
    assert list(table["factor"]) == ["weights", "normalisation", "aggregation", "estimate", "all"]
    assert (table["mean_abs_rank_shift"] > 0).all()
    assert (
        fukushima_index.redundancy().empty
    )  # the default spec keeps no pair above 0.9 (see the Japan-wide test)
    audit = fukushima_index.effective_weights
    assert audit["index_share"].sum() == pytest.approx(1.0)
    assert (
        audit["spearman_with_index"].between(-1, 1).all()
        and audit["pearson_with_index"].notna().all()
    )


def test_the_default_spec_counts_nothing_twice_across_japan(data):
    """No two default indicators with |Spearman| >= 0.9 over Japan; no estimate settlement part
    beside 過疎/density.
    """
    spec = IndexSpec.load()
    table = divide.national_indicators(data)
    columns = {i.id: i.column for i in spec.indicators if table[i.column].notna().any()}
    values = pd.DataFrame({k: table[c] for k, c in columns.items()})
    rho = values.corr(method="spearman").abs().to_numpy().copy()
    np.fill_diagonal(rho, 0.0)
    assert rho.max() < 0.9, values.corr(method="spearman").round(2)
    used = {i.column for i in spec.indicators}
    assert not ({"settlement_part", "geo_part"} & used and {"kaso_score", "density"} & used)
    overlapping = [
        i for i in spec.indicators if i.column in ("kaso_score", "density", "access_known_km")
    ]
    assert all(i.reason for i in overlapping)


def test_bounds_from_all_of_japan_keep_prefectures_comparable(
    fukushima, fukushima_geography, fukushima_estimate, fukushima_index
):
    with pytest.raises(divide.DivideParameterError, match="national_indicators"):
        build_index(fukushima_geography, estimate=fukushima_estimate, bounds="japan")
    japan = build_index(
        fukushima_geography,
        estimate=fukushima_estimate,
        bounds=divide.national_indicators(fukushima.data),
    )
    own = fukushima_index.indicators
    # against its own municipalities every min-max indicator spans 0-100; against Japan it need not
    assert own.min().to_numpy() == pytest.approx(0.0) and own.max().to_numpy() == pytest.approx(
        100.0
    )
    spans = japan.indicators.max() - japan.indicators.min()
    assert (spans < 100).any()
    assert not japan.scores["score"].equals(fukushima_index.scores["score"])


def test_the_monte_carlo_draws_estimate_based_indicators_jointly():
    """Two indicators that cancel when taken from the same estimate draw: the index must not move at
    all.
    """
    from divide.index.engine import monte_carlo
    from divide.index.normalise import Normaliser

    frame = toy(np.random.default_rng(4).random((12, 4)))
    frame["up"] = frame["down"] = 0.0
    spec = {
        "normalisation": "zscore",
        "pillars": [
            {
                "id": "p",
                "indicators": [
                    {"id": "up", "column": "up", "direction": 1},
                    {"id": "down", "column": "down", "direction": -1},
                ],
            }
        ],
    }
    result = build_index(frame, spec)
    sample = np.random.default_rng(5).normal(size=(50, 12))
    result.context.estimate_draws = {
        0: sample,
        1: sample,
    }  # z(+x) + z(-x) = 100 whenever the draw is shared
    result.context.normaliser = Normaliser(
        np.column_stack([sample.ravel(), sample.ravel()]), np.array([1.0, -1.0]), [None, None]
    )
    _, scores = monte_carlo(
        result, draws=300, seed=0, weights=False, normalisation=False, aggregation=False
    )
    assert np.ptp(scores, axis=0).max() < 1e-4
