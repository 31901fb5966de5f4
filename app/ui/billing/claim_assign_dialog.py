"""Hand a denied or rejected claim to someone: who owns it, what they do next and by when."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QWidget

from app.services.claim_data import DenialRow
from app.services.claim_views import ClaimOwner, ClaimViewService
from app.services.claims import MAX_ACTION, ClaimService
from app.services.errors import DomainError
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import DateField, text_field
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimAssignDialog", text)


class ClaimAssignDialog(PatientDialog):
    def __init__(
        self, session: DesktopSession, row: DenialRow, parent: QWidget | None = None
    ) -> None:
        claim, work = row.claim, row.worklist
        super().__init__(
            session,
            _tr("Assign claim"),
            _tr("Assign"),
            parent,
            subtitle=_tr("Claim {number} · {patient} · {payer}").format(
                number=claim.control_number, patient=claim.patient_name, payer=claim.payer_name
            ),
        )
        self.claim_id = claim.id
        self._owner_id = work.owner_id
        self.owner = QComboBox()
        self.owner.setAccessibleName(_tr("Owner"))
        self.owner.addItem(_tr("Nobody"), None)
        self.next_action = text_field(
            _tr("Next action"), _tr("e.g. Call the payer about the missing records"), MAX_ACTION
        )
        self.next_action.setText(work.next_action or "")
        self.due = DateField(_tr("Due date"))
        self.due.set_date(work.due_on)
        form = form_layout()
        form_row(form, _tr("Owner"), self.owner)
        form_row(form, _tr("Next action"), self.next_action)
        form_row(form, _tr("Due"), self.due)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(_tr("Leave the due date blank when there is no deadline."), "hint")
        )
        self.resize(500, self.sizeHint().height())
        self.ok_button.setEnabled(False)  # until the owners are known
        task = session.run(ClaimViewService(session.ctx).owners, owner=self)
        task.succeeded.connect(self._owners)
        task.failed.connect(self.failed)

    def _owners(self, owners: list[ClaimOwner]) -> None:
        for person in owners:
            self.owner.addItem(person.name, person.id)
        index = self.owner.findData(self._owner_id) if self._owner_id else 0
        self.owner.setCurrentIndex(max(index, 0))
        self.ok_button.setEnabled(True)

    def submit(self) -> None:
        try:
            due = self.due.date_value()
        except DomainError as error:
            self.refuse(error)
            self.due.setFocus()
            return
        service = ClaimService(self.session.ctx)
        self.run(
            service.assign,
            self.claim_id,
            self.owner.currentData(),
            self.next_action.text(),
            due,
            done=lambda _row: self.accept(),
        )
