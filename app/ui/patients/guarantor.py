"""Who is responsible for the bill: typed in (name, relationship, phone) or a registered
patient picked from the search. Required for patients under 18."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.errors import DomainError
from app.services.patient_data import PatientRecord
from app.services.patient_keys import display_phone
from app.services.patient_search import PatientHit
from app.ui.patients.fields import RELATIONSHIPS, labeled, optional, suggest_combo, text_field
from app.ui.session import DesktopSession
from app.ui.widgets import button, text_label


class GuarantorBox(QWidget):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.patient_id: str | None = None
        self.required_note = text_label(
            self.tr("Required: the patient is under 18. Enter a parent or guardian."), "notice"
        )
        self.required_note.setAccessibleName(self.tr("Guarantor required"))
        self.required_note.hide()
        self.name = text_field(self.tr("Guarantor name"), self.tr("Full name"))
        self.relationship = suggest_combo(
            self.tr("Guarantor relationship"), RELATIONSHIPS, self.tr("Mother, father…")
        )
        self.phone = text_field(self.tr("Guarantor phone"), "(312) 555-0142", 32)
        self.chosen = QLabel()
        self.chosen.setObjectName("ChosenPatient")
        self.chosen.setAccessibleName(self.tr("Guarantor patient"))
        self.pick_button = button(
            self.tr("Pick a registered patient…"),
            self.tr("Pick guarantor from patients"),
            variant="link",
            icon_name="search",
        )
        self.pick_button.clicked.connect(self.pick)
        self.unpick_button = button(
            self.tr("Type a guarantor instead"), self.tr("Clear guarantor patient"), variant="link"
        )
        self.unpick_button.clicked.connect(lambda: self._set_patient(None, ""))

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        grid.addWidget(labeled(self.tr("Name"), self.name), 0, 0)
        grid.addWidget(labeled(self.tr("Relationship to patient"), self.relationship), 0, 1)
        grid.addWidget(labeled(self.tr("Phone"), self.phone), 0, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        links = QHBoxLayout()
        links.setSpacing(12)
        links.addWidget(self.chosen)
        links.addWidget(self.pick_button)
        links.addWidget(self.unpick_button)
        links.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.required_note)
        column.addLayout(grid)
        column.addLayout(links)
        self._set_patient(None, "")

    def set_required(self, required: bool) -> None:
        self.required_note.setVisible(required)

    def pick(self) -> None:
        from app.ui.patients.picker import PatientPickerDialog

        dialog = PatientPickerDialog(
            self.session,
            self.tr("Pick the guarantor"),
            self.tr("Use as guarantor"),
            parent=self,
        )
        dialog.chosen.connect(self.use_patient)
        dialog.open()

    def use_patient(self, hit: PatientHit) -> None:
        self._set_patient(hit.id, f"{hit.display_name} · MRN {hit.mrn}")
        self.name.setText(hit.display_name)
        if hit.phone:
            self.phone.setText(hit.phone)

    def _set_patient(self, patient_id: str | None, text: str) -> None:
        self.patient_id = patient_id
        self.chosen.setText(self.tr("Registered patient: {who}").format(who=text) if text else "")
        self.chosen.setVisible(bool(text))
        self.unpick_button.setVisible(patient_id is not None)
        self.pick_button.setVisible(patient_id is None)
        self.name.setReadOnly(patient_id is not None)
        if patient_id is None and text == "":
            self.name.setReadOnly(False)

    def check(self, minor: bool) -> None:
        """Refuse what the service would not catch: a minor's guarantor needs all three."""
        if not minor or self.patient_id:
            return
        if not (self.name.text().strip() and self.relationship.currentText().strip()):
            raise DomainError(
                self.tr(
                    "A patient under 18 needs a guarantor: enter their name, "
                    "relationship and phone, or pick a registered patient."
                )
            )
        if not self.phone.text().strip():
            raise DomainError(self.tr("Enter the guarantor's phone number."))

    def values(self) -> dict[str, str | None]:
        return {
            "guarantor_patient_id": self.patient_id,
            "guarantor_name": optional(self.name.text()),
            "guarantor_relationship": optional(self.relationship.currentText()),
            "guarantor_phone": optional(self.phone.text()),
        }

    def set_record(self, record: PatientRecord) -> None:
        self._set_patient(record.guarantor_patient_id, "")
        if record.guarantor_patient_id:
            self.chosen.setText(
                self.tr("Registered patient: {who}").format(who=record.guarantor_name or "")
            )
            self.chosen.show()
        self.name.setText(record.guarantor_name or "")
        self.relationship.setCurrentText(record.guarantor_relationship or "")
        phone = record.guarantor_phone
        self.phone.setText(display_phone(phone) if phone else "")

    def clear(self) -> None:
        self._set_patient(None, "")
        self.name.clear()
        self.relationship.setCurrentText("")
        self.phone.clear()
