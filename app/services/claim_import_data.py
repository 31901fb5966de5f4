"""What importing a 999, 277CA or 835 file returns, and the biller's review list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.models import ClaimFileKind


@dataclass(frozen=True)
class ReviewItemView:
    id: str
    claim_file_id: str
    file_name: str
    claim_id: str | None
    control_number: str | None  # the claim number as the payer's file gave it
    line_control: str | None
    amount_cents: int
    reason: str
    created_at: datetime
    resolved_at: datetime | None


@dataclass(frozen=True)
class ImportSummary:
    """One imported file: what it changed, in numbers a biller reads at a glance."""

    file_id: str
    kind: ClaimFileKind
    file_name: str
    claim_ids: tuple[str, ...]  # the claims whose status or money changed
    counts: dict[str, int] = field(default_factory=dict)  # e.g. {"paid": 3, "denied": 1}
    paid_cents: int = 0  # insurance payments applied to charges
    adjusted_cents: int = 0  # contractual and other adjustments taken off insurance
    patient_cents: int = 0  # moved from insurance to the patients' responsibility
    # The patients' share the primary payer named but a secondary payer is billed for
    # next: it stays with insurance (the secondary claim is built by build_ready).
    secondary_cents: int = 0
    reversed_cents: int = 0  # earlier posted payments the payer took back
    review: tuple[ReviewItemView, ...] = ()  # what the biller has to look at
    problems: tuple[str, ...] = ()  # the file's own faults (unbalanced amounts...)
    skipped_payments: tuple[str, ...] = ()  # 835 payments imported before ("trace 123")
