"""The Documents tab: lab and imaging reports, letters and other papers filed in the chart,
newest first, beside a preview of the one chosen.

A document waits "To review" (amber) until a physician signs it off; one filed by mistake
is marked entered in error and stays, struck through. Choosing a row opens the document
(an audited read); nothing is opened until someone chooses one."""

from __future__ import annotations

import functools
from datetime import datetime
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.context import AppContext
from app.services.documents import MEDIA_TYPE_NAMES, DocumentService, DocumentView
from app.services.note_data import format_time
from app.services.patient_data import PatientRecord
from app.services.permissions import Permission
from app.ui.chart.document_dialogs import ImportDocumentDialog, SignOffDialog, size_text
from app.ui.chart.document_viewer import DocumentViewer, OpenedDocument, open_document
from app.ui.chart.fact_table import ERROR_INK, date_label
from app.ui.chart.list_tab import FactsTab
from app.ui.session import DesktopSession
from app.ui.table_model import ROW_ROLE, Index, ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import button, text_label

TO_REVIEW_INK = QColor("#8a5a00")  # amber, as a draft note: not finished with yet
MIN_TITLE_WIDTH = 160


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentsTab", text)


class DocumentColumn(IntEnum):
    DATE = 0
    CATEGORY = 1
    TITLE = 2
    IMPORTED_BY = 3
    REVIEW = 4


OPTIONAL_COLUMNS = (DocumentColumn.IMPORTED_BY, DocumentColumn.CATEGORY)  # hidden in this order


def local_day(moment: datetime, zone: str) -> str:
    return date_label(moment.astimezone(ZoneInfo(zone)).date())


def review_text(item: DocumentView, zone: str) -> str:
    if item.in_error:
        return _tr("Entered in error")
    if item.reviewed_at is None:
        return _tr("To review")
    return _tr("Reviewed by {name}, {day}").format(
        name=item.reviewer_name or _tr("someone"), day=local_day(item.reviewed_at, zone)
    )


class DocumentListModel(ListTableModel[DocumentView]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("Date", "Category", "Title", "Imported by", "Review"), parent)
        self.zone = "UTC"  # the practice's, for the review and import dates

    def set_documents(self, rows: list[DocumentView], zone: str) -> None:
        self.zone = zone
        self._set_rows(rows)

    def clear(self) -> None:
        self._set_rows([])

    def cell_text(self, item: DocumentView, column: int) -> str:
        return {
            DocumentColumn.DATE: date_label(item.document_on),
            DocumentColumn.CATEGORY: _tr(item.category_label),
            DocumentColumn.TITLE: item.title,
            DocumentColumn.IMPORTED_BY: item.imported_by_name,
            DocumentColumn.REVIEW: review_text(item, self.zone),
        }[DocumentColumn(column)]

    def cell_ink(self, item: DocumentView, column: int) -> QColor | None:
        if item.in_error:
            return ERROR_INK
        if item.awaiting_review and column == DocumentColumn.REVIEW:
            return TO_REVIEW_INK
        return None

    def cell_font(self, item: DocumentView, column: int) -> QFont | None:
        if item.in_error:
            font = QFont()  # only what is set here overrides the table's font
            font.setStrikeOut(True)
            return font
        if item.awaiting_review and column == DocumentColumn.REVIEW:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell_tip(self, item: DocumentView, column: int) -> str | None:
        return f"{item.title}\n{self.details(item)}"  # the title may be cut short

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            item = self.row_at(index.row()) if index.isValid() else None
            return self.cell_font(item, index.column()) if item is not None else None
        return super().data(index, role)

    def details(self, item: DocumentView) -> str:
        """The line under the table: what the file is, who filed it, the review and any
        entered-in-error mark."""
        kind = _tr(MEDIA_TYPE_NAMES.get(item.media_type, item.media_type))
        lines = [
            _tr("{category} · {kind}, {size} · imported by {name}, {when}").format(
                category=_tr(item.category_label),
                kind=kind,
                size=size_text(item.byte_count),
                name=item.imported_by_name,
                when=format_time(item.imported_at, self.zone),
            )
        ]
        if item.reviewed_at is not None:
            review = _tr("Signed off by {name}, {when}").format(
                name=item.reviewer_name or _tr("someone"),
                when=format_time(item.reviewed_at, self.zone),
            )
            if item.review_note:
                review += f": {item.review_note}"
            lines.append(review)
        if item.error_at is not None:
            lines.append(
                _tr("Entered in error {when}: {reason}").format(
                    when=format_time(item.error_at, self.zone), reason=item.error_reason or ""
                )
            )
        return "\n".join(lines)


