"""The Allergies tab: allergies and intolerances, and "No known allergies" as a statement
someone made. A line above the list says which of the three states the chart is in
(allergies listed, none known, or never asked); severe or high-criticality allergies are
red, bold and marked ⚠."""

from __future__ import annotations

import functools
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from app.services.allergies import AllergyList, AllergyService, AllergyState, AllergyView
from app.services.context import AppContext
from app.ui.chart.allergy_dialogs import (
    AddAllergyDialog,
    UpdateAllergyDialog,
    category_label,
    criticality_label,
    severity_label,
    type_label,
)
from app.ui.chart.fact_table import FactTableModel, date_label
from app.ui.chart.list_tab import FactList, ListTab
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import box_button, button, message_box, pressed_name, text_label

HIGH_RISK_MARK = "⚠ "


def _tr(text: str) -> str:
    return QCoreApplication.translate("AllergiesTab", text)


class AllergyColumn(IntEnum):
    SUBSTANCE = 0
    REACTION = 1
    SEVERITY = 2
    CRITICALITY = 3
    KIND = 4
    STATUS = 5


class AllergyListModel(FactTableModel[AllergyView]):
    def __init__(self) -> None:
        super().__init__(("Substance", "Reaction", "Severity", "Criticality", "Kind", "Status"))

    def cell_text(self, item: AllergyView, column: int) -> str:
        if column == AllergyColumn.SUBSTANCE:
            mark = HIGH_RISK_MARK if item.high_risk else ""
            return mark + (_tr("No known allergies") if item.no_known else item.substance)
        if column == AllergyColumn.STATUS:
            return _tr(item.status_label)
        if item.no_known:
            return ""
        if column == AllergyColumn.REACTION:
            return item.reaction or ""
        if column == AllergyColumn.SEVERITY:
            return severity_label(item.severity)
        if column == AllergyColumn.CRITICALITY:
            return criticality_label(item.criticality)
        return f"{category_label(item.category)} {type_label(item.type).lower()}"

    def is_current(self, item: AllergyView) -> bool:
        return item.is_active

    def is_alert(self, item: AllergyView) -> bool:
        return item.high_risk

    def can_change(self, item: AllergyView) -> bool:
        return not item.in_error and not item.no_known

    def detail_parts(self, item: AllergyView) -> list[str]:
        if item.no_known:
            return [_tr("The patient was asked and has no known allergies.")]
        onset = date_label(item.onset_on)
        return [
            item.substance,
            _tr("High risk: severe or life-threatening reaction") if item.high_risk else "",
            _tr("Onset {date}").format(date=onset) if onset else "",
            item.note or "",
        ]


class AllergiesTab(ListTab):
    title = "Allergies"
    add_keys = "Ctrl+Shift+A"

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        self.allergies: AllergyList | None = None
        # One line per look: a label restyled by its role keeps its first padding.
        self.state_lines = {role: text_label("", role) for role in ("notice", "error")}
        for index, line in enumerate(self.state_lines.values(), start=1):
            line.setAccessibleName(_tr("Allergy status"))
            self.body.insertWidget(index, line)
        self.no_known_button = button(_tr("No known allergies"), _tr("No known allergies"))
        self.no_known_button.setVisible(self.can_edit)
        self.no_known_button.setEnabled(False)
        self.no_known_button.clicked.connect(self.record_no_known)
        self.facts.buttons.insertWidget(1, self.no_known_button)
        self._show_state()

    def build_list(self) -> FactList:
        self.model = AllergyListModel()
        return FactList(
            self.model,
            name=_tr("Allergy list"),
            what=_tr("allergy"),
            add_text=_tr("Record allergy…"),
            status_text=_tr("Change status…"),
            empty_text=_tr(
                "Nothing recorded. Ask the patient, then record each allergy "
                "(Ctrl+Shift+A) or “No known allergies”."
            ),
            stretch_column=AllergyColumn.REACTION,
        )

    @staticmethod
    def fetch(ctx: AppContext, patient_id: str) -> AllergyList:
        return AllergyService(ctx).for_patient(patient_id)

    def show_data(self, data: AllergyList, select: str | None) -> None:
        self.allergies = data
        self.facts.set_rows(data.entries, self.zone, select)
        self._show_state()

    def _show_state(self) -> None:
        allergies = self.allergies
        state = allergies.state if allergies is not None else None
        if allergies is None or state is None:
            text, role = "", "notice"
        elif state is AllergyState.LISTED:
            text = _tr("Allergies: {names}").format(names=allergies.banner_text)
            role = "error" if allergies.has_high_risk else "notice"
        elif state is AllergyState.NO_KNOWN:
            text, role = _tr("No known allergies (the patient was asked)."), "notice"
        else:
            text = _tr("Allergies not recorded: nobody has asked yet, which is not “none”.")
            role = "error"
        for line_role, line in self.state_lines.items():
            line.setText(text if line_role == role else "")
            line.setVisible(bool(line.text()))
        self.no_known_button.setEnabled(state is AllergyState.NOT_RECORDED)
        self.no_known_button.setToolTip(
            {
                AllergyState.LISTED: _tr("Allergies are listed: inactivate them first."),
                AllergyState.NO_KNOWN: _tr("Already recorded."),
                AllergyState.NOT_RECORDED: _tr("Record that the patient has no known allergies."),
            }.get(state, "")  # type: ignore[arg-type]
        )

    # -- actions ---------------------------------------------------------------------------

    def add(self) -> None:
        assert self.patient is not None
        self.open_form(AddAllergyDialog(self.session, self.patient.id, self))

    def change_status(self, item: AllergyView) -> None:
        self.open_form(UpdateAllergyDialog(self.session, item, self))

    def mark_entered_in_error(self, item: AllergyView) -> None:
        service = AllergyService(self.session.ctx)
        action = functools.partial(
            service.mark_entered_in_error, item.id, expected_version=item.version
        )
        what = _tr("“No known allergies” statement") if item.no_known else _tr("allergy")
        self.ask_entered_in_error(what, action, item.id)

    def record_no_known(self) -> None:
        if self.patient is None or not self.can_edit:
            return
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            _tr("No known allergies"),
            _tr("Record that {name} has no known allergies?").format(
                name=self.patient.display_name
            ),
            _tr("Record it only after asking the patient (or their caregiver)."),
        )
        box_button(box, _tr("Record"), role=QMessageBox.ButtonRole.AcceptRole, object_name="record")
        box_button(box, _tr("Cancel"), role=QMessageBox.ButtonRole.RejectRole)
        if pressed_name(box) != "record" or self.patient is None:
            return
        service = AllergyService(self.session.ctx)
        task = self.session.run(service.record_no_known_allergies, self.patient.id, owner=self)
        task.succeeded.connect(self._form_saved)
        task.failed.connect(self._refused)

    def _refused(self, error: BaseException) -> None:
        self.message.show_message(error_message(error))

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self.allergies = None
        self._show_state()
