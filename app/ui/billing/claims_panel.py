"""The biller's claims: build drafts from posted charges, find a claim by status or by
patient, claim number or payer, look at one in full (the scrubber's findings, its lines
and history), move it along, and send every ready claim as one 837P file to this
computer's outbox folder for the clearinghouse."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import ClaimStatus
from app.services.bus import ClaimsChanged
from app.services.claim_data import ClaimDetail, ClaimSummary, ScrubFailed
from app.services.claim_rules import ScrubProblem
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.services.practice import PracticeInfo
from app.services.schedule_rules import to_wall
from app.ui.billing.claim_actions import Action, ClaimActions, allowed
from app.ui.billing.claim_detail import ClaimDetailPane, load_claim
from app.ui.billing.claim_form_print import ask_form_kind, show_claim_form
from app.ui.billing.claim_line_dialog import ClaimLineDialog
from app.ui.billing.claim_sending import ClaimSender
from app.ui.billing.claim_tables import FINISHED, ClaimsModel, SortedRows, matches, status_text
from app.ui.notices import NoticeBridge
from app.ui.session import DesktopSession
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import (
    BusyBar,
    MessageLabel,
    add_shortcuts,
    button,
    line_edit,
    text_label,
)

OPEN, ALL = "open", "all"  # the filters that are not one status


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimsPanel", text)


def load_claims(ctx: AppContext) -> list[ClaimSummary]:
    """On the worker: every claim, submitted times on the practice's clock."""
    zone = PracticeInfo(ctx).summary().time_zone
    return [
        replace(c, submitted_at=to_wall(c.submitted_at, zone)) if c.submitted_at else c
        for c in ClaimService(ctx).claims()
    ]


