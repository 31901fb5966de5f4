"""Form pieces the patient screens share: labelled fields, dates, money, choice lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.models import SexAtBirth
from app.services.errors import DomainError
from app.ui.patients.labels import date_text, sex_label

_DATE_FORMATS = ("M/d/yyyy", "M-d-yyyy", "M.d.yyyy", "yyyy-M-d", "MMddyyyy")
_MONEY = re.compile(r"^\$?\s*(\d{1,6}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$")

LANGUAGES = ("English", "Spanish", "Polish", "Chinese", "Vietnamese", "Arabic", "Tagalog",
             "Korean", "Russian", "French", "Hindi", "Urdu", "American Sign Language")  # fmt: skip
RACES = ("American Indian or Alaska Native", "Asian", "Black or African American",
         "Native Hawaiian or Other Pacific Islander", "White", "More than one race",
         "Declined to answer")  # fmt: skip
ETHNICITIES = ("Hispanic or Latino", "Not Hispanic or Latino", "Declined to answer")
GENDER_IDENTITIES = ("Woman", "Man", "Non-binary", "Transgender woman", "Transgender man",
                     "Another identity", "Declined to answer")  # fmt: skip
PRONOUNS = ("she/her", "he/him", "they/them")
SUFFIXES = ("Jr.", "Sr.", "II", "III", "IV")
RELATIONSHIPS = ("Mother", "Father", "Parent", "Spouse", "Partner", "Guardian", "Child",
                 "Sibling", "Grandparent", "Friend", "Other")  # fmt: skip


def _tr(text: str) -> str:
    return QCoreApplication.translate("PatientFields", text)


def optional(text: str) -> str | None:
    text = text.strip()
    return text or None


def labeled(text: str, editor: QWidget, hint: str = "") -> QWidget:
    """`editor` with its label above it (and a small hint under it)."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    label = QLabel(text)
    label.setObjectName("FieldLabel")
    label.setBuddy(editor)
    column.addWidget(label)
    column.addWidget(editor)
    if hint:
        note = QLabel(hint)
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        column.addWidget(note)
    column.addStretch(1)  # in a taller grid row, the label stays on top of its field
    return holder


def text_field(accessible_name: str, placeholder: str = "", max_length: int = 120) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def parse_date(text: str, what: str) -> date | None:
    """A date typed in US order (3/14/2025) or ISO (2025-03-14); blank is None."""
    raw = text.strip()
    if not raw:
        return None
    for fmt in _DATE_FORMATS:
        parsed = QDate.fromString(raw, fmt)
        if parsed.isValid():
            return date(parsed.year(), parsed.month(), parsed.day())
    raise DomainError(
        _tr("The {what} “{text}” is not a date. Type it like 3/14/2025.").format(
            what=what, text=raw
        )
    )


class DateField(QLineEdit):
    """A date typed the way the desk types it."""

    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(_tr("MM/DD/YYYY"))
        self.setMaxLength(10)
        self._name = accessible_name.lower()

    def date_value(self) -> date | None:
        return parse_date(self.text(), self._name)

    def set_date(self, value: date | None) -> None:
        self.setText(date_text(value))


def parse_cents(text: str) -> int:
    """“25”, “$25.00”, “1,200.5” → cents. Blank is 0."""
    raw = text.strip()
    if not raw:
        return 0
    match = _MONEY.match(raw)
    if not match:
        raise DomainError(
            _tr("The copay “{text}” is not an amount. Type it like 25.00.").format(text=raw)
        )
    try:
        amount = Decimal(match.group(1).replace(",", "") + "." + (match.group(2) or "0"))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise DomainError(_tr("The copay is not an amount.")) from None
    return int((amount * 100).to_integral_value())


class MoneyField(QLineEdit):
    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText("$0.00")
        self.setMaxLength(12)

    def cents(self) -> int:
        return parse_cents(self.text())

    def set_cents(self, cents: int) -> None:
        self.setText(f"{cents // 100}.{cents % 100:02d}" if cents else "")


def compact(combo: QComboBox, characters: int = 10) -> QComboBox:
    """A combo as wide as its column, not as its longest choice (the list still shows all)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo


def suggest_combo(accessible_name: str, choices: Sequence[str], placeholder: str = "") -> QComboBox:
    """Free text with suggestions (language, race, pronouns...)."""
    combo = compact(QComboBox())
    combo.setEditable(True)
    combo.setAccessibleName(accessible_name)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("")
    combo.addItems([_tr(choice) for choice in choices])
    line = combo.lineEdit()
    assert line is not None
    line.setAccessibleName(accessible_name)
    line.setMaxLength(80)
    if placeholder:
        line.setPlaceholderText(placeholder)
    combo.setCurrentIndex(0)
    return combo


def set_combo_text(combo: QComboBox, text: str | None) -> None:
    combo.setCurrentText(text or "")


def sex_combo() -> QComboBox:
    combo = compact(QComboBox())
    combo.setAccessibleName(_tr("Sex at birth"))
    combo.addItem(_tr("Choose…"), None)
    for sex in (SexAtBirth.FEMALE, SexAtBirth.MALE, SexAtBirth.UNKNOWN):
        combo.addItem(sex_label(sex), sex)
    return combo


E = TypeVar("E", bound=StrEnum)


def combo_enum(combo: QComboBox, kind: type[E]) -> E | None:
    """The chosen enum member (Qt hands string enums back as plain strings)."""
    value = combo.currentData()
    return None if value is None else kind(value)


def select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(0, index))
