"""Immunizations (issue #5): CVX-coded doses given here (lot, expiry, site, route, who) or
reported from elsewhere; dates checked against birth and today; entered in error; audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.models import SexAtBirth
from app.services.bus import ChartChanged
from app.services.context import AppContext
from app.services.errors import DomainError, NotFound
from app.services.immunizations import ImmunizationInput, ImmunizationService
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from tests.services.helpers import audit_events, data_snapshot, outbox_rows, user_id

Login = Callable[[str], AppContext]
BORN = date(2015, 9, 1)
FLU_SHOT = ImmunizationInput(
    "140",  # influenza, seasonal, injectable, preservative free
    given_on=date(2026, 1, 5),
    lot_number=" UT1234AA ",
    expires_on=date(2026, 6, 30),
    site="Left deltoid",
    route="im",
    dose="0.5 mL",
)


@pytest.fixture
def nurse(login: Login) -> AppContext:
    return login("nkim")


@pytest.fixture
def patient_id(nurse: AppContext) -> str:
    data = PatientInput("Ivy", "Immuno", BORN, SexAtBirth.FEMALE, guarantor_name="Rose Immuno")
    return PatientService(nurse).register(data, confirm_not_duplicate=True).id


def _audit(ctx: AppContext) -> list[str]:
    return [e["action"] for e in audit_events(ctx) if e["category"] == "immunization"]


def test_a_dose_given_here_names_the_vaccine_lot_and_giver(
    nurse: AppContext, patient_id: str
) -> None:
    service = ImmunizationService(nurse)
    notices: list[object] = []
    nurse.bus.subscribe(ChartChanged, notices.append)

    shot = service.record(patient_id, FLU_SHOT)

    assert shot.cvx_code == "140" and shot.vaccine.lower().startswith("influenza")
    assert (shot.lot_number, shot.route, shot.route_label) == ("UT1234AA", "IM", "Intramuscular")
    assert (shot.given_by_id, shot.given_by_name) == (user_id(nurse, "nkim"), "Hannah Kim")
    assert shot.given_where == "Given here" and shot.source is None
    assert notices == [ChartChanged((patient_id,))]
    assert service.for_patient(patient_id) == [shot]
    assert _audit(nurse) == ["create", "read"]
    (insert,) = [r for r in outbox_rows(nurse) if r["row_id"] == shot.id]
    assert (insert["table_name"], insert["changes"]["cvx_code"][1]) == ("immunization", "140")


def test_a_dose_reported_from_elsewhere_needs_no_lot(
    login: Login, nurse: AppContext, patient_id: str
) -> None:
    service = ImmunizationService(nurse)
    mmr = service.record(
        patient_id,
        ImmunizationInput("3", date(2016, 9, 15), given_here=False, source="Lakeside Pediatrics"),
    )
    assert (mmr.cvx_code, mmr.vaccine) == ("03", "MMR")
    assert (mmr.given_by_id, mmr.lot_number) == (None, None)
    assert mmr.given_where == "Reported: Lakeside Pediatrics"
    # An "unspecified formulation" code is for past doses only.
    old = service.record(patient_id, ImmunizationInput("45", date(2015, 9, 2), given_here=False))
    assert old.cvx_code == "45"
    with pytest.raises(DomainError, match="only for recording past doses"):
        service.record(patient_id, ImmunizationInput("45", date(2026, 1, 5), lot_number="L1"))
    # The giver may be named (the doctor records the nurse's dose).
    doctor = ImmunizationService(login("drpatel"))
    given = doctor.record(
        patient_id,
        ImmunizationInput(
            "21", date(2026, 1, 5), lot_number="V77", given_by_id=user_id(nurse, "nkim")
        ),
    )
    assert given.given_by_name == "Hannah Kim"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ImmunizationInput("999", date(2025, 1, 1), given_here=False), "not a CVX vaccine code"),
        (ImmunizationInput(" ", date(2025, 1, 1), given_here=False), "Choose the vaccine"),
        (ImmunizationInput("140", date(2026, 1, 5)), "Enter the lot number"),
        (ImmunizationInput("140", date(2026, 1, 5), lot_number="  "), "Enter the lot number"),
        (
            ImmunizationInput(
                "140", date(2026, 1, 5), lot_number="A1", expires_on=date(2026, 1, 4)
            ),
            "expired on Jan 04, 2026",
        ),
        (ImmunizationInput("140", date(2026, 1, 6), lot_number="A1"), "cannot be in the future"),
        (
            ImmunizationInput("08", date(2015, 8, 31), given_here=False),
            "before the patient was born",
        ),
        (ImmunizationInput("140", date(2026, 1, 5), lot_number="A1", route="arm"), "route"),
        (ImmunizationInput("140", date(2026, 1, 5), lot_number="A1", site="s" * 41), "under 40"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    nurse: AppContext, patient_id: str, data: ImmunizationInput, message: str
) -> None:
    before = data_snapshot(nurse)
    with pytest.raises(DomainError, match=message):
        ImmunizationService(nurse).record(patient_id, data)
    assert data_snapshot(nurse) == before


def test_an_expired_lot_is_fine_for_a_dose_given_before_it_expired(
    nurse: AppContext, patient_id: str
) -> None:
    """Recording today a dose given here last month from a lot that has since expired."""
    dose = ImmunizationService(nurse).record(
        patient_id,
        ImmunizationInput("140", date(2025, 12, 1), lot_number="A1", expires_on=date(2025, 12, 31)),
    )
    assert dose.expires_on == date(2025, 12, 31)


def test_unknown_giver_is_refused(nurse: AppContext, patient_id: str) -> None:
    with pytest.raises(NotFound, match="staff member"):
        ImmunizationService(nurse).record(
            patient_id, ImmunizationInput("140", date(2026, 1, 5), lot_number="A1", given_by_id="x")
        )


def test_entered_in_error_keeps_the_dose_struck_through_and_last(
    login: Login, nurse: AppContext, patient_id: str
) -> None:
    service = ImmunizationService(nurse)
    older = service.record(patient_id, ImmunizationInput("20", date(2016, 1, 4), given_here=False))
    wrong = service.record(patient_id, FLU_SHOT)
    newer = service.record(patient_id, ImmunizationInput("21", date(2025, 9, 1), given_here=False))

    marked = ImmunizationService(login("drpatel")).mark_entered_in_error(
        wrong.id, "charted on the wrong child", wrong.version
    )

    mark = marked.entered_in_error
    assert mark is not None and (mark.reason, mark.by_name) == (
        "charted on the wrong child",
        "Priya Patel",
    )
    assert marked.given_by_name == "Hannah Kim"  # the struck row keeps its facts
    listed = service.for_patient(patient_id)
    assert [v.id for v in listed] == [newer.id, older.id, wrong.id]
    assert listed[-1].in_error and listed[-1].lot_number == "UT1234AA"
    assert "entered_in_error" in _audit(nurse)


def test_vaccine_choices_are_not_audited(nurse: AppContext) -> None:
    service = ImmunizationService(nurse)
    before = audit_events(nurse)
    active = service.vaccines()
    everything = service.vaccines(include_inactive=True)
    assert active and all(v.active for v in active)
    assert len(everything) > len(active)
    assert {v.code for v in active} < {v.code for v in everything}
    assert service.search_vaccines("shingles")[0].short_description.lower().startswith("zoster")
    assert audit_events(nurse) == before
