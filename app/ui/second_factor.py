"""Setting up 2-step sign-in: scan the code with an authenticator app, type one code back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.users import AccountService, SecondFactorSetup
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, button, line_edit, text_label

QR_MODULE_PX = 6


def qr_pixmap(text: str, module_px: int = QR_MODULE_PX) -> QPixmap:
    """A QR code for `text`, drawn square by square (crisp at any scale)."""
    import qrcode  # only when someone sets up 2-step sign-in, not at every start

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix) * module_px
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(
                    x * module_px, y * module_px, module_px, module_px, Qt.GlobalColor.black
                )
    painter.end()
    return QPixmap.fromImage(image)


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class SecondFactorDialog(QDialog):
    """Shows a new secret; 2-step sign-in is switched on only once a code from it checks."""

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setup: SecondFactorSetup | None = None
        self.setWindowTitle(self.tr("Set up 2-step sign-in"))
        self.setMinimumWidth(520)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName(self.tr("QR code for the authenticator app"))
        self.secret = text_label("", "mono", wrap=False)
        self.secret.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.secret.setAccessibleName(self.tr("Key to type into the authenticator app"))
        self.code = line_edit(self.tr("6-digit code"), placeholder="123 456")
        self.code.setMaxLength(7)
        self.message = MessageLabel("error", self.tr("2-step sign-in message"))
        self.busy = BusyBar()
        self.ok_button = button(
            self.tr("Turn on"), self.tr("Turn on 2-step sign-in"), variant="primary"
        )
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.ok_button.clicked.connect(self.submit)
        cancel = button(self.tr("Cancel"), self.tr("Cancel"))
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(text_label(self.tr("Set up 2-step sign-in"), "heading"))
        layout.addWidget(
            text_label(
                self.tr(
                    "Scan this code with an authenticator app on your phone (or type the key "
                    "below into it). From then on, signing in asks for the 6-digit code the "
                    "app shows."
                ),
                "muted",
            )
        )
        layout.addWidget(self.qr)
        layout.addWidget(self.secret, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(text_label(self.tr("Type the code the app shows now:")))
        layout.addWidget(self.code)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(cancel)
        actions.addWidget(self.ok_button)
        layout.addLayout(actions)
        self.busy.show()
        task = session.run(AccountService(session.ctx).start_second_factor, owner=self)
        task.succeeded.connect(self._show_setup)
        task.failed.connect(self._failed)

    def _show_setup(self, setup: SecondFactorSetup) -> None:
        self.setup = setup
        self.busy.hide()
        self.qr.setPixmap(qr_pixmap(setup.provisioning_uri))
        self.secret.setText(grouped(setup.secret))
        self.ok_button.setEnabled(True)
        self.code.setFocus()

    def submit(self) -> None:
        if self.setup is None:
            return
        self.ok_button.setEnabled(False)
        self.busy.show()
        self.message.clear_message()
        code = self.code.text().replace(" ", "")
        task = self.session.run(
            AccountService(self.session.ctx).confirm_second_factor, self.setup, code, owner=self
        )
        task.succeeded.connect(lambda _: self.accept())
        task.failed.connect(self._failed)

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(self.setup is not None)
        self.busy.hide()
        self.message.show_message(error_message(error))
        self.code.setFocus()

    def clear_sensitive(self) -> None:
        """The secret must not stay on screen when the workstation locks."""
        self.setup = None
        self.secret.clear()
        self.qr.clear()
        self.reject()
