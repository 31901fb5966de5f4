"""Charge capture (the superbill): a signed visit's services become proposed charges
(app.services.charge_proposal says which), which the physician or biller confirms, changes
or discards before the ledger posts them (LedgerService.post_charge).
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, true
from sqlalchemy.orm import Session

from app.models import Charge, ChargeStatus, Encounter, EncounterStatus, EncounterType, Patient
from app.services import billing_data as rules
from app.services.audit_chain import AuditEntry
from app.services.billing_data import ChargeChanges, ChargeView, VisitToBill
from app.services.bus import ChargesChanged
from app.services.charge_proposal import (
    CATEGORY,
    billing_entry,
    charge_summary,
    propose_charges,
    set_price,
)
from app.services.chart_common import check_version
from app.services.chart_lists_data import default_icd10_catalog
from app.services.context import AppContext, UnitOfWork, requires
from app.services.encounters import load_encounter
from app.services.errors import DomainError, NotFound
from app.services.fee_schedule_file import billable_icd10
from app.services.fee_schedules import find_item, pricing_schedules
from app.services.note_records import practice_zone, staff_names
from app.services.permissions import Permission
from app.services.settings import billing_starts_on
from app.terminology.icd10cm import Icd10Catalog

MAX_LIST = 500


class ChargeCaptureService:
    def __init__(self, ctx: AppContext, icd10: Icd10Catalog | None = None) -> None:
        self.ctx = ctx
        self._icd10 = icd10

    @requires(Permission.POST_CHARGES)
    def capture(self, encounter_id: str) -> list[ChargeView]:
        """Propose the charges of a signed visit. Idempotent: a visit captured before gives
        back its charges as they are now (confirmed, posted or discarded), none added."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            encounter = load_encounter(session, encounter_id)
            if encounter.status is not EncounterStatus.SIGNED:
                raise DomainError(
                    "Charges come from signed visits: sign the visit note first."
                    if encounter.status is EncounterStatus.OPEN
                    else "This visit was entered in error; it has nothing to bill."
                )
            existing = _charges_of(session, encounter.id)
            if existing:
                uow.audit(
                    billing_entry("read", encounter.patient_id, encounter.id, "already captured")
                )
                return charge_views(session, existing)
            charges = propose_charges(uow, encounter)
            if not charges:
                uow.audit(
                    billing_entry("read", encounter.patient_id, encounter.id, "nothing to bill")
                )
            return charge_views(session, charges)

    @requires(Permission.POST_CHARGES)
    def confirm(
        self, charge_id: str, changes: ChargeChanges, expected_version: int | None = None
    ) -> ChargeView:
        """Change a proposed charge's code, modifiers, units or diagnosis pointers (and the
        visit's diagnoses, for all its proposed charges); the charge is priced again from
        the fee schedule and checked ready to post."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            charge = _proposed(session, charge_id)
            check_version(charge, expected_version, "charge")
            try:
                if changes.diagnosis_codes is not None:
                    self._set_visit_diagnoses(uow, charge, changes.diagnosis_codes)
                if changes.procedure_code is not None:
                    charge.code_system, charge.procedure_code = rules.procedure_code(
                        changes.procedure_code
                    )
                if changes.modifiers is not None:
                    charge.modifiers = rules.modifiers(changes.modifiers)
                if changes.units is not None:
                    charge.units = rules.units(changes.units)
                if changes.diagnosis_pointers is not None:
                    charge.diagnosis_pointers = rules.pointers(
                        changes.diagnosis_pointers, len(charge.diagnosis_codes)
                    )
            except ValueError as err:
                raise DomainError(str(err)[:1].upper() + str(err)[1:] + ".") from None
            if not charge.diagnosis_pointers:
                raise DomainError("Point the charge to at least one of the visit's diagnoses.")
            schedules = pricing_schedules(session, charge.patient_id, charge.service_on)
            item = find_item(session, schedules, charge.procedure_code)
            if item is None:
                names = " or ".join(s.name for s in schedules)
                raise DomainError(
                    f"{charge.procedure_code} has no price in the {names} fee schedule; "
                    "add it there first."
                )
            set_price(charge, item.id, item.description, item.price_cents)
            session.flush()
            uow.audit(
                billing_entry(
                    "update", charge.patient_id, charge.id, f"confirmed {charge_summary(charge)}"
                )
            )
            uow.notify(ChargesChanged((charge.patient_id,)))
            return charge_views(session, [charge])[0]

    @requires(Permission.POST_CHARGES)
    def discard(self, charge_id: str, reason: str) -> ChargeView:
        """Turn a proposed charge down (it stays, voided, with the reason in the audit log)."""
        why = " ".join(reason.split())
        if not why:
            raise DomainError("Say why this charge is discarded.")
        with self.ctx.unit_of_work() as uow:
            charge = _proposed(uow.session, charge_id)
            charge.status = ChargeStatus.VOIDED
            uow.session.flush()
            detail = f"discarded {charge.procedure_code}: {why[:300]}"
            uow.audit(billing_entry("void", charge.patient_id, charge.id, detail))
            uow.notify(ChargesChanged((charge.patient_id,)))
            return charge_views(uow.session, [charge])[0]

    @requires(Permission.VIEW_ACCOUNTS)
    def for_encounter(self, encounter_id: str) -> list[ChargeView]:
        """A visit's charges in every state, in the order they were proposed."""
        with self.ctx.unit_of_work() as uow:
            encounter = load_encounter(uow.session, encounter_id)
            uow.audit(billing_entry("read", encounter.patient_id, encounter.id, "visit charges"))
            return charge_views(uow.session, _charges_of(uow.session, encounter.id))

    @requires(Permission.POST_CHARGES)
    def proposed(self, limit: int = MAX_LIST) -> list[ChargeView]:
        """Charges waiting for confirmation, oldest date of service first."""
        with self.ctx.unit_of_work() as uow:
            rows = list(
                uow.session.scalars(
                    select(Charge)
                    .where(Charge.status == ChargeStatus.PROPOSED, Charge.deleted_at.is_(None))
                    .order_by(Charge.service_on, Charge.patient_id, Charge.created_at)
                    .limit(max(1, min(limit, MAX_LIST)))
                )
            )
            _audit_patients(uow, {c.patient_id for c in rows}, "proposed charges")
            return charge_views(uow.session, rows)

    @requires(Permission.POST_CHARGES)
    def visits_to_bill(self, limit: int = MAX_LIST) -> list[VisitToBill]:
        """Signed visits with no charges captured yet, oldest first (phone calls left out,
        and visits before the practice's "bill visits from" day: its previous system's)."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            has_charges = exists().where(
                Charge.encounter_id == Encounter.id, Charge.deleted_at.is_(None)
            )
            zone = ZoneInfo(practice_zone(session))
            first_day = billing_starts_on(session)
            billed_here = (
                Encounter.starts_at >= datetime.combine(first_day, time(), zone)
                if first_day
                else true()
            )
            rows = session.execute(
                select(Encounter, Patient.last_name, Patient.first_name, Patient.mrn)
                .join(Patient, Patient.id == Encounter.patient_id)
                .where(
                    Encounter.status == EncounterStatus.SIGNED,
                    Encounter.type != EncounterType.PHONE,
                    Encounter.nothing_to_bill.is_(False),
                    Encounter.deleted_at.is_(None),
                    billed_here,
                    ~has_charges,
                )
                .order_by(Encounter.starts_at, Encounter.id)
                .limit(max(1, min(limit, MAX_LIST)))
            ).all()
            providers = staff_names(session, [r[0].provider_id for r in rows])
            _audit_patients(uow, {r[0].patient_id for r in rows}, "visits to bill")
            return [
                VisitToBill(
                    e.id,
                    e.patient_id,
                    f"{last}, {first}",
                    mrn,
                    e.type,
                    e.starts_at.astimezone(zone).date(),
                    providers.get(e.provider_id, "?"),
                )
                for e, last, first, mrn in rows
            ]

    def _set_visit_diagnoses(self, uow: UnitOfWork, charge: Charge, typed: tuple[str, ...]) -> None:
        """Replace the diagnosis list of the charge and of its visit's other proposed charges
        (one list per claim); their pointers follow the codes they pointed to."""
        catalog = self._icd10 or default_icd10_catalog()
        codes = list(dict.fromkeys(billable_icd10(catalog, code) for code in typed))
        if not codes or len(codes) > rules.MAX_DIAGNOSES:
            raise ValueError(f"a visit has 1 to {rules.MAX_DIAGNOSES} diagnoses")
        siblings = _charges_of(uow.session, charge.encounter_id) if charge.encounter_id else []
        if any(c.status is ChargeStatus.POSTED for c in siblings):
            raise DomainError(
                "A charge of this visit is already posted; its diagnoses can no longer change."
            )
        for row in [charge, *(c for c in siblings if c.id != charge.id)]:
            if row.status is not ChargeStatus.PROPOSED:
                continue
            old = list(row.diagnosis_codes or ())
            pointed = [old[p - 1] for p in row.diagnosis_pointers or () if 0 < p <= len(old)]
            row.diagnosis_codes = codes
            row.diagnosis_pointers = [codes.index(c) + 1 for c in pointed if c in codes]
            if row is not charge:
                detail = f"diagnoses changed with charge {charge.id}"
                uow.audit(billing_entry("update", row.patient_id, row.id, detail))


# -- helpers (inside a unit of work) -------------------------------------------------------


def charge_views(session: Session, rows: list[Charge]) -> list[ChargeView]:
    names = staff_names(session, [c.rendering_provider_id for c in rows])
    patients = {
        patient_id: f"{last}, {first}"
        for patient_id, last, first in session.execute(
            select(Patient.id, Patient.last_name, Patient.first_name).where(
                Patient.id.in_({c.patient_id for c in rows})
            )
        )
    }
    return [
        ChargeView(
            id=c.id,
            version=c.version,
            patient_id=c.patient_id,
            encounter_id=c.encounter_id,
            code_system=c.code_system,
            procedure_code=c.procedure_code,
            description=c.description,
            modifiers=tuple(c.modifiers or ()),
            units=c.units,
            diagnosis_codes=tuple(c.diagnosis_codes or ()),
            diagnosis_pointers=tuple(c.diagnosis_pointers or ()),
            place_of_service=c.place_of_service,
            rendering_provider_id=c.rendering_provider_id,
            rendering_provider_name=names.get(c.rendering_provider_id, "?"),
            service_on=c.service_on,
            unit_price_cents=c.unit_price_cents,
            amount_cents=c.amount_cents,
            fee_schedule_item_id=c.fee_schedule_item_id,
            status=c.status,
            suggestion_reason=c.suggestion_reason,
            patient_name=patients.get(c.patient_id, "?"),
        )
        for c in rows
    ]


def _charges_of(session: Session, encounter_id: str) -> list[Charge]:
    return list(
        session.scalars(
            select(Charge)
            .where(Charge.encounter_id == encounter_id, Charge.deleted_at.is_(None))
            .order_by(Charge.created_at, Charge.id)
        )
    )


def _proposed(session: Session, charge_id: str) -> Charge:
    charge = session.get(Charge, charge_id)
    if charge is None or charge.deleted_at is not None:
        raise NotFound("That charge does not exist.")
    if charge.status is ChargeStatus.POSTED:
        raise DomainError("This charge is posted; correct it on the ledger with a reversal.")
    if charge.status is ChargeStatus.VOIDED:
        raise DomainError("This charge was discarded; it can no longer change.")
    return charge


def _audit_patients(uow: UnitOfWork, patient_ids: set[str], detail: str) -> None:
    for patient_id in sorted(patient_ids):
        uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail=detail))
    if not patient_ids:
        uow.audit(AuditEntry("read", CATEGORY, detail=f"{detail}: none"))
