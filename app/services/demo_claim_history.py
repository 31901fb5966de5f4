"""The claims behind the demo's insurance payments, as the claim services and the 835
import would have left them: one claim per insured visit (its lines = the visit's posted
charges), built, checked and sent the day the charges were posted (one history row for
the three steps: there are thousands), acknowledged two days later with the
payer's claim number, paid (or partly paid) on the day the payer's payment is dated, and
some paid ones closed. demo_billing writes the matching ledger lines, naming the payer's
trace and the claim the way an 835 import does, so a later reversal finds them.

Rows are written directly (thousands of them, each on its own past day: the services would
take minutes and date everything today). Unpaid visits from the last RECENT_DAYS get a
draft claim, as the biller's "build claims" would make it (ClaimService.build_ready takes
some ten seconds for a large demo's open visits); demo_claims works those through the real
services."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.models import Charge, Claim, ClaimEvent, ClaimLine, ClaimStatus, Coverage, Payer
from app.models.base import new_id
from app.services.claim_building import CLAIM_COUNTER
from app.services.numbering import reserve_numbers

S = ClaimStatus
RECENT_DAYS = 4  # unpaid visits this recent get drafts, for demo_claims
ACCEPTED_AFTER = 2  # days from sending to the payer's 277CA
CLOSED_AFTER = 60  # paid claims older than this are closed, half of them
# The ledger reason an 835 import writes (claim_imports_835._reason), so reversals find it.
ERA_REASON = "ERA {trace} claim {control}: {what}"


def era_reason(trace: str, control: str, what: str) -> str:
    return ERA_REASON.format(trace=trace, control=control, what=what)


class ClaimHistory:
    """Writes the claim rows of settled and older unpaid insured visits."""

    def __init__(
        self,
        session: Session,
        device_id: str,
        biller_id: str | None,
        zone: ZoneInfo,
        today: date,
        rng: random.Random,
    ) -> None:
        self.session, self.device_id, self.biller_id = session, device_id, biller_id
        self.zone, self.today, self.rng = zone, today, rng
        self.numbers: list[str] = []

    def trace(self, payer_id: str, paid_on: date) -> str:
        """The payer's check or EFT trace: one per payer per day (TRN02)."""
        payer = self.session.get(Payer, payer_id)
        code = payer.payer_code if payer else "PAYER"
        return f"{code[:4]}{paid_on:%y%m%d}"

    def bill(
        self,
        charges: Sequence[Charge],
        coverage: Coverage,
        posted_on: date,
        paid_on: date | None,
        *,
        partly: bool = False,
    ) -> Claim:
        """The visit's claim: a draft for a recent unpaid visit (demo_claims works it through
        the services), else sent, acknowledged and, when `paid_on`, paid."""
        service_on = min(c.service_on for c in charges)
        recent = paid_on is None and service_on >= self.today - timedelta(days=RECENT_DAYS)
        accepted_on = posted_on + timedelta(days=ACCEPTED_AFTER)
        claim = Claim(
            id=new_id(),
            patient_id=charges[0].patient_id,
            encounter_id=charges[0].encounter_id,
            payer_id=coverage.payer_id,
            coverage_id=coverage.id,
            priority=1,
            control_number=self._control_number(),
            status=S.DRAFT if recent else S.SUBMITTED,
            frequency_code="1",
            service_on=service_on,
            total_cents=sum(c.amount_cents for c in charges),
            submitted_at=self._at(posted_on, 17, 30),
            denial_codes=[],
        )
        self.session.add(claim)
        for number, charge in enumerate(charges, start=1):
            self.session.add(
                ClaimLine(
                    claim_id=claim.id,
                    charge_id=charge.id,
                    line_number=number,
                    control=charge.id,
                    charge_cents=charge.amount_cents,
                    units=charge.units,
                )
            )
        if recent:
            self._event(claim, None, S.DRAFT, posted_on, 10, "Built from the visit's charges")
            claim.submitted_at = None
            return claim
        # Built, checked and sent the same day: one history row (they are many), from none.
        self._event(
            claim, None, S.SUBMITTED, posted_on, 17, "Built, checked and sent in the day's batch"
        )
        if accepted_on < self.today:
            claim.status = S.ACCEPTED
            claim.payer_claim_number = f"{service_on:%y%j}{self.rng.randrange(10**8):08d}"
            self._event(claim, S.SUBMITTED, S.ACCEPTED, accepted_on, 8, "277CA: accepted")
        if paid_on is not None:
            self._paid(claim, paid_on, partly)  # payers pay 14+ days on: after the 277CA
        return claim

    def _control_number(self) -> str:
        """CLM01 as ClaimService numbers it ("C-" and the device's counter), taken in
        blocks: a number left over at the end is a gap, which claim numbers may have."""
        if not self.numbers:
            self.numbers = reserve_numbers(self.session, self.device_id, CLAIM_COUNTER, 100)
            self.numbers.reverse()
        return f"C-{self.numbers.pop()}"

    def _paid(self, claim: Claim, paid_on: date, partly: bool) -> None:
        trace = self.trace(claim.payer_id, paid_on)
        to = S.PARTIALLY_PAID if partly else S.PAID
        self._event(
            claim, claim.status, to, paid_on, 17, f"835 processed as primary; trace {trace}"
        )
        claim.status = to
        if partly:
            claim.denial_reason = "Processed as primary: CO-97 (one line bundled), CO-45"
            claim.denial_codes = ["CO-97", "CO-45"]
        elif paid_on < self.today - timedelta(days=CLOSED_AFTER) and self.rng.random() < 0.5:
            closed_on = paid_on + timedelta(days=30)
            self._event(claim, S.PAID, S.CLOSED, closed_on, 9, "Paid; nothing more to do")
            claim.status = S.CLOSED

    def _event(
        self,
        claim: Claim,
        from_status: ClaimStatus | None,
        to: ClaimStatus,
        day: date,
        hour: int,
        note: str | None,
        *,
        minute: int = 0,
    ) -> None:
        self.session.add(
            ClaimEvent(
                claim_id=claim.id,
                from_status=from_status,
                to_status=to,
                occurred_at=self._at(day, hour, minute),
                user_id=self.biller_id,
                note=note,
            )
        )

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), self.zone)
