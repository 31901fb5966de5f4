"""The patient banner: who this screen is about, on top of every patient-specific screen.

Legal name (and the name they go by), age, sex, date of birth, MRN and primary phone, with
a coloured edge and a chip when the record is inactive, deceased or merged. The Chart fills
in allergies; alerts show "—" until decision support lands. Given the session, the banner
reads the account's balance itself (for those who may see accounts) and follows its changes.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.models import PatientStatus
from app.services.bus import LedgerChanged
from app.services.ledger import LedgerService
from app.services.ledger_data import AccountBalance, money
from app.services.patient_data import PatientRecord
from app.services.permissions import Permission
from app.ui.notices import NoticeBridge
from app.ui.patients.labels import NO_VALUE, date_text, sex_label, status_label
from app.ui.session import DesktopSession

AVATAR_SIZE = 60


class Avatar(QWidget):
    """The patient's photo in a circle, or their initials when there is none."""

    def __init__(self) -> None:
        super().__init__()
        self.setFixedSize(AVATAR_SIZE, AVATAR_SIZE)
        self._initials = ""
        self._photo: QPixmap | None = None

    def set_initials(self, initials: str) -> None:
        self._initials = initials
        self.update()

    def set_photo(self, photo: QPixmap | None) -> None:
        self._photo = photo if photo is not None and not photo.isNull() else None
        self.update()

    @property
    def has_photo(self) -> bool:
        return self._photo is not None

    def sizeHint(self) -> QSize:
        return QSize(AVATAR_SIZE, AVATAR_SIZE)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        circle = QPainterPath()
        circle.addEllipse(QRectF(0.5, 0.5, AVATAR_SIZE - 1, AVATAR_SIZE - 1))
        if self._photo is not None:
            painter.setClipPath(circle)
            scaled = self._photo.scaled(
                AVATAR_SIZE,
                AVATAR_SIZE,
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            )
            x = (scaled.width() - AVATAR_SIZE) // 2
            y = (scaled.height() - AVATAR_SIZE) // 2
            painter.drawPixmap(0, 0, scaled, x, y, AVATAR_SIZE, AVATAR_SIZE)
            return
        painter.fillPath(circle, QColor("#dbe9ee"))
        if self._initials:
            font = QFont(self.font())
            font.setPointSizeF(15)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("#155a71"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._initials)


