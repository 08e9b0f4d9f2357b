"""Opening a database: the checks before, the upgrade, and the statistics after.

- a SQLite path is checked read-only first (is it a database? is it intact? is the folder writable?), so that a
  file we refuse is left byte-for-byte unchanged;
- the schema revision is compared with ours: newer → refused; older → the file is copied aside, then upgraded;
  empty → created by running every migration from the first.

The building blocks live below this module (models/core/engine.py: engines and sessions; connected_files.py: the
files this process holds, see "Lock safety" there; schema_version.py: revisions), so that the encrypted opening
(models/core/encryption.py), which this module calls, uses them without importing it back. They are re-exported
here: callers open a database and name its parts from one place.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError as SQLAlchemyError  # re-exported: the GUI names no SQLAlchemy module
from sqlalchemy.orm import Session as Session  # re-exported: the session type the GUI's operations hand to services
from sqlalchemy.orm import sessionmaker

from models.core.connected_files import (  # re-exported
    CONNECTED as CONNECTED, LIVE_SUFFIXES as LIVE_SUFFIXES, SQLITE_MAGIC as SQLITE_MAGIC, aside_path as aside_path,
    connected_facts as connected_facts, live_database_of as live_database_of, read_header as read_header,
    refuse_empty_file as refuse_empty_file, refuse_live_file as refuse_live_file,
)
from models.core.engine import (  # re-exported
    READ_ONLY_MESSAGE as READ_ONLY_MESSAGE, READ_ONLY_WRITABLE as READ_ONLY_WRITABLE, Database as Database,
    make_engine as make_engine, resolve_url as resolve_url, sqlite_path as sqlite_path,
)
from models.core.errors import DatabaseUnusable
from models.core.schema_version import (  # re-exported
    MIGRATIONS_DIR as MIGRATIONS_DIR, alembic_config as alembic_config, current_revision as current_revision,
    head_revision as head_revision, known_revisions as known_revisions,
)

log = logging.getLogger(__name__)
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
PASSPHRASE_ENV = "CADRECARE_PASSPHRASE"  # the passphrase of an encrypted database, for the command line


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
