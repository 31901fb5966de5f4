"""Claims from charges, and a claim as the plain document the 837P writer, the CMS-1500
form and the scrubber read. Runs inside the caller's unit of work.

One claim per visit per payer: a visit's posted charges, billed to the patient's primary
coverage on the date of service. Charges entered without a visit are grouped by patient and
date of service. Building is idempotent: a charge already on a live claim of that payer is
never billed again; a late charge joins its visit's claim while that is still a draft.
Once the primary payer has paid and left a share for a secondary payer, the same lines are
billed to the secondary coverage (claim_secondary), reporting what the primary did."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, lazyload

from app.interop import claim_document as doc
from app.models import (
    Charge,
    ChargeOpenBalance,
    ChargeStatus,
    Claim,
    ClaimLine,
    ClaimStatus,
    Coverage,
    Patient,
    Payer,
    Responsibility,
    ScrubRule,
    User,
)
from app.services.claim_parties import (
    billing_provider,
    patient_party,
    payer_document,
    rendering_provider,
    subscriber_document,
)
from app.services.claim_parties import digits as digits  # re-exported for claims_setup
from app.services.claim_rules import PracticeRule, Severity
from app.services.claim_secondary import (
    in_force,
    other_payer,
    patient_coverages,
    secondaries_due,
)
from app.services.claims_lifecycle import LIVE, record
from app.services.context import UnitOfWork
from app.services.errors import DomainError, NotFound
from app.services.ledger_posting import id_chunks
from app.services.numbering import next_number

CLAIM_COUNTER = "claim"

# A visit's charges: by encounter, or (patient, date of service) for charges without one.
GroupKey = tuple[str, str | None, date | None]


# -- building ------------------------------------------------------------------------------


def build_drafts(uow: UnitOfWork) -> list[Claim]:
    """New draft claims (and late lines added to drafts) for every visit with an open
    insurance balance; returns the claims made or extended."""
    session = uow.session
    groups = _visits_owed_by_insurance(session)
    # Read once for every visit (a big practice has thousands owed, most already on claims).
    coverages = patient_coverages(session, (key[0] for key in groups))
    billed_to = _live_claim_payers(session, [c.id for cs in groups.values() for c in cs])
    touched: list[Claim] = []
    for key, charges in groups.items():
        patient_id = key[0]
        coverage = _first_in_force(coverages[patient_id], min(c.service_on for c in charges))
        if coverage is None:
            continue  # billed to insurance once, but no coverage stands on that date now
        new_charges = [c for c in charges if coverage.payer_id not in billed_to.get(c.id, ())]
        if not new_charges:
            continue
        draft = _open_draft(session, key, coverage.payer_id)
        if draft is None:
            draft = _new_claim(uow, key, coverage, new_charges)
            record(
                uow, draft, ClaimStatus.DRAFT, "Built from the visit's charges", from_status=None
            )
        else:
            add_lines(session, draft, new_charges)
            draft.total_cents += sum(c.amount_cents for c in new_charges)
            draft.service_on = min(draft.service_on, *(c.service_on for c in new_charges))
        touched.append(draft)
    touched += _build_secondaries(uow)
    session.flush()
    return touched


def _build_secondaries(uow: UnitOfWork) -> list[Claim]:
    """A secondary claim for each primary claim paid with a share left for the secondary
    payer: the primary's lines, once (a live claim of that payer for them stops it)."""
    session = uow.session
    made: list[Claim] = []
    for due in list(secondaries_due(session)):
        if _charges_on_live_claims(session, list(due.charge_ids), due.coverage.payer_id):
            continue
        found = {
            c.id: c for c in session.scalars(select(Charge).where(Charge.id.in_(due.charge_ids)))
        }
        charges = [
            found[i]
            for i in due.charge_ids
            if found[i].status is ChargeStatus.POSTED and found[i].deleted_at is None
        ]
        if not charges:
            continue
        primary = due.primary
        claim = new_claim_row(
            uow,
            primary.patient_id,
            primary.encounter_id,
            due.coverage,
            charges,
            priority=primary.priority + 1,
        )
        add_lines(session, claim, charges)
        record(
            uow,
            claim,
            ClaimStatus.DRAFT,
            f"Secondary claim: the primary payer paid claim {primary.control_number}",
            from_status=None,
        )
        made.append(claim)
    return made


