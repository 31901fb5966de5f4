"""The chart's first page: what a clinician needs before walking into the room — active
problems, allergies, medications, the last vitals, what is due, and the recent visits.

Each card is one rich-text label, filled in one pass from one service call, so the page
reads and paints fast even for a patient with years of visits."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.models import VitalFlag
from app.services.chart import ChartService
from app.services.chart_data import AllergyState, ChartSummary
from app.services.context import AppContext
from app.services.practice import PracticeInfo
from app.ui.chart.chart_tab import ChartTab
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, card, text_label

_FLAG_COLOURS = {
    VitalFlag.LOW: "#8a5a00",
    VitalFlag.HIGH: "#8a5a00",
    VitalFlag.CRITICAL_LOW: "#a12622",
    VitalFlag.CRITICAL_HIGH: "#a12622",
}
_FLAG_MARKS = {
    VitalFlag.LOW: "↓",
    VitalFlag.HIGH: "↑",
    VitalFlag.CRITICAL_LOW: "↓↓",
    VitalFlag.CRITICAL_HIGH: "↑↑",
}
_MUTED = "#6b7785"
_SEVERE = "#a12622"


def load_summary(ctx: AppContext, patient_id: str) -> tuple[ChartSummary, str]:
    """The summary and the practice's time zone (to show times in)."""
    return ChartService(ctx).summary(patient_id), PracticeInfo(ctx).summary().time_zone


def _date(day: object) -> str:
    return f"{day:%b} {day.day}, {day.year}" if day else ""  # type: ignore[attr-defined]


def _rows(lines: list[str], empty: str) -> str:
    if not lines:
        return f"<span style='color:{_MUTED}'>{escape(empty)}</span>"
    return _lines(lines)


def _lines(lines: list[str]) -> str:
    """One fact per line, with a little air between them."""
    return "".join(f"<p style='margin:0 0 5px 0'>{line}</p>" for line in lines)


def problems_html(summary: ChartSummary) -> str:
    lines = [
        f"<b>{escape(p.description)}</b> <span style='color:{_MUTED}'>{escape(p.icd10_code)}"
        + (f" · since {_date(p.onset_on)}" if p.onset_on else "")
        + "</span>"
        for p in summary.problems
    ]
    return _rows(lines, "No active problems recorded.")


def allergies_html(summary: ChartSummary) -> str:
    allergies = summary.allergies
    if allergies.state is AllergyState.NO_KNOWN:
        return "<b>No known allergies</b>"
    if allergies.state is AllergyState.NOT_RECORDED:
        return f"<span style='color:{_SEVERE}'><b>Allergies not recorded</b></span> — ask today."
    lines = []
    for line in allergies.allergies:
        what = escape(line.substance)
        detail = ", ".join(
            escape(part)
            for part in (line.reaction, line.severity.value if line.severity else None)
            if part
        )
        colour = f" style='color:{_SEVERE}'" if line.severe else ""
        lines.append(
            f"<b{colour}>{what}</b>"
            + (f" <span style='color:{_MUTED}'>{detail}</span>" if detail else "")
        )
    return "<br>".join(lines)


def medications_html(summary: ChartSummary) -> str:
    lines = [
        f"<b>{escape(m.name)}</b>"
        + (f" <span style='color:{_MUTED}'>{escape(m.sig)}</span>" if m.sig else "")
        for m in summary.medications
    ]
    return _rows(lines, "No active medications.")


