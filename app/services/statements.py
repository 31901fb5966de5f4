"""Patient statements: what the person who pays (the guarantor) owes, from which visits, how
old it is, and by when to pay. One at a time or a batch for every account owing at least a
threshold; printed (the PDF is app.interop.statement_pdf) or announced by e-mail through
the reminder queue. The e-mail only says that a statement is ready, the amount and how to
pay: plain e-mail is no place for services or diagnoses, so it carries no PDF either."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.interop.statement_pdf import PatientStatement, StatementLine
from app.models import (
    Channel,
    Charge,
    ChargeStatus,
    EntryKind,
    LedgerEntry,
    MessageStatus,
    OutboundMessage,
    Patient,
    PatientStatus,
    Practice,
    Responsibility,
    Statement,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import LedgerChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError
from app.services.ledger_balances import patient_balances
from app.services.ledger_data import AGING_BUCKETS, AGING_LIMITS, CATEGORY, money
from app.services.ledger_posting import account_patient
from app.services.numbering import next_number
from app.services.patients import practice_today
from app.services.payments import practice_address
from app.services.permissions import Permission
from app.services.reminder_data import RemindersChanged
from app.services.reminder_texts import recipient
from app.services.statement_data import (
    DUE_DAYS,
    EMAIL,
    FIRST_PERIOD_DAYS,
    MAX_MESSAGE,
    PRINT,
    StatementData,
    StatementSummary,
)

_E = LedgerEntry
_PATIENT_OPEN = func.sum(
    case((_E.responsibility == Responsibility.PATIENT, _E.amount_cents), else_=0)
)
_INSURANCE_OPEN = func.sum(
    case((_E.responsibility == Responsibility.INSURANCE, _E.amount_cents), else_=0)
)
_RAISED = func.sum(
    case(((_E.kind == EntryKind.ADJUSTMENT) & (_E.amount_cents > 0), _E.amount_cents), else_=0)
)


class StatementService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_ACCOUNTS)
    def preview(self, patient_id: str, message: str | None = None) -> StatementData:
        """The statement as it would print now (nothing is recorded but the reading)."""
        text = _message(message)
        with self.ctx.unit_of_work() as uow:
            patient = account_patient(uow.session, patient_id)
            data = _gather(uow, patient, "", text)
            uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail="statement"))
            return data

    @requires(Permission.POST_CHARGES)
    def issue(
        self, patient_id: str, message: str | None = None, *, by_email: bool = False
    ) -> StatementData:
        """Record a numbered statement for the account, to print or (`by_email`) to announce
        by e-mail to the guarantor, who must have an address and have agreed to e-mail."""
        text = _message(message)
        with self.ctx.unit_of_work() as uow:
            patient = account_patient(uow.session, patient_id)
            preview = _gather(uow, patient, "", text)
            if preview.amount_due_cents <= 0:
                raise DomainError(
                    f"{patient.first_name} {patient.last_name}'s account owes nothing; "
                    "there is no statement to send."
                )
            refusal = by_email and _email_refusal(_payer(uow.session, patient))
            if refusal:
                raise DomainError(
                    f"The statement cannot go by e-mail: {refusal}. Print it instead."
                )
            data = self._record(uow, patient, text, by_email)
            uow.notify(LedgerChanged((patient_id,)))
            return data

    @requires(Permission.POST_CHARGES)
    def issue_batch(
        self, minimum_cents: int, message: str | None = None, *, by_email: bool = False
    ) -> list[StatementData]:
        """A statement for every account whose patient owes at least `minimum_cents`
        (after their credit). With `by_email`, those whose guarantor can get e-mail get it;
        the others are for printing (sent_by PRINT)."""
        if minimum_cents <= 0:
            raise DomainError("Enter the smallest balance to send a statement for ($0.01 or more).")
        text = _message(message)
        with self.ctx.unit_of_work() as uow:
            owing = [pid for pid, _cents in patient_balances(uow.session, minimum_cents)]
            patients = _billable(uow.session, owing)
            made = []
            for patient in patients:
                reachable = by_email and not _email_refusal(_payer(uow.session, patient))
                made.append(self._record(uow, patient, text, reachable))
            if not made:
                uow.audit(
                    AuditEntry("read", CATEGORY, detail=f"statements: none {money(minimum_cents)}")
                )
            uow.notify(LedgerChanged(tuple(p.id for p in patients)))
            return made

    @requires(Permission.VIEW_ACCOUNTS)
    def for_patient(self, patient_id: str) -> list[StatementSummary]:
        """The account's past statements, newest first."""
        with self.ctx.unit_of_work() as uow:
            account_patient(uow.session, patient_id)
            rows = uow.session.scalars(
                select(Statement)
                .where(Statement.patient_id == patient_id, Statement.deleted_at.is_(None))
                .order_by(Statement.created_at.desc(), Statement.statement_number.desc())
            ).all()
            uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail="statements"))
            return [
                StatementSummary(
                    s.id, s.statement_number, s.issued_on, s.balance_cents, s.sent_by, s.message
                )
                for s in rows
            ]

    def _record(
        self, uow: UnitOfWork, patient: Patient, message: str | None, by_email: bool
    ) -> StatementData:
        """Number, record and audit one statement (and queue its e-mail)."""
        session = uow.session
        number = next_number(session, self.ctx.device_id, "statement", kind="S")
        data = _gather(uow, patient, number, message)
        statement = Statement(
            patient_id=patient.id,
            statement_number=number,
            issued_on=data.printable.issued_on,
            balance_cents=data.amount_due_cents,
            aging=dict(zip(AGING_BUCKETS, data.printable.aging_cents, strict=True)),
            message=message,
            sent_by=EMAIL if by_email else PRINT,
        )
        emailed_to = None
        if by_email:
            queued = self._queue_email(uow, patient, data)
            statement.outbound_message_id, emailed_to = queued.id, queued.recipient
        session.add(statement)
        session.flush()
        uow.audit(
            AuditEntry(
                "create",
                CATEGORY,
                patient_id=patient.id,
                entity_id=statement.id,
                detail=f"statement {number} {money(data.amount_due_cents)} by {statement.sent_by}",
            )
        )
        return StatementData(
            statement.id,
            patient.id,
            data.patient_open_cents,
            data.credit_cents,
            data.insurance_pending_cents,
            statement.sent_by,
            emailed_to,
            data.printable,
        )

    def _queue_email(
        self, uow: UnitOfWork, patient: Patient, data: StatementData
    ) -> OutboundMessage:
        """A "your statement is ready" message on the reminder queue, to the guarantor (a
        registered patient: the message is theirs, so the queue's consent check reads them)."""
        payer = _payer(uow.session, patient)
        address, _refusal = recipient(payer, Channel.EMAIL)
        doc = data.printable
        phone = doc.practice_phone
        how = (
            f"To pay by card or to ask for a printed copy, call {phone}. " if phone else ""
        ) + "You can also pay at the front desk, or mail a check with the statement number."
        body = (
            f"Hello {doc.bill_to_name},\n\n"
            f"Statement {doc.statement_number} from {doc.practice_name} is ready for "
            f"account {doc.account_number}.\n"
            f"Amount due: {money(doc.amount_due_cents)}, please pay by "
            f"{doc.due_on:%B} {doc.due_on.day}, {doc.due_on.year}.\n\n{how}\n\n"
            "For your privacy this e-mail does not list the services.\n"
            f"{doc.practice_name}"
        )
        now = self.ctx.clock.now()
        message = OutboundMessage(
            channel=Channel.EMAIL,
            patient_id=payer.id,
            recipient=address,
            subject=f"Your statement from {doc.practice_name}",
            body=body,
            status=MessageStatus.QUEUED,
            attempts=0,
            next_attempt_at=now,
            origin_device=self.ctx.device_id,
        )
        uow.session.add(message)
        uow.session.flush()
        uow.audit(
            AuditEntry(
                "create",
                "reminder",
                patient_id=payer.id,
                entity_id=message.id,
                detail=f"email statement {doc.statement_number} queued",
            )
        )
        uow.notify(RemindersChanged((message.id,)))
        return message


