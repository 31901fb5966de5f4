"""Find a patient: one search box over the list. Empty box: every patient (lazily loaded);
typing: search results after a short pause. Enter opens the chosen patient."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import PatientStatus
from app.services.patient_search import PatientHit
from app.ui.patients.directory_model import PatientDirectoryModel
from app.ui.patients.fields import combo_enum
from app.ui.patients.hit_columns import ID_ROLE
from app.ui.patients.hits_model import PatientHitsModel
from app.ui.patients.search import MIN_QUERY, DebouncedSearch, patient_table, size_patient_columns
from app.ui.resources import icon
from app.ui.session import DesktopSession
from app.ui.widgets import BusyBar, MessageLabel, button, card, text_label

_NAVIGATION_KEYS = {Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp}


class PatientFinder(QWidget):
    open_requested = Signal(str)  # patient id
    register_requested = Signal(str)  # what was typed, to start the form with

    def __init__(self, session: DesktopSession, *, can_register: bool) -> None:
        super().__init__()
        self.session = session
        self.can_register = can_register
        self.directory = PatientDirectoryModel(session, self)
        self.results = PatientHitsModel(self)
        self.search = DebouncedSearch(session, self)
        self.search.results.connect(self._show_results)
        self.search.failed.connect(self._show_error)
        self.directory.ids_loaded.connect(lambda _n: self._describe())
        self.directory.failed.connect(self._show_error)

        self.box = QLineEdit()
        self.box.setAccessibleName(self.tr("Search patients"))
        self.box.setPlaceholderText(
            self.tr("Name, date of birth, phone, MRN or member ID — for example “lopez, ana”")
        )
        self.box.setClearButtonEnabled(True)
        self.box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.box.textChanged.connect(self._typed)
        self.box.returnPressed.connect(self.open_selected)
        self.box.installEventFilter(self)
        self.show_filter = QComboBox()
        self.show_filter.setAccessibleName(self.tr("Show patients"))
        for text, status in (
            (self.tr("Active patients"), PatientStatus.ACTIVE),
            (self.tr("All patients"), None),
            (self.tr("Inactive patients"), PatientStatus.INACTIVE),
            (self.tr("Deceased patients"), PatientStatus.DECEASED),
        ):
            self.show_filter.addItem(text, status)
        self.show_filter.currentIndexChanged.connect(lambda _i: self.load_list())
        self.show_filter.setToolTip(
            self.tr(
                "Which patients the list shows. A search finds every patient, whatever "
                "their status; the Status column tells them apart."
            )
        )
        self.register_button = button(
            self.tr("Register new patient…"),
            self.tr("Register new patient"),
            variant="primary",
            icon_name="user-plus",
        )
        self.register_button.setToolTip(self.tr("Register a new patient (Ctrl+N)"))
        self.register_button.clicked.connect(lambda: self.register_requested.emit(self.box.text()))
        self.register_button.setVisible(can_register)

        self.list_table = patient_table(self.tr("Patients list"))
        self.list_table.setModel(self.directory)
        self.results_table = patient_table(self.tr("Search results"))
        self.results_table.setModel(self.results)
        for table in (self.list_table, self.results_table):
            size_patient_columns(table)
            table.activated.connect(self._activated)
        self.summary = text_label("", "muted")
        self.summary.setAccessibleName(self.tr("Patients summary"))
        self.busy = BusyBar()
        self.message = MessageLabel("error", self.tr("Patients message"))
        self.empty, self.empty_text, self.empty_register = self._build_empty_state()

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(text_label(self.tr("Patients"), "title"), 1)
        top.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignBottom)
        search_row = QHBoxLayout()
        search_row.setSpacing(10)
        search_row.addWidget(self.box, 1)
        search_row.addWidget(self.show_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(search_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.list_table, 1)
        layout.addWidget(self.results_table, 1)
        layout.addWidget(self.empty, 1)
        self.results_table.hide()
        self.empty.hide()
        self.setTabOrder(self.box, self.show_filter)
        self.setTabOrder(self.show_filter, self.list_table)
        self.setTabOrder(self.list_table, self.results_table)

    @property
    def table(self) -> QTableView:
        """The table on show: search results while searching, else the full list."""
        return self.results_table if self.searching() else self.list_table

    def _build_empty_state(self) -> tuple[QWidget, QLabel, QWidget]:
        frame, body = card(margins=28, spacing=10)
        frame.setAccessibleName(self.tr("No patients found"))
        text = text_label("", "heading")
        text.setAccessibleName(self.tr("No match message"))
        body.addWidget(text)
        body.addWidget(
            text_label(
                self.tr(
                    "Check the spelling, or try the date of birth (3/14/1985), a phone "
                    "number or the MRN. If this is someone new, register them."
                ),
                "muted",
            )
        )
        register = button(
            self.tr("Register as a new patient…"),
            self.tr("Register as a new patient"),
            variant="primary",
            icon_name="user-plus",
        )
        register.clicked.connect(lambda: self.register_requested.emit(self.box.text()))
        register.setVisible(self.can_register)
        row = QHBoxLayout()
        row.addWidget(register)
        row.addStretch(1)
        body.addLayout(row)
        body.addStretch(1)
        return frame, text, register

    # -- the list and the search ---------------------------------------------------------

    def load_list(self) -> None:
        self.message.clear_message()
        self.directory.load(combo_enum(self.show_filter, PatientStatus))

    def refresh(self) -> None:
        if self.searching():
            self.search.set_text(self.box.text())
            self.search.search_now()
        else:
            self.directory.refresh()

    def searching(self) -> bool:
        return len(self.box.text().strip()) >= MIN_QUERY

    def _typed(self, text: str) -> None:
        self.search.set_text(text)
        self.show_filter.setEnabled(not self.searching())  # a search looks through everyone
        if not self.searching():
            self._show_list()
        else:
            self.busy.show()

    def _show_list(self) -> None:
        self.busy.hide()
        self.empty.hide()
        self.results_table.hide()
        self.results.clear()
        self.list_table.show()
        self._describe()

    def _show_results(self, hits: list[PatientHit], text: str) -> None:
        if not self.searching():
            return
        self.busy.hide()
        self.message.clear_message()
        self.results.set_hits(hits)
        self.list_table.hide()
        self.results_table.setVisible(bool(hits))
        self.empty.setVisible(not hits)
        if hits:
            self.results_table.selectRow(0)
        else:
            self.empty_text.setText(self.tr("No patient matches “{text}”.").format(text=text))
        self._describe()

    def _describe(self) -> None:
        if self.searching():
            count = self.results.rowCount()
            text = self.tr("{n} found for “{text}”").format(n=count, text=self.search.text)
            if count >= 50:
                text += self.tr(" — showing the first 50; type more to narrow it down")
        else:
            count = self.directory.rowCount()
            kinds: dict[PatientStatus | None, str] = {
                PatientStatus.ACTIVE: self.tr("{n} active patients"),
                PatientStatus.INACTIVE: self.tr("{n} inactive patients"),
                PatientStatus.DECEASED: self.tr("{n} deceased patients"),
            }
            text = kinds.get(self.directory.status, self.tr("{n} patients")).format(n=f"{count:,}")
            if count == 0 and self.directory.status is PatientStatus.ACTIVE:
                text = self.tr("No patients yet. Register the first one with Ctrl+N.")
        self.summary.setText(text)

    def _show_error(self, text: str) -> None:
        self.busy.hide()
        self.message.show_message(text)

    # -- opening -------------------------------------------------------------------------

    def _activated(self, index: QModelIndex) -> None:
        patient_id = index.data(ID_ROLE)
        if patient_id:
            self.open_requested.emit(patient_id)

    def open_selected(self) -> None:
        """Enter in the search box: open the highlighted row (the first one by default)."""
        if self.searching() and self.search.pending():
            self.search.search_now()  # Enter before the pause: search first, open next time
            return
        table = self.table
        rows = table.selectionModel().selectedRows() if table.isVisible() else []
        if rows:
            self._activated(rows[0])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in _NAVIGATION_KEYS and self.table.isVisible():
                self._move_selection(event.key())
                return True
        return super().eventFilter(watched, event)

    def _move_selection(self, key: int) -> None:
        table = self.table
        model = table.model()
        if model.rowCount() == 0:
            return
        current = table.currentIndex().row() if table.currentIndex().isValid() else -1
        steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10}
        row = max(0, min(model.rowCount() - 1, current + steps.get(Qt.Key(key), -10)))
        table.selectRow(row)
        table.scrollTo(model.index(row, 0))

    def focus_search(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def clear(self) -> None:
        self.search.clear()
        self.box.blockSignals(True)
        self.box.clear()
        self.box.blockSignals(False)
        self.show_filter.setEnabled(True)
        self.directory.clear()
        self.results.clear()
        self.message.clear_message()
        self.empty_text.setText("")
        self.summary.setText("")
        self.empty.hide()
        self.results_table.hide()
        self.list_table.show()
