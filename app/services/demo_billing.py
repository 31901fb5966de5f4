"""Demo billing: the demo's signed visits become money the way a practice's would. Charge
capture proposes each visit's lines (the real `propose_charges`); the lines that priced and
point to a diagnosis are posted the day after the visit (today's stay proposed, for the
biller to confirm) and billed on a claim (demo_claim_history); payers pay most insured
visits two to four weeks later with a contractual adjustment and leave the patient a
share; patients pay most of what they owe, some in part, some not yet, so balances sit in
every aging bucket; copays are taken at check-in for today's arrivals; and the biller
sends statements to the accounts that owe.

Every signed visit from BILLING_MONTHS ago is billed (past 120 days, so every aging bucket
fills; more would make the demo slow), and the practice's "bill visits from" setting is
that day: older visits count as billed in the practice's previous system, and the biller's
"visits to bill" starts empty. The ledger lines are written in
one unit of work with their own business days (a service would post them all today).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    AppointmentStatus,
    Charge,
    ChargeStatus,
    Claim,
    Coverage,
    Encounter,
    EncounterStatus,
    EncounterType,
    EntryKind,
    LedgerEntry,
    Payer,
    Payment,
    PaymentMethod,
    Responsibility,
    Role,
    Statement,
    User,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import LedgerChanged
from app.services.charge_proposal import ChargeProposer
from app.services.claim_building import primary_coverage
from app.services.context import AppContext, UnitOfWork
from app.services.demo_claim_history import ClaimHistory, era_reason
from app.services.note_records import practice_zone
from app.services.numbering import next_number
from app.services.patients import practice_today
from app.services.settings import BILLING_STARTS_ON, store_setting
from app.services.statements import StatementService

BILLING_MONTHS = 5  # visits from this long ago are billed here (the module's note)
STATEMENT_MINIMUM = 1_000  # statements go to accounts owing $10.00 or more
STATEMENT_MESSAGE = "Thank you for choosing Riverside. Call us to set up a payment plan."
DEFAULT_COPAY = 2_500
PAYER_DAYS = (14, 28)  # a payer pays this many days after the visit
PATIENT_DAYS = (20, 50)  # a patient pays this many days after the payer (or the visit)
PAYER_PAYS = 0.9  # share of insured visits paid by now (the rest still pending)
ALLOWED = (0.6, 0.85)  # what the payer allows of the charge (the rest is adjusted off)
PATIENT_SHARES = (0, 0, 0.1, 0.2)  # the patient's coinsurance of the allowed amount
PAYS_IN_FULL, PAYS_HALF = 0.6, 0.15  # what patients do with what they owe
BUNDLED = 0.05  # paid visits of several lines where the payer bundles one (CO-97)
BATCH = 500  # visits whose charts are read together
R = Responsibility


@dataclass(frozen=True)
class DemoBillingCounts:
    visits: int
    charges_posted: int
    charges_proposed: int
    payments: int
    statements: int


class _Books:
    """Ledger lines and payments of the demo, each on its own business day."""

    def __init__(self, uow: UnitOfWork, rng: random.Random) -> None:
        self.uow, self.session, self.rng = uow, uow.session, rng
        self.zone = ZoneInfo(practice_zone(self.session))
        self.today = practice_today(self.session, uow.ctx.clock.now())
        self.biller = uow.ctx.actor.user_id if uow.ctx.actor else None
        desk = self.session.scalar(select(User.id).where(User.role == Role.RECEPTIONIST))
        self.desk = desk or self.biller
        self.payments = 0
        self.claims = ClaimHistory(
            self.session, uow.ctx.device_id, self.biller, self.zone, self.today, rng
        )

    def at(self, day: date) -> datetime:
        return datetime.combine(day, time(17, 0), self.zone)  # the end of that day

    def entry(
        self,
        charge: Charge | None,
        patient_id: str,
        kind: EntryKind,
        cents: int,
        side: Responsibility,
        day: date,
        **more: object,
    ) -> None:
        self.session.add(
            LedgerEntry(
                patient_id=patient_id,
                kind=kind,
                amount_cents=cents,
                responsibility=side,
                charge_id=charge.id if charge else None,
                business_day=day,
                posted_at=self.at(day),
                posted_by_id=self.biller,
                provider_id=charge.rendering_provider_id if charge else None,
                **more,
            )
        )

    def payment(
        self,
        patient_id: str,
        method: PaymentMethod,
        cents: int,
        day: date,
        payer_id: str | None = None,
        appointment_id: str | None = None,
        reference: str | None = None,
        note: str | None = None,
    ) -> str:
        reference = reference or {
            PaymentMethod.CARD: f"{self.rng.randrange(10_000):04d}",
            PaymentMethod.CHEQUE: str(self.rng.randrange(1000, 9999)),
        }.get(method)
        payment = Payment(
            patient_id=patient_id,
            method=method,
            amount_cents=cents,
            received_on=day,
            reference=reference,
            receipt_number=next_number(self.session, self.uow.ctx.device_id, "receipt", kind="R"),
            payer_id=payer_id,
            appointment_id=appointment_id,
            received_by_id=self.biller if payer_id else self.desk,
            note=note,
        )
        self.session.add(payment)
        self.session.flush()
        self.payments += 1
        return payment.id

    def later(self, day: date, days: tuple[int, int]) -> date | None:
        """A day `days` after `day`, if it has come (else None: not happened yet)."""
        then = day + timedelta(days=self.rng.randint(*days))
        return then if then < self.today else None


def seed_demo_billing(ctx: AppContext, seed: int) -> DemoBillingCounts:
    """Bill the signed visits of the last BILLING_MONTHS not billed yet, and bill visits from
    then on; `ctx` is the biller's."""
    rng = random.Random(seed + 11)
    with ctx.unit_of_work() as uow:
        books = _Books(uow, rng)
        first_day = _months_before(books.today, BILLING_MONTHS)
        store_setting(uow, BILLING_STARTS_ON, first_day.isoformat())
        visits = _unbilled(uow.session, datetime.combine(first_day, time(), books.zone))
        posted = proposed = 0
        # The ledger lines wait in the session until a charge or payment is flushed: no
        # query in the loop reads them, so flushing before each one would only cost time.
        with uow.session.no_autoflush:
            for start in range(0, len(visits), BATCH):
                batch = visits[start : start + BATCH]
                proposer = ChargeProposer(uow, batch)
                for encounter in batch:
                    charges = proposer.propose(encounter)
                    ready = [c for c in charges if _ready(c) and c.service_on < books.today]
                    if ready:
                        _post_and_settle(books, ready)
                    posted, proposed = posted + len(ready), proposed + len(charges) - len(ready)
        _copays_at_check_in(books)
        uow.audit(AuditEntry("create", "demo_data", detail=f"demo billing of {len(visits)} visits"))
        uow.notify(LedgerChanged(()))
        payments = books.payments
    StatementService(ctx).issue_batch(STATEMENT_MINIMUM, STATEMENT_MESSAGE)
    with ctx.unit_of_work() as uow:
        statements = int(uow.session.scalar(select(func.count()).select_from(Statement)) or 0)
    return DemoBillingCounts(len(visits), posted, proposed, payments, statements)


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, 28))


