"""Money: charges captured from visits, the patient ledger, payments, daily close and
statements. Amounts are integer cents. A posted ledger entry is never changed: a mistake
is corrected by a reversal entry that names it and says why."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column
from app.models.fee_schedule import CodeSystem


class ChargeStatus(enum.StrEnum):
    PROPOSED = "proposed"  # captured from a signed visit, waiting for the physician or biller
    POSTED = "posted"  # on the ledger
    VOIDED = "voided"  # reversed on the ledger (or a proposal turned down)


class Charge(SyncMixin, Base):
    """One service line: what was done, for whom, why (diagnosis pointers), by whom, where."""

    __tablename__ = "charge"
    __table_args__ = (Index("ix_charge_patient_service", "patient_id", "service_on"),)

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    code_system: Mapped[CodeSystem] = mapped_column(enum_column(CodeSystem))
    procedure_code: Mapped[str] = mapped_column(String(5))
    description: Mapped[str] = mapped_column(String(300))
    modifiers: Mapped[list[str]] = mapped_column(JSON, default=list)  # up to 4, e.g. ["25"]
    units: Mapped[int] = mapped_column(Integer, default=1)
    # The claim's diagnoses in order (ICD-10-CM), and which of them this line points to (1-4).
    diagnosis_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    diagnosis_pointers: Mapped[list[int]] = mapped_column(JSON, default=list)
    place_of_service: Mapped[str] = mapped_column(String(2))  # CMS POS code, "11" = office
    rendering_provider_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    service_on: Mapped[date] = mapped_column()
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)  # units × unit price
    fee_schedule_item_id: Mapped[str | None] = mapped_column(ForeignKey("fee_schedule_item.id"))
    status: Mapped[ChargeStatus] = mapped_column(
        enum_column(ChargeStatus), default=ChargeStatus.PROPOSED
    )
    # Why the coding assistant proposed this line (e.g. "documented time 32 min → 99214").
    suggestion_reason: Mapped[str | None] = mapped_column(String(500))


class EntryKind(enum.StrEnum):
    CHARGE = "charge"  # + what the service costs
    PAYMENT = "payment"  # − money received (patient or insurance)
    ADJUSTMENT = "adjustment"  # ± contractual or courtesy adjustment
    WRITE_OFF = "write_off"  # − a balance the practice will not collect
    REFUND = "refund"  # + money given back (the credit it came from is used up)
    TRANSFER = "transfer"  # moves responsibility between insurance and patient (nets to 0)
    REVERSAL = "reversal"  # the exact opposite of an earlier entry, with a reason


class Responsibility(enum.StrEnum):
    PATIENT = "patient"
    INSURANCE = "insurance"


class PaymentMethod(enum.StrEnum):
    CASH = "cash"
    CARD = "card"  # recorded only: no card processing in Stethos
    CHEQUE = "cheque"
    INSURANCE = "insurance"  # a payer's payment (ERA / EOB)


class Payment(SyncMixin, Base):
    """Money received once; ledger entries say which charges it paid (the rest is credit)."""

    __tablename__ = "payment"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    amount_cents: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column()
    reference: Mapped[str | None] = mapped_column(String(60))  # cheque number, card's last 4
    receipt_number: Mapped[str] = mapped_column(String(20), unique=True)
    payer_id: Mapped[str | None] = mapped_column(ForeignKey("payer.id"))
    appointment_id: Mapped[str | None] = mapped_column(ForeignKey("appointment.id"))  # copay
    received_by_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(String(300))


class LedgerEntry(SyncMixin, Base):
    """Append-only. The balance of an account is the sum of its entries' amounts."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        Index("ix_ledger_entry_patient_posted", "patient_id", "posted_at"),
        Index("ix_ledger_entry_day", "business_day"),
    )

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"))
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind))
    amount_cents: Mapped[int] = mapped_column(Integer)  # + raises the balance, − lowers it
    responsibility: Mapped[Responsibility] = mapped_column(enum_column(Responsibility))
    charge_id: Mapped[str | None] = mapped_column(ForeignKey("charge.id"), index=True)
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payment.id"), index=True)
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("ledger_entry.id"))
    reason: Mapped[str | None] = mapped_column(String(300))  # adjustments, write-offs, reversals
    reason_code: Mapped[str | None] = mapped_column(String(10))  # e.g. CARC "45" (from #7)
    business_day: Mapped[date] = mapped_column()  # the practice day it counts in (daily close)
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    posted_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    provider_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))  # reports


# The database itself refuses to change or delete a posted entry (as for the audit log).
APPEND_ONLY_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS ledger_entry_no_update BEFORE UPDATE ON ledger_entry "
    "BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed: post a reversal'); END",
    "CREATE TRIGGER IF NOT EXISTS ledger_entry_no_delete BEFORE DELETE ON ledger_entry "
    "BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted: post a reversal'); END",
]
for _statement in APPEND_ONLY_TRIGGERS:
    event.listen(LedgerEntry.__table__, "after_create", DDL(_statement))


