"""Coordination of benefits: which payer pays after a claim's payer, what that payer did
with each line (kept from its 835), and the "other payer" a secondary claim reports.

The rule for the patient's share (CAS group PR) on a primary claim: when the patient has
a secondary coverage in force on the date of service, the share stays on the insurance
side, because the secondary payer is billed for it next (what billers do: the patient is
billed only for what every payer left). Without a secondary it moves to the patient as
soon as the primary's 835 is posted. A secondary claim's own PR goes to the patient: a
third payer is not billed (a tertiary claim would need two other payers on one claim)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.interop import claim_document as doc
from app.models import (
    ChargeOpenBalance,
    Claim,
    ClaimLine,
    ClaimLineAdjudication,
    ClaimStatus,
    Coverage,
    Patient,
    Payer,
    Responsibility,
    SubscriberRelationship,
)
from app.services.claim_parties import RELATIONSHIP_CODES, payer_document, subscriber_document
from app.services.claims_lifecycle import LIVE
from app.services.ledger_posting import id_chunks

S = ClaimStatus
PRIMARY = 1
# Primary claims a secondary may follow: the payer adjudicated and paid something (and
# the biller may have closed the primary already).
PAID_BY_PRIMARY = (S.PAID, S.PARTIALLY_PAID, S.CLOSED)
# CLP02 "processed as primary (secondary, tertiary), forwarded to another payer": the payer
# sent the claim on itself (a crossover), so billing the next payer again would duplicate it.
FORWARDED = frozenset({"19", "20", "21"})
# 2320 SBR02: the patient is the other payer's subscriber.
_SELF = "18"


# -- who pays next -----------------------------------------------------------------------


def next_coverage(
    session: Session, claim: Claim, coverages: Sequence[Coverage] | None = None
) -> Coverage | None:
    """The coverage that pays after the claim's on its date of service: the next priority
    in force, with another payer (the same payer cannot be billed twice for one charge).
    `coverages`: every coverage of the claim's patient, removed ones too, when the caller
    has them (patient_coverages), else they are read."""
    if coverages is None:
        coverages = patient_coverages(session, [claim.patient_id]).get(claim.patient_id, [])
    current = next((c for c in coverages if c.id == claim.coverage_id), None)
    if current is None and claim.coverage_id is not None:
        current = session.get(Coverage, claim.coverage_id)
    after = current.priority if current else claim.priority
    day = claim.service_on
    following = [
        c for c in in_force(coverages, day) if c.priority > after and c.payer_id != claim.payer_id
    ]
    return min(following, key=lambda c: (c.priority, c.created_at), default=None)


def in_force(coverages: Iterable[Coverage], day: date) -> list[Coverage]:
    """The coverages (not removed) in force on `day`."""
    return [
        c
        for c in coverages
        if c.deleted_at is None
        and (c.effective_on is None or c.effective_on <= day)
        and (c.terminated_on is None or c.terminated_on >= day)
    ]


def patient_coverages(session: Session, patient_ids: Iterable[str]) -> dict[str, list[Coverage]]:
    """Every coverage of each patient (removed ones too), read in a few queries."""
    found: dict[str, list[Coverage]] = {patient_id: [] for patient_id in patient_ids}
    for chunk in id_chunks(found):
        for coverage in session.scalars(select(Coverage).where(Coverage.patient_id.in_(chunk))):
            found[coverage.patient_id].append(coverage)
    return found


def keeps_patient_share(
    session: Session, claim: Claim, coverages: Sequence[Coverage] | None = None
) -> bool:
    """True when the primary's PR stays with insurance for a secondary payer."""
    return claim.priority == PRIMARY and next_coverage(session, claim, coverages) is not None


# -- what the payer did with each line ----------------------------------------------------


@dataclass(frozen=True)
class LineAdjudication:
    """One line as the payer adjudicated it (its 835s still standing, added together)."""

    charge_id: str
    paid_cents: int
    adjustments: tuple[doc.Adjustment, ...]
    paid_on: date

    def document(self) -> doc.OtherPayerLine:
        return doc.OtherPayerLine(self.paid_cents, self.adjustments, self.paid_on)


def adjudicated_lines(session: Session, claim_id: str) -> dict[str, LineAdjudication]:
    """Per charge, what the payer's standing (not reversed) 835s said about the claim's
    lines; a line adjudicated more than once adds up (same group and reason together)."""
    rows = session.execute(
        select(ClaimLineAdjudication, ClaimLine.charge_id)
        .join(ClaimLine, ClaimLine.id == ClaimLineAdjudication.claim_line_id)
        .where(
            ClaimLineAdjudication.claim_id == claim_id,
            ClaimLineAdjudication.reversed_at.is_(None),
            ClaimLineAdjudication.deleted_at.is_(None),
        )
        .order_by(ClaimLineAdjudication.created_at, ClaimLineAdjudication.id)
    ).all()
    found: dict[str, LineAdjudication] = {}
    for row, charge_id in rows:
        earlier = found.get(charge_id)
        adjustments = tuple(
            doc.Adjustment(str(a["group"]), str(a["reason"]), int(a["cents"]))
            for a in row.adjustments
        )
        paid, paid_on = row.paid_cents, row.paid_on
        if earlier is not None:
            adjustments = _merged(earlier.adjustments + adjustments)
            paid, paid_on = earlier.paid_cents + paid, max(earlier.paid_on, paid_on)
        found[charge_id] = LineAdjudication(charge_id, paid, adjustments, paid_on)
    return found


