"""帮助 → 使用说明 (F1): docs/user_guide.md shown in the program, with its screenshots, a list of its sections
and a find box. The same file is the user guide in the README; the packaged program carries it (packaging/)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTextBrowser,
    QVBoxLayout, QWidget,
)

from gui.widgets.form_dialog import fit_to_screen
from models.core.paths import PROJECT_ROOT

GUIDE_PATH = PROJECT_ROOT / "docs" / "user_guide.md"
MAX_IMAGE_WIDTH = 760


class HelpDialog(QDialog):
    """Attributes:
        browser: the QTextBrowser showing the guide.
        toc: the list of sections (level-2 and level-3 headings); a click scrolls there.
    """

    def __init__(self, parent: QWidget | None = None, path: Path = GUIDE_PATH):
        super().__init__(parent)
        self.path = self.home = path
        self._setup_ui()
        self._connect_signals()
        self.load()

    def _setup_ui(self) -> None:
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("使用说明 — 干部关爱与问责记录"))
        self.setWindowFlag(Qt.WindowMaximizeButtonHint, True)
        fit_to_screen(self, 1100, 760)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("查找：")))
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("helpFindEdit")
        self.find_edit.setPlaceholderText(self.tr("输入要找的词，回车找下一处（Ctrl+F）"))
        self.find_edit.setClearButtonEnabled(True)
        bar.addWidget(self.find_edit, 1)
        self.find_button = QPushButton(self.tr("找下一处"))
        self.find_button.setObjectName("helpFindButton")
        bar.addWidget(self.find_button)
        self.find_note = QLabel()
        self.find_note.setObjectName("helpFindNote")
        self.find_note.setMinimumWidth(self.find_note.fontMetrics().horizontalAdvance("没有找到") + 8)
        bar.addWidget(self.find_note)
        self.home_button = QPushButton(self.tr("回到使用说明"))
        self.home_button.setObjectName("helpHomeButton")
        self.home_button.hide()
        bar.addWidget(self.home_button)
        layout.addLayout(bar)
        splitter = QSplitter()
        splitter.setObjectName("helpSplitter")
        self.toc = QListWidget()
        self.toc.setObjectName("helpToc")
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        splitter.addWidget(self.toc)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 860])
        layout.addWidget(splitter, 1)
        self._find = QShortcut(QKeySequence.Find, self)

    def _connect_signals(self) -> None:
        self.toc.currentItemChanged.connect(self._on_toc_current_item_changed)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_button.clicked.connect(self.find_next)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.home_button.clicked.connect(lambda: self.load(self.home))
        self._find.activated.connect(lambda: (self.find_edit.setFocus(), self.find_edit.selectAll()))

    def load(self, path: Path | None = None) -> None:
        """Show the guide, or another page of the documentation it links to (docs/handling.md …)."""
        self.path = path or self.path
        self.home_button.setVisible(self.path != self.home)
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            text = self.tr("# 使用说明\n\n找不到使用说明文件：%1。请重新安装程序。").replace("%1", str(self.path))
        doc = self.browser.document()
        doc.setBaseUrl(QUrl.fromLocalFile(str(self.path.parent) + "/"))  # screenshots/… next to the guide
        self.browser.setMarkdown(text)
        self.images = self._fit_images(doc)
        self.toc.clear()
        block = doc.begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level in (2, 3) and block.text().strip():
                item = QListWidgetItem(("　" if level == 3 else "") + block.text().strip())
                item.setData(Qt.UserRole, block.position())
                self.toc.addItem(item)
            block = block.next()

    def _fit_images(self, doc) -> list[str]:
        """Screenshots are 1280 pixels wide: shown at most MAX_IMAGE_WIDTH wide, keeping their proportions."""
        names = []
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image_fmt = fmt.toImageFormat()
                    name = image_fmt.name()
                    names.append(name)
                    image = QImage(str(self.path.parent / name))
                    if not image.isNull() and image.width() > MAX_IMAGE_WIDTH:
                        image_fmt.setWidth(MAX_IMAGE_WIDTH)
                        image_fmt.setHeight(image.height() * MAX_IMAGE_WIDTH / image.width())
                        cursor = QTextCursor(doc)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.KeepAnchor)
                        cursor.setCharFormat(image_fmt)
                it += 1
            block = block.next()
        return names

    def headings(self) -> list[str]:
        return [self.toc.item(i).text().strip() for i in range(self.toc.count())]

    def _on_toc_current_item_changed(self, item, _previous) -> None:
        if item is None:
            return
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(item.data(Qt.UserRole))
        self.browser.setTextCursor(cursor)
        # put the heading at the top of the view, not just somewhere visible
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.browser.ensureCursorVisible()

    def find_next(self) -> bool:
        word = self.find_edit.text().strip()
        if not word:
            return False
        found = self.browser.find(word)
        if not found:  # wrap around once
            self.browser.moveCursor(QTextCursor.Start)
            found = self.browser.find(word)
        self.find_note.setText("" if found else self.tr("没有找到"))
        return found

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
            return
        target = (self.path.parent / url.path()).resolve() if url.isRelative() else Path(url.toLocalFile())
        if target.suffix == ".md" and target.is_file() and target.parent == self.home.parent.resolve():
            self.load(target)


_open: dict[int, HelpDialog] = {}


def open_user_guide(parent: QWidget | None = None) -> HelpDialog:
    """Show the guide beside the program (not modal, one window), raised if it is open already."""
    key = id(parent)
    dialog = _open.get(key)
    if dialog is None:
        dialog = HelpDialog(parent)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: _open.pop(key, None))
        _open[key] = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
