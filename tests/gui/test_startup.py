"""A window before the database (issue 21): the login shows with Qt alone, the database opens behind it."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from models.core import startup_peek
from models.core.errors import DatabaseUnusable

ROOT = Path(__file__).resolve().parents[2]


def _run_fresh(script: str, tmp_path) -> list[str]:
    """The lines a script prints in a fresh offscreen Python process with its own data folder."""
    env = {"QT_QPA_PLATFORM": "offscreen", "CADRECARE_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.splitlines()


@pytest.fixture
def with_admin(db, db_path):
    from models.services import accounts

    with db.session() as s:
        accounts.create_first_admin(s, "wangjun", "王军", "Anfang2026x")
    db.dispose()
    return db_path


def test_first_window_is_read_without_opening_the_database(tmp_path, db_path, with_admin):
    assert startup_peek.first_window(tmp_path / "new.sqlite3") == startup_peek.FIRST_RUN
    assert startup_peek.first_window(with_admin) == startup_peek.LOGIN
    assert startup_peek.first_window(f"sqlite:///{with_admin}") == startup_peek.LOGIN
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x8a" * 4096)  # an encrypted file looks like this
    for unknown in (empty, garbage, "postgresql+psycopg://u@localhost/cadres", tmp_path):
        assert startup_peek.first_window(unknown) == startup_peek.UNKNOWN, unknown


def test_a_migrated_database_without_accounts_is_a_first_run(db, db_path):
    db.dispose()
    assert startup_peek.first_window(db_path) == startup_peek.FIRST_RUN


def test_login_window_shows_before_sqlalchemy_is_loaded(with_admin, tmp_path):
    """In a fresh process, with the database held back: the login window is on screen and SQLAlchemy is not even
    imported; released, the same window logs in."""
    script = f"""
import sys, threading
sys.path.insert(0, {str(ROOT)!r})
import gui.startup as st
gate = threading.Event()
original = st.DatabaseLoader._run
def held(self):
    gate.wait(30)
    original(self)
st.DatabaseLoader._run = held
from gui.app import begin_login, create_application
app = create_application(sys.argv[:1])
start = begin_login({str(with_admin)!r})
start.dialog.show()
app.processEvents()
print("shown", start.dialog.isVisible(), "sqlalchemy" in sys.modules, flush=True)
start.dialog.username_edit.setText("wangjun")
start.dialog.password_edit.setText("Anfang2026x")
start.dialog.ok_button.click()
print("waiting", start.dialog.message.text(), flush=True)
gate.set()
import time
end = time.monotonic() + 30
while start.dialog.result() != 1 and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.01)
print("done", start.dialog.result(), start.dialog.actor.username, flush=True)
start.database().dispose()
"""
    lines = _run_fresh(script, tmp_path)
    assert "shown True False" in lines
    assert "waiting 正在打开数据库，请稍候……" in lines
    assert "done 1 wangjun" in lines


def test_a_database_that_cannot_be_opened_closes_the_login_with_its_message(qtbot, with_admin, monkeypatch):
    import gui.app as app_module
    import models.core.db as db_module

    gate = threading.Event()

    def refuse(_arg, **_kw):
        gate.wait(10)
        raise DatabaseUnusable("数据库由更新版本的程序建立，本程序无法安全使用。请升级本程序后再打开。")

    monkeypatch.setattr(db_module, "open_database", refuse)
    start = app_module.begin_login(str(with_admin))
    assert start is not None
    qtbot.addWidget(start.dialog)
    start.dialog.show()
    gate.set()
    qtbot.waitUntil(lambda: not start.dialog.isVisible(), timeout=5000)
    assert start.dialog.result() == QDialog.Rejected
    with pytest.raises(DatabaseUnusable, match="更新版本"):
        start.database()


def test_login_through_the_pending_database_counts_a_wrong_password(qtbot, with_admin):
    import gui.app as app_module

    start = app_module.begin_login(str(with_admin))
    qtbot.addWidget(start.dialog)
    start.dialog.show()
    qtbot.waitUntil(lambda: start.loader.done, timeout=20000)
    start.dialog.username_edit.setText("wangjun")
    start.dialog.password_edit.setText("wrong-password-1")
    qtbot.mouseClick(start.dialog.ok_button, Qt.LeftButton)
    assert start.dialog.isVisible() and "密码" in start.dialog.message.text()
    start.dialog.password_edit.setText("Anfang2026x")
    qtbot.mouseClick(start.dialog.ok_button, Qt.LeftButton)
    assert start.dialog.result() == QDialog.Accepted and start.dialog.actor.role == "admin"
    start.database().dispose()


def test_the_database_opens_only_once_the_login_window_is_built(qtbot, with_admin):
    """Importing SQLAlchemy holds the GIL: started at once, the loader slowed the building of the window itself."""
    import gui.app as app_module

    start = app_module.begin_login(str(with_admin))
    qtbot.addWidget(start.dialog)
    assert not start.loader._thread.is_alive() and not start.loader.done  # nothing opened while the window is built
    start.dialog.show()
    qtbot.waitUntil(lambda: start.loader.done, timeout=20000)  # … and opened right after, with no click
    start.database().dispose()


def test_a_loader_not_yet_started_starts_when_its_database_is_asked_for(with_admin):
    from gui.startup import DatabaseLoader
    from models.core.db import open_database

    loader = DatabaseLoader(lambda: open_database(str(with_admin)), start=False)
    assert not loader.done
    loader.result(timeout=20).dispose()  # a user who quits before the timer fired


def test_while_the_person_types_the_loader_prepares_what_login_needs(with_admin, tmp_path):
    """In a fresh process: once the loader has settled, the mappers are configured and the main window's, the first
    page's and the accounts' modules are loaded, and then the survivors of the start are frozen out of the
    collector's view, so that pressing 登录 does not pay for them."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from gui.app import begin_login, create_application
app = create_application(sys.argv[:1])
start = begin_login({str(with_admin)!r})
start.dialog.show()
app.processEvents()
before = "gui.main_window" in sys.modules
start.loader.result(timeout=60)
print("settled", start.loader.wait_settled(timeout=60), flush=True)
from models.entities import Cadre
print("before", before, "after", "gui.main_window" in sys.modules, "gui.pages.dashboard_page" in sys.modules,
      "models.services.accounts" in sys.modules, "configured", Cadre.__mapper__.configured, flush=True)
import gc, time
frozen_before = gc.get_freeze_count()
end = time.monotonic() + 5
while gc.get_freeze_count() == 0 and time.monotonic() < end:  # the window's own step while the person types
    app.processEvents()
    time.sleep(0.01)
print("frozen", frozen_before == 0, gc.get_freeze_count() > 10000, flush=True)
start.database().dispose()
"""
    lines = _run_fresh(script, tmp_path)
    assert "settled True" in lines
    assert "before False after True True True configured True" in lines
    # the objects of the start moved out of the collector's view, so that a collection after 登录 is short
    assert "frozen True True" in lines