def _message(message: str | None) -> str | None:
    text = " ".join((message or "").split()) or None
    if text and len(text) > MAX_MESSAGE:
        raise DomainError(f"Keep the statement's message under {MAX_MESSAGE} characters.")
    return text


def _billable(session: Session, patient_ids: Sequence[str]) -> list[Patient]:
    """The records statements go for (a merged-away record has no account of its own)."""
    if not patient_ids:
        return []
    rows = session.scalars(
        select(Patient).where(
            Patient.id.in_(patient_ids),
            Patient.deleted_at.is_(None),
            Patient.status != PatientStatus.MERGED,
        )
    )
    return sorted(rows, key=lambda p: (p.last_name, p.first_name, p.mrn))


def _payer(session: Session, patient: Patient) -> Patient:
    """Who gets the bill: the guarantor when they are a registered patient, else the
    patient's own record (a named guarantor lives at the patient's address)."""
    if patient.guarantor_patient_id:
        guarantor = session.get(Patient, patient.guarantor_patient_id)
        if guarantor is not None and guarantor.deleted_at is None:
            return guarantor
    return patient


def _email_refusal(payer: Patient) -> str | None:
    """Why the guarantor cannot get e-mail from the practice (the reminders' rules)."""
    if recipient(payer, Channel.EMAIL)[1] is None:
        return None
    who = f"{payer.first_name} {payer.last_name}"
    if not payer.consent_email:
        return f"{who} has not agreed to e-mail from the practice"
    if not payer.email:
        return f"there is no e-mail address on file for {who}"
    return f"{who}'s record is no longer active"


