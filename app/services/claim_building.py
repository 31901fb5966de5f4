"""Claims from charges, and a claim as the plain document the 837P writer, the CMS-1500
form and the scrubber read. Runs inside the caller's unit of work.

One claim per visit per payer: a visit's posted charges, billed to the patient's primary
coverage on the date of service. Charges entered without a visit are grouped by patient and
date of service. Building is idempotent: a charge already on a live claim of that payer is
never billed again; a late charge joins its visit's claim while that is still a draft."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.interop import claim_document as doc
from app.models import (
    Charge,
    ChargeOpenBalance,
    ChargeStatus,
    Claim,
    ClaimLine,
    ClaimStatus,
    Coverage,
    Location,
    Patient,
    Payer,
    Practice,
    Responsibility,
    ScrubRule,
    SexAtBirth,
    SubscriberRelationship,
    User,
)
from app.services.claim_rules import PracticeRule, Severity
from app.services.claims_lifecycle import LIVE, record
from app.services.context import UnitOfWork
from app.services.errors import DomainError, NotFound
from app.services.numbering import next_number

CLAIM_COUNTER = "claim"
# PAT01 individual relationship codes (005010X222A1 2000C): spouse, child, other.
_RELATIONSHIP_CODES = {
    SubscriberRelationship.SPOUSE: "01",
    SubscriberRelationship.CHILD: "19",
    SubscriberRelationship.OTHER: "G8",
}
_SEX_CODES = {SexAtBirth.FEMALE: "F", SexAtBirth.MALE: "M"}
_TITLES = {"dr", "dr.", "doctor"}

# A visit's charges: by encounter, or (patient, date of service) for charges without one.
GroupKey = tuple[str, str | None, date | None]


# -- building ------------------------------------------------------------------------------


def build_drafts(uow: UnitOfWork) -> list[Claim]:
    """New draft claims (and late lines added to drafts) for every visit with an open
    insurance balance; returns the claims made or extended."""
    session = uow.session
    groups = _visits_owed_by_insurance(session)
    touched: list[Claim] = []
    for key, charges in groups.items():
        patient_id = key[0]
        coverage = primary_coverage(session, patient_id, min(c.service_on for c in charges))
        if coverage is None:
            continue  # billed to insurance once, but no coverage stands on that date now
        billed = _charges_on_live_claims(session, [c.id for c in charges], coverage.payer_id)
        new_charges = [c for c in charges if c.id not in billed]
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
    session.flush()
    return touched


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
    return session.scalars(
        select(Coverage)
        .where(
            Coverage.patient_id == patient_id,
            Coverage.deleted_at.is_(None),
            or_(Coverage.effective_on.is_(None), Coverage.effective_on <= day),
            or_(Coverage.terminated_on.is_(None), Coverage.terminated_on >= day),
        )
        .order_by(Coverage.priority, Coverage.created_at)
        .limit(1)
    ).first()


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
) -> Claim:
    """A draft claim with its own control number (CLM01), its lines not yet added."""
    number = next_number(uow.session, uow.ctx.device_id, CLAIM_COUNTER, kind="C")
    claim = Claim(
        patient_id=patient_id,
        encounter_id=encounter_id,
        payer_id=coverage.payer_id,
        coverage_id=coverage.id,
        priority=replaces.priority if replaces else 1,
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


def claim_document(session: Session, claim: Claim) -> doc.Claim:
    """The claim as the writers print it. Raises DomainError when something the document
    cannot do without is missing (the scrubber reports everything else)."""
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
    subscriber = _subscriber(patient, coverage, payer, claim.priority)
    replaced = session.get(Claim, claim.replaces_claim_id) if claim.replaces_claim_id else None
    return doc.Claim(
        control_number=claim.control_number,
        billing_provider=billing_provider(session),
        rendering_provider=_rendering(session, first.rendering_provider_id),
        payer=payer_document(payer),
        subscriber=subscriber,
        patient=_patient_party(patient, coverage),
        place_of_service=place,
        diagnosis_codes=diagnoses,
        lines=[
            _service_line(line, charges[line.charge_id], pointers[line.charge_id], place)
            for line in lines
        ],
        frequency_code=claim.frequency_code,
        payer_claim_number=replaced.payer_claim_number if replaced else None,
    )


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
    line: ClaimLine, charge: Charge, pointers: list[int], place: str
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
    )


def billing_provider(session: Session) -> doc.BillingProvider:
    practice = session.scalars(select(Practice).limit(1)).one()
    location = session.scalars(
        select(Location)
        .where(Location.practice_id == practice.id, Location.deleted_at.is_(None))
        .order_by(Location.address_line1.is_(None), Location.created_at)
        .limit(1)
    ).first()
    address = _address(
        location.address_line1 if location else None,
        location.address_line2 if location else None,
        location.city if location else None,
        location.state if location else None,
        location.postal_code if location else None,
    )
    if address is None:
        raise DomainError(
            "The practice's address is missing: enter the main office's street, city, state "
            "and ZIP code before sending claims."
        )
    return doc.BillingProvider(
        organization_name=practice.name,
        npi=practice.npi or "",
        tax_id=digits(practice.tax_id) or "",
        address=address,
        phone=phone_digits(practice.billing_phone or practice.phone),
        taxonomy_code=practice.taxonomy_code,
    )


def _rendering(session: Session, user_id: str) -> doc.RenderingProvider:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("The claim's rendering provider no longer exists.")
    return doc.RenderingProvider(person_from_display_name(user.display_name), user.npi or "")


def payer_document(payer: Payer) -> doc.Payer:
    address = _address(payer.address_line1, None, payer.city, payer.state, payer.postal_code)
    return doc.Payer(payer.name, payer.payer_code, address)


def _subscriber(
    patient: Patient, coverage: Coverage, payer: Payer, priority: int
) -> doc.Subscriber:
    if coverage.relationship_to_subscriber is SubscriberRelationship.SELF:
        person, born = _patient_person(patient), patient.date_of_birth
        sex, address = _SEX_CODES.get(patient.sex_at_birth, "U"), _patient_address(patient)
    elif coverage.subscriber_date_of_birth is None:
        raise DomainError(
            "The subscriber's date of birth is missing on the patient's insurance; add it on "
            "the coverage before billing."
        )
    else:
        person = doc.Person(coverage.subscriber_last_name, coverage.subscriber_first_name)
        born = coverage.subscriber_date_of_birth
        sex = "U"  # the coverage does not record the subscriber's sex
        address = None  # 2010BA N3/N4 are required only when the subscriber is the patient
    return doc.Subscriber(
        person=person,
        member_id=coverage.member_id,
        birth_date=born,
        sex=sex,
        address=address,
        group_number=coverage.group_number,
        payer_responsibility={1: "P", 2: "S"}.get(priority, "T"),  # SBR01
        filing_indicator=payer.filing_indicator,
    )


def _patient_party(patient: Patient, coverage: Coverage) -> doc.PatientParty | None:
    relationship = coverage.relationship_to_subscriber
    if relationship is SubscriberRelationship.SELF:
        return None
    return doc.PatientParty(
        person=_patient_person(patient),
        birth_date=patient.date_of_birth,
        sex=_SEX_CODES.get(patient.sex_at_birth, "U"),
        address=_patient_address(patient),
        relationship_code=_RELATIONSHIP_CODES[relationship],
    )


def _patient_person(patient: Patient) -> doc.Person:
    return doc.Person(patient.last_name, patient.first_name, patient.middle_name, patient.suffix)


def _patient_address(patient: Patient) -> doc.Address | None:
    return _address(
        patient.address_line1,
        patient.address_line2,
        patient.city,
        patient.state,
        patient.postal_code,
    )


def _address(
    line1: str | None, line2: str | None, city: str | None, state: str | None, postal: str | None
) -> doc.Address | None:
    if not (line1 and city and state and postal):
        return None
    return doc.Address(line1, city, state.upper(), digits(postal) or "", line2 or None)


def person_from_display_name(name: str) -> doc.Person:
    """A provider's name as "Priya Patel" or "Dr. Priya Patel, MD" split for NM1: the last
    word is the last name (users have one display name, not name parts)."""
    words = [w for w in name.split(",")[0].split() if w.lower() not in _TITLES]
    if not words:
        return doc.Person(name.strip(), "")
    if len(words) == 1:
        return doc.Person(words[0], "")
    middle = " ".join(words[1:-1]) or None
    return doc.Person(words[-1], words[0], middle)


def digits(text: str | None) -> str | None:
    found = re.sub(r"\D", "", text or "")
    return found or None


def phone_digits(phone: str | None) -> str | None:
    """A US phone as the 10 digits X12 wants (a leading country code 1 dropped)."""
    found = digits(phone)
    if found and len(found) == 11 and found.startswith("1"):
        return found[1:]
    return found


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
