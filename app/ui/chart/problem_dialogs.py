"""Putting a diagnosis on the problem list (searched in ICD-10-CM), and changing its status.

The ICD-10-CM picker is shared with the history forms, where a code is optional."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QWidget

from app.models import ProblemStatus
from app.services.problems import (
    STATUS_LABELS,
    ProblemChange,
    ProblemInput,
    ProblemService,
    ProblemView,
)
from app.terminology.icd10cm import Icd10Code
from app.ui.chart.fact_forms import date_field, note_box, note_row, read_date
from app.ui.chart.fact_table import PAST_INK
from app.ui.chart.list_tab import FactDialog
from app.ui.chart.search_picker import VISIBLE_ROWS, SearchPicker
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProblemDialogs", text)


class Icd10Picker(SearchPicker):
    """ICD-10-CM codes by words or code; billable codes are marked (only they go on a claim)."""

    headers = ("Code", "Description", "Billing")

    def __init__(
        self,
        session: DesktopSession,
        search: Callable[[str], list[Icd10Code]],
        *,
        name: str = "",
        free_text: bool = False,
    ) -> None:
        super().__init__(
            session,
            search,
            name=name or _tr("Search diagnoses"),
            placeholder=_tr("Words or a code: type 2 diabetes, htn, E11.9"),
            free_text=free_text,
            visible_rows=4 if free_text else VISIBLE_ROWS,
        )

    def cell_text(self, item: Icd10Code, column: int) -> str:
        if column == 0:
            return item.code
        if column == 1:
            return item.description
        return _tr("✓ Billable") if item.billable else _tr("Category")

    def cell_ink(self, item: Icd10Code, column: int) -> QColor | None:
        if column == 2:
            return QColor("#1e6b3a") if item.billable else PAST_INK
        return None

    def cell_tip(self, item: Icd10Code) -> str | None:
        if item.billable:
            return None
        return _tr("A category, not billable: choose a more specific code under it to bill.")

    def item_text(self, item: Icd10Code) -> str:
        return f"{item.code} {item.description}"

    def chosen_text(self, item: Icd10Code) -> str:
        mark = _tr("billable") if item.billable else _tr("not billable (a category)")
        return _tr("Chosen: {code} — {description} · {mark}").format(
            code=item.code, description=item.description, mark=mark
        )

    def hint(self) -> str:
        return _tr("↓/↑ to move, Enter or double-click to choose. ✓ marks billable codes.")


class AddProblemDialog(FactDialog):
    def __init__(
        self,
        session: DesktopSession,
        patient_id: str,
        parent: QWidget | None = None,
        *,
        encounter_id: str | None = None,
    ) -> None:
        super().__init__(
            session,
            _tr("Add problem"),
            _tr("Save"),
            parent,
            subtitle=_tr("Search ICD-10-CM, choose the diagnosis, then Save."),
        )
        self.setMinimumWidth(720)
        self.patient_id = patient_id
        self.encounter_id = encounter_id
        self.service = ProblemService(session.ctx)
        self.picker = Icd10Picker(session, self.service.search_codes)
        self.picker.picked.connect(self._picked)
        self.onset = date_field(_tr("Onset date"))
        self.note = note_box(_tr("Problem note"))
        self.content.addWidget(self.picker)
        form = form_layout()
        form_row(
            form,
            _tr("Onset"),
            inline_row(self.onset, text_label(_tr("optional"), "hint")),
            self.onset,
        )
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self.picker.setFocus()

    def _picked(self, code: Icd10Code | None) -> None:
        if code is not None:
            self.message.clear_message()
            self.onset.setFocus()

    def submit(self) -> None:
        code = self.picker.chosen
        if code is None:
            self.message.show_message(_tr("Choose the diagnosis from the search results."))
            self.picker.setFocus()
            return
        ok, onset = read_date(self.onset, self)
        if not ok:
            return
        data = ProblemInput(code.code, onset, self.note.toPlainText(), self.encounter_id)
        self.run(self.service.add, self.patient_id, data, done=self._saved)


class UpdateProblemDialog(FactDialog):
    """Resolve (with a date), inactivate or reactivate; correct the onset or the note."""

    def __init__(
        self, session: DesktopSession, problem: ProblemView, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            _tr("Change problem status"),
            _tr("Save"),
            parent,
            subtitle=f"{problem.icd10_code} {problem.description}",
        )
        self.setMinimumWidth(520)
        self.problem = problem
        self.service = ProblemService(session.ctx)
        self.group = QButtonGroup(self)
        self.choices: dict[ProblemStatus, QRadioButton] = {}
        for status in ProblemStatus:
            radio = QRadioButton(_tr(STATUS_LABELS[status]))
            radio.setAccessibleName(_tr(STATUS_LABELS[status]))
            radio.toggled.connect(lambda _on: self._status_chosen())
            self.group.addButton(radio)
            self.choices[status] = radio
        # Resolving is the usual reason to come here; reactivating the usual one otherwise.
        suggested = (
            ProblemStatus.RESOLVED
            if problem.status is ProblemStatus.ACTIVE
            else ProblemStatus.ACTIVE
        )
        self.onset = date_field(_tr("Onset date"), problem.onset_on)
        self.resolved = date_field(_tr("Resolved date"), problem.resolved_on, _tr("Today"))
        self.note = note_box(_tr("Problem note"), problem.note)
        form = form_layout()
        form_row(
            form,
            _tr("Status"),
            inline_row(*self.choices.values()),
            self.choices[ProblemStatus.ACTIVE],
        )
        form_row(form, _tr("Onset"), self.onset)
        self.resolved_label = form_row(form, _tr("Resolved on"), self.resolved)
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self.choices[suggested].setChecked(True)
        self.choices[suggested].setFocus()

    def status(self) -> ProblemStatus:
        return next(s for s, radio in self.choices.items() if radio.isChecked())

    def _status_chosen(self) -> None:
        resolving = any(r.isChecked() for r in self.choices.values()) and (
            self.status() is ProblemStatus.RESOLVED
        )
        self.resolved.setVisible(resolving)
        self.resolved_label.setVisible(resolving)

    def submit(self) -> None:
        ok, onset = read_date(self.onset, self)
        ok_resolved, resolved = read_date(self.resolved, self) if ok else (False, None)
        if not (ok and ok_resolved):
            return
        status = self.status()
        change = ProblemChange(
            status,
            onset,
            resolved if status is ProblemStatus.RESOLVED else None,
            self.note.toPlainText(),
        )
        self.run(
            self.service.update, self.problem.id, change, self.problem.version, done=self._saved
        )
