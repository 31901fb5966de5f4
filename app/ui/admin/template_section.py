"""The practice's reminder templates: the list, and adding or editing one."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.services.reminder_data import TemplateView
from app.services.reminders import ReminderService
from app.ui.admin.reminder_template_dialog import ReminderTemplateDialog
from app.ui.admin.reminder_widgets import list_table
from app.ui.admin.template_list_model import TEMPLATE_ROLE, TemplateColumn, TemplateListModel
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, text_label


class TemplateSection(QWidget):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.service = ReminderService(session.ctx)
        self._generation = 0
        self._select_after_reload: str | None = None
        self.model = TemplateListModel(self)
        self.table = list_table(self.model, self.tr("Reminder templates"), TemplateColumn.NAME)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.add_button = button(
            self.tr("&New template…"), self.tr("New template"), icon_name="plus"
        )
        self.edit_button = button(self.tr("&Edit…"), self.tr("Edit template"), icon_name="edit")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.message = MessageLabel("notice", self.tr("Templates message"))

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(
            text_label(
                self.tr(
                    "What patients receive, and how long before the visit. Inactive templates "
                    "send nothing. Enter or double-click a template to edit it."
                ),
                "muted",
            ),
            1,
        )
        top.addWidget(self.edit_button)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self._update_actions()

    def reload(self) -> None:
        generation = self._generation
        task = self.session.run(self.service.templates, owner=self)
        task.succeeded.connect(lambda templates: self._show(templates, generation))
        task.failed.connect(self._failed)

    def clear_sensitive(self) -> None:
        """Templates hold no patient data; the list is simply dropped until unlock."""
        self._generation += 1
        self.model.set_templates([])
        self.message.clear_message()
        self._update_actions()

    def _show(self, templates: list[TemplateView], generation: int) -> None:
        if generation != self._generation:
            return
        chosen = self._select_after_reload or (t.id if (t := self.selected()) else None)
        self._select_after_reload = None
        self.model.set_templates(templates)
        row = self.model.row_of(chosen) if chosen else None
        self.table.selectRow(row if row is not None else 0)
        self._update_actions()

    def _failed(self, error: BaseException) -> None:
        self.message.show_as("error", error_message(error))

    def selected(self) -> TemplateView | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(TEMPLATE_ROLE) if rows else None

    def _update_actions(self) -> None:
        self.edit_button.setEnabled(self.selected() is not None)

    # -- add and edit --------------------------------------------------------------------

    def add(self) -> ReminderTemplateDialog:
        return self._open(None)

    def edit_selected(self) -> ReminderTemplateDialog | None:
        template = self.selected()
        return self._open(template) if template is not None else None

    def _open(self, template: TemplateView | None) -> ReminderTemplateDialog:
        dialog = ReminderTemplateDialog(self.session, template, self)
        dialog.saved.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self, template: TemplateView) -> None:
        self.message.show_as(
            "notice",
            self.tr("“{name}” saved.").format(name=template.name)
            if template.active
            else self.tr("“{name}” saved. It is inactive, so it sends nothing.").format(
                name=template.name
            ),
        )
        self._select_after_reload = template.id
        self.reload()
