"""What one file import collects as it goes: the claims it changed, counts, amounts, and
the review items it leaves for the biller (saved with the file, so they outlast the run)."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from app.models import Claim, ClaimFile, ClaimReviewItem
from app.services.context import UnitOfWork

MAX_REASON = 500
# Every ledger line an 835 import posts starts with this, naming the trace and our claim,
# so a later reversal finds exactly those lines.
ERA = "ERA"


@dataclass
class ImportRun:
    uow: UnitOfWork
    file: ClaimFile
    claim_ids: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    paid_cents: int = 0
    adjusted_cents: int = 0
    patient_cents: int = 0
    secondary_cents: int = 0  # patient share kept with insurance for the secondary payer
    reversed_cents: int = 0
    review_items: list[ClaimReviewItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped_payments: list[str] = field(default_factory=list)

    def touched(self, claim: Claim, outcome: str) -> None:
        if claim.id not in self.claim_ids:
            self.claim_ids.append(claim.id)
        self.counts[outcome] += 1

    def review(
        self,
        reason: str,
        *,
        claim: Claim | None = None,
        control_number: str | None = None,
        line_control: str | None = None,
        amount_cents: int = 0,
    ) -> None:
        item = ClaimReviewItem(
            claim_file_id=self.file.id,
            claim_id=claim.id if claim else None,
            control_number=(control_number or (claim.control_number if claim else None) or None),
            line_control=line_control,
            amount_cents=amount_cents,
            reason=reason[:MAX_REASON],
        )
        self.uow.session.add(item)
        self.review_items.append(item)
        self.counts["review"] += 1


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """A big file posts tens of thousands of ORM objects: Python's cycle collector would
    walk the whole heap again and again meanwhile (a fifth of the import's time). Nothing
    the import makes needs collecting before it ends; the collector resumes after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
