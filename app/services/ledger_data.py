"""Plain data the ledger, payment, daily-close and aging use cases take and return.

Money is integer cents. A balance is what the account owes: positive = the patient (or their
insurance) owes the practice, negative = the practice holds credit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from app.models import ChargeStatus, EntryKind, PaymentMethod, Responsibility

CATEGORY = "billing"  # audit category of every ledger, payment and daily-close event
MAX_REASON = 300  # LedgerEntry.reason
AGING_BUCKETS = ("0-30", "31-60", "61-90", "91-120", "120+")
AGING_LIMITS = (30, 60, 90, 120)  # a balance this many days old or less is in that bucket


def money(cents: int) -> str:
    """$1,234.56 or -$5.00, for messages and printouts."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole:,}.{part:02d}"


@dataclass(frozen=True)
class EntryView:
    id: str
    patient_id: str
    kind: EntryKind
    amount_cents: int  # + raises the balance, - lowers it
    responsibility: Responsibility
    charge_id: str | None
    payment_id: str | None
    reverses_id: str | None
    reason: str | None
    reason_code: str | None
    business_day: date
    posted_at: datetime
    posted_by_id: str | None
    provider_id: str | None


@dataclass(frozen=True)
class AccountLine(EntryView):
    """One ledger line as the account screen shows it, oldest first."""

    running_balance_cents: int
    reversed: bool  # a later reversal cancels this line (it stays, struck through)
    procedure_code: str | None  # of the charge the line belongs to
    charge_description: str | None
    service_on: date | None
    receipt_number: str | None  # of the payment the line belongs to
    method: PaymentMethod | None


@dataclass(frozen=True)
class ChargeBalance:
    charge_id: str
    procedure_code: str
    description: str
    service_on: date
    status: ChargeStatus
    amount_cents: int
    patient_open_cents: int
    insurance_open_cents: int

    @property
    def open_cents(self) -> int:
        return self.patient_open_cents + self.insurance_open_cents


@dataclass(frozen=True)
class PaymentCredit:
    """Money of one payment that is on the account but on no charge (it can be refunded)."""

    payment_id: str
    receipt_number: str
    method: PaymentMethod
    received_on: date
    credit_cents: int


@dataclass(frozen=True)
class AccountView:
    patient_id: str
    entries: tuple[AccountLine, ...]
    balance_cents: int
    patient_cents: int  # patient responsibility (less the patient's unapplied credit)
    insurance_cents: int
    unapplied_credit_cents: int  # payments on no charge, as a positive amount
    charges: tuple[ChargeBalance, ...]  # every charge on the ledger, oldest service first
    credits: tuple[PaymentCredit, ...]

    @property
    def open_charges(self) -> tuple[ChargeBalance, ...]:
        return tuple(c for c in self.charges if c.open_cents)


@dataclass(frozen=True)
class PaymentInput:
    method: PaymentMethod
    amount_cents: int
    reference: str | None = None  # cheque number, card's last 4 (required for a cheque)
    # Which charges it pays and how much of each; None = the oldest open balance first;
    # an empty list keeps it all as credit (e.g. a copay taken before the visit's charges).
    applied: Sequence[tuple[str, int]] | None = None
    appointment_id: str | None = None  # the visit a copay at check-in is for
    note: str | None = None
    payer_id: str | None = None  # only for an insurance payment


@dataclass(frozen=True)
class PaymentView:
    id: str
    patient_id: str
    receipt_number: str
    method: PaymentMethod
    amount_cents: int
    received_on: date
    reference: str | None
    applied: tuple[tuple[str, int], ...]  # (charge id, cents) as posted
    unapplied_cents: int
    appointment_id: str | None


@dataclass(frozen=True)
class CreditApplied:
    patient_id: str
    applied: tuple[tuple[str, int], ...]  # (charge id, cents), oldest charge first
    remaining_credit_cents: int


@dataclass(frozen=True)
class RefundView:
    entry_id: str
    payment_id: str
    amount_cents: int
    remaining_credit_cents: int  # of that payment


@dataclass(frozen=True)
class ReceiptLine:
    service_on: date
    procedure_code: str
    description: str
    cents: int


@dataclass(frozen=True)
class ReceiptData:
    """What a printed receipt says (the PDF is drawn from this)."""

    practice_name: str
    practice_address: tuple[str, ...]  # of the practice's first location, line by line
    practice_phone: str | None
    receipt_number: str
    received_on: date
    patient_name: str
    mrn: str
    method: PaymentMethod
    reference: str | None
    amount_cents: int
    lines: tuple[ReceiptLine, ...]  # the charges the payment now pays
    credit_cents: int  # what is left of it on the account
    refunded_cents: int
    received_by: str
    patient_balance_cents: int  # what the patient owes when printed (negative: credit)
    account_balance_cents: int  # the whole account, insurance's part included


@dataclass(frozen=True)
class ProviderDay:
    provider_id: str | None  # None: payments kept as credit (on no one's charge)
    provider_name: str
    charges_cents: int
    payments_cents: int  # applied to their charges, as a positive amount


@dataclass(frozen=True)
class DayReport:
    """A business day's books. The lines add up to the day's change of the accounts
    receivable (`net_cents`, the sum of the day's entries) when the day balances."""

    day: date
    charges_cents: int
    receipts_cents: int  # money taken in (the drawer), positive
    adjustments_cents: int
    write_offs_cents: int
    refunds_cents: int
    reversals_cents: int  # net of payments returned to credit
    transfers_cents: int  # always 0 when balanced
    net_cents: int
    by_provider: tuple[ProviderDay, ...]
    receipts_by_method: dict[PaymentMethod, int]
    balanced: bool
    problems: tuple[str, ...]  # why it does not balance
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def lines_total_cents(self) -> int:
        return (
            self.charges_cents
            - self.receipts_cents
            + self.adjustments_cents
            + self.write_offs_cents
            + self.refunds_cents
            + self.reversals_cents
            + self.transfers_cents
        )


@dataclass(frozen=True)
class AgingBuckets:
    """Open balances of charges by days since their service date (AGING_BUCKETS)."""

    cents: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    @property
    def total_cents(self) -> int:
        return sum(self.cents)

    def as_dict(self) -> dict[str, int]:
        return dict(zip(AGING_BUCKETS, self.cents, strict=True))


@dataclass(frozen=True)
class AgingReport:
    as_of: date
    patient: AgingBuckets
    insurance: AgingBuckets
    patient_credit_cents: int = 0  # unapplied credit, positive
    insurance_credit_cents: int = 0
    by_responsibility: dict[Responsibility, int] = field(default_factory=dict)  # balances

    @property
    def total_cents(self) -> int:
        """The sum of every account's balance on `as_of`."""
        return sum(self.by_responsibility.values())


@dataclass(frozen=True)
class AccountBalance:
    """An account's totals, as the patient banner shows them."""

    patient_cents: int  # the patient's part, less their unapplied credit (negative: credit)
    insurance_cents: int
    unapplied_credit_cents: int  # payments on no charge, as a positive amount
