"""The chart's tabs, in the order a clinician reads a chart."""

from __future__ import annotations

from app.ui.chart.chart_tab import ChartTab
from app.ui.session import DesktopSession


def chart_tabs(session: DesktopSession) -> list[ChartTab]:
    return []
