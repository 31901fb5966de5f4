"""The patient's details, read-only, in three calm columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.patient_data import PatientRecord
from app.services.patient_keys import display_phone
from app.ui.patients.labels import NO_VALUE, date_text, phone_kind_label, sex_label
from app.ui.widgets import card, text_label


class DemographicsView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Patient details"))
        self.values: dict[str, QLabel] = {}
        frame, body = card(margins=20, spacing=12)
        self.heading_row = QHBoxLayout()
        self.heading_row.addWidget(text_label(self.tr("Details"), "heading"), 1)
        body.addLayout(self.heading_row)
        columns = QHBoxLayout()
        columns.setSpacing(32)
        groups = (
            (
                ("legal", self.tr("Legal name")),
                ("preferred", self.tr("Preferred name")),
                ("birth", self.tr("Date of birth")),
                ("sex", self.tr("Sex at birth")),
                ("gender", self.tr("Gender identity")),
                ("pronouns", self.tr("Pronouns")),
                ("race", self.tr("Race")),
                ("ethnicity", self.tr("Ethnicity")),
            ),
            (
                ("phones", self.tr("Phone")),
                ("email", self.tr("E-mail")),
                ("address", self.tr("Address")),
                ("language", self.tr("Preferred language")),
                ("consent", self.tr("May contact by")),
            ),
            (
                ("guarantor", self.tr("Guarantor")),
                ("contacts", self.tr("Emergency contacts")),
            ),
        )
        for group in groups:
            columns.addLayout(self._column(group), 1)
        body.addLayout(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)

    def _column(self, rows: tuple[tuple[str, str], ...]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(9)
        for row, (key, caption) in enumerate(rows):
            label = QLabel(caption)
            label.setObjectName("FactCaption")
            value = QLabel()
            value.setObjectName("FactValue")
            value.setAccessibleName(caption)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
            self.values[key] = value
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(rows), 1)
        return grid

    def show_record(self, r: PatientRecord) -> None:
        middle = f" {r.middle_name}" if r.middle_name else ""
        suffix = f" {r.suffix}" if r.suffix else ""
        address = [r.address_line1, r.address_line2]
        city = ", ".join(
            p for p in (r.city, " ".join(q for q in (r.state, r.postal_code) if q)) if p
        )
        consents = [
            text
            for allowed, text in (
                (r.consent_sms, self.tr("Text messages")),
                (r.consent_email, self.tr("E-mail")),
                (r.consent_voicemail, self.tr("Voicemail")),
            )
            if allowed
        ]
        guarantor = ""
        if r.guarantor_name or r.guarantor_patient_id:
            parts = [r.guarantor_name or self.tr("A registered patient")]
            if r.guarantor_relationship:
                parts.append(f"({r.guarantor_relationship})")
            guarantor = " ".join(parts)
            if r.guarantor_phone:
                guarantor += "\n" + display_phone(r.guarantor_phone)
        texts = {
            "legal": f"{r.first_name}{middle} {r.last_name}{suffix}",
            "preferred": r.preferred_name or "",
            "birth": f"{date_text(r.date_of_birth)}  ({r.age})",
            "sex": sex_label(r.sex_at_birth),
            "gender": r.gender_identity or "",
            "pronouns": r.pronouns or "",
            "race": r.race or "",
            "ethnicity": r.ethnicity or "",
            "phones": "\n".join(f"{p.display}  · {phone_kind_label(p.kind)}" for p in r.phones),
            "email": r.email or "",
            "address": "\n".join(
                [*(a for a in address if a), city] if city else [a for a in address if a]
            ),
            "language": r.preferred_language or "",
            "consent": ", ".join(consents) if consents else self.tr("No consent recorded"),
            "guarantor": guarantor or self.tr("The patient (self)"),
            "contacts": "\n".join(
                f"{c.name} ({c.relationship})\n{display_phone(c.phone)}" for c in r.contacts
            ),
        }
        for key, text in texts.items():
            self.values[key].setText(text or NO_VALUE)

    def clear(self) -> None:
        for value in self.values.values():
            value.setText("")