def _visits_owed_by_insurance(session: Session) -> dict[GroupKey, list[Charge]]:
    """Posted charges of every visit that insurance still owes something on."""
    owed = (
        select(Charge.patient_id, Charge.encounter_id, Charge.service_on)
        .join(ChargeOpenBalance, ChargeOpenBalance.charge_id == Charge.id)
        .where(
            ChargeOpenBalance.responsibility == Responsibility.INSURANCE,
            ChargeOpenBalance.open_cents > 0,
        )
        .distinct()
    )
    keys: set[GroupKey] = set()
    for patient_id, encounter_id, service_on in session.execute(owed):
        keys.add(
            (patient_id, encounter_id, None) if encounter_id else (patient_id, None, service_on)
        )
    if not keys:
        return {}
    encounter_ids = {k[1] for k in keys if k[1]}
    loose = {(k[0], k[2]) for k in keys if not k[1]}
    charges = session.scalars(
        select(Charge)
        .where(
            Charge.status == ChargeStatus.POSTED,
            Charge.deleted_at.is_(None),
            or_(
                Charge.encounter_id.in_(encounter_ids),
                Charge.encounter_id.is_(None) & Charge.patient_id.in_({p for p, _ in loose}),
            ),
        )
        .order_by(Charge.service_on, Charge.created_at, Charge.id)
    )
    groups: dict[GroupKey, list[Charge]] = defaultdict(list)
    for charge in charges:
        if charge.encounter_id:
            groups[(charge.patient_id, charge.encounter_id, None)].append(charge)
        elif (charge.patient_id, charge.service_on) in loose:
            groups[(charge.patient_id, None, charge.service_on)].append(charge)
    return groups


def primary_coverage(session: Session, patient_id: str, day: date) -> Coverage | None:
    """The coverage that pays first on `day` (the lowest priority number in force)."""
    return _first_in_force(patient_coverages(session, [patient_id])[patient_id], day)


def _first_in_force(coverages: Iterable[Coverage], day: date) -> Coverage | None:
    return min(in_force(coverages, day), key=lambda c: (c.priority, c.created_at), default=None)


def _live_claim_payers(session: Session, charge_ids: Iterable[str]) -> dict[str, set[str]]:
    """Per charge, the payers of the live claims it is a line of."""
    found: dict[str, set[str]] = defaultdict(set)
    for chunk in id_chunks(charge_ids):
        rows = session.execute(
            select(ClaimLine.charge_id, Claim.payer_id)
            .join(Claim, Claim.id == ClaimLine.claim_id)
            .where(
                ClaimLine.charge_id.in_(chunk),
                ClaimLine.deleted_at.is_(None),
                Claim.status.in_(LIVE),
            )
        )
        for charge_id, payer_id in rows:
            found[charge_id].add(payer_id)
    return found


def _charges_on_live_claims(session: Session, charge_ids: list[str], payer_id: str) -> set[str]:
    rows = session.scalars(
        select(ClaimLine.charge_id)
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(
            ClaimLine.charge_id.in_(charge_ids),
            ClaimLine.deleted_at.is_(None),
            Claim.payer_id == payer_id,
            Claim.status.in_(LIVE),
        )
    )
    return set(rows)


def _open_draft(session: Session, key: GroupKey, payer_id: str) -> Claim | None:
    patient_id, encounter_id, service_on = key
    query = select(Claim).where(
        Claim.patient_id == patient_id,
        Claim.payer_id == payer_id,
        Claim.status == ClaimStatus.DRAFT,
        Claim.frequency_code == "1",
        Claim.deleted_at.is_(None),
    )
    if encounter_id:
        query = query.where(Claim.encounter_id == encounter_id)
    else:
        query = query.where(Claim.encounter_id.is_(None), Claim.service_on == service_on)
    return session.scalars(query.limit(1)).first()


