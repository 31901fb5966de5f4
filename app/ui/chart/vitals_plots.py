"""What the Vitals tab can chart, and turning the services' answers into `ChartData`:
an adult's trends with the normal range shaded, and a child's growth charts (CDC centile
curves with the child's points on top) as well as the trends that have no centiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from app.services.context import AppContext
from app.services.growth import GrowthChart, GrowthMeasure, GrowthPeriod, GrowthService
from app.services.vitals import Trend, VitalField, VitalsService
from app.services.vitals_catalog import ADULT_AGE, KINDS, kind, reference_range
from app.ui.chart.vitals_chart import (
    FLAG_MARK,
    SERIES_COLOURS,
    ChartData,
    PlotPoint,
    PlotSeries,
    RangeBand,
    ReferenceCurve,
    XAxis,
)

F = VitalField
INFANT_CHARTS_UNTIL = 5.0  # years: a young child's birth-to-2 charts are still worth a look
CHILD_CHARTS_FROM = 2.0  # the CDC 2000 charts (and BMI-for-age) start at 2 years


def _tr(text: str) -> str:
    return QCoreApplication.translate("VitalsPlots", text)


@dataclass(frozen=True)
class ChartChoice:
    key: str
    label: str
    fields: tuple[VitalField, ...] = ()  # a trend (two lines for blood pressure)
    growth: GrowthMeasure | None = None  # or a growth chart
    period: GrowthPeriod | None = None


def _trend(key: str, label: str, *fields: VitalField) -> ChartChoice:
    return ChartChoice(key, label, fields)


WEIGHT = _trend("weight", "Weight", F.WEIGHT)
BMI = _trend("bmi", "BMI", F.BMI)
BLOOD_PRESSURE = _trend("bp", "Blood pressure", F.SYSTOLIC, F.DIASTOLIC)
PULSE = _trend("pulse", "Pulse", F.PULSE)
TEMPERATURE = _trend("temperature", "Temperature", F.TEMPERATURE)
SPO2 = _trend("spo2", "SpO2", F.SPO2)
ADULT_CHOICES = (WEIGHT, BMI, BLOOD_PRESSURE, PULSE, TEMPERATURE, SPO2)


def _growth(key: str, label: str, measure: GrowthMeasure, period: GrowthPeriod) -> ChartChoice:
    return ChartChoice(f"growth-{key}", label, (), measure, period)


_M, _INFANT, _CHILD = GrowthMeasure, GrowthPeriod.INFANT, GrowthPeriod.CHILD
# The CDC's own chart names.
INFANT_GROWTH = (
    _growth("weight-infant", "Weight-for-age, birth–2 y", _M.WEIGHT, _INFANT),
    _growth("length-infant", "Length-for-age, birth–2 y", _M.HEIGHT, _INFANT),
    _growth("ofc-infant", "Head circumference-for-age, birth–3 y", _M.OFC, _INFANT),
)
CHILD_GROWTH = (
    _growth("weight-child", "Weight-for-age, 2–20 y", _M.WEIGHT, _CHILD),
    _growth("height-child", "Stature-for-age, 2–20 y", _M.HEIGHT, _CHILD),
    _growth("bmi-child", "BMI-for-age, 2–20 y", _M.BMI, _CHILD),
)


def choices_for(age: float) -> tuple[ChartChoice, ...]:
    """An adult's trends; for a child the growth charts of their age first, then the
    trends growth charts do not cover."""
    if age >= ADULT_AGE:
        return ADULT_CHOICES
    growth: tuple[ChartChoice, ...] = ()
    if age >= CHILD_CHARTS_FROM:
        growth += CHILD_GROWTH
    if age < INFANT_CHARTS_UNTIL:
        growth = INFANT_GROWTH + growth if age < CHILD_CHARTS_FROM else growth + INFANT_GROWTH
    return (*growth, BLOOD_PRESSURE, PULSE, TEMPERATURE, SPO2)


def load_chart(ctx: AppContext, patient_id: str, choice: ChartChoice, age: float) -> ChartData:
    """On the worker: the chosen chart's data (a growth chart refusal is a DomainError)."""
    if choice.growth is not None:
        chart = GrowthService(ctx).growth_chart(patient_id, choice.growth, choice.period)
        return growth_data(chart, age)
    service = VitalsService(ctx)
    trends = [service.trend(patient_id, KINDS[field].loinc_code) for field in choice.fields]
    adult = age >= ADULT_AGE
    bands = adult_bands(choice.fields, service.units()) if adult else ()
    return trend_data(choice, trends, bands)


def adult_bands(fields: Sequence[VitalField], system: str) -> tuple[RangeBand, ...]:
    """Each field's adult normal range in the practice's unit (the flags' own limits)."""
    bands = []
    for field in fields:
        limits = reference_range(field, None)
        if limits is None or (limits.low is None and limits.high is None):
            continue
        unit = kind(field).display_unit(system)
        low = unit.from_canonical(limits.low) if limits.low is not None else None
        high = unit.from_canonical(limits.high) if limits.high is not None else None
        if field is F.SPO2:
            high = 100.0
        bands.append(RangeBand(low, high, _tr("Normal range (adult)")))
    return tuple(bands)