def _merged(adjustments: Sequence[doc.Adjustment]) -> tuple[doc.Adjustment, ...]:
    totals: dict[tuple[str, str], int] = {}
    for a in adjustments:
        key = (a.group_code, a.reason_code)
        totals[key] = totals.get(key, 0) + a.amount_cents
    return tuple(doc.Adjustment(g, r, cents) for (g, r), cents in totals.items() if cents)


# -- secondary claims ----------------------------------------------------------------------


@dataclass(frozen=True)
class SecondaryDue:
    primary: Claim
    coverage: Coverage  # the secondary payer's
    charge_ids: tuple[str, ...]  # the primary's lines, in order


def secondaries_due(session: Session) -> Iterator[SecondaryDue]:
    """Primary claims the payer paid on whose charges insurance still owes something, for
    a patient with a secondary coverage: once every line of the primary is adjudicated."""
    owed = select(ChargeOpenBalance.charge_id).where(
        ChargeOpenBalance.responsibility == Responsibility.INSURANCE,
        ChargeOpenBalance.open_cents > 0,
    )
    primaries = session.scalars(
        select(Claim)
        .join(ClaimLine, ClaimLine.claim_id == Claim.id)
        .where(
            Claim.priority == PRIMARY,
            Claim.status.in_(PAID_BY_PRIMARY),
            Claim.deleted_at.is_(None),
            ClaimLine.deleted_at.is_(None),
            ClaimLine.charge_id.in_(owed),
        )
        .distinct()
        .order_by(Claim.service_on, Claim.control_number)
    ).all()
    for primary in primaries:
        coverage = next_coverage(session, primary)
        if coverage is None or _forwarded(session, primary):
            continue
        charge_ids = tuple(
            session.scalars(
                select(ClaimLine.charge_id)
                .where(ClaimLine.claim_id == primary.id, ClaimLine.deleted_at.is_(None))
                .order_by(ClaimLine.line_number)
            )
        )
        if set(charge_ids) <= set(adjudicated_lines(session, primary.id)):
            yield SecondaryDue(primary, coverage, charge_ids)


def _forwarded(session: Session, claim: Claim) -> bool:
    found = session.scalar(
        select(ClaimLineAdjudication.id)
        .where(
            ClaimLineAdjudication.claim_id == claim.id,
            ClaimLineAdjudication.reversed_at.is_(None),
            ClaimLineAdjudication.deleted_at.is_(None),
            ClaimLineAdjudication.claim_status_code.in_(FORWARDED),
        )
        .limit(1)
    )
    return found is not None


def primary_claim(session: Session, claim: Claim) -> Claim | None:
    """The claim whose payer paid before this secondary's: the newest standing claim one
    priority up that billed the same charges and still has its payer's adjudication."""
    if claim.priority <= PRIMARY:
        return None
    for found in session.scalars(_neighbours(claim, claim.priority - 1)):
        if adjudicated_lines(session, found.id):
            return found
    return None


def secondary_claims(session: Session, claim: Claim) -> list[Claim]:
    """The standing claims that report this claim's adjudication to the next payer."""
    return list(session.scalars(_neighbours(claim, claim.priority + 1)))


def _neighbours(claim: Claim, priority: int) -> Select[Claim]:
    """Standing claims of the patient at `priority` that bill any of the claim's charges,
    newest first."""
    charge_ids = select(ClaimLine.charge_id).where(
        ClaimLine.claim_id == claim.id, ClaimLine.deleted_at.is_(None)
    )
    return (
        select(Claim)
        .join(ClaimLine, ClaimLine.claim_id == Claim.id)
        .where(
            Claim.patient_id == claim.patient_id,
            Claim.priority == priority,
            Claim.status.in_(LIVE),
            Claim.frequency_code != "8",  # a void claim stands for nothing
            Claim.deleted_at.is_(None),
            ClaimLine.deleted_at.is_(None),
            ClaimLine.charge_id.in_(charge_ids),
        )
        .distinct()
        .order_by(Claim.created_at.desc(), Claim.id.desc())
    )


def other_payer(
    session: Session, claim: Claim, charge_ids: Sequence[str]
) -> tuple[doc.OtherPayer | None, dict[str, doc.OtherPayerLine]]:
    """For a secondary claim: the primary payer as 837P loop 2320/2330 reports it (what it
    paid on these lines, its latest adjudication date, the patient's relationship to its
    subscriber) and each line's adjudication (loop 2430) by charge. (None, {}) when the
    primary's payment is not known (yet, or any more after a reversal): the scrubber says so."""
    primary = primary_claim(session, claim)
    if primary is None:
        return None, {}
    coverage = session.get(Coverage, primary.coverage_id)
    payer = session.get(Payer, primary.payer_id)
    patient = session.get(Patient, claim.patient_id)
    if coverage is None or payer is None or patient is None:
        return None, {}
    lines = adjudicated_lines(session, primary.id)
    mine = {charge_id: lines[charge_id] for charge_id in charge_ids if charge_id in lines}
    if not mine:
        return None, {}
    relationship = coverage.relationship_to_subscriber
    other = doc.OtherPayer(
        payer=payer_document(payer),
        subscriber=subscriber_document(patient, coverage, payer, primary.priority),
        paid_cents=sum(line.paid_cents for line in mine.values()),
        patient_relationship_code=(
            _SELF
            if relationship is SubscriberRelationship.SELF
            else RELATIONSHIP_CODES[relationship]
        ),
        paid_on=max(line.paid_on for line in mine.values()),
    )
    return other, {charge_id: line.document() for charge_id, line in mine.items()}
