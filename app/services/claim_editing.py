"""Changing a line of a draft claim (the claim editor): a missing modifier, the wrong units
or code, a diagnosis pointer. A claim line bills a posted charge, and the ledger never
edits a posted charge: the old charge is reversed ("Corrected on claim C-…") and a new one
with the change is posted, priced again from the fee schedule, all in one transaction; the
claim line then bills the new charge and the claim's total follows.

Only a draft claim changes (an original being fixed, or a corrected claim, frequency 7,
before it is sent): what the payer already holds is changed with a corrected claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Charge,
    ChargeStatus,
    Claim,
    ClaimLine,
    ClaimStatus,
    EntryKind,
    LedgerEntry,
    Patient,
    Payer,
)
from app.services import billing_data as rules
from app.services.audit_chain import AuditEntry
from app.services.bus import ChargesChanged
from app.services.charge_proposal import charge_summary, set_price
from app.services.chart_lists_data import default_icd10_catalog
from app.services.claim_building import claim_lines
from app.services.claim_data import CATEGORY, STATUS_LABELS
from app.services.claims_lifecycle import LIVE, record
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.fee_schedules import find_item, pricing_schedules
from app.services.ledger_data import money
from app.services.ledger_posting import ROWID, Posting, live_entries, record_write
from app.services.permissions import Permission
from app.terminology.code_sets import CodeSetUnavailable
from app.terminology.icd10cm import Icd10Catalog, compact_code

S = ClaimStatus


@dataclass(frozen=True)
class LineChange:
    """The line as the biller wants it. Pointers are positions (1-based) in the claim's
    diagnoses as `ClaimLineForm.diagnoses` lists them."""

    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    diagnosis_pointers: tuple[int, ...]


@dataclass(frozen=True)
class DiagnosisChoice:
    code: str  # as charted, with its dot: "E11.9"
    description: str  # "" when the code set is not at hand


@dataclass(frozen=True)
class ClaimLineForm:
    """What the line editor shows: the line, the claim's diagnoses to point to, and whether
    the claim may change now (`locked_reason` says why not, in words)."""

    claim_id: str
    control_number: str
    status: ClaimStatus
    frequency_code: str
    patient_name: str
    payer_name: str
    line_number: int
    procedure_code: str
    description: str
    modifiers: tuple[str, ...]
    units: int
    unit_price_cents: int
    charge_cents: int
    service_on: date
    diagnoses: tuple[DiagnosisChoice, ...]
    pointers: tuple[int, ...]  # into `diagnoses`
    locked_reason: str | None


@dataclass(frozen=True)
class LineChanged:
    claim_id: str
    line_number: int
    old_charge_id: str
    new_charge_id: str
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge_cents: int
    claim_total_cents: int


class ClaimEditService:
    def __init__(self, ctx: AppContext, icd10: Icd10Catalog | None = None) -> None:
        self.ctx = ctx
        self._icd10 = icd10

    @requires(Permission.MANAGE_CLAIMS)
    def line(self, claim_id: str, line_number: int) -> ClaimLineForm:
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            claim = _claim(session, claim_id)
            line, charge = _line(session, claim, line_number)
            codes = claim_diagnoses(session, claim)
            uow.audit(
                AuditEntry(
                    "read",
                    CATEGORY,
                    patient_id=claim.patient_id,
                    entity_id=claim.id,
                    detail=f"claim line {line_number}",
                )
            )
            patient = session.get(Patient, claim.patient_id)
            payer = session.get(Payer, claim.payer_id)
            return ClaimLineForm(
                claim_id=claim.id,
                control_number=claim.control_number,
                status=claim.status,
                frequency_code=claim.frequency_code,
                patient_name=f"{patient.last_name}, {patient.first_name}" if patient else "",
                payer_name=payer.name if payer else "",
                line_number=line.line_number,
                procedure_code=charge.procedure_code,
                description=charge.description,
                modifiers=tuple(charge.modifiers or ()),
                units=line.units,
                unit_price_cents=charge.unit_price_cents,
                charge_cents=line.charge_cents,
                service_on=charge.service_on,
                diagnoses=tuple(DiagnosisChoice(c, self._describe(c)) for c in codes),
                pointers=tuple(_pointers_into(charge, codes)),
                locked_reason=_locked_reason(claim),
            )

    @requires(Permission.MANAGE_CLAIMS)
    def change_line(self, claim_id: str, line_number: int, change: LineChange) -> LineChanged:
        """Bill the line as `change` says: the old charge is reversed and a new one posted
        (repriced from the fee schedule); refused in words, with nothing changed, when the
        claim is not a draft, the change is not valid or there is nothing to change."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            claim = _claim(session, claim_id)
            reason = _locked_reason(claim)
            if reason:
                raise DomainError(reason)
            line, old = _line(session, claim, line_number)
            codes = claim_diagnoses(session, claim)
            new = _changed_charge(old, change, codes)
            if _same(old, new):
                raise DomainError(f"Line {line_number} already reads like that; nothing changed.")
            _price(session, old, new)
            charge_entry = _only_the_charge_entry(session, claim, old, line_number)
            _refuse_other_claims(session, claim, old)

            why = f"Corrected on claim {claim.control_number}"
            posting = Posting(uow, old.patient_id)  # refused once today's books are closed
            posting.reversal(charge_entry, why, old)
            old.status = ChargeStatus.VOIDED
            new.suggestion_reason = f"{why} (was {charge_summary(old)})"[:500]
            session.add(new)
            session.flush()
            posting.post(
                EntryKind.CHARGE, new.amount_cents, charge_entry.responsibility, charge=new
            )

            before = _line_text(old, line.charge_cents)
            line.charge_id, line.control = new.id, new.id  # REF*6R names the charge it bills
            line.charge_cents, line.units = new.amount_cents, new.units
            session.flush()
            claim.total_cents = sum(x.charge_cents for x in claim_lines(session, claim.id))
            note = f"Line {line_number} changed: {before} → {_line_text(new, new.amount_cents)}"
            record(uow, claim, claim.status, note, from_status=claim.status)
            record_write(uow, "correct_charge", old.patient_id, new.id)
            uow.notify(ChargesChanged((old.patient_id,)))
            session.flush()
            return LineChanged(
                claim_id=claim.id,
                line_number=line_number,
                old_charge_id=old.id,
                new_charge_id=new.id,
                procedure_code=new.procedure_code,
                modifiers=tuple(new.modifiers),
                units=new.units,
                charge_cents=new.amount_cents,
                claim_total_cents=claim.total_cents,
            )

    def _describe(self, code: str) -> str:
        try:
            catalog = self._icd10 or default_icd10_catalog()
        except CodeSetUnavailable:
            return ""  # the codes still show; their titles come back with the code set
        found = catalog.get(code)
        return found.description if found else ""


