"""Day close: the business day's books as the front desk and the biller balance them —
what the day's entries did to the accounts receivable, the money taken in by method, each
provider's charges and payments — then "Close day…" once it balances. Totals only: no
patient is named. The report refreshes when any account changes (LedgerChanged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from app.models import PaymentMethod
from app.services.bus import DayClosed, LedgerChanged
from app.services.context import AppContext
from app.services.ledger_data import DayReport
from app.services.ledger_reports import DailyCloseService
from app.services.practice import PracticeInfo, PracticeSummary
from app.ui.billing.amount_table import AmountLine, AmountTable
from app.ui.billing.day_picker import DayPicker
from app.ui.labels import payment_method_label
from app.ui.notices import NoticeBridge
from app.ui.resources import icon
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import (
    BusyBar,
    MessageLabel,
    add_shortcuts,
    box_button,
    button,
    card,
    message_box,
    pressed_name,
    text_label,
)

REFRESH_DELAY_MS = 250  # a payment posts several notices at once: reload once after them

# A balanced day reads as good news; the theme's "error" role says the opposite.
_BANNER_STYLE = """
QLabel#BalancedBanner { color: #1d5b34; background: #e8f4ec;
    border: 1px solid #b8dbc4; border-radius: 6px; padding: 8px 10px; font-weight: 600; }
"""


def day_lines(report: DayReport) -> list[tuple[str, int]]:
    """Each line as it moves the accounts receivable (money taken in lowers it), so the
    lines add up to the day's net change when the day balances."""
    return [
        ("Charges", report.charges_cents),
        ("Receipts", -report.receipts_cents),
        ("Adjustments", report.adjustments_cents),
        ("Write-offs", report.write_offs_cents),
        ("Refunds", report.refunds_cents),
        ("Reversals", report.reversals_cents),
        ("Transfers", report.transfers_cents),
    ]


def receipts_by_method(report: DayReport) -> list[tuple[str, int]]:
    """Every method, in the drawer's order, $0.00 where nothing came in."""
    return [(payment_method_label(m), report.receipts_by_method.get(m, 0)) for m in PaymentMethod]


def short_day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def closed_text(report: DayReport, zone: str) -> str | None:
    """'Closed by Luis Romero on Jan 5, 2026 at 5:42 PM' (practice time), or None."""
    if report.closed_at is None:
        return None
    wall = report.closed_at.astimezone(ZoneInfo(zone))
    return f"Closed by {report.closed_by} on {short_day(wall.date())} at {wall:%I:%M %p}".replace(
        " at 0", " at "
    )


@dataclass(frozen=True)
class DayBooks:
    report: DayReport
    practice: PracticeSummary


def load_day(ctx: AppContext, day: date | None) -> DayBooks:
    """The day's report (today's, in the practice's time zone, when `day` is None)."""
    practice = PracticeInfo(ctx).summary()
    return DayBooks(DailyCloseService(ctx).preview(day or practice.today), practice)


def print_day(books: DayBooks, printed_at: datetime) -> bytes:
    # Loaded when first used: the PDF writer (reportlab) would slow every sign-in.
    from app.interop.day_close_pdf import DayCloseSheet, ProviderLine, day_close_pdf

    report = books.report
    sheet = DayCloseSheet(
        practice_name=books.practice.name,
        day=report.day,
        lines=day_lines(report),
        net_cents=report.net_cents,
        receipts_by_method=receipts_by_method(report),
        providers=[
            ProviderLine(p.provider_name, p.charges_cents, p.payments_cents)
            for p in report.by_provider
        ],
        problems=report.problems,
        closed=closed_text(report, books.practice.time_zone),
        printed_at=printed_at,
    )
    return day_close_pdf(sheet)


