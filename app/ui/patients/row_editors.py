"""Lists of small rows the person adds and removes: phone numbers, emergency contacts."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.models import PhoneKind
from app.services.errors import DomainError
from app.services.patient_data import ContactInput, ContactView, PhoneInput, PhoneView
from app.services.patient_keys import display_phone
from app.ui.patients.fields import RELATIONSHIPS, combo_enum, suggest_combo, text_field
from app.ui.patients.labels import phone_kind_label
from app.ui.widgets import button


class _Rows(QWidget):
    """Rows of editors with a Remove button each, and an Add button under them."""

    changed = Signal()

    def __init__(self, add_text: str, add_name: str) -> None:
        super().__init__()
        self.rows: list[tuple[QWidget, list[QWidget], QPushButton]] = []
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(8)
        self.add_button = button(add_text, add_name, variant="link", icon_name="plus")
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        holder = QHBoxLayout()
        holder.addWidget(self.add_button)
        holder.addStretch(1)
        self._column.addLayout(holder)

    def _editors(self, number: int) -> list[QWidget]:
        raise NotImplementedError

    def _stretch(self) -> Sequence[int]:
        raise NotImplementedError

    def _names(self, number: int) -> list[str]:
        raise NotImplementedError

    def add_row(self, *, focus: bool = False) -> list[QWidget]:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        editors = self._editors(len(self.rows) + 1)
        for editor, stretch in zip(editors, self._stretch(), strict=True):
            line.addWidget(editor, stretch)
            if isinstance(editor, QLineEdit):
                editor.textChanged.connect(self.changed)
        remove = button("✕", "")
        remove.setObjectName("RemoveRow")
        remove.setFixedWidth(36)
        line.addWidget(remove)
        entry = (row, editors, remove)
        remove.clicked.connect(lambda: self.remove_row(entry))
        self.rows.append(entry)
        self._column.insertWidget(len(self.rows) - 1, row)
        self._renumber()
        if focus:
            next(e for e in editors if isinstance(e, QLineEdit)).setFocus()
        self.changed.emit()
        return editors

    def remove_row(self, entry: tuple[QWidget, list[QWidget], QPushButton]) -> None:
        self.rows.remove(entry)
        entry[0].hide()
        entry[0].deleteLater()
        self._renumber()
        self.changed.emit()

    def clear_rows(self) -> None:
        for entry in list(self.rows):
            self.remove_row(entry)

    def showEvent(self, event: QShowEvent) -> None:
        self._chain()  # now that the rows are in their window
        super().showEvent(event)

    def _chain(self) -> None:
        """Tab goes through the rows, then to Add."""
        chain: list[QWidget] = []
        for _row, editors, remove in self.rows:
            chain += [*editors, remove]
        chain.append(self.add_button)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _renumber(self) -> None:
        self._chain()
        for number, (_row, editors, remove) in enumerate(self.rows, start=1):
            for editor, name in zip(editors, self._names(number), strict=True):
                editor.setAccessibleName(name)
                if isinstance(editor, QComboBox) and editor.isEditable():
                    line = editor.lineEdit()
                    assert line is not None
                    line.setAccessibleName(name)
            remove.setAccessibleName(self._remove_name(number))
            remove.setToolTip(self._remove_name(number))

    def _remove_name(self, number: int) -> str:
        raise NotImplementedError


class PhonesEditor(_Rows):
    def __init__(self) -> None:
        super().__init__(self.tr("Add another phone"), self.tr("Add phone"))
        self.add_row()

    def _editors(self, number: int) -> list[QWidget]:
        kind = QComboBox()
        for value in PhoneKind:
            kind.addItem(phone_kind_label(value), value)
        number_edit = text_field("", "(312) 555-0142", 32)
        return [kind, number_edit]

    def _stretch(self) -> Sequence[int]:
        return (0, 1)

    def _names(self, number: int) -> list[str]:
        return [
            self.tr("Phone {n} type").format(n=number),
            self.tr("Phone {n} number").format(n=number),
        ]

    def _remove_name(self, number: int) -> str:
        return self.tr("Remove phone {n}").format(n=number)

    def phones(self) -> tuple[PhoneInput, ...]:
        found = []
        for _row, (kind, number), _remove in self.rows:
            assert isinstance(kind, QComboBox) and isinstance(number, QLineEdit)
            if number.text().strip():
                kind_value = combo_enum(kind, PhoneKind) or PhoneKind.MOBILE
                found.append(PhoneInput(number.text().strip(), kind_value))
        return tuple(found)

    def set_first_number(self, text: str) -> None:
        if not self.rows:
            self.add_row()
        number = self.rows[0][1][1]
        assert isinstance(number, QLineEdit)
        number.setText(text)

    def set_phones(self, phones: Sequence[PhoneView]) -> None:
        self.clear_rows()
        for phone in phones or ():
            kind, number = self.add_row()
            assert isinstance(kind, QComboBox) and isinstance(number, QLineEdit)
            kind.setCurrentIndex(max(0, kind.findData(phone.kind)))
            number.setText(phone.display)
        if not self.rows:
            self.add_row()


class ContactsEditor(_Rows):
    def __init__(self) -> None:
        super().__init__(self.tr("Add emergency contact"), self.tr("Add emergency contact"))

    def _editors(self, number: int) -> list[QWidget]:
        name = text_field("", self.tr("Full name"))
        relation = suggest_combo("", RELATIONSHIPS, self.tr("Relationship"))
        phone = text_field("", self.tr("Phone"), 32)
        return [name, relation, phone]

    def _stretch(self) -> Sequence[int]:
        return (3, 2, 2)

    def _names(self, number: int) -> list[str]:
        return [
            self.tr("Emergency contact {n} name").format(n=number),
            self.tr("Emergency contact {n} relationship").format(n=number),
            self.tr("Emergency contact {n} phone").format(n=number),
        ]

    def _remove_name(self, number: int) -> str:
        return self.tr("Remove emergency contact {n}").format(n=number)

    def contacts(self) -> tuple[ContactInput, ...]:
        found = []
        for _row, (name, relation, phone), _remove in self.rows:
            assert isinstance(name, QLineEdit) and isinstance(phone, QLineEdit)
            assert isinstance(relation, QComboBox)
            if phone.text().strip() and not name.text().strip():
                raise DomainError(self.tr("Enter the emergency contact's name."))
            if name.text().strip():
                found.append(
                    ContactInput(name.text().strip(), relation.currentText(), phone.text().strip())
                )
        return tuple(found)

    def set_contacts(self, contacts: Sequence[ContactView]) -> None:
        self.clear_rows()
        for contact in contacts or ():
            name, relation, phone = self.add_row()
            assert isinstance(name, QLineEdit) and isinstance(phone, QLineEdit)
            assert isinstance(relation, QComboBox)
            name.setText(contact.name)
            relation.setCurrentText(contact.relationship)
            phone.setText(display_phone(contact.phone) if contact.phone else "")
