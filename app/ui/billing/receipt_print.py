"""A payment's receipt, previewed before it is printed or saved. The receipt is read and drawn
on the worker and shown from memory; it reaches a file only if the person presses Save PDF…."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.models import PaymentMethod
from app.services.context import AppContext
from app.services.ledger_data import ReceiptData
from app.ui.labels import payment_method_label
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from app.ui.tasks import Task, error_message
from app.ui.widgets import box_button, message_box

if TYPE_CHECKING:
    from app.interop.receipt_pdf import Receipt


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReceiptPrint", text)


def reference_text(method: PaymentMethod, reference: str | None) -> str | None:
    """The reference as the receipt prints it after the method: Check (no. 1042)."""
    if not reference:
        return None
    if method is PaymentMethod.CHEQUE:
        return _tr("no. {number}").format(number=reference)
    if method is PaymentMethod.CARD:
        return _tr("ending {digits}").format(digits=reference)
    return reference


def receipt_document(data: ReceiptData, printed_at: datetime) -> Receipt:
    """The printed receipt of `data` (what the payment pays now, and what is left)."""
    from app.interop.receipt_pdf import Receipt, ReceiptLine  # reportlab: loaded when used

    return Receipt(
        practice_name=data.practice_name,
        practice_address=data.practice_address,
        practice_phone=data.practice_phone,
        receipt_number=data.receipt_number,
        received_on=data.received_on,
        patient_name=data.patient_name,
        account_number=data.mrn,
        method=payment_method_label(data.method),
        reference=reference_text(data.method, data.reference),
        amount_cents=data.amount_cents,
        applied=[
            ReceiptLine(line.service_on, f"{line.description} ({line.procedure_code})", line.cents)
            for line in data.lines
        ],
        unapplied_cents=data.credit_cents,
        balance_after_cents=data.patient_balance_cents,
        received_by=data.received_by,
        printed_at=printed_at,
    )


def make_receipt(ctx: AppContext, payment_id: str) -> tuple[str, bytes]:
    """On the worker: the receipt's number and its PDF (reading it is audited)."""
    from app.interop.receipt_pdf import receipt_pdf
    from app.services.payments import PaymentService
    from app.services.practice import PracticeInfo
    from app.services.schedule_rules import to_wall

    data = PaymentService(ctx).receipt(payment_id)
    printed_at = to_wall(ctx.clock.now(), PracticeInfo(ctx).summary().time_zone)
    return data.receipt_number, receipt_pdf(receipt_document(data, printed_at))


def show_receipt(session: DesktopSession, payment_id: str, parent: QWidget | None) -> Task:
    """Make the receipt of `payment_id` on the worker, then open it in the PDF preview
    (Print…, Save PDF…) over `parent`; a refusal shows in a message box."""
    task = session.run(make_receipt, session.ctx, payment_id, owner=parent)
    task.succeeded.connect(lambda made: open_receipt(session, made[0], made[1], parent))
    task.failed.connect(lambda error: _refused(error, parent))
    return task


def open_receipt(
    session: DesktopSession, number: str, pdf: bytes, parent: QWidget | None
) -> PdfPreviewDialog:
    title = _tr("Receipt {number}").format(number=number)
    # The receipt number, not the patient's name: file names show in folders.
    dialog = PdfPreviewDialog(pdf, f"{title}.pdf", session.runner, title=title, parent=parent)
    dialog.setAccessibleName(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # the bytes go with it
    dialog.open()
    if getattr(dialog, "print_button", None) is not None:
        dialog.print_button.setFocus()  # the desk's next step is to print it
    return dialog


def _refused(error: BaseException, parent: QWidget | None) -> None:
    box = message_box(parent, QMessageBox.Icon.Information, _tr("Receipt"), error_message(error))
    box_button(box, QMessageBox.StandardButton.Ok, _tr("OK"))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