class DayClosePanel(QWidget):
    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.books: DayBooks | None = None
        self.preview: QWidget | None = None
        self._day: date | None = None  # None: the practice's today, once known
        self._generation = 0
        self._cleared = False
        self.setStyleSheet(_BANNER_STYLE)

        self.picker = DayPicker(self.tr("Business day"), arrows=True)
        self.picker.day_chosen.connect(self.go_to)
        self.picker.add_step_keys(self)
        self.status = text_label("", "muted", wrap=False)
        self.status.setAccessibleName(self.tr("Day status"))
        self.lock_mark = QLabel()  # a closed day wears a padlock beside "Closed by …"
        self.lock_mark.setPixmap(icon("lock", "#155a71").pixmap(16, 16))
        self.lock_mark.hide()
        self.print_button = button(
            self.tr("Print report…"), self.tr("Print report"), icon_name="printer"
        )
        self.print_button.setToolTip(self.tr("Preview and print the day's report (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_report)
        self.close_button = button(self.tr("Close day…"), self.tr("Close day"), variant="primary")
        self.close_button.clicked.connect(self.close_day)
        self.busy = BusyBar()
        self.balanced = text_label(self.tr("Balanced ✓   The money taken in matches the ledger."))
        self.balanced.setObjectName("BalancedBanner")
        self.balanced.setAccessibleName(self.tr("Balanced"))
        self.balanced.hide()
        self.problems = MessageLabel("error", self.tr("Why the day does not balance"))
        self.message = MessageLabel("error", self.tr("Day close message"))

        self.lines = AmountTable((self.tr("Line"), self.tr("Amount")), self.tr("Day totals"))
        self.methods = AmountTable(
            (self.tr("Method"), self.tr("Received")), self.tr("Receipts by method")
        )
        self.providers = AmountTable(
            (self.tr("Provider"), self.tr("Charges"), self.tr("Payments")),
            self.tr("By provider"),
        )
        self.no_providers = text_label(self.tr("No charges or payments on this day."), "muted")
        self.no_providers.hide()

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.picker)
        top.addWidget(self.lock_mark)
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.close_button)

        totals, totals_body = card(margins=18, spacing=8)
        totals_body.addWidget(text_label(self.tr("The day's entries"), "heading"))
        totals_body.addWidget(
            text_label(self.tr("What the day's postings did to the accounts receivable."), "hint")
        )
        totals_body.addWidget(self.lines)
        totals_body.addStretch(1)
        money_in, money_body = card(margins=18, spacing=8)
        money_body.addWidget(text_label(self.tr("Receipts by method"), "heading"))
        money_body.addWidget(self.methods)
        money_body.addSpacing(10)
        money_body.addWidget(text_label(self.tr("By provider"), "heading"))
        money_body.addWidget(self.providers)
        money_body.addWidget(self.no_providers)
        money_body.addStretch(1)
        cards = QGridLayout()
        cards.setHorizontalSpacing(16)
        cards.addWidget(totals, 0, 0)
        cards.addWidget(money_in, 0, 1)
        cards.setColumnStretch(0, 1)
        cards.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)  # as the other Billing tabs
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.balanced)
        layout.addWidget(self.problems)
        layout.addWidget(self.message)
        layout.addLayout(cards)
        layout.addStretch(1)

        add_shortcuts(
            self,
            [
                (QKeySequence.StandardKey.Print, self.print_report),
                (QKeySequence.StandardKey.Refresh, self.reload),
            ],
        )
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self._refresh_if_open)
        self._notices = NoticeBridge(session.ctx.bus, LedgerChanged, DayClosed, parent=self)
        self._notices.received.connect(lambda _notice: self._refresh.start())
        self._show_actions()

    @property
    def day(self) -> date | None:
        return self._day

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self._cleared = False
        self._generation += 1
        generation = self._generation
        self.busy.show()
        self._show_actions()
        task = self.session.run(load_day, self.session.ctx, self._day, owner=self)
        task.succeeded.connect(lambda books: self._loaded(books, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def go_to(self, day: date) -> None:
        self._day = day
        self.reload()

    def _refresh_if_open(self) -> None:
        if not self._cleared and self.books is not None:
            self.reload()

    def _loaded(self, books: DayBooks, generation: int) -> None:
        if generation != self._generation or self._cleared:
            return
        self.busy.hide()
        self.message.clear_message()
        self._show(books)

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation != self._generation or self._cleared:
            return
        self.busy.hide()
        self.message.show_as("error", error_message(error))
        self._show_actions()

    # -- what is shown -------------------------------------------------------------------

    def _show(self, books: DayBooks) -> None:
        self.books = books
        report = books.report
        self._day = report.day
        self.picker.set_day(report.day, today=books.practice.today)
        self.lines.set_lines(
            [AmountLine(label, label, (cents,)) for label, cents in day_lines(report)]
            + [AmountLine("net", self.tr("Net change in A/R"), (report.net_cents,), total=True)]
        )
        methods = receipts_by_method(report)
        self.methods.set_lines(
            [AmountLine(label, label, (cents,)) for label, cents in methods]
            + [AmountLine("total", self.tr("Total received"), (report.receipts_cents,), total=True)]
        )
        self.providers.set_lines(
            [
                AmountLine(
                    p.provider_id or p.provider_name,
                    p.provider_name,
                    (p.charges_cents, p.payments_cents),
                )
                for p in report.by_provider
            ]
        )
        self.providers.setVisible(bool(report.by_provider))
        self.no_providers.setVisible(not report.by_provider)
        self._show_balance(books)
        self.status.setText(self._status_text(books))
        closed = books.report.closed_at is not None
        self.lock_mark.setVisible(closed)
        self.status.setStyleSheet("color: #155a71; font-weight: 600;" if closed else "")
        self._show_actions()

    def _show_balance(self, books: DayBooks) -> None:
        """Balanced or why not; nothing for a day still to come (there is nothing to count)."""
        report = books.report
        to_come = report.day > books.practice.today
        self.balanced.setVisible(report.balanced and not to_come)
        if report.balanced:
            self.problems.clear_message()
        else:
            problems = "".join(f"<li>{escape(problem)}</li>" for problem in report.problems)
            self.problems.show_message(
                self.tr("<b>This day does not balance.</b>")
                + f"<ul style='margin:4px 0 0 -20px'>{problems}</ul>"
            )

    def _status_text(self, books: DayBooks) -> str:
        report = books.report
        closed = closed_text(report, books.practice.time_zone)
        if closed:
            return closed
        if report.day > books.practice.today:
            return self.tr("This day has not come yet.")
        return self.tr("Open: not closed yet")

    def _show_actions(self) -> None:
        books = None if self.busy.isVisible() else self.books
        self.print_button.setEnabled(books is not None)
        reason = self._cannot_close(books)
        self.close_button.setEnabled(reason is None)
        self.close_button.setToolTip(
            reason or self.tr("Close the books for this day: nothing more can be posted on it")
        )

    def _cannot_close(self, books: DayBooks | None) -> str | None:
        if books is None:
            return self.tr("Waiting for the day's report")
        report = books.report
        if report.closed_at is not None:
            return self.tr("This day is already closed")
        if report.day > books.practice.today:
            return self.tr("A day can be closed once it has come")
        if not report.balanced:
            return self.tr("The day must balance before it can be closed")
        return None

    # -- actions ---------------------------------------------------------------------------

    def close_day(self) -> None:
        books = self.books
        if books is None or self._cannot_close(books) is not None:
            return
        day = books.report.day
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            self.tr("Close the day"),
            self.tr("Close the books for {day}?").format(day=f"{day:%A, %B} {day.day}, {day.year}"),
            self.tr(
                "Nothing more can be posted on this day once it is closed. Corrections "
                "become reversals on a later day."
            ),
        )
        box_button(box, self.tr("Close day"), object_name="close")
        box_button(box, self.tr("Cancel"), role=QMessageBox.ButtonRole.RejectRole)
        if pressed_name(box) != "close":
            return
        self.busy.show()
        self._show_actions()
        generation = self._generation
        task = self.session.run(DailyCloseService(self.session.ctx).close, day, owner=self)
        task.succeeded.connect(lambda report: self._closed(report, books.practice, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _closed(self, report: DayReport, practice: PracticeSummary, generation: int) -> None:
        if generation != self._generation or self._cleared:
            return
        self.busy.hide()
        self._show(DayBooks(report, practice))
        self.message.show_as(
            "notice", self.tr("The books for {day} are closed.").format(day=short_day(report.day))
        )

    def print_report(self) -> None:
        books = None if self.busy.isVisible() else self.books
        if books is None:
            return
        zone = ZoneInfo(books.practice.time_zone)
        printed_at = self.session.ctx.clock.now().astimezone(zone).replace(tzinfo=None)
        task = self.session.run(print_day, books, printed_at, owner=self)
        task.succeeded.connect(lambda pdf: self._preview(pdf, books.report.day))
        task.failed.connect(lambda error: self.message.show_as("error", error_message(error)))

    def _preview(self, pdf: bytes, day: date) -> None:
        from app.ui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(
            pdf,
            f"daily-close-{day.isoformat()}.pdf",
            self.session.runner,
            title=self.tr("Daily close — {day}").format(day=short_day(day)),
            parent=self,
        )
        dialog.setAccessibleName(self.tr("Daily close report"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.preview = dialog

    # -- the screen locks ------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        """Staff names and the practice's money leave the screen (the day chosen stays)."""
        self._cleared = True
        self._generation += 1
        self._refresh.stop()
        self.books = None
        for table in (self.lines, self.methods, self.providers):
            table.amounts.clear()
        self.status.clear()
        self.lock_mark.hide()
        self.balanced.hide()
        self.problems.clear_message()
        self.no_providers.hide()
        self.message.clear_message()
        self.busy.hide()
        if self.preview is not None and shiboken6.isValid(self.preview):
            self.preview.close()
        self.preview = None
        self._show_actions()
