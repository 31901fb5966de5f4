"""Small building blocks every screen uses, so they look and behave the same."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.ui.resources import app_icon, icon, monospace_font


def text_label(text: str = "", role: str | None = None, *, wrap: bool = True) -> QLabel:
    """A label with a theme role: title, heading, muted, hint, error, notice."""
    label = QLabel(text)
    if role:
        label.setProperty("role", role)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def button(
    text: str,
    accessible_name: str,
    *,
    variant: str | None = None,
    icon_name: str | None = None,
) -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(accessible_name)
    if variant:
        widget.setProperty("variant", variant)
    if icon_name:
        widget.setIcon(icon(icon_name, "#ffffff" if variant == "primary" else None))
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def line_edit(accessible_name: str, *, password: bool = False, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhNoPredictiveText
        )
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class MessageLabel(QLabel):
    """An inline message (error or notice) that hides itself when empty."""

    def __init__(self, role: str = "error", accessible_name: str = "Message") -> None:
        super().__init__()
        self.setProperty("role", role)
        self.setWordWrap(True)
        self.setAccessibleName(accessible_name)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")

    def show_as(self, role: str, text: str) -> None:
        """Show `text` in another role ("error", "notice"): one line that says either."""
        self.setProperty("role", role)
        self.style().polish(self)
        self.show_message(text)


class BusyBar(QProgressBar):
    """A slim indeterminate bar shown while a task runs."""

    def __init__(self) -> None:
        super().__init__()
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setAccessibleName("Working")
        self.hide()


def card(margins: int = 28, spacing: int = 12) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(margins, margins, margins, margins)
    layout.setSpacing(spacing)
    return frame, layout


def brand_header(title: str, subtitle: str = "") -> QWidget:
    """The Stethos mark beside a title (and an optional muted line under it)."""
    header = QWidget()
    row = QHBoxLayout(header)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(14)
    mark = QLabel()
    mark.setPixmap(app_icon().pixmap(40, 40))
    mark.setFixedSize(40, 40)
    row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
    texts = QVBoxLayout()
    texts.setSpacing(2)
    texts.addWidget(text_label(title, "title"))
    if subtitle:
        texts.addWidget(text_label(subtitle, "muted"))
    row.addLayout(texts, 1)
    return header


def centered(widget: QWidget, max_width: int) -> QWidget:
    """`widget` centred horizontally and vertically, no wider than `max_width`."""
    holder = QWidget()
    holder.setObjectName("Canvas")
    outer = QVBoxLayout(holder)
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    widget.setMaximumWidth(max_width)
    row.addWidget(widget, 100)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(1)
    return holder


class FormLabel(QLabel):
    """A form label exactly as tall as its field's input, so the two line up even when a
    message opens under the input."""

    def __init__(self, text: str, editor: QWidget) -> None:
        super().__init__(text)
        self._editor = editor
        self.setBuddy(editor)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._editor.sizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


def form_row(form: QFormLayout, text: str, field: QWidget, editor: QWidget | None = None) -> QLabel:
    """Add a labelled row; the label lines up with `editor` (the field itself by default)."""
    label = FormLabel(text, editor or field)
    form.addRow(label, field)
    return label


def inline_row(*parts: QWidget | str | int | None, spacing: int = 10) -> QWidget:
    """Fields side by side as one form field ("9:00 AM to 10:00 AM", a date and its
    weekday). A str is a plain label, an int extra space, None the stretch that takes the
    room left over (after the last part unless placed)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(spacing)
    for part in parts:
        if part is None:
            row.addStretch(1)
        elif isinstance(part, str):
            row.addWidget(QLabel(part))
        elif isinstance(part, int):
            row.addSpacing(part)
        else:
            row.addWidget(part)
    if all(part is not None for part in parts):
        row.addStretch(1)
    return holder


def form_layout() -> QFormLayout:
    form = QFormLayout()
    form.setVerticalSpacing(10)
    form.setHorizontalSpacing(16)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return form


def shortcut_grid(shortcuts: Sequence[tuple[str, str]]) -> QGridLayout:
    """Key caps beside what they do."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(18)
    grid.setVerticalSpacing(6)
    for row, (keys, meaning) in enumerate(shortcuts):
        key = QLabel(keys)
        key.setObjectName("KeyCap")
        key.setFont(monospace_font(10))
        grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(QLabel(meaning), row, 1)
    grid.setColumnStretch(1, 1)
    return grid


def message_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = ""
) -> QMessageBox:
    """A message box whose title is also its accessible name (what screen readers announce
    and tests find it by); add its buttons with `box_button`."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setAccessibleName(title)
    box.setText(text)
    if details:
        box.setInformativeText(details)
    return box


def box_button(
    box: QMessageBox,
    label: str | QMessageBox.StandardButton,
    accessible_name: str = "",
    role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole,
    *,
    object_name: str = "",
) -> QPushButton:
    """Add a named button: one with `label` as its text in `role` (named after its text
    unless told), or a standard one."""
    if isinstance(label, str):
        added = box.addButton(label, role)
        accessible_name = accessible_name or label
    else:
        added = box.addButton(label)
    added.setAccessibleName(accessible_name)
    if object_name:
        added.setObjectName(object_name)
    return added


def pressed_name(box: QMessageBox) -> str:
    """Run `box` modally, then let it go: the object name of the button pressed ("" when
    it was dismissed otherwise)."""
    box.exec()
    clicked = box.clickedButton()
    name = clicked.objectName() if clicked is not None else ""
    box.deleteLater()
    return name


Keys = str | QKeySequence | QKeySequence.StandardKey


def add_shortcuts(
    owner: QWidget,
    bindings: Sequence[tuple[Keys, Callable[[], object]]],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> None:
    """Keyboard shortcuts that work while focus is inside `owner` (by default), so the same
    keys can mean something else on another screen."""
    for keys, slot in bindings:
        shortcut = QShortcut(QKeySequence(keys), owner)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
