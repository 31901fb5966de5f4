"""A chart document's preview beside the Documents list: a PDF page after page (QtPdf) or a
scanned image (every page of a multi-page TIFF), fit to the pane's width and zoomable.

The bytes stay in memory: QtPdf reads them from a QBuffer, images are decoded on the
worker into QImages; nothing is written to disk, and `clear()` lets go of all of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QImageReader,
    QKeySequence,
    QPalette,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.context import AppContext
from app.services.documents import MEDIA_TYPE_NAMES, DocumentBytes, DocumentService
from app.ui.widgets import add_shortcuts, button, text_label

try:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - depends on the installed PySide6 flavour
    QPdfDocument = None  # type: ignore[assignment,misc]
    QPdfView = None  # type: ignore[assignment,misc]

PDF = "application/pdf"
MAX_IMAGE_WIDTH = 2400  # colour pixels kept per page: sharp at 2x zoom in a wide pane
MAX_DECODED_BYTES = 256 * 1024 * 1024  # a long multi-page scan shows its first pages
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0  # relative to fit-to-width
DESK = QColor("#dde2e6")  # what the pages lie on (the theme's line grey, a shade darker)


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentViewer", text)


@dataclass(frozen=True)
class OpenedDocument:
    """A document's bytes as read (and audited) by the service, images already decoded."""

    id: str
    content: DocumentBytes
    pages: list[QImage] = field(default_factory=list)  # images only; a PDF renders itself
    page_count: int = 0  # an image file's pages, decoded or not


def open_document(ctx: AppContext, document_id: str) -> OpenedDocument:
    """Runs on the worker: read the bytes (an audited opening) and decode an image's pages
    there, so a large scan does not stall the screen."""
    content = DocumentService(ctx).content(document_id)
    if content.media_type == PDF:
        return OpenedDocument(document_id, content)
    pages, count = decode_pages(content.data)
    return OpenedDocument(document_id, content, pages, count)


def decode_pages(data: bytes) -> tuple[list[QImage], int]:
    """The pages of an image file (a TIFF may hold many), turned upright as the camera or
    scanner recorded them, and how many the file holds. Colour pages wider than
    MAX_IMAGE_WIDTH are scaled down (a bilevel fax page is small as it is); decoding stops
    at MAX_DECODED_BYTES. No pages when nothing decodes."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    try:
        reader.setAutoTransform(True)
        count = reader.imageCount()  # 0 when the format cannot say
        pages = _read_pages(reader)
    finally:
        del reader  # before its buffer: the reader's destructor still looks at its device
        buffer.close()
    return pages, max(count, len(pages))


def _read_pages(reader: QImageReader) -> list[QImage]:
    pages: list[QImage] = []
    used = 0
    while True:
        image = reader.read()
        if image.isNull():
            break
        if image.width() > MAX_IMAGE_WIDTH and image.depth() > 8:
            image = image.scaledToWidth(MAX_IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        used += image.sizeInBytes()
        if pages and used > MAX_DECODED_BYTES:
            break
        pages.append(image)
        if not reader.jumpToNextImage():
            break
    return pages


def describe(opened: OpenedDocument, pdf_pages: int) -> str:
    """ "PDF · 3 pages", "PNG image · 1,200 × 1,600", "TIFF image · 80 pages (first 40
    shown)"."""
    kind = _tr(MEDIA_TYPE_NAMES.get(opened.content.media_type, opened.content.media_type))
    count = pdf_pages if opened.content.media_type == PDF else opened.page_count
    shown = len(opened.pages)
    if opened.content.media_type != PDF and 0 < shown < count:
        return _tr("{kind} · {count} pages (first {shown} shown)").format(
            kind=kind, count=count, shown=shown
        )
    if count > 1:
        return _tr("{kind} · {count} pages").format(kind=kind, count=count)
    if opened.pages:
        size = opened.pages[0]
        return f"{kind} · {size.width():,} × {size.height():,}"
    return _tr("{kind} · 1 page").format(kind=kind)


