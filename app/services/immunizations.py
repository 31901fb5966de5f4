"""Immunizations: CVX-coded doses given here (with lot, expiry, site, route) or reported
from elsewhere (a pharmacy, another clinic, the state registry)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from app.models import Immunization, User
from app.services.chart_common import chart_patient
from app.services.chart_lists_data import (
    MAX_NOTE,
    EnteredInError,
    Struck,
    chart_encounter,
    error_mark,
    not_in_future,
    optional_text,
    read_chart_facts,
    record_write,
    staff_names,
    strike_fact,
)
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError, NotFound
from app.services.permissions import Permission
from app.terminology.cvx import CvxCatalog, Vaccine

CATEGORY = "immunization"
# HL7 table 0162 route abbreviations, as written on a vaccine administration record.
ROUTES: dict[str, str] = {
    "IM": "Intramuscular",
    "SC": "Subcutaneous",
    "ID": "Intradermal",
    "PO": "Oral",
    "NS": "Intranasal",
}
# Suggestions for the site field (any short text is accepted).
SITES = (
    "Left deltoid",
    "Right deltoid",
    "Left thigh",
    "Right thigh",
    "Left arm",
    "Right arm",
    "Left gluteus",
    "Right gluteus",
    "Mouth",
    "Nose",
)


@dataclass(frozen=True)
class ImmunizationInput:
    cvx_code: str  # "187", or "3" for "03"
    given_on: date
    given_here: bool = True  # False: a dose reported from elsewhere
    source: str | None = None  # where it was given, when elsewhere ("CVS pharmacy")
    lot_number: str | None = None  # required when given here
    expires_on: date | None = None  # the lot's expiry date
    site: str | None = None  # "Left deltoid"
    route: str | None = None  # a key of ROUTES: "IM"
    dose: str | None = None  # "0.5 mL"
    note: str | None = None
    encounter_id: str | None = None
    given_by_id: str | None = None  # who gave it here; the person recording, if not said


@dataclass(frozen=True)
class ImmunizationView(Struck):
    id: str
    version: int
    patient_id: str
    cvx_code: str
    vaccine: str  # CVX short description: "Zoster recombinant"
    given_on: date
    given_here: bool
    source: str | None
    lot_number: str | None
    expires_on: date | None
    site: str | None
    route: str | None
    dose: str | None
    given_by_id: str | None
    given_by_name: str | None
    encounter_id: str | None
    note: str | None
    recorded_at: datetime  # UTC
    entered_in_error: EnteredInError | None

    @property
    def route_label(self) -> str | None:
        return ROUTES.get(self.route, self.route) if self.route else None

    @property
    def given_where(self) -> str:
        """ "Given here" or where it was reported from."""
        if self.given_here:
            return "Given here"
        return f"Reported: {self.source}" if self.source else "Reported from elsewhere"


@functools.cache
def default_cvx_catalog() -> CvxCatalog:
    """The installed CVX list, read once per process (it never changes while running)."""
    return CvxCatalog()


class ImmunizationService:
    def __init__(self, ctx: AppContext, catalog: CvxCatalog | None = None) -> None:
        self.ctx = ctx
        self._catalog = catalog

    @requires(Permission.VIEW_CHART)
    def vaccines(self, include_inactive: bool = False) -> list[Vaccine]:
        """CVX choices by name; inactive codes (past doses only) when asked. Not audited."""
        return self._codes.all() if include_inactive else self._codes.active()

    @requires(Permission.VIEW_CHART)
    def search_vaccines(
        self, text: str, limit: int = 25, include_inactive: bool = False
    ) -> list[Vaccine]:
        """CVX codes by code, words or trade name ("shingles", "Shingrix"). Not audited."""
        return self._codes.search(text, limit, include_inactive)

    @requires(Permission.EDIT_CHART)
    def record(self, patient_id: str, data: ImmunizationInput) -> ImmunizationView:
        vaccine = self._vaccine(data)
        lot = optional_text(data.lot_number, 40, "lot number")
        if data.given_here and lot is None:
            raise DomainError("Enter the lot number of the dose given here (it is on the vial).")
        if data.given_here and data.expires_on and data.given_on > data.expires_on:
            raise DomainError(
                f"Lot {lot} expired on {data.expires_on:%b %d, %Y}: an expired dose is not "
                "valid. Check the date or the lot."
            )
        route = optional_text(data.route, 20, "route")
        if route is not None and route.upper() not in ROUTES:
            raise DomainError("Choose the route from the list (IM, SC, ID, PO or NS).")
        values = {
            "source": None if data.given_here else optional_text(data.source, 200, "source"),
            "site": optional_text(data.site, 40, "site"),
            "route": route.upper() if route else None,
            "dose": optional_text(data.dose, 40, "dose"),
            "note": optional_text(data.note, MAX_NOTE, "note"),
        }
        with self.ctx.unit_of_work() as uow:
            patient = chart_patient(uow.session, patient_id)
            not_in_future(data.given_on, uow, "date given")
            if data.given_on < patient.date_of_birth:
                raise DomainError("A vaccine cannot be given before the patient was born.")
            immunization = Immunization(
                patient_id=patient_id,
                cvx_code=vaccine.code,
                vaccine=vaccine.short_description[:200],
                given_on=data.given_on,
                given_here=data.given_here,
                lot_number=lot,
                expires_on=data.expires_on,
                given_by_id=self._given_by(uow, data),
                encounter_id=chart_encounter(uow.session, data.encounter_id, patient_id),
                **values,
            )
            uow.session.add(immunization)
            record_write(uow, "create", CATEGORY, immunization)
            names = staff_names(uow.session, [immunization.given_by_id])
            return _view(immunization, names)

    @requires(Permission.EDIT_CHART)
    def mark_entered_in_error(
        self, immunization_id: str, reason: str, expected_version: int | None = None
    ) -> ImmunizationView:
        with self.ctx.unit_of_work() as uow:
            immunization = strike_fact(
                uow,
                Immunization,
                immunization_id,
                "immunization",
                reason,
                expected_version,
                CATEGORY,
            )
            names = staff_names(uow.session, [immunization.given_by_id, immunization.error_by_id])
            return _view(immunization, names)

    @requires(Permission.VIEW_CHART)
    def for_patient(self, patient_id: str) -> list[ImmunizationView]:
        """Newest dose first; doses entered in error last."""
        with self.ctx.unit_of_work() as uow:
            rows, names = read_chart_facts(uow, Immunization, patient_id, CATEGORY)
            names |= staff_names(uow.session, (r.given_by_id for r in rows))
            views = [_view(r, names) for r in rows]
        return sorted(views, key=lambda v: (v.in_error, -v.given_on.toordinal(), v.vaccine))

    # -- helpers ---------------------------------------------------------------------

    @property
    def _codes(self) -> CvxCatalog:
        if self._catalog is None:
            self._catalog = default_cvx_catalog()
        return self._catalog

    def _vaccine(self, data: ImmunizationInput) -> Vaccine:
        typed = data.cvx_code.strip()
        if not typed:
            raise DomainError("Choose the vaccine.")
        vaccine = self._codes.get(typed)
        if vaccine is None:
            raise DomainError(f"{typed} is not a CVX vaccine code; search for the vaccine.")
        if data.given_here and not vaccine.active:
            raise DomainError(
                f"CVX {vaccine.code} ({vaccine.short_description}) is only for recording past "
                "doses given elsewhere; choose the vaccine that was given."
            )
        return vaccine

    @staticmethod
    def _given_by(uow: UnitOfWork, data: ImmunizationInput) -> str | None:
        if not data.given_here:
            return None  # given by someone outside the practice
        if data.given_by_id is None:
            actor = uow.ctx.actor
            return actor.user_id if actor else None
        user = uow.session.get(User, data.given_by_id)
        if user is None or user.deleted_at is not None:
            raise NotFound("That staff member does not exist.")
        return user.id


def _view(immunization: Immunization, names: dict[str, str]) -> ImmunizationView:
    given_by = immunization.given_by_id
    return ImmunizationView(
        id=immunization.id,
        version=immunization.version,
        patient_id=immunization.patient_id,
        cvx_code=immunization.cvx_code,
        vaccine=immunization.vaccine,
        given_on=immunization.given_on,
        given_here=immunization.given_here,
        source=immunization.source,
        lot_number=immunization.lot_number,
        expires_on=immunization.expires_on,
        site=immunization.site,
        route=immunization.route,
        dose=immunization.dose,
        given_by_id=given_by,
        given_by_name=names.get(given_by) if given_by else None,
        encounter_id=immunization.encounter_id,
        note=immunization.note,
        recorded_at=immunization.created_at,
        entered_in_error=error_mark(immunization, names),
    )
