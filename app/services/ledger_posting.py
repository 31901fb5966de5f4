"""What the ledger and payment use cases share: posting entries on today's business day,
the open balance of a charge per responsibility, and a payment's unapplied credit."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from copy import copy
from datetime import date

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

from app.models import (
    Charge,
    ChargeStatus,
    Coverage,
    DailyClose,
    EntryKind,
    LedgerEntry,
    Responsibility,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import LedgerChanged
from app.services.chart_common import chart_patient
from app.services.context import UnitOfWork
from app.services.errors import DomainError, NotFound
from app.services.ledger_data import CATEGORY, MAX_REASON, EntryView, money
from app.services.patients import practice_today

SIDES = (Responsibility.PATIENT, Responsibility.INSURANCE)
SIDE_NAMES = {Responsibility.PATIENT: "the patient's", Responsibility.INSURANCE: "insurance's"}
REASON_CODE = re.compile(r"^[A-Z0-9]{1,10}$")
# Insertion order: breaks ties between entries posted at the same instant.
ROWID: ColumnClause[int] = literal_column("ledger_entry.rowid")


def reason_text(reason: str | None, what: str = "why") -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError(f"Say {what}: the reason stays on the ledger.")
    if len(text) > MAX_REASON:
        raise DomainError(f"Keep the reason under {MAX_REASON} characters.")
    return text


# An account belongs to a live, unmerged record: the chart's own check.
account_patient = chart_patient


class Posting:
    """Posts the entries of one use case on today's business day (refused once it is closed)."""

    def __init__(self, uow: UnitOfWork, patient_id: str) -> None:
        now = uow.ctx.clock.now()
        self.session = uow.session
        self.day = practice_today(self.session, now)
        closed = self.session.scalar(
            select(DailyClose.id).where(
                DailyClose.business_day == self.day, DailyClose.deleted_at.is_(None)
            )
        )
        if closed:
            raise DomainError(
                "Today's books are closed; nothing more can be posted until the next business day."
            )
        self.now = now
        self.patient_id = patient_id
        self.user_id = uow.ctx.actor.user_id if uow.ctx.actor else None
        self.entries: list[LedgerEntry] = []
        self.balances: ChargeBalances | None = None  # kept up to date as entries are posted

    def for_patient(self, patient_id: str) -> Posting:
        """A posting for another patient in the same use case: same day, time and person
        (today's books were checked once)."""
        other = copy(self)
        other.patient_id, other.entries = patient_id, []
        return other

    def post(
        self,
        kind: EntryKind,
        amount_cents: int,
        responsibility: Responsibility,
        *,
        charge: Charge | None = None,
        payment_id: str | None = None,
        reverses_id: str | None = None,
        reason: str | None = None,
        reason_code: str | None = None,
    ) -> LedgerEntry:
        entry = LedgerEntry(
            patient_id=self.patient_id,
            kind=kind,
            amount_cents=amount_cents,
            responsibility=responsibility,
            charge_id=charge.id if charge else None,
            payment_id=payment_id,
            reverses_id=reverses_id,
            reason=reason,
            reason_code=reason_code,
            business_day=self.day,
            posted_at=self.now,
            posted_by_id=self.user_id,
            provider_id=charge.rendering_provider_id if charge else None,
        )
        self.session.add(entry)
        self.entries.append(entry)
        if self.balances is not None:
            self.balances.add(entry)
        return entry

    def reversal(self, original: LedgerEntry, reason: str, charge: Charge | None) -> LedgerEntry:
        return self.post(
            EntryKind.REVERSAL,
            -original.amount_cents,
            original.responsibility,
            charge=charge,
            payment_id=original.payment_id,
            reverses_id=original.id,
            reason=reason,
        )

    def views(self) -> tuple[EntryView, ...]:
        self.session.flush()
        return tuple(entry_view(e) for e in self.entries)


def other_side(side: Responsibility) -> Responsibility:
    return SIDES[1] if side is SIDES[0] else SIDES[0]


