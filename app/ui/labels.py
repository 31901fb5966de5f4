"""Words shown for service values (roles, ...), written here so they can be translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models import PaymentMethod, Role


def role_label(role: Role) -> str:
    labels = {
        Role.ADMIN: QCoreApplication.translate("Role", "Administrator"),
        Role.PHYSICIAN: QCoreApplication.translate("Role", "Physician"),
        Role.NURSE: QCoreApplication.translate("Role", "Nurse"),
        Role.RECEPTIONIST: QCoreApplication.translate("Role", "Front desk"),
        Role.BILLER: QCoreApplication.translate("Role", "Billing"),
    }
    return labels.get(role, role.label)


def payment_method_label(method: PaymentMethod) -> str:
    """How the desk names a way of paying (US practice: a cheque is a "check")."""
    labels = {
        PaymentMethod.CASH: QCoreApplication.translate("PaymentMethod", "Cash"),
        PaymentMethod.CARD: QCoreApplication.translate("PaymentMethod", "Card"),
        PaymentMethod.CHEQUE: QCoreApplication.translate("PaymentMethod", "Check"),
        PaymentMethod.INSURANCE: QCoreApplication.translate("PaymentMethod", "Insurance"),
    }
    return labels[method]
