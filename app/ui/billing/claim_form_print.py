"""A claim on paper: the CMS-1500 (02/12) as a full replica on plain paper, or only its
data for red pre-printed forms, moved by this machine's printer offset. The PDF is drawn
on the worker and previewed from memory; it reaches a file only through Save PDF…."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.claim_device import ClaimDeviceSettings
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from app.ui.tasks import Task
from app.ui.widgets import box_button, message_box, pressed_name


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimFormPrint", text)


def claim_form_pdf(ctx: AppContext, claim_id: str, replica: bool) -> tuple[str, bytes]:
    """On the worker: the claim's number and its CMS-1500 PDF (reading it is audited)."""
    from app.interop.cms1500_pdf import cms1500_pdf  # reportlab: loaded when used
    from app.services.practice import PracticeInfo
    from app.services.schedule_rules import to_wall

    document = ClaimService(ctx).document(claim_id)
    today = to_wall(ctx.clock.now(), PracticeInfo(ctx).summary().time_zone).date()
    if replica:
        return document.control_number, cms1500_pdf([document], form=True, signed_on=today)
    offset = ClaimDeviceSettings(ctx).form_offset()
    pdf = cms1500_pdf(
        [document],
        form=False,
        offset_x_mm=offset.x_mm,
        offset_y_mm=offset.y_mm,
        signed_on=today,
    )
    return document.control_number, pdf


def ask_form_kind(parent: QWidget | None) -> bool | None:
    """True: the replica on plain paper; False: data for pre-printed forms; None: cancelled."""
    box = message_box(
        parent,
        QMessageBox.Icon.Question,
        _tr("Print CMS-1500"),
        _tr("How will you print this claim?"),
        _tr(
            "The replica draws the whole red form on plain paper. For pre-printed forms, only "
            "the claim's data is printed, moved by this computer's printer offset (set in "
            "Claim setup)."
        ),
    )
    box_button(box, _tr("Replica on plain paper"), object_name="replica")
    box_button(box, _tr("For pre-printed forms"), object_name="data")
    box_button(box, _tr("Cancel"), role=QMessageBox.ButtonRole.RejectRole)
    chosen = pressed_name(box)
    return {"replica": True, "data": False}.get(chosen)


def show_claim_form(session: DesktopSession, claim_id: str, replica: bool, parent: QWidget) -> Task:
    """Draw the form on the worker, then preview it (Print…, Save PDF…) over `parent`."""
    task = session.run(claim_form_pdf, session.ctx, claim_id, replica, owner=parent)
    task.succeeded.connect(lambda made: open_claim_form(session, made[0], made[1], replica, parent))
    return task


def open_claim_form(
    session: DesktopSession, number: str, pdf: bytes, replica: bool, parent: QWidget | None
) -> PdfPreviewDialog:
    kind = _tr("CMS-1500") if replica else _tr("CMS-1500 data")
    title = _tr("{kind} for claim {number}").format(kind=kind, number=number)
    # The claim number, never the patient's name: file names show in folders.
    name = f"CMS-1500 {number}.pdf" if replica else f"CMS-1500 data {number}.pdf"
    dialog = PdfPreviewDialog(pdf, name, session.runner, title=title, parent=parent)
    dialog.setAccessibleName(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # the bytes go with it
    dialog.open()
    return dialog
