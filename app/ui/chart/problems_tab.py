"""The Problems tab: the problem list, coded with ICD-10-CM. Active problems first, then
resolved and inactive ones (muted), then those entered in error (struck through)."""

from __future__ import annotations

import functools
from enum import IntEnum

from PySide6.QtCore import QCoreApplication

from app.services.context import AppContext
from app.services.note_data import format_time
from app.services.problems import ProblemService, ProblemView
from app.ui.chart.fact_table import FactTableModel, date_label
from app.ui.chart.list_tab import FactList, ListTab
from app.ui.chart.problem_dialogs import AddProblemDialog, UpdateProblemDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProblemsTab", text)


class ProblemColumn(IntEnum):
    CODE = 0
    PROBLEM = 1
    ONSET = 2
    STATUS = 3


class ProblemListModel(FactTableModel[ProblemView]):
    def __init__(self) -> None:
        super().__init__(("Code", "Problem", "Onset", "Status"))

    def cell_text(self, item: ProblemView, column: int) -> str:
        if column == ProblemColumn.CODE:
            return item.icd10_code
        if column == ProblemColumn.PROBLEM:
            return item.description
        if column == ProblemColumn.ONSET:
            return date_label(item.onset_on)
        status = _tr(item.status_label)
        if item.resolved_on and not item.in_error:
            status = _tr("{status} {date}").format(status=status, date=date_label(item.resolved_on))
        return status

    def is_current(self, item: ProblemView) -> bool:
        return item.is_active

    def detail_parts(self, item: ProblemView) -> list[str]:
        billing = {
            True: "",
            False: _tr("Not billable (a category)"),
            None: _tr("Billable status unknown (the code set is not installed)"),
        }[item.billable]
        return [
            f"{item.icd10_code} {item.description}",
            billing,
            _tr("Recorded {when}").format(when=format_time(item.recorded_at, self.zone)),
            item.note or "",
        ]


class ProblemsTab(ListTab):
    title = "Problems"
    add_keys = "Ctrl+Shift+P"

    def build_list(self) -> FactList:
        self.model = ProblemListModel()
        return FactList(
            self.model,
            name=_tr("Problem list"),
            what=_tr("problem"),
            add_text=_tr("Add problem…"),
            status_text=_tr("Change status…"),
            empty_text=_tr("No problems recorded. Add one with Add problem (Ctrl+Shift+P)."),
            stretch_column=ProblemColumn.PROBLEM,
        )

    @staticmethod
    def fetch(ctx: AppContext, patient_id: str) -> list[ProblemView]:
        return ProblemService(ctx).for_patient(patient_id)

    def add(self) -> None:
        assert self.patient is not None
        self.open_form(AddProblemDialog(self.session, self.patient.id, self))

    def change_status(self, item: ProblemView) -> None:
        self.open_form(UpdateProblemDialog(self.session, item, self))

    def mark_entered_in_error(self, item: ProblemView) -> None:
        service = ProblemService(self.session.ctx)
        action = functools.partial(
            service.mark_entered_in_error, item.id, expected_version=item.version
        )
        self.ask_entered_in_error(_tr("problem"), action, item.id)