def _address_lines(person: Patient) -> tuple[str, ...]:
    region = " ".join(p for p in (person.state, person.postal_code) if p)
    city = ", ".join(p for p in (person.city, region) if p)
    return tuple(line for line in (person.address_line1, person.address_line2, city) if line)


def _gather(uow: UnitOfWork, patient: Patient, number: str, message: str | None) -> StatementData:
    """The statement of `patient`'s account as of now (`number` empty for a preview)."""
    session = uow.session
    now = uow.ctx.clock.now()
    today = practice_today(session, now)
    # Days after the last statement's (statements go out at the end of a billing day).
    since = _last_statement_on(session, patient.id) or today - timedelta(days=FIRST_PERIOD_DAYS)
    rows = session.execute(
        select(
            Charge.service_on,
            Charge.description,
            Charge.amount_cents,
            _PATIENT_OPEN,
            _INSURANCE_OPEN,
            _RAISED,
            func.max(_E.business_day),
        )
        .join(Charge, Charge.id == _E.charge_id)
        .where(_E.patient_id == patient.id, Charge.status == ChargeStatus.POSTED)
        .group_by(Charge.id)
        .order_by(Charge.service_on, Charge.created_at)
    ).all()
    lines = []
    aging = [0] * len(AGING_BUCKETS)
    patient_open = insurance_open = 0
    for service_on, description, amount, own, insurer, raised, last_day in rows:
        own, insurer = int(own), int(insurer)
        patient_open += own
        insurance_open += insurer
        aging[sum((today - service_on).days > limit for limit in AGING_LIMITS)] += own
        if own or insurer or last_day > since:
            charged = int(amount) + int(raised)
            paid = charged - own - insurer
            lines.append(StatementLine(service_on, description, charged, paid, insurer, own))
    credit = -int(
        session.scalar(
            select(func.coalesce(func.sum(_E.amount_cents), 0)).where(
                _E.patient_id == patient.id,
                _E.charge_id.is_(None),
                _E.responsibility == Responsibility.PATIENT,
            )
        )
        or 0
    )
    _take_credit(aging, credit)
    practice = session.execute(select(Practice.name, Practice.phone).limit(1)).one()
    payer = _payer(session, patient)
    bill_to = patient.guarantor_name if payer is patient and patient.guarantor_name else None
    printable = PatientStatement(
        practice_name=practice.name,
        practice_address=practice_address(session),
        practice_phone=practice.phone,
        statement_number=number or "(preview)",
        issued_on=today,
        due_on=today + timedelta(days=DUE_DAYS),
        account_number=patient.mrn,
        bill_to_name=bill_to or f"{payer.first_name} {payer.last_name}",
        bill_to_address=_address_lines(payer),
        patient_name=f"{patient.first_name} {patient.last_name}",
        lines=tuple(lines),
        aging_cents=tuple(aging),
        amount_due_cents=max(0, patient_open - credit),
        message=message,
        printed_at=now,
    )
    return StatementData(
        None, patient.id, patient_open, credit, insurance_open, PRINT, None, printable
    )


def _take_credit(aging: list[int], credit: int) -> None:
    """Unapplied credit pays the oldest balances first (as a payment would), so the aging
    adds up to the amount due."""
    for index in reversed(range(len(aging))):
        taken = min(max(aging[index], 0), max(credit, 0))
        aging[index] -= taken
        credit -= taken


def _last_statement_on(session: Session, patient_id: str) -> date | None:
    return session.scalar(
        select(func.max(Statement.issued_on)).where(
            Statement.patient_id == patient_id, Statement.deleted_at.is_(None)
        )
    )
