"""Remittances: the biller imports the payer's answers to our claims (999 and 277CA
acknowledgements, 835 remittances), reads what each file did in words, and works the review
list — what a file could not apply by itself — resolving each item with a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.bus import ClaimsChanged
from app.services.claim_import_data import ImportSummary, ReviewItemView
from app.services.claim_imports import ClaimImportService
from app.services.claim_review import ClaimReviewService
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.services.errors import DomainError
from app.ui.billing.remittance_text import summary_lines
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.notices import NoticeBridge
from app.ui.patients.labels import NO_VALUE, date_text, money_text
from app.ui.session import DesktopSession
from app.ui.table_model import ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, add_shortcuts, button, card, text_label

INBOX_FOLDER = "claims-inbox"  # where the demo (and a clearinghouse sync) drops answers
MAX_FILE_BYTES = 50 * 1024 * 1024  # an 835 this big is not a clearinghouse file
FILE_FILTER = "X12 files (*.835 *.999 *.277 *.277ca *.txt *.x12 *.edi);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("RemittancePanel", text)


@dataclass(frozen=True)
class FileOutcome:
    """One chosen file: what importing it did, or why it changed nothing."""

    name: str
    summary: ImportSummary | None = None
    refusal: str | None = None


def import_paths(ctx: AppContext, paths: Sequence[Path]) -> list[FileOutcome]:
    """On the worker: each file on its own (one bad file does not stop the others)."""
    service = ClaimImportService(ctx)
    outcomes: list[FileOutcome] = []
    for path in paths:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise DomainError(f"{path.name} is too large to be a payer's answer file.")
            outcomes.append(
                FileOutcome(path.name, service.import_file(path.read_bytes(), path.name))
            )
        except DomainError as error:
            outcomes.append(FileOutcome(path.name, refusal=str(error)))
        except OSError as error:
            reason = error.strerror or "it cannot be read"
            outcomes.append(FileOutcome(path.name, refusal=f"{path.name}: {reason}."))
    return outcomes


def load_review(ctx: AppContext, include_resolved: bool) -> list[ReviewItemView]:
    return ClaimImportService(ctx).review_items(include_resolved)


def patient_of_claim(ctx: AppContext, claim_id: str) -> str:
    return ClaimService(ctx).claim(claim_id).summary.patient_id


class ReviewModel(ListTableModel[ReviewItemView]):
    WHEN, FILE, CLAIM, LINE, AMOUNT, REASON, RESOLVED = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [_tr("Imported"), _tr("File"), _tr("Claim"), _tr("Line"), _tr("Amount"),
             _tr("What to look at"), _tr("Resolved")],
            parent,
        )  # fmt: skip

    def set_items(self, items: Sequence[ReviewItemView]) -> None:
        self._set_rows(items)

    def cell_text(self, item: ReviewItemView, column: int) -> str:
        match column:
            case self.WHEN:
                return date_text(item.created_at.date())
            case self.FILE:
                return item.file_name
            case self.CLAIM:
                return item.control_number or NO_VALUE
            case self.LINE:
                return item.line_control or NO_VALUE
            case self.AMOUNT:
                return money_text(item.amount_cents) if item.amount_cents else NO_VALUE
            case self.REASON:
                return item.reason
            case self.RESOLVED:
                return date_text(item.resolved_at.date()) if item.resolved_at else ""
        return ""

    def cell_tip(self, item: ReviewItemView, column: int) -> str | None:
        return item.reason if column == self.REASON else None

    def cell_alignment(self, column: int) -> int | None:
        if column == self.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RemittancePanel(QWidget):
    claim_requested = Signal(str)  # claim id
    account_requested = Signal(str)  # patient id
    imported = Signal(object)  # list[FileOutcome]: the last import is on screen
    loaded = Signal()  # the review list on screen is fresh

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.import_button = button(
            _tr("Import files…"), _tr("Import files"), variant="primary", icon_name="plus"
        )
        self.import_button.setToolTip(_tr("Import 999, 277CA or 835 files (Ctrl+O)"))
        self.import_button.clicked.connect(self.choose_files)
        self.busy = BusyBar()
        self.results = MessageLabel("notice", _tr("Import results"))
        self.refusals = MessageLabel("error", _tr("Files not imported"))
        self.message = MessageLabel("error", _tr("Remittances message"))

        self.count = text_label("", "muted")
        self.show_resolved = QCheckBox(_tr("Show resolved"))
        self.show_resolved.setAccessibleName(_tr("Show resolved items"))
        self.show_resolved.toggled.connect(lambda _on: self.reload())
        self.resolve_button = button(_tr("Resolve…"), _tr("Resolve item"))
        self.resolve_button.setToolTip(_tr("Say what you did about it (Enter)"))
        self.resolve_button.clicked.connect(self.resolve_chosen)
        self.claim_button = button(_tr("Open claim"), _tr("Open claim"))
        self.claim_button.clicked.connect(self._open_claim)
        self.account_button = button(_tr("Open account"), _tr("Open account"))
        self.account_button.clicked.connect(self._open_account)

        self.model = ReviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, _tr("Review list"), stretch_column=ReviewModel.REASON)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.table.doubleClicked.connect(lambda _index: self.resolve_chosen())
        self.empty = text_label(
            _tr("Nothing to review: every imported file was applied in full."), "muted"
        )

        frame, body = card(20, 8)
        top = QHBoxLayout()
        top.addWidget(text_label(_tr("Payer answers"), "heading", wrap=False), 1)
        top.addWidget(self.import_button)
        body.addLayout(top)
        body.addWidget(
            text_label(
                _tr(
                    "Import the clearinghouse's acknowledgements (999, 277CA) and the payers' "
                    "remittances (835). Payments, adjustments and what patients owe are posted "
                    "to the accounts; a file already imported changes nothing."
                ),
                "muted",
            )
        )
        body.addWidget(self.busy)
        body.addWidget(self.results)
        body.addWidget(self.refusals)

        heading = QHBoxLayout()
        heading.addWidget(text_label(_tr("To review"), "heading", wrap=False))
        heading.addWidget(self.count, 1)
        heading.addWidget(self.show_resolved)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.resolve_button)
        actions.addStretch(1)
        actions.addWidget(self.claim_button)
        actions.addWidget(self.account_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(10)
        layout.addWidget(frame)
        layout.addLayout(heading)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addStretch(0)

        add_shortcuts(self, [("Ctrl+O", self.choose_files), ("F5", self.reload)])
        add_shortcuts(self.table, [("Return", self.resolve_chosen)])
        self._notices = NoticeBridge(session.ctx.bus, ClaimsChanged, parent=self)
        self._notices.received.connect(lambda _notice: self.reload())
        self.clear_sensitive()

    # -- importing -----------------------------------------------------------------------

    def inbox(self) -> Path:
        """The folder the file dialog opens in: the practice's inbox when there is one."""
        folder = self.session.paths.data_dir / INBOX_FOLDER
        return folder if folder.is_dir() else Path.home()

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _tr("Import payer files"), str(self.inbox()), _tr(FILE_FILTER)
        )
        if names:
            self.import_files([Path(name) for name in names])

    def import_files(self, paths: Sequence[Path]) -> None:
        self.results.clear_message()
        self.refusals.clear_message()
        self.busy.show()
        self.import_button.setEnabled(False)
        task = self.session.run(import_paths, self.session.ctx, list(paths), owner=self)
        task.succeeded.connect(self._imported)
        task.failed.connect(self._failed)

    def _imported(self, outcomes: list[FileOutcome]) -> None:
        self.busy.hide()
        self.import_button.setEnabled(True)
        done = ["\n".join(summary_lines(o.summary)) for o in outcomes if o.summary]
        refused = [o.refusal for o in outcomes if o.refusal]
        self.results.show_message("\n\n".join(done))
        self.refusals.show_message("\n".join(refused))
        self.imported.emit(outcomes)
        self.reload()

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.import_button.setEnabled(True)
        self.message.show_as("error", error_message(error))

    # -- the review list -----------------------------------------------------------------

    def reload(self) -> None:
        everything = self.show_resolved.isChecked()
        task = self.session.run(load_review, self.session.ctx, everything, owner=self)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)

    def _loaded(self, items: list[ReviewItemView]) -> None:
        kept = self.chosen()
        self.model.set_items(items)
        self.table.setColumnHidden(ReviewModel.RESOLVED, not self.show_resolved.isChecked())
        open_items = sum(1 for i in items if i.resolved_at is None)
        self.count.setText(
            (_tr("1 open item") if open_items == 1 else _tr("{n} open items")).format(n=open_items)
            if items
            else ""
        )
        self.table.setVisible(bool(items))
        self.empty.setVisible(not items)
        row = self.model.row_of(kept.id) if kept else None
        if items:
            self.table.selectRow(row if row is not None else 0)
        self._chosen()
        self.loaded.emit()

    def chosen(self) -> ReviewItemView | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _chosen(self) -> None:
        item = self.chosen()
        self.resolve_button.setEnabled(item is not None and item.resolved_at is None)
        known = item is not None and item.claim_id is not None
        self.claim_button.setEnabled(known)
        self.account_button.setEnabled(known)

    def resolve_chosen(self) -> None:
        item = self.chosen()
        if item is None or item.resolved_at is not None:
            return
        service = ClaimReviewService(self.session.ctx)
        dialog = ReasonDialog(
            self.session,
            _tr("Resolve review item"),
            _tr("{reason}\n\nSay what you did about it; the note is kept with your name.").format(
                reason=item.reason
            ),
            _tr("Resolve"),
            lambda note: service.resolve(item.id, note),
            self,
            placeholder=_tr("e.g. posted by hand; payer's error, called them"),
            missing=_tr("Say what you did about it, e.g. posted by hand."),
        )
        dialog.reason.setAccessibleName(_tr("What you did"))
        dialog.open()

    def _open_claim(self) -> None:
        item = self.chosen()
        if item is not None and item.claim_id:
            self.claim_requested.emit(item.claim_id)

    def _open_account(self) -> None:
        item = self.chosen()
        if item is None or not item.claim_id:
            return
        task = self.session.run(patient_of_claim, self.session.ctx, item.claim_id, owner=self)
        task.succeeded.connect(self.account_requested.emit)
        task.failed.connect(self._failed)

    # -- Page-like -----------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self.model.set_items(())
        self.count.setText("")
        self.results.clear_message()
        self.refusals.clear_message()
        self.message.clear_message()
        self.busy.hide()
        self.import_button.setEnabled(True)
        self.table.hide()
        self.empty.hide()
        self._chosen()
