"""Results know where they come from: two prefectures' results are never mixed in silence."""

import pytest

import divide
from divide.errors import DivideParameterError


@pytest.fixture(scope="module")
def tottori():
    frame = divide.load_frame("31")
    return (
        frame,
        divide.add_geography(frame),
        divide.estimate_offline(frame, draws=100, validate=False),
    )


@pytest.fixture(scope="module")
def ours(fukushima_geography):
    frame = fukushima_geography.frame
    return frame, fukushima_geography, divide.estimate_offline(frame, draws=100, validate=False)


def test_every_result_carries_its_frames_origin(ours):
    frame, geography, estimate = ours
    assert frame.origin.pref == "07" and "福島県" in str(frame.origin)
    assert geography.origin == estimate.origin == frame.origin
    plan = divide.support_plan(geography, estimate)
    sites = divide.propose_sites(geography, estimate, k=1, k_max=1)
    projection = divide.project_offline(frame, estimate, years=(2025,))
    needs = divide.service_needs(frame, estimate)
    index = divide.build_index(geography, estimate=estimate)
    assert {r.origin for r in (plan, sites, projection, needs, index)} == {frame.origin}


def test_a_frame_reloaded_from_the_same_data_has_the_same_origin(ours):
    assert divide.load_frame(7).origin == ours[0].origin


def test_a_filtered_frame_is_another_origin(ours):
    frame = ours[0]
    rows = frame.municipalities.iloc[:10]
    smaller = divide.Frame(rows, frame.pref, frame.data, frame.join_report)
    assert smaller.origin != frame.origin


@pytest.mark.parametrize(
    ("stage", "call"),
    [
        ("support_plan", lambda f, t: divide.support_plan(f[1], t[2])),
        ("support_plan", lambda f, t: divide.support_plan(t[1], f[2])),
        ("propose_sites", lambda f, t: divide.propose_sites(f[1], t[2], k=1, k_max=1)),
        ("project_offline", lambda f, t: divide.project_offline(f[0], t[2])),
        ("service_needs", lambda f, t: divide.service_needs(f[0], t[2])),
        ("build_index", lambda f, t: divide.build_index(f[1], estimate=t[2])),
        ("build_index", lambda f, t: divide.build_index(f[0], estimate=t[2])),
    ],
)
def test_mixing_two_prefectures_is_refused_naming_both(ours, tottori, stage, call):
    with pytest.raises(DivideParameterError) as error:
        call(ours, tottori)
    message = str(error.value)
    assert message.startswith(stage) and "福島県" in message and "鳥取県" in message


def test_an_index_of_a_foreign_table_is_refused(ours, tottori):
    table = tottori[1].municipalities.drop(columns="geometry")
    with pytest.raises(DivideParameterError, match="not in the estimate"):
        divide.build_index(table, estimate=ours[2])


def test_the_plan_refuses_an_index_of_another_prefecture(ours, tottori):
    index = divide.build_index(tottori[1], estimate=tottori[2])
    with pytest.raises(DivideParameterError, match="'index' from 31 鳥取県"):
        divide.support_plan(ours[1], ours[2], index)