class ImagePages(QScrollArea):
    """Image pages one under another, as wide as the pane times `zoom`."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(_tr("Image preview"))
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.zoom = 1.0
        self.images: list[QImage] = []
        self.labels: list[QLabel] = []
        holder = QWidget()
        holder.setObjectName("DocumentPages")
        holder.setStyleSheet(f"QWidget#DocumentPages {{ background: {DESK.name()}; }}")
        self._column = QVBoxLayout(holder)
        self._column.setContentsMargins(8, 8, 8, 8)
        self._column.setSpacing(10)
        self._column.addStretch(1)
        self.setWidget(holder)
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(40)  # rescale once a drag of the splitter settles
        self._resized.timeout.connect(self.rescale)

    def set_pages(self, images: list[QImage]) -> None:
        self.clear()
        self.images = images
        for index in range(len(images)):
            label = QLabel()
            label.setAccessibleName(_tr("Page {n}").format(n=index + 1))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._column.insertWidget(index, label)
            self.labels.append(label)
        self.rescale()

    def clear(self) -> None:
        for label in self.labels:
            label.deleteLater()
        self.labels = []
        self.images = []
        self.zoom = 1.0

    def fit_width(self) -> int:
        """The page width that fits the pane whether or not a scroll bar shows (so the
        scroll bar coming and going cannot make the width flicker)."""
        margins = self._column.contentsMargins()
        room = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        return max(40, room - margins.left() - margins.right())

    def rescale(self) -> None:
        ratio = self.devicePixelRatioF()
        width = round(self.fit_width() * self.zoom)
        for image, label in zip(self.images, self.labels, strict=True):
            pixels = max(1, round(width * ratio))
            scaled = image.scaledToWidth(pixels, Qt.TransformationMode.SmoothTransformation)
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.images:
            self._resized.start()


class DocumentViewer(QWidget):
    """The preview pane: a line naming the document with zoom buttons, then the pages."""

    shown = Signal(str)  # this document is on screen (its id): tests wait for it

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(_tr("Document preview"))
        self.document_id: str | None = None
        self.opened: OpenedDocument | None = None
        self.title = text_label("", "heading")
        self.title.setAccessibleName(_tr("Previewed document"))
        self.about = text_label("", "muted", wrap=False)
        self.about.setAccessibleName(_tr("Previewed document type"))
        self.zoom_out_button = button("−", _tr("Zoom out"))
        self.zoom_out_button.setToolTip(_tr("Zoom out (Ctrl+-)"))
        self.zoom_in_button = button("+", _tr("Zoom in"))
        self.zoom_in_button.setToolTip(_tr("Zoom in (Ctrl++)"))
        self.fit_button = button(_tr("Fit width"), _tr("Fit to width"))
        self.fit_button.setToolTip(_tr("Fit the page to the width of the pane (Ctrl+0)"))
        self.fit_button.setCheckable(True)
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_to_width)
        add_shortcuts(
            self,
            [
                (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(ZOOM_STEP)),
                (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_by(1 / ZOOM_STEP)),
                (QKeySequence("Ctrl+0"), self.fit_to_width),
            ],
        )

        self.empty = text_label(_tr("Choose a document in the list to see it here."), "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice = text_label("", "muted")  # loading, or why it cannot be shown
        self.notice.setAccessibleName(_tr("Preview message"))
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.images = ImagePages()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.notice)
        self.stack.addWidget(self.images)
        self._buffer: QBuffer | None = None
        self.pdf: QPdfDocument | None = None
        self.pdf_view: QPdfView | None = None
        if QPdfDocument is not None and QPdfView is not None:
            self.pdf = QPdfDocument(self)
            self.pdf_view = QPdfView(self)
            self.pdf_view.setAccessibleName(_tr("PDF preview"))
            self.pdf_view.setDocument(self.pdf)
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.setPageSpacing(10)
            desk = self.pdf_view.palette()
            desk.setColor(QPalette.ColorRole.Dark, DESK)  # QPdfView paints around pages in it
            self.pdf_view.setPalette(desk)
            self.stack.addWidget(self.pdf_view)

        header = QHBoxLayout()
        header.setSpacing(6)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.about)
        header.addLayout(names, 1)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            header.addWidget(widget, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.clear()

    # -- what is shown -------------------------------------------------------------------

    def show_loading(self, document_id: str, title: str) -> None:
        self._release()
        self.document_id = document_id
        self._header(title, _tr("Opening…"))
        self._say(_tr("Opening the document…"))

    def show_document(self, opened: OpenedDocument) -> None:
        """Show `opened` fit to width (a damaged file says so instead)."""
        self._release()
        self.document_id = opened.id
        self.opened = opened
        if opened.content.media_type == PDF:
            pages = self._load_pdf(opened.content.data)
        else:
            pages = len(opened.pages)
            if pages:
                self.stack.setCurrentWidget(self.images)  # first: the pages fit its width
                self.images.set_pages(opened.pages)
        self._header(opened.content.title, describe(opened, pages) if pages else "")
        if not pages:
            self._say(
                _tr(
                    "This file cannot be shown: it may be damaged or protected by a "
                    "password. Import a readable copy and mark this one entered in error."
                )
            )
        else:
            self._set_zoom_enabled(True)
            self.fit_button.setChecked(True)
        self.shown.emit(opened.id)

    def show_problem(self, document_id: str, text: str) -> None:
        if document_id == self.document_id:
            self._release()
            self._say(text)

    def clear(self) -> None:
        """Let go of the document (the screen locked, the chart closed, nothing chosen)."""
        self._release()
        self.document_id = None
        self._header("", "")
        self.stack.setCurrentWidget(self.empty)

    def _load_pdf(self, data: bytes) -> int:
        if self.pdf is None or self.pdf_view is None:
            return 0
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)  # a whole buffer loads at once
        if self.pdf.status() is not QPdfDocument.Status.Ready or self.pdf.pageCount() == 0:
            return 0
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.pageNavigator().jump(0, QPointF(), 0)
        self.stack.setCurrentWidget(self.pdf_view)
        return self.pdf.pageCount()

    def _release(self) -> None:
        self.opened = None
        if self.pdf is not None:
            self.pdf.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.setData(QByteArray())
            self._buffer.deleteLater()
            self._buffer = None
        self.images.clear()
        self._set_zoom_enabled(False)
        self.fit_button.setChecked(False)

    def _header(self, title: str, about: str) -> None:
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.about.setText(about)
        self.about.setVisible(bool(about))
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            widget.setVisible(bool(title))

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.stack.setCurrentWidget(self.notice)

    def _set_zoom_enabled(self, enabled: bool) -> None:
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            widget.setEnabled(enabled)

    # -- zoom ----------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """The zoom relative to fit-to-width (1.0: fit)."""
        if self.stack.currentWidget() is self.images:
            return self.images.zoom
        if self.pdf_view is not None and self.stack.currentWidget() is self.pdf_view:
            if self.pdf_view.zoomMode() is QPdfView.ZoomMode.FitToWidth:
                return 1.0
            return self.pdf_view.zoomFactor() / self._pdf_fit_factor()
        return 1.0

    def zoom_by(self, step: float) -> None:
        if not self.zoom_in_button.isEnabled():
            return
        self._set_zoom(min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * step)))

    def fit_to_width(self) -> None:
        if self.zoom_in_button.isEnabled():
            self._set_zoom(1.0)

    def _set_zoom(self, zoom: float) -> None:
        fit = abs(zoom - 1.0) < 1e-6
        self.fit_button.setChecked(fit)
        if self.stack.currentWidget() is self.images:
            self.images.zoom = zoom
            self.images.rescale()
        elif self.pdf_view is not None and self.stack.currentWidget() is self.pdf_view:
            if fit:
                self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            else:
                factor = zoom * self._pdf_fit_factor()
                self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
                self.pdf_view.setZoomFactor(factor)

    def _pdf_fit_factor(self) -> float:
        """The zoom factor QtPdf uses to fit the first page to the width (as QPdfView works
        it out: the viewport less the margins over the page's width at screen resolution)."""
        assert self.pdf is not None and self.pdf_view is not None
        screen = QGuiApplication.primaryScreen()
        dots = (screen.logicalDotsPerInch() if screen else 96.0) / 72.0
        page_width = self.pdf.pagePointSize(0).width() * dots
        margins = self.pdf_view.documentMargins()
        room = self.pdf_view.viewport().width() - margins.left() - margins.right()
        return max(0.05, room / page_width) if page_width > 0 else 1.0