def live_entries(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """The entries no reversal cancels (reversals themselves left out)."""
    entries = list(entries)
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    return [e for e in entries if e.kind is not EntryKind.REVERSAL and e.id not in reversed_ids]


def entry_view(entry: LedgerEntry) -> EntryView:
    return EntryView(
        id=entry.id,
        patient_id=entry.patient_id,
        kind=entry.kind,
        amount_cents=entry.amount_cents,
        responsibility=entry.responsibility,
        charge_id=entry.charge_id,
        payment_id=entry.payment_id,
        reverses_id=entry.reverses_id,
        reason=entry.reason,
        reason_code=entry.reason_code,
        business_day=entry.business_day,
        posted_at=entry.posted_at,
        posted_by_id=entry.posted_by_id,
        provider_id=entry.provider_id,
    )


def posted_charge(session: Session, charge_id: str, patient_id: str | None = None) -> Charge:
    """A charge on the ledger that can still take entries (of this patient, if given)."""
    charge = session.get(Charge, charge_id)
    if (
        charge is None
        or charge.deleted_at is not None
        or patient_id not in (None, charge.patient_id)
    ):
        raise NotFound("That charge is not on this patient's account.")
    if charge.status is ChargeStatus.PROPOSED:
        raise DomainError("This charge is not posted yet; post it to the ledger first.")
    if charge.status is ChargeStatus.VOIDED:
        raise DomainError("This charge was voided; it takes no more entries.")
    return charge


def side_balances(session: Session, charge_id: str) -> dict[Responsibility, int]:
    """What is still open on a charge, per responsibility (pending entries included)."""
    rows = session.execute(
        select(LedgerEntry.responsibility, func.sum(LedgerEntry.amount_cents))
        .where(LedgerEntry.charge_id == charge_id)
        .group_by(LedgerEntry.responsibility)
    )
    balances = dict.fromkeys(SIDES, 0)
    balances.update({side: int(total) for side, total in rows})
    return balances


ID_CHUNK = 500  # ids per IN (...): well under SQLite's bound-parameter limit


def id_chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    """The distinct ids, sorted, in lists of at most ID_CHUNK (for `column.in_(chunk)`)."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), ID_CHUNK):
        yield wanted[start : start + ID_CHUNK]


class ChargeBalances:
    """Open balances of many charges read in one query, then kept in step with the entries
    the use case posts through Postings that carry it: a bulk posting asks no query per line
    (and so can run without autoflush)."""

    def __init__(self, session: Session, charge_ids: Iterable[str]) -> None:
        self.session = session
        self.open: dict[str, dict[Responsibility, int]] = {}
        self.load(charge_ids)

    def load(self, charge_ids: Iterable[str]) -> None:
        for chunk in id_chunks(set(charge_ids) - set(self.open)):
            self.open.update({charge_id: dict.fromkeys(SIDES, 0) for charge_id in chunk})
            rows = self.session.execute(
                select(
                    LedgerEntry.charge_id,
                    LedgerEntry.responsibility,
                    func.sum(LedgerEntry.amount_cents),
                )
                .where(LedgerEntry.charge_id.in_(chunk))
                .group_by(LedgerEntry.charge_id, LedgerEntry.responsibility)
            )
            for charge_id, side, total in rows:
                self.open[str(charge_id)][side] = int(total)

    def of(self, charge_id: str) -> dict[Responsibility, int]:
        if charge_id not in self.open:
            self.session.flush()  # entries posted so far count (a caller may not autoflush)
            self.load([charge_id])
        return dict(self.open[charge_id])

    def add(self, entry: LedgerEntry) -> None:
        if entry.charge_id in self.open:
            self.open[entry.charge_id][entry.responsibility] += entry.amount_cents


def refuse_below_zero(session: Session, charge_ids: Iterable[str], doing: str) -> None:
    for charge_id in set(charge_ids):
        for side, cents in side_balances(session, charge_id).items():
            if cents < 0:
                raise DomainError(
                    f"{doing} would leave {SIDE_NAMES[side]} part of the charge at "
                    f"{money(cents)}. Reverse the payments or write-offs on it first."
                )


def open_charges(
    session: Session, patient_id: str, side: Responsibility
) -> list[tuple[Charge, int]]:
    """The patient's posted charges with an open balance on `side`, oldest service first."""
    open_cents = func.sum(LedgerEntry.amount_cents)
    rows = session.execute(
        select(LedgerEntry.charge_id, open_cents)
        .join(Charge, Charge.id == LedgerEntry.charge_id)
        .where(
            LedgerEntry.patient_id == patient_id,
            LedgerEntry.responsibility == side,
            Charge.status == ChargeStatus.POSTED,
        )
        .group_by(LedgerEntry.charge_id)
        .having(open_cents > 0)
        .order_by(func.min(Charge.service_on), func.min(ROWID))
    ).all()
    charges = {
        c.id: c for c in session.scalars(select(Charge).where(Charge.id.in_([r[0] for r in rows])))
    }
    return [(charges[str(charge_id)], int(cents)) for charge_id, cents in rows]


def payment_credits(session: Session, patient_id: str) -> dict[str, int]:
    """Unapplied credit per payment (positive cents), oldest payment first."""
    credit = -func.sum(LedgerEntry.amount_cents)
    rows = session.execute(
        select(LedgerEntry.payment_id, credit)
        .where(
            LedgerEntry.patient_id == patient_id,
            LedgerEntry.charge_id.is_(None),
            LedgerEntry.payment_id.is_not(None),
        )
        .group_by(LedgerEntry.payment_id)
        .order_by(func.min(ROWID))
    )
    return {str(payment_id): int(cents) for payment_id, cents in rows}


def charge_side(charge: Charge, session: Session) -> Responsibility:
    """Who the charge was first billed to (its CHARGE entry)."""
    side = session.scalar(
        select(LedgerEntry.responsibility)
        .where(LedgerEntry.charge_id == charge.id, LedgerEntry.kind == EntryKind.CHARGE)
        .order_by(ROWID)
        .limit(1)
    )
    return side or Responsibility.PATIENT


def insured_on(session: Session, patient_id: str, day: date) -> bool:
    coverage = session.scalar(
        select(Coverage.id)
        .where(
            Coverage.patient_id == patient_id,
            Coverage.deleted_at.is_(None),
            or_(Coverage.effective_on.is_(None), Coverage.effective_on <= day),
            or_(Coverage.terminated_on.is_(None), Coverage.terminated_on >= day),
        )
        .limit(1)
    )
    return coverage is not None


def record_write(uow: UnitOfWork, action: str, patient_id: str, entity_id: str) -> None:
    uow.audit(AuditEntry(action, CATEGORY, patient_id=patient_id, entity_id=entity_id))
    uow.notify(LedgerChanged((patient_id,)))
