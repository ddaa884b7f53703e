"""A smooth curve of internet use by single year of age, fitted to banded survey tables.

Surveys publish use by age *band* (18-29, …, 60-69, 70+). The curve is logistic-quadratic in age,
``logit p(a) = b0 + b1 z + b2 z²`` with ``z = (a - 50) / 20``, fitted by maximum likelihood
(statsmodels ``GenericLikelihoodModel``) to the band rates. A band's expected rate is the
*population-weighted* average of the curve over the single ages inside it, so an open band such as
70+ is read correctly: its 48.5 % mixes 70-year-olds (about 75 % online) with 90-year-olds (about 15
%), weighted by how many people of each age live in Japan. Three parameters fit six bands with a
residual deviance close to zero; a cubic term did not improve the fit (tested on the 2023 table).

Several surveys can be combined: each gets its own level (intercept) and they share the shape.

**Banded table schema** (CSV or DataFrame, one row per band): ``survey`` (text), ``age_lo`` (int),
``age_hi`` (int, empty for an open band), ``pct`` (percent *using*, 0-100), and either ``n``
(respondents in the band) or ``survey_n`` (respondents of the survey; allocated to bands in
proportion to the national population of each band).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit
from statsmodels.base.model import GenericLikelihoodModel

from divide.constants import BAND_WIDTH, MAX_AGE, N_BANDS
from divide.errors import DivideDataError
from divide.sources.reader import read_csv

AGES = np.arange(0, MAX_AGE + 1)
CENTER, SCALE = 50.0, 20.0


def _basis(ages: np.ndarray) -> np.ndarray:
    z = (np.asarray(ages, dtype=float) - CENTER) / SCALE
    return np.column_stack([z, z**2])


def single_age_weights(band_population: np.ndarray) -> np.ndarray:
    """Population of each single age 0-104 from the 21 five-year bands (uniform within a band)."""
    band_population = np.asarray(band_population, dtype=float)
    if band_population.shape != (N_BANDS,):
        raise ValueError(f"{N_BANDS} five-year bands (0-4 … 100+) are required")
    return np.repeat(band_population / BAND_WIDTH, BAND_WIDTH)


def load_age_table(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read and check a banded table (schema in the module docstring).

    Parameters
    ----------
    source : str, Path or DataFrame
        A CSV path or a table ``survey, age_lo, age_hi, pct, n``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = load_age_table(pd.DataFrame({"survey": "s", "age_lo": [18, 70], "age_hi": [69, None],
    ...                                      "pct": [95.0, 48.5], "survey_n": 1626}))
    >>> table[["age_lo", "age_hi", "pct"]].to_dict("list")
    {'age_lo': [18, 70], 'age_hi': [69.0, nan], 'pct': [95.0, 48.5]}
    """
    if isinstance(source, pd.DataFrame):
        table = source.copy()
        file = "<DataFrame>"
        table["_line"] = np.arange(2, len(table) + 2)
    else:
        file = str(source)
        table = read_csv(source, required=["survey", "age_lo", "age_hi", "pct"])
    for column in ("survey", "age_lo", "age_hi", "pct"):
        if column not in table:
            raise DivideDataError("required column missing", file=file, column=column)
    out = pd.DataFrame({"survey": table["survey"].astype(str), "_line": table["_line"].to_numpy()})
    for column in ("age_lo", "age_hi", "pct", "n", "survey_n"):
        values = (
            pd.to_numeric(table[column].replace("", np.nan), errors="coerce")
            if column in table
            else np.nan
        )
        if column in table:
            bad = (
                values.isna()
                & table[column].notna()
                & (table[column].astype(str).str.strip() != "")
            )
            bad &= table[column].astype(str).str.strip().str.lower().ne("nan") & table[
                column
            ].astype(str).ne("<NA>")
            if bad.any():
                i = int(np.argmax(bad.to_numpy()))
                raise DivideDataError(
                    "not a number",
                    file=file,
                    row=int(out["_line"].iloc[i]),
                    column=column,
                    value=table[column].iloc[i],
                )
        out[column] = values
    fractions = out.groupby("survey")["pct"].transform(lambda pct: bool((pct <= 1).all()))
    problems = [
        (out["age_lo"].isna(), "age_lo", "lower age missing"),
        (
            (out["pct"] < 0) | (out["pct"] > 100) | out["pct"].isna(),
            "pct",
            "pct must be a percentage 0-100",
        ),
        (
            fractions.astype(bool),
            "pct",
            "pct must be a percentage 0-100, and every value of this survey is ≤ 1: "
            "fractions? multiply by 100",
        ),
        (
            ~fractions.astype(bool) & (out["pct"] > 0) & (out["pct"] < 1),
            "pct",
            "pct must be a percentage 0-100: a value between 0 and 1 among percentages (a "
            "fraction, or under 1 %?)",
        ),
        (
            out["age_hi"].notna() & (out["age_hi"] < out["age_lo"]),
            "age_hi",
            "upper age below lower age (age_lo)",
        ),
        (
            (out["n"] <= 0) | (out["survey_n"] <= 0),
            "n" if (out["n"] <= 0).any() else "survey_n",
            "respondents must be a positive number",
        ),
        (out["n"].isna() & out["survey_n"].isna(), "n", "give n (band respondents) or survey_n"),
        (_overlaps(out), "age_lo", "band overlaps the band before it in the same survey"),
    ]
    for mask, column, why in problems:
        if mask.any():
            i = int(np.argmax(mask.to_numpy()))
            raise DivideDataError(
                why,
                file=file,
                row=int(out["_line"].iloc[i]),
                column=column,
                value=out[column].iloc[i] if column in ("pct", "n", "survey_n") else None,
            )
    return out


