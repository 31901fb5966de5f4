"""The History tab: past medical and surgical history and family history (lists that grow;
corrections are "entered in error"), beside the social history form (one record, saved
as a whole)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from app.models import SmokingStatus
from app.services.context import AppContext
from app.services.histories import (
    SMOKING_LABELS,
    FamilyHistoryView,
    HistoryService,
    PastHistoryView,
    SocialInput,
    SocialView,
)
from app.services.note_data import format_time
from app.ui.chart.fact_forms import choice_combo, note_box, note_row
from app.ui.chart.fact_table import FactTableModel
from app.ui.chart.history_dialogs import AddFamilyHistoryDialog, AddPastHistoryDialog
from app.ui.chart.list_tab import FactList, FactsTab
from app.ui.patients.fields import combo_enum, select_data, text_field
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, card, form_layout, form_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryTab", text)


@dataclass(frozen=True)
class HistoryData:
    past: list[PastHistoryView]
    family: list[FamilyHistoryView]
    social: SocialView


class PastColumn(IntEnum):
    KIND = 0
    CONDITION = 1
    CODE = 2
    WHEN = 3


class PastHistoryModel(FactTableModel[PastHistoryView]):
    def __init__(self) -> None:
        super().__init__(("Kind", "Condition", "Code", "When"))

    def cell_text(self, item: PastHistoryView, column: int) -> str:
        return {
            PastColumn.KIND: _tr(item.kind_label),
            PastColumn.CONDITION: item.description,
            PastColumn.CODE: item.icd10_code or "",
            PastColumn.WHEN: item.when_text or "",
        }[PastColumn(column)]

    def detail_parts(self, item: PastHistoryView) -> list[str]:
        return [item.description, item.note or ""]


class FamilyColumn(IntEnum):
    RELATIVE = 0
    CONDITION = 1
    CODE = 2
    AGE = 3
    DECEASED = 4


class FamilyHistoryModel(FactTableModel[FamilyHistoryView]):
    def __init__(self) -> None:
        super().__init__(("Relative", "Condition", "Code", "Age at onset", "Deceased"))

    def cell_text(self, item: FamilyHistoryView, column: int) -> str:
        return {
            FamilyColumn.RELATIVE: _tr(item.relative_label),
            FamilyColumn.CONDITION: item.condition,
            FamilyColumn.CODE: item.icd10_code or "",
            FamilyColumn.AGE: "" if item.age_at_onset is None else str(item.age_at_onset),
            FamilyColumn.DECEASED: _tr("Deceased") if item.deceased else "",
        }[FamilyColumn(column)]

    def detail_parts(self, item: FamilyHistoryView) -> list[str]:
        return [f"{_tr(item.relative_label)}: {item.condition}", item.note or ""]


class SocialForm(QWidget):
    """Smoking status (the US Core answers), tobacco, alcohol, drugs, occupation, note.
    What is typed is kept when the chart reloads underneath it, until it is saved."""

    save_requested = Signal(object, object)  # SocialInput, the version it was read at

    def __init__(self) -> None:
        super().__init__()
        self.view: SocialView | None = None
        self.dirty = False
        self.smoking = choice_combo(_tr("Smoking status"), SMOKING_LABELS.items())
        self.tobacco = text_field(_tr("Tobacco"), _tr("Packs a day, years, quit date"), 300)
        self.alcohol = text_field(_tr("Alcohol"), _tr("e.g. 2 drinks a week"), 300)
        self.drugs = text_field(_tr("Drug use"), _tr("e.g. none"), 300)
        self.occupation = text_field(_tr("Occupation"), "", 200)
        self.note = note_box(_tr("Social history note"))
        self.save_button = button(
            _tr("Save social history"), _tr("Save social history"), variant="primary"
        )
        self.save_button.clicked.connect(self.save)
        self.updated = text_label("", "hint")
        self.updated.setAccessibleName(_tr("Social history updated"))
        self.message = MessageLabel()
        form = form_layout()
        form_row(form, _tr("Smoking"), self.smoking)
        form_row(form, _tr("Tobacco"), self.tobacco)
        form_row(form, _tr("Alcohol"), self.alcohol)
        form_row(form, _tr("Drugs"), self.drugs)
        form_row(form, _tr("Occupation"), self.occupation)
        note_row(form, _tr("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(self.updated, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.smoking.currentIndexChanged.connect(self._edited)
        for edit in self._lines():
            edit.textEdited.connect(self._edited)
            edit.returnPressed.connect(self.save)
        self.note.textChanged.connect(self._edited)

    def _lines(self) -> tuple[QLineEdit, ...]:
        return (self.tobacco, self.alcohol, self.drugs, self.occupation)

    def _edited(self, *_args: Any) -> None:
        self.dirty = True

    def show_social(self, view: SocialView, zone: str) -> None:
        if self.dirty and self.view is not None and self.view.patient_id == view.patient_id:
            return  # keep what is being typed; saving checks the version read
        self.view = view
        select_data(self.smoking, view.smoking_status.value)
        for edit, value in zip(
            self._lines(),
            (view.tobacco_note, view.alcohol, view.drugs, view.occupation),
            strict=True,
        ):
            edit.setText(value or "")
        self.note.setPlainText(view.note or "")
        self.dirty = False
        self.updated.setText(
            _tr("Updated {when}").format(when=format_time(view.updated_at, zone))
            if view.updated_at
            else _tr("Not recorded yet.")
        )

    def save(self) -> None:
        if self.view is None:
            return
        data = SocialInput(
            smoking_status=combo_enum(self.smoking, SmokingStatus) or SmokingStatus.UNKNOWN,
            tobacco_note=self.tobacco.text(),
            alcohol=self.alcohol.text(),
            drugs=self.drugs.text(),
            occupation=self.occupation.text(),
            note=self.note.toPlainText(),
        )
        self.message.clear_message()
        self.save_requested.emit(data, self.view.version)

    def clear(self) -> None:
        self.view = None
        self.smoking.setCurrentIndex(0)
        for edit in self._lines():
            edit.clear()
        self.note.clear()
        self.dirty = False
        self.updated.clear()
        self.message.clear_message()


def _section(title: str, body: QWidget) -> QWidget:
    frame, layout = card(16, 10)
    layout.addWidget(text_label(title, "heading"))
    layout.addWidget(body, 1)
    return frame


class HistoryTab(FactsTab):
    title = "History"
    add_keys = "Ctrl+Shift+H"  # past history; Ctrl+Shift+F adds family history

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        self.past = FactList(
            PastHistoryModel(),
            name=_tr("Past medical and surgical history"),
            what=_tr("past history"),
            add_text=_tr("Add past history…"),
            empty_text=_tr("No past medical or surgical history recorded."),
            stretch_column=PastColumn.CONDITION,
        )
        self.family = FactList(
            FamilyHistoryModel(),
            name=_tr("Family history"),
            what=_tr("family history"),
            add_text=_tr("Add family history…"),
            empty_text=_tr("No family history recorded."),
            stretch_column=FamilyColumn.CONDITION,
        )
        self.social = SocialForm()
        self.social.save_button.setVisible(self.can_edit)
        self.social.save_requested.connect(self.save_social)
        for facts, add, keys in (
            (self.past, self.add_past, self.add_keys),
            (self.family, self.add_family, "Ctrl+Shift+F"),
        ):
            facts.set_editable(self.can_edit)
            facts.setMinimumHeight(220)
            facts.add_requested.connect(add)
            facts.add_button.setToolTip(f"{facts.add_button.accessibleName()} ({keys})")
            self.add_shortcut(keys, add)
        self.past.error_requested.connect(self.mark_past_in_error)
        self.family.error_requested.connect(self.mark_family_in_error)

        lists = QVBoxLayout()
        lists.setSpacing(12)
        lists.addWidget(_section(_tr("Past medical and surgical history"), self.past), 1)
        lists.addWidget(_section(_tr("Family history"), self.family), 1)
        social = QVBoxLayout()
        social.addWidget(_section(_tr("Social history"), self.social))
        social.addStretch(1)
        columns = QWidget()
        row = QHBoxLayout(columns)
        row.setContentsMargins(20, 12, 20, 12)
        row.setSpacing(16)
        row.addLayout(lists, 3)
        row.addLayout(social, 2)
        scroll = QScrollArea()
        scroll.setObjectName("RecordScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)

    @staticmethod
    def fetch(ctx: AppContext, patient_id: str) -> HistoryData:
        service = HistoryService(ctx)
        return HistoryData(
            service.past_history(patient_id),
            service.family_history(patient_id),
            service.social(patient_id),
        )

    def show_data(self, data: HistoryData, select: str | None) -> None:
        for facts, rows in ((self.past, data.past), (self.family, data.family)):
            ids = {row.id for row in rows}
            facts.set_rows(rows, self.zone, select if select in ids else facts.current_id())
        self.social.show_social(data.social, self.zone)

    # -- actions ---------------------------------------------------------------------------

    def add_past(self) -> None:
        if self.patient is not None and self.can_edit:
            self.open_form(AddPastHistoryDialog(self.session, self.patient.id, self))

    def add_family(self) -> None:
        if self.patient is not None and self.can_edit:
            self.open_form(AddFamilyHistoryDialog(self.session, self.patient.id, self))

    def mark_past_in_error(self, item: PastHistoryView) -> None:
        service = HistoryService(self.session.ctx)
        action = functools.partial(
            service.mark_past_entered_in_error, item.id, expected_version=item.version
        )
        self.ask_entered_in_error(_tr("history entry"), action, item.id)

    def mark_family_in_error(self, item: FamilyHistoryView) -> None:
        service = HistoryService(self.session.ctx)
        action = functools.partial(
            service.mark_family_entered_in_error, item.id, expected_version=item.version
        )
        self.ask_entered_in_error(_tr("family history entry"), action, item.id)

    def save_social(self, data: SocialInput, version: int | None) -> None:
        if self.patient is None or not self.can_edit:
            return
        service = HistoryService(self.session.ctx)
        self.social.save_button.setEnabled(False)
        task = self.session.run(service.save_social, self.patient.id, data, version, owner=self)
        task.succeeded.connect(self._social_saved)
        task.failed.connect(self._social_refused)

    def _social_saved(self, view: SocialView) -> None:
        self.social.save_button.setEnabled(True)
        self.social.dirty = False
        self.social.show_social(view, self.zone)
        self.changed(None)

    def _social_refused(self, error: BaseException) -> None:
        self.social.save_button.setEnabled(True)
        self.social.message.show_message(error_message(error))

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self.past.clear()
        self.family.clear()
        self.social.clear()
