"""Vital signs (issue #5): recording in the practice's units, canonical LOINC/UCUM storage,
BMI computed, impossible values refused with nothing saved, flags, entered in error, the
flowsheet in both unit systems, trends, the note's one-line summary, and every read and
write audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from app.models import Encounter, EncounterType, SexAtBirth, VitalFlag
from app.services.bus import ChartChanged
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError, NotFound
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.settings import SettingsService
from app.services.vitals import Quantity, VitalField, VitalsInput, VitalsService
from app.services.vitals_catalog import ImplausibleValue
from app.services.vitals_text import NO_VITALS, latest_vitals_text
from tests.services.helpers import audit_events, data_snapshot, query

Login = Callable[[str], AppContext]
F = VitalField
ADULT_VISIT = {
    F.SYSTOLIC: 128, F.DIASTOLIC: 82, F.PULSE: 72, F.TEMPERATURE: 98.6,
    F.RESPIRATORY_RATE: 16, F.SPO2: 98, F.WEIGHT: 182, F.HEIGHT: 70,
}  # fmt: skip
ONE_LINE = (
    "BP 128/82 mmHg · P 72 /min · T 98.6 °F · RR 16 /min · SpO2 98 % · Wt 182 lb · Ht 70 in"
    " · BMI 26.1 kg/m² (Jan 5, 2026)"
)


def _patient(ctx: AppContext, born: date, sex: SexAtBirth = SexAtBirth.FEMALE) -> str:
    data = PatientInput("Vera", "Vitalis", born, sex, guarantor_name="Pat Vitalis")
    return PatientService(ctx).register(data, confirm_not_duplicate=True).id


@pytest.fixture
def nurse(login: Login) -> AppContext:
    return login("nkim")


@pytest.fixture
def adult(nurse: AppContext) -> str:
    return _patient(nurse, date(1970, 3, 14))


def _use_metric(login: Login) -> None:
    SettingsService(login("admin")).set_vitals_units("metric")


def _vitals_rows(ctx: AppContext, patient_id: str) -> list[dict[str, object]]:
    return query(
        ctx,
        "SELECT loinc_code, value, unit, flag FROM vital_observation WHERE patient_id = ? "
        "ORDER BY loinc_code",
        patient_id,
    )


def test_a_set_typed_in_us_units_is_stored_in_ucum_with_bmi_computed(
    nurse: AppContext, adult: str
) -> None:
    notices: list[object] = []
    nurse.bus.subscribe(ChartChanged, notices.append)

    view = VitalsService(nurse).record(adult, VitalsInput(ADULT_VISIT, note=" seated,  left arm "))

    assert view.units == "us" and view.note == "seated, left arm"
    assert view.blood_pressure == "128/82" and view.taken_by_name
    assert [v.text for v in view.values] == [
        "128 mmHg", "82 mmHg", "72 /min", "98.6 °F", "16 /min", "98 %", "182 lb", "70 in",
        "26.1 kg/m²",
    ]  # fmt: skip
    assert view.get(F.BMI) is not None and view.get(F.BMI).display_value == 26.1  # type: ignore[union-attr]
    assert notices == [ChartChanged((adult,))]
    stored = {
        r["loinc_code"]: (r["value"], r["unit"], r["flag"]) for r in _vitals_rows(nurse, adult)
    }
    assert stored["29463-7"] == (pytest.approx(182 * 0.45359237), "kg", "normal")
    assert stored["8302-2"] == (pytest.approx(177.8), "cm", "normal")
    assert stored["8310-5"] == (pytest.approx(37.0), "Cel", "normal")
    assert stored["39156-5"][:2] == (pytest.approx(26.114, abs=1e-3), "kg/m2")
    assert stored["8462-4"] == (82, "mm[Hg]", "high")  # ≥ 80 diastolic
    assert set(stored) == {
        "8480-6", "8462-4", "8867-4", "8310-5", "9279-1", "59408-5", "29463-7", "8302-2",
        "39156-5",
    }  # fmt: skip
    (event,) = [e for e in audit_events(nurse) if e["category"] == "vitals"]
    assert (event["action"], event["patient_id"], event["entity_id"]) == ("create", adult, view.id)


def test_explicit_units_override_the_practice_units(nurse: AppContext, adult: str) -> None:
    values = {
        F.WEIGHT: Quantity(80, "kg"),
        F.HEIGHT: Quantity(180, "cm"),
        "temperature": Quantity(38.2, "°C"),
    }
    view = VitalsService(nurse).record(adult, VitalsInput(values))
    assert view.get(F.WEIGHT).text == "176.4 lb"  # type: ignore[union-attr]
    assert view.get(F.HEIGHT).text == "70.9 in"  # type: ignore[union-attr]
    assert view.get(F.TEMPERATURE).text == "100.8 °F"  # type: ignore[union-attr]
    assert view.get(F.TEMPERATURE).flag is VitalFlag.HIGH  # type: ignore[union-attr]
    assert view.get(F.BMI).text == "24.7 kg/m²"  # type: ignore[union-attr]


def test_a_metric_practice_reads_and_shows_metric(login: Login, nurse: AppContext) -> None:
    _use_metric(login)
    patient = _patient(nurse, date(1980, 1, 1))
    service = VitalsService(nurse)
    assert service.units() == "metric"
    view = service.record(
        patient, VitalsInput({F.WEIGHT: 82.5, F.HEIGHT: 177.8, F.TEMPERATURE: 37})
    )
    assert [v.text for v in view.values] == ["37.0 °C", "82.5 kg", "177.8 cm", "26.1 kg/m²"]
    stored = {(r["loinc_code"], r["unit"]) for r in _vitals_rows(nurse, patient)}
    assert stored == {("8310-5", "Cel"), ("29463-7", "kg"), ("8302-2", "cm"), ("39156-5", "kg/m2")}


def test_the_units_setting_is_us_or_metric(login: Login) -> None:
    settings = SettingsService(login("admin"))
    with pytest.raises(DomainError, match="either US"):
        settings.set_vitals_units("imperial")
    settings.set_vitals_units("metric")
    assert settings.get("vitals_units") == "metric"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({F.WEIGHT: 2000}, "Weight 2,000 lb is not possible; check the number"),
        ({F.TEMPERATURE: 986}, "Temperature 986 °F is not possible"),
        ({F.HEIGHT: Quantity(7, "cm")}, "Height 7 cm is not possible"),
        ({F.SPO2: 101}, "SpO2 101 % is not possible"),
        ({F.PAIN: 11}, "Pain 11 is not possible"),
        ({F.PAIN: 2.5}, "Pain is a whole number"),
        ({F.SYSTOLIC: 80, F.DIASTOLIC: 120}, "Systolic 80 must be higher than diastolic 120"),
        ({F.SYSTOLIC: 120}, "Enter both numbers of the blood pressure"),
        ({F.BMI: 25}, "BMI is calculated from height and weight"),
        ({F.WEIGHT: Quantity(180, "°F")}, "Weight cannot be given in “°F”"),
        ({"glucose": 5}, "“glucose” is not a vital sign"),
        ({F.WEIGHT: None}, "Enter at least one measurement"),
        ({F.HEAD_CIRCUMFERENCE: 40}, "Head circumference is recorded for children under 3"),
        ({F.WEIGHT: 1200, F.HEIGHT: 20}, "give a BMI of"),
    ],
)
def test_impossible_values_are_refused_and_nothing_is_saved(
    nurse: AppContext, adult: str, values: dict[object, object], message: str
) -> None:
    before, events = data_snapshot(nurse), audit_events(nurse)
    with pytest.raises(DomainError, match=message):
        VitalsService(nurse).record(adult, VitalsInput(values))  # type: ignore[arg-type]
    assert data_snapshot(nurse) == before
    assert audit_events(nurse) == events


def test_the_refusal_names_the_range_in_the_unit_typed(nurse: AppContext, adult: str) -> None:
    with pytest.raises(ImplausibleValue) as refused:
        VitalsService(nurse).record(adult, VitalsInput({F.WEIGHT: 2000}))
    assert str(refused.value) == (
        "Weight 2,000 lb is not possible; check the number (expected 0.4 to 1,433 lb)."
    )


def test_time_taken_must_be_real(nurse: AppContext, adult: str, clock: FakeClock) -> None:
    service = VitalsService(nurse)
    later = clock.now() + timedelta(hours=1)
    with pytest.raises(DomainError, match="in the future"):
        service.record(adult, VitalsInput({F.PULSE: 70}, taken_at=later))
    with pytest.raises(DomainError, match="before the patient was born"):
        service.record(adult, VitalsInput({F.PULSE: 70}, taken_at=datetime(1960, 1, 1, tzinfo=UTC)))
    earlier = clock.now() - timedelta(days=3)
    assert service.record(adult, VitalsInput({F.PULSE: 70}, taken_at=earlier)).taken_at == earlier


def test_an_adults_weight_uses_a_height_from_the_past_year(
    nurse: AppContext, adult: str, clock: FakeClock
) -> None:
    service = VitalsService(nurse)
    service.record(adult, VitalsInput({F.HEIGHT: 70}, taken_at=clock.now() - timedelta(days=400)))
    assert service.record(adult, VitalsInput({F.WEIGHT: 182})).get(F.BMI) is None  # too old
    service.record(adult, VitalsInput({F.HEIGHT: 64}, taken_at=clock.now() - timedelta(days=200)))
    bmi = service.record(adult, VitalsInput({F.WEIGHT: 182})).get(F.BMI)
    assert bmi is not None and bmi.text == "31.2 kg/m²" and bmi.flag is VitalFlag.HIGH


def test_a_childs_bmi_needs_a_height_from_the_same_visit(
    nurse: AppContext, clock: FakeClock
) -> None:
    child = _patient(nurse, date(2018, 6, 1))
    service = VitalsService(nurse)
    service.record(child, VitalsInput({F.HEIGHT: 45}, taken_at=clock.now() - timedelta(days=30)))
    assert service.record(child, VitalsInput({F.WEIGHT: 50})).get(F.BMI) is None
    both = service.record(child, VitalsInput({F.WEIGHT: 50, F.HEIGHT: 46}))
    assert both.get(F.BMI) is not None and both.get(F.BMI).flag is VitalFlag.NORMAL  # type: ignore[union-attr]


def test_flags_follow_adult_ranges_and_childrens_age_bands(nurse: AppContext, adult: str) -> None:
    service = VitalsService(nurse)
    sick = {F.SYSTOLIC: 184, F.DIASTOLIC: 96, F.PULSE: 38, F.SPO2: 90, F.RESPIRATORY_RATE: 22}
    view = service.record(adult, VitalsInput(sick))
    assert {v.field: v.flag for v in view.values} == {
        F.SYSTOLIC: VitalFlag.CRITICAL_HIGH,
        F.DIASTOLIC: VitalFlag.HIGH,
        F.PULSE: VitalFlag.CRITICAL_LOW,
        F.SPO2: VitalFlag.CRITICAL_LOW,
        F.RESPIRATORY_RATE: VitalFlag.HIGH,
    }
    assert view.worst_flag is VitalFlag.CRITICAL_HIGH
    baby = _patient(nurse, date(2025, 7, 5))  # six months old on the test day
    infant = service.record(baby, VitalsInput({F.PULSE: 150, F.RESPIRATORY_RATE: 40}))
    assert {v.flag for v in infant.values} == {VitalFlag.NORMAL}  # normal for an infant


def test_head_circumference_and_infant_weights(nurse: AppContext) -> None:
    baby = _patient(nurse, date(2025, 10, 5), SexAtBirth.MALE)
    values = {F.WEIGHT: Quantity(7.5, "lb"), F.HEAD_CIRCUMFERENCE: Quantity(38, "cm")}
    view = VitalsService(nurse).record(baby, VitalsInput(values))
    assert view.get(F.WEIGHT).text == "7 lb 8 oz"  # type: ignore[union-attr]
    assert view.get(F.HEAD_CIRCUMFERENCE).text == "15 in"  # type: ignore[union-attr]
    assert latest_vitals_text_for(nurse, baby) == "Wt 7 lb 8 oz · HC 15 in (Jan 5, 2026)"


def latest_vitals_text_for(ctx: AppContext, patient_id: str, units: str | None = None) -> str:
    with ctx.unit_of_work() as uow:
        return latest_vitals_text(uow.session, patient_id, units)


def test_the_note_line_shows_the_latest_set(login: Login, nurse: AppContext, adult: str) -> None:
    assert latest_vitals_text_for(nurse, adult) == NO_VITALS
    VitalsService(nurse).record(adult, VitalsInput(ADULT_VISIT))
    assert latest_vitals_text_for(nurse, adult) == ONE_LINE
    assert latest_vitals_text_for(nurse, adult, "metric") == (
        "BP 128/82 mmHg · P 72 /min · T 37.0 °C · RR 16 /min · SpO2 98 % · Wt 82.6 kg"
        " · Ht 177.8 cm · BMI 26.1 kg/m² (Jan 5, 2026)"
    )
    _use_metric(login)
    assert "Wt 82.6 kg" in latest_vitals_text_for(nurse, adult)


def test_entered_in_error_is_struck_not_deleted(
    nurse: AppContext, adult: str, clock: FakeClock
) -> None:
    service = VitalsService(nurse)
    good = service.record(adult, VitalsInput({F.PULSE: 70}))
    clock.advance(timedelta(minutes=10))
    wrong = service.record(adult, VitalsInput({F.PULSE: 170}))
    with pytest.raises(DomainError, match="reason"):
        service.mark_entered_in_error(wrong.id, "  ")

    struck = service.mark_entered_in_error(wrong.id, "wrong patient")

    assert struck.in_error and struck.error_reason == "wrong patient" and struck.error_at
    assert service.latest(adult).id == good.id  # type: ignore[union-attr]
    rows = service.flowsheet(adult).rows
    assert [(r.set_id, r.in_error, r.error_reason) for r in rows] == [
        (wrong.id, True, "wrong patient"),
        (good.id, False, None),
    ]
    assert [p.value for p in service.trend(adult, "8867-4").points] == [70]
    with pytest.raises(DomainError, match="already marked"):
        service.mark_entered_in_error(wrong.id, "again")
    with pytest.raises(NotFound):
        service.mark_entered_in_error("no-such-set", "why")
    assert len(query(nurse, "SELECT id FROM vitals_set WHERE patient_id = ?", adult)) == 2
    events = [
        (e["action"], e["entity_id"]) for e in audit_events(nurse) if e["category"] == "vitals"
    ]
    assert ("entered_in_error", wrong.id) in events


def test_flowsheet_is_newest_first_paged_and_formatted(
    login: Login, nurse: AppContext, adult: str, clock: FakeClock
) -> None:
    service = VitalsService(nurse)
    start = clock.now() - timedelta(days=10)
    for day, pounds in enumerate((180, 181.5, 183, 184.2, 185)):
        at = start + timedelta(days=day)
        service.record(
            adult,
            VitalsInput({F.WEIGHT: pounds, F.SYSTOLIC: 120 + day, F.DIASTOLIC: 78}, taken_at=at),
        )

    first = service.flowsheet(adult, limit=3)
    assert [c.key for c in first.columns][:3] == ["bp", "pulse", "temperature"]
    assert [(c.label, c.unit) for c in first.columns if c.key == "weight"] == [("Weight", "lb")]
    assert [r.cell("weight").text for r in first.rows] == ["185", "184.2", "183"]  # type: ignore[union-attr]
    assert [r.cell("bp").text for r in first.rows] == ["124/78", "123/78", "122/78"]  # type: ignore[union-attr]
    assert first.rows[0].cell("pulse") is None and first.has_more
    assert first.rows[0].taken_at.utcoffset() == timedelta(hours=-6)  # Chicago, winter
    rest = service.flowsheet(adult, limit=3, before=first.rows[-1].taken_at)
    assert [r.cell("weight").text for r in rest.rows] == ["181.5", "180"]  # type: ignore[union-attr]
    assert not rest.has_more

    _use_metric(login)
    metric = service.flowsheet(adult, limit=1)
    assert [(c.label, c.unit) for c in metric.columns if c.key == "weight"] == [("Weight", "kg")]
    assert metric.rows[0].cell("weight").text == "83.9"  # type: ignore[union-attr]


def test_trend_is_oldest_first_in_display_units(
    login: Login, nurse: AppContext, adult: str, clock: FakeClock
) -> None:
    service = VitalsService(nurse)
    for hours, fahrenheit in ((3, 98.6), (2, 100.4), (1, 101.3)):
        at = clock.now() - timedelta(hours=hours)
        service.record(adult, VitalsInput({F.TEMPERATURE: fahrenheit}, taken_at=at))
    trend = service.trend(adult, "8310-5")
    assert (trend.field, trend.label, trend.unit) == (F.TEMPERATURE, "Temperature", "°F")
    assert [(p.value, p.flag) for p in trend.points] == [
        (98.6, VitalFlag.NORMAL),
        (100.4, VitalFlag.HIGH),
        (101.3, VitalFlag.HIGH),
    ]
    _use_metric(login)
    assert [p.value for p in service.trend(adult, "8310-5").points] == [37.0, 38.0, 38.5]
    with pytest.raises(DomainError, match="LOINC 2345-7"):
        service.trend(adult, "2345-7")


def test_every_read_is_audited_with_the_patient(nurse: AppContext, adult: str) -> None:
    service = VitalsService(nurse)
    service.record(adult, VitalsInput({F.PULSE: 64}))
    before = len(audit_events(nurse))
    service.latest(adult)
    service.flowsheet(adult)
    service.trend(adult, "8867-4")
    reads = audit_events(nurse)[before:]
    assert [(e["action"], e["category"], e["patient_id"], e["detail"]) for e in reads] == [
        ("read", "vitals", adult, "latest"),
        ("read", "vitals", adult, "flowsheet"),
        ("read", "vitals", adult, "8867-4"),
    ]
    assert {e["user_name"] for e in reads} == {"nkim"}


def test_vitals_hang_from_the_patients_own_visit(
    nurse: AppContext, adult: str, login: Login
) -> None:
    other = _patient(nurse, date(1990, 2, 2))
    doctor_id = query(nurse, "SELECT id FROM user_account WHERE username = 'drpatel'")[0]["id"]
    with nurse.unit_of_work() as uow:
        visit = Encounter(
            patient_id=adult,
            provider_id=doctor_id,
            type=EncounterType.OFFICE_VISIT,
            starts_at=nurse.clock.now(),
        )
        uow.session.add(visit)
        uow.session.flush()
        visit_id = visit.id
    service = VitalsService(nurse)
    assert (
        service.record(adult, VitalsInput({F.PULSE: 70}, encounter_id=visit_id)).encounter_id
        == visit_id
    )
    with pytest.raises(DomainError, match="another patient"):
        service.record(other, VitalsInput({F.PULSE: 70}, encounter_id=visit_id))
    with pytest.raises(NotFound):
        service.record(adult, VitalsInput({F.PULSE: 70}, encounter_id="nope"))
    with pytest.raises(NotFound):
        service.latest("nobody")