def _overlaps(bands: pd.DataFrame) -> pd.Series:
    """True for a band that starts at or before the end of the previous band (by age) of its survey."""
    ordered = bands.sort_values(["survey", "age_lo"])
    previous_end = ordered.groupby("survey")["age_hi"].shift().fillna(-1)
    previous_open = ordered.groupby("survey")["age_hi"].shift().isna() & ordered.groupby(
        "survey"
    ).cumcount().gt(0)
    return ((ordered["age_lo"] <= previous_end) | previous_open).reindex(bands.index)


@dataclass
class AgeCurve:
    """The fitted curve; ``result`` is the statsmodels results object (``summary()`` works)."""

    params: np.ndarray  # [intercept of each survey…, b1, b2]
    cov: np.ndarray
    surveys: list[str]
    table: pd.DataFrame  # the bands with fitted rates
    result: object
    param_names: list[str]

    @property
    def shape(self) -> np.ndarray:
        return self.params[len(self.surveys) :]

    def use_by_age(self, params: np.ndarray | None = None, survey: int = 0) -> np.ndarray:
        """Use probability for ages 0-104 (level of survey ``survey``)."""
        p = self.params if params is None else params
        return expit(p[survey] + _basis(AGES) @ p[len(self.surveys) :])

    def use_by_band(self, params: np.ndarray | None = None, survey: int = 0) -> np.ndarray:
        """Mean use probability in each of the 21 register bands (0-4 … 100+)."""
        return self.use_by_age(params, survey).reshape(N_BANDS, BAND_WIDTH).mean(axis=1)

    def draws(self, size: int, rng: np.random.Generator) -> np.ndarray:
        return rng.multivariate_normal(self.params, self.cov, size=size, method="cholesky")


def _band_weights(table: pd.DataFrame, age_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    weights = np.zeros((len(table), len(AGES)))
    band_population = np.zeros(len(table))
    for i, (lo, hi) in enumerate(zip(table["age_lo"], table["age_hi"], strict=True)):
        top = MAX_AGE if pd.isna(hi) else int(hi)
        inside = (AGES >= int(lo)) & (AGES <= top)
        weights[i] = age_weights * inside
        band_population[i] = weights[i].sum()
        if band_population[i] <= 0:
            raise DivideDataError(f"band {lo}-{hi} has no population", column="age_lo")
        weights[i] /= band_population[i]
    return weights, band_population


def fit_age_curve(table: pd.DataFrame, band_population: np.ndarray) -> AgeCurve:
    """Fit the curve to a banded table; ``band_population`` = national population in 21 register
    bands.

    Parameters
    ----------
    table : DataFrame
        Use by age band (:func:`load_age_table`).
    band_population : ndarray
        National population in the 21 register bands (the weights inside open bands).

    Examples
    --------
    >>> import divide
    >>> data = divide.load_data()
    >>> bands = data.national[[c for c in data.national.columns if c.startswith("reg_age_")]].sum().to_numpy()
    >>> curve = fit_age_curve(data.layer("age_use"), bands)
    >>> round(float(curve.use_by_age()[75]), 2)  # smartphone/tablet use at 75
    0.62
    """
    table = load_age_table(table)
    age_weights = single_age_weights(band_population)
    weights, population = _band_weights(table, age_weights)
    surveys = list(dict.fromkeys(table["survey"]))
    n = table["n"].to_numpy(dtype=float, copy=True)
    for (
        survey
    ) in surveys:  # allocate a survey's respondents to bands by population where n is missing
        rows = (table["survey"] == survey).to_numpy() & np.isnan(n)
        if rows.any():
            n[rows] = (
                table["survey_n"].to_numpy(dtype=float)[rows]
                * population[rows]
                / population[rows].sum()
            )
    rate = table["pct"].to_numpy(dtype=float) / 100.0
    survey_index = np.array([surveys.index(s) for s in table["survey"]])
    basis = _basis(AGES)

    class _BandedBinomial(GenericLikelihoodModel):
        def loglike(self, params: np.ndarray) -> float:
            logits = params[survey_index][:, None] + (basis @ params[len(surveys) :])[None, :]
            p = np.clip((weights * expit(logits)).sum(axis=1), 1e-12, 1 - 1e-12)
            return float(np.sum(n * (rate * np.log(p) + (1 - rate) * np.log1p(-p))))

    start = np.r_[np.full(len(surveys), 3.0), -2.0, 0.0]
    names = [f"level[{s}]" for s in surveys] + ["age_linear", "age_quadratic"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns about df bookkeeping of generic models
        model = _BandedBinomial(rate, np.ones((len(rate), 1)))
        result = model.fit(start_params=start, method="bfgs", maxiter=5000, disp=False)
        cov = np.asarray(result.cov_params())
    params = np.asarray(result.params)
    if not np.all(np.isfinite(cov)) or np.any(np.linalg.eigvalsh(cov) <= 0):
        raise DivideDataError(
            "the age curve could not be estimated (too few bands or rates of 0/100 %)"
        )
    logits = params[survey_index][:, None] + (basis @ params[len(surveys) :])[None, :]
    fitted = table.assign(n_used=n, fitted_pct=100 * (weights * expit(logits)).sum(axis=1))
    return AgeCurve(
        params=params, cov=cov, surveys=surveys, table=fitted, result=result, param_names=names
    )