class DailyClose(SyncMixin, Base):
    """A closed business day: its entries can no longer be posted to, only reversed later."""

    __tablename__ = "daily_close"

    business_day: Mapped[date] = mapped_column(unique=True)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_by_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"))
    charges_cents: Mapped[int] = mapped_column(Integer)
    receipts_cents: Mapped[int] = mapped_column(Integer)
    # {"by_provider": {...}, "by_method": {...}}, as the closing report showed them.
    totals: Mapped[dict[str, Any]] = mapped_column(JSON)


class Statement(SyncMixin, Base):
    """A statement sent to the person who pays (the guarantor's account)."""

    __tablename__ = "statement"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    statement_number: Mapped[str] = mapped_column(String(20), unique=True)
    issued_on: Mapped[date] = mapped_column()
    balance_cents: Mapped[int] = mapped_column(Integer)
    aging: Mapped[dict[str, int]] = mapped_column(JSON)  # bucket → cents
    message: Mapped[str | None] = mapped_column(String(500))
    sent_by: Mapped[str] = mapped_column(String(10))  # "print" | "email"
    outbound_message_id: Mapped[str | None] = mapped_column(ForeignKey("outbound_message.id"))


class ChargeOpenBalance(Base):
    """What is still open on a charge for one side (patient or insurance): the sum of the
    charge's ledger entries on that side. Only charges with something open have a row.

    Derived, local and never synced (not a SyncMixin, so the outbox never records it): the
    triggers below keep it equal to the entries, on every device alike. The patient column
    deliberately has no foreign key, so a patient merge does not treat the row as the
    patient's data (the entries it is derived from are what belongs to the patient)."""

    __tablename__ = "charge_balance"
    __table_args__ = (
        Index("ix_charge_balance_patient", "patient_id"),
        {"sqlite_with_rowid": False},
    )

    charge_id: Mapped[str] = mapped_column(ForeignKey("charge.id"), primary_key=True)
    responsibility: Mapped[Responsibility] = mapped_column(
        enum_column(Responsibility), primary_key=True
    )
    service_on: Mapped[date] = mapped_column()  # the charge's, so aging needs no join
    patient_id: Mapped[str] = mapped_column(String(36))
    open_cents: Mapped[int] = mapped_column(Integer)  # never 0 (the row is deleted then)


class AccountCredit(Base):
    """Money on an account but on no charge, per side: unapplied payments less refunds
    (positive = credit the practice holds), from the entries without a charge.

    A table of its own rather than ChargeOpenBalance rows with no charge: its key is the
    account, not a charge, and aging and statements read the two differently. Derived and
    local like ChargeOpenBalance; only accounts with credit have a row."""

    __tablename__ = "account_credit"
    __table_args__ = ({"sqlite_with_rowid": False},)

    patient_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    responsibility: Mapped[Responsibility] = mapped_column(
        enum_column(Responsibility), primary_key=True
    )
    credit_cents: Mapped[int] = mapped_column(Integer)  # never 0 (the row is deleted then)


# Every new entry moves its charge's open balance (or the account's credit) by its amount,
# in the same statement; a balance that reaches zero leaves the table.
OPEN_BALANCE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS ledger_entry_charge_balance AFTER INSERT ON ledger_entry "
    "WHEN NEW.charge_id IS NOT NULL BEGIN "
    "INSERT INTO charge_balance (charge_id, responsibility, service_on, patient_id, open_cents) "
    "VALUES (NEW.charge_id, NEW.responsibility, "
    "(SELECT service_on FROM charge WHERE id = NEW.charge_id), NEW.patient_id, NEW.amount_cents) "
    "ON CONFLICT (charge_id, responsibility) "
    "DO UPDATE SET open_cents = open_cents + excluded.open_cents; "
    "DELETE FROM charge_balance WHERE charge_id = NEW.charge_id "
    "AND responsibility = NEW.responsibility AND open_cents = 0; END",
    "CREATE TRIGGER IF NOT EXISTS ledger_entry_account_credit AFTER INSERT ON ledger_entry "
    "WHEN NEW.charge_id IS NULL BEGIN "
    "INSERT INTO account_credit (patient_id, responsibility, credit_cents) "
    "VALUES (NEW.patient_id, NEW.responsibility, -NEW.amount_cents) "
    "ON CONFLICT (patient_id, responsibility) "
    "DO UPDATE SET credit_cents = credit_cents + excluded.credit_cents; "
    "DELETE FROM account_credit WHERE patient_id = NEW.patient_id "
    "AND responsibility = NEW.responsibility AND credit_cents = 0; END",
]
for _statement in OPEN_BALANCE_TRIGGERS:
    event.listen(LedgerEntry.__table__, "after_create", DDL(_statement))