# -- inside a unit of work -----------------------------------------------------------------


def claim_diagnoses(session: Session, claim: Claim) -> list[str]:
    """Every diagnosis the claim's charges carry, in line order, each once (by code, so
    "E11.9" and "E119" are one): what a line of this claim may point to."""
    charge_ids = [x.charge_id for x in claim_lines(session, claim.id)]
    charges = {c.id: c for c in session.scalars(select(Charge).where(Charge.id.in_(charge_ids)))}
    codes: dict[str, str] = {}
    for charge_id in charge_ids:
        for code in charges[charge_id].diagnosis_codes or ():
            codes.setdefault(compact_code(code), code)
    return list(codes.values())


def _claim(session: Session, claim_id: str) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None or claim.deleted_at is not None:
        raise NotFound("That claim does not exist.")
    return claim


def _line(session: Session, claim: Claim, line_number: int) -> tuple[ClaimLine, Charge]:
    line = next((x for x in claim_lines(session, claim.id) if x.line_number == line_number), None)
    charge = session.get(Charge, line.charge_id) if line else None
    if line is None or charge is None:
        raise NotFound(f"Claim {claim.control_number} has no line {line_number}.")
    return line, charge


def _locked_reason(claim: Claim) -> str | None:
    """Why the claim's lines cannot change now, in words the biller can act on."""
    if claim.status is S.DRAFT:
        return None
    where = f"Claim {claim.control_number} is {STATUS_LABELS[claim.status].lower()}"
    if claim.status in (S.READY, S.REJECTED):
        return f"{where}; return it to draft to change its lines."
    if claim.status in (S.ACCEPTED, S.PAID, S.PARTIALLY_PAID, S.DENIED):
        return (
            f"{where}; the payer has it as sent. Make a corrected claim and change the line there."
        )
    return f"{where}; only a draft claim's lines can change."


