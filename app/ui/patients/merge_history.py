"""The merges this record took part in, newest first, each with Undo while it stands."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from app.services.patient_merge import PatientMergeService
from app.ui.patients.labels import date_text
from app.ui.patients.record_data import MergeEntry
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, card, text_label


class MergeHistory(QWidget):
    """Undo sends a change notice; the record reloads from it."""

    def __init__(self, session: DesktopSession, *, can_undo: bool) -> None:
        super().__init__()
        self.session = session
        self.can_undo = can_undo
        self.setAccessibleName(self.tr("Merge history"))
        frame, self.body = card(margins=20, spacing=10)
        self.body.addWidget(text_label(self.tr("Merge history"), "heading"))
        self.message = MessageLabel("error", self.tr("Merge message"))
        self.body.addWidget(self.message)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(8)
        self.body.addLayout(self.rows)
        self._row_widgets: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)

    def show_entries(self, entries: list[MergeEntry]) -> None:
        self.clear()
        for entry in entries:
            self._add_row(entry)
        self.setVisible(bool(entries))

    def _add_row(self, entry: MergeEntry) -> None:
        merge = entry.merge
        other = (
            f"{entry.other_name} (MRN {entry.other_mrn})"
            if entry.other_mrn
            else self.tr("another record")
        )
        what = (
            self.tr("{other} was merged into this record").format(other=other)
            if entry.kept_here
            else self.tr("This record was merged into {other}").format(other=other)
        )
        lines = [f"<b>{date_text(merge.merged_at.date())}</b> · {what}"]
        details = [self.tr("{n} items moved").format(n=merge.rows_moved)]
        if merge.reason:
            details.insert(0, self.tr("Reason: {reason}").format(reason=merge.reason))
        if merge.undone_at:
            details.append(self.tr("undone {date}").format(date=date_text(merge.undone_at.date())))
        lines.append(" · ".join(details))
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        text = text_label("<br>".join(lines), "muted" if merge.undone_at else None)
        text.setTextFormat(Qt.TextFormat.RichText)
        line.addWidget(text, 1)
        if self.can_undo and merge.undone_at is None:
            undo = button(self.tr("Undo merge…"), self.tr("Undo merge"))
            undo.clicked.connect(lambda _=False, e=entry: self.confirm_undo(e))
            line.addWidget(undo, 0, Qt.AlignmentFlag.AlignTop)
        self.rows.addWidget(row)
        self._row_widgets.append(row)

    def confirm_undo(self, entry: MergeEntry) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Undo merge"))
        box.setText(self.tr("Undo this merge and separate the two records again?"))
        box.setInformativeText(
            self.tr(
                "What was moved from the duplicate goes back to it. Anything added "
                "since stays with this record."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Cancel)
        confirm = box.addButton(self.tr("Undo merge"), QMessageBox.ButtonRole.AcceptRole)
        confirm.setAccessibleName(self.tr("Confirm undo merge"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda clicked: self.undo(entry) if clicked is confirm else None)
        box.open()

    def undo(self, entry: MergeEntry) -> None:
        service = PatientMergeService(self.session.ctx)
        task = self.session.run(service.undo, entry.merge.id, owner=self)
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def clear(self) -> None:
        self.message.clear_message()
        for row in self._row_widgets:
            row.hide()
            row.deleteLater()
        self._row_widgets.clear()
