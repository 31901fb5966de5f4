"""Payments at the desk: take one (applied to charges or kept as credit), apply credit,
refund credit, and the data of a printed receipt.

A patient's payment pays the patient's part of charges; an insurance payment (recorded with
its payer; the remittance import brings most of them) pays the insurance part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    Charge,
    EntryKind,
    LedgerEntry,
    Location,
    Patient,
    Payer,
    Payment,
    PaymentMethod,
    Practice,
    Responsibility,
    User,
)
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.ledger_data import (
    CATEGORY,
    CreditApplied,
    PaymentInput,
    PaymentView,
    ReceiptData,
    ReceiptLine,
    RefundView,
    money,
)
from app.services.ledger_posting import (
    SIDE_NAMES,
    SIDES,
    Posting,
    account_patient,
    live_entries,
    open_charges,
    other_side,
    payment_credits,
    posted_charge,
    reason_text,
    record_write,
    side_balances,
)
from app.services.numbering import next_number
from app.services.permissions import Permission

MAX_REFERENCE = 60
MAX_NOTE = 300
_CARD_LAST4 = re.compile(r"^\d{4}$")


def payment_side(method: PaymentMethod) -> Responsibility:
    return Responsibility.INSURANCE if method is PaymentMethod.INSURANCE else Responsibility.PATIENT


class PaymentService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.TAKE_PAYMENTS)
    def take_payment(self, patient_id: str, data: PaymentInput) -> PaymentView:
        reference, note = _checked(data)
        side = payment_side(data.method)
        actor = self.ctx.actor
        assert actor is not None  # @requires let a signed-in person through
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            account_patient(session, patient_id)
            _check_links(session, patient_id, data)
            posting = Posting(uow, patient_id)
            plan = _application_plan(session, patient_id, side, data)
            applied = sum(cents for _, cents in plan)
            if applied > data.amount_cents:
                raise DomainError(
                    f"You applied {money(applied)} to charges, but the payment is "
                    f"{money(data.amount_cents)}."
                )
            payment = Payment(
                patient_id=patient_id,
                method=data.method,
                amount_cents=data.amount_cents,
                received_on=posting.day,
                reference=reference,
                receipt_number=next_number(session, self.ctx.device_id, "receipt", kind="R"),
                payer_id=data.payer_id,
                appointment_id=data.appointment_id,
                received_by_id=actor.user_id,
                note=note,
            )
            session.add(payment)
            session.flush()
            for charge, cents in plan:
                posting.post(EntryKind.PAYMENT, -cents, side, charge=charge, payment_id=payment.id)
            if data.amount_cents > applied:
                posting.post(
                    EntryKind.PAYMENT, applied - data.amount_cents, side, payment_id=payment.id
                )
            posting.views()
            record_write(uow, "payment", patient_id, payment.id)
            return PaymentView(
                id=payment.id,
                patient_id=patient_id,
                receipt_number=payment.receipt_number,
                method=payment.method,
                amount_cents=payment.amount_cents,
                received_on=payment.received_on,
                reference=reference,
                applied=tuple((charge.id, cents) for charge, cents in plan),
                unapplied_cents=data.amount_cents - applied,
                appointment_id=data.appointment_id,
            )

    @requires(Permission.TAKE_PAYMENTS)
    def apply_credit(
        self, patient_id: str, applied: Sequence[tuple[str, int]] | None = None
    ) -> CreditApplied:
        """Put the account's unapplied credit on charges: on the open ones oldest first, or
        on the patient's part of the charges named in `applied` (charge id, cents). For each
        payment whose credit moves, one line takes the credit off and one per charge pays."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            account_patient(session, patient_id)
            credits = {pid: c for pid, c in payment_credits(session, patient_id).items() if c > 0}
            if not credits:
                raise DomainError("There is no unapplied credit on this account.")
            sides = {
                payment_id: payment_side(method)
                for payment_id, method in session.execute(
                    select(Payment.id, Payment.method).where(Payment.id.in_(credits))
                )
            }
            if applied is None:
                targets = {side: open_charges(session, patient_id, side) for side in SIDE_NAMES}
            else:
                targets = {
                    Responsibility.PATIENT: _requested(session, patient_id, SIDES[0], applied),
                    Responsibility.INSURANCE: [],
                }
                held = sum(c for pid, c in credits.items() if sides[pid] is SIDES[0])
                wanted = sum(cents for _, cents in targets[Responsibility.PATIENT])
                if wanted > held:
                    raise DomainError(
                        f"The account holds {money(held)} of the patient's credit; "
                        f"{money(wanted)} is more than that."
                    )
            posting = Posting(uow, patient_id)
            moves: list[tuple[str, int]] = []
            for payment_id, credit in credits.items():
                side = sides[payment_id]
                plan = _oldest_first(targets[side], credit)
                if plan:
                    moved = sum(cents for _, cents in plan)
                    posting.post(
                        EntryKind.PAYMENT,
                        moved,
                        side,
                        payment_id=payment_id,
                        reason="Credit applied to charges",
                    )
                for charge, cents in plan:
                    posting.post(
                        EntryKind.PAYMENT, -cents, side, charge=charge, payment_id=payment_id
                    )
                    moves.append((charge.id, cents))
            if not moves:
                raise DomainError("No charge on this account is open for this credit.")
            posting.views()
            remaining = sum(c for c in payment_credits(session, patient_id).values() if c > 0)
            record_write(uow, "apply_credit", patient_id, posting.entries[0].id)
            return CreditApplied(patient_id, tuple(moves), remaining)

    @requires(Permission.TAKE_PAYMENTS)
    def refund(self, payment_id: str, amount_cents: int, reason: str) -> RefundView:
        """Give back money of a payment that is on no charge (its unapplied credit)."""
        why = reason_text(reason)
        if amount_cents <= 0:
            raise DomainError("Enter the amount to refund (more than zero).")
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            payment = _payment(session, payment_id)
            credit = payment_credits(session, payment.patient_id).get(payment.id, 0)
            if amount_cents > credit:
                raise DomainError(
                    f"Only {money(max(credit, 0))} of this payment is unapplied credit; "
                    f"a refund of {money(amount_cents)} is more than that."
                )
            posting = Posting(uow, payment.patient_id)
            entry = posting.post(
                EntryKind.REFUND,
                amount_cents,
                payment_side(payment.method),
                payment_id=payment.id,
                reason=why,
            )
            posting.views()
            record_write(uow, "refund", payment.patient_id, payment.id)
            return RefundView(entry.id, payment.id, amount_cents, credit - amount_cents)

    @requires(Permission.VIEW_ACCOUNTS)
    def receipt(self, payment_id: str) -> ReceiptData:
        """The receipt as it reads now: the charges the payment pays, and what is left."""
        with self.ctx.unit_of_work() as uow:
            payment = _payment(uow.session, payment_id)
            data = _receipt_data(uow.session, payment)
            uow.audit(
                AuditEntry("read", CATEGORY, patient_id=payment.patient_id, entity_id=payment.id)
            )
            return data


