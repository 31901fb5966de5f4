"""Where a practice edits what its notes start with: the note templates (sections, pick lists,
default text with snippets) and its own text snippets. Physicians only (SIGN_NOTES); the
service refuses anyone else too.

    dialog = open_template_editor(session, parent)  # None when the user may not edit

One Save button (Ctrl+S) saves what the open tab shows; refusals appear in the dialog and
nothing typed is lost. Leaving unsaved changes (another template, Close) asks first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QWidget

from app.services.permissions import Permission
from app.ui.chart.snippet_editor import SnippetsPane
from app.ui.chart.template_pane import TemplatesPane
from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.tasks import error_message


class TemplateEditorDialog(PatientDialog):
    """`loaded` once both lists are on screen (tests wait for it)."""

    loaded = Signal()

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(
            session,
            self.tr("Note templates"),
            self.tr("Save template"),
            parent,
            subtitle=self.tr(
                "What new notes start with. Changes apply to notes started from now on; notes "
                "already written keep their sections."
            ),
        )
        self.cancel_button.setText(self.tr("Close"))
        self.cancel_button.setAccessibleName(self.tr("Close"))
        self.templates = TemplatesPane(self)
        self.snippets = SnippetsPane(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("SectionTabs")
        self.tabs.setAccessibleName(self.tr("Note template sections"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.templates, self.tr("Templates"))
        self.tabs.addTab(self.snippets, self.tr("Snippets"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.content.addWidget(self.tabs, 1)
        for pane in (self.templates, self.snippets):
            pane.state_changed.connect(self._update_save)
        self._waiting = {self.templates, self.snippets}
        self.templates.loaded.connect(lambda: self._pane_loaded(self.templates))
        self.snippets.loaded.connect(lambda: self._pane_loaded(self.snippets))
        for keys, slot in (
            (QKeySequence.StandardKey.Save, self.submit),
            ("Ctrl+Shift+N", self._new_in_tab),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self.ok_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.resize(1240, 760)
        self._tab_changed()

    def pane(self) -> TemplatesPane | SnippetsPane:
        return self.snippets if self.tabs.currentWidget() is self.snippets else self.templates

    def reload(self) -> None:
        self.templates.reload()
        self.snippets.reload()

    def _pane_loaded(self, pane: QWidget) -> None:
        if pane in self._waiting:
            self._waiting.discard(pane)
            if not self._waiting:
                self.loaded.emit()

    def _tab_changed(self) -> None:
        self.message.clear_message()
        text = self.tr(self.pane().save_text)
        self.ok_button.setText(text)
        self.ok_button.setAccessibleName(text)
        self._update_save()

    def _update_save(self) -> None:
        self.ok_button.setEnabled(self.pane().can_save() and not self.busy.isVisible())

    def _new_in_tab(self) -> None:
        self.pane().start_new()

    # -- the dialog frame ----------------------------------------------------------------

    def submit(self) -> None:
        if self.ok_button.isEnabled():
            self.pane().save()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self._update_save()

    def failed(self, error: BaseException) -> None:
        # A notice ("saved") may be showing: the refusal reads as an error.
        self.set_busy(False)
        self.message.show_as("error", error_message(error))

    def reject(self) -> None:
        """Close, unless unsaved changes should be kept."""
        for pane in (self.templates, self.snippets):
            if pane.dirty():
                self.tabs.setCurrentWidget(pane)
                if not pane.confirm_discard():
                    return
        super().reject()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.templates.table.setFocus()


def open_template_editor(
    session: DesktopSession, parent: QWidget | None = None
) -> TemplateEditorDialog | None:
    """Open the editor (window-modal over `parent`) for someone allowed to change templates;
    None, and nothing opens, for anyone else (the Notes tab shows no button to them)."""
    actor = session.ctx.actor
    if actor is None or not actor.can(Permission.SIGN_NOTES):
        return None
    dialog = TemplateEditorDialog(session, parent)
    dialog.reload()
    dialog.open()
    return dialog
