"""Note templates and the practice's snippets: the defaults a practice starts with, real
validation, and what retiring does."""

from __future__ import annotations

import pytest

from app.models import EncounterType, NoteKind
from app.services.errors import ConcurrentChange, DomainError, PermissionDenied
from app.services.note_data import NoteStart, SectionKind, TemplateInput, TemplateSection
from app.services.note_templates import NoteTemplateService
from app.services.notes import NoteService
from tests.services.scheduling_helpers import Office, office_fixture  # noqa: F401

TEXT, CHOICE, MULTI = SectionKind.TEXT, SectionKind.CHOICE, SectionKind.MULTI
WOUND_CHECK = TemplateInput(
    "  Wound   check ",
    NoteKind.NURSING,
    (
        TemplateSection(" Site ", "Site", TEXT, text=".allergies"),
        TemplateSection("healing", " Healing ", CHOICE, (" Good ", "Slow", "", "Infected")),
        TemplateSection("care", "Care given", MULTI, ("Cleaned", "Dressed"), "Tolerated well."),
    ),
    EncounterType.NURSING_VISIT,
)


def test_a_new_practice_has_the_default_templates(office: Office) -> None:
    templates = NoteTemplateService(office.ctx("nkim")).templates()
    by_name = {t.name: t for t in templates}
    assert set(by_name) == {
        "SOAP office visit",
        "Telehealth visit",
        "Phone note",
        "Nursing note",
        "Progress note",
    }
    soap = by_name["SOAP office visit"]
    assert soap.kind is NoteKind.DOCTOR and soap.encounter_type is EncounterType.OFFICE_VISIT
    sections = {s.key: s for s in soap.sections}
    assert sections["hpi"].label == "Subjective (HPI)"
    assert sections["ros"].kind is MULTI and "Shortness of breath" in sections["ros"].options
    assert sections["objective"].text.startswith(".vitals")
    assert sections["assessment"].text == ".problems"
    assert "plan" in sections
    assert by_name["Telehealth visit"].encounter_type is EncounterType.TELEHEALTH
    assert by_name["Phone note"].encounter_type is EncounterType.PHONE
    assert by_name["Nursing note"].kind is NoteKind.NURSING
    assert by_name["Progress note"].encounter_type is None
    assert by_name["Progress note"].encounter_type_label == "Any visit"
    assert all(t.active for t in templates)
    seeded = office.rows("SELECT count(*) AS n FROM sync_outbox WHERE table_name = 'note_template'")
    assert seeded[0]["n"] == 5  # ready to sync like any practice data


def test_templates_are_offered_by_kind_and_visit_type(office: Office) -> None:
    service = NoteTemplateService(office.ctx("drpatel"))
    assert [t.name for t in service.templates(NoteKind.DOCTOR)] == [
        "SOAP office visit",
        "Telehealth visit",
    ]
    progress_for_calls = service.templates(NoteKind.PROGRESS, EncounterType.PHONE)
    assert [t.name for t in progress_for_calls] == ["Phone note", "Progress note"]
    assert [t.name for t in service.templates(encounter_type=EncounterType.TELEHEALTH)] == [
        "Telehealth visit",
        "Progress note",
    ]


def test_a_template_is_saved_tidied_and_audited(office: Office) -> None:
    service = NoteTemplateService(office.ctx("drpatel"))
    before = len(office.audit())
    saved = service.save_template(WOUND_CHECK)
    assert saved.name == "Wound check" and saved.version == 1
    assert [s.key for s in saved.sections] == ["site", "healing", "care"]
    assert saved.sections[1].label == "Healing"
    assert saved.sections[1].options == ("Good", "Slow", "Infected")
    assert saved.sections[2].text == "Tolerated well."
    (event,) = office.audit()[before:]
    assert (event["action"], event["category"], event["entity_id"]) == (
        "create",
        "note_template",
        saved.id,
    )

    note = NoteService(office.ctx("nkim")).start(
        office.patient("ana"), NoteStart(NoteKind.NURSING, saved.id)
    )
    assert note.sections[0].text == "Allergies not recorded"
    assert note.sections[1].options == ("Good", "Slow", "Infected")
    assert note.title == "Wound check"

    renamed = TemplateInput("Wound review", NoteKind.NURSING, WOUND_CHECK.sections)
    changed = service.save_template(renamed, saved.id, saved.version)
    assert changed.version == 2 and changed.name == "Wound review"
    assert changed.encounter_type is None
    with pytest.raises(ConcurrentChange):
        service.save_template(WOUND_CHECK, saved.id, saved.version)
    # The note already started keeps the sections it was made with.
    assert NoteService(office.ctx("nkim")).get(note.id).title == "Wound check"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (TemplateInput("  ", NoteKind.NURSING, WOUND_CHECK.sections), "name"),
        (TemplateInput("x" * 101, NoteKind.NURSING, WOUND_CHECK.sections), "under 100"),
        (TemplateInput("Empty", NoteKind.NURSING, ()), "at least one section"),
        (
            TemplateInput(
                "Twice",
                NoteKind.NURSING,
                (TemplateSection("a", "One"), TemplateSection("A", "Two")),
            ),
            "Two sections use the key “a”",
        ),
        (
            TemplateInput("Bad key", NoteKind.NURSING, (TemplateSection("1st", "First"),)),
            "must start with a letter",
        ),
        (
            TemplateInput("No label", NoteKind.NURSING, (TemplateSection("a", " "),)),
            "label",
        ),
        (
            TemplateInput(
                "One option", NoteKind.NURSING, (TemplateSection("a", "Pick", CHOICE, ("Yes",)),)
            ),
            "at least 2 options",
        ),
        (
            TemplateInput("No options", NoteKind.NURSING, (TemplateSection("a", "Pick", MULTI),)),
            "at least 1 option",
        ),
        (
            TemplateInput(
                "Same option",
                NoteKind.NURSING,
                (TemplateSection("a", "Pick", CHOICE, ("Yes", "yes")),),
            ),
            "an option twice",
        ),
        (
            TemplateInput(
                "Odd kind",
                NoteKind.NURSING,
                (TemplateSection("a", "Odd", "slider"),),  # type: ignore[arg-type]
            ),
            "text, a single choice or a multiple choice",
        ),
        (
            TemplateInput("nursing NOTE", NoteKind.NURSING, WOUND_CHECK.sections),
            "already exists",
        ),
    ],
)
def test_a_template_that_does_not_make_sense_is_refused(
    office: Office, template: TemplateInput, message: str
) -> None:
    before = office.snapshot()
    with pytest.raises(DomainError, match=message):
        NoteTemplateService(office.ctx("drpatel")).save_template(template)
    assert office.snapshot() == before


