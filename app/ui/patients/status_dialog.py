"""Change a record's status: active, inactive (moved away, left the practice) or deceased."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QWidget

from app.models import PatientStatus
from app.services.errors import DomainError
from app.services.patient_data import PatientRecord
from app.services.patients import PatientService
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import DateField, labeled
from app.ui.patients.labels import date_text
from app.ui.session import DesktopSession


class StatusDialog(PatientDialog):
    saved = Signal(object)  # PatientRecord

    def __init__(
        self, session: DesktopSession, record: PatientRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            self.tr("Change status"),
            self.tr("Save status"),
            parent,
            subtitle=self.tr("{name} · MRN {mrn}").format(name=record.display_name, mrn=record.mrn),
        )
        self.setMinimumWidth(500)
        self.record = record
        self.group = QButtonGroup(self)
        self.choices: dict[PatientStatus, QRadioButton] = {}
        for status, text in (
            (PatientStatus.ACTIVE, self.tr("Active — a current patient of the practice")),
            (PatientStatus.INACTIVE, self.tr("Inactive — moved away or left the practice")),
            (PatientStatus.DECEASED, self.tr("Deceased")),
        ):
            radio = QRadioButton(text)
            radio.setAccessibleName(text.split(" — ")[0])
            self.group.addButton(radio)
            self.choices[status] = radio
            self.content.addWidget(radio)
            radio.toggled.connect(lambda _on: self._chosen())
        self.death_date = DateField(self.tr("Date of death"))
        self.death_date.set_date(record.deceased_on)
        self.death_holder = labeled(self.tr("Date of death"), self.death_date)
        self.content.addWidget(self.death_holder)
        self.choices.get(record.status, self.choices[PatientStatus.ACTIVE]).setChecked(True)
        self._chosen()

    def status(self) -> PatientStatus:
        return next(s for s, radio in self.choices.items() if radio.isChecked())

    def _chosen(self) -> None:
        deceased = self.status() is PatientStatus.DECEASED
        self.death_holder.setVisible(deceased)
        if deceased and not self.death_date.text():
            self.death_date.setText(date_text(self.session.ctx.clock.now().date()))

    def submit(self) -> None:
        status = self.status()
        try:
            died = self.death_date.date_value() if status is PatientStatus.DECEASED else None
        except DomainError as error:
            self.refuse(error)
            return
        service = PatientService(self.session.ctx)
        self.run(service.set_status, self.record.id, status, died, done=self._saved)

    def _saved(self, record: PatientRecord) -> None:
        self.saved.emit(record)
        self.accept()
