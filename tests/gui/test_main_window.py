"""The main window opens on the 工作台, every page can be visited, labels are Chinese, the db is shown."""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo
from PySide6.QtWidgets import QDialogButtonBox

from gui.app import load_translations
from gui.context import AppContext
from gui.main_window import MainWindow
from gui.pages import PAGES


def test_every_page_is_reachable_with_chinese_labels(qtbot, db, admin):
    window = MainWindow(AppContext(db, admin))
    qtbot.addWidget(window)
    window.show()
    assert window.current_page_name() == "dashboard"
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["工作台", "干部", "表彰奖励", "处理处分", "回访教育", "举报与函询", "澄清正名", "单位", "统计分析", "设置"]
    for row, (name, _title, _m, _c) in enumerate(PAGES):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget() is window.pages[name]
        assert window.current_page_name() == name
    assert str(db.display_name) in window.db_label.text() and window.db_label.text().startswith("数据库：")


def test_qt_chinese_translation_is_loaded(qapp):
    translators = load_translations(qapp)
    assert translators, "qtbase_zh_CN.qm must be found in " + QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    box = QDialogButtonBox(QDialogButtonBox.Cancel)
    assert box.button(QDialogButtonBox.Cancel).text() == "取消"


def test_only_the_dashboard_is_built_at_start(qtbot, db, admin):
    window = MainWindow(AppContext(db, admin))
    qtbot.addWidget(window)
    assert [p.objectName() for p in window.pages.built()] == ["page_dashboard"]
    window.show_page("visits")
    assert window.stack.currentWidget().objectName() == "page_visits"
    assert {p.objectName() for p in window.pages.built()} == {"page_dashboard", "page_visits"}
    assert window.stack.count() == len(PAGES)
