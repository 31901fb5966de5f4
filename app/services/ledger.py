"""The patient ledger: post charges, adjust, write off, move responsibility, reverse.

Entries are never changed (the database refuses): every correction is a new entry, posted on
the practice's business day. Each charge keeps an open balance per responsibility (patient,
insurance); no use case may take either below zero, and unapplied payment credit never goes
below zero either, so the account always reads as charges owed less credit held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Charge,
    ChargeStatus,
    EntryKind,
    LedgerEntry,
    Patient,
    Payment,
    Responsibility,
)
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.ledger_data import (
    CATEGORY,
    MAX_REASON,
    AccountBalance,
    AccountLine,
    AccountView,
    ChargeBalance,
    EntryView,
    PaymentCredit,
    money,
)
from app.services.ledger_posting import (
    REASON_CODE,
    ROWID,
    SIDE_NAMES,
    SIDES,
    Posting,
    account_patient,
    charge_side,
    entry_view,
    insured_on,
    live_entries,
    other_side,
    payment_credits,
    posted_charge,
    reason_text,
    record_write,
    refuse_below_zero,
    side_balances,
)
from app.services.permissions import Permission


class LedgerService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_ACCOUNTS)
    def account(self, patient_id: str) -> AccountView:
        with self.ctx.unit_of_work() as uow:
            patient = uow.session.get(Patient, patient_id)
            if patient is None or patient.deleted_at is not None:
                raise NotFound("That patient record does not exist.")
            rows = uow.session.execute(_ACCOUNT_QUERY.where(LedgerEntry.patient_id == patient_id))
            view = _account_view(patient_id, rows.all())
            uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id))
            return view

    @requires(Permission.POST_CHARGES)
    def post_charge(self, charge_id: str) -> EntryView:
        """A proposed charge goes on the ledger, billed to insurance if the patient was
        covered on the date of service."""
        with self.ctx.unit_of_work() as uow:
            charge = uow.session.get(Charge, charge_id)
            if charge is None or charge.deleted_at is not None:
                raise NotFound("That charge does not exist.")
            if charge.status is not ChargeStatus.PROPOSED:
                raise DomainError(
                    "This charge is already on the ledger."
                    if charge.status is ChargeStatus.POSTED
                    else "This charge was turned down or voided; capture it again."
                )
            account_patient(uow.session, charge.patient_id)
            if charge.units < 1 or charge.amount_cents != charge.units * charge.unit_price_cents:
                raise DomainError("The charge's amount is not its units times its price.")
            if charge.amount_cents < 0:
                raise DomainError("A charge cannot be negative; post an adjustment instead.")
            _refuse_unconfirmed(charge)
            posting = Posting(uow, charge.patient_id)
            insured = insured_on(uow.session, charge.patient_id, charge.service_on)
            side = Responsibility.INSURANCE if insured else Responsibility.PATIENT
            entry = posting.post(EntryKind.CHARGE, charge.amount_cents, side, charge=charge)
            charge.status = ChargeStatus.POSTED
            uow.session.flush()
            record_write(uow, "post_charge", charge.patient_id, charge.id)
            return entry_view(entry)

    @requires(Permission.POST_CHARGES)
    def adjust(
        self,
        charge_id: str,
        amount_cents: int,
        reason: str,
        reason_code: str | None = None,
        *,
        responsibility: Responsibility | None = None,
    ) -> EntryView:
        """Raise (+) or lower (-) a charge; `responsibility` defaults to the side that holds
        its open balance (or the side it was billed to)."""
        why = reason_text(reason)
        code = (reason_code or "").strip().upper() or None
        if code and not REASON_CODE.match(code):
            raise DomainError("A reason code is up to 10 letters or digits, e.g. CARC 45 as 45.")
        if amount_cents == 0:
            raise DomainError("Enter the amount of the adjustment (+ raises, - lowers the charge).")
        return self._change_charge(
            charge_id, EntryKind.ADJUSTMENT, amount_cents, why, code, responsibility
        )

    @requires(Permission.POST_CHARGES)
    def write_off(
        self,
        charge_id: str,
        amount_cents: int,
        reason: str,
        *,
        responsibility: Responsibility | None = None,
    ) -> EntryView:
        why = reason_text(reason)
        if amount_cents <= 0:
            raise DomainError("Enter the amount to write off (more than zero).")
        return self._change_charge(
            charge_id, EntryKind.WRITE_OFF, -amount_cents, why, None, responsibility
        )

    @requires(Permission.POST_CHARGES)
    def transfer(
        self, charge_id: str, amount_cents: int, to: Responsibility, reason: str | None = None
    ) -> tuple[EntryView, EntryView]:
        """Move part of a charge's open balance to the patient or to insurance."""
        if amount_cents <= 0:
            raise DomainError("Enter the amount to move (more than zero).")
        why = reason_text(reason) if reason and reason.strip() else None
        source = other_side(to)
        with self.ctx.unit_of_work() as uow:
            charge = posted_charge(uow.session, charge_id)
            account_patient(uow.session, charge.patient_id)
            available = side_balances(uow.session, charge.id)[source]
            if amount_cents > available:
                raise DomainError(
                    f"Only {money(max(available, 0))} of this charge is {SIDE_NAMES[source]} "
                    f"to move; {money(amount_cents)} is more than that."
                )
            posting = Posting(uow, charge.patient_id)
            posting.post(EntryKind.TRANSFER, -amount_cents, source, charge=charge, reason=why)
            posting.post(EntryKind.TRANSFER, amount_cents, to, charge=charge, reason=why)
            moved_out, moved_in = posting.views()
            record_write(uow, "transfer", charge.patient_id, charge.id)
            return moved_out, moved_in

    @requires(Permission.POST_CHARGES)
    def reverse(self, entry_id: str, reason: str) -> tuple[EntryView, ...]:
        """Cancel a line with its exact opposite. Reversing a charge voids it: every live line
        on it is reversed, and payments on it go back to the account as credit. Reversing a
        payment on a charge returns that money to credit; reversing credit takes it off the
        account (e.g. a cheque that bounced). A transfer is reversed with its other half."""
        why = reason_text(reason)
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            entry = session.get(LedgerEntry, entry_id)
            if entry is None or entry.deleted_at is not None:
                raise NotFound("That ledger line does not exist.")
            if entry.kind is EntryKind.REVERSAL:
                raise DomainError("A reversal cannot be reversed; post the line again instead.")
            if session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry.id)):
                raise DomainError("This line was already reversed.")
            posting = Posting(uow, entry.patient_id)
            charge = session.get(Charge, entry.charge_id) if entry.charge_id else None
            if entry.kind is EntryKind.CHARGE and charge is not None:
                _void(posting, charge, why)
            elif entry.kind is EntryKind.TRANSFER:
                posting.reversal(entry, why, charge)
                posting.reversal(_other_half(session, entry), why, charge)
            elif entry.kind is EntryKind.PAYMENT and charge is not None:
                _return_to_credit(posting, entry, why, charge)
            elif entry.kind is EntryKind.PAYMENT and entry.amount_cents > 0:
                raise DomainError(
                    "This line moved credit onto charges; reverse the payment lines on those "
                    "charges to return it to credit."
                )
            else:
                posting.reversal(entry, why, charge)
            if charge is not None:
                refuse_below_zero(session, [charge.id], "Reversing this line")
            if (
                entry.payment_id
                and payment_credits(session, entry.patient_id).get(entry.payment_id, 0) < 0
            ):
                raise DomainError(
                    "Part of this credit was already applied to charges or refunded; "
                    "reverse those lines first."
                )
            views = posting.views()
            record_write(uow, "reverse", entry.patient_id, entry.id)
            return views

    # -- helpers ---------------------------------------------------------------------

    def _change_charge(
        self,
        charge_id: str,
        kind: EntryKind,
        amount_cents: int,
        reason: str,
        reason_code: str | None,
        requested: Responsibility | None,
    ) -> EntryView:
        with self.ctx.unit_of_work() as uow:
            charge = posted_charge(uow.session, charge_id)
            account_patient(uow.session, charge.patient_id)
            balances = side_balances(uow.session, charge.id)
            side = requested or _default_side(balances, charge_side(charge, uow.session))
            if -amount_cents > balances[side]:
                what = "write off" if kind is EntryKind.WRITE_OFF else "take off"
                raise DomainError(
                    f"{SIDE_NAMES[side].capitalize()} open balance on this charge is "
                    f"{money(balances[side])}; you cannot {what} {money(-amount_cents)}."
                )
            posting = Posting(uow, charge.patient_id)
            entry = posting.post(
                kind, amount_cents, side, charge=charge, reason=reason, reason_code=reason_code
            )
            uow.session.flush()
            record_write(uow, kind.value, charge.patient_id, charge.id)
            return entry_view(entry)

    @requires(Permission.VIEW_ACCOUNTS)
    def balance(self, patient_id: str) -> AccountBalance:
        """The account's totals in one small read (the patient banner shows them)."""
        with self.ctx.unit_of_work() as uow:
            patient = uow.session.get(Patient, patient_id)
            if patient is None or patient.deleted_at is not None:
                raise NotFound("That patient record does not exist.")
            # Payment lines on no charge are the credit the account holds.
            credit_line = LedgerEntry.charge_id.is_(None) & LedgerEntry.payment_id.is_not(None)
            rows = uow.session.execute(
                select(LedgerEntry.responsibility, credit_line, func.sum(LedgerEntry.amount_cents))
                .where(LedgerEntry.patient_id == patient_id)
                .group_by(LedgerEntry.responsibility, credit_line)
            )
            sides = dict.fromkeys(SIDES, 0)
            credit = 0
            for side, is_credit, cents in rows:
                sides[side] += int(cents)
                credit -= int(cents) if is_credit else 0
            uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id))
            return AccountBalance(
                sides[Responsibility.PATIENT], sides[Responsibility.INSURANCE], credit
            )


