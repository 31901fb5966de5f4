"""Demo charts (issue #5): a small demo practice's charts read back through the chart
services from the real encrypted database: signed notes verify, every section reads, the
rows are what the services write (outbox, flags, BMI, codes), and the same seed gives the
same charts."""

from __future__ import annotations

import hashlib
import random
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from app.models import NoteStatus, VitalFlag
from app.services.allergies import AllergyService, AllergyState
from app.services.auth import sign_in
from app.services.chart import ChartService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import create_demo_practice
from app.services.demo_appointments import seed_demo_appointments
from app.services.demo_chart_facts import CHILD_OBESITY_CODE, CONDITIONS, OBESITY_CODES
from app.services.demo_chart_history import FAMILY, PAST
from app.services.demo_chart_immunizations import CHILD_SCHEDULE
from app.services.demo_chart_patient import build_chart
from app.services.demo_chart_sick import SICK, SICK_CONTEXT_KEYS
from app.services.demo_chart_types import ChartPatient, DemoVisit
from app.services.demo_charts import DemoChartCounts, chart_setting, seed_demo_charts
from app.services.demo_patients import seed_demo_patients
from app.services.documents import DocumentService
from app.services.encounters import EncounterService
from app.services.growth import GrowthService
from app.services.histories import HistoryService
from app.services.immunizations import ImmunizationService, default_cvx_catalog
from app.services.medications import MedicationService
from app.services.notes import NoteService
from app.services.problems import ProblemService
from app.services.visit_summary import VisitSummaryService
from app.services.vitals import VitalsService
from app.services.vitals_catalog import BY_LOINC, VitalField, body_mass_index, flag_for
from app.storage.database import PracticePaths
from app.terminology.icd10cm import Icd10Catalog
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services.helpers import query

