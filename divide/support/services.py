"""For which online service: the offline residents among the users of each service, beside how much
of it the municipality has put online.

A catalogue (``divide/specs/services.yaml``) names each service family the Digital Agency dashboard
reports, the dashboard column with its online share, and the age bands of the residents who use it
(an assumption with its reasoning and source, for the analyst to edit). The offline users of a
service are the estimate's offline residents in those bands, from the same simulation draws as the
totals (:mod:`divide.estimate.by_age`), so each figure has one value and one 90 % interval.

Where a municipality has put most of a service online and many of its users are offline, an
offline counterpart is needed first: ``offline_users_online`` (offline users × online share: the
people the online shift leaves behind) orders them, and ``counterpart_first`` marks those with
most of the service online (at least half) and more offline users than the area's median.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from divide.estimate.by_age import band_label, check_bands
from divide.estimate.offline import OfflineEstimate
from divide.frame.load import Frame
from divide.notes import Note, note
from divide.origin import Origin, matching
from divide.paths import PACKAGE_DIR
from divide.provenance import Dataset
from divide.specio import validated
from divide.validation import Result, checked

DEFAULT_CATALOGUE = PACKAGE_DIR / "specs" / "services.yaml"
MOSTLY_ONLINE = 0.5  # "most of the service online"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Texts(_Strict):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Service(_Strict):
    """One service family: its dashboard column and the age bands of its users."""

    id: str = Field(min_length=1)
    labels: Texts
    column: str = Field(min_length=1)
    online_basis: Texts
    users: tuple[tuple[int, int | None], ...] = Field(min_length=1)
    also: Texts | None = None
    reasoning: Texts
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _bands(self) -> Service:
        try:
            check_bands(self.users)
        except ValueError as exc:
            raise ValueError(f"service {self.id!r}: {exc}") from exc
        return self


class ServiceCatalogue(_Strict):
    """The validated catalogue; :meth:`load` reads YAML, a dict, or the shipped default."""

    services: tuple[Service, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ServiceCatalogue:
        ids = [s.id for s in self.services]
        if len(set(ids)) != len(ids):
            raise ValueError("service ids must be unique")
        return self

    def service(self, service_id: str) -> Service:
        return next(s for s in self.services if s.id == service_id)

    @classmethod
    def load(cls, source: str | Path | dict | ServiceCatalogue | None = None) -> ServiceCatalogue:
        """The shipped catalogue, or the analyst's copy.

        Examples
        --------
        >>> [s.id for s in ServiceCatalogue.load().services]
        ['childcare', 'longterm_care', 'frequent']
        """
        if isinstance(source, ServiceCatalogue):
            return source
        catalogue, _ = validated(cls, source, default=DEFAULT_CATALOGUE)
        return catalogue


@dataclass
class ServiceNeeds:
    """Result of :func:`service_needs`.

    Attributes
    ----------
    table : DataFrame
        One row per municipality and service: ``code``, ``service``, ``online_share`` (the
        dashboard's, 0-1; NaN where it did not report), ``users`` (the age bands counted),
        ``target_residents``, ``offline_residents`` with ``_lo``/``_hi`` (90 %),
        ``offline_users_online`` (offline users × online share), ``counterpart_first``,
        ``online_column`` (where the online share comes from).
    catalogue : ServiceCatalogue
        The services and the reasoning behind each user group.
    notes, datasets, origin
    """

    table: pd.DataFrame
    catalogue: ServiceCatalogue
    notes: list[Note] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    origin: Origin | None = None  # the frame the inputs came from

    def wide(self, column: str = "offline_users_online") -> pd.DataFrame:
        """Municipalities × services of one column."""
        return self.table.pivot(index="code", columns="service", values=column)

    def __repr__(self) -> str:
        services = ", ".join(s.id for s in self.catalogue.services)
        return f"<ServiceNeeds {self.table['code'].nunique()} municipalities × {services}>"


def _service_rows(
    service: Service, frame: Frame, estimate: OfflineEstimate, order: np.ndarray
) -> pd.DataFrame:
    m = estimate.municipalities.iloc[order]
    bands = check_bands(service.users)
    table, draws = estimate.band_counts(bands)
    table = table.set_index("code").loc[m.index].reset_index()
    draws = draws[:, order]
    summed = table.groupby("code", sort=False)[["residents", "offline_count"]].sum()
    drawn = draws.sum(axis=2)
    lo, hi = np.quantile(drawn, [0.05, 0.95], axis=0)
    offline = summed["offline_count"].to_numpy()
    online = frame.municipalities[service.column].reindex(m.index).to_numpy(dtype=float) / 100
    return pd.DataFrame(
        {
            "code": m.index,
            "service": service.id,
            "online_share": online,
            "users": " ".join(band_label(b) for b in bands),
            "target_residents": summed["residents"].to_numpy(),
            "offline_residents": offline,
            "offline_residents_lo": np.minimum(lo, offline),
            "offline_residents_hi": np.maximum(hi, offline),
            "offline_users_online": offline * online,
            "online_column": service.column,
        }
    )


def _first(rows: pd.DataFrame) -> pd.Series:
    """Most of the service online and more offline users than the area's median municipality."""
    median = rows["offline_residents"].median()
    return (rows["online_share"] >= MOSTLY_ONLINE) & (rows["offline_residents"] > median)


@checked
def service_needs(
    frame: Result[Frame],
    estimate: Result[OfflineEstimate],
    *,
    catalogue: str | Path | dict | ServiceCatalogue | None = None,
) -> ServiceNeeds:
    """Per municipality and online service: its online share and its offline users.

    Parameters
    ----------
    frame : Frame
        The municipalities, with the dashboard's online shares.
    estimate : OfflineEstimate
        Offline residents by age, with their draws.
    catalogue : path, dict or ServiceCatalogue, optional
        Services, their dashboard columns and their users (default ``divide/specs/services.yaml``).

    Returns
    -------
    ServiceNeeds

    Examples
    --------
    >>> import divide
    >>> frame = divide.load_frame("07")
    >>> needs = divide.service_needs(frame, divide.estimate_offline(frame, draws=100, validate=False))
    >>> len(needs.table), sorted(needs.table["service"].unique())
    (177, ['childcare', 'frequent', 'longterm_care'])
    """
    origin = matching("service_needs", frame=frame, estimate=estimate)
    services = ServiceCatalogue.load(catalogue)
    missing = [s.column for s in services.services if s.column not in frame.municipalities]
    if missing:
        from divide.errors import DivideParameterError

        raise DivideParameterError(
            f"service_needs: the frame has no dashboard column {missing[0]!r}"
        )
    order = estimate.municipalities.index.get_indexer(frame.municipalities.index)
    parts = [_service_rows(s, frame, estimate, order) for s in services.services]
    table = pd.concat(parts, ignore_index=True)
    table["counterpart_first"] = table.groupby("service", group_keys=False)[
        ["online_share", "offline_residents"]
    ].apply(_first)
    unreported = int(table["online_share"].isna().sum())
    notes = [
        note(
            "services.users",
            services_ja=[
                f"{s.labels.ja} {'・'.join(band_label(b) for b in s.users)}"
                for s in services.services
            ],
            services_en=[
                f"{s.labels.en} {', '.join(band_label(b) for b in s.users)}"
                for s in services.services
            ],
        )
    ]
    if unreported:
        notes.append(note("services.unreported", rows=unreported))
    return ServiceNeeds(
        origin=origin,
        table=table,
        catalogue=services,
        notes=notes,
        datasets={**estimate.datasets, **frame.datasets_of(["dx_dashboard"])},
    )