def _unbilled(session: Session, since: datetime) -> list[Encounter]:
    """Signed visits from `since` with nothing billed, by patient and date."""
    billed = exists().where(Charge.encounter_id == Encounter.id)
    return list(
        session.scalars(
            select(Encounter)
            .where(
                Encounter.status == EncounterStatus.SIGNED,
                Encounter.type != EncounterType.PHONE,
                Encounter.deleted_at.is_(None),
                Encounter.starts_at >= since,
                ~billed,
            )
            .order_by(Encounter.patient_id, Encounter.starts_at, Encounter.id)
        )
    )


def _ready(charge: Charge) -> bool:
    """What confirming would accept: a price from the fee schedule and a diagnosis."""
    return charge.unit_price_cents > 0 and bool(charge.diagnosis_pointers)


def _post_and_settle(books: _Books, charges: list[Charge]) -> None:
    """Post a visit's charges; its payer pays them in one remittance (one payment, the
    visit's claim behind it), some lines bundled into another; the patient pays a share."""
    session, rng, patient = books.session, books.rng, charges[0].patient_id
    service_on = min(c.service_on for c in charges)
    posted_on = service_on + timedelta(days=1)
    coverage = primary_coverage(session, patient, service_on)
    side = R.INSURANCE if coverage else R.PATIENT
    for charge in charges:
        charge.status = ChargeStatus.POSTED
        books.entry(charge, patient, EntryKind.CHARGE, charge.amount_cents, side, posted_on)
    paid_on = books.later(service_on, PAYER_DAYS) if coverage else None
    if paid_on is not None and rng.random() >= PAYER_PAYS:
        paid_on = None
    bundled = (
        rng.choice(charges[1:]) if paid_on and len(charges) > 1 and rng.random() < BUNDLED else None
    )
    claim = None
    if coverage is not None:
        claim = books.claims.bill(charges, coverage, posted_on, paid_on, partly=bool(bundled))
    owed = {c.id: (0 if coverage else c.amount_cents) for c in charges}
    if claim and paid_on is not None:
        owed = _insurance_pays(books, claim, charges, paid_on, bundled)
    for charge in charges:
        if owed[charge.id]:
            _patient_pays(books, charge, owed[charge.id], paid_on or posted_on)


