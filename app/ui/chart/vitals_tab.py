"""The Vitals tab: the flowsheet (newest set first, one column per measurement, flagged
values coloured and marked, sets entered in error struck through, older sets a page at a
time) above a chart of one measurement over time, or for a child a growth chart."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.patient_data import PatientRecord
from app.services.permissions import Permission
from app.services.vitals import Flowsheet, FlowsheetRow, VitalField, VitalsService, VitalsView
from app.services.vitals_catalog import HEAD_CIRCUMFERENCE_MAX_AGE
from app.services.vitals_reads import age_years
from app.ui.chart.chart_tab import ChartTab
from app.ui.chart.reason_dialog import entered_in_error_dialog
from app.ui.chart.vitals_chart import ChartData, VitalsChart
from app.ui.chart.vitals_dialog import VitalsDialog
from app.ui.chart.vitals_flowsheet import FlowsheetModel, SheetLine, SheetPage, load_sheet
from app.ui.chart.vitals_plots import ChartChoice, choices_for, load_chart
from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.table_model import ROW_ROLE
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, text_label

PAGE_SIZE = 50


class VitalsTab(ChartTab):
    title = "Vitals"
    chart_shown = Signal()  # the chart shows what was chosen (tests wait for it)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        actor = session.ctx.actor
        self.can_edit = bool(actor and actor.can(Permission.EDIT_CHART))
        self.page_size = PAGE_SIZE
        self.sheet: Flowsheet | None = None
        self.zone = "UTC"
        self.age = 0.0
        self._generation = 0  # of the patient's data: late answers are dropped
        self._chart_generation = 0
        self._waiting: set[str] = set()  # what the current load still waits for
        self.message = MessageLabel()

        self.record_button = button(
            self.tr("Record vitals…"), self.tr("Record vitals"), variant="primary", icon_name="plus"
        )
        self.record_button.setToolTip(self.tr("Record a set of vitals (Ctrl+Shift+V)"))
        self.record_button.clicked.connect(self.record)
        self.error_button = button(
            self.tr("Entered in error…"), self.tr("Mark vitals entered in error")
        )
        self.error_button.clicked.connect(self.mark_in_error)
        for widget in (self.record_button, self.error_button):
            widget.setVisible(self.can_edit)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.record_button)
        actions.addWidget(self.error_button)
        actions.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._sheet_part())
        splitter.addWidget(self._chart_part())
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([330, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+V"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.record)
        self._chosen()

    def _sheet_part(self) -> QWidget:
        """The flowsheet (or a line saying it is empty), the chosen set's details, Show older."""
        self.model = FlowsheetModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Flowsheet"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # the note
        header.setMinimumSectionSize(56)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.empty = text_label(
            self.tr("No vitals recorded yet. Record a set with Record vitals (Ctrl+Shift+V)."),
            "muted",
        )
        self.empty.setAccessibleName(self.tr("Flowsheet empty"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.detail = text_label("", "muted")
        self.detail.setAccessibleName(self.tr("Vitals details"))
        self.older_button = button(self.tr("Show older"), self.tr("Show older"), variant="link")
        self.older_button.clicked.connect(self.show_older)
        self.older_button.hide()
        under = QHBoxLayout()
        under.addWidget(self.detail, 1)
        under.addWidget(self.older_button, 0, Qt.AlignmentFlag.AlignTop)
        sheet_part = QWidget()
        sheet_layout = QVBoxLayout(sheet_part)
        sheet_layout.setContentsMargins(0, 0, 0, 0)
        sheet_layout.addWidget(self.stack, 1)
        sheet_layout.addLayout(under)
        return sheet_part

    def _chart_part(self) -> QWidget:
        """What to chart, a line about it, and the chart."""

        self.chart_choice = QComboBox()
        self.chart_choice.setAccessibleName(self.tr("Chart"))
        self.chart_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.chart_choice.currentIndexChanged.connect(lambda _i: self._load_chart())
        self.caption = text_label("", "muted")
        self.caption.setAccessibleName(self.tr("Chart caption"))
        self.chart = VitalsChart()
        chart_part = QWidget()
        chart_layout = QVBoxLayout(chart_part)
        chart_layout.setContentsMargins(0, 6, 0, 0)
        picker = QHBoxLayout()
        heading = text_label(self.tr("Chart"), "heading")
        heading.setBuddy(self.chart_choice)
        picker.addWidget(heading)
        picker.addWidget(self.chart_choice)
        picker.addWidget(self.caption, 1)
        chart_layout.addLayout(picker)
        chart_layout.addWidget(self.chart, 1)
        return chart_part

    # -- loading -------------------------------------------------------------------------

    def show_patient(self, patient: PatientRecord) -> None:
        if self.patient is None or patient.id != self.patient.id:
            today = self.session.ctx.clock.now().date()
            self.age = age_years(patient.date_of_birth, today)
            self._set_choices(choices_for(self.age))
            self.model.clear()
        super().show_patient(patient)

    def _set_choices(self, choices: tuple[ChartChoice, ...]) -> None:
        self.chart_choice.blockSignals(True)
        self.chart_choice.clear()
        for before, choice in zip((None, *choices), choices, strict=False):
            if before is not None and before.growth is not None and choice.growth is None:
                self.chart_choice.insertSeparator(self.chart_choice.count())  # growth | trends
            self.chart_choice.addItem(self.tr(choice.label), choice)
        self.chart_choice.blockSignals(False)

    def reload(self, select: str | None = None) -> None:
        if self.patient is None:
            return
        self._generation += 1
        generation = self._generation
        self._waiting = {"sheet", "chart"}
        current = select or self._current_id()
        limit = min(500, max(self.page_size, self.model.rowCount()))
        task = self.session.run(
            load_sheet, self.session.ctx, self.patient.id, limit, None, owner=self
        )
        task.succeeded.connect(lambda page: self._sheet_loaded(page, current, generation))
        task.failed.connect(lambda error: self._failed(error, generation))
        self._load_chart()

    def _sheet_loaded(
        self, page: SheetPage, current: str | None, generation: int, *, more: bool = False
    ) -> None:
        if generation != self._generation:
            return
        self.message.clear_message()
        self.sheet, self.zone = page.sheet, page.zone
        rows = (self.model.rows() if more else []) + list(page.sheet.rows)
        self.model.set_sheet(page.sheet, rows, self._hidden(rows))
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        self.older_button.setVisible(page.sheet.has_more)
        row = self.model.row_of(current) if current else None
        if row is not None:
            self.table.selectRow(row)
        self._chosen()
        self._piece_done("sheet", generation)

    def _hidden(self, rows: list[FlowsheetRow]) -> set[str]:
        """Head circumference only for young children (or when one was measured)."""
        key = VitalField.HEAD_CIRCUMFERENCE.value
        if self.age < HEAD_CIRCUMFERENCE_MAX_AGE or any(row.cell(key) for row in rows):
            return set()
        return {key}

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    def _piece_done(self, piece: str, generation: int) -> None:
        if generation != self._generation or piece not in self._waiting:
            return
        self._waiting.discard(piece)
        if not self._waiting:
            self.loaded.emit()

    def show_older(self) -> None:
        rows = self.model.rows()
        if self.patient is None or not rows:
            return
        generation, current = self._generation, self._current_id()
        before = rows[-1].taken_at
        task = self.session.run(
            load_sheet, self.session.ctx, self.patient.id, self.page_size, before, owner=self
        )
        task.succeeded.connect(
            lambda page: self._sheet_loaded(page, current, generation, more=True)
        )
        task.failed.connect(lambda error: self._failed(error, generation))

    # -- the chart ---------------------------------------------------------------------

    def current_choice(self) -> ChartChoice | None:
        choice = self.chart_choice.currentData()
        return choice if isinstance(choice, ChartChoice) else None

    def choose_chart(self, key: str) -> None:
        """Show the chart `key` ("bp", "growth-weight-infant", ...)."""
        for index in range(self.chart_choice.count()):
            choice = self.chart_choice.itemData(index)
            if isinstance(choice, ChartChoice) and choice.key == key:
                self.chart_choice.setCurrentIndex(index)
                return
        raise LookupError(key)

    def _load_chart(self) -> None:
        choice = self.current_choice()
        if self.patient is None or choice is None:
            self._piece_done("chart", self._generation)
            return
        self._chart_generation += 1
        asked, generation = self._chart_generation, self._generation
        task = self.session.run(
            load_chart, self.session.ctx, self.patient.id, choice, self.age, owner=self
        )
        task.succeeded.connect(lambda data: self._chart_loaded(data, None, asked, generation))
        task.failed.connect(lambda error: self._chart_loaded(None, error, asked, generation))

    def _chart_loaded(
        self, data: ChartData | None, error: BaseException | None, asked: int, generation: int
    ) -> None:
        if asked != self._chart_generation or generation != self._generation:
            return
        if data is not None:
            self.chart.show_data(data)
            self.caption.setText(data.caption)
            self.caption.setToolTip(data.footnote)
        else:
            self.chart.show_message(error_message(error or Exception()))
            self.caption.clear()
        self.chart_shown.emit()
        self._piece_done("chart", generation)

    # -- actions -----------------------------------------------------------------------

    def _current(self) -> FlowsheetRow | None:
        line = self.table.currentIndex().data(ROW_ROLE)
        return line.row if isinstance(line, SheetLine) else None

    def _current_id(self) -> str | None:
        row = self._current()
        return row.set_id if row else None

    def _chosen(self) -> None:
        row = self._current()
        line = self.table.currentIndex().data(ROW_ROLE)
        self.detail.setText(self.model.details(line) if isinstance(line, SheetLine) else "")
        self.error_button.setEnabled(row is not None and not row.in_error)

    def record(self) -> None:
        if self.patient is None or self.sheet is None or not self.can_edit:
            return
        dialog = VitalsDialog(
            self.session,
            self.patient,
            self.sheet.units,
            self.zone,
            self,
            appointment_id=self.appointment_id,
        )
        dialog.saved.connect(self._recorded)
        dialog.open()

    def _recorded(self, view: VitalsView) -> None:
        self.chart_changed.emit()
        self.reload(select=view.id)

    def mark_in_error(self) -> None:
        row = self._current()
        if row is None or row.in_error or not self.can_edit:
            return
        service = VitalsService(self.session.ctx)
        set_id = row.set_id
        dialog = entered_in_error_dialog(
            self.session,
            self.tr("set of vitals"),
            lambda reason: service.mark_entered_in_error(set_id, reason),
            self,
        )
        dialog.accepted.connect(lambda: self._recorded_error(set_id))
        dialog.open()

    def _recorded_error(self, set_id: str) -> None:
        self.chart_changed.emit()
        self.reload(select=set_id)

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self._generation += 1
        self._chart_generation += 1
        self._waiting = set()
        for dialog in self.findChildren(PatientDialog):
            dialog.reject()  # nothing typed about the patient stays on screen
        self.sheet = None
        self.model.clear()
        self.stack.setCurrentWidget(self.empty)
        self.older_button.hide()
        self._set_choices(())
        self.chart.clear()
        self.caption.clear()
        self.message.clear_message()
        self._chosen()
