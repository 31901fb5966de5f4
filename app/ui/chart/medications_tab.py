"""The Medications tab: what the patient takes, then what was stopped (when and why), then
entries made in error. Adding records a medication taken (prescribed here or elsewhere);
"Stop…" asks for the date and the reason."""

from __future__ import annotations

import functools
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from app.services.context import AppContext
from app.services.medications import MedicationInput, MedicationService, MedicationView
from app.ui.chart.fact_forms import date_field, note_box, note_row, read_date
from app.ui.chart.fact_table import FactTableModel, date_label
from app.ui.chart.list_tab import FactDialog, FactList, ListTab
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.patients.fields import labeled, text_field
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row


def _tr(text: str) -> str:
    return QCoreApplication.translate("MedicationsTab", text)


class MedicationColumn(IntEnum):
    NAME = 0
    SIG = 1
    STARTED = 2
    PRESCRIBER = 3
    STATUS = 4


class MedicationListModel(FactTableModel[MedicationView]):
    def __init__(self) -> None:
        super().__init__(("Medication", "Directions", "Started", "Prescriber", "Status"))

    def cell_text(self, item: MedicationView, column: int) -> str:
        if column == MedicationColumn.NAME:
            return item.name
        if column == MedicationColumn.SIG:
            return item.sig or ""
        if column == MedicationColumn.STARTED:
            return date_label(item.started_on)
        if column == MedicationColumn.PRESCRIBER:
            return item.prescriber or ""
        if item.stopped_on and not item.in_error:
            return _tr("Stopped {date}").format(date=date_label(item.stopped_on))
        return _tr(item.status_label)

    def is_current(self, item: MedicationView) -> bool:
        return item.is_active

    def can_change(self, item: MedicationView) -> bool:
        return item.is_active

    def detail_parts(self, item: MedicationView) -> list[str]:
        stopped = ""
        if item.stopped_on:
            stopped = _tr("Stopped {date}: {reason}").format(
                date=date_label(item.stopped_on), reason=item.stop_reason or ""
            )
        return [
            item.name,
            _tr("RxNorm {code}").format(code=item.rxnorm_code) if item.rxnorm_code else "",
            stopped,
            item.note or "",
        ]


class AddMedicationDialog(FactDialog):
    def __init__(
        self, session: DesktopSession, patient_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            _tr("Add medication"),
            _tr("Save"),
            parent,
            subtitle=_tr("What the patient takes now, prescribed here or elsewhere."),
        )
        self.setMinimumWidth(560)
        self.patient_id = patient_id
        self.service = MedicationService(session.ctx)
        self.name = text_field(
            _tr("Medication"), _tr("Drug, strength and form: Metformin 500 mg tablet"), 200
        )
        self.sig = text_field(_tr("Directions"), _tr("e.g. 1 tablet by mouth twice daily"), 300)
        self.started = date_field(_tr("Start date"))
        self.prescriber = text_field(_tr("Prescriber"), _tr("Who prescribed it (optional)"), 200)
        self.rxnorm = text_field(_tr("RxNorm code"), _tr("RXCUI, optional"), 20)
        self.rxnorm.setFixedWidth(150)
        self.note = note_box(_tr("Medication note"))
        form = form_layout()
        form_row(form, _tr("Medication"), self.name)
        form_row(form, _tr("Directions"), self.sig)
        form_row(form, _tr("Started"), self.started)
        form_row(form, _tr("Prescriber"), self.prescriber)
        form_row(form, _tr("RxNorm code"), self.rxnorm)
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self.name.setFocus()

    def submit(self) -> None:
        ok, started = read_date(self.started, self)
        if not ok:
            return
        data = MedicationInput(
            name=self.name.text(),
            sig=self.sig.text(),
            started_on=started,
            prescriber=self.prescriber.text(),
            rxnorm_code=self.rxnorm.text(),
            note=self.note.toPlainText(),
        )
        self.run(self.service.add, self.patient_id, data, done=self._saved)


class StopMedicationDialog(ReasonDialog):
    """When it was stopped and why (both stay in the chart)."""

    def __init__(
        self,
        session: DesktopSession,
        medication: MedicationView,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session,
            _tr("Stop medication"),
            _tr(
                "Stop {name}: it moves to the stopped medications, with the date and the reason."
            ).format(name=medication.name),
            _tr("Stop medication"),
            self._stop,
            parent,
            placeholder=_tr("Why it was stopped, e.g. side effects, course finished"),
        )
        self.medication = medication
        self.service = MedicationService(session.ctx)
        self.stopped_on = date_field(_tr("Stop date"), today)
        self.content.insertWidget(1, labeled(_tr("Stopped on"), self.stopped_on))
        why = QLabel(_tr("Why it was stopped"))
        why.setObjectName("FieldLabel")
        why.setBuddy(self.reason)
        self.content.insertWidget(2, why)
        QWidget.setTabOrder(self.stopped_on, self.reason)
        self._day: date | None = today
        self.resize(500, self.sizeHint().height())
        self.stopped_on.setFocus()

    def _stop(self, reason: str) -> Any:
        assert self._day is not None
        m = self.medication
        return self.service.stop(m.id, self._day, reason, m.version)

    def submit(self) -> None:
        ok, day = read_date(self.stopped_on, self)
        if not ok:
            return
        if day is None:
            self.message.show_message(_tr("Enter the date it was stopped."))
            self.stopped_on.setFocus()
            return
        self._day = day
        super().submit()


class MedicationsTab(ListTab):
    title = "Medications"
    add_keys = "Ctrl+Shift+M"

    def build_list(self) -> FactList:
        self.model = MedicationListModel()
        return FactList(
            self.model,
            name=_tr("Medication list"),
            what=_tr("medication"),
            add_text=_tr("Add medication…"),
            status_text=_tr("Stop…"),
            empty_text=_tr("No medications recorded. Add one with Add medication (Ctrl+Shift+M)."),
            stretch_column=MedicationColumn.SIG,
        )

    @staticmethod
    def fetch(ctx: AppContext, patient_id: str) -> list[MedicationView]:
        return MedicationService(ctx).for_patient(patient_id)

    def add(self) -> None:
        assert self.patient is not None
        self.open_form(AddMedicationDialog(self.session, self.patient.id, self))

    def change_status(self, item: MedicationView) -> None:
        self.open_about(StopMedicationDialog(self.session, item, self.today, self), item.id)

    def mark_entered_in_error(self, item: MedicationView) -> None:
        service = MedicationService(self.session.ctx)
        action = functools.partial(
            service.mark_entered_in_error, item.id, expected_version=item.version
        )
        self.ask_entered_in_error(_tr("medication"), action, item.id)
