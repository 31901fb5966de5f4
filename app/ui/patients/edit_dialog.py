"""Edit a patient's details. The record's version goes with the save, so a change someone
else made meanwhile is refused instead of overwritten."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.services.errors import ConcurrentChange, DomainError
from app.services.patient_data import PatientRecord
from app.services.patients import PatientService
from app.ui.patients.demographics_form import DemographicsForm
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.register_dialog import scrolled
from app.ui.session import DesktopSession
from app.ui.widgets import button


class EditPatientDialog(PatientDialog):
    saved = Signal(object)  # PatientRecord

    def __init__(
        self, session: DesktopSession, record: PatientRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            self.tr("Edit {name}").format(name=record.display_name),
            self.tr("Save changes"),
            parent,
        )
        self.record = record
        self.form = DemographicsForm(session)
        self.form.set_record(record)
        self.content.addWidget(scrolled(self.form))
        self.reload_button = button(self.tr("Reload their version"), self.tr("Reload record"))
        self.reload_button.clicked.connect(self.reload_record)
        self.reload_button.hide()
        self.button_row.insertWidget(0, self.reload_button)
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen else None
        width, height = 900, 820
        if room is not None:
            width, height = min(width, room.width() - 60), min(height, room.height() - 60)
        self.resize(width, height)
        self.form.last_name.setFocus()

    def submit(self) -> None:
        try:
            data = self.form.to_input()
        except DomainError as error:
            self.refuse(error)
            return
        service = PatientService(self.session.ctx)
        self.run(service.update, self.record.id, data, self.record.version, done=self._saved)

    def failed(self, error: BaseException) -> None:
        super().failed(error)
        self.reload_button.setVisible(isinstance(error, ConcurrentChange))

    def reload_record(self) -> None:
        task = self.session.run(PatientService(self.session.ctx).get, self.record.id, owner=self)
        task.succeeded.connect(self._reloaded)
        task.failed.connect(self.failed)

    def _reloaded(self, record: PatientRecord) -> None:
        self.record = record
        self.form.set_record(record)
        self.reload_button.hide()
        self.message.show_message(
            self.tr("This is the saved version now. Make your change again and save.")
        )

    def _saved(self, record: PatientRecord) -> None:
        self.saved.emit(record)
        self.accept()

    def done(self, result: int) -> None:
        self.form.clear()
        super().done(result)
