"""Every choice an analyst makes about an analysis, in one place: weights, need thresholds, the
access cut, sites, scenario, age bands, the estimate's model and evidence, draws and seed.

A notebook's parameter cell, a YAML file beside the notebooks (``notebooks/assumptions.yaml``) and
the command line all fill one :class:`Assumptions`; :func:`~divide.analysis.analyse` reads it, and
the pack it writes records it (``README.md`` and the notes sheet), so a briefing always says what
it assumed. A value left empty (``None``) keeps the shipped default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from divide.errors import DivideSpecError
from divide.specio import non_finite, read_yaml

Band = tuple[int, int | None]


class Assumptions(BaseModel):
    """The analyst's choices (see the module docstring); every field is checked when set.

    Examples
    --------
    >>> a = Assumptions(sites_k=3, access_km=4.0)
    >>> a.forms().access_km, a.sites_k
    (4.0, 3)
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    weights: dict[str, Annotated[float, Field(ge=0)]] | None = None
    index_spec: str | None = None
    forms_spec: str | None = None
    need_threshold: (
        Literal["prefecture", "national"] | Annotated[float, Field(gt=0, lt=1)] | None
    ) = None
    count_share_of_prefecture: Annotated[float, Field(gt=0, lt=1)] | None = None
    count_per_counter: Annotated[float, Field(gt=0)] | None = None
    access_km: Annotated[float, Field(gt=0, le=100)] | None = None
    radius_km: Annotated[float, Field(gt=0, le=100)] = 5.0
    sites_k: Annotated[int, Field(ge=1, le=200)] = 5
    sites_k_max: Annotated[int, Field(ge=1, le=200)] = 10
    scenario: Literal["survey_trend", "constant_rates", "cohort"] = "survey_trend"
    age_bands: tuple[Band, ...] = ((15, 39), (40, 64), (65, 74), (75, None))
    model: str = "averaged"
    benchmark: Literal["prefecture"] | None = None
    survey: str | None = None
    estimate_draws: Annotated[int, Field(ge=100, le=20_000)] = 1000
    index_draws: Annotated[int, Field(ge=100, le=50_000)] = 2000
    seed: Annotated[int, Field(ge=0)] = 0

    @classmethod
    def load(cls, source: str | Path | dict | Assumptions | None = None) -> Assumptions:
        """From a YAML file (duplicate keys refused), a dict, or the defaults."""
        if isinstance(source, Assumptions):
            return source
        if source is None:
            return cls()
        raw = source if isinstance(source, dict) else read_yaml(source)
        origin = "<dict>" if isinstance(source, dict) else str(source)
        place = non_finite(raw)
        if place is not None:
            where = ".".join(str(part) for part in place)
            raise DivideSpecError(f"{origin}: {where}: must be a finite number (got NaN or ∞)")
        from pydantic import ValidationError

        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"]) or "(top level)"
            raise DivideSpecError(f"{origin}: {where}: {error['msg']}") from exc

    def changed(self, **values: object) -> Assumptions:
        """A copy with some values changed (checked like the original)."""
        return Assumptions.model_validate({**self.model_dump(), **values})

    def forms(self):
        """The support-form spec with this analysis's thresholds."""
        from divide.support.forms import FormSpec

        spec = FormSpec.load(self.forms_spec).model_dump()
        if self.need_threshold is not None:
            spec["need"]["share"]["threshold"] = self.need_threshold
        for key in ("share_of_prefecture", "per_counter"):
            value = getattr(self, f"count_{key}")
            if value is not None:
                spec["need"]["count"][key] = value
        if self.access_km is not None:
            spec["access"]["threshold_km"] = self.access_km
        return FormSpec.load(spec)

    def index(self):
        """The index spec with this analysis's pillar weights."""
        from divide.index.spec import IndexSpec

        spec = IndexSpec.load(self.index_spec)
        return spec.reweighted(self.weights) if self.weights else spec

    def changes(self) -> dict[str, object]:
        """The values that differ from the defaults (what a pack must say it assumed)."""
        defaults = Assumptions().model_dump()
        return {k: v for k, v in self.model_dump().items() if v != defaults[k]}