class PatientBanner(QFrame):
    def __init__(self, session: DesktopSession | None = None) -> None:
        super().__init__()
        actor = session.ctx.actor if session else None
        # Only those who may see accounts get the balance (one small read per patient).
        self._session = session if actor and actor.can(Permission.VIEW_ACCOUNTS) else None
        self._balance_of: str | None = None  # the patient whose balance is shown or coming
        self.setObjectName("PatientBanner")
        self.setAccessibleName(self.tr("Patient banner"))
        self.setProperty("status", "none")
        self.avatar = Avatar()
        self.name = self._label("BannerName", self.tr("Patient name"))
        self.preferred = self._label("BannerPreferred", self.tr("Goes by"))
        self.status_chip = self._label("StatusChip", self.tr("Patient status"))
        self.facts = self._label("BannerFacts", self.tr("Patient details"))
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.allergies = self._placeholder(self.tr("Allergies"), self.tr("Shown in the chart"))
        self.allergies[1].setToolTip(self.tr("Allergies are shown in the patient's chart."))
        self._allergies_unknown_tip = self.allergies[1].toolTip()
        self.alerts = self._placeholder(self.tr("Alerts"), self.tr("Comes with decision support"))
        self.balance = self._placeholder(self.tr("Balance"), self.tr("Patient's part"))
        self.balance[1].setToolTip("")
        if self._session is not None:
            self._ledger = NoticeBridge(self._session.ctx.bus, LedgerChanged, parent=self)
            self._ledger.received.connect(self._ledger_changed)

        name_row = QHBoxLayout()
        name_row.setSpacing(10)
        name_row.addWidget(self.name)
        name_row.addWidget(self.preferred, 0, Qt.AlignmentFlag.AlignVCenter)
        name_row.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        name_row.addStretch(1)
        who = QVBoxLayout()
        who.setSpacing(4)
        who.addLayout(name_row)
        who.addWidget(self.facts)
        extras = QGridLayout()
        extras.setHorizontalSpacing(28)
        extras.setVerticalSpacing(0)
        shown = [self.allergies, self.alerts] + ([self.balance] if self._session else [])
        if self._session is None:
            for part in self.balance:  # kept, never shown: the rest of the banner is the same
                part.setParent(self)
                part.hide()
        for column, (caption, value, hint) in enumerate(shown):
            extras.addWidget(caption, 0, column)
            extras.addWidget(value, 1, column)
            extras.addWidget(hint, 2, column)
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 12, 22, 12)
        row.setSpacing(16)
        row.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(who, 1)
        row.addLayout(extras)
        self.clear()

    def _label(self, object_name: str, accessible_name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(object_name)
        label.setAccessibleName(accessible_name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _placeholder(self, caption: str, hint: str) -> tuple[QLabel, QLabel, QLabel]:
        title = QLabel(caption.upper())
        title.setObjectName("BannerCaption")
        value = self._label("BannerValue", caption)
        value.setText(NO_VALUE)
        value.setToolTip(
            self.tr("{what}: not recorded in Stethos yet ({hint}).").format(
                what=caption, hint=hint.lower()
            )
        )
        note = QLabel(hint)
        note.setObjectName("BannerHint")
        return title, value, note

    # -- contents ------------------------------------------------------------------------

    def show_patient(self, record: PatientRecord) -> None:
        middle = f" {record.middle_name[0]}." if record.middle_name else ""
        suffix = f" {record.suffix}" if record.suffix else ""
        self.name.setText(f"{record.last_name}{suffix}, {record.first_name}{middle}")
        preferred = record.preferred_name
        show_preferred = bool(preferred) and preferred != record.first_name
        self.preferred.setText(self.tr("Goes by “{name}”").format(name=preferred))
        self.preferred.setVisible(show_preferred)
        self.avatar.set_initials((record.first_name[:1] + record.last_name[:1]).upper())
        parts = [
            f"<b>{record.age}</b>",
            sex_label(record.sex_at_birth),
            self.tr("DOB {date}").format(date=date_text(record.date_of_birth)),
            self.tr("MRN <b>{mrn}</b>").format(mrn=record.mrn),
            record.primary_phone or self.tr("no phone on file"),
        ]
        self.facts.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))
        self._show_status(record)
        if record.id != self._balance_of:
            self._set_balance_unknown()
        self._load_balance(record.id)

    def _show_status(self, record: PatientRecord) -> None:
        status = record.status
        text = status_label(status).upper()
        if status is PatientStatus.DECEASED and record.deceased_on:
            text = self.tr("DECEASED {date}").format(date=date_text(record.deceased_on))
        self.status_chip.setText(text)
        self.status_chip.setVisible(status is not PatientStatus.ACTIVE)
        self.status_chip.setProperty("status", status.value)
        self._set_status(status.value)

    def show_allergies(self, text: str, detail: str, severe: bool = False) -> None:
        """What the chart says about allergies (the Chart fills this in)."""
        _caption, value, hint = self.allergies
        value.setText(text)
        value.setToolTip(detail)
        value.setProperty("severity", "severe" if severe else "known")
        value.style().unpolish(value)
        value.style().polish(value)
        hint.hide()

    def _load_balance(self, patient_id: str) -> None:
        if self._session is None:
            return
        self._balance_of = patient_id
        ledger = LedgerService(self._session.ctx)
        task = self._session.run(ledger.balance, patient_id, owner=self)
        task.succeeded.connect(lambda found: self._balance_loaded(patient_id, found))

    def _balance_loaded(self, patient_id: str, balance: AccountBalance) -> None:
        if patient_id == self._balance_of:  # not a late answer about someone else
            self.show_balance(balance)

    def _ledger_changed(self, notice: LedgerChanged) -> None:
        if self._balance_of and self._balance_of in notice.patient_ids:
            self._load_balance(self._balance_of)

    def show_balance(self, balance: AccountBalance) -> None:
        """What the patient owes after their credit; insurance's part in the tooltip."""
        _caption, value, hint = self.balance
        owed = balance.patient_cents
        value.setText(
            money(owed) if owed >= 0 else self.tr("credit {amount}").format(amount=money(-owed))
        )
        lines = [
            self.tr("The patient owes {amount}.").format(amount=money(max(owed, 0))),
            self.tr("Insurance owes {amount}.").format(amount=money(balance.insurance_cents)),
        ]
        if balance.unapplied_credit_cents:
            lines.append(
                self.tr("Credit on the account (on no charge yet): {amount}.").format(
                    amount=money(balance.unapplied_credit_cents)
                )
            )
        value.setToolTip("\n".join(lines))
        value.setProperty("severity", "known")
        value.style().unpolish(value)
        value.style().polish(value)
        hint.hide()

    def _set_balance_unknown(self) -> None:
        _caption, value, hint = self.balance
        value.setText(NO_VALUE)
        value.setToolTip("")
        value.setProperty("severity", "none")
        value.style().unpolish(value)
        value.style().polish(value)
        hint.setVisible(self._session is not None)

    def show_photo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data:
            pixmap.loadFromData(data)
        self.avatar.set_photo(pixmap if data else None)

    def clear(self) -> None:
        """Nothing about anyone (the screen locks, or no patient is open)."""
        for label in (self.name, self.preferred, self.facts, self.status_chip):
            label.setText("")
        self.preferred.hide()
        self.status_chip.hide()
        self.avatar.set_initials("")
        self.avatar.set_photo(None)
        _caption, allergies, hint = self.allergies
        allergies.setText(NO_VALUE)
        allergies.setToolTip(self._allergies_unknown_tip)
        allergies.setProperty("severity", "none")
        hint.show()
        self._balance_of = None
        self._set_balance_unknown()
        self._set_status("none")

    def _set_status(self, status: str) -> None:
        for widget in (self, self.status_chip):
            widget.style().unpolish(widget)
        self.setProperty("status", status)
        for widget in (self, self.status_chip):
            widget.style().polish(widget)
