"""The preview window of a document: see it as it will print, print it, or save it as a PDF (or a Word file).

A document that carries a 发文字号 is previewed as a draft (〔文号待编〕 where the number goes) and given its
number only when it is issued — printed or saved — through `issue(session, fmt) -> DocumentPdf`: the number,
the saved file and the audit entry are one transaction (a failed save takes no number; a print is numbered
first, so the printer never holds the database); the window then shows the numbered document, and every later
print or save is a reprint with the same number.

Printing renders each page with QtPdf at the printer's own resolution (in bands, so a 600 dpi page does not
need one huge image) onto the full paper: the margins are those of the PDF (GB/T 9704), not the printer's.
The print dialog chooses the printer, the page range and the number of copies. Every print and every save
is written to the audit log (models.services.document_log) — a print or save that fails is not recorded.

Usage from a page:

    PdfPreviewWindow(ctx, pdf_bytes, document="clarification", title="关于…的说明", subject_id=7,
                     cadre_id=3, suggested_name="澄清正名说明.pdf", parent=self,
                     issue=lambda s, fmt: clarification_notice.build_for(s, actor, 7, today, issue=True, fmt=fmt),
                     word=True).show()
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAction, QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar, QWidget

from gui import file_dialogs
from gui.context import AppContext
from gui.errors import show_error
from gui.widgets.form_dialog import fit_to_screen, place_at_top
from models.services import document_log
from models.core.errors import AppError, ValidationError

BAND_PIXELS = 1200  # rows rendered at a time when printing


class PdfPreviewWindow(QMainWindow):
    """Signals: none. Attributes: document (audit entity), title, data (the PDF bytes), pdf (QPdfDocument)."""

    def __init__(self, ctx: AppContext, data: bytes, *, document: str, title: str, subject_id=None,
                 cadre_id: int | None = None, suggested_name: str = "", parent: QWidget | None = None,
                 issue: Callable | None = None, word: bool = False, numbered: bool = True):
        super().__init__(parent)
        self.issue = issue  # (session, fmt) -> DocumentPdf: the numbered document, built when issued
        self.word = word  # the document can also be saved as .docx (through `issue`)
        self.numbered = numbered and issue is not None  # `issue` gives it a 发文字号 (else it only builds the file)
        self.number = ""  # the 发文字号 once issued
        self.ctx = ctx
        self.data = bytes(data)
        self.document = document
        self.title = title
        self.subject_id = subject_id
        self.cadre_id = cadre_id
        self.suggested_name = suggested_name or f"{title}.pdf"
        self.setObjectName("pdfPreviewWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._setup_ui()
        self._connect_signals()
        self._load()

    # ------------------------------------------------------------------------------------------ ui
    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("预览 — ") + self.title)
        fit_to_screen(self, 820, 1000)  # an A4 page is taller than a laptop screen
        place_at_top(self)  # all of that height on the screen
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.setCentralWidget(self.view)
        bar = QToolBar(self.tr("文书"), self)
        bar.setMovable(False)
        self.addToolBar(bar)
        self.print_action = QAction(self.tr("打印…"), self)
        self.print_action.setObjectName("printAction")
        self.save_action = QAction(self.tr("另存为PDF…"), self)
        self.save_action.setObjectName("saveAction")
        self.word_action = QAction(self.tr("另存为Word…"), self)
        self.word_action.setObjectName("wordAction")
        self.word_action.setToolTip(self.tr("同一版式的可编辑 Word 文件（.docx），供最后修改；以 PDF 为准"))
        self.zoom_in_action = QAction(self.tr("放大"), self)
        self.zoom_out_action = QAction(self.tr("缩小"), self)
        self.fit_action = QAction(self.tr("适合宽度"), self)
        for action in (self.print_action, self.save_action):
            bar.addAction(action)
        if self.word and self.issue is not None:
            bar.addAction(self.word_action)
        bar.addSeparator()
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_action):
            bar.addAction(action)
        bar.addSeparator()
        self.pages_label = QLabel(self)
        self.pages_label.setObjectName("pagesLabel")
        bar.addWidget(self.pages_label)
        self.print_action.setEnabled(self.ctx.actor.can("print"))
        self.save_action.setEnabled(self.ctx.actor.can("export"))
        self.word_action.setEnabled(self.ctx.actor.can("export"))
        if not self.ctx.actor.can("export"):
            self.save_action.setToolTip(self.tr("当前账号没有“导出”的权限"))
        self.status = self.statusBar()
        self.status.setObjectName("previewStatus")
        if self.numbered:
            self.status.showMessage(self.tr("预览（文号待编）：打印或保存时编发文号，重印保持原文号"))

    def _connect_signals(self) -> None:
        self.print_action.triggered.connect(self._on_print_action_triggered)
        self.save_action.triggered.connect(self._on_save_action_triggered)
        self.word_action.triggered.connect(self._on_word_action_triggered)
        self.zoom_in_action.triggered.connect(lambda: self._zoom(1.25))
        self.zoom_out_action.triggered.connect(lambda: self._zoom(0.8))
        self.fit_action.triggered.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))

    def _load(self) -> None:
        old = getattr(self, "pdf", None)
        self.pdf = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self.data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        if self.pdf.status() == QPdfDocument.Status.Error or self.pdf.pageCount() == 0:
            raise AppError("文书的 PDF 无法显示（文件不完整）。请重新生成。")
        # the view goes from the old document straight to the new one (setDocument(None) makes Qt warn
        # "QObject::connect(QPdfDocument, QPdfLinkModel): invalid nullptr parameter"), then the old one is closed
        self.view.setDocument(self.pdf)
        if old is not None:
            old.close()
        self.pages_label.setText(self.tr("共 %1 页").replace("%1", str(self.pdf.pageCount())))

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    @property
    def page_count(self) -> int:
        return self.pdf.pageCount()

    # ------------------------------------------------------------------------------------- printing
    def _ask_printer(self) -> QPrinter | None:
        """The print dialog (printer, page range, copies); None when cancelled. Tests replace this."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setFromTo(1, self.page_count)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印 — ") + self.title)
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return None
        return printer

    def _on_print_action_triggered(self) -> None:
        printer = self._ask_printer()
        if printer is None:
            return
        try:
            self.print_to(printer)
        except Exception as exc:  # noqa: BLE001 - shown to the user, logged when unexpected
            show_error(self, exc, self.tr("打印失败"))

    def page_range(self, printer: QPrinter) -> tuple[int, int]:
        """(first, last) pages, 1-based, from the dialog's choice (0, 0 = all)."""
        first, last = printer.fromPage(), printer.toPage()
        if first <= 0 or last <= 0:
            return 1, self.page_count
        first, last = max(1, first), min(self.page_count, last)
        if first > last:
            raise ValidationError(f"页码范围 {first}-{last} 不对：起始页应不大于结束页，且不超过 {self.page_count}。", "pages")
        return first, last

    def _issued(self, session, fmt: str) -> bytes:
        """The document as issued (numbered) in `session`; the window shows the numbered PDF afterwards."""
        if self.issue is None or (fmt == "pdf" and not self.numbered):
            return self.data  # nothing to number: the PDF on screen is the document
        doc = self.issue(session, fmt)
        if fmt == "pdf":
            self.number = doc.number
            if doc.data != self.data:
                self.data = bytes(doc.data)
                self._load()
        else:
            self.number = doc.number or self.number
        return doc.data

    def print_to(self, printer: QPrinter) -> int:
        """Render the chosen pages and copies onto `printer`; audit the print; returns the pages sent.

        A document that takes a number is issued first, in a transaction of its own: the printer may take its
        time without holding the database, and a print that fails leaves the number with its document (the
        reprint keeps it), never a gap."""
        if self.issue is not None:
            with self.ctx.db.session() as s:
                self._issued(s, "pdf")
        sent, pages, copies = self._print_pages(printer)
        with self.ctx.db.session() as s:
            document_log.record_print(s, self.ctx.actor, self.document, title=self.title, subject_id=self.subject_id,
                                      cadre_id=self.cadre_id, pages=pages, copies=copies,
                                      printer=printer.printerName() or printer.outputFileName())
        self._announce()
        return sent

    def _announce(self) -> None:
        """An issued number changed the record (e.g. the clarification's 文号): its pages refresh."""
        from gui.ops import Change

        if self.issue is not None and self.document in {c.value for c in Change}:
            self.ctx.notify(self.document)

    def _print_pages(self, printer: QPrinter) -> tuple[int, str, int]:
        first, last = self.page_range(printer)
        copies = max(1, printer.copyCount())
        if printer.supportsMultipleCopies():
            driver_copies = copies
            loops = 1
        else:
            driver_copies, loops = 1, copies
        printer.setCopyCount(driver_copies)
        printer.setFullPage(True)
        printer.setDocName(self.title)
        painter = QPainter()
        if not painter.begin(printer):
            raise AppError("无法开始打印：打印机不可用或输出文件无法写入。请检查打印机后重试。")
        sent = 0
        try:
            for _copy in range(loops):
                for page in range(first - 1, last):
                    if sent:
                        printer.newPage()
                    self._render_page(painter, printer, page)
                    sent += 1
        finally:
            painter.end()
        pages = f"{first}-{last}" if (first, last) != (1, self.page_count) else ""
        message = self.tr("已送打印：%1 页 × %2 份").replace("%1", str(last - first + 1)).replace("%2", str(copies))
        self.status.showMessage(message + (self.tr("（文号 ") + self.number + "）" if self.number else ""))
        return sent, pages, copies

    def _render_page(self, painter: QPainter, printer: QPrinter, page: int) -> None:
        dpi = printer.resolution()
        paper = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
        size_pt = self.pdf.pagePointSize(page)
        landscape_page = size_pt.width() > size_pt.height()
        landscape_paper = paper.width() > paper.height()
        rotate = landscape_page != landscape_paper
        w = round(size_pt.width() / 72.0 * dpi)
        h = round(size_pt.height() / 72.0 * dpi)
        painter.save()
        if rotate:  # a landscape page on portrait paper: turn it, do not shrink it
            painter.translate(paper.width(), 0)
            painter.rotate(90)
        y = 0
        while y < h:
            band = min(BAND_PIXELS, h - y)
            options = QPdfDocumentRenderOptions()
            options.setScaledSize(QSize(w, h))
            options.setScaledClipRect(QRect(0, y, w, band))
            image = self.pdf.render(page, QSize(w, band), options)
            if image.isNull():
                raise AppError(f"第 {page + 1} 页无法渲染，打印已停止。请另存为PDF后用其他程序打印。")
            painter.drawImage(QPoint(0, y), image)
            y += band
        painter.restore()

    def render_page_image(self, page: int, dpi: float = 96.0) -> QImage:
        """One page as an image (tests, thumbnails)."""
        size_pt = self.pdf.pagePointSize(page)
        return self.pdf.render(page, QSize(round(size_pt.width() / 72 * dpi), round(size_pt.height() / 72 * dpi)))

    # ------------------------------------------------------------------------------------------ save
    def _ask_save_path(self) -> str:
        """The file dialog; '' when cancelled. Tests replace this."""
        path = file_dialogs.save_file_name(self, self.tr("另存为PDF"), self.suggested_name,
                                           self.tr("PDF 文件 (*.pdf)"))
        return path

    def _on_save_action_triggered(self) -> None:
        path = self._ask_save_path()
        if not path:
            return
        try:
            self.save_to(path)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("保存失败"))

    def _ask_word_path(self) -> str:
        """The file dialog for the Word file; '' when cancelled. Tests replace this."""
        name = str(Path(self.suggested_name).with_suffix(".docx"))
        path = file_dialogs.save_file_name(self, self.tr("另存为Word"), name, self.tr("Word 文件 (*.docx)"))
        return path

    def _on_word_action_triggered(self) -> None:
        path = self._ask_word_path()
        if not path:
            return
        try:
            self.save_to(path, fmt="docx")
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("保存失败"))

    def save_to(self, path: str, fmt: str = "pdf") -> Path:
        """Save as final: the numbered document (PDF or .docx), the number and the audit entry in one transaction."""
        from reports.output import write_bytes

        target = Path(path)
        suffix = ".docx" if fmt == "docx" else ".pdf"
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        with self.ctx.db.session() as s:
            data = self._issued(s, fmt)
            document_log.record_export(s, self.ctx.actor, self.document, title=self.title, subject_id=self.subject_id,
                                       cadre_id=self.cadre_id, path=str(target))
            write_bytes(data, target)  # a failed write rolls the number and the audit entry back
        self._announce()
        self.status.showMessage(self.tr("已保存：") + str(target) + (self.tr("（文号 ") + self.number + "）" if self.number else ""))
        return target
