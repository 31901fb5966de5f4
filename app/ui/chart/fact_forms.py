"""Form pieces the chart's list dialogs share: a note box and its label, optional dates
and choice lists of labelled values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit

from app.services.errors import DomainError
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import DateField, compact


def _tr(text: str) -> str:
    return QCoreApplication.translate("FactForms", text)


def note_box(accessible_name: str, text: str | None = None) -> QPlainTextEdit:
    """A few lines of optional text; Tab moves on."""
    box = QPlainTextEdit(text or "")
    box.setAccessibleName(accessible_name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(64)
    return box


def note_row(form: QFormLayout, text: str, box: QPlainTextEdit) -> QLabel:
    """A label on the box's first line (a form label centres on its field otherwise)."""
    label = QLabel(text)
    label.setBuddy(box)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setContentsMargins(0, 6, 0, 0)
    form.addRow(label, box)
    return label


def date_field(accessible_name: str, value: date | None = None, placeholder: str = "") -> DateField:
    field = DateField(accessible_name)
    field.setFixedWidth(150)
    field.set_date(value)
    if placeholder:
        field.setPlaceholderText(placeholder)
    return field


def read_date(field: DateField, dialog: PatientDialog) -> tuple[bool, date | None]:
    """(ok, the date or None when blank); a date that does not read is refused in the
    dialog, with the field focused."""
    try:
        return True, field.date_value()
    except DomainError as error:
        dialog.refuse(error)
        field.setFocus()
        return False, None


def choice_combo(
    accessible_name: str,
    choices: Iterable[tuple[Any, str]],
    *,
    blank: str | None = None,
    current: Any = None,
) -> QComboBox:
    """Labelled values (an enum's members, route codes); `blank` adds a first "not said"
    choice whose value is None."""
    combo = compact(QComboBox(), 14)
    combo.setAccessibleName(accessible_name)
    if blank is not None:
        combo.addItem(blank, None)
    for value, label in choices:
        combo.addItem(label, value)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(0, index))
    return combo


def not_said() -> str:
    return _tr("Not recorded")
