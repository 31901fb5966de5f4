"""What the UI tests share: finding widgets the way assistive technology does (by
accessible name), answering modal prompts, and the patients and visits a test starts from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt, QTimer, SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.models import SexAtBirth
from app.services.appointments import AppointmentService
from app.services.context import AppContext
from app.services.patient_data import PatientInput, PhoneInput
from app.services.patients import PatientService
from app.services.schedule_data import AppointmentView, BookingInput
from app.services.schedule_setup import ScheduleSetupService

if TYPE_CHECKING:
    from app.ui.schedule.schedule_page import SchedulePage

W = TypeVar("W", bound=QWidget)


# --- finding widgets --------------------------------------------------------------------


def find_all(root: QWidget | None, kind: type[W], name: str, *, visible: bool = True) -> list[W]:
    roots = [root] if root is not None else QApplication.topLevelWidgets()
    found: list[W] = []
    for top in roots:
        candidates: list[W] = list(top.findChildren(kind))
        if isinstance(top, kind):
            candidates.insert(0, top)
        found += [
            widget
            for widget in candidates
            if widget.accessibleName() == name and (widget.isVisible() or not visible)
        ]
    return found


def find_by_name(root: QWidget | None, kind: type[W], name: str, *, visible: bool = True) -> W:
    """The one widget of `kind` under `root` (or under any top-level window) named `name`."""
    found = find_all(root, kind, name, visible=visible)
    if len(found) != 1:
        raise LookupError(f"expected one {kind.__name__} named {name!r}, found {len(found)}")
    return found[0]


def click(qtbot: QtBot, root: QWidget | None, name: str) -> None:
    """Press the button named `name`, which must be enabled."""
    target = find_by_name(root, QAbstractButton, name)
    assert target.isEnabled(), f"{name} is disabled"
    if isinstance(target, QPushButton):
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    else:
        target.click()  # a check box's row is wider than what answers a click


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def opened_child(qtbot: QtBot, parent: QWidget, kind: type[W], timeout: int = 5000) -> W:
    """The dialog of `kind` that `parent` opens, once it shows."""
    qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(kind)), timeout=timeout)
    return next(d for d in parent.findChildren(kind) if d.isVisible())


def caught(signal: SignalInstance) -> list[Any]:
    """What `signal` sends from now on."""
    seen: list[Any] = []
    signal.connect(seen.append)
    return seen


# --- modal prompts ----------------------------------------------------------------------


@dataclass
class Prompt:
    text: str  # the question and the details under it
    buttons: list[str]  # the buttons' accessible names, sorted


def answer_prompt(name: str, button: str, tries: int = 500) -> list[Prompt]:
    """Arm before the action that leads to the modal prompt called `name` (it blocks in its
    own loop): when it shows, note what it says and offers, and click `button`."""
    seen: list[Prompt] = []

    def poll(left: int) -> None:
        box = QApplication.activeModalWidget()
        if box is not None and box.accessibleName() == name:
            if isinstance(box, QMessageBox):
                offered = sorted(b.accessibleName() for b in box.buttons())
                seen.append(Prompt(f"{box.text()}\n{box.informativeText()}", offered))
            find_by_name(box, QAbstractButton, button).click()
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))
    return seen


# --- patients and visits ----------------------------------------------------------------


def register_patient(
    ctx: AppContext,
    first: str,
    last: str,
    born: date,
    *,
    phone: str = "312-555-0142",
    **details: Any,
) -> str:
    """A patient with a phone number (and any other `PatientInput` details); their id."""
    person = PatientInput(
        first, last, born, SexAtBirth.FEMALE, phones=(PhoneInput(phone),), **details
    )
    return PatientService(ctx).register(person).id


def register_patients(ctx: AppContext, count: int) -> list[str]:
    """Up to four patients: Lopez, Ana; Johnson, Marcus; Raman, Priya; Becker, Tom."""
    people = [("Ana", "Lopez"), ("Marcus", "Johnson"), ("Priya", "Raman"), ("Tom", "Becker")]
    return [
        register_patient(ctx, first, last, date(1970 + i, 3, 14), phone=f"312-555-01{i:02d}")
        for i, (first, last) in enumerate(people[:count])
    ]


def schedule_ids(ctx: AppContext) -> tuple[dict[str, str], dict[str, str]]:
    """Appointment type ids and provider ids by name."""
    setup = ScheduleSetupService(ctx)
    types = {t.name: t.id for t in setup.appointment_types()}
    providers = {p.name: p.id for p in setup.providers()}
    return types, providers


def book_visit(
    ctx: AppContext, patient_id: str, provider: str, kind: str, at: datetime
) -> AppointmentView:
    """Book through the service: `provider` and `kind` by name ("Priya Patel", "Follow-up")."""
    types, providers = schedule_ids(ctx)
    return AppointmentService(ctx).book(
        BookingInput(patient_id, providers[provider], types[kind], at)
    )


def show_schedule_page(qtbot: QtBot, page: SchedulePage) -> SchedulePage:
    """On screen at desk size, with its day loaded."""
    qtbot.addWidget(page)
    page.resize(1280, 900)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.shown, timeout=10000):
        page.reload()
    return page
