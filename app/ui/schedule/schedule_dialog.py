"""The frame the schedule dialogs share (the patient dialogs' frame, plus what a busy front
desk needs): every action button waits while the worker runs, Ctrl+Enter does the main
action from anywhere, and in long forms Enter moves to the next field."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QWidget

from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.tasks import Task

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ScheduleDialog(PatientDialog):
    def __init__(
        self,
        session: DesktopSession,
        title: str,
        ok_text: str,
        parent: QWidget | None = None,
        *,
        subtitle: str = "",
        enter_moves_on: bool = False,
    ) -> None:
        super().__init__(session, title, ok_text, parent, subtitle=subtitle)
        self.enter_moves_on = enter_moves_on
        self.busy_now = False
        self.ok_button.setToolTip(self.tr("{action} (Ctrl+Enter)").format(action=ok_text))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._main_action)

    def showEvent(self, event: Any) -> None:
        if self.enter_moves_on:
            # An editable combo keeps Enter to itself; catch it before it does.
            for combo in self.findChildren(QComboBox):
                if combo.isEditable():
                    combo.installEventFilter(self)
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QComboBox)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._move_on(watched)
            return True
        return super().eventFilter(watched, event)

    def _main_action(self) -> None:
        if self.ok_button.isVisible() and self.ok_button.isEnabled():
            self.ok_button.click()

    def run(
        self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None], **kwargs: Any
    ) -> Task:
        return super().run(partial(fn, **kwargs) if kwargs else fn, *args, done=done)

    def set_busy(self, busy: bool) -> None:
        """While the worker runs, nothing can be pressed twice (Cancel still closes)."""
        super().set_busy(busy)
        self.busy_now = busy
        for push in self.findChildren(QPushButton):
            if push is not self.cancel_button:
                push.setProperty("waiting", busy)
                push.setEnabled(not busy and push.property("allowed") is not False)

    def allow(self, push: QPushButton, allowed: bool) -> None:
        """Enable `push` now and after any busy spell (a rule of the form, not the worker)."""
        push.setProperty("allowed", allowed)
        push.setEnabled(allowed and not self.busy_now)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._main_action()
            return
        focus = QApplication.focusWidget()
        if event.key() in _ENTER and focus is not None and self.isAncestorOf(focus):
            if isinstance(focus, QPushButton):
                if focus.isEnabled():
                    focus.click()  # Enter on Cancel cancels; it never books by default
                return
            if self.enter_moves_on:
                self._move_on(focus)
                return
        super().keyPressEvent(event)

    def _move_on(self, focus: QWidget) -> None:
        """To the next field Tab would reach, treating an editable combo (whose line edit
        holds the focus) as one field."""
        field, parent = focus, focus.parentWidget()
        while isinstance(parent, QComboBox):
            field, parent = parent, parent.parentWidget()
        candidate = field.nextInFocusChain()
        while candidate is not None and candidate is not field:
            if _takes_tab(candidate, field, self):
                candidate.setFocus(Qt.FocusReason.TabFocusReason)
                return
            candidate = candidate.nextInFocusChain()


def _takes_tab(widget: QWidget, leaving: QWidget, dialog: QWidget) -> bool:
    return (
        dialog.isAncestorOf(widget)
        and not leaving.isAncestorOf(widget)
        and widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
    )
