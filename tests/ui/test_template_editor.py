"""Editing the practice's note templates and snippets (issue #5): a physician adds a pick
list to the SOAP template and the next note has it; renaming a section keeps its key; a
refused template shows why and saves nothing; a practice snippet expands in notes; someone
else's newer version is not overwritten; a nurse cannot edit templates."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from app.models import NoteKind
from app.services.errors import PermissionDenied
from app.services.note_data import NoteStart, SectionKind, TemplateInput, TemplateView
from app.services.note_template_defaults import SOAP_OFFICE_VISIT
from app.services.note_templates import NoteTemplateService
from app.services.notes import NoteService
from app.ui.chart.template_editor import TemplateEditorDialog, open_template_editor
from app.ui.chart.template_sections import key_from_label
from app.ui.session import DesktopSession
from tests.ui.helpers import answer_prompt, click, find_by_name, register_patients

SOAP = SOAP_OFFICE_VISIT.name


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    """What the editor opens over (the chart, in the app)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    return parent


def _open(qtbot: QtBot, session: DesktopSession, window: QWidget) -> TemplateEditorDialog:
    dialog = open_template_editor(session, window)
    assert dialog is not None
    with qtbot.waitSignal(dialog.loaded, timeout=10000):
        pass
    return dialog


def _click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _choose_template(qtbot: QtBot, dialog: TemplateEditorDialog, name: str) -> None:
    model = dialog.templates.model
    row = next(i for i in range(model.rowCount()) if (t := model.row_at(i)) and t.name == name)
    _click_row(qtbot, find_by_name(dialog, QTableView, "Note templates"), row)
    assert dialog.templates.form_title.text() == name


def _choose_section(qtbot: QtBot, dialog: TemplateEditorDialog, label: str) -> None:
    table = find_by_name(dialog, QTableView, "Sections")
    labels = [s.label for s in dialog.templates.sections.sections()]
    _click_row(qtbot, table, labels.index(label))
    assert find_by_name(dialog, QLineEdit, "Section label").text() == label


