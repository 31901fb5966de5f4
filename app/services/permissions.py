"""Who may do what. Each use case declares its permission; the service refuses before
touching data. The UI reads the same table to hide what a role cannot do."""

from __future__ import annotations

import enum

from app.models.user import Role


class Permission(enum.StrEnum):
    # Foundation
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT_LOG = "view_audit_log"
    BACKUP_DATA = "backup_data"
    VERIFY_DATA = "verify_data"
    ROTATE_KEY = "rotate_key"
    # Patients and scheduling (front desk)
    VIEW_PATIENTS = "view_patients"
    REGISTER_PATIENTS = "register_patients"
    MERGE_PATIENTS = "merge_patients"
    MANAGE_PAYERS = "manage_payers"
    SCHEDULE = "schedule"
    DOUBLE_BOOK = "double_book"
    # Clinical
    VIEW_CHART = "view_chart"
    EDIT_CHART = "edit_chart"
    SIGN_NOTES = "sign_notes"
    PRESCRIBE = "prescribe"
    # Money
    VIEW_ACCOUNTS = "view_accounts"  # a patient's ledger, balance and payments
    POST_CHARGES = "post_charges"
    TAKE_PAYMENTS = "take_payments"
    MANAGE_CLAIMS = "manage_claims"
    VIEW_REPORTS = "view_reports"


_P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {
            _P.MANAGE_USERS,
            _P.MANAGE_SETTINGS,
            _P.VIEW_AUDIT_LOG,
            _P.BACKUP_DATA,
            _P.VERIFY_DATA,
            _P.ROTATE_KEY,
            _P.VIEW_PATIENTS,
            _P.REGISTER_PATIENTS,
            _P.MERGE_PATIENTS,
            _P.MANAGE_PAYERS,
            _P.SCHEDULE,
            _P.DOUBLE_BOOK,
            _P.VIEW_REPORTS,
        }
    ),
    Role.PHYSICIAN: frozenset(
        {
            _P.VIEW_PATIENTS,
            _P.REGISTER_PATIENTS,
            _P.SCHEDULE,
            _P.DOUBLE_BOOK,
            _P.VIEW_CHART,
            _P.EDIT_CHART,
            _P.SIGN_NOTES,
            _P.PRESCRIBE,
            _P.VIEW_ACCOUNTS,
            _P.POST_CHARGES,
            _P.VIEW_REPORTS,
        }
    ),
    Role.NURSE: frozenset(
        {
            _P.VIEW_PATIENTS,
            _P.REGISTER_PATIENTS,
            _P.SCHEDULE,
            _P.VIEW_CHART,
            _P.EDIT_CHART,
        }
    ),
    Role.RECEPTIONIST: frozenset(
        {
            _P.VIEW_PATIENTS,
            _P.REGISTER_PATIENTS,
            _P.MANAGE_PAYERS,
            _P.SCHEDULE,
            _P.VIEW_ACCOUNTS,
            _P.TAKE_PAYMENTS,
        }
    ),
    Role.BILLER: frozenset(
        {
            _P.VIEW_PATIENTS,
            _P.MANAGE_PAYERS,
            _P.VIEW_ACCOUNTS,
            _P.POST_CHARGES,
            _P.TAKE_PAYMENTS,
            _P.MANAGE_CLAIMS,
            _P.VIEW_REPORTS,
        }
    ),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
