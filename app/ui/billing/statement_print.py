"""Patient statements on screen: one account's statement (a preview anyone who sees accounts
may print, or a numbered one the biller issues), and a batch shown as one document, each
statement starting on its own page. PDFs are drawn on the worker and kept in memory."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QPlainTextEdit, QWidget

from app.services.context import AppContext
from app.services.permissions import Permission
from app.services.statement_data import PRINT, StatementData
from app.services.statements import StatementService
from app.ui.patients.dialogs import PatientDialog
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from app.ui.widgets import button, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("StatementPrint", text)


def statements_document(statements: Sequence[StatementData]) -> bytes:
    """On the worker: the statements as one PDF (reportlab is loaded when first used)."""
    from app.interop.statement_pdf import statements_pdf

    return statements_pdf([s.printable for s in statements])


def _preview_one(ctx: AppContext, patient_id: str, message: str | None) -> bytes:
    return statements_document([StatementService(ctx).preview(patient_id, message)])


def _issue_one(
    ctx: AppContext, patient_id: str, message: str | None, by_email: bool
) -> tuple[StatementData, bytes | None]:
    issued = StatementService(ctx).issue(patient_id, message, by_email=by_email)
    return issued, statements_document([issued]) if issued.sent_by == PRINT else None


def show_statements_pdf(
    session: DesktopSession, pdf: bytes, name: str, title: str, parent: QWidget | None
) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(pdf, name, session.runner, title=title, parent=parent)
    dialog.open()
    return dialog


class StatementDialog(PatientDialog):
    """One account's statement: a message to print on it, Preview, and (for the biller)
    Issue — numbered and recorded, then printed or announced by e-mail."""

    issued = Signal(object)  # the StatementData recorded

    def __init__(
        self,
        session: DesktopSession,
        patient_id: str,
        patient_name: str,
        parent: QWidget | None = None,
    ) -> None:
        actor = session.ctx.actor
        can_issue = bool(actor and actor.can(Permission.POST_CHARGES))
        super().__init__(
            session,
            _tr("Statement"),
            _tr("Issue statement") if can_issue else _tr("Preview"),
            parent,
            subtitle=patient_name,
        )
        self.can_issue = can_issue
        self.patient_id = patient_id
        self.patient_name = patient_name
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(_tr("Statement message"))
        self.note.setPlaceholderText(
            _tr("Optional message, e.g. Thank you: payment plans are available.")
        )
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.by_email = QCheckBox(_tr("Send by e-mail (the guarantor must have agreed to e-mail)"))
        self.by_email.setAccessibleName(_tr("Send by e-mail"))
        self.preview_button = self.cancel_button  # replaced below for the biller
        self.content.addWidget(text_label(_tr("Message on the statement"), "muted"))
        self.content.addWidget(self.note)
        if self.can_issue:
            self.content.addWidget(self.by_email)
            self.preview_button = button(_tr("Preview"), _tr("Preview statement"))
            self.preview_button.clicked.connect(self.preview)
            self.button_row.insertWidget(1, self.preview_button)
            self.content.addWidget(
                text_label(
                    _tr(
                        "Issuing numbers the statement and records it on the account. "
                        "E-mail only says a statement is ready and what is due: no "
                        "services or diagnoses."
                    ),
                    "hint",
                )
            )
        self.resize(520, self.sizeHint().height())

    def _message(self) -> str | None:
        return self.note.toPlainText().strip() or None

    def preview(self) -> None:
        self.run(_preview_one, self.session.ctx, self.patient_id, self._message(), done=self._show)

    def _show(self, pdf: bytes) -> None:
        show_statements_pdf(
            self.session,
            pdf,
            "statement-preview.pdf",
            _tr("Statement preview"),
            self.parentWidget(),
        )
        self.accept()

    def submit(self) -> None:
        if not self.can_issue:
            self.preview()
            return
        self.run(
            _issue_one,
            self.session.ctx,
            self.patient_id,
            self._message(),
            self.by_email.isChecked(),
            done=self._issued,
        )

    def _issued(self, result: tuple[StatementData, bytes | None]) -> None:
        issued, pdf = result
        self.issued.emit(issued)
        number = issued.printable.statement_number
        if pdf is not None:
            show_statements_pdf(
                self.session,
                pdf,
                f"statement-{number}.pdf",
                _tr("Statement {number}").format(number=number),
                self.parentWidget(),
            )
        self.accept()
