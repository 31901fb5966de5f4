"""What the claims use cases take and return: plain frozen views, and the inputs of the
biller's forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.models import ClaimFileKind, ClaimStatus, ScrubCheck
from app.services.claim_rules import ScrubProblem
from app.services.errors import DomainError

CATEGORY = "claim"  # audit category of every claim read and change
MAX_NOTE = 500

STATUS_LABELS = {
    ClaimStatus.DRAFT: "Draft",
    ClaimStatus.READY: "Ready to send",
    ClaimStatus.SUBMITTED: "Submitted",
    ClaimStatus.ACCEPTED: "Accepted",
    ClaimStatus.REJECTED: "Rejected",
    ClaimStatus.PAID: "Paid",
    ClaimStatus.PARTIALLY_PAID: "Partially paid",
    ClaimStatus.DENIED: "Denied",
    ClaimStatus.APPEALED: "Appealed",
    ClaimStatus.CORRECTED: "Corrected",
    ClaimStatus.VOIDED: "Voided",
    ClaimStatus.CLOSED: "Closed",
}

FREQUENCY_LABELS = {"1": "original", "7": "corrected", "8": "void"}


class ScrubFailed(DomainError):
    """The scrubber found errors: the claim stays where it was. `problems` lists them all
    (warnings too), for the screen to show beside the claim."""

    def __init__(self, message: str, problems: tuple[ScrubProblem, ...]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class ClaimSummary:
    id: str
    version: int
    control_number: str
    status: ClaimStatus
    patient_id: str
    patient_name: str  # "Last, First"
    payer_id: str
    payer_name: str
    priority: int
    frequency_code: str
    service_on: date
    total_cents: int
    payer_claim_number: str | None
    replaces_claim_id: str | None
    submitted_at: datetime | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class ClaimLineView:
    line_number: int
    charge_id: str
    procedure_code: str
    modifiers: tuple[str, ...]
    service_on: date
    units: int
    charge_cents: int
    control: str


@dataclass(frozen=True)
class ClaimEventView:
    occurred_at: datetime
    from_status: ClaimStatus | None
    to_status: ClaimStatus
    user_name: str | None
    note: str | None


@dataclass(frozen=True)
class WorklistFields:
    owner_id: str | None
    owner_name: str | None
    next_action: str | None
    due_on: date | None
    denial_reason: str | None
    denial_codes: tuple[str, ...]


@dataclass(frozen=True)
class ClaimDetail:
    summary: ClaimSummary
    lines: tuple[ClaimLineView, ...]
    history: tuple[ClaimEventView, ...]  # oldest first
    worklist: WorklistFields


@dataclass(frozen=True)
class DenialRow:
    """A denied or rejected claim on the biller's worklist."""

    claim: ClaimSummary
    worklist: WorklistFields


@dataclass(frozen=True)
class ClaimFileView:
    id: str
    kind: ClaimFileKind
    file_name: str
    interchange_number: int | None
    claims_count: int
    created_at: datetime
    claim_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class BillingSetup:
    """The practice's claim details: the billing provider and the clearinghouse."""

    npi: str | None
    tax_id: str | None
    taxonomy_code: str | None
    billing_phone: str | None
    billing_contact: str | None
    clearinghouse_name: str | None
    submitter_id: str | None
    receiver_id: str | None


@dataclass(frozen=True)
class ScrubRuleInput:
    name: str
    field: str  # dotted path on claim_document.Claim, e.g. "subscriber.group_number"
    check: ScrubCheck
    argument: str = ""
    message: str = ""
    payer_id: str | None = None  # our payer row id; None: every payer
    blocks_submission: bool = True
    active: bool = True


@dataclass(frozen=True)
class ScrubRuleView:
    id: str
    version: int
    name: str
    field: str
    check: ScrubCheck
    argument: str
    message: str
    payer_id: str | None
    payer_name: str | None
    blocks_submission: bool
    active: bool


def note_text(note: str | None, *, required: str | None = None) -> str | None:
    """A note cleaned of extra spaces; `required` is the message when one must be given."""
    text = " ".join((note or "").split())
    if not text:
        if required:
            raise DomainError(required)
        return None
    if len(text) > MAX_NOTE:
        raise DomainError(f"Keep the note under {MAX_NOTE} characters.")
    return text