def _retype(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def _save(qtbot: QtBot, dialog: TemplateEditorDialog, button: str = "Save template") -> None:
    pane = dialog.templates if button == "Save template" else dialog.snippets
    with qtbot.waitSignal(pane.loaded, timeout=10000):
        click(qtbot, dialog, button)


def _saved_template(session: DesktopSession, name: str) -> TemplateView:
    found = NoteTemplateService(session.ctx).templates(include_retired=True)
    return next(t for t in found if t.name == name)


def test_a_choice_section_added_to_soap_is_in_the_next_note(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    session = session_for("drpatel")
    (patient,) = register_patients(session.ctx, 1)
    dialog = _open(qtbot, session, window)
    _choose_template(qtbot, dialog, SOAP)

    click(qtbot, dialog, "Add section")
    label = find_by_name(dialog, QLineEdit, "Section label")
    assert label.hasFocus() and label.selectedText() == "New section"
    qtbot.keyClicks(label, "Smoking status")
    kind = find_by_name(dialog, QComboBox, "Section kind")
    kind.setCurrentIndex(kind.findData(SectionKind.CHOICE))
    find_by_name(dialog, QPlainTextEdit, "Options").setPlainText(
        "Never smoker\nFormer smoker\n\nCurrent every day\n"
    )
    assert "smoking_status" in find_by_name(dialog, QLabel, "Section key").text()
    _save(qtbot, dialog)

    assert f"“{SOAP}” saved" in dialog.message.text()
    saved = _saved_template(session, SOAP)
    added = saved.sections[-1]
    assert (added.key, added.label, added.kind) == (
        "smoking_status",
        "Smoking status",
        SectionKind.CHOICE,
    )
    assert added.options == ("Never smoker", "Former smoker", "Current every day")
    # The form now holds the saved section: its key is kept from here on.
    assert "notes refer to it" in find_by_name(dialog, QLabel, "Section key").text()

    note = NoteService(session.ctx).start(patient, NoteStart(NoteKind.DOCTOR, saved.id))
    section = next(s for s in note.sections if s.key == "smoking_status")
    assert section.kind is SectionKind.CHOICE and section.options == added.options


def test_renaming_and_moving_a_section_keeps_its_key(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    session = session_for("drpatel")
    dialog = _open(qtbot, session, window)
    _choose_template(qtbot, dialog, SOAP)
    _choose_section(qtbot, dialog, "Plan")
    _retype(qtbot, find_by_name(dialog, QLineEdit, "Section label"), "Plan and orders")
    click(qtbot, dialog, "Move section up")  # above Assessment
    assert "“plan”" in find_by_name(dialog, QLabel, "Section key").text()
    with qtbot.waitSignal(dialog.templates.loaded, timeout=10000):
        qtbot.keyClick(
            dialog.templates.sections.label, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )

    keys = [s.key for s in _saved_template(session, SOAP).sections]
    labels = {s.key: s.label for s in _saved_template(session, SOAP).sections}
    assert keys.index("plan") == keys.index("assessment") - 1
    assert labels["plan"] == "Plan and orders"
    assert len(keys) == len(SOAP_OFFICE_VISIT.sections)


def test_leaving_unsaved_changes_asks_first(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    session = session_for("drpatel")
    dialog = _open(qtbot, session, window)
    _choose_template(qtbot, dialog, SOAP)
    name = find_by_name(dialog, QLineEdit, "Template name")
    _retype(qtbot, name, "SOAP visit (edited)")

    prompts = answer_prompt("Discard changes", "Keep editing")
    phone_row = dialog.templates.model.row_of(_saved_template(session, "Phone note").id)
    assert phone_row is not None
    _click_row(qtbot, find_by_name(dialog, QTableView, "Note templates"), phone_row)
    assert prompts and "SOAP visit (edited)" in prompts[0].text
    assert name.text() == "SOAP visit (edited)" and dialog.templates.form_title.text() == SOAP

    answer_prompt("Discard changes", "Discard changes")
    click(qtbot, dialog, "Close")
    assert not dialog.isVisible()
    assert _saved_template(session, SOAP).name == SOAP  # nothing was saved


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no name", "Give the template a name."),
        ("duplicate name", "A template named “phone NOTE” already exists."),
        ("choice without options", "Section “Smoking status” is a pick list"),
    ],
)
def test_a_refused_template_shows_why_and_saves_nothing(
    qtbot: QtBot,
    session_for: Callable[[str], DesktopSession],
    window: QWidget,
    case: str,
    message: str,
) -> None:
    session = session_for("drpatel")
    before = NoteTemplateService(session.ctx).templates(include_retired=True)
    dialog = _open(qtbot, session, window)
    _choose_template(qtbot, dialog, SOAP)
    name = find_by_name(dialog, QLineEdit, "Template name")
    if case == "no name":
        name.setFocus()
        name.selectAll()
        qtbot.keyClick(name, Qt.Key.Key_Delete)
    elif case == "duplicate name":
        _retype(qtbot, name, "phone NOTE")
    else:
        click(qtbot, dialog, "Add section")
        qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Section label"), "Smoking status")
        kind = find_by_name(dialog, QComboBox, "Section kind")
        kind.setCurrentIndex(kind.findData(SectionKind.CHOICE))
        _choose_section(qtbot, dialog, "Plan")  # the refusal brings the section back

    click(qtbot, dialog, "Save template")
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10000)
    assert message in dialog.message.text()
    assert dialog.message.property("role") == "error"
    assert NoteTemplateService(session.ctx).templates(include_retired=True) == before
    if case == "choice without options":
        assert find_by_name(dialog, QLineEdit, "Section label").text() == "Smoking status"
    elif case == "no name":
        assert name.hasFocus()
    answer_prompt("Discard changes", "Discard changes")
    dialog.reject()


def test_new_sections_with_the_same_label_get_keys_of_their_own(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    """Two sections may not share a key; the editor makes new keys unique, so the
    service's duplicate-key refusal cannot be reached from here."""
    session = session_for("drpatel")
    dialog = _open(qtbot, session, window)
    click(qtbot, dialog, "New template")
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Template name"), "Wound check")
    visit = find_by_name(dialog, QComboBox, "Visit type")
    assert visit.currentText() == "Any visit"
    for _ in range(2):
        click(qtbot, dialog, "Add section")
        qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Section label"), "Wound")
    _save(qtbot, dialog)

    saved = _saved_template(session, "Wound check")
    assert [s.key for s in saved.sections] == ["wound", "wound_2"]
    assert saved.encounter_type is None and saved.active
    assert "“Wound check” added" in dialog.message.text()


def test_retiring_asks_first_and_greys_the_template(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    session = session_for("drpatel")
    dialog = _open(qtbot, session, window)
    _choose_template(qtbot, dialog, "Progress note")
    kept = answer_prompt("Retire template", "Keep it")
    click(qtbot, dialog, "Retire template")
    assert kept and _saved_template(session, "Progress note").active

    answer_prompt("Retire template", "Retire template")
    with qtbot.waitSignal(dialog.templates.loaded, timeout=10000):
        click(qtbot, dialog, "Retire template")
    assert not _saved_template(session, "Progress note").active
    model = dialog.templates.model
    row = model.row_of(_saved_template(session, "Progress note").id)
    assert row == model.rowCount() - 1  # retired ones go last
    index = model.index(row, 0)
    assert index.data() == "Progress note (retired)"
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert not find_by_name(dialog, QLineEdit, "Template name").isEnabled()
    assert not dialog.ok_button.isEnabled()

    # A retired template can be used again as a copy.
    click(qtbot, dialog, "Duplicate template")
    name = find_by_name(dialog, QLineEdit, "Template name")
    assert name.isEnabled() and name.text() == "Progress note (copy)"
    _save(qtbot, dialog)
    copy = _saved_template(session, "Progress note (copy)")
    retired = _saved_template(session, "Progress note")
    assert copy.active and copy.id != retired.id and copy.sections == retired.sections


def test_someone_elses_newer_version_is_not_overwritten(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    session = session_for("drpatel")
    dialog = _open(qtbot, session, window)
    _choose_template(qtbot, dialog, SOAP)
    other = session_for("drokafor")
    shown = _saved_template(other, SOAP)
    NoteTemplateService(other.ctx).save_template(
        TemplateInput("SOAP office visit v2", shown.kind, shown.sections, shown.encounter_type),
        shown.id,
        shown.version,
    )
    _retype(qtbot, find_by_name(dialog, QLineEdit, "Template name"), "SOAP (mine)")
    click(qtbot, dialog, "Save template")
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10000)
    assert "Someone else changed this template" in dialog.message.text()
    assert _saved_template(other, "SOAP office visit v2").id == shown.id

    with qtbot.waitSignal(dialog.templates.loaded, timeout=10000):
        click(qtbot, dialog, "Reload template")
    assert find_by_name(dialog, QLineEdit, "Template name").text() == "SOAP office visit v2"


def test_a_practice_snippet_is_added_and_expands_in_notes(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    session = session_for("drpatel")
    (patient,) = register_patients(session.ctx, 1)
    dialog = _open(qtbot, session, window)
    dialog.tabs.setCurrentWidget(dialog.snippets)
    table = find_by_name(dialog, QTableView, "Snippets")
    assert [table.model().index(r, 0).data() for r in range(4)] == [
        ".vitals",
        ".problems",
        ".meds",
        ".allergies",
    ]
    _click_row(qtbot, table, 0)  # built in: shown, not editable
    assert find_by_name(dialog, QLineEdit, "Shortcut").isReadOnly()
    assert "latest vitals" in find_by_name(dialog, QPlainTextEdit, "Snippet text").toPlainText()
    assert not dialog.ok_button.isEnabled()

    click(qtbot, dialog, "New snippet")
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Shortcut"), ".sob")
    find_by_name(dialog, QPlainTextEdit, "Snippet text").setPlainText(
        "Short of breath on exertion."
    )
    _save(qtbot, dialog, "Save snippet")
    assert "“.sob” saved" in dialog.message.text()
    assert table.model().index(4, 0).data() == ".sob"

    expanded = NoteService(session.ctx).expand(patient, "Reports .sob since Monday.")
    assert expanded == "Reports Short of breath on exertion. since Monday."

    answer_prompt("Retire snippet", "Retire snippet")
    with qtbot.waitSignal(dialog.snippets.loaded, timeout=10000):
        click(qtbot, dialog, "Retire snippet")
    assert table.model().rowCount() == 4
    assert NoteService(session.ctx).expand(patient, "Reports .sob") == "Reports .sob"

    # A built-in shortcut cannot be taken.
    click(qtbot, dialog, "New snippet")
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Shortcut"), ".vitals")
    find_by_name(dialog, QPlainTextEdit, "Snippet text").setPlainText("BP only")
    click(qtbot, dialog, "Save snippet")
    qtbot.waitUntil(lambda: dialog.message.property("role") == "error", timeout=10000)
    assert "“.vitals” is built in" in dialog.message.text()
    assert len(NoteTemplateService(session.ctx).snippets()) == 4
    answer_prompt("Discard changes", "Discard changes")
    dialog.reject()


def test_a_nurse_cannot_edit_templates(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], window: QWidget
) -> None:
    session = session_for("nkim")
    assert open_template_editor(session, window) is None
    assert not window.findChildren(TemplateEditorDialog)
    service = NoteTemplateService(session.ctx)
    soap = next(t for t in service.templates() if t.name == SOAP)  # she may read them
    with pytest.raises(PermissionDenied):
        service.save_template(SOAP_OFFICE_VISIT, soap.id, soap.version)
    with pytest.raises(PermissionDenied):
        service.save_snippet(".sob", "Short of breath on exertion.")


def test_keys_made_from_labels_fit_the_services_rule() -> None:
    assert key_from_label("Follow-up", ()) == "follow_up"
    assert key_from_label("Café visit", ()) == "cafe_visit"
    assert key_from_label("2nd opinion", ()) == "section_2nd_opinion"
    assert key_from_label("—", ()) == "section"
    assert key_from_label("Plan", {"plan", "plan_2"}) == "plan_3"
    long = key_from_label("A very long label " * 5, {"a_very_long_label_a_very_long_label_a_ve"})
    assert len(long) <= 40 and long.endswith("_2")
