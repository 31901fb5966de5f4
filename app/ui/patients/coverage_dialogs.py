"""Add or edit a coverage, and end one (a termination date: the history stays)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services.errors import DomainError
from app.services.insurance import CoverageInput, CoverageService, CoverageView
from app.ui.patients.coverage_form import CoverageForm
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import DateField, labeled
from app.ui.patients.labels import date_text, priority_label
from app.ui.session import DesktopSession


def coverage_input(view: CoverageView, **changes: object) -> CoverageInput:
    """The coverage as it is, as input for an update (with `changes`)."""
    first, last = view.subscriber_first_name, view.subscriber_last_name
    current = CoverageInput(
        payer_id=view.payer_id,
        priority=view.priority,
        member_id=view.member_id,
        relationship_to_subscriber=view.relationship_to_subscriber,
        group_number=view.group_number,
        subscriber_first_name=first,
        subscriber_last_name=last,
        subscriber_date_of_birth=view.subscriber_date_of_birth,
        effective_on=view.effective_on,
        terminated_on=view.terminated_on,
        copay_cents=view.copay_cents,
    )
    return replace(current, **changes)  # type: ignore[arg-type]


class CoverageDialog(PatientDialog):
    saved = Signal(object)  # CoverageView

    def __init__(
        self,
        session: DesktopSession,
        patient_id: str,
        coverage: CoverageView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Edit coverage") if coverage else self.tr("Add coverage")
        super().__init__(session, title, self.tr("Save coverage"), parent)
        self.resize(860, 560)
        self.patient_id = patient_id
        self.coverage = coverage
        self.form = CoverageForm(session, allow_none=False)
        self.content.addWidget(self.form)
        if coverage is None:
            self.form.load_payers()
        else:
            self.form.set_coverage(coverage)
        self.form.payer.setFocus()

    def submit(self) -> None:
        try:
            data = self.form.to_input()
        except DomainError as error:
            self.refuse(error)
            return
        assert data is not None
        service = CoverageService(self.session.ctx)
        if self.coverage is None:
            self.run(service.add, self.patient_id, data, done=self._saved)
        else:
            self.run(
                service.update, self.coverage.id, data, self.coverage.version, done=self._saved
            )

    def _saved(self, coverage: CoverageView) -> None:
        self.saved.emit(coverage)
        self.accept()


class EndCoverageDialog(PatientDialog):
    saved = Signal(object)

    def __init__(
        self,
        session: DesktopSession,
        coverage: CoverageView,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session,
            self.tr("End coverage"),
            self.tr("End coverage"),
            parent,
            subtitle=self.tr(
                "{priority} · {payer} · member {member}. The coverage stays on the record for "
                "past visits and claims."
            ).format(
                priority=priority_label(coverage.priority),
                payer=coverage.payer_name,
                member=coverage.member_id,
            ),
        )
        self.setMinimumWidth(520)
        self.coverage = coverage
        self.last_day = DateField(self.tr("Last day of coverage"))
        self.last_day.setText(date_text(today))
        self.content.addWidget(labeled(self.tr("Last day of coverage"), self.last_day))
        self.last_day.setFocus()
        self.last_day.selectAll()

    def submit(self) -> None:
        try:
            last_day = self.last_day.date_value()
            if last_day is None:
                raise DomainError(self.tr("Enter the last day of coverage."))
        except DomainError as error:
            self.refuse(error)
            return
        data = coverage_input(self.coverage, terminated_on=last_day)
        service = CoverageService(self.session.ctx)
        self.run(service.update, self.coverage.id, data, self.coverage.version, done=self._saved)

    def _saved(self, coverage: CoverageView) -> None:
        self.saved.emit(coverage)
        self.accept()
