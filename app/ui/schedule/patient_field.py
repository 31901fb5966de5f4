"""Who the visit is for: search first (type, ↑/↓, Enter), then the chosen patient shown by
name, date of birth and MRN, changeable with one click. A patient handed in by id is shown
the same way, loaded on the worker."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.patient_data import PatientRecord
from app.services.patient_search import PatientHit
from app.services.patients import PatientService
from app.ui.patients.hit_columns import PatientColumn
from app.ui.patients.labels import date_text
from app.ui.patients.quick_search import QuickSearch
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import button, text_label

_RESULT_ROWS = 4
# Narrower than the full patient list: the name keeps the room in a dialog.
_NARROW_COLUMNS = {PatientColumn.DOB: 110, PatientColumn.MRN: 120, PatientColumn.PHONE: 140}


class PatientField(QWidget):
    picked = Signal()  # a patient was chosen (by search or by id)
    cleared = Signal()  # back to searching

    def __init__(self, session: DesktopSession, accessible_name: str) -> None:
        super().__init__()
        self.session = session
        self.patient_id: str | None = None
        self.patient_name = ""
        self.finder = QuickSearch(
            session,
            accessible_name,
            hide_columns=(PatientColumn.STATUS, PatientColumn.SEX, PatientColumn.AGE),
            enter_hint=self.tr("Enter to choose"),
        )
        self.finder.table.setFixedHeight(36 + 34 * _RESULT_ROWS)
        self.finder.table.hide()
        header = self.finder.table.horizontalHeader()
        for column, width in _NARROW_COLUMNS.items():
            header.resizeSection(column, width)
        self.finder.model.modelReset.connect(self._results_changed)
        self.finder.picked.connect(self.use_hit)
        self.finder.box.installEventFilter(self)  # Enter picks here; it must not move on

        self.name = QLabel()
        self.name.setObjectName("ChosenPatient")
        self.name.setAccessibleName(self.tr("Chosen patient"))
        self.details = text_label("", "muted")
        self.details.setAccessibleName(self.tr("Chosen patient details"))
        self.change_button = button(self.tr("Change…"), self.tr("Change patient"), variant="link")
        self.change_button.clicked.connect(self.search_again)
        self.chosen = QFrame()
        self.chosen.setProperty("role", "section")
        row = QHBoxLayout(self.chosen)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(12)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.name)
        texts.addWidget(self.details)
        row.addLayout(texts, 1)
        row.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.chosen.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.finder)
        layout.addWidget(self.chosen)
        self.setFocusProxy(self.finder.box)

    # -- choosing ------------------------------------------------------------------------

    def use_hit(self, hit: PatientHit) -> None:
        details = self._details(hit.date_of_birth, hit.age, hit.mrn, hit.phone)
        self._show_chosen(hit.id, hit.display_name, details)

    def use_record(self, record: PatientRecord) -> None:
        details = self._details(record.date_of_birth, record.age, record.mrn, record.primary_phone)
        self._show_chosen(record.id, record.display_name, details)

    def load(self, patient_id: str) -> None:
        """Show the patient with this id (read on the worker)."""
        self._show_chosen(patient_id, self.tr("Loading…"), "")
        self.change_button.setEnabled(False)
        task = self.session.run(PatientService(self.session.ctx).get, patient_id, owner=self)
        task.succeeded.connect(self.use_record)
        task.failed.connect(self._load_failed)

    def _load_failed(self, error: BaseException) -> None:
        self.search_again()
        self.finder.status.setText(error_message(error))

    def _details(self, born: date, age: str, mrn: str, phone: str | None) -> str:
        details = self.tr("Born {dob} ({age}) · MRN {mrn}").format(
            dob=date_text(born), age=age, mrn=mrn
        )
        return f"{details} · {phone}" if phone else details

    def _show_chosen(self, patient_id: str, name: str, details: str) -> None:
        self.patient_id = patient_id
        self.patient_name = name
        self.name.setText(name)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.change_button.setEnabled(True)
        self.finder.clear()
        self.finder.hide()
        self.chosen.show()
        self.setFocusProxy(self.change_button)
        self.picked.emit()

    def search_again(self) -> None:
        self.patient_id = None
        self.patient_name = ""
        self.chosen.hide()
        self.finder.show()
        self.finder.table.hide()
        header = self.finder.table.horizontalHeader()
        for column, width in _NARROW_COLUMNS.items():
            header.resizeSection(column, width)
        self.setFocusProxy(self.finder.box)
        self.finder.box.setFocus()
        self.cleared.emit()

    def _results_changed(self) -> None:
        self.finder.table.setVisible(self.finder.model.rowCount() > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.finder.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.finder.pick_current()
                return True
        return super().eventFilter(watched, event)

    def clear(self) -> None:
        """Forget the patient and anything typed (closing, locking)."""
        self.finder.clear()
        self.name.clear()
        self.details.clear()
        self.patient_id = None
        self.patient_name = ""
