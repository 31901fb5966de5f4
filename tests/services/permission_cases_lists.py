"""Permission-table rows for the chart's lists (issue #5): problems, allergies, medications,
history and immunizations. Only clinicians (physicians and nurses) read or write a chart.

Refused calls of one module share a practice, so each `prepare` first looks for what an
earlier one made (a second active "I10" would be refused as a duplicate).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.models import AllergyStatus, HistoryKind, ProblemStatus
from app.services.allergies import AllergyChange, AllergyInput, AllergyService
from app.services.context import AppContext
from app.services.histories import (
    FamilyHistoryInput,
    HistoryService,
    PastHistoryInput,
    SocialInput,
)
from app.services.immunizations import ImmunizationInput, ImmunizationService
from app.services.medications import MedicationInput, MedicationService
from app.services.permissions import Permission
from app.services.problems import ProblemChange, ProblemInput, ProblemService
from tests.services.helpers import query
from tests.services.permission_table import CLINICAL, Target, UseCase

CLINICIAN = "drpatel"  # who prepares a row for a call to act on


def _latest(ctx: AppContext, table: str, t: Target, where: str = "1 = 1") -> dict[str, Any] | None:
    """The target's newest row not entered in error, read without a use case (no audit)."""
    rows = query(
        ctx,
        f"SELECT id, version FROM {table} WHERE patient_id = ? AND error_at IS NULL "
        f"AND {where} ORDER BY created_at DESC LIMIT 1",
        t.patient_id,
    )
    return rows[0] if rows else None


def _row(ctx: AppContext, table: str, t: Target, where: str = "1 = 1") -> dict[str, Any]:
    row = _latest(ctx, table, t, where)
    assert row is not None, f"prepare made no {table} row"
    return row


# -- problems ------------------------------------------------------------------------


def _problem(ctx: AppContext, t: Target) -> object:
    if _latest(ctx, "problem", t, "status = 'active'") is None:
        return ProblemService(ctx).add(t.patient_id, ProblemInput("I10"))
    return None


def _resolve_problem(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "problem", t, "status = 'active'")
    change = ProblemChange(ProblemStatus.RESOLVED, resolved_on=date(2026, 1, 2))
    return ProblemService(ctx).update(row["id"], change, row["version"])


def _strike_problem(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "problem", t)
    return ProblemService(ctx).mark_entered_in_error(row["id"], "wrong chart", row["version"])


# -- allergies -----------------------------------------------------------------------


def _allergy(ctx: AppContext, t: Target) -> object:
    if _latest(ctx, "allergy", t, "status = 'active' AND no_known = 0") is None:
        return AllergyService(ctx).add(t.patient_id, AllergyInput("Penicillin"))
    return None


def _inactivate_allergy(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "allergy", t, "no_known = 0")
    change = AllergyChange(AllergyStatus.INACTIVE, note="tolerated amoxicillin")
    return AllergyService(ctx).update(row["id"], change, row["version"])


def _strike_allergy(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "allergy", t)
    return AllergyService(ctx).mark_entered_in_error(row["id"], "wrong chart", row["version"])


# -- medications ---------------------------------------------------------------------


def _medication(ctx: AppContext, t: Target) -> object:
    if _latest(ctx, "medication", t, "status = 'active'") is None:
        return MedicationService(ctx).add(t.patient_id, MedicationInput("Lisinopril 10 mg tablet"))
    return None


def _stop_medication(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "medication", t, "status = 'active'")
    return MedicationService(ctx).stop(row["id"], date(2026, 1, 4), "cough", row["version"])


def _strike_medication(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "medication", t)
    return MedicationService(ctx).mark_entered_in_error(row["id"], "wrong chart", row["version"])


# -- history -------------------------------------------------------------------------


def _past(ctx: AppContext, t: Target) -> object:
    data = PastHistoryInput(HistoryKind.SURGICAL, "Appendectomy", when_text="1998")
    return HistoryService(ctx).add_past(t.patient_id, data)


def _strike_past(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "past_history", t)
    return HistoryService(ctx).mark_past_entered_in_error(row["id"], "wrong chart")


def _family(ctx: AppContext, t: Target) -> object:
    data = FamilyHistoryInput("mother", "Breast cancer", age_at_onset=61)
    return HistoryService(ctx).add_family(t.patient_id, data)


def _strike_family(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "family_history", t)
    return HistoryService(ctx).mark_family_entered_in_error(row["id"], "wrong chart")


def _save_social(ctx: AppContext, t: Target) -> object:
    rows = query(ctx, "SELECT version FROM social_history WHERE patient_id = ?", t.patient_id)
    version = rows[0]["version"] if rows else None
    return HistoryService(ctx).save_social(t.patient_id, SocialInput(occupation="Teacher"), version)


