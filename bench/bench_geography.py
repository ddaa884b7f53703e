"""Benchmark: add_geography for Fukushima and for all of Japan.

Prints wall times and the ratio to a bare kernel run in the same process: pyproj geodesic distances for
the same settlement-to-counter pairs (the irreducible arithmetic). Not a test; run with `make bench`.
"""

from __future__ import annotations

import time

import numpy as np
from pyproj import Geod

import divide
from divide.geography import add_geography
from divide.geography.access import service_points, settlement_points


def bare_kernel(frame, shelters) -> float:
    where = settlement_points(frame, shelters, None)
    counters = service_points(frame, None).set_index("code")
    lon2 = counters.loc[where["code"], "lon"].to_numpy()
    lat2 = counters.loc[where["code"], "lat"].to_numpy()
    start = time.perf_counter()
    Geod(ellps="GRS80").inv(where["lon"].to_numpy(), where["lat"].to_numpy(), lon2, lat2)
    return time.perf_counter() - start


def main() -> None:
    points = divide.load_layer("points")
    shelters = points[points["kind"] == "shelter"]
    for label, pref in (("Fukushima", "07"), ("Japan", None)):
        frame = divide.load_frame(pref)
        start = time.perf_counter()
        out = add_geography(frame)
        elapsed = time.perf_counter() - start
        kernel = bare_kernel(frame, shelters)
        assert np.isfinite(out["access_mean_km"]).all()
        print(f"{label:9s}: add_geography {elapsed:6.2f} s for {len(frame)} municipalities; "
              f"bare geodesic kernel {kernel:6.3f} s; ratio {elapsed / kernel:6.1f}x")


if __name__ == "__main__":
    main()
