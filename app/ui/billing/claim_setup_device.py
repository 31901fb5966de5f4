"""This machine's claim settings: the folder 837P batches are written to (the practice's
default unless chosen), and how far this printer is off when printing onto pre-printed red
CMS-1500 forms — with a test sheet to print on a blank form and compare."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFileDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.interop.cms1500_pdf import cms1500_pdf
from app.interop.cms1500_sample import sample_claim
from app.services.claim_device import MAX_OFFSET_MM, ClaimDeviceSettings, FormOffset
from app.services.context import AppContext
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, card, inline_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("DeviceCard", text)


@dataclass(frozen=True)
class DeviceSettings:
    outbox: Path | None  # None: the practice's default
    upload: Path | None  # the clearinghouse's upload folder; None: files wait in the outbox
    offset: FormOffset


def load_device(ctx: AppContext) -> DeviceSettings:
    settings = ClaimDeviceSettings(ctx)
    return DeviceSettings(
        settings.outbox_folder(), settings.clearinghouse_folder(), settings.form_offset()
    )


def set_outbox(ctx: AppContext, folder: Path | None) -> DeviceSettings:
    ClaimDeviceSettings(ctx).set_outbox_folder(folder)
    return load_device(ctx)


def set_upload(ctx: AppContext, folder: Path | None) -> DeviceSettings:
    ClaimDeviceSettings(ctx).set_clearinghouse_folder(folder)
    return load_device(ctx)


def sample_form_pdf(ctx: AppContext, x_mm: float, y_mm: float) -> bytes:
    """The made-up sample claim, data only, shifted as the spin boxes say."""
    sample = sample_claim(ctx.clock.now().date())
    return cms1500_pdf([sample], form=False, offset_x_mm=x_mm, offset_y_mm=y_mm)


def _offset_box(name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setAccessibleName(name)
    box.setRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)
    box.setSingleStep(0.1)
    box.setDecimals(1)
    box.setSuffix(_tr(" mm"))
    box.setFixedWidth(110)
    return box


class DeviceCard(QWidget):
    preview_opened = Signal(object)  # the PdfPreviewDialog of the test form
    loaded = Signal()

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.outbox = text_label("")
        self.outbox.setAccessibleName(_tr("Claims outbox folder"))
        self.choose_button = button(_tr("Choose…"), _tr("Choose outbox folder"))
        self.choose_button.clicked.connect(self.choose_folder)
        self.default_button = button(_tr("Use default"), _tr("Use default outbox folder"))
        self.default_button.clicked.connect(lambda: self.set_folder(None))
        self.upload = text_label("")
        self.upload.setAccessibleName(_tr("Clearinghouse upload folder"))
        self.upload_button = button(_tr("Choose…"), _tr("Choose clearinghouse folder"))
        self.upload_button.clicked.connect(self.choose_upload)
        self.no_upload_button = button(_tr("None"), _tr("No clearinghouse folder"))
        self.no_upload_button.clicked.connect(lambda: self.set_upload(None))
        self.x_mm = _offset_box(_tr("Offset right"))
        self.y_mm = _offset_box(_tr("Offset down"))
        self.save_offset_button = button(_tr("Save offset"), _tr("Save printer offset"))
        self.save_offset_button.clicked.connect(self.save_offset)
        self.test_button = button(
            _tr("Print a test form…"), _tr("Print a test form"), icon_name="printer"
        )
        self.test_button.clicked.connect(self.print_test_form)
        self.message = MessageLabel("error", _tr("This machine message"))

        frame, body = card(20, 10)
        body.addWidget(text_label(_tr("This machine"), "heading"))
        body.addWidget(
            text_label(_tr("Kept on this computer only: another computer keeps its own."), "muted")
        )
        body.addWidget(text_label(_tr("Claim files (837P) are written to"), "muted"))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.outbox, 1)
        folder_row.addWidget(self.choose_button)
        folder_row.addWidget(self.default_button)
        body.addLayout(folder_row)
        body.addWidget(text_label(_tr("Then handed to the clearinghouse's upload folder"), "muted"))
        upload_row = QHBoxLayout()
        upload_row.addWidget(self.upload, 1)
        upload_row.addWidget(self.upload_button)
        upload_row.addWidget(self.no_upload_button)
        body.addLayout(upload_row)
        body.addWidget(text_label(_tr("CMS-1500 printer offset"), "muted"))
        body.addWidget(inline_row(_tr("Right"), self.x_mm, 8, _tr("Down"), self.y_mm, None))
        body.addWidget(
            text_label(
                _tr(
                    "Print the test form on a blank red form, hold it to the light and move "
                    "the text by the millimetres it is off (negative: left or up)."
                ),
                "hint",
            )
        )
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.test_button)
        actions.addWidget(self.save_offset_button)
        body.addLayout(actions)
        body.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)

    def reload(self) -> None:
        task = self.session.run(load_device, self.session.ctx, owner=self)
        task.succeeded.connect(self._show)
        task.failed.connect(self._failed)

    def _show(self, settings: DeviceSettings) -> None:
        self._show_folder(settings)
        self.x_mm.setValue(settings.offset.x_mm)
        self.y_mm.setValue(settings.offset.y_mm)
        self.loaded.emit()

    def _show_folder(self, settings: DeviceSettings) -> None:
        if settings.outbox is None:
            self.outbox.setText(
                _tr("{folder} (the default)").format(folder=self.session.paths.claims_outbox)
            )
        else:
            self.outbox.setText(str(settings.outbox))
        self.default_button.setEnabled(settings.outbox is not None)
        if settings.upload is None:
            self.upload.setText(_tr("None: files wait in the outbox for you to upload them"))
        else:
            self.upload.setText(str(settings.upload))
        self.no_upload_button.setEnabled(settings.upload is not None)

    def choose_folder(self) -> None:
        start = str(self.session.paths.claims_outbox.parent)
        folder = QFileDialog.getExistingDirectory(self, _tr("Folder for claim files"), start)
        if folder:
            self.set_folder(Path(folder))

    def choose_upload(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _tr("The clearinghouse's upload folder"), str(Path.home())
        )
        if folder:
            self.set_upload(Path(folder))

    def set_upload(self, folder: Path | None) -> None:
        self.message.clear_message()
        task = self.session.run(set_upload, self.session.ctx, folder, owner=self)
        task.succeeded.connect(self._show_folder)
        task.failed.connect(self._failed)

    def set_folder(self, folder: Path | None) -> None:
        self.message.clear_message()
        task = self.session.run(set_outbox, self.session.ctx, folder, owner=self)
        task.succeeded.connect(self._show_folder)
        task.failed.connect(self._failed)

    def offset(self) -> FormOffset:
        return FormOffset(self.x_mm.value(), self.y_mm.value())

    def save_offset(self) -> None:
        self.message.clear_message()
        settings = ClaimDeviceSettings(self.session.ctx)
        task = self.session.run(settings.set_form_offset, self.offset(), owner=self)
        task.succeeded.connect(
            lambda saved: self.message.show_as(
                "notice",
                _tr("Saved: {x} mm right, {y} mm down.").format(x=saved.x_mm, y=saved.y_mm),
            )
        )
        task.failed.connect(self._failed)

    def print_test_form(self) -> None:
        offset = self.offset()
        task = self.session.run(
            sample_form_pdf, self.session.ctx, offset.x_mm, offset.y_mm, owner=self
        )
        task.succeeded.connect(self._preview)
        task.failed.connect(self._failed)

    def _preview(self, pdf: bytes) -> None:
        dialog = PdfPreviewDialog(
            pdf,
            "cms1500-test-form.pdf",
            self.session.runner,
            title=_tr("CMS-1500 test form (sample, not a claim)"),
            parent=self,
        )
        dialog.open()
        self.preview_opened.emit(dialog)

    def _failed(self, error: BaseException) -> None:
        self.message.show_as("error", error_message(error))

    def clear_sensitive(self) -> None:
        self.outbox.setText("")
        self.upload.setText("")
        self.x_mm.setValue(0)
        self.y_mm.setValue(0)
        self.message.clear_message()
