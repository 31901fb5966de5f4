"""What the chart's list tabs share (problems, allergies, medications, history,
immunizations): a table of clinical facts (see fact_table) with Add…, a status action and
"Entered in error…" above it and the chosen row's details under it; the loading,
reloading and forgetting every tab does; and the form dialog that hands back what it
saved. Current rows come first (the services sort them so)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.context import AppContext
from app.services.patient_data import PatientRecord
from app.services.permissions import Permission
from app.services.practice import PracticeInfo, PracticeSummary
from app.ui.chart.chart_tab import ChartTab
from app.ui.chart.fact_table import FactTableModel
from app.ui.chart.reason_dialog import ReasonDialog, entered_in_error_dialog
from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.table_model import ROW_ROLE
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ListTab", text)


class FactList(QWidget):
    """Buttons, the table (or a line saying it is empty) and the chosen row's details.
    `what` names one row in messages and accessible names ("problem")."""

    add_requested = Signal()
    status_requested = Signal(object)  # the row
    error_requested = Signal(object)  # the row

    def __init__(
        self,
        model: FactTableModel[Any],
        *,
        name: str,
        what: str,
        add_text: str,
        empty_text: str,
        stretch_column: int,
        status_text: str = "",
    ) -> None:
        super().__init__()
        self.model = model
        self.what = what
        self.editable = True
        self.table = QTableView()
        self.table.setModel(model)
        style_row_table(self.table, name, stretch_column=stretch_column)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.table.doubleClicked.connect(self._ask_status)
        self.add_button = button(
            add_text, add_text.rstrip("…"), variant="primary", icon_name="plus"
        )
        self.add_button.clicked.connect(self.add_requested)
        self.status_button = button(status_text, status_text.rstrip("…")) if status_text else None
        if self.status_button is not None:
            self.status_button.clicked.connect(self._ask_status)
        self.error_button = button(
            _tr("Entered in error…"), _tr("Mark {what} entered in error").format(what=what)
        )
        self.error_button.clicked.connect(self._ask_error)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(8)
        for widget in (self.add_button, self.status_button, self.error_button):
            if widget is not None:
                self.buttons.addWidget(widget)
        self.buttons.addStretch(1)

        self.empty = text_label(empty_text, "muted")
        self.empty.setAccessibleName(_tr("{name} empty").format(name=name))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.detail = text_label("", "muted")
        self.detail.setAccessibleName(_tr("{name} details").format(name=name))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self.buttons)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.detail)
        self._chosen()

    def set_editable(self, editable: bool) -> None:
        """Without EDIT_CHART the list is read only: no buttons."""
        self.editable = editable
        for widget in (self.add_button, self.status_button, self.error_button):
            if widget is not None:
                widget.setVisible(editable)

    def set_rows(self, rows: Sequence[Any], zone: str, select: str | None = None) -> None:
        self.model.set_facts(rows, zone)
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        row = self.model.row_of(select) if select else None
        if row is not None:
            self.table.selectRow(row)
        self._chosen()

    def current(self) -> Any | None:
        return self.table.currentIndex().data(ROW_ROLE)

    def current_id(self) -> str | None:
        item = self.current()
        return item.id if item is not None else None

    def clear(self) -> None:
        """No rows, and no claim that the chart has none (no patient is shown)."""
        self.model.clear()
        self.stack.setCurrentWidget(self.table)
        self._chosen()

    def _chosen(self, *_changed: Any) -> None:
        item = self.current()
        self.detail.setText(self.model.details(item) if item is not None else "")
        self.detail.setVisible(bool(self.detail.text()))
        self.error_button.setEnabled(item is not None and not item.in_error)
        if self.status_button is not None:
            self.status_button.setEnabled(item is not None and self.model.can_change(item))

    def _ask_status(self, *_clicked: Any) -> None:
        item = self.current()
        has_status_action = self.status_button is not None
        if has_status_action and self._may_change(item) and self.model.can_change(item):
            self.status_requested.emit(item)

    def _ask_error(self, *_clicked: Any) -> None:
        item = self.current()
        if self._may_change(item):
            self.error_requested.emit(item)

    def _may_change(self, item: Any | None) -> bool:
        return item is not None and self.editable and not item.in_error


class FactDialog(PatientDialog):
    """A chart form: `saved` carries the service's view of what was saved, then it closes."""

    saved = Signal(object)

    def _saved(self, view: Any) -> None:
        self.saved.emit(view)
        self.accept()


@dataclass(frozen=True)
class Loaded:
    data: Any
    practice: PracticeSummary  # its time zone and today's date


def load_with_practice(
    fetch: Callable[[AppContext, str], Any], ctx: AppContext, patient_id: str
) -> Loaded:
    return Loaded(fetch(ctx, patient_id), PracticeInfo(ctx).summary())


