"""A window before the database (issue 21): the login shows with Qt alone; SQLAlchemy loads behind it.

Importing SQLAlchemy and the mapped classes and opening the database take most of a start (0.7 s of 1.3 s in the
README's run). A person needs several seconds to type a password, so the start runs that work in a background
thread while the login window waits for them: the main thread is idle then, so the thread has the interpreter to
itself (threads do not help while both want it). When 登录 is pressed the database is normally ready; otherwise
the dialog says it is still opening and waits.

Only a plain SQLite file whose first window is known (models/core/startup_peek.py) starts this way; anything else
(PostgreSQL, an encrypted file, a file that will be refused) opens the database first, as before, so that its
passphrase prompt or its refusal comes before any login.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from models.core.db import Database


class DatabaseLoader:
    """Opens the database in a background thread (SQLAlchemy, the entities, upgrade and checks included)."""

    def __init__(self, open_db: Callable[[], "Database"], *, start: bool = True):
        self._open = open_db
        self._done = threading.Event()
        self._settled = threading.Event()
        self._db: Database | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="open-database", daemon=True)
        self._started = False
        if start:
            self.start()

    def start(self) -> None:
        """Begin opening (once). The login window starts it after it is on the screen: importing SQLAlchemy holds
        the GIL, and started at once it slowed the building of the window itself by about half."""
        if not self._started:
            self._started = True
            self._thread.start()

    def _run(self) -> None:
        try:
            import models.entities  # noqa: F401 - the mapped classes, so that the first page does not pay for them
            self._db = self._open()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which shows it
            self._error = exc
        finally:
            self._done.set()
        if self._error is None:
            _warm_up()
        self._settled.set()

    def wait_settled(self, timeout: float | None = None) -> bool:
        """Wait until the work after the opening is done too (the benchmark presses 登录 after it, as a person
        who has typed a password does)."""
        self.start()
        return self._settled.wait(timeout)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def settled(self) -> bool:
        """Opened and warmed up (or failed)."""
        return self._settled.is_set()

    @property
    def error(self) -> BaseException | None:
        return self._error if self.done else None

    def result(self, timeout: float | None = None) -> "Database":
        """The open database (waiting for it); raises what opening it raised."""
        self.start()
        if not self._done.wait(timeout):
            raise TimeoutError("database still opening")
        if self._error is not None:
            raise self._error
        assert self._db is not None
        return self._db


def _warm_up() -> None:
    """What pressing 登录 would otherwise pay for, done while the person types: the mappers' configuration (the
    first ORM query runs it) and the modules of the main window and its first page. Only imports and class-level
    work, no Qt object is made here; a failure is left for the main thread to meet and report."""
    import importlib
    import logging

    try:
        import models.entities

        models.entities.configure()
        from gui.pages import PAGES

        importlib.import_module("models.services.accounts")  # argon2 and the password rules: 20 ms at 登录
        importlib.import_module("gui.main_window")
        importlib.import_module(PAGES[0][2])
    except Exception:  # noqa: BLE001 - a warm-up only: the same import on the main thread raises and is shown
        logging.getLogger(__name__).debug("warm-up after opening the database failed", exc_info=True)


class PendingDatabase:
    """Stands for the database while it opens: what the login dialog needs of a Database, without SQLAlchemy.

    `session()` waits for the loader (the dialog calls it only when 登录 is pressed)."""

    def __init__(self, loader: DatabaseLoader, path: Path):
        self.loader = loader
        self.display_name = str(path)

    @property
    def ready(self) -> bool:
        return self.loader.done

    @contextmanager
    def session(self) -> Iterator:
        with self.loader.result().session() as s:
            yield s
