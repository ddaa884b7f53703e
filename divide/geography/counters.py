"""The in-person counters of every municipality: where its residents can do a procedure face to
face.

One layer, from everything public the project holds, each point saying where it came from:

* ``main office``: the 本庁舎/役場 of the office list (code4fukui/localgovjp). A main office listed
  outside its own municipality (双葉町's is still its temporary office in いわき市) cannot be the
  counter its residents walk to: the polygon's representative point replaces it, and ``kind`` says
  so.
* ``ward office``: the 区役所 of designated cities (same list, ward rows).
* ``branch office``: 支所, 出張所, 行政センター … that the municipality registered as a designated
  shelter (GSI list; name rule in :mod:`divide.geography.branch_names`). A part of the network at
  best.
* the analyst's own layers (branch offices, post offices, digital-support desks), which make the
  network of the municipalities they cover complete.

**How complete is the network known to be** (``access_verified``, rule documented in
``docs/method.md``): True where an analyst layer covers the municipality, or where one counter
plausibly serves it all (no branch office found, and not large: area ≤ 200 km² or fewer than 10,000
residents, and fewer than 100,000 residents); False otherwise: large or populous municipalities
(often formed by merger, with 支所 in the former town halls), those where the shelter list shows
only part of a branch network, and those whose listed main office lies outside their boundary. Where
it is False, a distance is an upper bound, never a fact to base a support form on.

Procedures of a municipality are done at *its own* counters, so points are assigned to
municipalities by location, and residents are measured to the nearest counter of their own
municipality.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from divide.codes import DESIGNATED_CITIES
from divide.geography.access import geodesic_km
from divide.geography.branch_names import is_counter
from divide.geography.settlements import assign

MISPLACED_OFFICE = (
    "main office listed outside the municipality (temporary office?): the boundary's centre is used"
)
MAIN, WARD, BRANCH, ANALYST = "main office", "ward office", "branch office", "analyst layer"
SAME_SITE_KM = 0.1  # a branch office this close to a known counter is the same building
LARGE_AREA_KM2 = 200.0  # one counter rarely serves a municipality this large and populous …
LARGE_POPULATION = 10_000
POPULOUS = 100_000  # … or this populous: such municipalities keep 支所, 出張所 or service centres


def _main_offices(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    offices = shapely.points(frame["office_lon"].to_numpy(), frame["office_lat"].to_numpy())
    polygons = frame.geometry.to_numpy()
    outside = ~shapely.contains(polygons, offices) & (shapely.distance(polygons, offices) > 0.01)
    centres = shapely.point_on_surface(polygons)
    return pd.DataFrame(
        {
            "code": frame.index,
            "lon": np.where(outside, shapely.get_x(centres), frame["office_lon"].to_numpy()),
            "lat": np.where(outside, shapely.get_y(centres), frame["office_lat"].to_numpy()),
            "kind": np.where(outside, MISPLACED_OFFICE, MAIN),
            "name": frame["name_ja"].to_numpy(),
            "source": "offices",
        }
    )


def _ward_offices(frame: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> pd.DataFrame:
    wards = points[(points["kind"] == "ward_office") & points["code"].isin(frame.index)]
    return pd.DataFrame(
        {
            "code": wards["code"].to_numpy(),
            "lon": wards.geometry.x.to_numpy(),
            "lat": wards.geometry.y.to_numpy(),
            "kind": WARD,
            "name": wards["name"].to_numpy(),
            "source": "offices",
        }
    )


def _branch_offices(frame: gpd.GeoDataFrame, points: gpd.GeoDataFrame) -> pd.DataFrame:
    """Registered shelters whose name says they are a branch office of the municipality that
    registered them.
    """
    shelters = points[(points["kind"] == "shelter") & points["code"].isin(frame.index)]
    names = frame["name_ja"].reindex(shelters["code"]).to_numpy()
    ordinary = [
        n.endswith("市") and c not in DESIGNATED_CITIES and not c.startswith("131")
        for n, c in zip(names, shelters["code"], strict=True)
    ]
    flags = [
        is_counter(name, muni, ordinary_city=o)
        for name, muni, o in zip(shelters["name"], names, ordinary, strict=True)
    ]
    found = shelters[np.asarray(flags, dtype=bool)]
    located = assign(found, frame)
    found = found[located.notna().to_numpy()]
    return pd.DataFrame(
        {
            "code": located.dropna().to_numpy(),
            "lon": found.geometry.x.to_numpy(),
            "lat": found.geometry.y.to_numpy(),
            "kind": BRANCH,
            "name": found["name"].to_numpy(),
            "source": "shelters_japan",
        }
    )


def _new_sites(found: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Drop branch offices within ``SAME_SITE_KM`` of a known counter of their municipality, or of
    each other.
    """
    keep = []
    for position, row in enumerate(found.itertuples()):
        same = pd.concat(
            [
                known[known["code"] == row.code],
                found.iloc[keep][found.iloc[keep]["code"] == row.code],
            ]
        )
        if (
            len(same) == 0
            or geodesic_km([row.lon], [row.lat], same["lon"], same["lat"]).min() >= SAME_SITE_KM
        ):
            keep.append(position)
    return found.iloc[keep]


def _analyst_layer(frame: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> pd.DataFrame:
    located = layer.copy()
    located["code"] = assign(located, frame)
    located = located[located["code"].notna()]
    kind = located.get("kind", "service point")
    return pd.DataFrame(
        {
            "code": located["code"].to_numpy(),
            "lon": located.geometry.x.to_numpy(),
            "lat": located.geometry.y.to_numpy(),
            "kind": np.asarray(kind, dtype=object),
            "name": located["name"].to_numpy() if "name" in located else None,
            "source": ANALYST,
        }
    )


def counters(
    frame: gpd.GeoDataFrame, points: gpd.GeoDataFrame, extra: list[gpd.GeoDataFrame] | None = None
) -> pd.DataFrame:
    """code, lon, lat, kind, name, source: every known counter of the municipalities of ``frame``."""
    known = pd.concat(
        [p for p in (_main_offices(frame), _ward_offices(frame, points)) if len(p)],
        ignore_index=True,
    )
    parts = [known, _new_sites(_branch_offices(frame, points), known)]
    parts += [_analyst_layer(frame, layer) for layer in extra or []]
    table = pd.concat([p for p in parts if len(p)], ignore_index=True)
    return table[table["lon"].notna() & table["lat"].notna()].reset_index(drop=True)


BASIS = (
    "analyst",
    "misplaced",
    "partial_branches",
    "large",
    "single_office",
)  # labels: divide.report.words.yaml (counter_basis)


def verification(frame: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Per municipality: ``access_verified`` (bool) and ``counter_basis`` (one of :data:`BASIS`:
    why).
    """

    def covered(mask: pd.Series) -> np.ndarray:
        return frame.index.isin(known.loc[mask, "code"])

    analyst, misplaced = (
        covered(known["source"] == ANALYST),
        covered(known["kind"] == MISPLACED_OFFICE),
    )
    branches = covered(known["kind"] == BRANCH)
    large = (
        ((frame["area_km2"] > LARGE_AREA_KM2) & (frame["population"] >= LARGE_POPULATION))
        | (frame["population"] >= POPULOUS)
    ).to_numpy()
    basis = np.select([analyst, misplaced, branches, large], list(BASIS[:4]), BASIS[4])
    return pd.DataFrame(
        {"access_verified": analyst | (~misplaced & ~branches & ~large), "counter_basis": basis},
        index=frame.index,
    )
