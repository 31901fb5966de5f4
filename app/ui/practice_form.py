"""The "Create a practice" form, with a message under each field that needs attention.

`validate_new_practice` reports the first problem it meets. To put each message under
the right field, each field is checked on its own: the other fields are replaced by
values known to be valid, so whatever the service refuses belongs to that one field.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import available_timezones

from PySide6.QtCore import Qt, QTimeZone, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QVBoxLayout, QWidget

from app.services.errors import DomainError
from app.services.practice_setup import NewPractice, validate_new_practice
from app.ui.widgets import form_layout, form_row, line_edit, text_label

FIELDS = ("practice_name", "time_zone", "admin_display_name", "admin_username", "admin_password")
_VALID = NewPractice(
    practice_name="Valid practice",
    time_zone="UTC",
    admin_username="placeholder.user",
    admin_display_name="Placeholder Person",
    admin_password="quiet-harbour-lantern-47",
)


def field_errors(new: NewPractice, confirm_password: str) -> dict[str, str]:
    """A message for each field of `new` that the service would refuse."""
    errors: dict[str, str] = {}
    for name in FIELDS:
        probe = replace(_VALID, **{name: getattr(new, name)})
        if name == "admin_password":
            # Password rules look at the person's names: use theirs when they are valid.
            for other in ("admin_username", "admin_display_name"):
                if other not in errors:
                    probe = replace(probe, **{other: getattr(new, other)})
        try:
            validate_new_practice(probe)
        except DomainError as exc:
            errors[name] = str(exc)
    if "admin_password" not in errors and new.admin_password != confirm_password:
        errors["confirm_password"] = "The two passwords are not the same."
    return errors


def practice_time_zones() -> list[str]:
    """IANA zones people pick from (regions and cities, no legacy aliases)."""
    skip = ("Etc/", "SystemV/", "posix/", "right/", "US/", "Canada/", "Mexico/", "Brazil/")
    zones = {zone for zone in available_timezones() if "/" in zone and not zone.startswith(skip)}
    return sorted(zones | {"UTC"})


def machine_time_zone() -> str:
    zone = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return zone if zone in set(practice_time_zones()) else "UTC"


class _Field(QWidget):
    """An input with its message underneath (hidden while there is nothing to say)."""

    def __init__(self, editor: QWidget) -> None:
        super().__init__()
        self.editor = editor
        self.error = text_label("", "field-error")
        self.error.setAccessibleName(f"{editor.accessibleName()} message")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.editor.setProperty("invalid", bool(message))
        self.editor.style().unpolish(self.editor)
        self.editor.style().polish(self.editor)


class PracticeForm(QWidget):
    """The fields of a new practice; `submitted` fires when Enter is pressed in any of them."""

    submitted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.practice_name = line_edit(self.tr("Practice name"))
        self.practice_name.setPlaceholderText(self.tr("e.g. Riverside Family Medicine"))
        self.time_zone = QComboBox()
        self.time_zone.setAccessibleName(self.tr("Time zone"))
        self.time_zone.setEditable(True)
        self.time_zone_edit = line_edit(self.tr("Time zone"))
        self.time_zone.setLineEdit(self.time_zone_edit)
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_zone.addItems(practice_time_zones())
        self.time_zone.setCurrentText(machine_time_zone())
        completer = QCompleter(practice_time_zones(), self.time_zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.time_zone.setCompleter(completer)
        self.display_name = line_edit(self.tr("Your full name"))
        self.username = line_edit(self.tr("Your user name"), placeholder=self.tr("e.g. jlee"))
        self.password = line_edit(self.tr("Password"), password=True)
        self.confirm = line_edit(self.tr("Confirm password"), password=True)

        self._fields: dict[str, _Field] = {}
        form = form_layout()
        rows = (
            ("practice_name", self.tr("Practice &name"), self.practice_name),
            ("time_zone", self.tr("&Time zone"), self.time_zone),
            ("admin_display_name", self.tr("Your &full name"), self.display_name),
            ("admin_username", self.tr("Your &user name"), self.username),
            ("admin_password", self.tr("&Password"), self.password),
            ("confirm_password", self.tr("C&onfirm password"), self.confirm),
        )
        for key, label, editor in rows:
            field = _Field(editor)
            self._fields[key] = field
            form_row(form, label, field, editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(text_label(self.tr("Create a practice"), "heading"))
        layout.addLayout(form)
        layout.addWidget(
            text_label(
                self.tr(
                    "You will be the practice's first administrator. Use at least 10 "
                    "characters for the password; a short sentence works well."
                ),
                "hint",
            )
        )
        for key, _label, editor in rows:
            if isinstance(editor, QLineEdit):
                editor.returnPressed.connect(self.submitted)
                editor.editingFinished.connect(lambda key=key: self._check_one(key))
                editor.textEdited.connect(lambda _text, key=key: self._recheck_if_shown(key))
        zone_editor = self.time_zone_edit
        zone_editor.editingFinished.connect(lambda: self._check_one("time_zone"))
        zone_editor.returnPressed.connect(self.submitted)

    def value(self) -> NewPractice:
        return NewPractice(
            practice_name=self.practice_name.text().strip(),
            time_zone=self.time_zone.currentText().strip().replace(" ", "_"),
            admin_username=self.username.text().strip(),
            admin_display_name=self.display_name.text().strip(),
            admin_password=self.password.text(),
        )

    def validate(self) -> bool:
        """Show every field's message; True when the service will accept the form."""
        errors = field_errors(self.value(), self.confirm.text())
        for key, field in self._fields.items():
            field.set_error(errors.get(key, ""))
        first = next((self._fields[key] for key in self._fields if key in errors), None)
        if first is not None:
            first.editor.setFocus()
        return first is None

    def show_error(self, message: str) -> None:
        """A message from the service that belongs to no single field."""
        self._fields["practice_name"].set_error(message)

    def _check_one(self, key: str) -> None:
        editor = self._fields[key].editor
        if editor is self.time_zone:
            editor = self.time_zone_edit
        if isinstance(editor, QLineEdit) and not editor.text() and not editor.isModified():
            return  # not touched yet: no scolding for a field the user has not reached
        errors = field_errors(self.value(), self.confirm.text())
        self._fields[key].set_error(errors.get(key, ""))

    def _recheck_if_shown(self, key: str) -> None:
        if self._fields[key].error.isVisible():
            self._check_one(key)
