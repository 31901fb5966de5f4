"""Two lists of the Scheduling set-up: appointment types and rooms. Each is a read-only
table with its actions beside it; Enter or a double-click edits the chosen row. The lists
are refilled from the panel's snapshot after every change (from anyone)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTableWidget, QVBoxLayout, QWidget

from app.services.schedule_data import AppointmentTypeView, RoomView
from app.ui.admin.appointment_type_dialog import AppointmentTypeDialog, swatch_icon
from app.ui.admin.setup_dialogs import RoomDialog
from app.ui.admin.setup_snapshot import SetupSnapshot
from app.ui.schedule.schedule_widgets import (
    results_table,
    selected_row,
    selected_value,
    set_rows,
)
from app.ui.session import DesktopSession
from app.ui.widgets import MessageLabel, button, text_label

_INACTIVE_INK = QColor("#8d99a4")
RowT = TypeVar("RowT")


class ListSection(QWidget, Generic[RowT]):
    """A table of `row_type` views, the buttons that act on it, and a line for
    confirmations."""

    def __init__(
        self,
        session: DesktopSession,
        row_type: type[RowT],
        intro: str,
        table_name: str,
        headers: Sequence[str],
        stretch_column: int = 0,
    ) -> None:
        super().__init__()
        self.session = session
        self.row_type = row_type
        self.snapshot: SetupSnapshot | None = None
        self._actions: list[tuple[QPushButton, bool]] = []
        self.table: QTableWidget = results_table(table_name, headers, stretch_column)
        self.table.activated.connect(lambda _index: self.edit())
        self.table.itemSelectionChanged.connect(self.update_actions)
        self.notice = MessageLabel("notice", self.tr("{list} message").format(list=table_name))
        self.error = MessageLabel("error", self.tr("{list} error").format(list=table_name))
        self.dialog: QDialog | None = None  # the one open now (tests look at it)
        self.wanted: str | None = None  # the row to choose once the list has it
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(8)
        self.action_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(text_label(intro, "muted"))
        layout.addLayout(self.action_row)
        layout.addWidget(self.notice)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)

    def add_action(self, push: QPushButton, *, needs_row: bool = False) -> QPushButton:
        """Enabled once the list is loaded; with `needs_row`, only while a row is chosen."""
        self.action_row.insertWidget(self.action_row.count() - 1, push)
        self._actions.append((push, needs_row))
        return push

    def show_snapshot(self, snapshot: SetupSnapshot) -> None:
        self.snapshot = snapshot
        chosen = selected_value(self.table)
        self.fill(snapshot)
        if self.wanted is not None or chosen is not None:
            self.select(self.wanted or getattr(chosen, "id", None))
        self.wanted = None
        self.update_actions()

    def fill(self, snapshot: SetupSnapshot) -> None:
        raise NotImplementedError

    def edit(self) -> None:
        """Enter or a double-click on a row."""

    def chosen(self) -> RowT | None:
        return selected_row(self.table, self.row_type)

    def update_actions(self) -> None:
        """Enable what applies now (see `add_action`)."""
        chosen = self.chosen() is not None
        for push, needs_row in self._actions:
            push.setEnabled(chosen if needs_row else self.snapshot is not None)

    def clear(self) -> None:
        self.snapshot = None
        self.table.setRowCount(0)
        self.notice.clear_message()
        self.error.clear_message()
        self.update_actions()

    def select(self, value_id: str | None) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            value = item.data(Qt.ItemDataRole.UserRole) if item else None
            if value_id is not None and getattr(value, "id", None) == value_id:
                self.table.selectRow(row)
                return

    def open_dialog(
        self,
        dialog: QDialog,
        saved_signal: SignalInstance,
        said: Callable[[Any], str],
        row_id: Callable[[Any], str] = lambda value: str(value.id),
    ) -> None:
        """Show `dialog`; when it saves, say so and choose the saved row (now, and again
        when the list is refilled from the change notice)."""
        self.dialog = dialog

        def saved(value: object) -> None:
            self.error.clear_message()
            self.notice.show_message(said(value))
            self.wanted = row_id(value)
            self.select(self.wanted)

        saved_signal.connect(saved)
        dialog.open()


class TypesSection(ListSection[AppointmentTypeView]):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__(
            session,
            AppointmentTypeView,
            self.tr(
                "What can be booked, how long it usually takes, its colour on the calendar "
                "and who offers it."
            ),
            self.tr("Appointment types"),
            [
                self.tr("Type"),
                self.tr("Length"),
                self.tr("Offered by"),
                self.tr("Patients"),
                self.tr("Status"),
            ],
            stretch_column=2,
        )
        self.add_button = self.add_action(
            button(self.tr("Add type…"), self.tr("Add appointment type"), variant="primary")
        )
        self.edit_button = self.add_action(
            button(self.tr("Edit…"), self.tr("Edit appointment type")), needs_row=True
        )
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.update_actions()

    def fill(self, snapshot: SetupSnapshot) -> None:
        rows = [(self._texts(t, snapshot), t) for t in snapshot.types]
        set_rows(self.table, rows)
        for row, kind in enumerate(snapshot.types):
            first = self.table.item(row, 0)
            if first is not None:
                first.setIcon(swatch_icon(kind.colour))
            if not kind.active:
                for column in range(self.table.columnCount()):
                    cell = self.table.item(row, column)
                    if cell is not None:
                        cell.setForeground(_INACTIVE_INK)

    def _texts(self, kind: AppointmentTypeView, snapshot: SetupSnapshot) -> list[str]:
        offered = (
            ", ".join(snapshot.provider_name(p) for p in kind.provider_ids)
            if kind.provider_ids
            else self.tr("Every provider")
        )
        return [
            kind.name,
            self.tr("{n} min").format(n=kind.default_minutes),
            offered,
            self.tr("New only") if kind.new_patients_only else self.tr("All"),
            self.tr("Active") if kind.active else self.tr("Inactive"),
        ]

    def add(self) -> None:
        if self.snapshot is not None:
            dialog = AppointmentTypeDialog(self.session, self.snapshot.providers, parent=self)
            self.open_dialog(
                dialog, dialog.saved, lambda t: self.tr("Added {name}.").format(name=t.name)
            )

    def edit(self) -> None:
        kind = self.chosen()
        if kind is not None and self.snapshot is not None:
            dialog = AppointmentTypeDialog(self.session, self.snapshot.providers, kind, self)
            self.open_dialog(
                dialog, dialog.saved, lambda t: self.tr("Saved {name}.").format(name=t.name)
            )


class RoomsSection(ListSection[RoomView]):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__(
            session,
            RoomView,
            self.tr("The rooms visits can be booked into; the calendar can show a column each."),
            self.tr("Rooms"),
            [self.tr("Room"), self.tr("Location"), self.tr("Status")],
        )
        self.add_button = self.add_action(
            button(self.tr("Add room…"), self.tr("Add room"), variant="primary")
        )
        self.rename_button = self.add_action(
            button(self.tr("Rename…"), self.tr("Rename room")), needs_row=True
        )
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.edit)
        self.update_actions()

    def fill(self, snapshot: SetupSnapshot) -> None:
        labels = {choice.id: choice.label for choice in snapshot.locations}
        rows = [
            (
                [
                    room.name,
                    labels.get(room.location_id, ""),
                    self.tr("Active") if room.active else self.tr("Inactive"),
                ],
                room,
            )
            for room in snapshot.rooms
        ]
        set_rows(self.table, rows)
        self.table.setColumnHidden(1, len(snapshot.locations) < 2)

    def add(self) -> None:
        if self.snapshot is not None:
            dialog = RoomDialog(self.session, parent=self)
            self.open_dialog(
                dialog, dialog.saved, lambda r: self.tr("Added {name}.").format(name=r.name)
            )

    def edit(self) -> None:
        room = self.chosen()
        if room is not None:
            dialog = RoomDialog(self.session, room, self)
            self.open_dialog(
                dialog, dialog.saved, lambda r: self.tr("Renamed to {name}.").format(name=r.name)
            )
