"""The parts of a claim a practice rule can check, in the biller's words. Each path is a
dotted field of claim_document.Claim (claim_rules.field_type accepts every one); a path
through `lines` checks every service line."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models import ScrubCheck
from app.services.claim_rules import RULE_KIND_LABELS


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimSetupFields", text)


RULE_FIELDS: dict[str, str] = {
    "subscriber.member_id": _tr("Insured's member ID"),
    "subscriber.group_number": _tr("Insured's group number"),
    "subscriber.group_name": _tr("Insured's group (employer) name"),
    "subscriber.person.last_name": _tr("Insured's last name"),
    "subscriber.birth_date": _tr("Insured's date of birth"),
    "subscriber.address": _tr("Insured's address"),
    "subscriber.filing_indicator": _tr("Claim filing indicator (CI, MB, MC…)"),
    "patient.relationship_code": _tr("Patient's relationship to the insured"),
    "place_of_service": _tr("Place of service"),
    "diagnosis_codes": _tr("Diagnosis codes"),
    "prior_authorization": _tr("Prior authorization number"),
    "onset_on": _tr("Date of onset"),
    "payer_claim_number": _tr("Payer's claim number"),
    "frequency_code": _tr("Claim frequency (1 original, 7 corrected, 8 void)"),
    "rendering_provider.npi": _tr("Rendering provider's NPI"),
    "rendering_provider.taxonomy_code": _tr("Rendering provider's taxonomy"),
    "billing_provider.taxonomy_code": _tr("Billing provider's taxonomy"),
    "billing_provider.phone": _tr("Billing phone"),
    "lines.procedure_code": _tr("Each line: procedure code"),
    "lines.modifiers": _tr("Each line: modifiers"),
    "lines.units": _tr("Each line: units"),
    "lines.service_on": _tr("Each line: date of service"),
    "lines.place_of_service": _tr("Each line: place of service"),
}

CHECK_LABELS: dict[ScrubCheck, str] = {
    ScrubCheck(kind.value): _tr(label.capitalize()) for kind, label in RULE_KIND_LABELS.items()
}

# What the argument box asks for, by check.
ARGUMENT_HINTS: dict[ScrubCheck, str] = {
    ScrubCheck.REQUIRED: _tr("Nothing to fill in: the field must have a value."),
    ScrubCheck.PATTERN: _tr("A regular expression the whole value matches, e.g. [A-Z]{3}\\d{9}"),
    ScrubCheck.ONE_OF: _tr("The allowed values, separated by commas, e.g. 11, 02, 10"),
    ScrubCheck.NOT_ONE_OF: _tr("The values refused, separated by commas, e.g. 99499"),
    ScrubCheck.MAX_DAYS_AFTER_SERVICE: _tr("The number of days, e.g. 90"),
}


def field_label(path: str) -> str:
    """The plain label of a known field, else the path itself (a rule saved elsewhere)."""
    return RULE_FIELDS.get(path, path)


def rule_text(check: ScrubCheck, argument: str) -> str:
    """ "Pattern: [0-9]{5}", "Required", "Max days after service: 90"."""
    label = CHECK_LABELS[check]
    return f"{label}: {argument}" if argument else label
