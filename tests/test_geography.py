"""Geography: access distances, remoteness, evacuation context and local clusters."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import box

from divide.frame.load import Frame
from divide.geography.access import geodesic_km
from divide.geography.clusters import local_clusters
from divide.geography.stage import add_geography
from divide.sources.mesh import load_mesh_population, mesh_center


@pytest.fixture(scope="module")
def geo(fukushima_geography):
    return fukushima_geography.municipalities


def test_every_fukushima_access_value_is_finite_and_in_km(geo):
    for column in ("access_mean_km", "access_p90_km"):
        assert np.isfinite(geo[column]).all()
        assert geo[column].between(0.1, 60).all(), geo[column].describe()
    assert (geo["access_p90_km"] >= geo["access_mean_km"] * 0.5).all()
    assert geo["access_basis"].value_counts().to_dict() == {
        "settlement points (designated shelters)": 58,
        "points sampled inside the boundary": 1,
    }


def test_known_geography_of_fukushima(geo):
    ranked = geo.sort_values("access_mean_km")["name_ja"].tolist()
    assert {"南会津町", "只見町"} <= set(ranked[-5:])
    assert {"磐梯町", "檜枝岐村"} <= set(ranked[:5])


def test_the_counter_network_of_large_cities_is_not_taken_as_complete(geo, fukushima_geography):
    for code in (
        "07201",
        "07203",
        "07204",
    ):  # 福島市, 郡山市, いわき市: their 支所 are not in public data we hold
        assert not geo.loc[code, "access_verified"] and geo.loc[code, "counter_basis"] == "large"
    assert geo.loc["07546", "counter_basis"] == "misplaced"  # 双葉町's listed office is in いわき市
    assert geo.loc["07364", "access_verified"]  # 檜枝岐村: one office serves the village
    counters = fukushima_geography.counters
    branches = counters[counters["kind"] == "branch office"]
    assert set(branches["name"]) >= {"梁川総合支所", "月舘総合支所", "小高区役所"}
    assert (geo.loc[branches["code"].unique(), "counter_basis"] == "partial_branches").all()
    assert any(n.code == "access.unverified" for n in fukushima_geography.notes)


def test_branch_office_names():
    from divide.geography.branch_names import is_counter

    assert is_counter("梁川総合支所", "伊達市", ordinary_city=True)
    assert is_counter("小高区役所", "南相馬市", ordinary_city=True)
    assert is_counter("行方市玉造庁舎", "行方市", ordinary_city=True)
    assert not is_counter(
        "JAふくしま未来梁川支所", "伊達市", ordinary_city=True
    )  # another organisation
    assert not is_counter("旧清水総合支所", "静岡市", ordinary_city=False)  # a former office
    assert not is_counter(
        "中央区役所", "札幌市", ordinary_city=False
    )  # a ward office: its own list
    assert not is_counter("郡山市役所", "郡山市", ordinary_city=True)  # the main office itself
    assert not is_counter("会津若松市役所 別館", "会津若松市", ordinary_city=True)  # an annex of it
    assert not is_counter("渡利学習センター", "福島市", ordinary_city=True)  # a hall


def test_counter_verification_rule():
    from divide.geography.counters import verification

    frame = pd.DataFrame(
        {
            "area_km2": [50.0, 400.0, 400.0, 50.0, 20.0],
            "population": [3_000, 30_000, 5_000, 150_000, 900],
        },
        index=pd.Index(["a", "b", "c", "d", "e"], name="code"),
    )
    known = pd.DataFrame(
        {
            "code": ["a", "b", "c", "d", "e", "e"],
            "kind": ["main office"] * 5 + ["service_point"],
            "source": ["offices"] * 5 + ["analyst layer"],
        }
    )
    table = verification(frame, known)
    assert table["access_verified"].tolist() == [True, False, True, False, True]
    assert table["counter_basis"].tolist() == [
        "single_office",
        "large",
        "single_office",
        "large",
        "analyst",
    ]


def test_geodesic_distances_agree_with_an_independent_calculation(geo):
    geod = Geod(ellps="WGS84")
    pairs = [("07201", "07203"), ("07204", "07368"), ("07364", "07564")]
    for a, b in pairs:
        lon1, lat1 = geo.loc[a, ["office_lon", "office_lat"]]
        lon2, lat2 = geo.loc[b, ["office_lon", "office_lat"]]
        _, _, metres = geod.inv(lon1, lat1, lon2, lat2)
        ours = geodesic_km(np.array([lon1]), np.array([lat1]), np.array([lon2]), np.array([lat2]))[
            0, 0
        ]
        assert ours == pytest.approx(metres / 1000, rel=1e-6)
        # and a spherical haversine agrees within half a percent
        r = 6371.0088
        phi1, phi2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
        h = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dl / 2) ** 2
        assert ours == pytest.approx(2 * r * np.arcsin(np.sqrt(h)), rel=5e-3)
    fukushima_koriyama = geodesic_km(
        *[
            np.array([v])
            for v in (
                *geo.loc["07201", ["office_lon", "office_lat"]],
                *geo.loc["07203", ["office_lon", "office_lat"]],
            )
        ]
    )
    assert 40 < fukushima_koriyama[0, 0] < 45  # 福島市役所–郡山市役所, about 42 km


def _toy_frame(offices, data):
    polygons = [box(140.0, 37.0, 140.1, 37.1), box(140.1, 37.0, 140.2, 37.1)]
    frame = gpd.GeoDataFrame(
        {
            "name_ja": ["A町", "B村"],
            "population": [20_000, 500],
            "pop_65plus": [5_000, 200],
            "area_km2": [98.0, 98.0],
            "stations": [2, 0],
            "office_lon": [offices[0][0], offices[1][0]],
            "office_lat": [offices[0][1], offices[1][1]],
            "evac_first_lifted": pd.NaT,
            "evac_last_lifted": pd.NaT,
            "residence_rate_pct": np.nan,
            "residence_ratio": 1.0,
            "residence_rate_as_of": "",
            "name_kana": None,
            "kaso": "none",
            "pref_code": "07",
        },
        geometry=polygons,
        index=pd.Index(["07901", "07902"], name="code"),
        crs="EPSG:6668",
    )
    return Frame(municipalities=frame, pref="07", data=data, join_report=pd.DataFrame())


def test_access_on_a_constructed_grid_matches_a_hand_calculation(tmp_path, data):
    frame = _toy_frame([(140.05, 37.05), (140.15, 37.05)], data)
    grid = pd.DataFrame(
        {
            "mesh_code": ["a", "b", "c"],
            "lon": [140.05, 140.05, 140.15],
            "lat": [37.05, 37.09, 37.05],
            "population": [300.0, 100.0, 50.0],
        }
    )
    out = add_geography(
        frame, population_grid=grid, settlements="lattice", detour=1.0
    ).municipalities
    north = geodesic_km(
        np.array([140.05]), np.array([37.09]), np.array([140.05]), np.array([37.05])
    )[0, 0]
    assert out.loc["07901", "access_mean_km"] == pytest.approx(100 / 400 * north)
    assert out.loc["07901", "access_basis"] == "population grid"
    assert out.loc["07902", "access_mean_km"] == pytest.approx(0.0, abs=1e-9)
    assert out.loc["07901", "stations_per_10k"] == pytest.approx(1.0)


def test_a_supplied_branch_office_layer_shortens_distances(geo, fukushima, tmp_path):
    points = fukushima.data.layer("points")
    shelters = points[(points["kind"] == "shelter") & (points["code"] == "07204")].iloc[::20]
    layer = tmp_path / "branches.csv"
    pd.DataFrame(
        {"name": shelters["name"], "lon": shelters.geometry.x, "lat": shelters.geometry.y}
    ).to_csv(layer, index=False)
    with_branches = add_geography(fukushima, service_layers=[layer]).municipalities
    assert with_branches.loc["07204", "access_mean_km"] < 0.7 * geo.loc["07204", "access_mean_km"]
    assert with_branches.loc[
        "07204", "access_verified"
    ]  # the analyst's layer completes the network
    assert with_branches.loc["07201", "access_mean_km"] == pytest.approx(
        geo.loc["07201", "access_mean_km"]
    )


def test_mesh_codes():
    lon, lat = mesh_center("53394611")  # the 1 km square of Tokyo Station
    assert lon == pytest.approx(139.76875) and lat == pytest.approx(35.6791667, abs=1e-6)
    assert mesh_center("5339") == pytest.approx((139.5, 35.6666667))
    lon4, lat4 = mesh_center("533946114")  # north-east 500 m quarter
    assert lon4 > lon and lat4 > lat
    with pytest.raises(ValueError):
        mesh_center("53394615x")


def test_estat_mesh_csv_layout(tmp_path):
    path = tmp_path / "tblT001100S5540.txt"
    path.write_text(
        "KEY_CODE,HTKSYORI,HTKSAKI,GASSAN,T001100001,T001100002\n"
        ",,,,人口（総数）,男\n"
        "55400000,0,,,120,60\n55400001,0,,,*,\n",
        encoding="cp932",
    )
    grid = load_mesh_population(path)
    assert grid["population"].tolist()[0] == 120 and np.isnan(grid["population"].tolist()[1])
    assert grid["secret"].tolist() == [False, True]


def test_remoteness_and_evacuation_context(geo):
    assert (
        geo.loc["07543", "evac_lifted_year"] == 2017
        and geo.loc["07543", "evac_last_lifted_year"] == 2023
    )
    assert geo.loc["07543", "residence_rate"] == pytest.approx(0.241)
    assert geo.loc["07212", "residence_rate_basis"].startswith("2020 census")
    assert pd.isna(geo.loc["07201", "residence_rate"])
    assert (
        geo["kaso"].isin(["whole", "partial", "none"]).all()
        and (geo["kaso"] == "whole").sum() == 30
    )
    assert geo.loc["07201", "stations_per_10k"] == pytest.approx(
        geo.loc["07201", "stations"] / geo.loc["07201", "population"] * 1e4
    )


def _grid(n=8):
    cells = [
        box(140 + i * 0.1, 37 + j * 0.1, 140.1 + i * 0.1, 37.1 + j * 0.1)
        for j in range(n)
        for i in range(n)
    ]
    return gpd.GeoDataFrame(
        {"value": 0.0},
        geometry=cells,
        crs="EPSG:6668",
        index=pd.Index([f"c{k:02d}" for k in range(n * n)], name="code"),
    )


def test_local_clusters_find_a_block_of_high_values():
    frame = _grid()
    rng = np.random.default_rng(0)
    frame["value"] = rng.normal(0, 1, len(frame))
    block = [f"c{j * 8 + i:02d}" for j in range(3) for i in range(3)]
    frame.loc[block, "value"] += 6
    labels = local_clusters(frame, "value", seed=7)
    assert (labels.loc[block, "cluster"] == "High-High").sum() >= 5
    assert (labels.drop(index=block)["cluster"] == "High-High").sum() <= 2
    again = local_clusters(frame, "value", seed=7)
    assert labels.equals(again)


def test_local_clusters_on_real_data(geo):
    labels = local_clusters(geo, "access_mean_km", seed=0)
    assert (
        len(labels) == 59
        and labels["cluster"]
        .isin(["High-High", "Low-Low", "High-Low", "Low-High", "not significant", "no neighbours"])
        .all()
    )
