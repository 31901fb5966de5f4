"""History (issue #5): past medical and surgical, family (relative, condition, age at onset),
social (one record per patient, versioned), entered in error, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.models import HistoryKind, SexAtBirth, SmokingStatus
from app.services.bus import ChartChanged
from app.services.context import AppContext
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.histories import (
    RELATIVES,
    FamilyHistoryInput,
    HistoryService,
    PastHistoryInput,
    SocialInput,
)
from app.services.patient_data import PatientInput
from app.services.patient_merge import PatientMergeService
from app.services.patients import PatientService
from tests.services.helpers import audit_events, data_snapshot, outbox_rows, query

Login = Callable[[str], AppContext]


def _register(ctx: AppContext, first: str) -> str:
    data = PatientInput(first, "Historia", date(1969, 2, 14), SexAtBirth.MALE)
    return PatientService(ctx).register(data, confirm_not_duplicate=True).id


@pytest.fixture
def doctor(login: Login) -> AppContext:
    return login("drokafor")


@pytest.fixture
def patient_id(doctor: AppContext) -> str:
    return _register(doctor, "Hugo")


def _audit(ctx: AppContext) -> list[tuple[str, str | None]]:
    return [(e["action"], e["detail"]) for e in audit_events(ctx) if e["category"] == "history"]


def test_past_medical_and_surgical_history(doctor: AppContext, patient_id: str) -> None:
    history = HistoryService(doctor)
    notices: list[object] = []
    doctor.bus.subscribe(ChartChanged, notices.append)
    surgery = history.add_past(
        patient_id, PastHistoryInput(HistoryKind.SURGICAL, "Appendectomy", when_text="1988")
    )
    coded = history.add_past(patient_id, PastHistoryInput(HistoryKind.MEDICAL, "", "k35.80"))
    named = history.add_past(
        patient_id,
        PastHistoryInput(HistoryKind.MEDICAL, "Pneumonia, hospitalised", "J18.9", "winter 2015"),
    )

    assert (coded.icd10_code, coded.description) == ("K35.80", coded.description)
    assert coded.description.startswith("Unspecified acute appendicitis")
    assert (named.icd10_code, named.description) == ("J18.9", "Pneumonia, hospitalised")
    assert surgery.kind_label == "Surgical" and surgery.when_text == "1988"
    listed = history.past_history(patient_id)
    assert [e.id for e in listed] == [named.id, coded.id, surgery.id]
    assert len(notices) == 3
    assert _audit(doctor) == [
        ("create", "past surgical"),
        ("create", "past medical"),
        ("create", "past medical"),
        ("read", None),
    ]


def test_past_history_entered_in_error(login: Login, doctor: AppContext, patient_id: str) -> None:
    history = HistoryService(doctor)
    wrong = history.add_past(patient_id, PastHistoryInput(HistoryKind.SURGICAL, "Cholecystectomy"))
    kept = history.add_past(patient_id, PastHistoryInput(HistoryKind.SURGICAL, "Tonsillectomy"))

    marked = HistoryService(login("nkim")).mark_past_entered_in_error(
        wrong.id, "it was his brother", wrong.version
    )

    assert marked.entered_in_error is not None
    assert (marked.entered_in_error.reason, marked.entered_in_error.by_name) == (
        "it was his brother",
        "Hannah Kim",
    )
    assert [e.id for e in history.past_history(patient_id)] == [kept.id, wrong.id]
    with pytest.raises(DomainError, match="already marked"):
        history.mark_past_entered_in_error(wrong.id, "again")
    assert ("entered_in_error", "past surgical") in _audit(doctor)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PastHistoryInput(HistoryKind.MEDICAL, "  "), "Enter the description"),
        (PastHistoryInput(HistoryKind.MEDICAL, "", "Z99.999"), "not an ICD-10-CM code"),
        (PastHistoryInput(HistoryKind.MEDICAL, "Gout", when_text="w" * 41), "under 40"),
    ],
)
def test_bad_past_history_is_refused(
    doctor: AppContext, patient_id: str, data: PastHistoryInput, message: str
) -> None:
    before = data_snapshot(doctor)
    with pytest.raises(DomainError, match=message):
        HistoryService(doctor).add_past(patient_id, data)
    assert data_snapshot(doctor) == before


def test_family_history_by_relative(doctor: AppContext, patient_id: str) -> None:
    history = HistoryService(doctor)
    uncle = history.add_family(patient_id, FamilyHistoryInput("uncle", "Colon cancer", None, 58))
    mother = history.add_family(
        patient_id, FamilyHistoryInput("mother", "", "e11.9", age_at_onset=52, deceased=True)
    )
    grandpa = history.add_family(
        patient_id, FamilyHistoryInput("paternal_grandfather", "Heart attack", "I21.9", 0)
    )

    assert (mother.condition, mother.icd10_code, mother.deceased) == (
        "Type 2 diabetes mellitus without complications",
        "E11.9",
        True,
    )
    assert mother.relative_label == "Mother"
    assert grandpa.relative_label == "Paternal grandfather" and grandpa.age_at_onset == 0
    listed = history.family_history(patient_id)
    assert [e.id for e in listed] == [mother.id, grandpa.id, uncle.id]
    assert list(RELATIVES)[:2] == ["mother", "father"] and RELATIVES["other"]

    marked = history.mark_family_entered_in_error(uncle.id, "maternal, not paternal side")
    assert marked.in_error
    assert history.family_history(patient_id)[-1].id == uncle.id
    assert _audit(doctor).count(("create", "family")) == 3
    assert ("entered_in_error", "family") in _audit(doctor)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (FamilyHistoryInput("cousin", "Asthma"), "Choose the relative"),
        (FamilyHistoryInput("sister", "Asthma", age_at_onset=121), "between 0 and 120"),
        (FamilyHistoryInput("sister", "Asthma", age_at_onset=-1), "between 0 and 120"),
        (FamilyHistoryInput("sister", "Asthma", "ASTHMA"), "not an ICD-10-CM code"),
        (FamilyHistoryInput("sister", " "), "Enter the condition"),
    ],
)
def test_bad_family_history_is_refused(
    doctor: AppContext, patient_id: str, data: FamilyHistoryInput, message: str
) -> None:
    before = data_snapshot(doctor)
    with pytest.raises(DomainError, match=message):
        HistoryService(doctor).add_family(patient_id, data)
    assert data_snapshot(doctor) == before


def test_social_history_is_one_record_created_on_first_save(
    login: Login, doctor: AppContext, patient_id: str
) -> None:
    history = HistoryService(doctor)
    empty = history.social(patient_id)
    assert (empty.recorded, empty.id, empty.version) == (False, None, None)
    assert empty.smoking_label == "Unknown if ever smoked"

    saved = history.save_social(
        patient_id,
        SocialInput(
            SmokingStatus.FORMER,
            tobacco_note="20 pack-years, quit 2015",
            alcohol="2 beers a week",
            occupation=" Electrician ",
        ),
        empty.version,
    )
    assert saved.recorded and saved.version == 1 and saved.occupation == "Electrician"
    assert saved.smoking_label == "Former smoker"

    # The nurse read it before the doctor's save: her first-save attempt is refused.
    with pytest.raises(ConcurrentChange):
        HistoryService(login("nkim")).save_social(
            patient_id, SocialInput(SmokingStatus.NEVER), None
        )
    changed = history.save_social(
        patient_id,
        SocialInput(SmokingStatus.FORMER, alcohol="none", drugs="denies"),
        saved.version,
    )
    assert (changed.id, changed.version, changed.alcohol) == (saved.id, 2, "none")
    assert changed.tobacco_note is None  # the form's answers replace the old ones
    with pytest.raises(ConcurrentChange):
        history.save_social(patient_id, SocialInput(), saved.version)

    assert history.social(patient_id) == changed
    assert query(doctor, "SELECT count(*) AS n FROM social_history")[0]["n"] == 1
    assert _audit(doctor) == [
        ("read", None),
        ("create", "social"),
        ("update", "social"),
        ("read", None),
    ]
    ops = [r["operation"] for r in outbox_rows(doctor) if r["table_name"] == "social_history"]
    assert ops == ["insert", "update"]


def test_a_merged_record_is_refused(login: Login, doctor: AppContext) -> None:
    kept, gone = _register(doctor, "Kept"), _register(doctor, "Gone")
    PatientMergeService(login("admin")).merge(kept, gone)
    history = HistoryService(doctor)
    with pytest.raises(DomainError, match="merged into another"):
        history.social(gone)
    with pytest.raises(DomainError, match="merged into another"):
        history.add_past(gone, PastHistoryInput(HistoryKind.MEDICAL, "Gout"))
    with pytest.raises(NotFound):
        history.family_history("no-such-patient")
