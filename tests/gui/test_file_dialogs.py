"""File dialogs never read the files they list (issue 15): Qt's own icon provider guesses a file's type from its
contents, which opened and closed the database's -wal and -shm and dropped the program's SQLite locks."""
from __future__ import annotations

import os
import re

import pytest
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QListView, QMessageBox
from sqlalchemy import text

from gui import file_dialogs
from tests.security.lock_probe import holds_sqlite_locks, needs_proc_locks

ROOT = Path(__file__).resolve().parents[2]


def test_every_file_dialog_of_the_program_goes_through_gui_file_dialogs():
    offenders = []
    for path in (ROOT / "gui").rglob("*.py"):
        if path.name == "file_dialogs.py":
            continue
        if re.search(r"\bQFileDialog\b", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def _listed(dialog: QFileDialog, qtbot) -> list[str]:
    view = dialog.findChild(QListView, "listView")
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) >= 3, timeout=5000)
    root = view.rootIndex()
    return sorted(model.index(i, 0, root).data() for i in range(model.rowCount(root)))


@needs_proc_locks
def test_listing_the_database_folder_keeps_the_program_s_locks(qtbot, db, db_path):
    with db.session() as s:
        s.execute(text("select count(*) from cadre"))
    (db_path.parent / "备份").mkdir()
    (db_path.parent / "no-extension").write_bytes(b"SQLite format 3\x00" + b"\0" * 200)
    assert holds_sqlite_locks(os.getpid(), db_path)
    dialog = file_dialogs.make_dialog(None, "选择", str(db_path.parent))
    dialog.setViewMode(QFileDialog.Detail)  # the type column is what asked for the contents
    qtbot.addWidget(dialog)
    dialog.show()
    names = _listed(dialog, qtbot)
    assert db_path.name in names and db_path.name + "-wal" in names and db_path.name + "-shm" in names
    model = dialog.findChild(QListView, "listView").model()
    types = {model.index(i, 0, dialog.findChild(QListView, "listView").rootIndex()).data():
             model.index(i, 2, dialog.findChild(QListView, "listView").rootIndex()).data()
             for i in range(model.rowCount(dialog.findChild(QListView, "listView").rootIndex()))}
    assert types["no-extension"] == "文件" and types["备份"] == "文件夹"
    dialog.grab().save("/tmp/storage_file_dialog.png")
    dialog.close()
    assert holds_sqlite_locks(os.getpid(), db_path), "the dialog opened a database file"


def test_picking_the_live_database_is_refused_before_anything_reads_it(qtbot, db, db_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, message: shown.append(message))
    for picked in (db_path, Path(str(db_path) + "-wal")):
        dialog = file_dialogs.make_dialog(None, "选择照片", str(db_path.parent))
        qtbot.addWidget(dialog)
        monkeypatch.setattr(dialog, "exec", lambda: QFileDialog.Accepted)  # the user picked `picked`
        monkeypatch.setattr(dialog, "selectedFiles", lambda picked=picked: [str(picked)])
        assert file_dialogs._chosen(None, dialog) == ""
    assert len(shown) == 2 and all("正在使用的数据库文件" in m for m in shown)


def test_the_sidebar_shows_its_names_in_full(qtbot, tmp_path):
    """Qt's own dialog opened its sidebar so narrow that 计算机 read 计… (seen at 1366×768 under a window manager)."""
    from PySide6.QtWidgets import QListView, QSplitter

    from gui import file_dialogs

    if file_dialogs.NATIVE_IS_SAFE:
        pytest.skip("the system's own dialog")
    from PySide6.QtCore import QSettings

    qt_settings = QSettings(QSettings.UserScope, "QtProject")  # where Qt keeps the width the dialog last had
    saved = qt_settings.value("FileDialog/sidebarWidth")
    qt_settings.setValue("FileDialog/sidebarWidth", 60)
    try:
        dialog = file_dialogs.make_dialog(None, "另存为PDF", str(tmp_path), "PDF 文件 (*.pdf)")
    finally:
        if saved is None:
            qt_settings.remove("FileDialog/sidebarWidth")
        else:
            qt_settings.setValue("FileDialog/sidebarWidth", saved)
    qtbot.addWidget(dialog)
    dialog.show()
    assert 760 <= dialog.width() <= 1366 - 16 and dialog.height() <= 768 - 40  # the date column fits, so does the screen
    sidebar = dialog.findChild(QSplitter, "splitter").widget(0)
    names = [sidebar.model().index(r, 0).data() for r in range(sidebar.model().rowCount())]
    assert names and isinstance(sidebar, QListView)
    widest = max(sidebar.fontMetrics().horizontalAdvance(n) for n in names) + sidebar.iconSize().width() + 16
    assert sidebar.width() >= widest, f"sidebar {sidebar.width()} px for {names}"