class ClaimsPanel(QWidget):
    account_requested = Signal(str)  # patient id
    loaded = Signal()  # the list on screen is fresh
    detail_loaded = Signal()  # the chosen claim on screen is fresh

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._generation = 0  # the newest detail asked for; older answers are dropped
        self._want: str | None = None  # the claim to choose after the next load
        self._reveal = True  # and whether to change the filter to show it
        self._asked: tuple[str, int] | None = None  # the claim (and version) last loaded

        self.heading = text_label(_tr("Claims"), "heading", wrap=False)
        self.count = text_label("", "muted")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(_tr("Claim status filter"))
        self.status_filter.addItem(_tr("Open claims"), OPEN)
        for status in ClaimStatus:
            self.status_filter.addItem(status_text(status), status.value)
        self.status_filter.addItem(_tr("All claims"), ALL)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._refilter())
        self.find_field = line_edit(
            _tr("Find claim"), placeholder=_tr("Patient, claim or payer (Ctrl+F)")
        )
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setMinimumWidth(260)
        self.find_field.textChanged.connect(lambda _t: self._refilter())
        self.build_button = button(_tr("Build claims"), _tr("Build claims"), icon_name="plus")
        self.build_button.setToolTip(
            _tr("Make draft claims for visits insurance still owes on (Ctrl+B)")
        )
        self.build_button.clicked.connect(self.build)
        self.send_button = button(
            _tr("Send ready…"), _tr("Send ready claims"), variant="primary", icon_name="check"
        )
        self.send_button.setToolTip(
            _tr("Write every ready claim into one 837P file for the clearinghouse (Ctrl+Shift+S)")
        )
        self.send_button.clicked.connect(self.send)
        self.busy = BusyBar()
        self.message = MessageLabel("error", _tr("Claims message"))

        self.model = ClaimsModel(self)
        self.rows = SortedRows(self)
        self.rows.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.rows)
        style_row_table(self.table, _tr("Claims"), stretch_column=ClaimsModel.PAYER)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ClaimsModel.SERVICE, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.empty = text_label("", "muted")
        self.empty.setAccessibleName(_tr("No claims"))
        self.detail = ClaimDetailPane()
        self.detail.requested.connect(self.run_action)
        self.detail.account_requested.connect(self.account_requested)
        self.detail.form_requested.connect(self.print_form)
        self.claim_actions = ClaimActions(session, self)
        self.claim_actions.succeeded.connect(self._acted)
        self.claim_actions.failed.connect(self._action_failed)
        self.claim_sender = ClaimSender(session, self)
        self.claim_sender.finished.connect(self._send_finished)
        self.claim_sender.failed.connect(self._failed)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.heading)
        top.addWidget(self.count, 1)
        top.addWidget(self.status_filter)
        top.addWidget(self.find_field)
        top.addSpacing(8)
        top.addWidget(self.build_button)
        top.addWidget(self.send_button)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        listing_layout.addWidget(self.table, 1)
        listing_layout.addWidget(self.empty)
        listing_layout.addStretch(0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(listing)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        add_shortcuts(
            self,
            [
                ("Ctrl+F", self.focus_find),
                ("Ctrl+Return", self.mark_chosen_ready),
                ("Ctrl+Enter", self.mark_chosen_ready),
                ("Ctrl+B", self.build),
                ("Ctrl+Shift+S", self.send),
                ("F5", self.reload),
            ],
        )
        self._notices = NoticeBridge(session.ctx.bus, ClaimsChanged, parent=self)
        self._notices.received.connect(lambda _notice: self.reload())
        self.clear_sensitive()

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self.busy.show()
        task = self.session.run(load_claims, self.session.ctx, owner=self)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)

    def _loaded(self, claims: list[ClaimSummary]) -> None:
        self.busy.hide()
        want, self._want = self._want, None
        chosen = self.chosen()
        self.model.set_claims(claims)
        self._refilter(chosen.id if chosen else None)
        if want is not None:
            self._choose(want, self._reveal)
        self.loaded.emit()

    def show_claim(self, claim_id: str, *, reveal: bool = True) -> None:
        """Choose `claim_id` once the list has it; `reveal`: change the filter if it hides
        the claim (asked for by name, e.g. from the Denials tab)."""
        if self.model.row_of(claim_id) is None:
            self._want, self._reveal = claim_id, reveal
            return
        self._choose(claim_id, reveal)

    def _choose(self, claim_id: str, reveal: bool) -> None:
        source = self.model.row_of(claim_id)
        claim = self.model.row_at(source) if source is not None else None
        if claim is not None and reveal and not self._accepts(claim):
            self.find_field.clear()
            self._set_filter(OPEN if claim.status not in FINISHED else ALL)
        row = self.rows.row_of(claim_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.rows.index(row, 0))

    def _set_filter(self, value: str) -> None:
        self.status_filter.setCurrentIndex(self.status_filter.findData(value))

    def _accepts(self, claim: ClaimSummary) -> bool:
        wanted = self.status_filter.currentData()
        if wanted == OPEN:
            shown = claim.status not in FINISHED
        else:
            shown = wanted == ALL or claim.status.value == wanted
        return shown and matches(claim, self.find_field.text())

    def _refilter(self, keep: str | None = None) -> None:
        if keep is None and (chosen := self.chosen()) is not None:
            keep = chosen.id
        self.rows.set_filter(self._accepts)
        shown, total = self.rows.rowCount(), self.model.rowCount()
        self.count.setText(
            _tr("{shown} of {total} claims").format(shown=shown, total=total) if total else ""
        )
        self.table.setVisible(shown > 0)
        self.detail.setVisible(shown > 0)  # nothing to choose: no "choose a claim" either
        self.empty.setVisible(shown == 0)
        self.empty.setText(
            _tr("No claims yet. Build claims makes drafts from posted charges insurance owes.")
            if total == 0
            else _tr("No claim matches the filter.")
        )
        if shown:
            row = self.rows.row_of(keep) if keep else None
            self.table.selectRow(row if row is not None else 0)
        self._chosen()

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.build_button.setEnabled(True)
        self.send_button.setEnabled(True)
        self.message.show_as("error", error_message(error))

    def _action_failed(self, error: BaseException) -> None:
        """A refused action names the chosen claim: the scrubber's findings go beside it."""
        self._failed(error)
        if isinstance(error, ScrubFailed):
            self.detail.set_problems(error.problems)

    # -- the chosen claim ----------------------------------------------------------------

    def chosen(self) -> ClaimSummary | None:
        claim: ClaimSummary | None = self.rows.item_at(self.table.currentIndex().row())
        return claim

    def _chosen(self) -> None:
        claim = self.chosen()
        if claim is None:
            self._asked = None
            self.detail.show_claim(None)
            return
        if self._asked == (claim.id, claim.version):
            return  # on screen (or on its way), unchanged
        self._asked = (claim.id, claim.version)
        self.load_detail(claim.id)

    def load_detail(self, claim_id: str, *, report: bool = False) -> None:
        """`report`: say what the scrubber found (the biller pressed Check)."""
        self._generation += 1
        generation = self._generation
        task = self.session.run(load_claim, self.session.ctx, claim_id, owner=self)
        task.succeeded.connect(lambda found: self._detail_loaded(generation, report, *found))
        task.failed.connect(self._failed)

    def _detail_loaded(
        self, generation: int, report: bool, detail: ClaimDetail, problems: list[ScrubProblem]
    ) -> None:
        if generation != self._generation:
            return
        self.detail.show_claim(detail, problems, self._claim_of)
        if report:
            errors = sum(1 for p in problems if p.blocks_submission)
            self.message.show_as(
                "error" if errors else "notice",
                _tr("Claim {n}: {errors}, {warnings}.").format(
                    n=detail.summary.control_number,
                    errors=_tr("1 error") if errors == 1 else _tr("{k} errors").format(k=errors),
                    warnings=_tr("1 warning")
                    if len(problems) - errors == 1
                    else _tr("{k} warnings").format(k=len(problems) - errors),
                )
                if problems
                else _tr("Claim {n}: the scrubber finds nothing to fix.").format(
                    n=detail.summary.control_number
                ),
            )
        self.detail_loaded.emit()

    def _claim_of(self, claim_id: str) -> ClaimSummary | None:
        row = self.model.row_of(claim_id)
        return self.model.row_at(row) if row is not None else None

    # -- actions -------------------------------------------------------------------------

    def focus_find(self) -> None:
        self.find_field.setFocus()
        self.find_field.selectAll()

    def run_action(self, action: Action) -> None:
        claim = self.detail.claim
        if claim is None:
            return
        self.message.clear_message()
        match action:
            case Action.CHECK:
                self.load_detail(claim.id, report=True)
            case Action.MARK_READY:
                self.claim_actions.mark_ready(claim)
            case Action.RETURN_TO_DRAFT:
                self.claim_actions.return_to_draft(claim)
            case Action.CORRECT:
                self.claim_actions.correct(claim)
            case Action.VOID:
                self.claim_actions.void(claim)
            case Action.APPEAL:
                self.claim_actions.appeal(claim)
            case Action.CLOSE:
                self.claim_actions.close(claim)
            case Action.CHANGE_LINE:
                self.change_line(claim)

    def change_line(self, claim: ClaimSummary) -> None:
        line = self.detail.chosen_line()
        if line is None:
            self.message.show_as("error", _tr("Choose the line to change in Lines."))
            return
        dialog = ClaimLineDialog(self.session, claim.id, line, self)
        dialog.accepted.connect(lambda: self._line_changed(claim, line))
        dialog.open()

    def _line_changed(self, claim: ClaimSummary, line: int) -> None:
        self.message.show_as(
            "notice",
            _tr("Line {line} of claim {number} changed; check the claim again.").format(
                line=line, number=claim.control_number
            ),
        )
        self.load_detail(claim.id)

    def mark_chosen_ready(self) -> None:
        claim = self.detail.claim
        if claim is not None and allowed(Action.MARK_READY, claim.status):
            self.run_action(Action.MARK_READY)

    def _acted(self, notice: str, claim_id: str) -> None:
        self.message.show_as("notice", notice)
        # The list reloads on the change notice; a claim now filtered out (closed) goes.
        self.show_claim(claim_id, reveal=False)

    def build(self) -> None:
        self.message.clear_message()
        self.busy.show()
        self.build_button.setEnabled(False)
        task = self.session.run(ClaimService(self.session.ctx).build_ready, owner=self)
        task.succeeded.connect(self._built)
        task.failed.connect(self._failed)

    def _built(self, made: list[ClaimSummary]) -> None:
        self.busy.hide()
        self.build_button.setEnabled(True)
        if not made:
            self.message.show_as(
                "notice", _tr("No new claims: every posted visit insurance owes on has one.")
            )
            return
        text = (
            _tr("Built 1 draft claim.")
            if len(made) == 1
            else _tr("Built {n} draft claims.").format(n=len(made))
        )
        self.message.show_as("notice", text + " " + _tr("Check them and mark them ready."))
        self._set_filter(ClaimStatus.DRAFT.value)
        self.show_claim(made[0].id)

    def send(self) -> None:
        self.message.clear_message()
        self.busy.show()
        self.send_button.setEnabled(False)
        self.claim_sender.send()

    def _send_finished(self, notice: str) -> None:
        self.busy.hide()
        self.send_button.setEnabled(True)
        if notice:
            self.message.show_as("notice", notice)

    def print_form(self) -> None:
        claim = self.detail.claim
        if claim is None:
            return
        replica = ask_form_kind(self)
        if replica is None:
            return
        task = show_claim_form(self.session, claim.id, replica, self)
        task.failed.connect(self._failed)

    # -- Page-like -----------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self.model.set_claims(())
        self._want = None
        self._asked = None
        self._generation += 1
        self.find_field.clear()
        self._set_filter(OPEN)
        self.detail.show_claim(None)
        self.count.setText("")
        self.table.hide()
        self.empty.hide()
        self.message.clear_message()
        self.busy.hide()