def vitals_html(summary: ChartSummary, zone: str) -> tuple[str, str]:
    """(the readings as a small table, when they were taken)."""
    last = summary.last_vitals
    if last is None:
        return f"<span style='color:{_MUTED}'>No vitals recorded.</span>", ""
    cells = []
    for reading in last.readings:
        colour = _FLAG_COLOURS.get(reading.flag)
        value = escape(reading.text) + (f" {_FLAG_MARKS[reading.flag]}" if colour else "")
        shown = f"<span style='color:{colour}'><b>{value}</b></span>" if colour else value
        cells.append(
            f"<tr><td style='color:{_MUTED}; padding-right:14px'>{escape(reading.label)}</td>"
            f"<td>{shown}</td></tr>"
        )
    taken = last.taken_at.astimezone(ZoneInfo(zone))
    when = f"Taken {_date(taken.date())} at {taken:%I:%M %p}".replace(" at 0", " at ")
    return "<table cellspacing='0' cellpadding='2'>" + "".join(cells) + "</table>", when


def due_html(summary: ChartSummary) -> str:
    lines = [
        f"<b>{escape(item.title)}</b> <span style='color:{_MUTED}'>{escape(item.detail)}</span>"
        for item in summary.due
    ]
    if summary.documents_awaiting_review:
        count = summary.documents_awaiting_review
        lines.append(
            f"<b>{count} document{'s' if count != 1 else ''} to review</b> "
            f"<span style='color:{_MUTED}'>in Documents</span>"
        )
    return _rows(lines, "Nothing due.")


def visits_html(summary: ChartSummary, zone: str) -> str:
    lines = []
    for visit in summary.recent_visits:
        day = visit.starts_at.astimezone(ZoneInfo(zone)).date()
        note = visit.note_status.value.replace("_", " ") if visit.note_status else "no note"
        reason = f" — {escape(visit.reason)}" if visit.reason else ""
        lines.append(
            f"<b>{_date(day)}</b> {escape(visit.type_label)} · {escape(visit.provider_name)}"
            f"{reason} <span style='color:{_MUTED}'>({note})</span>"
        )
    return _rows(lines, "No visits yet.")


class SummaryCard(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        frame, layout = card(margins=16, spacing=6)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        heading = text_label(title, "heading")
        self.when = text_label("", "muted")
        self.body = QLabel()
        self.body.setAccessibleName(title)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(heading)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.when)
        self.when.hide()

    def show_html(self, html: str, when: str = "") -> None:
        self.body.setText(html)
        self.when.setText(when)
        self.when.setVisible(bool(when))

    def clear(self) -> None:
        self.show_html("")


class SummaryTab(ChartTab):
    title = "Summary"

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        self._generation = 0
        self.summary: ChartSummary | None = None
        self.problems = SummaryCard(self.tr("Active problems"))
        self.allergies = SummaryCard(self.tr("Allergies"))
        self.medications = SummaryCard(self.tr("Medications"))
        self.vitals = SummaryCard(self.tr("Last vitals"))
        self.due = SummaryCard(self.tr("Due"))
        self.visits = SummaryCard(self.tr("Recent visits"))
        self.message = MessageLabel()
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        for index, widget in enumerate(
            (self.problems, self.vitals, self.allergies, self.due, self.medications, self.visits)
        ):
            grid.addWidget(widget, index // 2, index % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(20, 14, 20, 20)
        inner_layout.addWidget(self.message)
        inner_layout.addLayout(grid)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def reload(self) -> None:
        if self.patient is None:
            return
        self._generation += 1
        generation = self._generation
        task = self.session.run(load_summary, self.session.ctx, self.patient.id, owner=self)
        task.succeeded.connect(lambda found: self.show_summary(found[0], found[1], generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def show_summary(self, summary: ChartSummary, zone: str, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return
        self.summary = summary
        self.message.clear_message()
        self.problems.show_html(problems_html(summary))
        self.allergies.show_html(allergies_html(summary))
        self.medications.show_html(medications_html(summary))
        self.vitals.show_html(*vitals_html(summary, zone))
        self.due.show_html(due_html(summary))
        self.visits.show_html(visits_html(summary, zone))
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self._generation += 1
        self.summary = None
        for widget in (
            self.problems,
            self.allergies,
            self.medications,
            self.vitals,
            self.due,
            self.visits,
        ):
            widget.clear()
        self.message.clear_message()
