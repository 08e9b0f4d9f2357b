"""Engine, sessions and the schema check on start.

Opening a database:
- a SQLite path is checked read-only first (is it a database? is it intact? is the folder writable?), so that a
  file we refuse is left byte-for-byte unchanged;
- the schema revision is compared with ours: newer → refused; older → the file is copied aside, then upgraded;
  empty → created by running every migration from the first.
Services flush but never commit; one user action = one `with db.session() as s:` block = one transaction.

Lock safety (Linux): SQLite's locks are POSIX fcntl locks, and closing *any* descriptor of a file drops every
lock the process holds on it. So once this process is connected to a database file, nothing but SQLite (the
same library) may open that file or its -wal/-shm: `CONNECTED` remembers what the header check found, and
`refuse_live_file` stops code that is about to read a file a user picked.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import SQLAlchemyError as SQLAlchemyError  # re-exported: the GUI names no SQLAlchemy module
from sqlalchemy.orm import Session as Session  # re-exported: the session type the GUI's operations hand to services
from sqlalchemy.orm import sessionmaker

from models.core.db_faults import StorageFault, translate
from models.core.errors import AppError, DatabaseUnusable
from models.core.text_limits import refuse_bad_text
from models.core.paths import PROJECT_ROOT, default_db_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
PG_LOCK_TIMEOUT_MS = 10_000
PASSPHRASE_ENV = "CADRECARE_PASSPHRASE"  # the passphrase of an encrypted database, for the command line


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


def alembic_config() -> Config:
    from alembic.config import Config  # alembic is imported only when a migration runs (start-up time)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


_REV = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+|None)['\"]?", re.M)


@functools.lru_cache(maxsize=1)
def known_revisions() -> tuple[frozenset[str], str]:
    """(every revision, the head) read from the migration files themselves, without importing alembic."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        fields = dict((k, v) for k, v in _REV.findall(script.read_text(encoding="utf-8")))
        if "revision" in fields:
            revisions.add(fields["revision"])
            if fields.get("down_revision") not in (None, "None"):
                parents.add(fields["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return frozenset(revisions), heads.pop()


def head_revision() -> str:
    return known_revisions()[1]


@dataclass
class _Connected:
    encrypted: bool
    count: int = 0


# Database files this process is connected to (resolved path → what the header check found). Guarded by the GIL.
CONNECTED: dict[str, _Connected] = {}
LIVE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.fspath(path))


def remember_connected(path: Path, encrypted: bool) -> None:
    entry = CONNECTED.setdefault(_key(path), _Connected(encrypted))
    entry.encrypted = encrypted
    entry.count += 1


def forget_connected(path: Path) -> None:
    entry = CONNECTED.get(_key(path))
    if entry is not None:
        entry.count -= 1
        if entry.count <= 0:
            del CONNECTED[_key(path)]


def connected_facts(path: str | os.PathLike[str]) -> _Connected | None:
    """What was found when this process connected to `path`, or None when it is not connected to it."""
    return CONNECTED.get(_key(path))


def live_database_of(path: str | os.PathLike[str]) -> Path | None:
    """The database this process is connected to of which `path` is the file or its -wal/-shm/-journal."""
    key = _key(path)
    for suffix in LIVE_SUFFIXES:
        if suffix and key.endswith(suffix) and key[: -len(suffix)] in CONNECTED:
            return Path(key[: -len(suffix)])
        if not suffix and key in CONNECTED:
            return Path(key)
    return None


def refuse_live_file(path: str | os.PathLike[str], what: str = "这个文件") -> None:
    """Raise AppError before anything opens `path` when it is a file of the open database: reading it outside
    SQLite would drop the program's locks on it (and it is no backup, import or picture anyway)."""
    live = live_database_of(path)
    if live is not None:
        raise AppError(f"{what}是程序正在使用的数据库文件（{live.name}），不能这样打开。请选择另一个文件。")


def read_header(path: Path) -> bytes:
    """The first 16 bytes of a database file this process is NOT connected to (else a programming error:
    the caller must use `connected_facts`)."""
    if live_database_of(path) is not None:
        raise RuntimeError("reading the header of a connected database would drop its SQLite locks")
    with open(path, "rb") as fh:
        return fh.read(16)


def refuse_empty_file(path: Path) -> None:
    """An existing database file of 0 bytes (a failed write or copy leaves one) is never a new, empty database."""
    if path.is_file() and path.stat().st_size == 0:
        raise DatabaseUnusable(
            f"数据库文件“{path}”是空的（0 字节），可能是上次写入或复制没有完成。程序不会把它当作新数据库。"
            "请从备份恢复（python main.py restore 备份文件 --db …）；确实要新建数据库时，请换一个文件名。"
        )


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a usable SQLite database without writing a byte to it.

    An existing file of 0 bytes is refused too (a failed write or copy leaves one): it is never taken for a new,
    empty database. A file this process is already connected to was checked then and is not opened again."""
    if connected_facts(path) is not None:
        return
    folder = path.parent
    if path.is_dir():
        raise DatabaseUnusable(f"“{path}”是一个文件夹，不是数据库文件。请指定一个 .sqlite3 文件的路径。")
    if not folder.exists():
        raise DatabaseUnusable(f"数据库所在的文件夹“{folder}”不存在。请先建立该文件夹或换一个路径。")
    if not os.access(folder, os.W_OK):
        raise DatabaseUnusable(
            f"没有在文件夹“{folder}”中写入的权限，无法保存数据。请换一个有写权限的文件夹，或请管理员开放权限。"
        )
    if not path.exists():
        return
    refuse_empty_file(path)
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnusable(f"没有读写数据库文件“{path}”的权限。请请管理员开放该文件的读写权限。")
    header = read_header(path)
    if header != SQLITE_MAGIC:
        raise DatabaseUnusable(
            f"“{path}”不是本程序的数据库文件（也不是未加密的 SQLite 数据库）。请检查路径；如果它是加密的数据库，"
            f"请提供口令（图形界面中输入，命令行用环境变量 {PASSPHRASE_ENV}）；如需恢复数据，请使用备份文件。"
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # The full page check costs about a second per 150 MB; a large file gets the cheap checks here
            # (header, schema readable) and damage deeper inside is reported when those pages are read.
            size = path.stat().st_size
            rows = conn.execute("PRAGMA quick_check").fetchall() if size <= QUICK_CHECK_MAX_BYTES else [("ok",)]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnusable(f"数据库文件“{path}”已损坏（{exc}）。请从备份恢复：python main.py restore 备份文件 --db …") from exc
    if rows != [("ok",)]:
        raise DatabaseUnusable(f"数据库文件“{path}”已损坏（完整性检查未通过）。请从备份恢复。")
    if tables and "alembic_version" not in tables:
        raise DatabaseUnusable(f"“{path}”是其他程序的 SQLite 数据库，不是本程序的数据库。请指定正确的文件。")


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


def aside_path(path: Path, tag: str) -> Path:
    """Where a copy of `path` is kept aside: `<name>.<tag>-<time>.sqlite3` beside it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix}")


