"""The note templates every new practice starts with (the practice may edit or retire them)."""

from __future__ import annotations

from app.models import EncounterType, NoteKind
from app.services.note_data import SectionKind, TemplateInput, TemplateSection

TEXT, CHOICE, MULTI = SectionKind.TEXT, SectionKind.CHOICE, SectionKind.MULTI

_FOLLOW_UP = TemplateSection(
    "follow_up",
    "Follow-up",
    CHOICE,
    ("As needed", "1 week", "2 weeks", "1 month", "3 months", "6 months", "1 year"),
)
_REVIEW_OF_SYSTEMS = TemplateSection(
    "ros",
    "Review of systems (positives)",
    MULTI,
    (
        "Fever",
        "Chills",
        "Fatigue",
        "Weight change",
        "Headache",
        "Vision change",
        "Sore throat",
        "Chest pain",
        "Palpitations",
        "Shortness of breath",
        "Cough",
        "Abdominal pain",
        "Nausea or vomiting",
        "Diarrhea",
        "Constipation",
        "Painful urination",
        "Joint pain",
        "Back pain",
        "Rash",
        "Dizziness",
        "Numbness or tingling",
        "Low mood",
        "Anxiety",
    ),
    "All other systems reviewed and negative.",
)

SOAP_OFFICE_VISIT = TemplateInput(
    "SOAP office visit",
    NoteKind.DOCTOR,
    (
        TemplateSection("hpi", "Subjective (HPI)", TEXT, text="Chief complaint: "),
        _REVIEW_OF_SYSTEMS,
        TemplateSection(
            "meds_allergies", "Medications and allergies reviewed", TEXT, text=".meds\n.allergies"
        ),
        TemplateSection("objective", "Objective", TEXT, text=".vitals\nGeneral: \nExam: "),
        TemplateSection("assessment", "Assessment", TEXT, text=".problems"),
        TemplateSection("plan", "Plan", TEXT),
        _FOLLOW_UP,
    ),
    EncounterType.OFFICE_VISIT,
)

TELEHEALTH_VISIT = TemplateInput(
    "Telehealth visit",
    NoteKind.DOCTOR,
    (
        TemplateSection("modality", "Visit by", CHOICE, ("Video", "Audio only")),
        TemplateSection(
            "consent",
            "Consent",
            CHOICE,
            (
                "Patient consented to a telehealth visit",
                "Parent or guardian consented to a telehealth visit",
            ),
        ),
        TemplateSection("location", "Patient's location during the visit", TEXT),
        TemplateSection("hpi", "Subjective (HPI)", TEXT, text="Chief complaint: "),
        TemplateSection("objective", "Observed", TEXT, text="Patient-reported vitals: "),
        TemplateSection("assessment", "Assessment", TEXT, text=".problems"),
        TemplateSection("plan", "Plan", TEXT),
        _FOLLOW_UP,
    ),
    EncounterType.TELEHEALTH,
)

PHONE_NOTE = TemplateInput(
    "Phone note",
    NoteKind.PROGRESS,
    (
        TemplateSection(
            "caller",
            "Caller",
            CHOICE,
            (
                "Patient",
                "Parent or guardian",
                "Caregiver",
                "Pharmacy",
                "Other practice or hospital",
            ),
        ),
        TemplateSection("reason", "Reason for call", TEXT),
        TemplateSection("advice", "Advice given", TEXT),
        TemplateSection(
            "outcome",
            "Outcome",
            CHOICE,
            (
                "Advice only",
                "Appointment booked",
                "Prescription sent",
                "Message to provider",
                "Sent to the emergency department",
            ),
        ),
    ),
    EncounterType.PHONE,
)

NURSING_NOTE = TemplateInput(
    "Nursing note",
    NoteKind.NURSING,
    (
        TemplateSection("reason", "Reason for visit", TEXT),
        TemplateSection("vitals", "Vitals", TEXT, text=".vitals"),
        TemplateSection("allergies", "Allergies", TEXT, text=".allergies"),
        TemplateSection("interventions", "Interventions", TEXT),
        TemplateSection(
            "education",
            "Patient education",
            MULTI,
            (
                "Medication use",
                "Side effects to watch for",
                "Wound care",
                "Vaccine information statement given",
                "When to call or come back",
            ),
        ),
        TemplateSection("plan", "Plan and follow-up", TEXT),
    ),
    EncounterType.NURSING_VISIT,
)

PROGRESS_NOTE = TemplateInput(
    "Progress note",
    NoteKind.PROGRESS,
    (
        TemplateSection("interval", "Interval history", TEXT),
        TemplateSection("meds", "Current medications", TEXT, text=".meds"),
        TemplateSection("assessment", "Assessment", TEXT),
        TemplateSection("plan", "Plan", TEXT),
    ),
)

DEFAULT_TEMPLATES = (SOAP_OFFICE_VISIT, TELEHEALTH_VISIT, PHONE_NOTE, NURSING_NOTE, PROGRESS_NOTE)
