"""The denial worklist: claims the payer denied or rejected, those due soonest first, with the
payer's reason in words and codes, who owns each and what they do next. From here a claim
is assigned, corrected, appealed, returned to draft (a rejection) or opened in Claims."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QTableView, QVBoxLayout, QWidget

from app.services.bus import ClaimsChanged
from app.services.claim_data import DenialRow
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.services.practice import PracticeInfo
from app.ui.billing.claim_actions import Action, ClaimActions, allowed
from app.ui.billing.claim_assign_dialog import ClaimAssignDialog
from app.ui.billing.claim_reasons import reason_text
from app.ui.billing.claim_tables import DenialsModel, SortedRows, WorklistRow
from app.ui.notices import NoticeBridge
from app.ui.session import DesktopSession
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, add_shortcuts, button, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("DenialsPanel", text)


def load_denials(ctx: AppContext) -> tuple[list[DenialRow], date]:
    """On the worker: the worklist, and the practice's today (what is overdue)."""
    return ClaimService(ctx).denials(), PracticeInfo(ctx).summary().today


def _chosen_text(row: DenialRow) -> str:
    """The chosen claim's reason and next step in full (the table cuts long ones)."""
    work = row.worklist
    parts = [
        _tr("Claim {number}: {reason}").format(
            number=row.claim.control_number,
            reason=reason_text(work.denial_reason, work.denial_codes),
        )
    ]
    if work.next_action:
        parts.append(_tr("Next: {action}").format(action=work.next_action))
    return " · ".join(parts)


class DenialsPanel(QWidget):
    claim_requested = Signal(str)  # claim id, to open in the Claims tab
    loaded = Signal()

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.today = date.today()  # until the practice's own day is known

        self.heading = text_label(_tr("Denials and rejections"), "heading", wrap=False)
        self.count = text_label("", "muted")
        self.busy = BusyBar()
        self.message = MessageLabel("error", _tr("Denials message"))
        self.open_button = button(_tr("Open claim"), _tr("Open claim"), variant="primary")
        self.open_button.setToolTip(_tr("See the claim in full in the Claims tab (Enter)"))
        self.open_button.clicked.connect(self.open_chosen)
        self.assign_button = button(_tr("Assign…"), _tr("Assign claim"), icon_name="user")
        self.assign_button.setToolTip(_tr("Choose who owns it, the next action and when it is due"))
        self.assign_button.clicked.connect(self.assign_chosen)
        self.correct_button = button(_tr("Correct…"), _tr("Correct claim"))
        self.correct_button.setToolTip(_tr("Send a corrected claim (frequency 7) in its place"))
        self.correct_button.clicked.connect(lambda: self._act(Action.CORRECT))
        self.appeal_button = button(_tr("Appeal…"), _tr("Appeal claim"))
        self.appeal_button.clicked.connect(lambda: self._act(Action.APPEAL))
        self.redo_button = button(_tr("Return to draft…"), _tr("Return to draft"))
        self.redo_button.setToolTip(_tr("A rejected claim is fixed as a draft and sent again"))
        self.redo_button.clicked.connect(lambda: self._act(Action.RETURN_TO_DRAFT))
        self.claim_actions = ClaimActions(session, self)
        self.claim_actions.succeeded.connect(self._acted)
        self.claim_actions.failed.connect(self._failed)

        self.model = DenialsModel(lambda: self.today, self)
        self.rows = SortedRows(self)
        self.rows.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.rows)
        style_row_table(self.table, _tr("Denied claims"), stretch_column=DenialsModel.REASON)
        # A long next action must not squeeze the reason (the tip and the line below show it).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DenialsModel.ACTION, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(DenialsModel.ACTION, 170)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DenialsModel.DUE, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.table.doubleClicked.connect(lambda _index: self.open_chosen())
        self.reason = text_label("", "muted")
        self.reason.setAccessibleName(_tr("Denial reason"))
        self.empty = text_label(_tr("No denied or rejected claims: nothing to work on."), "muted")
        self.empty.setAccessibleName(_tr("No denials"))

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.count, 1)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for widget in (self.open_button, self.assign_button):
            actions.addWidget(widget)
        actions.addSpacing(16)
        for widget in (self.correct_button, self.appeal_button, self.redo_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.reason)
        layout.addStretch(0)

        add_shortcuts(self, [("F5", self.reload)])
        add_shortcuts(self.table, [("Return", self.open_chosen), ("Enter", self.open_chosen)])
        self._notices = NoticeBridge(session.ctx.bus, ClaimsChanged, parent=self)
        self._notices.received.connect(lambda _notice: self.reload())
        self.clear_sensitive()

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self.busy.show()
        task = self.session.run(load_denials, self.session.ctx, owner=self)
        task.succeeded.connect(lambda found: self._loaded(*found))
        task.failed.connect(self._failed)

    def _loaded(self, rows: list[DenialRow], today: date) -> None:
        self.busy.hide()
        self.today = today
        kept = self.chosen()
        self.model.set_rows(rows)
        overdue = self.model.overdue_count()
        count = _tr("1 claim") if len(rows) == 1 else _tr("{n} claims").format(n=len(rows))
        if overdue:
            count += ", " + _tr("{n} overdue").format(n=overdue)
        self.count.setText(count if rows else "")
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if rows:
            row = self.rows.row_of(kept.id) if kept else None
            self.table.selectRow(row if row is not None else 0)
        self._chosen()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.message.show_as("error", error_message(error))

    # -- the chosen claim ----------------------------------------------------------------

    def chosen(self) -> WorklistRow | None:
        row: WorklistRow | None = self.rows.item_at(self.table.currentIndex().row())
        return row

    def _chosen(self) -> None:
        row = self.chosen()
        status = row.claim.status if row else None
        self.open_button.setEnabled(row is not None)
        self.assign_button.setEnabled(row is not None)
        for action, widget in (
            (Action.CORRECT, self.correct_button),
            (Action.APPEAL, self.appeal_button),
            (Action.RETURN_TO_DRAFT, self.redo_button),
        ):
            widget.setEnabled(status is not None and allowed(action, status))
        self.reason.setText(_chosen_text(row) if row else "")

    def select_claim(self, claim_id: str) -> None:
        row = self.rows.row_of(claim_id)
        if row is not None:
            self.table.selectRow(row)

    # -- actions -------------------------------------------------------------------------

    def open_chosen(self) -> None:
        row = self.chosen()
        if row is not None:
            self.claim_requested.emit(row.claim.id)

    def assign_chosen(self) -> None:
        row = self.chosen()
        if row is None:
            return
        dialog = ClaimAssignDialog(self.session, row, self)
        dialog.accepted.connect(
            lambda: self.message.show_as(
                "notice", _tr("Claim {n} assigned.").format(n=row.claim.control_number)
            )
        )
        dialog.open()

    def _act(self, action: Action) -> None:
        row = self.chosen()
        if row is None or not allowed(action, row.claim.status):
            return
        self.message.clear_message()
        if action is Action.CORRECT:
            self.claim_actions.correct(row.claim)
        elif action is Action.APPEAL:
            self.claim_actions.appeal(row.claim)
        elif action is Action.RETURN_TO_DRAFT:
            self.claim_actions.return_to_draft(row.claim)

    def _acted(self, notice: str, claim_id: str) -> None:
        self.message.show_as("notice", notice)

    # -- Page-like -----------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self.model.set_rows(())
        self.count.setText("")
        self.reason.setText("")
        self.table.hide()
        self.empty.hide()
        self.message.clear_message()
        self.busy.hide()
        self._chosen()