def test_a_retired_template_is_no_longer_offered(office: Office) -> None:
    service = NoteTemplateService(office.ctx("drokafor"))
    phone = next(t for t in service.templates() if t.name == "Phone note")
    retired = service.retire_template(phone.id)
    assert not retired.active
    assert "Phone note" not in [t.name for t in service.templates()]
    assert "Phone note" in [t.name for t in service.templates(include_retired=True)]
    with pytest.raises(DomainError, match="retired"):
        NoteService(office.ctx("nkim")).start(
            office.patient("ana"), NoteStart(NoteKind.PROGRESS, phone.id)
        )
    with pytest.raises(DomainError, match="already retired"):
        service.retire_template(phone.id)
    # Its name is free again for a new one.
    assert service.save_template(
        TemplateInput("Phone note", NoteKind.PROGRESS, (TemplateSection("call", "Call"),))
    ).active


def test_only_physicians_edit_templates(office: Office) -> None:
    before = office.snapshot()
    with pytest.raises(PermissionDenied):
        NoteTemplateService(office.ctx("nkim")).save_template(WOUND_CHECK)
    with pytest.raises(PermissionDenied):
        NoteTemplateService(office.ctx("nkim")).save_snippet(".sob", "Short of breath.")
    assert office.snapshot() == before


# -- snippets -----------------------------------------------------------------------------


def test_practice_snippets_are_listed_after_the_built_in_ones(office: Office) -> None:
    service = NoteTemplateService(office.ctx("drpatel"))
    saved = service.save_snippet("  .SOB ", "  Short of breath on exertion. ")
    assert (saved.shortcut, saved.text, saved.builtin) == (
        ".sob",
        "Short of breath on exertion.",
        False,
    )
    listed = service.snippets()
    assert [s.shortcut for s in listed] == [".vitals", ".problems", ".meds", ".allergies", ".sob"]
    assert all(s.builtin for s in listed[:4])
    assert saved.id is not None and saved.version == 1
    changed = service.save_snippet(".sob", "Dyspnea on exertion.", saved.id, saved.version)
    assert changed.text == "Dyspnea on exertion." and changed.version == 2
    assert [(e["action"], e["category"]) for e in office.audit()[-2:]] == [
        ("create", "note_snippet"),
        ("update", "note_snippet"),
    ]


@pytest.mark.parametrize(
    ("shortcut", "text", "message"),
    [
        ("sob", "Short of breath.", "a dot followed by"),
        (".s", "Short of breath.", "a dot followed by"),
        (".short breath", "Short of breath.", "a dot followed by"),
        ("." + "a" * 21, "Short of breath.", "a dot followed by"),
        (".VITALS", "My vitals.", "built in"),
        (".meds", "My meds.", "built in"),
        (".sob", "   ", "Write the text"),
    ],
)
def test_a_snippet_needs_a_proper_shortcut_of_its_own(
    office: Office, shortcut: str, text: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        NoteTemplateService(office.ctx("drpatel")).save_snippet(shortcut, text)


def test_a_shortcut_is_used_once_and_retiring_frees_it(office: Office) -> None:
    service = NoteTemplateService(office.ctx("drpatel"))
    first = service.save_snippet(".sob", "Short of breath.")
    assert first.id is not None
    with pytest.raises(DomainError, match="already has"):
        service.save_snippet(".sob", "Something else.")
    service.retire_snippet(first.id)
    ana = office.patient("ana")
    assert NoteService(office.ctx("drpatel")).expand(ana, "Pt .sob") == "Pt .sob"
    with pytest.raises(DomainError, match="already retired"):
        service.retire_snippet(first.id)
    again = service.save_snippet(".sob", "Dyspnea.")
    assert NoteService(office.ctx("drpatel")).expand(ana, "Pt .sob") == "Pt Dyspnea."
    assert [s.id for s in service.snippets() if not s.builtin] == [again.id]
