"""A/R aging: what the accounts owe the practice, by days since the date of service, for
the patients' and the insurers' parts, each age's share of the whole, and the credit no
charge holds yet. Totals only: no patient is named. On a big practice the report takes a
second, so it runs on the worker with a "Running…" state and the last figures cleared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.interop.money_text import share_text
from app.services.context import AppContext
from app.services.ledger_data import AGING_BUCKETS, AgingReport
from app.services.ledger_reports import AgingService
from app.services.practice import PracticeInfo, PracticeSummary
from app.ui.billing.amount_table import AmountLine, AmountTable
from app.ui.billing.day_picker import DayPicker
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, add_shortcuts, button, card, text_label

BUCKET_HEADINGS = tuple(bucket.replace("-", "–") for bucket in AGING_BUCKETS)


@dataclass(frozen=True)
class AgingBooks:
    report: AgingReport
    practice: PracticeSummary


def run_aging(ctx: AppContext, as_of: date | None) -> AgingBooks:
    """The report as of `as_of` (the practice's today when None)."""
    practice = PracticeInfo(ctx).summary()
    return AgingBooks(AgingService(ctx).aging(as_of or practice.today), practice)


def bucket_totals(report: AgingReport) -> list[int]:
    return [p + i for p, i in zip(report.patient.cents, report.insurance.cents, strict=True)]


def aging_lines(report: AgingReport) -> list[AmountLine]:
    """Patient, Insurance, their Total, and each age's share of that total."""
    totals = bucket_totals(report)
    grand = sum(totals)
    return [
        AmountLine("patient", "Patient", (*report.patient.cents, report.patient.total_cents)),
        AmountLine(
            "insurance", "Insurance", (*report.insurance.cents, report.insurance.total_cents)
        ),
        AmountLine("total", "Total", (*totals, grand), total=True),
        AmountLine(
            "share",
            "Share of total",
            tuple(share_text(cents, grand) for cents in (*totals, grand)),
            note=True,
        ),
    ]


def net_lines(report: AgingReport) -> list[AmountLine]:
    """From the open balances to what the accounts owe: less the unapplied credit."""
    return [
        AmountLine("open", "Open balances", (sum(bucket_totals(report)),)),
        AmountLine("patient-credit", "Unapplied credit, patients", (-report.patient_credit_cents,)),
        AmountLine(
            "insurance-credit", "Unapplied credit, insurance", (-report.insurance_credit_cents,)
        ),
        AmountLine("net", "Net A/R", (report.total_cents,), total=True),
    ]


def print_aging(books: AgingBooks, printed_at: datetime) -> bytes:
    # Loaded when first used: the PDF writer (reportlab) would slow every sign-in.
    from app.interop.aging_pdf import AgingSheet, aging_pdf

    report = books.report
    return aging_pdf(
        AgingSheet(
            practice_name=books.practice.name,
            as_of=report.as_of,
            buckets=BUCKET_HEADINGS,
            patient_cents=report.patient.cents,
            insurance_cents=report.insurance.cents,
            patient_credit_cents=report.patient_credit_cents,
            insurance_credit_cents=report.insurance_credit_cents,
            printed_at=printed_at,
        )
    )


class AgingPanel(QWidget):
    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.books: AgingBooks | None = None
        self.preview: QWidget | None = None
        self._as_of: date | None = None  # None: the practice's today, once known
        self._generation = 0
        self._cleared = False

        self.picker = DayPicker(self.tr("As of"), arrows=False)
        self.picker.day_chosen.connect(self.go_to)
        self.refresh_button = button(self.tr("Run again"), self.tr("Run again"))
        self.refresh_button.setToolTip(self.tr("Run the report again with the latest entries (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        self.print_button = button(
            self.tr("Print report…"), self.tr("Print report"), icon_name="printer"
        )
        self.print_button.setToolTip(self.tr("Preview and print the aging report (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_report)
        self.busy = BusyBar()
        self.running = text_label(self.tr("Running…"), "muted")
        self.running.setAccessibleName(self.tr("Report status"))
        self.running.hide()
        self.message = MessageLabel("error", self.tr("Aging message"))
        self.title = text_label("", "heading")
        self.title.setAccessibleName(self.tr("Report title"))

        headers = (self.tr("Responsibility"), *BUCKET_HEADINGS, self.tr("Total"))
        self.ages = AmountTable(headers, self.tr("Balances by age"))
        self.net = AmountTable(
            (self.tr("Accounts receivable"), self.tr("Amount")), self.tr("Net A/R")
        )
        self.net.setMaximumWidth(460)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(text_label(self.tr("As of"), wrap=False))
        top.addWidget(self.picker)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.print_button)
        report, body = card(margins=18, spacing=8)
        body.addWidget(self.title)
        body.addWidget(
            text_label(
                self.tr(
                    "Open balances by days since the date of service. Credit not yet "
                    "applied to a charge is taken off below."
                ),
                "hint",
            )
        )
        body.addWidget(self.ages)
        body.addSpacing(8)
        body.addWidget(self.net)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)  # as the other Billing tabs
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.running)
        layout.addWidget(self.message)
        layout.addWidget(report)
        layout.addStretch(1)
        add_shortcuts(
            self,
            [
                (QKeySequence.StandardKey.Print, self.print_report),
                (QKeySequence.StandardKey.Refresh, self.reload),
            ],
        )
        self._set_running(False)

    @property
    def as_of(self) -> date | None:
        return self._as_of

    # -- running the report ----------------------------------------------------------------

    def reload(self) -> None:
        self._cleared = False
        self._generation += 1
        generation = self._generation
        self._show_empty()  # no figures from another date under the new one
        self._set_running(True)
        task = self.session.run(run_aging, self.session.ctx, self._as_of, owner=self)
        task.succeeded.connect(lambda books: self._loaded(books, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def go_to(self, as_of: date) -> None:
        self._as_of = as_of
        self.reload()

    def _loaded(self, books: AgingBooks, generation: int) -> None:
        if generation != self._generation or self._cleared:
            return
        self._set_running(False)
        self.message.clear_message()
        self.books = books
        report = books.report
        self._as_of = report.as_of
        self.picker.set_day(report.as_of, today=books.practice.today)
        day = report.as_of
        self.title.setText(
            self.tr("Accounts receivable as of {day}").format(day=f"{day:%B} {day.day}, {day.year}")
        )
        self.ages.set_lines(aging_lines(report))
        self.net.set_lines(net_lines(report))
        self._set_running(False)

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation != self._generation or self._cleared:
            return
        self._set_running(False)
        self.message.show_as("error", error_message(error))

    def _set_running(self, running: bool) -> None:
        self.busy.setVisible(running)
        self.running.setVisible(running)
        self.refresh_button.setEnabled(not running)
        self.print_button.setEnabled(not running and self.books is not None)

    def _show_empty(self) -> None:
        self.books = None
        self.title.setText(self.tr("Accounts receivable"))
        self.ages.amounts.clear()
        self.net.amounts.clear()

    # -- printing --------------------------------------------------------------------------

    def print_report(self) -> None:
        books = self.books
        if books is None or self.busy.isVisible():
            return
        zone = ZoneInfo(books.practice.time_zone)
        printed_at = self.session.ctx.clock.now().astimezone(zone).replace(tzinfo=None)
        task = self.session.run(print_aging, books, printed_at, owner=self)
        task.succeeded.connect(lambda pdf: self._preview(pdf, books.report.as_of))
        task.failed.connect(lambda error: self.message.show_as("error", error_message(error)))

    def _preview(self, pdf: bytes, as_of: date) -> None:
        from app.ui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(
            pdf,
            f"ar-aging-{as_of.isoformat()}.pdf",
            self.session.runner,
            title=self.tr("A/R aging — {day}").format(day=f"{as_of:%b} {as_of.day}, {as_of.year}"),
            parent=self,
        )
        dialog.setAccessibleName(self.tr("A/R aging report"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.preview = dialog

    # -- the screen locks ------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        """The practice's money leaves the screen (the date chosen stays)."""
        self._cleared = True
        self._generation += 1
        self._show_empty()
        self.message.clear_message()
        self._set_running(False)
        if self.preview is not None and shiboken6.isValid(self.preview):
            self.preview.close()
        self.preview = None