class FactsTab(ChartTab):
    """Loads `fetch(ctx, patient_id)` on the worker (with the practice's zone and today),
    keeps only the newest answer, and after a change selects what changed."""

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        actor = session.ctx.actor
        self.can_edit = bool(actor and actor.can(Permission.EDIT_CHART))
        self.practice: PracticeSummary | None = None
        self.message = MessageLabel()
        self._generation = 0
        self._select: str | None = None  # the row to select once the next load arrives
        self._asked_about: str | None = None  # the fact the open dialog is about

    # -- what a subclass says --------------------------------------------------------------

    @staticmethod
    def fetch(ctx: AppContext, patient_id: str) -> Any:
        """Runs on the worker: this tab's part of the chart."""
        raise NotImplementedError

    def show_data(self, data: Any, select: str | None) -> None:
        raise NotImplementedError

    def current_id(self) -> str | None:
        return None

    # -- loading ---------------------------------------------------------------------------

    @property
    def zone(self) -> str:
        return self.practice.time_zone if self.practice else "UTC"

    @property
    def today(self) -> date:
        return self.practice.today if self.practice else self.session.ctx.clock.now().date()

    def show_patient(self, patient: PatientRecord) -> None:
        if patient.id != self.patient_id:
            self.clear_sensitive()  # nothing of the last patient stays while this one loads
        super().show_patient(patient)

    def reload(self, select: str | None = None) -> None:
        if self.patient is None:
            return
        if select:
            self._select = select
        self._generation += 1
        generation = self._generation
        task = self.session.run(
            load_with_practice, self.fetch, self.session.ctx, self.patient.id, owner=self
        )
        task.succeeded.connect(lambda found: self._loaded(found, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _loaded(self, found: Loaded, generation: int) -> None:
        if generation != self._generation:
            return
        self.practice = found.practice
        self.message.clear_message()
        select = self._select or self.current_id()
        self._select = None
        self.show_data(found.data, select)
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    # -- changing the chart ----------------------------------------------------------------

    def add_shortcut(self, keys: str, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    # The dialogs are window-modal: one at a time. Their signals go to bound methods: a
    # lambda holding the tab is freed while Qt deletes the dialog, and a tab without a
    # parent (in tests) would be deleted from inside its own child's destructor.

    def open_form(self, dialog: FactDialog) -> FactDialog:
        dialog.saved.connect(self._form_saved)
        dialog.open()
        return dialog

    def _form_saved(self, view: Any) -> None:
        self.changed(getattr(view, "id", None))

    def open_about(self, dialog: QDialog, fact_id: str) -> QDialog:
        """A dialog that changes the fact `fact_id` once it is accepted."""
        self._asked_about = fact_id
        dialog.accepted.connect(self._accepted)
        dialog.open()
        return dialog

    def _accepted(self) -> None:
        self.changed(self._asked_about)

    def ask_entered_in_error(
        self, what: str, action: Callable[[str], Any], fact_id: str
    ) -> ReasonDialog:
        dialog = entered_in_error_dialog(self.session, what, action, self)
        self.open_about(dialog, fact_id)
        return dialog

    def changed(self, fact_id: str | None) -> None:
        """This tab changed the chart: the other tabs are stale; show the change."""
        self.chart_changed.emit()
        self.reload(select=fact_id)

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self._generation += 1
        self._select = None
        self.message.clear_message()


class ListTab(FactsTab):
    """A tab that is one list: the message, then the buttons, table and details. The
    subclass builds the list in `build_list`; `add_keys` presses Add…."""

    add_keys = ""

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        self.facts = self.build_list()
        self.facts.set_editable(self.can_edit)
        self.facts.add_requested.connect(self._add_pressed)
        self.facts.status_requested.connect(self.change_status)
        self.facts.error_requested.connect(self.mark_entered_in_error)
        if self.add_keys:
            add = self.facts.add_button
            add.setToolTip(f"{add.accessibleName()} ({self.add_keys})")
            self.add_shortcut(self.add_keys, self._add_pressed)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(20, 12, 20, 12)
        self.body.setSpacing(10)
        self.body.addWidget(self.message)
        self.body.addWidget(self.facts, 1)

    def build_list(self) -> FactList:
        raise NotImplementedError

    def _add_pressed(self) -> None:
        if self.can_edit and self.patient is not None:
            self.add()

    def add(self) -> None:
        raise NotImplementedError

    def change_status(self, item: Any) -> None:
        """The status action (when the list has one)."""

    def mark_entered_in_error(self, item: Any) -> None:
        raise NotImplementedError

    def show_data(self, data: Any, select: str | None) -> None:
        self.facts.set_rows(data, self.zone, select)

    def current_id(self) -> str | None:
        return self.facts.current_id()

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self.facts.clear()
