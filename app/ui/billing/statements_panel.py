"""Statement runs: a numbered statement for every account whose patient owes at least an
amount, with one message; those whose guarantor agreed to e-mail can be told by e-mail, the
rest print as one document (each statement on its own pages, ready to fold and mail)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger_data import money
from app.services.statement_data import PRINT, StatementData
from app.services.statements import StatementService
from app.ui.billing.statement_print import show_statements_pdf, statements_document
from app.ui.patients.fields import MoneyField
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import (
    BusyBar,
    MessageLabel,
    box_button,
    button,
    card,
    message_box,
    pressed_name,
    text_label,
)

DEFAULT_MINIMUM_CENTS = 10_00  # smaller balances cost more to mail than they bring in


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatementsPanel", text)


def run_batch(
    ctx: AppContext, minimum_cents: int, message: str | None, by_email: bool
) -> tuple[list[StatementData], bytes | None]:
    """On the worker: issue the run, and draw the ones to print as one PDF."""
    made = StatementService(ctx).issue_batch(minimum_cents, message, by_email=by_email)
    printed = [s for s in made if s.sent_by == PRINT]
    return made, statements_document(printed) if printed else None


class StatementsPanel(QWidget):
    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.minimum = MoneyField(_tr("Smallest balance"))
        self.minimum.setFixedWidth(120)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(_tr("Message on every statement"))
        self.note.setPlaceholderText(
            _tr("Optional, e.g. Our office is closed Dec 24–26. Payment plans are available.")
        )
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.by_email = QCheckBox(_tr("E-mail those whose guarantor agreed to e-mail"))
        self.by_email.setAccessibleName(_tr("Send by e-mail"))
        self.by_email.setChecked(True)
        self.run_button = button(
            _tr("Issue statements…"),
            _tr("Issue statements"),
            variant="primary",
            icon_name="printer",
        )
        self.run_button.clicked.connect(self.issue)
        self.busy = BusyBar()
        self.message = MessageLabel("error", _tr("Statements message"))

        frame, body = card(24, 12)
        body.addWidget(text_label(_tr("Statement run"), "heading"))
        body.addWidget(
            text_label(
                _tr(
                    "A numbered statement for every account whose patient owes at least the "
                    "amount below (after credit), with the aging of what they owe."
                ),
                "muted",
            )
        )
        row = QHBoxLayout()
        row.setSpacing(10)
        caption = text_label(_tr("Accounts owing at least"), wrap=False)
        caption.setBuddy(self.minimum)
        row.addWidget(caption)
        row.addWidget(self.minimum)
        row.addStretch(1)
        body.addLayout(row)
        body.addWidget(text_label(_tr("Message on every statement"), "muted"))
        body.addWidget(self.note)
        body.addWidget(self.by_email)
        body.addWidget(
            text_label(
                _tr(
                    "E-mail says only that a statement is ready and what is due (no services "
                    "or diagnoses); the others open as one document to print."
                ),
                "hint",
            )
        )
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.run_button)
        body.addLayout(actions)
        body.addWidget(self.busy)
        body.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        frame.setMaximumWidth(900)
        layout.addWidget(frame)
        layout.addStretch(1)
        self.clear_sensitive()

    def issue(self) -> None:
        try:
            cents = self.minimum.cents()
        except DomainError as error:
            self.message.show_as("error", str(error))
            return
        if cents <= 0:
            self.message.show_as("error", _tr("Enter the smallest balance to bill, e.g. 10.00."))
            self.minimum.setFocus()
            return
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            _tr("Issue statements"),
            _tr(
                "Issue a statement to every account owing {amount} or more? Each is numbered "
                "and recorded on the account."
            ).format(amount=money(cents)),
        )
        box_button(box, _tr("Issue statements"), object_name="issue")
        box_button(box, _tr("Cancel"), role=QMessageBox.ButtonRole.RejectRole)
        if pressed_name(box) != "issue":
            return
        note = self.note.toPlainText().strip() or None
        self.message.clear_message()
        self.busy.show()
        self.run_button.setEnabled(False)
        task = self.session.run(
            run_batch, self.session.ctx, cents, note, self.by_email.isChecked(), owner=self
        )
        task.succeeded.connect(lambda result: self._done(*result))
        task.failed.connect(self._failed)

    def _done(self, made: list[StatementData], pdf: bytes | None) -> None:
        self.busy.hide()
        self.run_button.setEnabled(True)
        emailed = sum(1 for s in made if s.sent_by != PRINT)
        printed = len(made) - emailed
        total = sum(s.amount_due_cents for s in made)
        if not made:
            self.message.show_as("notice", _tr("No account owes that much: nothing to send."))
            return
        self.message.show_as(
            "notice",
            _tr(
                "Issued {n} statements for {total}: {printed} to print, {emailed} e-mailed."
            ).format(n=len(made), total=money(total), printed=printed, emailed=emailed),
        )
        if pdf is not None:
            first = made[0].printable.statement_number
            show_statements_pdf(
                self.session, pdf, f"statements-from-{first}.pdf", _tr("Statements to print"), self
            )

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.run_button.setEnabled(True)
        self.message.show_as("error", error_message(error))

    def reload(self) -> None:
        """Nothing to fetch: the run reads the accounts when it is issued."""

    def clear_sensitive(self) -> None:
        self.minimum.set_cents(DEFAULT_MINIMUM_CENTS)
        self.note.clear()
        self.message.clear_message()
        self.busy.hide()
        self.run_button.setEnabled(True)
