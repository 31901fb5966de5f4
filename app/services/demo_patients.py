"""Demo patients: realistic, seeded, fictional people (Faker) with insurance, plus a few
likely duplicates for the duplicate finder and merge to show.

Phone numbers use the 555 exchange, which is reserved for fiction in North America.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker
from sqlalchemy import select

from app.models import (
    Coverage,
    Patient,
    Payer,
    PhoneKind,
    SexAtBirth,
    SubscriberRelationship,
)
from app.models.search_index import remember_surnames
from app.services.audit_chain import AuditEntry
from app.services.bus import PatientsChanged
from app.services.context import AppContext
from app.services.numbering import reserve_numbers
from app.services.patient_keys import age_on
from app.services.patients import MRN_COUNTER, new_phone, practice_today, set_search_keys

DEMO_PAYERS = (
    ("Lakeshore Health Plan", "LKSH1"),
    ("Prairie Mutual Insurance", "PRMU2"),
    ("Great Rivers Medicare Advantage", "GRMA3"),
    ("Heartland Medicaid (demo)", "HLMD4"),
    ("Summit Employee Benefits", "SMEB5"),
    ("Northstar Health Cooperative", "NSHC6"),
)
AREA_CODES = ("312", "773", "630", "847", "708", "815", "217", "309")
LANGUAGES = ("English",) * 17 + ("Spanish", "Spanish", "Polish", "Vietnamese")
BATCH = 2000


@dataclass
class _Person:
    patient: Patient
    coverage_plan: list[tuple[int, SubscriberRelationship]]


def _phone(rng: random.Random) -> str:
    return f"+1{rng.choice(AREA_CODES)}555{rng.randrange(10_000):04d}"


def _typo(name: str, rng: random.Random) -> str:
    """A plausible keying slip: two neighbouring letters swapped, or one dropped."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 2)
    if rng.random() < 0.5:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def _people(count: int, seed: int, today: date) -> Iterator[_Person]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    previous: Patient | None = None
    for number in range(count):
        if previous is not None and number % 97 == 0:  # about 1% likely duplicates
            yield _Person(_near_copy(previous, rng), [])
            continue
        sex = SexAtBirth.FEMALE if rng.random() < 0.52 else SexAtBirth.MALE
        first = fake.first_name_female() if sex is SexAtBirth.FEMALE else fake.first_name_male()
        last = fake.last_name()
        birth = today - timedelta(days=rng.randrange(0, 92 * 365))
        patient = Patient(
            first_name=first,
            middle_name=fake.first_name() if rng.random() < 0.4 else None,
            last_name=last,
            date_of_birth=birth,
            sex_at_birth=sex,
            email=f"{first}.{last}{rng.randrange(100)}@example.com".lower()
            if rng.random() < 0.7
            else None,
            address_line1=fake.street_address(),
            city=fake.city(),
            state=fake.state_abbr(
                include_territories=False, include_freely_associated_states=False
            ),
            postal_code=fake.zipcode(),
            preferred_language=rng.choice(LANGUAGES),
            consent_sms=rng.random() < 0.7,
            consent_email=rng.random() < 0.6,
            consent_voicemail=rng.random() < 0.8,
        )
        if age_on(birth, today) < 18:
            patient.guarantor_name = f"{fake.first_name()} {last}"
            patient.guarantor_relationship = rng.choice(("mother", "father", "guardian"))
        patient.phones.append(new_phone(PhoneKind.MOBILE, _phone(rng)))
        if rng.random() < 0.3:
            patient.phones.append(new_phone(PhoneKind.HOME, _phone(rng)))
        plan: list[tuple[int, SubscriberRelationship]] = []
        if rng.random() < 0.85:
            relation = (
                SubscriberRelationship.CHILD
                if patient.guarantor_name
                else rng.choice([SubscriberRelationship.SELF] * 4 + [SubscriberRelationship.SPOUSE])
            )
            plan.append((1, relation))
            if rng.random() < 0.15:
                plan.append(
                    (
                        2,
                        SubscriberRelationship.SELF
                        if relation is SubscriberRelationship.SELF
                        else relation,
                    )
                )
        previous = patient
        yield _Person(patient, plan)


def _near_copy(original: Patient, rng: random.Random) -> Patient:
    copy = Patient(
        first_name=original.first_name,
        last_name=_typo(original.last_name, rng),
        date_of_birth=original.date_of_birth,
        sex_at_birth=original.sex_at_birth,
        guarantor_name=original.guarantor_name,
        guarantor_relationship=original.guarantor_relationship,
    )
    copy.phones.append(new_phone(PhoneKind.MOBILE, original.phones[0].number))
    return copy


def seed_demo_patients(ctx: AppContext, count: int, seed: int) -> int:
    """Add `count` demo patients (and the demo payers) in batches; returns how many."""
    rng = random.Random(seed + 1)
    with ctx.unit_of_work() as uow:
        payers = list(uow.session.scalars(select(Payer)))
        if not payers:
            payers = [
                Payer(name=name, payer_code=code, phone=_phone(rng)) for name, code in DEMO_PAYERS
            ]
            uow.session.add_all(payers)
            uow.session.flush()
        today = practice_today(uow.session, ctx.clock.now())
    people = _people(count, seed, today)
    added = 0
    while added < count:
        with ctx.unit_of_work() as uow:
            batch = [next(people) for _ in range(min(BATCH, count - added))]
            mrns = reserve_numbers(uow.session, ctx.device_id, MRN_COUNTER, len(batch))
            for person, mrn in zip(batch, mrns, strict=True):
                patient = person.patient
                patient.mrn = mrn
                set_search_keys(patient)
                uow.session.add(patient)
                for priority, relation in person.coverage_plan:
                    uow.session.add(_coverage(patient, priority, relation, rng.choice(payers), rng))
            remember_surnames(uow.session, [person.patient.last_key for person in batch])
            uow.audit(AuditEntry("create", "demo_data", detail=f"{len(batch)} demo patients"))
            uow.notify(PatientsChanged(()))
            added += len(batch)
    return added


def _subscriber_birth(patient: Patient, relation: SubscriberRelationship) -> date:
    """A plausible birth date for the parent or spouse who holds the plan (claims need it),
    spread by the patient's own so the demo's random sequence is left as it was."""
    spread = patient.date_of_birth.toordinal()
    if relation is SubscriberRelationship.SPOUSE:
        return patient.date_of_birth - timedelta(days=spread % 2000 - 1000)
    return patient.date_of_birth - timedelta(days=20 * 365 + spread % (15 * 365))


def _coverage(
    patient: Patient,
    priority: int,
    relation: SubscriberRelationship,
    payer: Payer,
    rng: random.Random,
) -> Coverage:
    if relation is SubscriberRelationship.SELF:
        first, last, birth = patient.first_name, patient.last_name, patient.date_of_birth
    else:
        holder = (patient.guarantor_name or f"Alex {patient.last_name}").split()
        first, last = holder[0], holder[-1]
        birth = _subscriber_birth(patient, relation)
    return Coverage(
        patient=patient,
        payer=payer,
        priority=priority,
        member_id=f"{payer.payer_code[:3]}{rng.randrange(10**8, 10**9)}",
        group_number=f"G{rng.randrange(10**4, 10**5)}" if rng.random() < 0.7 else None,
        relationship_to_subscriber=relation,
        subscriber_first_name=first,
        subscriber_last_name=last,
        subscriber_date_of_birth=birth,
        effective_on=date(2024 + rng.randrange(3), 1, 1),
        copay_cents=rng.choice((0, 1500, 2000, 2500, 3000, 4000)),
    )
