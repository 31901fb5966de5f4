"""Importing a scanned or received document into the chart, and a provider signing one off.

The chosen file is read on the worker and handed to the service as bytes: the service
decides what it is (from the bytes, not the name) and refuses what it cannot keep, and
its reason shows in the dialog with everything typed kept."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QWidget

from app.models import DocumentCategory
from app.services.context import AppContext
from app.services.documents import (
    CATEGORY_LABELS,
    MAX_DOCUMENT_BYTES,
    DocumentInput,
    DocumentService,
    DocumentView,
)
from app.services.errors import DomainError
from app.ui.chart.fact_forms import choice_combo, date_field, note_box, note_row, read_date
from app.ui.chart.fact_table import date_label
from app.ui.chart.list_tab import FactDialog
from app.ui.session import DesktopSession
from app.ui.widgets import button, form_layout, form_row, inline_row, line_edit, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentDialogs", text)


def size_text(byte_count: int) -> str:
    if byte_count >= 1024 * 1024:
        return f"{byte_count / (1024 * 1024):.1f} MB"
    return f"{max(1, round(byte_count / 1024)):,} KB"


def too_big(name: str, byte_count: int) -> DomainError | None:
    """The service's size limit, checked before reading (a 2 GB file is not read into
    memory only to be refused)."""
    if byte_count <= MAX_DOCUMENT_BYTES:
        return None
    return DomainError(
        _tr(
            "“{name}” is {size}; a document may be at most {limit} MB. Scan it at a lower "
            "resolution or in parts."
        ).format(name=name, size=size_text(byte_count), limit=MAX_DOCUMENT_BYTES // 2**20)
    )


def read_file(path: Path) -> bytes:
    """The file's bytes, or a DomainError that says why they cannot be had."""
    try:
        refused = too_big(path.name, path.stat().st_size)
        if refused is not None:
            raise refused
        with path.open("rb") as stream:
            return stream.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as error:
        raise DomainError(
            _tr("“{name}” could not be read: {reason}.").format(
                name=path.name, reason=(error.strerror or type(error).__name__).lower()
            )
        ) from None


def import_file(
    ctx: AppContext,
    patient_id: str,
    path: Path,
    category: DocumentCategory,
    title: str,
    document_on: date,
) -> DocumentView:
    """Runs on the worker: read the file into memory and file it in the chart."""
    document = DocumentInput(read_file(path), path.name, category, title, document_on)
    return DocumentService(ctx).import_document(patient_id, document)


class ImportDocumentDialog(FactDialog):
    """Choose a file, say what it is and when it is from; Import files it."""

    def __init__(
        self,
        session: DesktopSession,
        patient_id: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session,
            _tr("Import document"),
            _tr("Import"),
            parent,
            subtitle=_tr(
                "A PDF or a scanned image (PNG, JPEG, TIFF), up to {limit} MB. It is kept "
                "encrypted in the practice file."
            ).format(limit=MAX_DOCUMENT_BYTES // 2**20),
        )
        self.setMinimumWidth(560)
        self.patient_id = patient_id
        self.path: Path | None = None
        self._default_title = ""
        self.file = QLineEdit()
        self.file.setAccessibleName(_tr("File"))
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(_tr("No file chosen"))
        self.choose_button = button(_tr("Choose file…"), _tr("Choose file"))
        self.choose_button.clicked.connect(self.choose_file)
        self.file_size = text_label("", "hint", wrap=False)
        self.category = choice_combo(
            _tr("Category"),
            ((value, _tr(label)) for value, label in CATEGORY_LABELS.items()),
            current=DocumentCategory.LAB_REPORT,
        )
        self.title_edit = line_edit(_tr("Title"), placeholder=_tr("e.g. CBC, Quest Diagnostics"))
        self.document_on = date_field(_tr("Date on the document"), today)
        form = form_layout()
        file_row = QWidget()
        file_parts = QHBoxLayout(file_row)
        file_parts.setContentsMargins(0, 0, 0, 0)
        file_parts.setSpacing(8)
        file_parts.addWidget(self.file, 1)
        file_parts.addWidget(self.choose_button)
        form_row(form, _tr("File"), file_row, self.file)
        form.addRow("", self.file_size)
        form_row(form, _tr("Category"), self.category)
        form_row(form, _tr("Title"), self.title_edit)
        form_row(
            form,
            _tr("Document date"),
            inline_row(
                self.document_on,
                text_label(_tr("as printed on the report or letter"), "hint", wrap=False),
            ),
            self.document_on,
        )
        self.content.addLayout(form)
        self.file_size.hide()
        chain = (
            self.choose_button,
            self.category,
            self.title_edit,
            self.document_on,
            self.ok_button,
            self.cancel_button,
        )
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.choose_button.setFocus()

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else QDir.homePath()
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _tr("Choose the document to import"),
            start,
            _tr("Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"),
        )
        if chosen:
            self.set_path(Path(chosen))

    def set_path(self, path: Path) -> None:
        """The file to import (what Choose file… sets; tests set it directly). The title
        follows the file's name until someone types one."""
        self.path = path
        self.file.setText(path.name)
        self.file.setToolTip(str(path))
        title = self.title_edit.text().strip()
        if not title or title == self._default_title:
            self._default_title = path.stem.strip()
            self.title_edit.setText(self._default_title)
        self.message.clear_message()
        try:
            byte_count = path.stat().st_size
        except OSError:
            self.file_size.hide()  # reading it says why
            return
        self.file_size.setText(size_text(byte_count))
        self.file_size.show()
        refused = too_big(path.name, byte_count)
        if refused is not None:
            self.refuse(refused)

    def submit(self) -> None:
        if self.path is None:
            self.message.show_message(_tr("Choose the file to import."))
            self.choose_button.setFocus()
            return
        ok, on = read_date(self.document_on, self)
        if not ok:
            return
        if on is None:
            self.message.show_message(_tr("Type the date on the document (MM/DD/YYYY)."))
            self.document_on.setFocus()
            return
        self.run(
            import_file,
            self.session.ctx,
            self.patient_id,
            self.path,
            self.category.currentData(),
            self.title_edit.text(),
            on,
            done=self._saved,
        )


class SignOffDialog(FactDialog):
    """The provider has read the document; an optional comment goes with the sign-off."""

    def __init__(
        self, session: DesktopSession, document: DocumentView, parent: QWidget | None = None
    ) -> None:
        about = f"{_tr(document.category_label)} · {date_label(document.document_on)}"
        super().__init__(
            session,
            _tr("Sign off document"),
            _tr("Sign off"),
            parent,
            subtitle=f"{document.title} — {about}",
        )
        self.setMinimumWidth(560)
        self.document = document
        self.service = DocumentService(session.ctx)
        self.content.addWidget(
            text_label(
                _tr(
                    "Signing off records that you have read this document and acted on it; "
                    "your name and the time are kept with it."
                ),
                "muted",
            )
        )
        self.comment = note_box(_tr("Sign-off comment"))
        self.comment.setPlaceholderText(_tr("Optional, e.g. normal; no action needed"))
        form = form_layout()
        note_row(form, _tr("Comment"), self.comment)
        self.content.addLayout(form)
        self.comment.setFocus()

    def submit(self) -> None:
        note = self.comment.toPlainText().strip() or None
        self.run(self.service.sign_off, self.document.id, note, done=self._saved)
