"""Insurance claims: one professional claim per visit per payer, its lines (the charges it
bills), the history of its status, the X12 files sent and received, and the practice's own
claim rules (checked by the scrubber before a claim may be sent)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column


class ClaimStatus(enum.StrEnum):
    DRAFT = "draft"  # built from charges, not yet checked
    READY = "ready"  # passed the scrubber, waiting for the next batch
    SUBMITTED = "submitted"  # in an 837P batch written to the outbox
    ACCEPTED = "accepted"  # the clearinghouse or payer took it in (999 / 277CA)
    REJECTED = "rejected"  # turned back before adjudication (999 / 277CA): fix and resend
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"
    APPEALED = "appealed"
    CORRECTED = "corrected"  # replaced by a corrected claim (frequency 7)
    VOIDED = "voided"  # cancelled with the payer by a void claim (frequency 8)
    CLOSED = "closed"  # nothing more to do


class Claim(SyncMixin, Base):
    __tablename__ = "claim"
    __table_args__ = (Index("ix_claim_status", "status"),)

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    payer_id: Mapped[str] = mapped_column(ForeignKey("payer.id"))
    coverage_id: Mapped[str] = mapped_column(ForeignKey("coverage.id"))
    priority: Mapped[int] = mapped_column(Integer)  # 1 primary, 2 secondary
    control_number: Mapped[str] = mapped_column(String(20), unique=True)  # CLM01
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus), default=ClaimStatus.DRAFT)
    # CLM05-3: 1 original, 7 replacement, 8 void (7 and 8 name `replaces_claim_id`).
    frequency_code: Mapped[str] = mapped_column(String(1), default="1")
    payer_claim_number: Mapped[str | None] = mapped_column(String(50))  # from 277CA / 835
    replaces_claim_id: Mapped[str | None] = mapped_column(ForeignKey("claim.id"))
    service_on: Mapped[date] = mapped_column(Date)  # the first line's date (timely filing)
    total_cents: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claim_file_id: Mapped[str | None] = mapped_column(ForeignKey("claim_file.id"))  # its batch
    # The denial worklist.
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    next_action: Mapped[str | None] = mapped_column(String(300))
    due_on: Mapped[date | None] = mapped_column(Date)
    denial_reason: Mapped[str | None] = mapped_column(String(500))
    denial_codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # e.g. ["CO-16", "N290"]


class ClaimLine(SyncMixin, Base):
    __tablename__ = "claim_line"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id"), index=True)
    charge_id: Mapped[str] = mapped_column(ForeignKey("charge.id"), index=True)
    line_number: Mapped[int] = mapped_column(Integer)  # 1-based, LX01
    control: Mapped[str] = mapped_column(String(50))  # REF*6R, echoed back by the 835
    charge_cents: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)


class ClaimLineAdjudication(SyncMixin, Base):
    """What one payer's 835 said about one line of our claim: what it paid, when, and each
    CAS adjustment. The secondary claim reports the primary's (837P loop 2430); a reversal
    (CLP02 22) marks it reversed, so only what still stands is sent on."""

    __tablename__ = "claim_line_adjudication"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id"), index=True)
    claim_line_id: Mapped[str] = mapped_column(ForeignKey("claim_line.id"), index=True)
    claim_file_id: Mapped[str] = mapped_column(ForeignKey("claim_file.id"))  # the 835
    trace_number: Mapped[str] = mapped_column(String(50))  # TRN02, the check or EFT
    # CLP02: 1 processed as primary, 2 as secondary; 19 / 20 / 21 processed and forwarded
    # by the payer itself to the next payer (a crossover: no secondary claim is sent).
    claim_status_code: Mapped[str] = mapped_column(String(2))
    paid_cents: Mapped[int] = mapped_column(Integer)  # SVC03
    paid_on: Mapped[date] = mapped_column(Date)  # BPR16 (else the day it was imported)
    # CAS: [{"group": "CO", "reason": "45", "cents": 2500}, ...] in file order.
    adjustments: Mapped[list[dict[str, str | int]]] = mapped_column(JSON, default=list)
    reversed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ClaimEvent(SyncMixin, Base):
    """One change of a claim's status: who, when, from what to what, and why."""

    __tablename__ = "claim_event"

    claim_id: Mapped[str] = mapped_column(ForeignKey("claim.id"), index=True)
    from_status: Mapped[ClaimStatus | None] = mapped_column(enum_column(ClaimStatus))
    to_status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(String(500))


class ClaimFileKind(enum.StrEnum):
    CLAIMS_837P = "837p"  # written by us
    ACK_999 = "999"
    ACK_277CA = "277ca"
    REMIT_835 = "835"


class ClaimFile(SyncMixin, Base):
    """An X12 file written (an 837P batch) or imported (999, 277CA, 835)."""

    __tablename__ = "claim_file"

    kind: Mapped[ClaimFileKind] = mapped_column(enum_column(ClaimFileKind))
    file_name: Mapped[str] = mapped_column(String(255))
    # SHA-256 of the content: the same file is never imported twice.
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    interchange_number: Mapped[int | None] = mapped_column(Integer)  # ISA13
    claims_count: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # e.g. {"accepted": 3}
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    # An 837P batch is kept (in the encrypted database) so a lost outbox file can be rewritten.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # An 837P handed to the clearinghouse transport: when, and to what (None: still waiting).
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_to: Mapped[str | None] = mapped_column(String(200))
    # An imported 835's payments as "payer|trace number" (TRN03 or payer id, TRN02): a
    # payment re-sent in a file that differs byte for byte is still posted only once.
    payment_keys: Mapped[list[str]] = mapped_column(JSON, default=list)


class ClaimReviewItem(SyncMixin, Base):
    """Something an imported file says that could not be applied by itself (a claim or line
    we cannot match, an amount that does not fit the charge, a provider-level adjustment):
    the biller's review list, kept until someone resolves it."""

    __tablename__ = "claim_review_item"

    claim_file_id: Mapped[str] = mapped_column(ForeignKey("claim_file.id"), index=True)
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claim.id"), index=True)
    control_number: Mapped[str | None] = mapped_column(String(50))  # CLP01 / TRN02 as sent
    line_control: Mapped[str | None] = mapped_column(String(50))  # REF*6R as sent
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)  # what the payer paid on it
    reason: Mapped[str] = mapped_column(String(500))
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))


class ScrubCheck(enum.StrEnum):
    REQUIRED = "required"
    PATTERN = "pattern"  # argument: a regular expression the whole value must match
    ONE_OF = "one_of"  # argument: comma-separated values
    NOT_ONE_OF = "not_one_of"
    MAX_DAYS_AFTER_SERVICE = "max_days_after_service"  # argument: a number of days


class ScrubRule(SyncMixin, Base):
    """A practice's own claim rule, e.g. "Acme needs a group number"."""

    __tablename__ = "scrub_rule"

    name: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(100))  # dotted path on claim_document.Claim
    check: Mapped[ScrubCheck] = mapped_column(enum_column(ScrubCheck, length=30))
    argument: Mapped[str | None] = mapped_column(String(500))
    message: Mapped[str] = mapped_column(String(300))
    payer_id: Mapped[str | None] = mapped_column(ForeignKey("payer.id"))  # None: every payer
    blocks_submission: Mapped[bool] = mapped_column(default=True)  # False: a warning only
    active: Mapped[bool] = mapped_column(default=True)
