"""The patient list models, without widgets, fed by the real services: the lazy list of every
patient (ids first, rows page by page), search results, and a patient's coverages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.models import PatientStatus, SubscriberRelationship
from app.services.auth import sign_in
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.demo_patients import seed_demo_patients
from app.services.insurance import CoverageInput, CoverageService, PayerService
from app.services.patient_list import PatientDirectory
from app.services.patient_search import PatientSearch
from app.storage.database import PracticePaths
from app.ui.patients.coverage_model import CoverageColumn, CoverageModel
from app.ui.patients.directory_model import LOADING_ROLE, PatientDirectoryModel, loading_text
from app.ui.patients.hit_columns import HIT_ROLE, ID_ROLE, PatientColumn
from app.ui.patients.hits_model import PatientHitsModel
from app.ui.session import DesktopSession
from app.ui.tasks import TaskRunner
from tests.conftest import DEMO_PASSWORD, FAST_KDF

SEEDED = 2500


@pytest.fixture(scope="module")
def big_practice(
    tmp_path_factory: pytest.TempPathFactory, demo_template: DemoPractice
) -> PracticePaths:
    """A practice with a few thousand demo patients, made once for this module."""
    target = tmp_path_factory.mktemp("big") / "practice"
    shutil.copytree(demo_template.paths.data_dir, target)
    paths = PracticePaths(target)
    ctx = sign_in(paths, "admin", DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF)
    try:
        seed_demo_patients(ctx, SEEDED, seed=11)
    finally:
        ctx.close()
    return paths


@pytest.fixture
def desk(big_practice: PracticePaths, qapp: object) -> Iterator[DesktopSession]:
    ctx = sign_in(big_practice, "frontdesk", DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF)
    runner = TaskRunner()
    yield DesktopSession(ctx, runner, big_practice, "Riverside")
    runner.shutdown()
    ctx.close()


def loaded_model(
    qtbot: QtBot, desk: DesktopSession, status: PatientStatus | None
) -> PatientDirectoryModel:
    model = PatientDirectoryModel(desk)
    with qtbot.waitSignal(model.ids_loaded, timeout=10000):
        model.load(status)
    return model


def test_rows_are_counted_at_once_and_filled_page_by_page(
    qtbot: QtBot, desk: DesktopSession
) -> None:
    ids = PatientDirectory(desk.ctx).ids(None)
    assert len(ids) > 2000
    model = loaded_model(qtbot, desk, None)

    assert model.rowCount() == len(ids)  # every row exists as soon as the ids are here
    assert model.columnCount() == len(PatientColumn)
    row = 2100
    page = row // model.page_size
    assert not model.is_loaded(row)
    assert model.index(row, PatientColumn.NAME).data(ID_ROLE) == ids[row]  # known already
    with qtbot.waitSignal(model.page_loaded, timeout=10000) as arrived:
        name = model.index(row, PatientColumn.NAME).data()
        assert name == loading_text()  # a placeholder while the page is on its way
        assert model.index(row, PatientColumn.MRN).data() == ""
        assert model.index(row, PatientColumn.NAME).data(LOADING_ROLE) is True
    assert arrived.args == [page]

    expected = PatientDirectory(desk.ctx).rows(ids[row : row + 1])[0]
    assert model.index(row, PatientColumn.NAME).data() == expected.display_name
    assert model.index(row, PatientColumn.MRN).data() == expected.mrn
    assert model.index(row, PatientColumn.PHONE).data() == (expected.phone or "")
    assert model.index(row, PatientColumn.DOB).data() == expected.date_of_birth.strftime("%m/%d/%Y")
    assert model.index(row, 0).data(LOADING_ROLE) is False
    assert model.index(row, 0).data(HIT_ROLE) == expected
    # Only the page that was looked at was read; the first page is still to come.
    assert not model.is_loaded(0)
    assert model.is_loaded(page * model.page_size)


def test_statuses_are_marked_and_filtered(
    qtbot: QtBot, desk: DesktopSession, big_practice: PracticePaths
) -> None:
    from app.services.patients import PatientService

    ids = PatientDirectory(desk.ctx).ids(PatientStatus.ACTIVE)
    PatientService(desk.ctx).set_status(ids[5], PatientStatus.DECEASED, date(2025, 2, 1))
    PatientService(desk.ctx).set_status(ids[6], PatientStatus.INACTIVE)

    everyone = loaded_model(qtbot, desk, None)
    row = everyone.row_of(ids[5])
    assert row is not None
    with qtbot.waitSignal(everyone.page_loaded, timeout=10000):
        everyone.index(row, 0).data()
    status = everyone.index(row, PatientColumn.STATUS)
    assert status.data() == "Deceased"
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert status.data(Qt.ItemDataRole.FontRole).bold()
    inactive_row = everyone.row_of(ids[6])
    assert inactive_row is not None
    assert everyone.index(inactive_row, PatientColumn.STATUS).data() == "Inactive"

    active = loaded_model(qtbot, desk, PatientStatus.ACTIVE)
    assert active.row_of(ids[5]) is None and active.row_of(ids[6]) is None
    assert active.rowCount() == everyone.rowCount() - 2
    deceased = loaded_model(qtbot, desk, PatientStatus.DECEASED)
    assert [deceased.id_at(r) for r in range(deceased.rowCount())] == [ids[5]]


def test_clear_forgets_rows_and_drops_answers_still_coming(
    qtbot: QtBot, desk: DesktopSession
) -> None:
    model = loaded_model(qtbot, desk, None)
    model.index(10, 0).data()  # asks for the first page
    model.clear()
    assert model.rowCount() == 0
    assert model.index(10, 0).data() is None
    qtbot.wait(300)  # the page answer arrives, and is ignored
    assert model.rowCount() == 0
    assert not model.is_loaded(10)


def test_search_results_model(
    qtbot: QtBot, desk: DesktopSession, qtmodeltester: ModelTester
) -> None:
    hits = PatientSearch(desk.ctx).search("smith")
    assert hits
    model = PatientHitsModel()
    model.set_hits(hits)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(hits)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Name", "Date of birth", "Age", "Sex", "MRN", "Phone", "Status"]
    first = model.index(0, PatientColumn.NAME)
    assert first.data() == hits[0].display_name
    assert first.data(Qt.ItemDataRole.ToolTipRole).startswith("Found by: ")
    assert model.id_at(0) == hits[0].id
    model.clear()
    assert model.rowCount() == 0


def test_coverage_model(desk: DesktopSession, qtmodeltester: ModelTester) -> None:
    ctx: AppContext = desk.ctx
    patient_id = PatientDirectory(ctx).ids()[0]
    coverages = CoverageService(ctx)
    for old in coverages.coverages(patient_id):
        coverages.remove(old.id)
    payer = PayerService(ctx).list_payers()[0]
    coverages.add(
        patient_id,
        CoverageInput(
            payer.id,
            1,
            "abc 123 456",
            SubscriberRelationship.SPOUSE,
            group_number="g77",
            subscriber_first_name="Ana",
            subscriber_last_name="Reyes",
            effective_on=date(2024, 1, 1),
            copay_cents=2500,
        ),
    )
    coverages.add(
        patient_id,
        CoverageInput(
            payer.id, 2, "OLD-1", effective_on=date(2020, 1, 1), terminated_on=date(2021, 6, 30)
        ),
    )
    model = CoverageModel(date(2026, 1, 5))
    model.set_coverages(coverages.coverages(patient_id))
    qtmodeltester.check(model, force_py=True)
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert texts == [
        "Primary", payer.name, "ABC123456", "G77", "Ana Reyes (Spouse)", "since 01/01/2024",
        "$25.00", "none",
    ]  # fmt: skip
    assert model.index(1, CoverageColumn.DATES).data() == "ended 06/30/2021"
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed out
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
