"""Payers and patients' insurance coverages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.models import Coverage, Patient, PatientStatus, Payer, SubscriberRelationship
from app.services.audit_chain import AuditEntry
from app.services.bus import PatientsChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.patient_keys import normalise_phone
from app.services.patients import check_image, practice_today
from app.services.permissions import Permission


class KeepImage:
    """Marker: leave this side of the card as it is."""


KEEP = KeepImage()
PRIORITY_LABELS = {1: "Primary", 2: "Secondary", 3: "Tertiary"}
_MEMBER_ID = re.compile(r"^[A-Z0-9\-]{2,40}$")


@dataclass(frozen=True)
class PayerInput:
    name: str
    payer_code: str
    address_line1: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class PayerView:
    id: str
    name: str
    payer_code: str
    phone: str | None


@dataclass(frozen=True)
class CoverageInput:
    payer_id: str
    priority: int
    member_id: str
    relationship_to_subscriber: SubscriberRelationship = SubscriberRelationship.SELF
    group_number: str | None = None
    subscriber_first_name: str | None = None  # needed unless the patient is the subscriber
    subscriber_last_name: str | None = None
    subscriber_date_of_birth: date | None = None
    effective_on: date | None = None
    terminated_on: date | None = None
    copay_cents: int = 0


@dataclass(frozen=True)
class CoverageView:
    id: str
    version: int
    patient_id: str
    payer_id: str
    payer_name: str
    payer_code: str
    priority: int
    member_id: str
    group_number: str | None
    relationship_to_subscriber: SubscriberRelationship
    subscriber_first_name: str
    subscriber_last_name: str
    subscriber_date_of_birth: date | None
    effective_on: date | None
    terminated_on: date | None
    copay_cents: int
    has_card_front: bool
    has_card_back: bool

    @property
    def subscriber_name(self) -> str:
        return f"{self.subscriber_first_name} {self.subscriber_last_name}"

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS.get(self.priority, str(self.priority))


def _view(coverage: Coverage) -> CoverageView:
    return CoverageView(
        id=coverage.id,
        version=coverage.version,
        patient_id=coverage.patient_id,
        payer_id=coverage.payer_id,
        payer_name=coverage.payer.name,
        payer_code=coverage.payer.payer_code,
        priority=coverage.priority,
        member_id=coverage.member_id,
        group_number=coverage.group_number,
        relationship_to_subscriber=coverage.relationship_to_subscriber,
        subscriber_first_name=coverage.subscriber_first_name,
        subscriber_last_name=coverage.subscriber_last_name,
        subscriber_date_of_birth=coverage.subscriber_date_of_birth,
        effective_on=coverage.effective_on,
        terminated_on=coverage.terminated_on,
        copay_cents=coverage.copay_cents,
        has_card_front=coverage.card_front is not None,
        has_card_back=coverage.card_back is not None,
    )


class PayerService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_PATIENTS)
    def list_payers(self) -> list[PayerView]:
        with self.ctx.unit_of_work() as uow:
            payers = uow.session.scalars(
                select(Payer).where(Payer.deleted_at.is_(None)).order_by(Payer.name)
            )
            return [PayerView(p.id, p.name, p.payer_code, p.phone) for p in payers]

    @requires(Permission.MANAGE_PAYERS)
    def add_payer(self, data: PayerInput) -> PayerView:
        name, code = data.name.strip(), data.payer_code.strip().upper()
        if not name:
            raise DomainError("Enter the payer's name as it appears on the card.")
        if not re.fullmatch(r"[A-Z0-9]{2,15}", code):
            raise DomainError("The payer ID is 2 to 15 letters or digits (from the clearinghouse).")
        phone = normalise_phone(data.phone) if data.phone and data.phone.strip() else None
        with self.ctx.unit_of_work() as uow:
            clash = uow.session.scalar(
                select(Payer.name).where(Payer.payer_code == code, Payer.deleted_at.is_(None))
            )
            if clash:
                raise DomainError(f"Payer ID {code} already belongs to {clash}.")
            payer = Payer(
                name=name,
                payer_code=code,
                address_line1=data.address_line1,
                city=data.city,
                state=data.state,
                postal_code=data.postal_code,
                phone=phone,
            )
            uow.session.add(payer)
            uow.session.flush()
            uow.audit(AuditEntry("create", "payer", entity_id=payer.id))
            return PayerView(payer.id, payer.name, payer.payer_code, payer.phone)


class CoverageService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_PATIENTS)
    def coverages(self, patient_id: str, include_ended: bool = True) -> list[CoverageView]:
        with self.ctx.unit_of_work() as uow:
            rows = uow.session.scalars(
                select(Coverage)
                .where(Coverage.patient_id == patient_id, Coverage.deleted_at.is_(None))
                .order_by(Coverage.priority, Coverage.created_at)
            )
            views = [_view(c) for c in rows]
            uow.audit(AuditEntry("read", "insurance", patient_id=patient_id))
            today = practice_today(uow.session, self.ctx.clock.now())
        return [
            v for v in views if include_ended or not v.terminated_on or v.terminated_on >= today
        ]

    @requires(Permission.REGISTER_PATIENTS)
    def add(self, patient_id: str, data: CoverageInput) -> CoverageView:
        with self.ctx.unit_of_work() as uow:
            patient = uow.session.get(Patient, patient_id)
            if patient is None or patient.deleted_at is not None:
                raise NotFound("That patient record does not exist.")
            if patient.status is PatientStatus.MERGED:
                raise DomainError("This record was merged into another; open that one instead.")
            coverage = Coverage(patient_id=patient_id)
            self._apply(uow, coverage, patient, data)
            uow.session.add(coverage)
            uow.session.flush()
            uow.audit(
                AuditEntry("create", "insurance", patient_id=patient_id, entity_id=coverage.id)
            )
            uow.notify(PatientsChanged((patient_id,)))
            return _view(coverage)

    @requires(Permission.REGISTER_PATIENTS)
    def update(self, coverage_id: str, data: CoverageInput, expected_version: int) -> CoverageView:
        with self.ctx.unit_of_work() as uow:
            coverage = self._get(uow, coverage_id)
            if coverage.version != expected_version:
                raise ConcurrentChange("Someone else changed this coverage; reload it first.")
            self._apply(uow, coverage, coverage.patient, data)
            uow.session.flush()
            uow.audit(
                AuditEntry(
                    "update", "insurance", patient_id=coverage.patient_id, entity_id=coverage.id
                )
            )
            uow.notify(PatientsChanged((coverage.patient_id,)))
            return _view(coverage)

    @requires(Permission.REGISTER_PATIENTS)
    def remove(self, coverage_id: str) -> None:
        """Entered by mistake: tombstone it (an ended policy gets a termination date instead)."""
        with self.ctx.unit_of_work() as uow:
            coverage = self._get(uow, coverage_id)
            coverage.deleted_at = self.ctx.clock.now()
            uow.audit(
                AuditEntry(
                    "delete", "insurance", patient_id=coverage.patient_id, entity_id=coverage.id
                )
            )
            uow.notify(PatientsChanged((coverage.patient_id,)))

    @requires(Permission.REGISTER_PATIENTS)
    def set_card_images(
        self,
        coverage_id: str,
        front: bytes | KeepImage | None = KEEP,
        back: bytes | KeepImage | None = KEEP,
    ) -> None:
        """Replace (bytes), remove (None) or leave (KEEP) each side of the card."""
        with self.ctx.unit_of_work() as uow:
            coverage = self._get(uow, coverage_id)
            if not isinstance(front, KeepImage):
                coverage.card_front = check_image(front, "front of the card")
            if not isinstance(back, KeepImage):
                coverage.card_back = check_image(back, "back of the card")
            uow.notify(PatientsChanged((coverage.patient_id,)))
            uow.audit(
                AuditEntry(
                    "update",
                    "insurance_card",
                    patient_id=coverage.patient_id,
                    entity_id=coverage.id,
                )
            )

    @requires(Permission.VIEW_PATIENTS)
    def card_image(self, coverage_id: str, side: str) -> bytes | None:
        if side not in ("front", "back"):
            raise ValueError(side)
        with self.ctx.unit_of_work() as uow:
            coverage = self._get(uow, coverage_id)
            uow.audit(
                AuditEntry(
                    "read", "insurance_card", patient_id=coverage.patient_id, entity_id=coverage.id
                )
            )
            return coverage.card_front if side == "front" else coverage.card_back

    # -- helpers -----------------------------------------------------------------------

    def _get(self, uow: UnitOfWork, coverage_id: str) -> Coverage:
        coverage = uow.session.get(Coverage, coverage_id)
        if coverage is None or coverage.deleted_at is not None:
            raise NotFound("That coverage no longer exists.")
        return coverage

    def _apply(
        self, uow: UnitOfWork, coverage: Coverage, patient: Patient, data: CoverageInput
    ) -> None:
        payer = uow.session.get(Payer, data.payer_id)
        if payer is None or payer.deleted_at is not None:
            raise DomainError("Choose the insurance company from the payer list.")
        if data.priority not in PRIORITY_LABELS:
            raise DomainError("Priority is primary, secondary or tertiary.")
        member_id = re.sub(r"\s", "", data.member_id).upper()
        if not _MEMBER_ID.match(member_id):
            raise DomainError("The member ID is 2 to 40 letters, digits or dashes, as on the card.")
        if data.effective_on and data.terminated_on and data.terminated_on < data.effective_on:
            raise DomainError("The coverage cannot end before it starts.")
        if data.copay_cents < 0:
            raise DomainError("The copay cannot be negative.")
        self._check_priority_free(uow, coverage, patient.id, data)
        birth: date | None
        if data.relationship_to_subscriber is SubscriberRelationship.SELF:
            first, last, birth = patient.first_name, patient.last_name, patient.date_of_birth
        else:
            first = (data.subscriber_first_name or "").strip()
            last = (data.subscriber_last_name or "").strip()
            birth = data.subscriber_date_of_birth
            if not first or not last:
                raise DomainError("Enter the subscriber's name (the person who holds the policy).")
        coverage.payer_id = payer.id
        coverage.payer = payer
        coverage.priority = data.priority
        coverage.member_id = member_id
        coverage.group_number = (data.group_number or "").strip().upper() or None
        coverage.relationship_to_subscriber = data.relationship_to_subscriber
        coverage.subscriber_first_name = first
        coverage.subscriber_last_name = last
        coverage.subscriber_date_of_birth = birth
        coverage.effective_on = data.effective_on
        coverage.terminated_on = data.terminated_on
        coverage.copay_cents = data.copay_cents

    def _check_priority_free(
        self, uow: UnitOfWork, coverage: Coverage, patient_id: str, data: CoverageInput
    ) -> None:
        """Two coverages of one priority may not both be in force on any day from today on
        (an ended policy can still be recorded, and next month's plan entered today)."""
        priority = data.priority
        today = practice_today(uow.session, self.ctx.clock.now())
        others = uow.session.scalars(
            select(Coverage).where(
                Coverage.patient_id == patient_id,
                Coverage.priority == priority,
                Coverage.deleted_at.is_(None),
            )
        )
        for other in others:
            starts = max(today, data.effective_on or today, other.effective_on or today)
            ends = min(d for d in (data.terminated_on, other.terminated_on, date.max) if d)
            if other.id != coverage.id and starts <= ends:
                raise DomainError(
                    f"This patient already has an active {PRIORITY_LABELS[priority].lower()} "
                    f"coverage ({other.payer.name}). End it or choose another priority."
                )