def _new_claim(
    uow: UnitOfWork, key: GroupKey, coverage: Coverage, charges: Sequence[Charge]
) -> Claim:
    claim = new_claim_row(uow, key[0], key[1], coverage, charges)
    add_lines(uow.session, claim, charges)
    return claim


def new_claim_row(
    uow: UnitOfWork,
    patient_id: str,
    encounter_id: str | None,
    coverage: Coverage,
    charges: Sequence[Charge],
    *,
    frequency_code: str = "1",
    replaces: Claim | None = None,
    priority: int = 1,
) -> Claim:
    """A draft claim with its own control number (CLM01), its lines not yet added; a
    replacement keeps the priority of the claim it replaces."""
    number = next_number(uow.session, uow.ctx.device_id, CLAIM_COUNTER, kind="C")
    claim = Claim(
        patient_id=patient_id,
        encounter_id=encounter_id,
        payer_id=coverage.payer_id,
        coverage_id=coverage.id,
        priority=replaces.priority if replaces else priority,
        control_number=number,
        status=ClaimStatus.DRAFT,
        frequency_code=frequency_code,
        replaces_claim_id=replaces.id if replaces else None,
        service_on=min(c.service_on for c in charges),
        total_cents=sum(c.amount_cents for c in charges),
        denial_codes=[],
    )
    uow.session.add(claim)
    uow.session.flush()
    return claim


def add_lines(session: Session, claim: Claim, charges: Iterable[Charge]) -> None:
    first = len(claim_lines(session, claim.id)) + 1
    for number, charge in enumerate(charges, start=first):
        session.add(
            ClaimLine(
                claim_id=claim.id,
                charge_id=charge.id,
                line_number=number,
                control=charge.id,  # REF*6R: the 835 names the charge it paid
                charge_cents=charge.amount_cents,
                units=charge.units,
            )
        )
    session.flush()


def claim_lines(session: Session, claim_id: str) -> list[ClaimLine]:
    return list(
        session.scalars(
            select(ClaimLine)
            .where(ClaimLine.claim_id == claim_id, ClaimLine.deleted_at.is_(None))
            .order_by(ClaimLine.line_number)
        )
    )


def encounter_charges(session: Session, claim: Claim) -> list[Charge]:
    """The posted charges of the claim's visit now (for a corrected claim)."""
    query = select(Charge).where(
        Charge.status == ChargeStatus.POSTED,
        Charge.deleted_at.is_(None),
        Charge.patient_id == claim.patient_id,
    )
    if claim.encounter_id:
        query = query.where(Charge.encounter_id == claim.encounter_id)
    else:
        query = query.where(Charge.encounter_id.is_(None), Charge.service_on == claim.service_on)
    return list(session.scalars(query.order_by(Charge.service_on, Charge.created_at, Charge.id)))


# -- the claim as a document ---------------------------------------------------------------


def claim_document(
    session: Session, claim: Claim, *, billing: doc.BillingProvider | None = None
) -> doc.Claim:
    """The claim as the writers print it. Raises DomainError when something the document
    cannot do without is missing (the scrubber reports everything else). A batch passes
    `billing` (the practice's, the same for every claim) read once."""
    lines = claim_lines(session, claim.id)
    if not lines:
        raise DomainError(f"Claim {claim.control_number} has no service lines.")
    charges = {
        c.id: c
        for c in session.scalars(
            select(Charge).where(Charge.id.in_([line.charge_id for line in lines]))
        )
    }
    patient = session.get(Patient, claim.patient_id)
    coverage = session.get(Coverage, claim.coverage_id)
    payer = session.get(Payer, claim.payer_id)
    if patient is None or coverage is None or payer is None:
        raise NotFound("This claim's patient, coverage or payer no longer exists.")
    first = charges[lines[0].charge_id]
    diagnoses, pointers = _diagnoses([charges[line.charge_id] for line in lines])
    place = first.place_of_service
    subscriber = subscriber_document(patient, coverage, payer, claim.priority)
    replaced = session.get(Claim, claim.replaces_claim_id) if claim.replaces_claim_id else None
    other, other_lines = other_payer(session, claim, [line.charge_id for line in lines])
    return doc.Claim(
        control_number=claim.control_number,
        billing_provider=billing or billing_provider(session),
        rendering_provider=rendering_provider(session, first.rendering_provider_id),
        payer=payer_document(payer),
        subscriber=subscriber,
        patient=patient_party(patient, coverage),
        place_of_service=place,
        diagnosis_codes=diagnoses,
        lines=[
            _service_line(
                line,
                charges[line.charge_id],
                pointers[line.charge_id],
                place,
                other_lines.get(line.charge_id),
            )
            for line in lines
        ],
        frequency_code=claim.frequency_code,
        payer_claim_number=replaced.payer_claim_number if replaced else None,
        other_payer=other,
    )