# Thursday 5 November 2026, 16:00 in Chicago: a fortnight of visits behind, in flu season.
NOW = datetime(2026, 11, 5, 22, 0, tzinfo=UTC)
PATIENTS = 80
Demo = tuple[PracticePaths, DemoChartCounts]
CHART_TABLES = (
    "encounter", "clinical_note", "note_addendum", "vitals_set", "vital_observation", "problem",
    "allergy", "medication", "past_history", "family_history", "social_history",
    "immunization", "clinical_document", "document_content",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """80 patients, two weeks of visits, and their charts (seeded once for the module)."""
    paths = PracticePaths(tmp_path_factory.mktemp("demo-charts") / "practice")
    create_demo_practice(paths, DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    admin = sign_in(paths, "admin", DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    seed_demo_patients(admin, PATIENTS, 1)
    seed_demo_appointments(admin, 1, days_back=14, days_ahead=3)
    counts = seed_demo_charts(admin, 1)
    admin.close()
    yield paths, counts


@pytest.fixture
def doctor(demo: Demo) -> Iterator[AppContext]:
    ctx = sign_in(demo[0], "drpatel", DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    yield ctx
    ctx.close()


def test_every_visit_has_an_encounter_a_vitals_set_and_a_note(
    demo: Demo, doctor: AppContext
) -> None:
    counts = demo[1]
    visits = query(
        doctor,
        "SELECT a.id FROM appointment a JOIN patient p ON p.id = a.patient_id "
        "WHERE a.status = 'checked_out' AND date(a.wall_start) >= date(p.date_of_birth, '+3 days')",
    )
    assert counts.patients == PATIENTS
    assert counts.encounters == len(visits) > 100
    assert counts.vitals_sets == counts.encounters
    linked = query(
        doctor,
        "SELECT e.appointment_id, count(DISTINCT v.id) AS sets, count(DISTINCT n.id) AS notes "
        "FROM encounter e JOIN vitals_set v ON v.encounter_id = e.id "
        "JOIN clinical_note n ON n.encounter_id = e.id GROUP BY e.id",
    )
    assert {row["appointment_id"] for row in linked} == {row["id"] for row in visits}
    assert all(row["sets"] == 1 and row["notes"] >= 1 for row in linked)


def test_signed_notes_verify_and_encounters_follow_their_closing_note(doctor: AppContext) -> None:
    notes = query(doctor, "SELECT id, kind, status, encounter_id FROM clinical_note")
    statuses = Counter(row["status"] for row in notes)
    # Drafts, nursing notes awaiting co-signature and one note entered in error, as promised.
    assert statuses["draft"] >= 2 and statuses["awaiting_cosign"] >= 1
    assert statuses["entered_in_error"] == 1
    service = NoteService(doctor)
    for row in notes:
        view = service.get(row["id"])
        assert view.intact, f"{row['status']} note {row['id']} does not verify"
        if view.status is NoteStatus.DRAFT:
            assert view.content_hash is None and view.signed_at is None
    addenda = query(doctor, "SELECT note_id FROM note_addendum")
    assert addenda and all(service.get(row["note_id"]).addenda for row in addenda)
    encounters = query(
        doctor,
        "SELECT e.status, e.type, max(n.status = 'signed' AND (n.kind = 'doctor' OR "
        "(n.kind = 'nursing' AND e.type = 'nursing_visit'))) AS signed "
        "FROM encounter e JOIN clinical_note n ON n.encounter_id = e.id GROUP BY e.id",
    )
    for row in encounters:
        # The visit's closing note signs it: the doctor's, or a nursing visit's nurse's note.
        assert (row["status"] == "signed") == bool(row["signed"]), row
    kinds = Counter((row["type"], row["status"]) for row in encounters)
    assert kinds["nursing_visit", "signed"] > 0 and kinds["office_visit", "signed"] > 0


def test_the_chart_services_read_every_section(doctor: AppContext) -> None:
    patients = query(
        doctor,
        "SELECT patient_id FROM encounter WHERE type = 'office_visit' AND status = 'signed' "
        "GROUP BY patient_id ORDER BY count(*) DESC LIMIT 4",
    )
    chart, notes = ChartService(doctor), NoteService(doctor)
    for row in patients:
        patient_id = row["patient_id"]
        summary = chart.summary(patient_id)
        assert summary.last_vitals is not None and summary.recent_visits
        timeline = chart.timeline(patient_id, limit=50)
        assert {entry.kind.value for entry in timeline} >= {"encounter", "vitals", "note_signed"}
        assert ProblemService(doctor).for_patient(patient_id) is not None
        AllergyService(doctor).for_patient(patient_id)
        MedicationService(doctor).for_patient(patient_id)
        history = HistoryService(doctor)
        history.past_history(patient_id)
        history.family_history(patient_id)
        assert history.social(patient_id).recorded
        ImmunizationService(doctor).for_patient(patient_id)
        vitals = VitalsService(doctor)
        assert vitals.flowsheet(patient_id).rows
        assert vitals.trend(patient_id, "29463-7").points
        encounters = EncounterService(doctor).for_patient(patient_id)
        assert all(e.note_count >= 1 for e in encounters)
        assert notes.for_patient(patient_id)
        DocumentService(doctor).for_patient(patient_id)
        signed = next(
            e for e in encounters if e.status_label == "Signed" and e.type.value == "office_visit"
        )
        assert VisitSummaryService(doctor).pdf(signed.id).startswith(b"%PDF")


def test_documents_are_pdfs_some_awaiting_sign_off(doctor: AppContext) -> None:
    rows = query(doctor, "SELECT DISTINCT patient_id FROM clinical_document")
    assert len(rows) >= 2
    documents = DocumentService(doctor)
    views = [view for row in rows for view in documents.for_patient(row["patient_id"])]
    assert any(v.awaiting_review for v in views)  # filed in the last fortnight, mostly unread
    for view in views:
        content = documents.content(view.id)
        assert content.media_type == "application/pdf" and content.data.startswith(b"%PDF")
        assert hashlib.sha256(content.data).hexdigest() == view.sha256
    assert {v.category_label for v in views} <= {"Lab report", "Imaging report", "Letter"}


def test_children_follow_a_centile_on_the_cdc_growth_charts(doctor: AppContext) -> None:
    children = query(
        doctor,
        "SELECT p.id, p.date_of_birth FROM patient p JOIN vitals_set v ON v.patient_id = p.id "
        "WHERE p.date_of_birth > date('2026-11-05', '-17 years') GROUP BY p.id",
    )
    assert len(children) >= 5
    growth = GrowthService(doctor)
    infants = 0
    for child in children:
        points = growth.growth_chart(child["id"], "weight").points
        assert points, child
        scores = [p.sds for p in points if p.sds is not None]
        assert all(-3.5 < s < 3.5 for s in scores)
        if len(scores) > 1:
            assert statistics.pstdev(scores) < 0.6  # one centile, with measuring noise
        if date.fromisoformat(child["date_of_birth"]) > date(2024, 11, 5):
            infants += bool(growth.growth_chart(child["id"], "ofc").points)
    assert infants >= 1


def test_allergy_lists_are_in_all_three_states(doctor: AppContext) -> None:
    allergies = AllergyService(doctor)
    patients = query(doctor, "SELECT id FROM patient")
    states = Counter(allergies.for_patient(row["id"]).state for row in patients)
    assert set(states) == set(AllergyState)
    assert states[AllergyState.NO_KNOWN] > states[AllergyState.LISTED]


def test_codes_come_from_the_code_sets(doctor: AppContext) -> None:
    catalog = Icd10Catalog()
    problems = query(doctor, "SELECT icd10_code, description FROM problem")
    assert len(problems) > PATIENTS / 2
    for row in problems:
        found = catalog.get(row["icd10_code"])
        assert found is not None and found.description == row["description"], row
    coded = query(
        doctor,
        "SELECT icd10_code FROM past_history WHERE icd10_code IS NOT NULL "
        "UNION SELECT icd10_code FROM family_history WHERE icd10_code IS NOT NULL",
    )
    assert coded and all(catalog.get(row["icd10_code"]) for row in coded)
    cvx = default_cvx_catalog()
    doses = query(doctor, "SELECT cvx_code, vaccine, given_here, lot_number FROM immunization")
    assert any(row["given_here"] for row in doses)
    for row in doses:
        vaccine = cvx.get(row["cvx_code"])
        assert vaccine is not None and vaccine.short_description == row["vaccine"]
        if row["given_here"]:
            assert vaccine.active and row["lot_number"]


def test_rows_are_what_the_services_write(doctor: AppContext) -> None:
    for table in CHART_TABLES:
        rows = query(doctor, f"SELECT count(*) AS n FROM {table}")[0]["n"]
        logged = query(
            doctor,
            "SELECT count(*) AS n FROM sync_outbox WHERE table_name = ? AND operation = 'insert'",
            table,
        )[0]["n"]
        assert rows == logged, table
    observations = query(
        doctor,
        "SELECT o.vitals_set_id, o.loinc_code, o.value, o.flag, p.date_of_birth, o.taken_at "
        "FROM vital_observation o JOIN patient p ON p.id = o.patient_id",
    )
    by_set: dict[str, dict[VitalField, float]] = {}
    for row in observations:
        field = BY_LOINC[row["loinc_code"]].field
        born = date.fromisoformat(row["date_of_birth"])
        age = (date.fromisoformat(row["taken_at"][:10]) - born).days / 365.25
        assert VitalFlag(row["flag"]) is flag_for(field, row["value"], age), row
        by_set.setdefault(row["vitals_set_id"], {})[field] = row["value"]
    with_bmi = [s for s in by_set.values() if VitalField.BMI in s and VitalField.HEIGHT in s]
    assert with_bmi
    for values in with_bmi:
        expected = body_mass_index(values[VitalField.WEIGHT], values[VitalField.HEIGHT])
        assert values[VitalField.BMI] == pytest.approx(expected)
    high = query(doctor, "SELECT count(*) AS n FROM vital_observation WHERE flag != 'normal'")
    assert high[0]["n"] > 0  # some raised blood pressures, fevers


def test_the_same_seed_gives_the_same_chart(doctor: AppContext) -> None:
    """The generator a benchmark reuses: one patient's chart twice from the same seed."""
    with doctor.unit_of_work() as uow:
        setting = chart_setting(uow.session, NOW)
    physician = setting.physician_ids[0]
    visits = [
        DemoVisit(None, physician, False, None, kind, reason, *_times(days_ago))
        for days_ago, kind, reason in (
            (3, "Follow-up", "Diabetes follow-up"),
            (20, "Sick visit", "Cough and fever"),
            (40, "Annual physical", "Annual physical"),
        )
    ]
    patient = ChartPatient("00000000-0000-7000-8000-000000000001", date(1961, 4, 2), True,
                           "Sample, Ada", "X1")  # fmt: skip

    def content(seed: int) -> list[tuple[str, object]]:
        rows = build_chart(patient, visits, setting, random.Random(seed), documents=2)
        return [(type(r).__name__, _plain(r)) for r in rows]

    first = content(7)
    assert first == content(7)
    assert first != content(8)
    kinds = Counter(name for name, _ in first)
    assert kinds["Encounter"] == 3 and kinds["ClinicalDocument"] == 2
    assert any(name == "Problem" and "E11" in str(values) for name, values in first)


def _times(days_ago: int) -> tuple[datetime, datetime, datetime, datetime]:
    """Arrived, roomed, seen and checked out of a 9:00 visit `days_ago` days before NOW."""
    arrived = datetime(2026, 11, 5, 15, tzinfo=UTC) - timedelta(days=days_ago)
    roomed, seen = arrived + timedelta(minutes=8), arrived + timedelta(minutes=15)
    return arrived, roomed, seen, seen + timedelta(minutes=25)


def _plain(row: object) -> tuple[tuple[str, object], ...]:
    """A row's values without its ids (new ones every run)."""
    skip = {"id", "patient_id", "encounter_id", "note_id", "vitals_set_id", "document_id"}
    return tuple(
        (key, value)
        for key, value in sorted(vars(row).items())
        if not key.startswith("_") and key not in skip
    )


def test_every_code_in_the_demo_tables_is_in_the_code_sets() -> None:
    """Rare rows are drawn seldom: check the tables themselves, not only what was drawn."""
    catalog = Icd10Catalog()
    codes = {code for condition in CONDITIONS for code in condition.codes}
    codes |= {code for _, code in OBESITY_CODES} | {CHILD_OBESITY_CODE}
    codes |= {code for _, _, code, *_ in PAST if code} | {code for _, code, *_ in FAMILY}
    for findings in SICK.values():
        for finding in findings:
            codes |= {finding.code.format(side_digit=digit) for digit in "12"}
    missing = sorted(code for code in codes if catalog.get(code) is None)
    assert not missing
    cvx = default_cvx_catalog()
    for dose in CHILD_SCHEDULE:
        vaccine = cvx.get(dose.cvx)
        assert vaccine is not None and vaccine.active, dose


def test_sick_visit_texts_format() -> None:
    context = dict.fromkeys(SICK_CONTEXT_KEYS, "x")
    for findings in SICK.values():
        for finding in findings:
            for text in (finding.code, finding.hpi, finding.exam, finding.assessment, finding.plan):
                text.format_map(context)