def _pointers_into(charge: Charge, codes: list[str]) -> list[int]:
    """The charge's pointers renumbered into the claim's diagnoses."""
    own = list(charge.diagnosis_codes or ())
    positions = [compact_code(c) for c in codes]
    pointed = [
        compact_code(own[p - 1]) for p in charge.diagnosis_pointers or () if 0 < p <= len(own)
    ]
    return [positions.index(c) + 1 for c in pointed if c in positions]


def _changed_charge(old: Charge, change: LineChange, codes: list[str]) -> Charge:
    """A new (not yet added) charge: the old one with the change, checked the way charge
    capture checks a charge; ValueError messages become the biller's DomainError."""
    try:
        system, code = rules.procedure_code(change.procedure_code)
        modifiers = rules.modifiers(change.modifiers)
        units = rules.units(change.units)
        pointers = rules.pointers(change.diagnosis_pointers, len(codes))
    except ValueError as err:
        raise DomainError(str(err)[:1].upper() + str(err)[1:] + ".") from None
    return Charge(
        patient_id=old.patient_id,
        encounter_id=old.encounter_id,
        code_system=system,
        procedure_code=code,
        modifiers=modifiers,
        units=units,
        diagnosis_codes=list(codes),
        diagnosis_pointers=pointers,
        place_of_service=old.place_of_service,
        rendering_provider_id=old.rendering_provider_id,
        service_on=old.service_on,
        status=ChargeStatus.POSTED,
    )


def _same(old: Charge, new: Charge) -> bool:
    def pointed(charge: Charge) -> list[str]:
        own = list(charge.diagnosis_codes or ())
        return [compact_code(own[p - 1]) for p in charge.diagnosis_pointers if 0 < p <= len(own)]

    return (old.procedure_code, list(old.modifiers or ()), old.units, pointed(old)) == (
        new.procedure_code,
        list(new.modifiers),
        new.units,
        pointed(new),
    )


def _price(session: Session, old: Charge, new: Charge) -> None:
    """Price the new charge from the fee schedule, as confirming a charge does. The same
    service keeps its old price when the schedule has none for it (a charge entered by hand)."""
    schedules = pricing_schedules(session, new.patient_id, new.service_on)
    item = find_item(session, schedules, new.procedure_code)
    if item is not None:
        set_price(new, item.id, item.description, item.price_cents)
    elif new.procedure_code == old.procedure_code and old.unit_price_cents > 0:
        set_price(new, old.fee_schedule_item_id, old.description, old.unit_price_cents)
    else:
        names = " or ".join(s.name for s in schedules)
        raise DomainError(
            f"{new.procedure_code} has no price in the {names} fee schedule; add it there first."
        )


def _only_the_charge_entry(
    session: Session, claim: Claim, charge: Charge, line_number: int
) -> LedgerEntry:
    """The charge's CHARGE entry, when nothing else stands on the charge: payments,
    adjustments or moves on it would have to be undone by hand first (the biller decides
    where that money goes, not this screen)."""
    if charge.status is not ChargeStatus.POSTED:
        raise DomainError(
            f"Line {line_number}'s charge is {charge.status.value}; it cannot be corrected here."
        )
    on_charge = session.scalars(
        select(LedgerEntry).where(LedgerEntry.charge_id == charge.id).order_by(ROWID)
    )
    standing = live_entries(on_charge)
    if len(standing) != 1 or standing[0].kind is not EntryKind.CHARGE:
        raise DomainError(
            f"Line {line_number}'s charge already has payments, adjustments or moves on the "
            "patient's account. Reverse them there first, then change the line."
        )
    return standing[0]


def _refuse_other_claims(session: Session, claim: Claim, charge: Charge) -> None:
    """A charge billed on another live claim (another payer's) cannot be swapped under it."""
    other = session.scalar(
        select(Claim.control_number)
        .join(ClaimLine, ClaimLine.claim_id == Claim.id)
        .where(
            ClaimLine.charge_id == charge.id,
            ClaimLine.deleted_at.is_(None),
            Claim.id != claim.id,
            Claim.deleted_at.is_(None),
            Claim.status.in_(LIVE),
        )
        .limit(1)
    )
    if other:
        raise DomainError(
            f"This charge is also billed on claim {other}; settle that claim before changing it."
        )


def _line_text(charge: Charge, cents: int) -> str:
    """ "99213-25 ×1 $135.00" for the claim's history."""
    modifiers = "-".join(charge.modifiers or ())
    code = f"{charge.procedure_code}-{modifiers}" if modifiers else charge.procedure_code
    return f"{code} ×{charge.units} {money(cents)}"
