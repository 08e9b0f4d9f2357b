"""帮助 → 关于: version, database location, rule table and rule settings in use, Qt/Python, data and log folders."""
from __future__ import annotations

import platform

from PySide6.QtCore import QTimer, qVersion
from PySide6.QtWidgets import QApplication

from gui.dialogs.about import AboutDialog
from gui.context import AppContext
from gui.main_window import MainWindow
from models.rules import rule_table
from models.core import settings_store
from models.core.db import head_revision
from models.core.logs import log_file_path
from models.core.paths import data_dir
from version import __version__


def test_about_shows_version_database_rules_and_folders(qtbot, db, admin):
    with db.session() as s:
        settings_store.put(s, admin, "rules.month_end", "ALT_A")
    dialog = AboutDialog(AppContext(db, admin))
    qtbot.addWidget(dialog)
    dialog.show()
    text = {key: label.text() for key, label in dialog.labels.items()}
    assert __version__ == "1.0.0"
    assert text["version"] == "1.0.0"
    assert "1.0.0" in dialog.findChild(type(dialog.labels["version"]), "aboutTitle").text()
    assert text["database"] == str(db.display_name) and text["database"].endswith("test.sqlite3")
    assert text["database_kind"] == "SQLite 文件（本机）"
    assert text["schema"].startswith(head_revision())  # the file is at the program's own schema
    assert text["rule_table"].startswith(rule_table.TABLE_VERSION)
    assert "《中国共产党纪律处分条例》" in text["sources_party"]
    assert all(text[f"sources_{r}"] for r in rule_table.REGIMES)  # every regime names its regulations
    assert text["month_end"] == "以该月最后一天的前一天为末日"  # the setting in use, in plain words (no engine code)
    assert text["party_overlap"] == "分别计算"
    assert qVersion() in text["qt"] and platform.python_version() in text["python"]
    assert text["data_dir"] == str(data_dir())
    assert text["log_file"] == str(log_file_path())
    dialog.copy_button.click()
    copied = QApplication.clipboard().text()
    assert "程序版本：1.0.0" in copied and f"数据库：{db.display_name}" in copied and "月末日的算法：以该月最后一天的前一天为末日" in copied and "ALT_A" not in copied


def test_help_menu_opens_about(qtbot, db, officer):
    window = MainWindow(AppContext(db, officer))
    qtbot.addWidget(window)
    window.show()
    seen = []

    def close_about():
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        dialog.reject()

    QTimer.singleShot(0, close_about)
    window.about_action.trigger()
    assert isinstance(seen[0], AboutDialog)
    assert seen[0].labels["version"].text() == "1.0.0"