def _refuse_unconfirmed(charge: Charge) -> None:
    """Capture leaves a line it could not price at $0 and may leave it pointing nowhere;
    confirming prices it from the fee schedule and needs a diagnosis pointer."""
    line = f"{charge.procedure_code} on {charge.service_on:%m/%d/%Y}"
    if charge.unit_price_cents <= 0:
        raise DomainError(
            f"{line} has no price. Confirm it first: add {charge.procedure_code} to the fee "
            "schedule, then confirm the charge."
        )
    pointers, codes = charge.diagnosis_pointers or [], charge.diagnosis_codes or []
    if not pointers or not all(0 < pointer <= len(codes) for pointer in pointers):
        raise DomainError(
            f"{line} points to no diagnosis. Confirm it first: point it to at least one of "
            "the visit's diagnoses."
        )


def _default_side(balances: dict[Responsibility, int], billed_to: Responsibility) -> Responsibility:
    open_sides = [side for side in SIDES if balances[side] > 0]
    return open_sides[0] if len(open_sides) == 1 else billed_to


def _void(posting: Posting, charge: Charge, reason: str) -> None:
    on_charge = posting.session.scalars(
        select(LedgerEntry).where(LedgerEntry.charge_id == charge.id).order_by(ROWID)
    )
    for entry in reversed(live_entries(on_charge)):
        if entry.kind is EntryKind.PAYMENT:
            _return_to_credit(posting, entry, reason, charge)
        else:
            posting.reversal(entry, reason, charge)
    charge.status = ChargeStatus.VOIDED