def _receipt_data(session: Session, payment: Payment) -> ReceiptData:
    patient = session.get(Patient, payment.patient_id)
    receiver = session.get(User, payment.received_by_id)
    assert patient is not None and receiver is not None  # neither is ever hard-deleted
    entries = list(session.scalars(select(LedgerEntry).where(LedgerEntry.payment_id == payment.id)))
    live = live_entries(entries)
    paid: dict[str, int] = {}
    for entry in live:
        if entry.charge_id and entry.kind is EntryKind.PAYMENT:
            paid[entry.charge_id] = paid.get(entry.charge_id, 0) - entry.amount_cents
    lines = [
        ReceiptLine(c.service_on, c.procedure_code, c.description, paid[c.id])
        for c in session.scalars(select(Charge).where(Charge.id.in_(paid)))
        if paid[c.id]
    ]
    practice = session.execute(select(Practice.name, Practice.phone).limit(1)).one()
    balances = {
        side: int(cents)
        for side, cents in session.execute(
            select(LedgerEntry.responsibility, func.sum(LedgerEntry.amount_cents))
            .where(LedgerEntry.patient_id == payment.patient_id)
            .group_by(LedgerEntry.responsibility)
        )
    }
    return ReceiptData(
        practice_name=practice.name,
        practice_address=practice_address(session),
        practice_phone=practice.phone,
        receipt_number=payment.receipt_number,
        received_on=payment.received_on,
        patient_name=f"{patient.first_name} {patient.last_name}",
        mrn=patient.mrn,
        method=payment.method,
        reference=payment.reference,
        amount_cents=payment.amount_cents,
        lines=tuple(sorted(lines, key=lambda line: (line.service_on, line.procedure_code))),
        credit_cents=-sum(e.amount_cents for e in entries if not e.charge_id),
        refunded_cents=sum(e.amount_cents for e in live if e.kind is EntryKind.REFUND),
        received_by=receiver.display_name,
        patient_balance_cents=balances.get(Responsibility.PATIENT, 0),
        account_balance_cents=sum(balances.values()),
    )