def _insurance_pays(
    books: _Books, claim: Claim, charges: list[Charge], paid_on: date, bundled: Charge | None
) -> dict[str, int]:
    """The payer's remittance for the visit's claim, posted as an 835 import posts it (one
    payment per trace and patient; CO-45 off; PR-2 to the patient; a bundled line CO-97);
    returns what each charge leaves the patient to pay."""
    rng, patient = books.rng, claim.patient_id
    trace = books.claims.trace(claim.payer_id, paid_on)
    payer = books.session.get(Payer, claim.payer_id)
    owed: dict[str, int] = {}
    allowed: dict[str, int] = {}
    for charge in charges:
        allowed[charge.id] = (
            0 if charge is bundled else round(charge.amount_cents * rng.uniform(*ALLOWED))
        )
        owed[charge.id] = round(allowed[charge.id] * rng.choice(PATIENT_SHARES))
    paid = sum(allowed.values()) - sum(owed.values())
    payment_id = books.payment(
        patient, PaymentMethod.INSURANCE, paid, paid_on, claim.payer_id, reference=trace,
        note=f"Remittance (835) from {payer.name}" if payer else None,
    )  # fmt: skip

    def why(what: str) -> str:
        return era_reason(trace, claim.control_number, what)

    for charge in charges:
        cents, share = allowed[charge.id], owed[charge.id]
        if cents - share:
            books.entry(
                charge, patient, EntryKind.PAYMENT, share - cents, R.INSURANCE, paid_on,
                payment_id=payment_id, reason=why("paid"),
            )  # fmt: skip
        code = "97" if charge is bundled else "45"
        books.entry(
            charge, patient, EntryKind.ADJUSTMENT, cents - charge.amount_cents, R.INSURANCE,
            paid_on, reason=why(f"CO-{code}"), reason_code=code,
        )  # fmt: skip
        if share:
            note = {"reason": why("PR-2"), "reason_code": "2"}
            books.entry(charge, patient, EntryKind.TRANSFER, -share, R.INSURANCE, paid_on, **note)
            books.entry(charge, patient, EntryKind.TRANSFER, share, R.PATIENT, paid_on, **note)
    return owed


def _patient_pays(books: _Books, charge: Charge, owed: int, since: date) -> None:
    """Most patients pay what they owe some weeks later, some half, some not yet."""
    pays_on = books.later(since, PATIENT_DAYS)
    if pays_on is None:
        return
    rng = books.rng
    roll = rng.random()
    cents = owed if roll < PAYS_IN_FULL else owed // 2 if roll < PAYS_IN_FULL + PAYS_HALF else 0
    if cents:
        method = rng.choice((PaymentMethod.CARD, PaymentMethod.CARD, PaymentMethod.CHEQUE))
        payment_id = books.payment(charge.patient_id, method, cents, pays_on)
        books.entry(
            charge, charge.patient_id, EntryKind.PAYMENT, -cents, R.PATIENT, pays_on,
            payment_id=payment_id,
        )  # fmt: skip


def _copays_at_check_in(books: _Books) -> None:
    """Today's arrivals with insurance paid their copay at the desk (kept as credit until
    the visit's charges are posted)."""
    start = books.at(books.today) - timedelta(hours=17)
    here = (AppointmentStatus.ARRIVED, AppointmentStatus.ROOMED, AppointmentStatus.WITH_PROVIDER)
    rows = books.session.execute(
        select(Appointment.id, Appointment.patient_id, Coverage.copay_cents)
        .join(Coverage, Coverage.patient_id == Appointment.patient_id)
        .where(
            Appointment.starts_at >= start,
            Appointment.starts_at < start + timedelta(days=1),
            Appointment.status.in_(here),
            Appointment.deleted_at.is_(None),
            Coverage.priority == 1,
            Coverage.deleted_at.is_(None),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    for appointment_id, patient_id, copay in rows:
        cents = copay or DEFAULT_COPAY
        method = books.rng.choice((PaymentMethod.CARD, PaymentMethod.CASH))
        payment_id = books.payment(
            patient_id, method, cents, books.today, appointment_id=appointment_id
        )
        books.entry(
            None, patient_id, EntryKind.PAYMENT, -cents, R.PATIENT, books.today,
            payment_id=payment_id,
        )  # fmt: skip
