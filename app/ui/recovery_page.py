"""The recovery code, shown once after a practice is created, with its printable sheet."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.interop.recovery_pdf import PageSize, recovery_sheet_pdf
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.resources import monospace_font
from app.ui.tasks import TaskRunner, error_message
from app.ui.widgets import MessageLabel, button, text_label


def local_paper_size() -> PageSize:
    """Letter where people measure in inches (US), A4 elsewhere."""
    system = QLocale().measurementSystem()
    return "Letter" if system == QLocale.MeasurementSystem.ImperialUSSystem else "A4"


class RecoveryCodePage(QWidget):
    """Emits `continued` once the person confirms the code is stored; the code is then wiped."""

    continued = Signal()

    def __init__(self, runner: TaskRunner) -> None:
        super().__init__()
        self._runner = runner
        self._practice_name = ""
        self._created_on = date.today()
        self.preview: PdfPreviewDialog | None = None

        self.code_label = QLabel()
        self.code_label.setObjectName("RecoveryCode")
        self.code_label.setAccessibleName(self.tr("Recovery code"))
        self.code_label.setFont(monospace_font(19))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.print_button = button(
            self.tr("Print / Save PDF…"),
            self.tr("Print or save the recovery sheet"),
            icon_name="printer",
        )
        self.print_button.clicked.connect(self.open_sheet)
        self.stored = QCheckBox(self.tr("I have stored the recovery code safely"))
        self.stored.setAccessibleName(self.tr("I have stored the recovery code safely"))
        self.continue_button = button(
            self.tr("Continue to sign in"), self.tr("Continue to sign in"), variant="primary"
        )
        self.continue_button.setEnabled(False)
        self.stored.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._continue)
        self.message = MessageLabel("error", self.tr("Recovery sheet message"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("Your practice's recovery code"), "heading"))
        layout.addWidget(
            text_label(
                self.tr(
                    "Everything in Stethos is encrypted. Each person opens it with their own "
                    "password; this code is the only other key. If every administrator "
                    "forgets their password, this code is the only way back into the "
                    "practice's records."
                )
            )
        )
        layout.addWidget(self.code_label)
        layout.addWidget(
            text_label(
                self.tr(
                    "Stethos shows this code only now and does not keep a readable copy. "
                    "Print the recovery sheet (or save it as a PDF on a USB stick) and keep "
                    "it somewhere safe away from this computer, such as the practice safe."
                ),
                "muted",
            )
        )
        print_row = QHBoxLayout()
        print_row.addWidget(self.print_button)
        print_row.addStretch(1)
        layout.addLayout(print_row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.stored, 1)
        bottom.addWidget(self.continue_button)
        layout.addLayout(bottom)

    def show_code(self, practice_name: str, code: str, created_on: date) -> None:
        self._practice_name = practice_name
        self._created_on = created_on
        self.code_label.setText(code)
        self.stored.setChecked(False)
        self.print_button.setFocus()

    def open_sheet(self) -> None:
        """Make the sheet off the UI thread, then preview it with Save and Print."""
        code = self.code_label.text()
        if not code:
            return
        self.print_button.setEnabled(False)
        task = self._runner.submit(
            recovery_sheet_pdf,
            self._practice_name,
            code,
            self._created_on,
            page_size=local_paper_size(),
            owner=self,
            name="recovery_sheet_pdf",
        )
        task.succeeded.connect(self._show_preview)
        task.failed.connect(lambda exc: self.message.show_message(error_message(exc)))
        task.finished.connect(lambda: self.print_button.setEnabled(True))

    def _show_preview(self, pdf: bytes) -> None:
        self.preview = PdfPreviewDialog(
            pdf,
            "Stethos recovery sheet.pdf",
            self._runner,
            title=self.tr("Recovery sheet"),
            parent=self,
        )
        self.preview.setModal(True)
        self.preview.show()

    def _continue(self) -> None:
        if not self.stored.isChecked():
            return
        self.code_label.clear()  # shown once: nothing keeps it after this page
        if self.preview is not None:
            self.preview.deleteLater()
            self.preview = None
        self.continued.emit()
