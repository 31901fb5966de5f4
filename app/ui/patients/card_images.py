"""Pictures of the insurance card, front and back: import a PNG or JPEG, preview, save."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QGridLayout, QLabel, QWidget

from app.services.context import AppContext
from app.services.insurance import CoverageService, CoverageView
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.labels import priority_label
from app.ui.session import DesktopSession
from app.ui.widgets import button, text_label

PREVIEW_W, PREVIEW_H = 380, 240
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg)"
SIDES = ("front", "back")


def load_sides(ctx: AppContext, coverage_id: str) -> dict[str, bytes | None]:
    """On the worker: both sides of the card (each read is audited)."""
    service = CoverageService(ctx)
    return {side: service.card_image(coverage_id, side) for side in SIDES}


class CardPreview(QLabel):
    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.setObjectName("CardPreview")
        self.setAccessibleName(accessible_name)
        self.setFixedSize(PREVIEW_W, PREVIEW_H)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.show_image(None)

    def show_image(self, data: bytes | None) -> bool:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.setPixmap(
                pixmap.scaled(
                    PREVIEW_W - 8,
                    PREVIEW_H - 8,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            return True
        self.setPixmap(QPixmap())
        self.setText(self.tr("No picture yet"))
        return False


class CardImagesDialog(PatientDialog):
    saved = Signal()

    def __init__(
        self, session: DesktopSession, coverage: CoverageView, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            self.tr("Insurance card pictures"),
            self.tr("Save pictures"),
            parent,
            subtitle=self.tr("{priority} · {payer} · member {member}").format(
                priority=priority_label(coverage.priority),
                payer=coverage.payer_name,
                member=coverage.member_id,
            ),
        )
        self.coverage = coverage
        self.images: dict[str, bytes | None] = dict.fromkeys(SIDES)
        self.previews: dict[str, CardPreview] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(8)
        titles = {"front": self.tr("Front"), "back": self.tr("Back")}
        for column, side in enumerate(SIDES):
            preview = CardPreview(self.tr("Card {side} picture").format(side=titles[side].lower()))
            self.previews[side] = preview
            choose = button(
                self.tr("Import {side}…").format(side=titles[side].lower()),
                self.tr("Import card {side}").format(side=titles[side].lower()),
            )
            choose.clicked.connect(lambda _=False, s=side: self.choose_file(s))
            remove = button(
                self.tr("Remove"),
                self.tr("Remove card {side}").format(side=titles[side].lower()),
                variant="link",
            )
            remove.clicked.connect(lambda _=False, s=side: self.set_image(s, None))
            grid.addWidget(text_label(titles[side], "heading"), 0, column)
            grid.addWidget(preview, 1, column)
            row = QGridLayout()
            row.addWidget(choose, 0, 0)
            row.addWidget(remove, 0, 1)
            row.setColumnStretch(2, 1)
            grid.addLayout(row, 2, column)
        self.content.addLayout(grid)
        self.content.addWidget(text_label(self.tr("PNG or JPEG, up to 5 MB each."), "hint"))
        self.ok_button.setEnabled(False)
        task = session.run(load_sides, session.ctx, coverage.id, owner=self)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self.failed)

    def _loaded(self, images: dict[str, bytes | None]) -> None:
        for side, data in images.items():
            self.set_image(side, data)
        self.ok_button.setEnabled(True)

    def choose_file(self, side: str) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the card picture"), str(Path.home()), self.tr(IMAGE_FILTER)
        )
        if path:
            self.import_file(side, Path(path))

    def import_file(self, side: str, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            self.message.show_message(self.tr("That file could not be read."))
            return
        if not self.previews[side].show_image(data):
            self.message.show_message(self.tr("That file is not a PNG or JPEG picture."))
            self.previews[side].show_image(self.images[side])
            return
        self.message.clear_message()
        self.images[side] = data

    def set_image(self, side: str, data: bytes | None) -> None:
        self.images[side] = data
        self.previews[side].show_image(data)

    def submit(self) -> None:
        service = CoverageService(self.session.ctx)
        self.run(
            service.set_card_images,
            self.coverage.id,
            self.images["front"],
            self.images["back"],
            done=lambda _none: self._saved(),
        )

    def _saved(self) -> None:
        self.saved.emit()
        self.accept()

    def done(self, result: int) -> None:
        self.images = dict.fromkeys(SIDES)
        for preview in self.previews.values():
            preview.show_image(None)
        super().done(result)