# -- immunizations -------------------------------------------------------------------


def _immunization(ctx: AppContext, t: Target) -> object:
    data = ImmunizationInput("140", date(2026, 1, 5), lot_number="FLU-24", route="IM")
    return ImmunizationService(ctx).record(t.patient_id, data)


def _strike_immunization(ctx: AppContext, t: Target) -> object:
    row = _row(ctx, "immunization", t)
    return ImmunizationService(ctx).mark_entered_in_error(row["id"], "wrong chart")


def _case(name: str, permission: Permission, call: Any, **more: Any) -> UseCase:
    return UseCase(name, permission, CLINICAL, call, prepare_as=CLINICIAN, **more)


_VIEW, _EDIT = Permission.VIEW_CHART, Permission.EDIT_CHART

CASES: list[UseCase] = [
    _case(
        "ProblemService.search_codes",
        _VIEW,
        lambda c, t: ProblemService(c).search_codes("type 2 diabetes"),
        audited=False,  # the code set names no patient
    ),
    _case(
        "ProblemService.add",
        _EDIT,
        lambda c, t: ProblemService(c).add(t.patient_id, ProblemInput("E11.9")),
    ),
    _case("ProblemService.update", _EDIT, _resolve_problem, prepare=_problem),
    _case("ProblemService.mark_entered_in_error", _EDIT, _strike_problem, prepare=_problem),
    _case(
        "ProblemService.for_patient",
        _VIEW,
        lambda c, t: ProblemService(c).for_patient(t.patient_id),
        prepare=_problem,
    ),
    _case(
        "AllergyService.add",
        _EDIT,
        lambda c, t: AllergyService(c).add(t.patient_id, AllergyInput("Peanut")),
    ),
    _case(
        "AllergyService.record_no_known_allergies",
        _EDIT,
        lambda c, t: AllergyService(c).record_no_known_allergies(t.patient_id),
    ),
    _case("AllergyService.update", _EDIT, _inactivate_allergy, prepare=_allergy),
    _case("AllergyService.mark_entered_in_error", _EDIT, _strike_allergy, prepare=_allergy),
    _case(
        "AllergyService.for_patient",
        _VIEW,
        lambda c, t: AllergyService(c).for_patient(t.patient_id),
    ),
    _case(
        "MedicationService.add",
        _EDIT,
        lambda c, t: MedicationService(c).add(
            t.patient_id, MedicationInput("Atorvastatin 20 mg tablet", "1 tablet nightly")
        ),
    ),
    _case("MedicationService.stop", _EDIT, _stop_medication, prepare=_medication),
    _case(
        "MedicationService.mark_entered_in_error", _EDIT, _strike_medication, prepare=_medication
    ),
    _case(
        "MedicationService.for_patient",
        _VIEW,
        lambda c, t: MedicationService(c).for_patient(t.patient_id),
    ),
    _case("HistoryService.add_past", _EDIT, _past),
    _case("HistoryService.mark_past_entered_in_error", _EDIT, _strike_past, prepare=_past),
    _case(
        "HistoryService.past_history",
        _VIEW,
        lambda c, t: HistoryService(c).past_history(t.patient_id),
    ),
    _case("HistoryService.add_family", _EDIT, _family),
    _case("HistoryService.mark_family_entered_in_error", _EDIT, _strike_family, prepare=_family),
    _case(
        "HistoryService.family_history",
        _VIEW,
        lambda c, t: HistoryService(c).family_history(t.patient_id),
    ),
    _case("HistoryService.social", _VIEW, lambda c, t: HistoryService(c).social(t.patient_id)),
    _case("HistoryService.save_social", _EDIT, _save_social),
    _case(
        "ImmunizationService.vaccines",
        _VIEW,
        lambda c, t: ImmunizationService(c).vaccines(),
        audited=False,  # the CVX list names no patient
    ),
    _case(
        "ImmunizationService.search_vaccines",
        _VIEW,
        lambda c, t: ImmunizationService(c).search_vaccines("shingles"),
        audited=False,
    ),
    _case("ImmunizationService.record", _EDIT, _immunization),
    _case(
        "ImmunizationService.mark_entered_in_error",
        _EDIT,
        _strike_immunization,
        prepare=_immunization,
    ),
    _case(
        "ImmunizationService.for_patient",
        _VIEW,
        lambda c, t: ImmunizationService(c).for_patient(t.patient_id),
    ),
]

SERVICES: list[type] = [
    ProblemService,
    AllergyService,
    MedicationService,
    HistoryService,
    ImmunizationService,
]