def _when(at: datetime) -> str:
    return f"{at:%b} {at.day}, {at:%Y}"


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def trend_data(
    choice: ChartChoice, trends: Sequence[Trend], bands: tuple[RangeBand, ...]
) -> ChartData:
    series = []
    for index, trend in enumerate(trends):
        label = trend.label.replace(" BP", "") if len(trends) > 1 else trend.label
        points = tuple(
            PlotPoint(
                point.taken_at.timestamp(),
                point.value,
                f"{label} {_number(point.value)} {trend.unit} {FLAG_MARK.get(point.flag, '')}"
                f"\n{_when(point.taken_at)}".replace(" \n", "\n"),
                point.flag,
            )
            for point in trend.points
        )
        series.append(PlotSeries(label, points, SERIES_COLOURS[index % len(SERIES_COLOURS)]))
    zone = next((t.points[0].taken_at.tzinfo for t in trends if t.points), None)
    latest = [t for t in trends if t.points]
    caption = ""
    if latest:
        last = max(t.points[-1].taken_at for t in latest)
        readings = "/".join(_number(t.points[-1].value) for t in latest)
        caption = _tr("Latest {value} {unit} on {day}").format(
            value=readings, unit=latest[0].unit, day=_when(last)
        )
        if bands:
            caption += _tr(" · shaded: adult normal range")
    return ChartData(
        unit=trends[0].unit if trends else "",
        x_axis=XAxis.TIME,
        series=tuple(series),
        bands=bands,
        zone=zone,
        caption=caption,
        empty_text=_tr("No {what} recorded yet.").format(what=choice.label.lower()),
    )


def ordinal(number: float) -> str:
    """ "3rd", "50th", "<1st" and ">99th" at the ends."""
    if number < 0.5:
        return "<1st"
    if number > 99.5:
        return ">99th"
    whole = round(number)
    suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
    return f"{whole}{suffix}"


def age_text(years: float) -> str:
    months = int(years * 12 + 1e-6)
    if months < 24:
        return _tr("{n} mo").format(n=months)
    return _tr("{y} y {m} mo").format(y=months // 12, m=months % 12)


def shown_ages(chart: GrowthChart, age_now: float) -> tuple[float, float]:
    """The ages on the x axis: birth to 2 (or 3) whole; from 2 years only as far as the
    child has come, plus a little, so a young child's points are not squeezed at the left."""
    if chart.period is GrowthPeriod.INFANT:
        return chart.age_from, chart.age_to
    oldest = max([age_now, *(point.age_years for point in chart.points)])
    upper = max(chart.age_from + 2, math.ceil(oldest + 1.5))
    return chart.age_from, min(chart.age_to, upper)


def cropped(
    points: tuple[tuple[float, float], ...], upper: float
) -> tuple[tuple[float, float], ...]:
    """A curve up to age `upper`, ending exactly there (its label sits at the right edge)."""
    kept = [point for point in points if point[0] <= upper]
    after = next((point for point in points if point[0] > upper), None)
    if kept and after is not None and kept[-1][0] < upper:
        (x0, y0), (x1, y1) = kept[-1], after
        kept.append((upper, y0 + (y1 - y0) * (upper - x0) / (x1 - x0)))
    return tuple(kept)


_GROWTH_NAMES = {
    GrowthMeasure.WEIGHT: "weight",
    GrowthMeasure.HEIGHT: "height",
    GrowthMeasure.BMI: "BMI",
    GrowthMeasure.OFC: "head circumference",
}


def growth_data(chart: GrowthChart, age_now: float) -> ChartData:
    what = _tr(_GROWTH_NAMES[chart.measurement])
    if chart.measurement is GrowthMeasure.HEIGHT and chart.period is GrowthPeriod.INFANT:
        what = _tr("length")
    points = []
    for point in chart.points:
        centile = ordinal(point.centile) if point.centile is not None else ""
        tip = f"{what[:1].upper()}{what[1:]} {_number(point.value)} {chart.unit}"
        if centile:
            tip += " · " + _tr("{c} centile").format(c=centile)
        tip += "\n" + _tr("Age {age} · {day}").format(
            age=age_text(point.age_years), day=_when(point.taken_at)
        )
        points.append(PlotPoint(point.age_years, point.value, tip))
    x_from, x_to = shown_ages(chart, age_now)
    curves = tuple(
        ReferenceCurve(ordinal(c.centile), cropped(c.points, x_to), emphasis=c.centile == 50)
        for c in chart.curves
    )
    empty = _tr("No {what} recorded at these ages.").format(what=what)
    caption = empty
    last = chart.points[-1] if chart.points else None
    if last is not None:
        caption = _tr("Latest {what} {value} {unit}").format(
            what=what, value=_number(last.value), unit=chart.unit
        )
        if last.centile is not None:
            caption += _tr(", {centile} centile").format(centile=ordinal(last.centile))
        caption += f" ({_when(last.taken_at)})"
    return ChartData(
        unit=chart.unit,
        x_axis=XAxis.AGE,
        series=(PlotSeries(what, tuple(points)),),
        curves=curves,
        x_range=(x_from, x_to),
        caption=caption,
        footnote=chart.reference_label,
        empty_text=empty,
    )
