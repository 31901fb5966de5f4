"""The record's insurance: the coverages list and what can be done with each."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.insurance import CoverageService, CoverageView
from app.ui.patients.card_images import CardImagesDialog
from app.ui.patients.coverage_dialogs import CoverageDialog, EndCoverageDialog
from app.ui.patients.coverage_model import COVERAGE_ROLE, CoverageColumn, CoverageModel
from app.ui.patients.labels import priority_label
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, card, text_label


class CoveragesPanel(QWidget):
    changed = Signal()  # something was saved: reload the record

    def __init__(self, session: DesktopSession, *, can_edit: bool) -> None:
        super().__init__()
        self.session = session
        self.can_edit = can_edit
        self.patient_id: str | None = None
        self.model = CoverageModel(session.ctx.clock.now().date(), self)
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Insurance coverages"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CoverageColumn.PAYER, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(34 * 3 + 36)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.empty = text_label(self.tr("No insurance on file — the patient is self-pay."), "muted")
        self.empty.setAccessibleName(self.tr("No insurance"))
        self.message = MessageLabel("error", self.tr("Insurance message"))

        self.add_button = button(
            self.tr("Add coverage…"), self.tr("Add coverage"), icon_name="plus"
        )
        self.edit_button = button(self.tr("Edit…"), self.tr("Edit coverage"))
        self.end_button = button(self.tr("End…"), self.tr("End coverage"))
        self.remove_button = button(self.tr("Remove"), self.tr("Remove coverage"))
        self.remove_button.setToolTip(self.tr("Only for a coverage entered by mistake"))
        self.cards_button = button(
            self.tr("Card pictures…"), self.tr("Card pictures"), icon_name="id-card"
        )
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.end_button.clicked.connect(self.end)
        self.remove_button.clicked.connect(self.remove)
        self.cards_button.clicked.connect(self.card_pictures)
        frame, body = card(margins=20, spacing=12)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(text_label(self.tr("Insurance"), "heading"), 1)
        for widget in (
            self.cards_button,
            self.edit_button,
            self.end_button,
            self.remove_button,
            self.add_button,
        ):
            top.addWidget(widget)
            widget.setVisible(can_edit or widget is self.cards_button)
        body.addLayout(top)
        body.addWidget(self.message)
        body.addWidget(self.table)
        body.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        self._update_actions()

    def show_coverages(
        self, patient_id: str, coverages: list[CoverageView], *, editable: bool
    ) -> None:
        self.patient_id = patient_id
        self.model.set_coverages(coverages, self.session.ctx.clock.now().date())
        self.table.setVisible(bool(coverages))
        self.table.setFixedHeight(36 + 34 * max(1, len(coverages)) + 4)
        self.empty.setVisible(not coverages)
        self.message.clear_message()
        self.add_button.setEnabled(editable)
        self._editable = editable
        if coverages:
            self.table.selectRow(0)
        self._update_actions()

    def selected(self) -> CoverageView | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(COVERAGE_ROLE) if rows else None

    def _update_actions(self) -> None:
        chosen = self.selected()
        editable = getattr(self, "_editable", False) and chosen is not None
        ended = chosen is not None and self.model.ended(chosen)
        self.edit_button.setEnabled(editable)
        self.end_button.setEnabled(editable and not ended)
        self.remove_button.setEnabled(editable)
        self.cards_button.setEnabled(chosen is not None)
        has_rows = self.model.rowCount() > 0  # with no coverage, only Add is offered
        for widget in (self.cards_button, self.edit_button, self.end_button, self.remove_button):
            widget.setVisible(has_rows and (self.can_edit or widget is self.cards_button))

    # -- actions -------------------------------------------------------------------------

    def add(self) -> None:
        if self.patient_id:
            self._open(CoverageDialog(self.session, self.patient_id, None, self))

    def edit(self) -> None:
        chosen = self.selected()
        if chosen and self.can_edit and self.patient_id:
            self._open(CoverageDialog(self.session, self.patient_id, chosen, self))

    def end(self) -> None:
        chosen = self.selected()
        if chosen:
            self._open(EndCoverageDialog(self.session, chosen, self._today(), self))

    def card_pictures(self) -> None:
        chosen = self.selected()
        if chosen:
            dialog = CardImagesDialog(self.session, chosen, self)
            dialog.saved.connect(self.changed)
            dialog.open()

    def _open(self, dialog: CoverageDialog | EndCoverageDialog) -> None:
        dialog.open()  # saving sends a change notice; the record reloads from it

    def _today(self) -> date:
        return self.session.ctx.clock.now().date()

    def remove(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove coverage"))
        box.setText(
            self.tr("Remove the {priority} coverage with {payer}?").format(
                priority=priority_label(chosen.priority).lower(), payer=chosen.payer_name
            )
        )
        box.setInformativeText(
            self.tr(
                "Only for a coverage entered by mistake. If the plan has ended, use End instead so "
                "past claims keep it."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Cancel)
        confirm = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        confirm.setAccessibleName(self.tr("Confirm remove coverage"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda clicked: self._remove(chosen) if clicked is confirm else None
        )
        box.open()

    def _remove(self, coverage: CoverageView) -> None:
        task = self.session.run(CoverageService(self.session.ctx).remove, coverage.id, owner=self)
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def clear(self) -> None:
        self.patient_id = None
        self.model.clear()
        self.message.clear_message()
        self._editable = False
        self._update_actions()
