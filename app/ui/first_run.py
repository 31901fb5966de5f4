"""First run: the data folder has no practice yet. Create one, or open the demo practice."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.services.clock import Clock
from app.services.demo import (
    DEMO_PATIENTS,
    DEMO_PRACTICE_NAME,
    DemoPractice,
    create_demo_practice,
)
from app.services.practice_setup import CreatedPractice, NewPractice, create_practice
from app.storage.keyslots import DEFAULT_KDF, KdfParams
from app.storage.paths import PracticePaths
from app.ui.demo_page import DemoPasswordForm, DemoReadyPage
from app.ui.practice_form import PracticeForm
from app.ui.recovery_page import RecoveryCodePage
from app.ui.resources import icon
from app.ui.tasks import TaskRunner, error_message
from app.ui.widgets import BusyBar, MessageLabel, brand_header, button, card, centered, text_label


class ChoiceButton(QPushButton):
    """A large button with a bold title and a line of explanation under it."""

    def __init__(self, title: str, description: str, icon_name: str) -> None:
        super().__init__()
        self.setProperty("variant", "choice")
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 14, 18, 14)
        row.setSpacing(16)
        glyph = QLabel()
        glyph.setPixmap(icon(icon_name, "#1b6e8a").pixmap(32, 32))
        row.addWidget(glyph, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        heading = QLabel(title)
        heading.setProperty("role", "heading")
        detail = QLabel(description)
        detail.setProperty("role", "muted")
        texts.addWidget(heading)
        texts.addWidget(detail)
        row.addLayout(texts, 1)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class FirstRunWindow(QWidget):
    """Emits `ready_to_sign_in(username, practice_name)` when a practice exists."""

    ready_to_sign_in = Signal(str, str)

    def __init__(
        self,
        paths: PracticePaths,
        runner: TaskRunner,
        clock: Clock,
        *,
        kdf: KdfParams = DEFAULT_KDF,
    ) -> None:
        super().__init__()
        self.setObjectName("FirstRunWindow")
        self.setWindowTitle(self.tr("Welcome to Stethos"))
        self.resize(820, 700)
        self._paths = paths
        self._runner = runner
        self._clock = clock
        self._kdf = kdf
        self._next_username = ""
        self._practice_name = ""

        self.create_choice = ChoiceButton(
            self.tr("Create a practice"),
            self.tr("Set up your practice on this computer. You become its first administrator."),
            "practice",
        )
        self.demo_choice = ChoiceButton(
            self.tr("Open the demo practice"),
            self.tr("Try Stethos with sample staff accounts. Nothing here is real data."),
            "patients",
        )
        self.practice_form = PracticeForm()
        self.demo_form = DemoPasswordForm(str(paths.data_dir))
        self.recovery_page = RecoveryCodePage(runner)
        self.demo_ready = DemoReadyPage()
        self.message = MessageLabel("error", self.tr("Setup message"))
        self.busy = BusyBar()
        self.busy_note = text_label("", "muted")
        self.busy_note.hide()
        self.create_button = button(
            self.tr("Create practice"), self.tr("Create practice"), variant="primary"
        )
        self.demo_button = button(
            self.tr("Create the demo practice"),
            self.tr("Create the demo practice"),
            variant="primary",
        )

        self.pages = QStackedWidget()
        self.pages.addWidget(self._choice_page())
        self.pages.addWidget(self._form_page(self.practice_form, self.create_button))
        self.pages.addWidget(self._form_page(self.demo_form, self.demo_button))
        self.pages.addWidget(self.recovery_page)
        self.pages.addWidget(self.demo_ready)

        frame, body = card(margins=32, spacing=18)
        body.addWidget(
            brand_header(
                self.tr("Welcome to Stethos"),
                self.tr("Your practice's records stay encrypted on this computer."),
            )
        )
        body.addWidget(self.pages, 1)
        body.addWidget(self.message)
        body.addWidget(self.busy_note)
        body.addWidget(self.busy)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addWidget(centered(frame, 680))

        self.create_choice.clicked.connect(lambda: self._go(1))
        self.demo_choice.clicked.connect(lambda: self._go(2))
        self.create_button.clicked.connect(self.create_practice)
        self.practice_form.submitted.connect(self.create_practice)
        self.demo_button.clicked.connect(self.demo_form.submit)
        self.demo_form.submitted.connect(self.create_demo)
        self.recovery_page.continued.connect(self._finish)
        self.demo_ready.continued.connect(self._finish)

    # -- pages ---------------------------------------------------------------------------

    def _choice_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("How would you like to start?"), "heading"))
        layout.addWidget(self.create_choice)
        layout.addWidget(self.demo_choice)
        layout.addStretch(1)
        return page

    def _form_page(self, form: QWidget, submit: QPushButton) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(form)
        layout.addStretch(1)
        layout.addSpacing(10)
        row = QHBoxLayout()
        back = button(self.tr("Back"), self.tr("Back"))
        back.clicked.connect(lambda: self._go(0))
        row.addWidget(back)
        row.addStretch(1)
        row.addWidget(submit)
        layout.addLayout(row)
        return page

    def _go(self, index: int) -> None:
        self.message.clear_message()
        self.pages.setCurrentIndex(index)
        first_field = {
            0: self.create_choice,
            1: self.practice_form.practice_name,
            2: self.demo_form.password,
        }
        if index in first_field:
            first_field[index].setFocus()

    # -- actions -------------------------------------------------------------------------

    def create_practice(self) -> None:
        if not self.practice_form.validate():
            return
        new = self.practice_form.value()
        self._set_busy(True, self.tr("Creating the encrypted practice file…"))
        task = self._runner.submit(
            create_practice,
            self._paths,
            new,
            clock=self._clock,
            kdf=self._kdf,
            owner=self,
            name="create_practice",
        )
        task.succeeded.connect(lambda created: self._practice_created(new, created))
        task.failed.connect(self._failed)

    def _practice_created(self, new: NewPractice, created: CreatedPractice) -> None:
        self._set_busy(False)
        self._next_username = new.admin_username.strip().lower()
        self._practice_name = new.practice_name
        created_on = self._clock.now().astimezone(ZoneInfo(new.time_zone)).date()
        self.practice_form.password.clear()
        self.practice_form.confirm.clear()
        self.recovery_page.show_code(new.practice_name, created.recovery_code, created_on)
        self.pages.setCurrentWidget(self.recovery_page)

    def create_demo(self, password: str) -> None:
        self._set_busy(
            True,
            self.tr(
                "Creating the demo practice: its staff, {n:,} patients and a year of "
                "appointments. This takes about a minute…"
            ).format(n=DEMO_PATIENTS),
        )
        task = self._runner.submit(
            create_demo_practice,
            self._paths,
            password,
            patients=DEMO_PATIENTS,
            clock=self._clock,
            kdf=self._kdf,
            owner=self,
            name="create_demo_practice",
        )
        task.succeeded.connect(self._demo_created)
        task.failed.connect(self._failed)

    def _demo_created(self, demo: DemoPractice) -> None:
        self._set_busy(False)
        self.demo_form.password.clear()
        self.demo_form.confirm.clear()
        self._next_username = demo.users[0].username
        self._practice_name = DEMO_PRACTICE_NAME
        self.demo_ready.show_users(demo.users)
        self.pages.setCurrentWidget(self.demo_ready)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.message.show_message(error_message(error))

    def _set_busy(self, busy: bool, note: str = "") -> None:
        self.pages.setEnabled(not busy)
        self.busy.setVisible(busy)
        self.busy_note.setText(note)
        self.busy_note.setVisible(busy and bool(note))
        if busy:
            self.message.clear_message()

    def _finish(self) -> None:
        self.ready_to_sign_in.emit(self._next_username, self._practice_name)