def practice_address(session: Session) -> tuple[str, ...]:
    place = session.scalars(
        select(Location).where(Location.deleted_at.is_(None)).order_by(Location.created_at).limit(1)
    ).first()
    if place is None:
        return ()
    city_line = " ".join(
        part
        for part in (f"{place.city}," if place.city else None, place.state, place.postal_code)
        if part
    )
    return tuple(line for line in (place.address_line1, place.address_line2, city_line) if line)


def _payment(session: Session, payment_id: str) -> Payment:
    payment = session.get(Payment, payment_id)
    if payment is None or payment.deleted_at is not None:
        raise NotFound("That payment does not exist.")
    return payment


def _checked(data: PaymentInput) -> tuple[str | None, str | None]:
    """The payment's reference and note, tidied; refuses what a payment cannot be."""
    if data.amount_cents <= 0:
        raise DomainError("Enter the amount received (more than zero).")
    if data.method is PaymentMethod.INSURANCE and not data.payer_id:
        raise DomainError("An insurance payment names its payer (most come with the remittance).")
    if data.method is not PaymentMethod.INSURANCE and data.payer_id:
        raise DomainError("Only an insurance payment comes from a payer.")
    reference = " ".join((data.reference or "").split()) or None
    if reference and len(reference) > MAX_REFERENCE:
        raise DomainError(f"Keep the reference under {MAX_REFERENCE} characters.")
    if data.method is PaymentMethod.CHEQUE and not reference:
        raise DomainError("Enter the cheque number.")
    # Never keep a card number: only its last four digits identify the card on a receipt.
    if data.method is PaymentMethod.CARD and reference and not _CARD_LAST4.match(reference):
        raise DomainError("For a card, record only the last 4 digits of its number.")
    note = " ".join((data.note or "").split()) or None
    if note and len(note) > MAX_NOTE:
        raise DomainError(f"Keep the note under {MAX_NOTE} characters.")
    return reference, note


def _check_links(session: Session, patient_id: str, data: PaymentInput) -> None:
    if data.payer_id:
        payer = session.get(Payer, data.payer_id)
        if payer is None or payer.deleted_at is not None:
            raise DomainError("Choose the insurance company from the payer list.")
    if data.appointment_id:
        visit = session.get(Appointment, data.appointment_id)
        if visit is None or visit.deleted_at is not None or visit.patient_id != patient_id:
            raise DomainError("That appointment is not this patient's.")


def _application_plan(
    session: Session, patient_id: str, side: Responsibility, data: PaymentInput
) -> list[tuple[Charge, int]]:
    """Which charges the payment pays and how much of each."""
    if data.applied is None:
        return _oldest_first(open_charges(session, patient_id, side), data.amount_cents)
    return _requested(session, patient_id, side, data.applied)


def _requested(
    session: Session, patient_id: str, side: Responsibility, pairs: Sequence[tuple[str, int]]
) -> list[tuple[Charge, int]]:
    """The (charge, cents) asked for, checked against what is open on `side` of each."""
    wanted: dict[str, int] = {}
    for charge_id, cents in pairs:
        if cents <= 0:
            raise DomainError("Each amount applied to a charge must be more than zero.")
        wanted[charge_id] = wanted.get(charge_id, 0) + cents
    plan: list[tuple[Charge, int]] = []
    for charge_id, cents in wanted.items():
        charge = posted_charge(session, charge_id, patient_id)
        balances = side_balances(session, charge.id)
        if cents > balances[side]:
            if balances[side] <= 0 < balances[other_side(side)]:
                raise DomainError(
                    f"{SIDE_NAMES[other_side(side)].capitalize()} part of "
                    f"{charge.procedure_code} on {charge.service_on:%m/%d/%Y} is open, not "
                    f"{SIDE_NAMES[side]}; transfer it before applying this payment to it."
                )
            raise DomainError(
                f"{charge.procedure_code} on {charge.service_on:%m/%d/%Y} has "
                f"{money(max(balances[side], 0))} open; you cannot apply {money(cents)} to it."
            )
        plan.append((charge, cents))
    return plan


def _oldest_first(opens: list[tuple[Charge, int]], cents: int) -> list[tuple[Charge, int]]:
    """Spread `cents` over open charges, oldest first; `opens` is reduced by what is taken."""
    plan: list[tuple[Charge, int]] = []
    for index, (charge, open_cents) in enumerate(opens):
        if cents <= 0:
            break
        take = min(open_cents, cents)
        if take > 0:
            plan.append((charge, take))
            opens[index] = (charge, open_cents - take)
            cents -= take
    return plan
