"""The parties of a claim as the claim document names them: the practice (billing
provider), the rendering provider, the payer, the subscriber and the patient. Shared by the
claim builder (the payer billed) and the secondary claim (the payer that paid first)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.interop import claim_document as doc
from app.models import (
    Coverage,
    Location,
    Patient,
    Payer,
    Practice,
    SexAtBirth,
    SubscriberRelationship,
    User,
)
from app.services.errors import DomainError, NotFound

# PAT01 individual relationship codes (005010X222A1 2000C): spouse, child, other.
RELATIONSHIP_CODES = {
    SubscriberRelationship.SPOUSE: "01",
    SubscriberRelationship.CHILD: "19",
    SubscriberRelationship.OTHER: "G8",
}
_SEX_CODES = {SexAtBirth.FEMALE: "F", SexAtBirth.MALE: "M"}
_TITLES = {"dr", "dr.", "doctor"}


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


def rendering_provider(session: Session, user_id: str) -> doc.RenderingProvider:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("The claim's rendering provider no longer exists.")
    return doc.RenderingProvider(person_from_display_name(user.display_name), user.npi or "")


def payer_document(payer: Payer) -> doc.Payer:
    address = _address(payer.address_line1, None, payer.city, payer.state, payer.postal_code)
    return doc.Payer(payer.name, payer.payer_code, address)


def subscriber_document(
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


def patient_party(patient: Patient, coverage: Coverage) -> doc.PatientParty | None:
    relationship = coverage.relationship_to_subscriber
    if relationship is SubscriberRelationship.SELF:
        return None
    return doc.PatientParty(
        person=_patient_person(patient),
        birth_date=patient.date_of_birth,
        sex=_SEX_CODES.get(patient.sex_at_birth, "U"),
        address=_patient_address(patient),
        relationship_code=RELATIONSHIP_CODES[relationship],
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
