"""Engines and sessions: the connection settings, one transaction per user action, and the read-only guard.

Services flush but never commit; one user action = one `with db.session() as s:` block = one transaction.
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from models.core.connected_files import forget_connected, remember_connected
from models.core.db_faults import StorageFault, translate
from models.core.paths import default_db_path
from models.core.text_limits import refuse_bad_text

log = logging.getLogger("models.core.db")  # the storage-fault lines keep the name they have always had in the log
PG_LOCK_TIMEOUT_MS = 10_000


event.listen(Session, "before_flush", refuse_bad_text)

# A database opened read-only (another program holds it: models/core/instance_lock.py) still lets a user log in —
# the failed-login counter, the lock and the login entry are written — and refuses every other change.
READ_ONLY_WRITABLE = frozenset({"app_user", "audit_event"})
READ_ONLY_MESSAGE = ("数据库是以只读方式打开的（另一个程序正在使用它），不能修改。"
                     "需要修改时，请关闭另一个程序后重新打开本程序。")


def _refuse_read_only_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not session.info.get("read_only"):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tablename__", None) in READ_ONLY_WRITABLE:
            continue
        if obj in session.dirty and obj not in session.deleted and not session.is_modified(obj):
            continue  # touched, not changed
        raise StorageFault(READ_ONLY_MESSAGE, "query_only")


def _refuse_read_only_statement(state: Any) -> None:
    if not state.session.info.get("read_only") or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table not in READ_ONLY_WRITABLE:
        raise StorageFault(READ_ONLY_MESSAGE, "query_only")


event.listen(Session, "before_flush", _refuse_read_only_flush)
event.listen(Session, "do_orm_execute", _refuse_read_only_statement)


def resolve_url(db: str | os.PathLike[str] | None) -> str:
    """`--db` takes a file path or any SQLAlchemy URL; None means the default file in the data folder."""
    if db is None or str(db) == "":
        return f"sqlite:///{default_db_path()}"
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _set_sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # Never an endless wait: a row another PC has locked for 10 s fails with lock_not_available (55P03), which
        # models/core/db_faults.py says in Chinese; an unreachable server fails after 10 s too.
        return create_engine(url, pool_pre_ping=True,
                             connect_args={"connect_timeout": 10, "options": f"-c lock_timeout={PG_LOCK_TIMEOUT_MS}"})
    return create_engine(url, pool_pre_ping=True)


@dataclass
class Database:
    url: str
    engine: Engine
    factory: sessionmaker[Session]
    upgraded_from: str | None = None
    backup_path: Path | None = None
    read_only: bool = False  # opened while another program holds the database (models/core/instance_lock.py)

    def __post_init__(self) -> None:
        self._file = sqlite_path(self.url)
        if self._file is not None:
            remember_connected(self._file, self.encrypted)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One user action: commit when the block ends, roll back everything on any error. A full disk, read-only
        media, a busy database or a PostgreSQL lock wait becomes a StorageFault with one Chinese line."""
        s = self.factory()
        s.info["read_only"] = self.read_only
        try:
            yield s
            s.commit()
        except BaseException as exc:
            s.rollback()
            fault = translate(exc, "这次操作", query_only=self.read_only) if isinstance(exc, (DBAPIError, OSError)) else None
            if fault is not None:
                log.warning("storage fault (%s): %s", fault.kind, exc.__class__.__name__)
                raise fault from exc
            raise
        finally:
            s.close()

    @property
    def display_name(self) -> str:
        path = sqlite_path(self.url)
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    @property
    def encrypted(self) -> bool:
        return make_url(self.url).drivername.endswith("pysqlcipher")

    @property
    def file(self) -> Path | None:
        """The SQLite file, None for a server database."""
        return self._file

    def dispose(self) -> None:
        """Close every connection; the process no longer counts as connected to the file."""
        self.engine.dispose()
        if self._file is not None:
            forget_connected(self._file)
            self._file = None
