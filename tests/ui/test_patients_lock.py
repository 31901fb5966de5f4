"""Auto-lock: after the screen locks nothing about any patient remains in any widget (list,
search, record, banner, open dialogs, the Ctrl+K popup); unlocking brings the record back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.demo_patients import seed_demo_patients
from app.services.patient_list import PatientDirectory
from app.ui.app import DesktopApp
from app.ui.main_window import MainWindow
from app.ui.patients.register_dialog import RegisterPatientDialog
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.ui.helpers import find_by_name
from tests.ui.test_patients_flow import sign_in


@pytest.fixture
def desktop(
    practice: DemoPractice, clock: FakeClock, admin: AppContext, qapp: object
) -> Iterator[DesktopApp]:
    seed_demo_patients(admin, 30, seed=3)
    app = DesktopApp(practice.paths, clock=clock, kdf=FAST_KDF)
    app.start()
    yield app
    app.shutdown()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def every_text(root: QWidget) -> list[str]:
    """Whatever any widget under `root` could show or announce, models included."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.accessibleName(), widget.toolTip(), widget.windowTitle()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount(QModelIndex())):
                for column in range(model.columnCount(QModelIndex())):
                    texts.append(str(model.index(row, column).data() or ""))
    return texts


def test_locking_clears_every_patient_widget(
    qtbot: QtBot, desktop: DesktopApp, clock: FakeClock
) -> None:
    main: MainWindow = sign_in(qtbot, desktop, "frontdesk")
    page = main.patients_page
    assert page is not None
    patient_id = PatientDirectory(main.session.ctx).ids()[3]
    main.open_patient(patient_id)
    name = find_by_name(main, QLabel, "Patient name", visible=False)
    qtbot.waitUntil(lambda: name.text() != "", timeout=10000)
    record = page.record.file
    assert record is not None
    secrets = [record.record.last_name, record.record.mrn, record.record.first_name]
    assert any(secrets[1] in text for text in every_text(main))

    # Something half-typed in the finder, a registration form and the Ctrl+K popup.
    page.finder.box.setText(record.record.last_name)
    qtbot.waitUntil(lambda: page.finder.results.rowCount() > 0, timeout=5000)
    dialog = page.register(record.record.last_name)
    assert isinstance(dialog, RegisterPatientDialog)
    qtbot.waitExposed(dialog)
    with qtbot.waitActive(main):
        main.activateWindow()
    main.open_global_search()
    assert main.global_search is not None
    main.global_search.search.box.setText(record.record.last_name)

    clock.advance(timedelta(minutes=11))
    assert main.monitor.check()
    assert main.locked
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # closed dialogs are gone
    leftovers = [t for t in every_text(main) for s in secrets if s and s in t]
    assert leftovers == []
    assert page.finder.directory.rowCount() == 0
    assert page.finder.results.rowCount() == 0
    assert page.record.coverages.model.rowCount() == 0
    assert not main.global_search.isVisible()
    assert not any(d.isVisible() for d in main.findChildren(RegisterPatientDialog))
    assert not page.record.banner.avatar.has_photo

    # Unlock: the list and the record that was open come back.
    field = find_by_name(main, QLineEdit, "Password to unlock")
    field.setText(DEMO_PASSWORD)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.locked, timeout=10000)
    qtbot.waitUntil(lambda: name.text() != "", timeout=10000)
    assert page.record.patient_id == patient_id
    qtbot.waitUntil(lambda: page.finder.directory.rowCount() == 30, timeout=10000)
