"""帮助 → 使用说明 (F1): the user guide with its screenshots, a list of sections and a find box."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from gui.context import AppContext
from gui.dialogs.help import GUIDE_PATH, HelpDialog
from gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_guide_shows_every_screenshot_and_its_sections(qtbot):
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert GUIDE_PATH == ROOT / "docs" / "user_guide.md"
    heads = dialog.headings()
    for wanted in ("第一次使用", "各页是做什么的", "查找一位干部", "登记一项处理处分决定", "看谁的影响期满了",
                   "登记一次回访", "为受到不实举报的干部澄清正名", "打印", "键盘操作", "命令行", "备份与恢复",
                   "多台电脑共用一个数据库", "数据和日志在哪里"):
        assert wanted in heads, wanted
    assert len(dialog.images) >= 12
    doc = dialog.browser.document()
    for name in dialog.images:
        assert (ROOT / "docs" / name).is_file(), name  # every picture the guide shows is committed
        image = doc.resource(QTextDocument.ImageResource, QUrl(name))
        assert image is not None and not image.isNull(), name  # and the browser found it
    assert "Ctrl+F" in dialog.browser.toPlainText()
    dialog.find_edit.setText("机关代字")
    assert dialog.find_next() and dialog.browser.textCursor().selectedText() == "机关代字"
    dialog.find_edit.setText("没有这个词abc")
    assert not dialog.find_next() and dialog.find_note.text() == "没有找到"
    dialog.toc.setCurrentRow(heads.index("命令行"))
    assert dialog.browser.textCursor().block().text() == "命令行"
    dialog.grab().save("/tmp/help_dialog.png")


def test_f1_opens_the_guide_once(qtbot, db, officer):
    window = MainWindow(AppContext(db, officer))
    qtbot.addWidget(window)
    window.show()
    window.guide_action.trigger()
    window.guide_action.trigger()
    guides = window.findChildren(HelpDialog)
    assert len(guides) == 1 and guides[0].isVisible()
    assert window.guide_action.shortcut().toString() == "F1"
    guides[0].close()


def test_links_open_the_other_pages_of_the_documentation(qtbot):
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    dialog.browser.anchorClicked.emit(QUrl("trust.md"))
    assert dialog.path.name == "trust.md" and "账号、权限与数据安全" in dialog.browser.toPlainText()
    assert dialog.home_button.isVisibleTo(dialog)
    dialog.browser.anchorClicked.emit(QUrl("../README.md"))  # only the documentation folder is shown
    assert dialog.path.name == "trust.md"
    dialog.home_button.click()
    assert dialog.path == GUIDE_PATH and not dialog.home_button.isVisibleTo(dialog)
