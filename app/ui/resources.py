"""Icons and the theme, found relative to the package (resources/ sits at the repo root).

Icons are line drawings in SVG with `stroke="currentColor"`; a small icon engine paints
them in the colour that fits the widget's state, at whatever size and pixel ratio the
screen asks for, so they stay crisp on high-DPI displays.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QIcon, QIconEngine, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"
ICONS_DIR = RESOURCES_DIR / "icons"
THEME_FILE = RESOURCES_DIR / "theme" / "stethos.qss"

# The palette, shared with the QSS (keep the two in step).
ACCENT = "#1b6e8a"
INK = "#1d2630"
MUTED = "#56626d"
FAINT = "#a9b2ba"
ON_ACCENT = "#ffffff"

BASE_POINT_SIZE = 10.5


@cache
def _svg_source(name: str) -> str:
    return (ICONS_DIR / f"{name}.svg").read_text("utf-8")


class TintedSvgIconEngine(QIconEngine):
    """Paints one SVG in a colour chosen by the icon's mode and state."""

    def __init__(self, name: str, color: str | None = None) -> None:
        super().__init__()
        self._name = name
        self._color = color
        self._renderers: dict[str, QSvgRenderer] = {}

    def _color_for(self, mode: QIcon.Mode, state: QIcon.State) -> str:
        if mode == QIcon.Mode.Disabled:
            return FAINT
        if self._color is not None:
            return self._color
        if state == QIcon.State.On or mode == QIcon.Mode.Selected:
            return ACCENT
        if mode == QIcon.Mode.Active:
            return INK
        return MUTED

    def _renderer(self, color: str) -> QSvgRenderer:
        renderer = self._renderers.get(color)
        if renderer is None:
            svg = _svg_source(self._name).replace("currentColor", color)
            renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
            self._renderers[color] = renderer
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer(self._color_for(mode, state)).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        width, height = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        self.paint(painter, QRect(QPoint(0, 0), QSize(width, height)), mode, state)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return TintedSvgIconEngine(self._name, self._color)


def icon(name: str, color: str | None = None) -> QIcon:
    """The icon `resources/icons/<name>.svg`, tinted by state (or always `color`)."""
    return QIcon(TintedSvgIconEngine(name, color))


def app_icon() -> QIcon:
    """The application's mark (full colour, drawn by Qt's own SVG icon engine)."""
    return QIcon(str(ICONS_DIR / "stethos.svg"))


def stylesheet() -> str:
    """The QSS theme, with its image references pointing at our icons folder."""
    return THEME_FILE.read_text("utf-8").replace("@ICONS@", ICONS_DIR.as_posix())


def monospace_font(point_size: float) -> QFont:
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFamilies(["Cascadia Mono", "Consolas", "SF Mono", "Menlo", "DejaVu Sans Mono"])
    font.setPointSizeF(point_size)
    return font


def apply_theme(app: QApplication) -> None:
    """The calm Stethos look: Fusion (same on every OS), readable type, our QSS."""
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSizeF(BASE_POINT_SIZE)
    app.setFont(font)
    app.setWindowIcon(app_icon())
    app.setStyleSheet(stylesheet())