def _return_to_credit(posting: Posting, entry: LedgerEntry, reason: str, charge: Charge) -> None:
    """Take a payment off a charge; the money stays on the account as that payment's credit."""
    posting.reversal(entry, reason, charge)
    posting.post(
        EntryKind.PAYMENT,
        entry.amount_cents,
        entry.responsibility,
        payment_id=entry.payment_id,
        reason=f"Returned to credit: {reason}"[:MAX_REASON],
    )


def _other_half(session: Session, entry: LedgerEntry) -> LedgerEntry:
    """The transfer line posted with `entry` (same charge and time, opposite side and sign)."""
    candidates = session.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.charge_id == entry.charge_id,
            LedgerEntry.kind == EntryKind.TRANSFER,
            LedgerEntry.posted_at == entry.posted_at,
            LedgerEntry.amount_cents == -entry.amount_cents,
            LedgerEntry.responsibility != entry.responsibility,
        )
        .order_by(ROWID)
    )
    reversed_ids = set(
        session.scalars(
            select(LedgerEntry.reverses_id).where(
                LedgerEntry.charge_id == entry.charge_id, LedgerEntry.reverses_id.is_not(None)
            )
        )
    )
    for candidate in candidates:
        if candidate.id not in reversed_ids:
            return candidate
    raise DomainError("The other half of this transfer is missing; it cannot be reversed.")


