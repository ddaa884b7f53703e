"""The digital-gap index: declarative spec, normalisation, aggregation, Monte Carlo uncertainty."""

from divide.index.engine import IndexResult, build_index
from divide.index.indicators import indicator_table
from divide.index.spec import IndexSpec

__all__ = ["IndexResult", "IndexSpec", "build_index", "indicator_table"]
