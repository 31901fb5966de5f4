"""Words and formats shown for patient values, written here so they can be translated."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from app.models import PatientStatus, PhoneKind, SexAtBirth, SubscriberRelationship


def _tr(text: str) -> str:
    return QCoreApplication.translate("PatientLabels", text)


def sex_label(sex: SexAtBirth) -> str:
    return {
        SexAtBirth.FEMALE: _tr("Female"),
        SexAtBirth.MALE: _tr("Male"),
        SexAtBirth.UNKNOWN: _tr("Unknown"),
    }.get(sex, str(sex))


def sex_short(sex: SexAtBirth) -> str:
    return {SexAtBirth.FEMALE: _tr("F"), SexAtBirth.MALE: _tr("M")}.get(sex, _tr("U"))


def status_label(status: PatientStatus) -> str:
    return {
        PatientStatus.ACTIVE: _tr("Active"),
        PatientStatus.INACTIVE: _tr("Inactive"),
        PatientStatus.DECEASED: _tr("Deceased"),
        PatientStatus.MERGED: _tr("Merged"),
    }.get(status, str(status))


def phone_kind_label(kind: PhoneKind) -> str:
    return {
        PhoneKind.MOBILE: _tr("Mobile"),
        PhoneKind.HOME: _tr("Home"),
        PhoneKind.WORK: _tr("Work"),
    }.get(kind, str(kind))


def relationship_label(relation: SubscriberRelationship) -> str:
    return {
        SubscriberRelationship.SELF: _tr("Self (the patient holds the policy)"),
        SubscriberRelationship.SPOUSE: _tr("Spouse"),
        SubscriberRelationship.CHILD: _tr("Child"),
        SubscriberRelationship.OTHER: _tr("Other"),
    }.get(relation, str(relation))


def priority_label(priority: int) -> str:
    return {1: _tr("Primary"), 2: _tr("Secondary"), 3: _tr("Tertiary")}.get(priority, str(priority))


_REASONS = {
    "same or similar name": "Same or similar name",
    "first and last name swapped": "First and last name swapped",
    "same last name": "Same last name",
    "same date of birth": "Same date of birth",
    "date of birth differs by one typo": "Date of birth one typo away",
    "same phone number": "Same phone number",
    "name": "Name starts the same",
    "sounds like": "Name sounds alike",
    "date of birth": "Same date of birth",
    "phone": "Phone number",
    "MRN": "MRN",
    "member ID": "Insurance member ID",
}


def reason_label(reason: str) -> str:
    """A duplicate reason or a search's `matched_by`, as the desk reads it."""
    english = _REASONS.get(reason)
    return _tr(english) if english else reason


def date_text(value: date | None) -> str:
    """US order, as the desk types it: 03/14/1985."""
    if value is None:
        return ""
    return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"


def money_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100:,}.{cents % 100:02d}"


NO_VALUE = "—"
