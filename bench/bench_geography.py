"""Benchmark: add_geography for Fukushima and for all of Japan.

Prints wall times and the ratio to a bare kernel run in the same process: pyproj geodesic distances
for the same settlement-to-counter pairs (the irreducible arithmetic). Not a test; run with `make
bench`.
"""

from __future__ import annotations

import time

import numpy as np
from pyproj import Geod

import divide


def bare_kernel(geography: divide.Geography) -> float:
    """Geodesic distance from every settlement point to every counter of its municipality, in one
    call.
    """
    where, counters = geography.settlements, geography.counters
    pairs = where[["code", "lon", "lat"]].merge(
        counters[["code", "lon", "lat"]], on="code", suffixes=("", "_c")
    )
    start = time.perf_counter()
    Geod(ellps="GRS80").inv(
        pairs["lon"].to_numpy(),
        pairs["lat"].to_numpy(),
        pairs["lon_c"].to_numpy(),
        pairs["lat_c"].to_numpy(),
    )
    return time.perf_counter() - start


def main() -> None:
    for label, pref in (("Fukushima", "07"), ("Japan", None)):
        frame = divide.load_frame(pref)
        start = time.perf_counter()
        geography = divide.add_geography(frame)
        elapsed = time.perf_counter() - start
        kernel = bare_kernel(geography)
        assert np.isfinite(geography.municipalities["access_mean_km"]).all()
        print(
            f"{label:9s}: add_geography {elapsed:6.2f} s for {len(frame)} municipalities; "
            f"bare geodesic kernel {kernel:6.3f} s; ratio {elapsed / kernel:6.1f}x"
        )


if __name__ == "__main__":
    main()
