"""Shared fixtures: offscreen Qt, a private data folder, and a fresh real SQLite database per test."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.pg_support import pg_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _garbage_collected_in_the_main_thread():
    """As the program does (gui/gc_guard.py): no automatic collection, which could run in a worker thread of one
    test and destroy Qt objects another test left behind (a segfault seen once in CI); the main thread collects
    after each test, once the background jobs have finished."""
    import gc

    gc.disable()
    yield
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30_000)
    _COLLECTED[0] += 1
    # the young generations after every test (cheap); the whole heap every FULL_EVERY tests (a full pass over a
    # process holding Qt and SQLAlchemy costs ~0.2 s: after every test it made the suite 2× slower)
    gc.collect(2 if _COLLECTED[0] % FULL_EVERY == 0 else 1)


FULL_EVERY = 25
_COLLECTED = [0]


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    os.environ["CADRECARE_DATA_DIR"] = str(folder)
    yield folder


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    """Migrated once per run, copied per test: every test gets a real, fully migrated SQLite file."""
    from models.core.db import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(path)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def db_path(tmp_path, _template_db) -> Path:
    if pg_url():
        pytest.skip("SQLite-file test; CADRECARE_PG_URL runs the suite against PostgreSQL")
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(_template_db, path)
    return path


@pytest.fixture(scope="session")
def _pg_databases():
    """PostgreSQL mode (tests/pg_support.py): a migrated template database, one copy per test."""
    from tests.pg_support import PgDatabases

    dbs = PgDatabases(pg_url())
    yield dbs
    dbs.close()


@pytest.fixture
def db(request):
    from models.core.db import open_database

    if pg_url():
        dbs = request.getfixturevalue("_pg_databases")
        url = dbs.new_url()
        database = open_database(url)
        yield database
        database.dispose()
        dbs.drop(url)
        return
    database = open_database(request.getfixturevalue("db_path"))
    yield database
    database.dispose()


@pytest.fixture
def admin():
    from models.core.actor import Actor

    return Actor(username="admin", role="admin", display_name="管理员")


@pytest.fixture
def officer():
    from models.core.actor import Actor

    return Actor(username="jbr", role="officer", display_name="经办人")


@pytest.fixture
def viewer():
    from models.core.actor import Actor

    return Actor(username="cyr", role="viewer", display_name="查阅人")


CLI_PASSWORD = "Kx7#cli-test-2026"


@pytest.fixture
def cli_account(monkeypatch):
    """`cli_account(db)` → ["--user", NAME]: an account of `role` in that database (path, URL or Database) for the
    headless commands, with its password in CADRECARE_PASSWORD (also seen by subprocesses)."""
    from models.core.actor import Actor
    from models.core.db import Database, open_database
    from models.entities import User
    from models.services import accounts

    monkeypatch.setenv("CADRECARE_PASSWORD", CLI_PASSWORD)

    def make(db, role: str = "admin", username: str | None = None) -> list[str]:
        name = username or f"cli-{role}"
        database = db if isinstance(db, Database) else open_database(db)
        try:
            with database.session() as s:
                if accounts._find(s, name) is None:
                    if not accounts.has_users(s):
                        accounts.create_first_admin(s, name, "命令行测试", CLI_PASSWORD)
                        if role != "admin":
                            s.query(User).filter_by(username=name).update({"role": role})
                    else:
                        accounts.create_user(s, Actor("setup", "admin"), name, "命令行测试", role, CLI_PASSWORD)
                s.query(User).filter_by(username=name).update({"must_change_password": False})
        finally:
            if database is not db:
                database.dispose()
        return ["--user", name]

    return make


@pytest.fixture(autouse=True)
def _forms_discard_without_asking(monkeypatch, request):
    """A test that leaves a filled form open would otherwise stop at "放弃修改？" when the form is closed at the
    end of the test. tests/gui/test_dialogs_fit.py asks for `ask_before_discard` to test the question itself."""
    if "ask_before_discard" in request.fixturenames:
        return
    from gui.widgets.form_dialog import FormDialog

    monkeypatch.setattr(FormDialog, "confirm_discard", lambda self: True)


@pytest.fixture
def ask_before_discard():
    """Keep FormDialog's real question (the test answers it)."""
