"""Where gaps cluster: local Moran's I (esda) with explicit seed, permutations and FDR control.

Labels: ``High-High`` (a high value among high neighbours), ``Low-Low``, ``High-Low``, ``Low-High``, or
``not significant``. Significance uses the permutation pseudo p-values, corrected for the many local
tests by the false-discovery-rate rule of Benjamini-Hochberg (``esda.fdr``) at ``alpha``. Neighbours are
municipalities sharing a border (queen contiguity); municipalities without neighbours (islands) are
``no neighbours``.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

LABELS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}
NOT_SIGNIFICANT = "not significant"
ISOLATED = "no neighbours"
LABELS_JA = {"High-High": "高い値の集積（高−高）", "Low-Low": "低い値の集積（低−低）",
             "High-Low": "周囲より高い（高−低）", "Low-High": "周囲より低い（低−高）",
             NOT_SIGNIFICANT: "有意な集積なし", ISOLATED: "隣接する市町村なし"}


def cluster_label(label: str, lang: str = "ja") -> str:
    """A cluster label for readers: Japanese by default, the esda-style English name otherwise."""
    return LABELS_JA.get(label, label) if lang == "ja" else label


def local_clusters(frame: gpd.GeoDataFrame, column: str | pd.Series, *, seed: int = 0, permutations: int = 999,
                   alpha: float = 0.05) -> pd.DataFrame:
    """Cluster label per municipality (index of ``frame``), with the local I and pseudo p-value.

    ``column``: a column of ``frame`` or a Series aligned to its index (e.g. an estimate's offline share).
    """
    import esda
    from libpysal.weights import Queen

    values = frame[column] if isinstance(column, str) else column.reindex(frame.index)
    if values.isna().any():
        raise ValueError(f"{int(values.isna().sum())} missing values in the clustered column")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are labelled below
        weights = Queen.from_dataframe(frame.reset_index(drop=True), use_index=False)
    isolated = np.array([weights.cardinalities[i] == 0 for i in range(len(frame))])
    weights.transform = "r"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lisa = esda.Moran_Local(values.to_numpy(dtype=float), weights, permutations=permutations, seed=seed,
                                n_jobs=1)
    threshold = esda.fdr(lisa.p_sim, alpha)
    significant = lisa.p_sim <= threshold
    labels = np.where(significant, pd.Series(lisa.q).map(LABELS).to_numpy(), NOT_SIGNIFICANT)
    labels = np.where(isolated, ISOLATED, labels)
    return pd.DataFrame({"cluster": labels, "local_i": lisa.Is, "p_value": lisa.p_sim,
                         "fdr_threshold": threshold}, index=frame.index)
