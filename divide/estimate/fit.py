"""Fitting the offline estimate on all of Japan: age curve, population path, area models.

Whatever prefecture is asked for, the models are fitted on Japan's 1,741 municipalities and the
published rates of all 47 prefectures; a prefecture's estimate is then read off for its own
municipalities. The steps:

1. the resident age structure of 2020 (:func:`~divide.estimate.structure.resident_bands`) carried
   along one population path to 2050 (:mod:`divide.estimate.population`);
2. the age curve (:mod:`divide.estimate.age_curve`);
3. each survey year's age offsets, from that year's age structure on the path (2022-2024 lie
   between the 2020 and 2025 censuses), so that the year effects are net of ageing;
4. the area models a :class:`~divide.estimate.models.ModelChoice` needs, on the covariates held at
   the edge of the prefecture range where a municipality lies outside it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import logit

from divide.estimate.age_curve import AgeCurve, fit_age_curve
from divide.estimate.area_model import AreaData, AreaModel
from divide.estimate.models import ModelChoice, allocation_weights, fit_models
from divide.estimate.population import bands_in_year, population_path
from divide.estimate.structure import (
    COMPOSITION,
    COVARIATES,
    adults,
    age_expected_use,
    distance_outside,
    municipal_covariates,
    prefecture_range,
    support,
)

POPULATION_YEAR = 2025  # head-counts are residents of the 2025 census year


@dataclass(frozen=True)
class Inputs:
    """The national tables the estimate reads (handed over by the stage from the frame's data).

    Attributes
    ----------
    national : DataFrame
        One row per municipality of Japan (register bands, census, covariates, proxies).
    survey : DataFrame
        The published internet-use rates (``internet_use`` layer).
    age_table : DataFrame or path
        The banded age table of the curve (``age_use`` layer, or the analyst's own).
    national_ages : DataFrame
        Japan's register by age on two dates (cohort change ratios).
    """

    national: pd.DataFrame
    survey: pd.DataFrame
    age_table: pd.DataFrame | str | Path
    national_ages: pd.DataFrame


@dataclass(frozen=True)
class Fit:
    """Everything fitted, ready to be applied to municipalities and simulated.

    Attributes
    ----------
    curve : AgeCurve
    area : AreaData
        What the area models were fitted to (offsets of every survey year, held covariates).
    models : dict
        Model name -> fitted :class:`~divide.estimate.area_model.AreaModel`.
    choice : ModelChoice
    path, basis : dict
        Residents by band for every 5-year step 2020-2050 and the basis of each total.
    covariates : DataFrame
        Each municipality's own covariate values (missing ones imputed, see ``imputed``).
    held : DataFrame
        The covariates the models are applied with: held at the edge of the prefecture range.
    bounds : dict
        ``"municipal"``: per covariate, the municipal values of the central 99 % of adults;
        ``"prefecture"``: the range of the prefecture means that identifies each coefficient.
    placement : dict
        Model name -> weight of its placement in each municipality.
    residents : ndarray
        Residents aged 15+ in 2025 of every municipality.
    rows : DataFrame
        The published prefecture rates the models were fitted to.
    """

    curve: AgeCurve
    area: AreaData
    models: dict[str, AreaModel]
    choice: ModelChoice
    path: dict[int, np.ndarray]
    basis: dict[int, np.ndarray]
    covariates: pd.DataFrame
    imputed: pd.Series
    held: pd.DataFrame
    bounds: dict[str, dict[str, tuple[float, float]]]
    placement: dict[str, np.ndarray]
    residents: np.ndarray
    rows: pd.DataFrame

    @property
    def reference(self) -> AreaModel:
        """The model of largest weight (survey years, dispersion of the published rates)."""
        return self.models[self.choice.reference]

    @property
    def outside(self) -> pd.DataFrame:
        """Per composition covariate, True where the municipality lies outside the prefecture
        range.
        """
        own, held = self.covariates[list(COMPOSITION)], self.held[list(COMPOSITION)]
        return own.ne(held)

    def offset(self, curve_params: np.ndarray | None = None) -> np.ndarray:
        """The age offset of every municipality in 2025 (D × n for a stack of curve parameters)."""
        use = (
            self.curve.use_by_band()
            if curve_params is None
            else np.stack([self.curve.use_by_band(c) for c in np.atleast_2d(curve_params)])
        )
        return logit(age_expected_use(self.path[POPULATION_YEAR], use))

    def area_for(self, curve_params: np.ndarray) -> AreaData:
        """The fitting data with every survey year's offsets recomputed for other curve
        parameters.
        """
        return replace(
            self.area, offsets=survey_offsets(self.path, self.area.years, self.curve, curve_params)
        )


def survey_offsets(
    path: dict[int, np.ndarray],
    years: tuple[int, ...],
    curve: AgeCurve,
    curve_params: np.ndarray | None = None,
) -> dict[int, np.ndarray]:
    """Per survey year, the logit of the use expected from each municipality's age structure in
    that year.
    """
    use = curve.use_by_band(curve_params)
    return {year: logit(age_expected_use(bands_in_year(path, year), use)) for year in years}


def survey_rows(survey: pd.DataFrame) -> pd.DataFrame:
    """The published prefecture rates (2022-2024, with sample sizes) as fitting rows."""
    rows = survey[survey["level"] == "prefecture"].assign(rate=lambda s: s["use_rate_pct"] / 100)
    return rows[["pref_code", "year", "rate", "sample_n", "use_rate_pct"]].reset_index(drop=True)


def register_bands(national: pd.DataFrame) -> np.ndarray:
    """Japan's registered population in 21 bands (the age curve's weights within a band)."""
    columns = [c for c in national.columns if c.startswith("reg_age_")]
    return national[columns].sum().to_numpy()


def _held(covariates: pd.DataFrame, bounds: dict[str, tuple[float, float]]) -> pd.DataFrame:
    held = covariates.copy()
    for column in COMPOSITION:
        held[column] = held[column].clip(*bounds[column])
    return held


def fit_estimate(inputs: Inputs, choice: ModelChoice) -> Fit:
    """Fit the curve, the path and the models of ``choice`` (see the module docstring)."""
    national = inputs.national
    path, basis = population_path(national, inputs.national_ages)
    curve = fit_age_curve(inputs.age_table, register_bands(national))
    rows = survey_rows(inputs.survey)
    years = tuple(sorted(int(y) for y in rows["year"].unique()))
    covariates, imputed = municipal_covariates(national)
    weights = adults(bands_in_year(path, max(years)))
    prefectures = national["pref_code"].to_numpy()
    bounds = {
        "municipal": support(covariates[list(COVARIATES)], weights),
        "prefecture": prefecture_range(
            covariates[list(COVARIATES)], weights, prefectures, set(rows["pref_code"])
        ),
    }
    held = _held(covariates[list(COVARIATES)], bounds["prefecture"])
    area = AreaData(
        survey_offsets(path, years, curve),
        held.to_numpy(),
        COVARIATES,
        weights,
        prefectures,
        rows[["pref_code", "year", "rate", "sample_n"]],
    )
    models = fit_models(area, choice.models)
    composition_bounds = {c: bounds["prefecture"][c] for c in COMPOSITION}
    distance = distance_outside(covariates[list(COMPOSITION)], composition_bounds)
    return Fit(
        curve=curve,
        area=area,
        models=models,
        choice=choice,
        path=path,
        basis=basis,
        covariates=covariates[list(COVARIATES)],
        imputed=imputed,
        held=held,
        bounds=bounds,
        placement=allocation_weights(choice, distance),
        residents=adults(path[POPULATION_YEAR]),
        rows=rows,
    )
