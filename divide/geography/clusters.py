"""Where gaps cluster: local Moran's I (esda) with explicit seed, permutations and FDR control.

Labels: ``High-High`` (a high value among high neighbours), ``Low-Low``, ``High-Low``, ``Low-High``,
or ``not significant``. Significance uses the permutation pseudo p-values, corrected for the many
local tests by the false-discovery-rate rule of Benjamini-Hochberg (``esda.fdr``) at ``alpha``.
Neighbours are municipalities sharing a border (queen contiguity); municipalities without neighbours
(islands) are ``no neighbours``.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from divide.errors import DivideParameterError
from divide.notes import Note, note
from divide.validation import Permutations, Seed, Share, checked

LABELS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}
NOT_SIGNIFICANT = "not significant"
ISOLATED = "no neighbours"


@checked
def local_clusters(
    frame: gpd.GeoDataFrame,
    column: str | pd.Series,
    *,
    seed: Seed = 0,
    permutations: Permutations = 999,
    alpha: Share = 0.05,
) -> pd.DataFrame:
    """Cluster label per municipality (index of ``frame``), with the local I and pseudo p-value.

    ``frame``: municipalities with polygons (``Frame.municipalities`` or
    ``Geography.municipalities``); ``column``: one of its columns or a Series aligned to its index
    (e.g. an estimate's offline share). Municipalities without a land neighbour (islands) are
    labelled ``no neighbours``, never tested.

    Parameters
    ----------
    frame : GeoDataFrame
        Municipalities with polygons.
    column : str or Series
        The values to test.
    seed : int
        Seed of the permutations.
    permutations : int
        Conditional permutations per municipality.
    alpha : float
        Significance level of a cluster.

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07").municipalities
    >>> clusters = divide.local_clusters(frame, "density", seed=0, permutations=99)
    >>> kinds = {"High-High", "Low-Low", "High-Low", "Low-High", "not significant"}
    >>> len(clusters), set(clusters["cluster"]) <= kinds
    (59, True)
    """
    import esda
    from libpysal.weights import Queen

    if isinstance(column, str) and column not in frame:
        raise DivideParameterError(
            f"local_clusters: column {column!r} is not a column of the table"
        )
    values = frame[column] if isinstance(column, str) else column.reindex(frame.index)
    if values.isna().any():
        given = (
            f"a Series of {len(column)} values"
            if isinstance(column, pd.Series)
            else f"column {column!r}"
        )
        raise DivideParameterError(
            f"local_clusters: parameter 'column' ({given}) has no value for "
            f"{int(values.isna().sum())} of the table's {len(frame)} municipalities"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are labelled below
        weights = Queen.from_dataframe(
            frame.reset_index(drop=True), use_index=False, silence_warnings=True
        )
    isolated = np.array([weights.cardinalities[i] == 0 for i in range(len(frame))])
    weights.transform = "r"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lisa = esda.Moran_Local(
            values.to_numpy(dtype=float), weights, permutations=permutations, seed=seed, n_jobs=1
        )
    threshold = esda.fdr(lisa.p_sim, alpha)
    significant = lisa.p_sim <= threshold
    labels = np.where(significant, pd.Series(lisa.q).map(LABELS).to_numpy(), NOT_SIGNIFICANT)
    labels = np.where(isolated, ISOLATED, labels)
    return pd.DataFrame(
        {"cluster": labels, "local_i": lisa.Is, "p_value": lisa.p_sim, "fdr_threshold": threshold},
        index=frame.index,
    )


def islands_note(clusters: pd.DataFrame) -> list[Note]:
    """One plain note for municipalities without a land neighbour (instead of a library's warning
    per island).
    """
    count = int((clusters["cluster"] == ISOLATED).sum())
    if not count:
        return []
    return [note("clusters.islands", n=count)]
