"""Admin → Practice: the auto-lock delay, the units vitals are typed and shown in, and the
first day of visits billed in Stethos."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QSpinBox
from pytestqt.qtbot import QtBot

from app.services.settings import VITALS_UNITS, SettingsService
from app.ui.admin.admin_page import AdminPage
from app.ui.admin.practice_settings_panel import PracticeSettingsPanel
from app.ui.session import DesktopSession
from tests.ui.helpers import click, find_by_name


def test_the_admin_sets_metric_vitals_and_a_shorter_auto_lock(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("admin")
    page = AdminPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    page.show_tab("Practice")
    panel = page.findChild(PracticeSettingsPanel)
    assert panel is not None
    lock = find_by_name(panel, QSpinBox, "Lock the screen after")
    units = find_by_name(panel, QComboBox, "Vitals units")
    qtbot.waitUntil(lambda: lock.value() == 10, timeout=10000)
    assert units.currentData() == "us"

    lock.setValue(5)
    units.setCurrentIndex(units.findData("metric"))
    with qtbot.waitSignal(panel.saved, timeout=10000):
        click(qtbot, panel, "Save settings")
    settings = SettingsService(session.ctx)
    assert settings.auto_lock_minutes() == 5 and settings.get(VITALS_UNITS) == "metric"


def test_the_practice_tab_is_only_for_those_who_manage_settings(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    page = AdminPage(session_for("frontdesk"))
    qtbot.addWidget(page)
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "Practice" not in titles


def test_the_admin_bills_visits_from_the_day_the_practice_moved_to_stethos(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("admin")
    page = AdminPage(session)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    page.show_tab("Practice")
    panel = page.findChild(PracticeSettingsPanel)
    assert panel is not None
    only_from = find_by_name(panel, QCheckBox, "Bill only visits from a date")
    first_day = find_by_name(panel, QDateEdit, "Bill visits from")
    lock = find_by_name(panel, QSpinBox, "Lock the screen after")
    qtbot.waitUntil(lambda: lock.value() == 10, timeout=10000)
    assert not only_from.isChecked() and not first_day.isEnabled()

    only_from.setChecked(True)
    assert first_day.isEnabled()
    first_day.setDate(QDate(2024, 3, 1))
    with qtbot.waitSignal(panel.saved, timeout=10000):
        click(qtbot, panel, "Save settings")
    assert SettingsService(session.ctx).billing_starts_on() == date(2024, 3, 1)

    only_from.setChecked(False)
    with qtbot.waitSignal(panel.saved, timeout=10000):
        click(qtbot, panel, "Save settings")
    assert SettingsService(session.ctx).billing_starts_on() is None
    assert not first_day.isEnabled()