def copy_sqlite(
    src_path: Path, dst_path: Path, step: Callable[[int, int, int], object] | None = None, pages: int = -1
) -> None:
    """Copy a plain SQLite file into `dst_path` with SQLite's backup API: consistent even while others write or a
    WAL file lies beside it, and an existing target is replaced page by page under SQLite's lock.
    `step(status, remaining, total)` is called after each batch of `pages` pages."""
    src = sqlite3.connect(f"file:{Path(src_path).as_posix()}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(dst_path, timeout=30)
        try:
            with dst:
                src.backup(dst, pages=pages, progress=step)
        finally:
            dst.close()
    finally:
        src.close()


def copy_aside(path: Path, tag: str) -> Path:
    target = aside_path(path, tag)
    copy_sqlite(path, target)
    return target


def _undo_failed_upgrade(path: Path | None, copy: Path | None, rev: str | None, exc: Exception) -> None:
    """An upgrade that failed half-way: SQLite runs DDL outside the transaction, so part of it may have stayed.
    Put the copy made before the upgrade back (through SQLite, so a WAL file beside it is honoured) and refuse."""
    log.exception("upgrade from %s failed", rev)
    where = ""
    if path is not None and copy is not None:
        copy_sqlite(copy, path)
        where = f"数据库文件已恢复为升级前的样子（另有一份副本“{copy.name}”）。"
    raise DatabaseUnusable(
        f"把数据库升级到本程序的结构版本时出错（{exc.__class__.__name__}），未能完成。{where}"
        "请先继续使用原来版本的程序，并把日志文件（帮助 → 关于）发给技术支持。"
    ) from exc


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


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (alembic_version), None for an empty database."""
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def open_database(db: str | os.PathLike[str] | None = None, *, upgrade: bool = True,
                  passphrase: str | None = None, keep_copy: bool = True, read_only: bool = False) -> Database:
    """Open (and create or upgrade) the database. Raises DatabaseUnusable with a Chinese message.

    With a passphrase (argument, or the environment variable CADRECARE_PASSPHRASE for the command line) the
    file is an encrypted SQLCipher database (models/core/encryption.py). `read_only`: another program holds the
    database; nothing but logins is written (READ_ONLY_WRITABLE) and an older schema is not upgraded."""
    if read_only:
        opened = open_database(db, upgrade=False, passphrase=passphrase)
        opened.read_only = True
        if current_revision(opened.engine) != head_revision():
            opened.dispose()
            raise DatabaseUnusable("数据库需要先升级到本程序的结构版本，而它正被另一个程序使用，不能以只读方式打开。"
                                   "请关闭另一个程序后再打开。")
        return opened
    url = resolve_url(db)
    path = sqlite_path(url)
    passphrase = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV) or None
    if passphrase and path is not None:
        from models.core.encryption import open_encrypted_database  # SQLCipher is optional

        return open_encrypted_database(path, passphrase, upgrade=upgrade, keep_copy=keep_copy)
    if path is not None:
        _check_sqlite_file(path)
    try:
        engine = make_engine(url)
        rev = current_revision(engine)
    except SQLAlchemyError as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        raise DatabaseUnusable(f"无法连接数据库“{shown}”：{exc.__class__.__name__}。请检查地址、账号和网络。") from exc
    known, head = known_revisions()
    if rev is not None and rev not in known:
        engine.dispose()
        raise DatabaseUnusable(
            f"数据库“{make_url(url).render_as_string(hide_password=True)}”由更新版本的程序建立（结构版本 {rev}），"
            "本程序无法安全使用。请升级本程序后再打开。"
        )
    db_obj = Database(url=url, engine=engine, factory=sessionmaker(engine, expire_on_commit=False))
    if upgrade and rev != head:
        if rev is not None and path is not None and keep_copy:
            db_obj.backup_path = copy_aside(path, f"before-upgrade-{rev}")
            log.info("copied %s aside to %s before upgrading from %s", path, db_obj.backup_path, rev)
        db_obj.upgraded_from = rev
        from alembic import command

        cfg = alembic_config()
        try:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except Exception as exc:
            db_obj.dispose()
            _undo_failed_upgrade(path, db_obj.backup_path, rev, exc)
    if db_obj.is_sqlite:
        refresh_statistics(engine)
    return db_obj


def refresh_statistics(engine: Engine, *, force: bool = False) -> None:
    """The planner needs statistics to pick the list indexes (30-day list: 60 ms without, 11 ms with).
    PRAGMA optimize does not create them on SQLite 3.40, so ANALYZE runs once when they are missing
    (about 0.7 s on 100,000 cadres), and after large imports with force=True."""
    with engine.begin() as conn:
        has_stats = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='sqlite_stat1'").first() is not None
        if force or not has_stats:
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("PRAGMA optimize")