class DocumentsTab(FactsTab):
    title = "Documents"

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        actor = session.ctx.actor
        self.can_sign = bool(actor and actor.can(Permission.SIGN_NOTES))
        self._opening: str | None = None  # the document asked for last
        self.model = DocumentListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Documents"), stretch_column=DocumentColumn.TITLE)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.import_button = button(
            self.tr("Import document…"),
            self.tr("Import document"),
            variant="primary",
            icon_name="plus",
        )
        self.import_button.setToolTip(self.tr("Import document (Ctrl+Shift+I)"))
        self.import_button.clicked.connect(self.import_document)
        self.sign_button = button(self.tr("Sign off…"), self.tr("Sign off document"))
        self.sign_button.setToolTip(self.tr("Record that you have read this document"))
        self.sign_button.clicked.connect(self.sign_off)
        self.error_button = button(
            self.tr("Entered in error…"), self.tr("Mark document entered in error")
        )
        self.error_button.clicked.connect(self.mark_entered_in_error)
        self.import_button.setVisible(self.can_edit)
        self.error_button.setVisible(self.can_edit)
        self.sign_button.setVisible(self.can_sign)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for widget in (self.import_button, self.sign_button, self.error_button):
            actions.addWidget(widget)
        actions.addStretch(1)

        self.empty = text_label(
            self.tr("No documents in this chart. Import one with Import document (Ctrl+Shift+I)."),
            "muted",
        )
        self.empty.setAccessibleName(self.tr("Documents empty"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.detail = text_label("", "muted")
        self.detail.setAccessibleName(self.tr("Document details"))
        self.viewer = DocumentViewer()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.stack, 1)
        left_layout.addWidget(self.detail)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(10)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.add_shortcut("Ctrl+Shift+I", self.import_document)
        self.table.viewport().installEventFilter(self)  # its width is the room there is
        self._show_chosen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """A narrow list (the preview takes room) keeps the title readable: "Imported by",
        then "Category", step aside (the line under the table still says both)."""
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        shown: list[DocumentColumn] = [c for c in DocumentColumn if c is not DocumentColumn.TITLE]
        for column in OPTIONAL_COLUMNS:
            needed = sum(
                max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in shown
            )
            if room - needed >= MIN_TITLE_WIDTH:
                break
            shown.remove(column)
        for column in OPTIONAL_COLUMNS:
            header.setSectionHidden(column, column not in shown)

    # -- loading ---------------------------------------------------------------------------

    def show_patient(self, patient: PatientRecord) -> None:
        if patient.id != self.patient_id:
            self.clear_sensitive()  # nothing of the last chart shows while this one loads
        super().show_patient(patient)

    @staticmethod
    def fetch(ctx: AppContext, patient_id: str) -> list[DocumentView]:
        return DocumentService(ctx).for_patient(patient_id)

    def show_data(self, data: list[DocumentView], select: str | None) -> None:
        self.model.set_documents(data, self.zone)
        self.fit_columns()
        self.stack.setCurrentWidget(self.table if data else self.empty)
        row = self.model.row_of(select) if select else None
        if row is not None:
            self.table.selectRow(row)
        elif self.viewer.document_id is not None:
            self.viewer.clear()  # what it showed is no longer chosen
            self._opening = None
        self._show_chosen()

    def current(self) -> DocumentView | None:
        item = self.table.currentIndex().data(ROW_ROLE)
        return item if isinstance(item, DocumentView) else None

    def current_id(self) -> str | None:
        item = self.current()
        return item.id if item is not None else None

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ROW_ROLE)
        if isinstance(item, DocumentView):
            self._open(item)
        self._show_chosen()

    def _show_chosen(self) -> None:
        item = self.current()
        self.detail.setText(self.model.details(item) if item is not None else "")
        self.detail.setVisible(item is not None)
        self.sign_button.setEnabled(item is not None and item.awaiting_review)
        self.error_button.setEnabled(item is not None and not item.in_error)

    def _open(self, item: DocumentView) -> None:
        """Preview `item` (unless it is on screen or on its way: each opening is audited)."""
        shown = self.viewer.opened
        if item.id == self._opening or (shown is not None and shown.id == item.id):
            return
        self._opening = item.id
        self.viewer.show_loading(item.id, item.title)
        task = self.session.run(open_document, self.session.ctx, item.id, owner=self)
        task.succeeded.connect(self._opened)
        task.failed.connect(lambda error: self._open_failed(item.id, error))

    def _opened(self, opened: OpenedDocument) -> None:
        if opened.id != self._opening or self.patient is None:
            return  # another document was chosen since, or the screen locked
        self._opening = None
        self.viewer.show_document(opened)

    def _open_failed(self, document_id: str, error: BaseException) -> None:
        if document_id == self._opening:
            self._opening = None
            self.viewer.show_problem(document_id, error_message(error))

    # -- changing the chart ----------------------------------------------------------------

    def import_document(self) -> None:
        if self.can_edit and self.patient is not None:
            self.open_form(ImportDocumentDialog(self.session, self.patient.id, self.today, self))

    def sign_off(self) -> None:
        item = self.current()
        if self.can_sign and item is not None and item.awaiting_review:
            self.open_form(SignOffDialog(self.session, item, self))

    def mark_entered_in_error(self) -> None:
        item = self.current()
        if not self.can_edit or item is None or item.in_error:
            return
        service = DocumentService(self.session.ctx)
        action = functools.partial(service.mark_entered_in_error, item.id)
        self.ask_entered_in_error(self.tr("document"), action, item.id)

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self._opening = None
        self.model.clear()
        self.stack.setCurrentWidget(self.empty)
        self.viewer.clear()
        self._show_chosen()
