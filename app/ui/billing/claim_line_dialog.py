"""Changing one line of a draft claim: the procedure code, modifiers, units and which of the
claim's diagnoses it points to. Saving reverses the line's charge on the patient's account
and posts the corrected one (priced from the fee schedule); the claim then bills that.

exec() == Accepted means the line changed (the claim detail reloads)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLayout, QLineEdit, QSpinBox, QWidget

from app.services.billing_data import MAX_UNITS
from app.services.claim_editing import ClaimEditService, ClaimLineForm, LineChange, LineChanged
from app.services.errors import DomainError
from app.ui.billing.charge_edit_dialog import split_codes, split_pointers
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.labels import date_text, money_text
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimLineDialog", text)


class ClaimLineDialog(PatientDialog):
    changed = Signal(object)  # LineChanged

    def __init__(
        self,
        session: DesktopSession,
        claim_id: str,
        line_number: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, _tr("Change claim line"), _tr("Change line"), parent)
        # The dialog grows as the diagnoses and messages arrive, never squeezing them.
        self.body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.claim_id = claim_id
        self.line_number = line_number
        self.form: ClaimLineForm | None = None
        self.service = ClaimEditService(session.ctx)

        self.who = text_label("", "muted")
        self.who.setAccessibleName(_tr("Patient and payer"))
        self.current = text_label("")
        self.current.setAccessibleName(_tr("The line now"))
        self.code = QLineEdit()
        self.code.setAccessibleName(_tr("Procedure code"))
        self.code.setMaxLength(5)
        self.modifiers = QLineEdit()
        self.modifiers.setAccessibleName(_tr("Modifiers"))
        self.modifiers.setPlaceholderText(_tr("up to four, e.g. 25, 59"))
        self.units = QSpinBox()
        self.units.setAccessibleName(_tr("Units"))
        self.units.setRange(1, MAX_UNITS)
        self.diagnoses = text_label("", wrap=False)  # one diagnosis a line
        self.diagnoses.setAccessibleName(_tr("Claim diagnoses"))
        self.pointers = QLineEdit()
        self.pointers.setAccessibleName(_tr("Diagnosis pointers"))
        self.pointers.setPlaceholderText(_tr("numbers above, main one first, e.g. 2, 1"))

        self.content.addWidget(self.who)
        self.content.addWidget(self.current)
        form = form_layout()
        form_row(form, _tr("Procedure code"), self.code)
        form_row(form, _tr("Modifiers"), self.modifiers)
        form_row(form, _tr("Units"), self.units)
        form_row(form, _tr("Claim diagnoses"), self.diagnoses)
        form_row(form, _tr("Points to"), self.pointers)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(
                _tr(
                    "Saving reverses this line's charge on the patient's account and posts the "
                    "corrected one, priced from the fee schedule; the claim bills the new one."
                ),
                "hint",
            )
        )
        self._set_editable(False)
        self.resize(600, self.sizeHint().height())
        self.run(self.service.line, claim_id, line_number, done=self._loaded)

    def _loaded(self, form: ClaimLineForm) -> None:
        self.form = form
        self.setWindowTitle(_tr("Change line {number} of claim {claim}").format(
            number=form.line_number, claim=form.control_number
        ))  # fmt: skip
        self.heading.setText(self.windowTitle())
        modifiers = "-".join(form.modifiers)
        code = f"{form.procedure_code}-{modifiers}" if modifiers else form.procedure_code
        self.who.setText(f"{form.patient_name} · {form.payer_name}")
        self.current.setText(
            _tr("Now billed: {code} {description} · {day} · {units} × {price} = {total}").format(
                code=code,
                description=form.description,
                day=date_text(form.service_on),
                units=form.units,
                price=money_text(form.unit_price_cents),
                total=money_text(form.charge_cents),
            )
        )
        self.code.setText(form.procedure_code)
        self.modifiers.setText(", ".join(form.modifiers))
        self.units.setValue(form.units)
        self.pointers.setText(", ".join(str(p) for p in form.pointers))
        self.diagnoses.setText(
            "\n".join(
                f"{number}.  {d.code}" + (f" — {d.description}" if d.description else "")
                for number, d in enumerate(form.diagnoses, start=1)
            )
            or _tr("The claim lists no diagnoses.")
        )
        self.diagnoses.setMinimumHeight(self.diagnoses.sizeHint().height())
        if form.locked_reason:
            self.message.show_message(form.locked_reason)
        else:
            self._set_editable(True)
            self.code.setFocus()

    def _set_editable(self, editable: bool) -> None:
        for field in (self.code, self.modifiers, self.units, self.pointers):
            field.setEnabled(editable)
        self.ok_button.setEnabled(editable)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        # Nothing to save until the line is loaded, or when the claim cannot change.
        self.ok_button.setEnabled(
            not busy and self.form is not None and not self.form.locked_reason
        )

    def submit(self) -> None:
        if self.form is None or self.form.locked_reason:
            return
        try:
            pointers = split_pointers(self.pointers.text())
        except DomainError as error:
            self.refuse(error)
            self.pointers.setFocus()
            return
        change = LineChange(
            procedure_code=self.code.text().strip().upper(),
            modifiers=split_codes(self.modifiers.text()),
            units=self.units.value(),
            diagnosis_pointers=pointers,
        )
        self.run(
            self.service.change_line, self.claim_id, self.line_number, change, done=self._saved
        )

    def _saved(self, result: LineChanged) -> None:
        self.changed.emit(result)
        self.accept()
