"""Holidays and blocked time of the coming year: add a holiday (the whole practice is
closed), block a provider's time, remove either (after a confirmation; Delete does it from
the list)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMessageBox

from app.models import BlockKind
from app.services.schedule_data import BlockView
from app.services.schedule_setup import ScheduleSetupService
from app.ui.admin.setup_dialogs import HolidayDialog
from app.ui.admin.setup_sections import ListSection
from app.ui.admin.setup_snapshot import SetupSnapshot
from app.ui.schedule.block_dialog import BlockOutcome, BlockTimeDialog, block_when_text, describe
from app.ui.schedule.schedule_widgets import set_rows
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import box_button, button, message_box


class BlocksSection(ListSection[BlockView]):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__(
            session,
            BlockView,
            self.tr(
                "Days the practice is closed and time a provider cannot be booked, from today "
                "on. Visits already booked are not moved."
            ),
            self.tr("Holidays and blocked time"),
            [self.tr("When"), self.tr("Who"), self.tr("Kind"), self.tr("Reason")],
            stretch_column=3,
        )
        self.service = ScheduleSetupService(session.ctx)
        self.holiday_button = self.add_action(
            button(self.tr("Add holiday…"), self.tr("Add holiday"), variant="primary")
        )
        self.block_button = self.add_action(
            button(self.tr("Block provider time…"), self.tr("Block provider time"))
        )
        self.remove_button = self.add_action(
            button(self.tr("Remove…"), self.tr("Remove block")), needs_row=True
        )
        self.remove_button.setToolTip(self.tr("Remove the chosen holiday or block (Delete)"))
        self.holiday_button.clicked.connect(self.add_holiday)
        self.block_button.clicked.connect(self.block_time)
        self.remove_button.clicked.connect(self.remove)
        self.table.installEventFilter(self)  # Delete removes the chosen row
        self.update_actions()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self.remove()
            return True
        return super().eventFilter(watched, event)

    def fill(self, snapshot: SetupSnapshot) -> None:
        year = snapshot.today.year
        rows = [
            (
                [
                    block_when_text(block.wall_start, block.wall_end, year),
                    snapshot.provider_name(block.provider_id),
                    self.tr("Holiday") if block.kind is BlockKind.HOLIDAY else self.tr("Blocked"),
                    block.reason,
                ],
                block,
            )
            for block in snapshot.blocks
        ]
        set_rows(self.table, rows)

    # -- actions -------------------------------------------------------------------------

    def add_holiday(self) -> None:
        if self.snapshot is None:
            return
        self.error.clear_message()
        dialog = HolidayDialog(self.session, self.snapshot.today, self)
        self.open_dialog(
            dialog,
            dialog.saved,
            lambda block: self.tr("Added the holiday {name} ({when}).").format(
                name=block.reason, when=block_when_text(block.wall_start, block.wall_end)
            ),
        )

    def block_time(self) -> None:
        if self.snapshot is None:
            return
        self.error.clear_message()
        dialog = BlockTimeDialog(self.session, parent=self)
        self.open_dialog(dialog, dialog.blocked, describe, row_id=_block_id)

    def remove(self) -> None:
        block = self.chosen()
        if block is None or self.snapshot is None:
            return
        what = block_when_text(block.wall_start, block.wall_end, self.snapshot.today.year)
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            self.tr("Remove blocked time"),
            self.tr("Remove “{reason}” ({when})?").format(reason=block.reason, when=what),
            self.tr("That time can be booked again."),
        )
        box.setDefaultButton(box_button(box, QMessageBox.StandardButton.Cancel, self.tr("Cancel")))
        confirm = box_button(box, self.tr("Remove"), self.tr("Confirm remove"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda clicked: self._remove(block, what) if clicked is confirm else None
        )
        self.dialog = box
        box.open()

    def _remove(self, block: BlockView, what: str) -> None:
        self.error.clear_message()
        task = self.session.run(self.service.remove_block, block.id, owner=self)
        task.succeeded.connect(
            lambda _none: self.notice.show_message(
                self.tr("Removed “{reason}” ({when}).").format(reason=block.reason, when=what)
            )
        )
        task.failed.connect(lambda error: self.error.show_message(error_message(error)))


def _block_id(outcome: BlockOutcome) -> str:
    return outcome.block.id
