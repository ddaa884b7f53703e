"""For whom and for which online service: offline users of each service beside its online share."""

import numpy as np
import pandas as pd
import pytest

import divide
from divide.errors import DivideSpecError
from divide.support.services import ServiceCatalogue


@pytest.fixture(scope="module")
def needs(fukushima, fukushima_estimate):
    return divide.service_needs(fukushima, fukushima_estimate)


def test_every_municipality_and_service_family_is_covered(needs, fukushima):
    table = needs.table
    assert set(table["service"]) >= {"childcare", "longterm_care", "frequent"}
    assert len(table) == 59 * len(needs.catalogue.services)
    assert table.groupby("service")["code"].nunique().eq(59).all()
    for column in ("offline_residents", "offline_residents_lo", "offline_residents_hi"):
        assert table[column].notna().all()
    assert (table["offline_residents_lo"] <= table["offline_residents"]).all()
    assert (table["offline_residents"] <= table["offline_residents_hi"]).all()
    assert (table["offline_residents"] <= table["target_residents"]).all()


def test_online_shares_are_the_dashboards_own(needs, mirror):
    """Read the Digital Agency's wide file independently and compare a few municipalities."""
    wide = pd.read_csv(
        mirror / "services" / "dx_progress_indicators_by_municipality_wide.csv", dtype=str
    )
    wide["code"] = wide["lg_code"].str.zfill(6).str[:5]
    wide = wide.set_index("code")
    column = {
        "online_26_pct": next(c for c in wide.columns if "26手続" in c),
        "online_32_pct": next(
            c
            for c in wide.columns
            if "32手続のオンライン化状況" in c and "_" not in c.split("|")[-1]
        ),
    }
    table = needs.table.set_index(["code", "service"])
    for code in ("07201", "07204", "07368", "07564"):
        for service, dashboard in (("childcare", "online_26_pct"), ("frequent", "online_32_pct")):
            published = wide.loc[code, column[dashboard]].strip().rstrip("%")
            assert table.loc[(code, service), "online_share"] == pytest.approx(
                float(published) / 100
            )


def test_the_users_of_a_service_are_its_age_bands(needs, fukushima_estimate):
    bands = fukushima_estimate.age_bands(((65, None),)).set_index("code")
    care = needs.table[needs.table["service"] == "longterm_care"].set_index("code")
    assert care["offline_residents"].to_numpy() == pytest.approx(
        bands["offline_count"].reindex(care.index).to_numpy()
    )
    frequent = needs.table[needs.table["service"] == "frequent"].set_index("code")
    m = fukushima_estimate.municipalities.reindex(frequent.index)
    assert frequent["offline_residents"].to_numpy() == pytest.approx(m["offline_count"].to_numpy())


def test_where_an_offline_counterpart_is_needed_first(needs):
    table = needs.table
    assert table["offline_users_online"].to_numpy() == pytest.approx(
        (table["offline_residents"] * table["online_share"]).to_numpy(), nan_ok=True
    )
    first = table[table["counterpart_first"]]
    assert len(first) and (first["online_share"] >= 0.5).all()
    ranked = table.sort_values("offline_users_online", ascending=False)
    assert ranked.iloc[0]["code"] in ("07201", "07203", "07204")


def test_all_of_japan(national):
    estimate = divide.estimate_offline(national, draws=100, validate=False)
    table = divide.service_needs(national, estimate).table
    assert table.groupby("service")["code"].nunique().eq(1741).all()
    shares = national.municipalities["online_26_pct"] / 100
    care = table[table["service"] == "longterm_care"].set_index("code")["online_share"]
    assert np.allclose(care, shares.reindex(care.index), equal_nan=True)


def test_a_catalogue_that_means_nothing_is_refused():
    catalogue = ServiceCatalogue.load().model_dump()
    broken = {"services": [{**catalogue["services"][0], "users": [[40, 64], [30, 39]]}]}
    with pytest.raises(DivideSpecError, match="age bands"):
        ServiceCatalogue.load(broken)
    twice = {"services": [catalogue["services"][0], catalogue["services"][0]]}
    with pytest.raises(DivideSpecError, match="unique"):
        ServiceCatalogue.load(twice)