# The account in one indexed read: (patient_id, posted_at), insertion order for ties.
_ENTRY_FIELDS = [f.name for f in fields(EntryView)]
_ACCOUNT_QUERY = (
    select(
        *(getattr(LedgerEntry, name) for name in _ENTRY_FIELDS),
        Charge.procedure_code,
        Charge.description.label("charge_description"),
        Charge.service_on,
        Charge.status.label("charge_status"),
        Charge.amount_cents.label("charge_amount"),
        Payment.receipt_number,
        Payment.method,
        Payment.received_on,
    )
    .outerjoin(Charge, Charge.id == LedgerEntry.charge_id)
    .outerjoin(Payment, Payment.id == LedgerEntry.payment_id)
    .order_by(LedgerEntry.posted_at, ROWID)
)


def _account_view(patient_id: str, rows: Sequence[Any]) -> AccountView:
    """The account from its rows (in _ACCOUNT_QUERY's column order), in one pass."""
    width = len(_ENTRY_FIELDS)
    reversed_ids = {row.reverses_id for row in rows if row.reverses_id}
    lines: list[AccountLine] = []
    running = 0
    sides = dict.fromkeys(SIDES, 0)
    charge_open: dict[str, dict[Responsibility, int]] = {}
    charge_rows: dict[str, Any] = {}
    credit: dict[str, int] = {}
    credit_rows: dict[str, Any] = {}
    for row in rows:
        amount, side = row.amount_cents, row.responsibility
        running += amount
        sides[side] += amount
        if row.charge_id:
            if row.charge_id not in charge_open:
                charge_open[row.charge_id] = dict.fromkeys(SIDES, 0)
                charge_rows[row.charge_id] = row
            charge_open[row.charge_id][side] += amount
        elif row.payment_id:
            credit[row.payment_id] = credit.get(row.payment_id, 0) - amount
            credit_rows.setdefault(row.payment_id, row)
        lines.append(
            AccountLine(
                *row[:width],  # type: ignore[call-arg]  # EntryView's fields, in order
                running,
                row.id in reversed_ids,
                row.procedure_code,
                row.charge_description,
                row.service_on,
                row.receipt_number,
                row.method,
            )
        )
    charges = [
        ChargeBalance(
            charge_id,
            r.procedure_code,
            r.charge_description,
            r.service_on,
            r.charge_status,
            r.charge_amount,
            charge_open[charge_id][Responsibility.PATIENT],
            charge_open[charge_id][Responsibility.INSURANCE],
        )
        for charge_id, r in charge_rows.items()
    ]
    credits = tuple(
        PaymentCredit(pid, r.receipt_number, r.method, r.received_on, credit[pid])
        for pid, r in credit_rows.items()
        if credit[pid]
    )
    return AccountView(
        patient_id=patient_id,
        entries=tuple(lines),
        balance_cents=running,
        patient_cents=sides[Responsibility.PATIENT],
        insurance_cents=sides[Responsibility.INSURANCE],
        unapplied_credit_cents=sum(credit.values()),
        charges=tuple(sorted(charges, key=lambda c: c.service_on)),
        credits=credits,
    )
