"""From table columns to the values an index normalises: denominate, transform, impute, fit the
treatment.

The same steps run on the municipalities being scored and on the reference they are scored against
(themselves, or all of Japan); imputation statistics and treatment caps come from the (imputed)
reference, as COINr fits them, so a prefecture read against Japan is also imputed and treated as
Japan is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from divide.errors import DivideSpecError
from divide.index.impute import impute
from divide.index.indicators import transform
from divide.index.spec import IndexSpec, Indicator, Treatment
from divide.index.treat import Treated, fit


@dataclass(frozen=True)
class Prepared:
    """Values before imputation (``raw``), imputed (``values``, ``reference``), and the fitted
    treatments.

    The values stay untreated: treatment is applied by the normaliser (min-max, z-score and rank
    read treated values, goalposts the values as they are).
    """

    raw: pd.DataFrame
    values: np.ndarray
    reference: np.ndarray
    imputed: np.ndarray
    fallback: np.ndarray  # n × I: imputed from the whole reference (the group had no value)
    treated: list[Treated]


def column_values(table: pd.DataFrame, indicator: Indicator) -> np.ndarray:
    """The indicator's column, divided by its denominator when it has one (0 → missing), then
    transformed.
    """
    values = table[indicator.column]
    if indicator.denominator is not None:
        column = indicator.denominator.column
        if column not in table.columns:
            raise DivideSpecError(
                f"indicator {indicator.id!r}: denominator column {column!r} is not in the table"
            )
        denominator = pd.to_numeric(table[column], errors="coerce").astype(float)
        values = pd.to_numeric(values, errors="coerce").astype(float) / denominator.where(
            denominator != 0
        )
    return transform(values, indicator.transform)


def _groups(table: pd.DataFrame, spec: IndexSpec, where: str) -> pd.Series | None:
    group = spec.imputation.group
    if not group:
        return None
    if group not in table.columns:
        raise DivideSpecError(f"imputation group column {group!r} is not in the {where} table")
    return table[group]


def _rule(spec: IndexSpec, indicator: Indicator) -> Treatment:
    if indicator.treatment == "spec":
        return spec.treatment
    return spec.treatment.model_copy(update={"method": indicator.treatment})


def prepare(
    spec: IndexSpec, used: list[Indicator], table: pd.DataFrame, reference: pd.DataFrame
) -> Prepared:
    """Denominated, transformed, imputed and treated values of ``table`` and of ``reference``."""
    raw = pd.DataFrame({i.id: column_values(table, i) for i in used}, index=table.index)
    reference_raw = np.column_stack([column_values(reference, i) for i in used])
    reference_groups = _groups(reference, spec, "reference")
    filled_reference = impute(
        reference_raw, reference_raw, spec.imputation, reference_groups, reference_groups
    )
    filled = impute(
        raw.to_numpy(dtype=float),
        reference_raw,
        spec.imputation,
        _groups(table, spec, "indicator"),
        reference_groups,
    )
    treated = [
        fit(i.id, filled_reference.values[:, k], _rule(spec, i), units=len(reference))
        for k, i in enumerate(used)
    ]
    return Prepared(
        raw=raw,
        values=filled.values,
        reference=filled_reference.values,
        imputed=filled.imputed,
        fallback=filled.fallback,
        treated=treated,
    )
