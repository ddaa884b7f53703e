"""The national reference of the index: every indicator of all 1,741 municipalities, so that a
prefecture's index can be normalised against Japan rather than against itself.

Built here, above the stages, because it runs them (frame, geography, estimate) for all of Japan;
``index/`` itself takes tables only.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from divide.estimate.offline import estimate_offline
from divide.frame.load import load_frame
from divide.frame.loaded import Data
from divide.geography.stage import add_geography
from divide.index.indicators import indicator_table


@lru_cache(maxsize=2)
def national_indicators(data: Data, *, seed: int = 0) -> pd.DataFrame:
    """The indicator table of all 1,741 municipalities: a reference to normalise a prefecture
    against Japan.

    Runs the geography and estimate stages for all of Japan once per ``data`` (about 10 s) and keeps
    the result: ``build_index(geography, estimate=estimate,
    bounds=divide.national_indicators(frame.data))``.

    Parameters
    ----------
    data : Data
        The loaded data (``frame.data``).
    seed : int
        Seed of the national estimate.

    Examples
    --------
    >>> import divide
    >>> table = divide.national_indicators(divide.load_data())
    >>> len(table)
    1741
    """
    frame = load_frame(None, data=data)
    estimate = estimate_offline(frame, seed=seed, draws=100, validate=False)
    return indicator_table(add_geography(frame).municipalities, estimate)