def preload_parties(session: Session, claims: Sequence[Claim]) -> list[object]:
    """Reads the claims' patients, coverages, payers and the practice's users in a few
    bulk queries, so claim_document's session.get finds them in the session. Phones and
    emergency contacts stay unloaded (the document needs neither). The caller keeps the
    returned rows while it builds: the session holds its rows only weakly."""
    kept: list[object] = list(session.scalars(select(User)))
    wanted = (
        (Patient, [c.patient_id for c in claims]),
        (Coverage, [c.coverage_id for c in claims]),
        (Payer, [c.payer_id for c in claims]),
    )
    for model, ids in wanted:
        for chunk in id_chunks(i for i in ids if i):
            query = select(model).where(model.id.in_(chunk))
            if model is Patient:
                query = query.options(lazyload(Patient.phones), lazyload(Patient.contacts))
            kept += session.scalars(query)
    return kept


def _diagnoses(charges: Sequence[Charge]) -> tuple[list[str], dict[str, list[int]]]:
    """The claim's diagnoses (each charge's, in order, without the dot, once) and each
    charge's pointers renumbered into that list."""
    codes: list[str] = []
    pointers: dict[str, list[int]] = {}
    for charge in charges:
        own = [code.replace(".", "").strip().upper() for code in charge.diagnosis_codes]
        mapped: list[int] = []
        for pointer in charge.diagnosis_pointers:
            if not 1 <= pointer <= len(own):
                continue  # a pointer to nothing: the line shows no diagnosis, which is flagged
            code = own[pointer - 1]
            if code not in codes:
                codes.append(code)
            mapped.append(codes.index(code) + 1)
        pointers[charge.id] = mapped
    return codes, pointers


def _service_line(
    line: ClaimLine,
    charge: Charge,
    pointers: list[int],
    place: str,
    other_payer: doc.OtherPayerLine | None,
) -> doc.ServiceLine:
    return doc.ServiceLine(
        procedure_code=charge.procedure_code,
        charge_cents=line.charge_cents,
        units=line.units,
        diagnosis_pointers=tuple(pointers),
        service_on=charge.service_on,
        modifiers=tuple(charge.modifiers or ()),
        place_of_service=charge.place_of_service if charge.place_of_service != place else None,
        line_control_number=line.control,
        other_payer=other_payer,
    )


# -- what the scrubber needs ---------------------------------------------------------------


def practice_rules(session: Session) -> list[PracticeRule]:
    """The practice's active claim rules, per-payer ones keyed by the payer's electronic id
    (what the claim document carries)."""
    rows = session.execute(
        select(ScrubRule, Payer.payer_code)
        .outerjoin(Payer, Payer.id == ScrubRule.payer_id)
        .where(ScrubRule.active.is_(True), ScrubRule.deleted_at.is_(None))
        .order_by(ScrubRule.created_at)
    )
    return [
        PracticeRule(
            name=rule.name,
            field=rule.field,
            kind=rule.check.value,
            argument=rule.argument or "",
            message=rule.message,
            payer_id=payer_code,
            severity=Severity.ERROR if rule.blocks_submission else Severity.WARNING,
        )
        for rule, payer_code in rows
        if payer_code or not rule.payer_id  # a rule of a payer since removed applies to none
    ]
