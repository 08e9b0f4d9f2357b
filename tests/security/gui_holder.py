"""A GUI process for the storage tests (issue 15): `python -m tests.security.gui_holder DB`.

Starts the program's own GUI path offscreen (instance lock, login window before the database, the demo account,
the main window with its start-up work: first-run wizard (dismissed), daily backup, visit-plan upkeep), opens every
kind of file dialog the program has (gui/file_dialogs.py: every dialog of the program goes through it) on the
database's folder, makes a backup through the program, commits cadres, prints "ready", then obeys stdin lines:
"write N" commits N more cadres and prints "written"; end of input quits. The parent kills it with SIGKILL.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def main(path: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from gui import file_dialogs
    from gui.app import begin_login, create_application, show_main_window
    from gui.instance_guard import claim_database
    from models.core import backup
    from models.demo import DEMO_PASSWORD, DEMO_USERNAME
    from models.entities import Cadre

    app = create_application([])
    claim = claim_database(path)
    assert claim is not None and not claim.read_only, "the first program must get the instance lock"
    start = begin_login(path)
    assert start is not None, "a plain SQLite file starts with the login window"
    dialog = start.dialog

    def log_in() -> None:
        dialog.username_edit.setText(DEMO_USERNAME)
        dialog.password_edit.setText(DEMO_PASSWORD)
        dialog.ok_button.click()

    QTimer.singleShot(0, log_in)
    assert dialog.exec() == QDialog.Accepted, "the demo account logs in"
    db, actor = start.database(), dialog.actor
    claim.set_account(actor.username)

    def dismiss_modal() -> None:  # the first-run wizard and each file dialog: look, then close
        widget = QApplication.activeModalWidget()
        if widget is not None:
            widget.reject()

    QTimer.singleShot(300, dismiss_modal)
    window = show_main_window(db, actor)  # noqa: F841 - kept alive until the process ends
    QThreadPool.globalInstance().waitForDone(30_000)  # the visit-plan upkeep
    for _ in range(20):
        app.processEvents()
    folder = str(Path(path).parent)
    for ask in (lambda: file_dialogs.open_file_name(None, "打开", folder, "全部文件 (*)"),
                lambda: file_dialogs.save_file_name(None, "保存", folder, "全部文件 (*)"),
                lambda: file_dialogs.existing_folder(None, "文件夹", folder)):
        QTimer.singleShot(800, dismiss_modal)  # long enough for the dialog to list the folder
        assert ask() == ""
    backup.backup_database(db, Path(folder) / "手动备份.sqlite3", actor)

    def write(n: int) -> None:
        for _ in range(n):  # one committed transaction each, as after n separate saves
            with db.session() as s:
                s.add(Cadre(name="界面写入", id_number=f"G{os.getpid()}-{os.urandom(4).hex()}"))

    write(5)
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["write"]:
            write(int(words[1]))
            print("written", flush=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
