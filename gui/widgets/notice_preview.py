"""The sample notice of 设置 → 公文与字体 and of the first-run wizard, made in the background and shown in a label.

Reading a CJK TrueType font the first time takes 1–3 s (reports/fonts.py); made on the GUI thread it froze the
page that long. A newer request wins over an older one still running.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QLabel
from shiboken6 import isValid

from gui.worker import run_in_background
from models.core.errors import AppError
from reports import fonts

PREVIEW_DPI = 48


class NoticePreview(QObject):
    """Attributes: pending — a preview is being made; fonts — the FontSet of the last one shown."""

    def __init__(self, label: QLabel, note: QLabel, roles: tuple[str, ...], parent: QObject | None = None, *,
                 dpi: float = PREVIEW_DPI):
        super().__init__(parent)
        self.label, self.note, self.roles, self.dpi = label, note, roles, dpi
        self.pending = False
        self.fonts = None
        self._token = 0

    def request(self, config: fonts.FontConfig, notice) -> None:
        """Make `notice` (reports.sample.sample_notice) with the fonts of `config`; show it when ready."""
        from reports.notice import build_notice

        self._token += 1
        token = self._token
        self.pending = True
        if self.label.pixmap().isNull():
            self.label.setText(self.tr("正在生成预览……"))

        def work(_progress):
            fs = fonts.resolve(config)
            return fs, build_notice(notice, fs)

        run_in_background(work, lambda result: self._done(token, result), lambda exc: self._failed(token, exc))

    def _current(self, token: int) -> bool:
        """The answer to the newest request, for widgets that still exist (a page or wizard closed while the
        preview was being made is gone when the answer arrives)."""
        return token == self._token and isValid(self) and isValid(self.label) and isValid(self.note)

    def _done(self, token: int, result) -> None:
        if not self._current(token):
            return
        self.pending = False
        fs, data = result
        self.fonts = fs
        used = "；".join(f"{fonts.ROLE_LABELS[r]}：{fs.face(r).family}" for r in self.roles)
        self.note.setText((fs.note + "\n" if fs.note else "") + self.tr("本机实际使用 — ") + used)
        self.label.setPixmap(QPixmap.fromImage(render_first_page(data, self.dpi)))

    def _failed(self, token: int, exc: BaseException) -> None:
        if not self._current(token):
            return
        self.pending = False
        message = exc.message if isinstance(exc, AppError) else self.tr("无法生成预览：") + str(exc)
        self.label.setPixmap(QPixmap())
        self.label.setText(message)
        self.note.setText(message)


def fill_font_combo(combo: QComboBox, choice: fonts.FontChoice, auto_label: str) -> None:
    """The font choices of a combo: "automatic" first, then the TrueType fonts found on this PC; the saved choice
    selected, and added when its file is not among those found. No signal while filling."""
    combo.blockSignals(True)
    try:
        combo.clear()
        combo.addItem(auto_label, ("", 0))
        for label, ff in fonts.available_fonts():
            combo.addItem(label, (ff.path, ff.index))
        index = 0
        if choice.path:
            index = combo.findData((choice.path, choice.index))
            if index < 0:
                combo.addItem(f"{Path(choice.path).name}（{choice.path}）", (choice.path, choice.index))
                index = combo.count() - 1
        combo.setCurrentIndex(index)
    finally:
        combo.blockSignals(False)


def chosen_fonts(body_combo: QComboBox, title_combo: QComboBox) -> fonts.FontConfig:
    """The FontConfig the two combos show (not yet saved)."""
    body = body_combo.currentData() or ("", 0)
    title = title_combo.currentData() or ("", 0)
    return fonts.FontConfig(fonts.FontChoice(body[0], int(body[1])), fonts.FontChoice(title[0], int(title[1])))


def render_first_page(data: bytes, dpi: float):
    """The first page of a PDF as a QImage (QtPdf)."""
    doc = QPdfDocument()
    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    size = doc.pagePointSize(0)
    image = doc.render(0, QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi)))
    doc.close()
    return image
