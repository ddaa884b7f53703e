"""Benchmark: ``analyse(None)`` (all 1,741 municipalities) against the sum of its stages run alone.

Each stage is run once by itself with the same inputs and the same defaults, then the whole
analysis; both in this process, so the ratio says what the chain itself costs (orchestration,
repeated conversions, copies). Target: the analysis within 1.2x of the sum of its stages. Peak
memory (resident set) is printed beside it.
"""

from __future__ import annotations

import resource
import time

import divide
from divide.analysis import stage_seeds
from divide.assumptions import Assumptions


def _timed(call):
    start = time.perf_counter()
    value = call()
    return value, time.perf_counter() - start


def stages_alone(chosen: Assumptions) -> dict[str, float]:
    """Wall time of every stage run by itself, in the analysis's order and with its arguments."""
    seeds, forms, times = stage_seeds(chosen.seed), chosen.forms(), {}
    frame, times["frame"] = _timed(lambda: divide.load_frame(None))
    geography, times["geography"] = _timed(lambda: divide.add_geography(frame))
    estimate, times["estimate"] = _timed(
        lambda: divide.estimate_offline(frame, seed=seeds["estimate"], draws=chosen.estimate_draws)
    )
    index, times["index"] = _timed(
        lambda: divide.build_index(geography, chosen.index(), estimate=estimate)
    )
    _, times["index uncertainty"] = _timed(
        lambda: index.uncertainty(draws=chosen.index_draws, seed=seeds["index"])
    )
    _, times["support plan"] = _timed(
        lambda: divide.support_plan(geography, estimate, index, spec=forms, seed=seeds["clusters"])
    )
    _, times["sites"] = _timed(
        lambda: divide.propose_sites(geography, estimate, k=chosen.sites_k, spec=forms)
    )
    _, times["projection"] = _timed(
        lambda: divide.project_offline(frame, estimate, seed=seeds["projection"])
    )
    _, times["services"] = _timed(lambda: divide.service_needs(frame, estimate))
    return times


def main() -> None:
    divide.load_data()  # the data are read once per process in both runs
    times = stages_alone(Assumptions())
    for name, seconds in times.items():
        print(f"  {name:18s} {seconds:7.2f} s")
    total = sum(times.values())
    _, whole = _timed(lambda: divide.analyse(None, progress=False))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"analyse(None): {whole:6.1f} s; stages alone {total:6.1f} s; ratio {whole / total:4.2f}x "
        f"(target <= 1.2x); peak memory {peak:4.2f} GB"
    )


if __name__ == "__main__":
    main()
