"""Register a new patient, search-first: possible existing matches appear beside the form as
the name and date of birth are typed; saving a likely duplicate asks before it saves.

Two steps: the patient's details, then their insurance (or self-pay)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QStackedWidget, QWidget

from app.services.errors import DomainError
from app.services.insurance import CoverageInput
from app.services.patient_data import PatientInput
from app.services.patients import PossibleDuplicate
from app.ui.patients.coverage_form import CoverageForm
from app.ui.patients.demographics_form import DemographicsForm, section
from app.ui.patients.dialogs import PatientDialog, settle_buttons
from app.ui.patients.duplicate_dialog import DuplicateWarningDialog
from app.ui.patients.matches import MatchesPanel
from app.ui.patients.registration import (
    Registered,
    add_coverage,
    prefill_from_search,
    register_patient,
)
from app.ui.session import DesktopSession
from app.ui.widgets import button


def scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName("FormScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field, not to the frame
    area.setWidget(widget)
    return area


class RegisterPatientDialog(PatientDialog):
    registered = Signal(str)  # the new patient's id
    open_existing = Signal(str)  # a match was chosen instead

    def __init__(
        self, session: DesktopSession, search_text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session, self.tr("Register a new patient"), self.tr("Save patient"), parent
        )
        self.saved: Registered | None = None  # set once the patient exists
        self._data: PatientInput | None = None
        self._coverage: CoverageInput | None = None
        self.form = DemographicsForm(session)
        self.coverage = CoverageForm(session, allow_none=True)
        self.matches = MatchesPanel(session)
        self.matches.setFixedWidth(340)
        self.matches.open_requested.connect(self._open_existing)
        self.form.identity_changed.connect(self._identity_changed)
        insurance, insurance_body = section(
            self.tr("Insurance"),
            self.tr(
                "From the card in hand. Choose “No insurance — self-pay” if they have none; "
                "more coverages can be added on the record later."
            ),
        )
        insurance_body.addWidget(self.coverage)
        insurance_page = QWidget()
        insurance_row = QHBoxLayout(insurance_page)
        insurance_row.setContentsMargins(0, 0, 0, 0)
        insurance_row.addWidget(insurance)
        self.steps = QStackedWidget()
        self.steps.addWidget(scrolled(self.form))
        self.steps.addWidget(scrolled(_top_aligned(insurance_page)))
        self.step_labels = [QLabel(self.tr("1  Patient details")), QLabel(self.tr("2  Insurance"))]
        step_row = QHBoxLayout()
        step_row.setSpacing(18)
        for label in self.step_labels:
            label.setObjectName("Step")
            step_row.addWidget(label)
        step_row.addStretch(1)
        self.body.insertLayout(1, step_row)
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.steps, 1)
        row.addWidget(self.matches)
        self.content.addLayout(row)
        self.back_button = button(self.tr("Back"), self.tr("Back to patient details"))
        self.back_button.clicked.connect(lambda: self.show_step(0))
        self.next_button = button(
            self.tr("Next: insurance"), self.tr("Next: insurance"), variant="primary"
        )
        self.next_button.clicked.connect(self.next_step)
        self.button_row.insertWidget(2, self.back_button)
        self.button_row.insertWidget(3, self.next_button)
        self.ok_button.setProperty("variant", None)
        self._fit_to_screen()
        self._prefill(search_text)
        self.coverage.load_payers()
        self.show_step(0)

    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen else None
        width, height = 1180, 860
        if room is not None:
            width, height = min(width, room.width() - 60), min(height, room.height() - 60)
        self.resize(width, height)

    def _prefill(self, text: str) -> None:
        prefill = prefill_from_search(text)
        self.form.last_name.setText(prefill.last_name)
        self.form.first_name.setText(prefill.first_name)
        self.form.birth.setText(prefill.birth)
        if prefill.phone:
            self.form.phones.set_first_number(prefill.phone)
        first_empty = next(
            (
                e
                for e in (self.form.last_name, self.form.first_name, self.form.birth)
                if not e.text()
            ),
            self.form.sex,
        )
        first_empty.setFocus()

    # -- steps ---------------------------------------------------------------------------

    def show_step(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        for index, label in enumerate(self.step_labels):
            label.setProperty("current", index == step)
            label.style().unpolish(label)
            label.style().polish(label)
        locked = self.saved is not None
        self.back_button.setVisible(step == 1 and not locked)
        self.next_button.setVisible(step == 0)
        self.ok_button.setText(self.tr("Save insurance") if locked else self.tr("Save patient"))
        self.ok_button.setProperty("variant", "primary" if step == 1 else None)
        self.ok_button.style().unpolish(self.ok_button)
        self.ok_button.style().polish(self.ok_button)
        settle_buttons(self, self.next_button if step == 0 else self.ok_button)
        if step == 1:
            self.coverage.payer.setFocus()

    def next_step(self) -> None:
        try:
            self._data = self.form.to_input()
        except DomainError as error:
            self.refuse(error)
            return
        self.message.clear_message()
        self.show_step(1)

    def _identity_changed(self) -> None:
        birth = self.form.birth.text() if self.form.birth_date() else None
        self.matches.look_for(self.form.last_name.text(), self.form.first_name.text(), birth)

    # -- saving --------------------------------------------------------------------------

    def submit(self) -> None:
        try:
            data = self.form.to_input()
        except DomainError as error:
            self.show_step(0)
            self.refuse(error)
            return
        try:
            coverage = self.coverage.to_input()
        except DomainError as error:
            self.show_step(1)
            self.refuse(error)
            return
        self._data, self._coverage = data, coverage
        if self.saved is not None:
            if coverage is None:
                self._finish(self.saved)
                return
            self.run(
                add_coverage, self.session.ctx, self.saved.record, coverage, done=self._answered
            )
            return
        self._save(confirmed=False)

    def _save(self, *, confirmed: bool) -> None:
        assert self._data is not None
        self.run(
            register_patient,
            self.session.ctx,
            self._data,
            self._coverage,
            confirmed,
            done=self._answered,
        )

    def failed(self, error: BaseException) -> None:
        if isinstance(error, PossibleDuplicate):
            self.set_busy(False)
            warning = DuplicateWarningDialog(error.candidates, self)
            warning.open_existing.connect(self._open_existing)
            warning.save_anyway.connect(lambda: self._save(confirmed=True))
            warning.open()
            return
        super().failed(error)
        if self.saved is None:
            self.show_step(0)

    def _answered(self, result: Registered) -> None:
        self.saved = result
        if result.coverage_error is None:
            self._finish(result)
            return
        self.form.setEnabled(False)
        self.show_step(1)
        self.message.show_message(
            self.tr(
                "{name} is registered (MRN {mrn}), but the insurance was not saved: {why} "
                "Correct it and choose Save insurance, or choose self-pay."
            ).format(
                name=result.record.display_name, mrn=result.record.mrn, why=result.coverage_error
            )
        )

    def _finish(self, result: Registered) -> None:
        self.accept()
        self.registered.emit(result.record.id)

    def _open_existing(self, patient_id: str) -> None:
        if self.saved is not None:
            return
        self.accept()
        self.open_existing.emit(patient_id)

    def done(self, result: int) -> None:
        self.matches.clear()
        super().done(result)
        if result != self.DialogCode.Accepted and self.saved is not None:
            self.registered.emit(self.saved.record.id)  # saved without insurance: still open it


def _top_aligned(widget: QWidget) -> QWidget:
    holder = QWidget()
    column = QHBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget, 1, Qt.AlignmentFlag.AlignTop)
    return holder
