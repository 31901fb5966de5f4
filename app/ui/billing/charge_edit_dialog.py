"""Changing a proposed charge before it is posted: procedure code, modifiers, units, and
which of the visit's diagnoses it points to (or the visit's diagnosis list itself). The
service prices it again from the fee schedule and checks it is ready to post."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from app.services.billing_data import ChargeChanges, ChargeView
from app.services.charge_capture import ChargeCaptureService
from app.services.errors import DomainError
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.labels import date_text
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, text_label

_SEPARATORS = re.compile(r"[\s,;]+")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChargeEditDialog", text)


def split_codes(text: str) -> tuple[str, ...]:
    """ "I10, E78.5" or "I10 E78.5" → ("I10", "E78.5")."""
    return tuple(part.upper() for part in _SEPARATORS.split(text.strip()) if part)


def split_pointers(text: str) -> tuple[int, ...]:
    parts = split_codes(text)
    if not all(part.isdigit() for part in parts):
        raise DomainError(_tr("Pointers are numbers of the diagnoses above, e.g. 1, 2."))
    return tuple(int(part) for part in parts)


class ChargeEditDialog(PatientDialog):
    confirmed = Signal(object)  # the ChargeView as saved

    def __init__(
        self, session: DesktopSession, charge: ChargeView, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            _tr("Change charge"),
            _tr("Save"),
            parent,
            subtitle=_tr("{patient} · seen {day} by {provider}").format(
                patient=charge.patient_name,
                day=date_text(charge.service_on),
                provider=charge.rendering_provider_name,
            ),
        )
        self.charge = charge
        self.code = QLineEdit(charge.procedure_code)
        self.code.setAccessibleName(_tr("Procedure code"))
        self.code.setMaxLength(5)
        self.modifiers = QLineEdit(", ".join(charge.modifiers))
        self.modifiers.setAccessibleName(_tr("Modifiers"))
        self.modifiers.setPlaceholderText(_tr("e.g. 25"))
        self.units = QSpinBox()
        self.units.setAccessibleName(_tr("Units"))
        self.units.setRange(1, 99)
        self.units.setValue(charge.units)
        self.diagnoses = QLineEdit(", ".join(charge.diagnosis_codes))
        self.diagnoses.setAccessibleName(_tr("Visit diagnoses"))
        self.diagnoses.setPlaceholderText(_tr("ICD-10-CM codes in claim order, e.g. I10, E78.5"))
        self.pointers = QLineEdit(", ".join(str(p) for p in charge.diagnosis_pointers))
        self.pointers.setAccessibleName(_tr("Diagnosis pointers"))
        self.pointers.setPlaceholderText(_tr("e.g. 1, 2"))

        form = form_layout()
        form_row(form, _tr("Procedure code"), self.code)
        form_row(form, _tr("Modifiers"), self.modifiers)
        form_row(form, _tr("Units"), self.units)
        form_row(form, _tr("Visit diagnoses"), self.diagnoses)
        form_row(form, _tr("Points to"), self.pointers)
        self.content.addLayout(form)
        if charge.suggestion_reason:
            why = text_label(_tr("Suggested because: {why}").format(why=charge.suggestion_reason))
            why.setProperty("role", "muted")
            self.content.addWidget(why)
        self.content.addWidget(
            text_label(
                _tr(
                    "The visit's diagnoses are one list for all its charges (the claim's). "
                    "The price comes from the fee schedule."
                ),
                "hint",
            )
        )
        self.resize(560, self.sizeHint().height())

    def submit(self) -> None:
        charge = self.charge
        try:
            pointers = split_pointers(self.pointers.text())
        except DomainError as error:
            self.refuse(error)
            self.pointers.setFocus()
            return
        diagnoses = split_codes(self.diagnoses.text())
        changes = ChargeChanges(
            procedure_code=self.code.text().strip().upper() or None,
            modifiers=split_codes(self.modifiers.text()),
            units=self.units.value(),
            diagnosis_pointers=pointers,
            diagnosis_codes=diagnoses if diagnoses != charge.diagnosis_codes else None,
        )
        service = ChargeCaptureService(self.session.ctx)
        self.run(service.confirm, charge.id, changes, charge.version, done=self._saved)

    def _saved(self, view: ChargeView) -> None:
        self.confirmed.emit(view)
        self.accept()
