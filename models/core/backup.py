"""Backups and restores of the SQLite database file (design §6).

- `backup_database` copies with SQLite's online backup API (consistent even while others write), into a
  temporary file beside the target that is checked and only then renamed: a half-written backup never carries
  the backup's name. The copy is switched to a single-file journal mode so it stands alone.
- `check_backup_file` looks at a file before anything is replaced: the SQLite header, `PRAGMA integrity_check`,
  our tables, and an Alembic revision that this program knows (an older one is upgraded after the restore; a
  newer or unknown one is refused).
- `restore_database` checks first, copies the current database aside (`<name>.before-restore-<time>.sqlite3`),
  then copies the backup into place with the backup API (so a database other connections have open is replaced
  page by page under SQLite's lock, never half-copied), upgrades it if it is older, and logs the restore.
- `auto_backup` makes at most one backup a day into the data folder's backups/ and removes automatic backups
  older than `backup.keep_days` days (only files it made itself, recognised by their name).
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy.engine import make_url

from models.core import audit, audit_anchor, settings_store
from models.core.actor import ROLE_ADMIN, Actor
from models.core.db import (
    LIVE_SUFFIXES, PASSPHRASE_ENV, SQLITE_MAGIC, Database, alembic_config, aside_path, copy_sqlite,
    live_database_of, open_database, refuse_live_file, resolve_url, sqlite_path,
)
from models.core.db_faults import StorageFault, fault_kind, translate
from models.core.errors import AppError
from models.core.progress import Progress

log = logging.getLogger(__name__)
AUTO_RE = re.compile(r"^(?P<stem>.+)-auto-(?P<day>\d{8})\.sqlite3$")
# Automatic backups run at start whoever logs in; they are logged under this name.
AUTO_ACTOR = Actor(username="auto-backup", role=ROLE_ADMIN, display_name="自动备份")
REQUIRED_TABLES = {"alembic_version", "cadre", "audit_event", "app_user"}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    revision: str
    cadres: int
    audit_entries: int
    size: int
    encrypted: bool = False  # a backup of an encrypted database, with the same passphrase
    last_audit_seq: int = 0  # the newest audit entry the file holds
    # When the backup was made: the time of its own "backup" audit entry (written just before the copy), else of
    # its last audit entry; None for a copy without either. Not the file's time, which a copy or download resets.
    made_at: datetime | None = None
    last_audit_hash: str = ""  # … and its hash: the anchor the backup carries (models/core/audit_anchor.py)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    aside: Path | None
    revision: str
    upgraded: bool


def _db_file(db: Database | str | os.PathLike[str]) -> Path:
    url = db.url if isinstance(db, Database) else resolve_url(db)
    path = sqlite_path(url)
    if path is None:
        backend = make_url(url).get_backend_name()
        raise AppError(
            f"“{backend}”数据库不能用本程序备份。共用 PostgreSQL 服务器时，请由服务器管理员用 pg_dump 备份"
            "（例：pg_dump -Fc -d 数据库名 -f 备份.dump），用 pg_restore 恢复。"
        )
    return path


def passphrase_of(db: Database | str | os.PathLike[str]) -> str | None:
    """The passphrase of an encrypted database: from the URL it was opened with (the GUI), else the environment
    variable the command line takes it from, as `--db` does."""
    if isinstance(db, Database):
        url = make_url(db.url)
        if url.drivername.endswith("pysqlcipher"):
            return url.password
    return os.environ.get(PASSPHRASE_ENV) or None


def _need_key(path: Path, passphrase: str | None, what: str) -> str:
    from models.core import encryption

    if not encryption.available():
        raise AppError(f"{what}“{path.name}”是加密的，本机没有加密组件 sqlcipher3。请运行安装脚本后重试。")
    if not passphrase:
        raise AppError(f"{what}“{path.name}”是加密的。请提供数据库口令（命令行用环境变量 {PASSPHRASE_ENV}）。")
    return passphrase


def _read_only(path: Path, passphrase: str | None) -> Any:
    """A read-only DB-API connection to a plain file, or to an encrypted one with its key (SQLCipher)."""
    if passphrase is None:
        return sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    from models.core import encryption

    return encryption.connect(path, passphrase)


def _known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]  # oldest first


def check_backup_file(path: str | os.PathLike[str], passphrase: str | None = None) -> BackupInfo:
    """Raise AppError (what is wrong, what to do) unless `path` is a sound backup this program can restore.
    A backup of an encrypted database is encrypted with the same passphrase, which it then needs."""
    path = Path(path)
    refuse_live_file(path, "所选的备份文件")
    if not path.exists():
        raise AppError(f"找不到备份文件“{path}”。请检查路径。")
    if path.is_dir():
        raise AppError(f"“{path}”是文件夹，不是备份文件。请选择备份文件本身。")
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise AppError(f"无法读取备份文件“{path}”：{exc.strerror or exc}。请检查文件权限。") from None
    key = None
    if header != SQLITE_MAGIC:
        # without the key an encrypted backup cannot be told from any other file
        if not passphrase or len(header) < 16:
            raise AppError(f"“{path}”不是本程序的备份文件（不是 SQLite 数据库）。请选择由“备份”生成的文件；"
                           f"如果它是加密数据库的备份，请提供数据库口令（命令行用环境变量 {PASSPHRASE_ENV}）。")
        key = _need_key(path, passphrase, "备份文件")
    try:
        conn = _read_only(path, key)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = cadres = entries = made_at = None
            last_seq, last_hash = 0, ""
            if REQUIRED_TABLES <= tables and check == [("ok",)]:
                revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                cadres = conn.execute("SELECT count(*) FROM cadre").fetchone()[0]
                entries, last_seq = conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM audit_event").fetchone()
                made_at = _made_at(conn)
                head = conn.execute("SELECT hash FROM audit_event WHERE seq = ?", (last_seq,)).fetchone()
                last_hash = head[0] if head else ""  # the backup carries the head of its chain (audit_anchor)
        finally:
            conn.close()
    except Exception as exc:  # sqlite3 or sqlcipher3 DatabaseError
        if key is not None:
            raise AppError(f"无法打开备份文件“{path.name}”：它不是本程序的备份，或是加密的备份而口令不正确。"
                           "请核对口令和文件后重试。") from None
        raise AppError(f"备份文件“{path}”已损坏（{exc}），不能用来恢复。请换一个备份文件。") from None
    if check != [("ok",)]:
        raise AppError(f"备份文件“{path}”已损坏（完整性检查未通过），不能用来恢复。请换一个备份文件。")
    if not REQUIRED_TABLES <= tables:
        raise AppError(f"“{path}”是其他程序的 SQLite 数据库，不是本程序的备份。请选择由“备份”生成的文件。")
    if revision is None:
        raise AppError(f"备份文件“{path}”没有结构版本记录，不能用来恢复。请换一个备份文件。")
    revision = revision[0]
    if revision not in _known_revisions():
        raise AppError(
            f"备份文件“{path}”由更新版本的程序生成（结构版本 {revision}），本程序不能恢复它。请先升级本程序。"
        )
    return BackupInfo(path=path, revision=revision, cadres=cast(int, cadres), audit_entries=cast(int, entries),
                      size=path.stat().st_size,
                      encrypted=key is not None, last_audit_seq=last_seq, made_at=made_at,
                      last_audit_hash=last_hash)


def _made_at(conn: Any) -> datetime | None:
    row = conn.execute("SELECT at FROM audit_event WHERE action = 'backup' ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None:
        row = conn.execute("SELECT at FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None or row[0] is None:
        return None
    try:
        return datetime.fromisoformat(str(row[0])).replace(microsecond=0)
    except ValueError:
        return None


def _copy(src_path: Path, dst_path: Path, progress: Progress | None) -> None:
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress.update(total - remaining, total, "正在复制数据库")
            progress.check()

    copy_sqlite(src_path, dst_path, step, pages=256)


def fsync_file(path: Path) -> None:
    """Force a written copy to the disk (never used on a live database file: see models/core/connected_files.py)."""
    refuse_live_file(path)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_backup_target(src: Path, out: Path) -> None:
    if out.exists() and out.is_dir():
        raise AppError(f"“{out}”是文件夹。请给出备份文件的完整文件名，例如 {out / '干部记录备份.sqlite3'}。")
    if any(out.resolve() == Path(str(src.resolve()) + suffix) for suffix in LIVE_SUFFIXES):
        raise AppError("备份文件不能就是数据库文件本身。请换一个文件名或文件夹。")
    if not out.parent.is_dir():
        raise AppError(f"文件夹“{out.parent}”不存在。请先建立该文件夹，或换一个保存位置。")
    if not os.access(out.parent, os.W_OK):
        raise AppError(f"没有在文件夹“{out.parent}”中写入的权限。请换一个文件夹。")


def _online_backup(conn: Any, tmp: Path, progress: Progress | None) -> None:
    """SQLite's online backup API from an open connection of the program: a consistent copy that includes what
    is still in the WAL, restarted by SQLite when another connection writes meanwhile."""
    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress.update(total - remaining, total, "正在复制数据库")
            progress.check()

    dst = sqlite3.connect(tmp)
    try:
        conn.backup(dst, pages=256, progress=step)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()


def backup_database(
    db: Database | str | os.PathLike[str], out: str | os.PathLike[str], actor: Actor, *,
    progress: Progress | None = None,
    audit_summary: str | None = None,
) -> BackupInfo:
    """Write a checked backup of the database to `out` and log it. Returns what the backup holds.

    The copy is read through the program's own connection (a path is opened first), never from the file: the
    backup is consistent with what the program has committed, WAL included, and no descriptor of the database
    file is opened and closed beside SQLite's. It is written to a temporary file, checked (integrity, tables,
    and that it holds this backup's own audit entry), synced, and only then renamed to `out`."""
    actor.require("admin")
    src = _db_file(db)
    out = Path(out).expanduser().absolute()
    owned = not isinstance(db, Database)
    if owned and not src.exists():
        raise AppError(f"找不到数据库文件“{src}”。请检查 --db 后面的路径。")
    _check_backup_target(src, out)
    database = db if isinstance(db, Database) else open_database(db, upgrade=False)
    try:
        return _backup_from(database, src, out, actor, progress, audit_summary)
    finally:
        if owned:
            database.dispose()


def _backup_from(database: Database, src: Path, out: Path, actor: Actor, progress: Progress | None,
                 audit_summary: str | None) -> BackupInfo:
    key = None
    if database.encrypted:
        key = _need_key(src, passphrase_of(database), "数据库")
    # Log first, so the backup holds its own entry and the chain in the copy is complete.
    with database.session() as s:
        seq = audit.record(s, actor, "backup", "database", None, after={"file": str(out)},
                           summary=audit_summary or f"备份数据库到 {out}").seq
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.unlink(missing_ok=True)
        with database.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            if key is None:
                _online_backup(raw, tmp, progress)
            else:
                from models.core import encryption

                encryption.export_into(raw, tmp, key)  # the backup of an encrypted database stays encrypted
        info = check_backup_file(tmp, key)
        if info.last_audit_seq < seq:
            raise AppError("备份写完后的检查未通过：备份中缺少刚才的记录。备份没有保存，请重试。")
        fsync_file(tmp)
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        _record_failed_backup(database, actor, out, exc)
        fault = translate(exc, "备份")
        if fault is not None:
            raise fault from exc
        raise
    log.info("backup of %s written to %s", src, out)
    return replace(info, path=out)


def _record_failed_backup(database: Database, actor: Actor, out: Path, exc: BaseException) -> None:
    """The log says the backup did not happen (its 'backup' entry is already in the chain)."""
    try:
        with database.session() as s:
            audit.record(s, actor, "backup_failed", "database", None,
                         after={"file": str(out), "error": exc.__class__.__name__},
                         summary=f"备份到 {out} 没有完成")
    except Exception:  # noqa: BLE001 - the database itself may be what failed; the first error is reported
        log.exception("could not log the failed backup")


class _InUse(AppError):
    pass


RESTORE_UNCHANGED = "当前数据库保持原样，没有任何改动。"
IN_USE_MESSAGE = ("恢复没有完成：另一个程序（或另一台电脑）正打开着这个数据库。请先关闭所有使用它的程序后重试。"
                  + RESTORE_UNCHANGED)


def restore_database(
    backup_file: str | os.PathLike[str], db: Database | str | os.PathLike[str], actor: Actor, *,
    progress: Progress | None = None, passphrase: str | None = None,
) -> RestoreResult:
    """Check the backup; write the restored copy to a temporary file in the target's folder, upgrade it if older,
    log the restore in it, check and sync it; only then checkpoint the current database (its WAL folded into the
    file, which also proves no other program has it open), rename it aside and rename the copy into place.

    Any failure before the last two renames leaves the current database exactly as it was and raises one
    Chinese line that says so. An encrypted backup needs its passphrase (given, or the one the database was
    opened with, or the environment's) and is restored encrypted with it."""
    actor.require("admin")
    key = passphrase or passphrase_of(db)
    info = preflight_restore(backup_file, db, key)
    target = _db_file(db).absolute()
    aside = aside_path(target, "before-restore") if target.exists() else None
    tmp = target.with_name(f".{target.name}.restore.part")
    try:
        _remove_copy(tmp)
        upgraded, restored = _prepare_restored_copy(info, tmp, key, actor, aside, progress)
        if isinstance(db, Database):
            db.engine.dispose()  # the program's pooled connections let go of the old file (others would wait)
        if aside is not None:
            _set_aside(target, aside, _target_key(db, target, key))
        try:
            os.replace(tmp, target)  # the last step: the checked copy takes the database's name
        except BaseException:
            if aside is not None:
                _put_back(aside, target)
            raise
        fsync_dir(target.parent)
        audit_anchor.reset_after_restore(target, restored.last_audit_seq, restored.last_audit_hash)
    except BaseException as exc:
        _remove_copy(tmp)
        if isinstance(exc, AppError) and not isinstance(exc, StorageFault):
            raise
        fault = translate(exc, "恢复")
        if fault is None:
            raise
        log.warning("restore of %s failed (%s); the database is unchanged", target, fault.kind)
        message = fault.message if "保持原样" in fault.message else fault.message + RESTORE_UNCHANGED
        raise StorageFault(message, fault.kind) from exc
    log.info("restored %s from %s; previous copy at %s", target, info.path, aside)
    return RestoreResult(restored_from=info.path, aside=aside, revision=info.revision, upgraded=upgraded)


def preflight_restore(backup_file: str | os.PathLike[str], db: Database | str | os.PathLike[str],
                      passphrase: str | None = None) -> BackupInfo:
    """Everything a restore can know before it writes a byte: the backup is sound, it is not the database itself,
    there is room for the copy, and no other program has the database open. Raises AppError (nothing changed)."""
    target = _db_file(db).absolute()
    chosen = Path(backup_file).expanduser().absolute()
    if any(chosen.resolve() == Path(str(target.resolve()) + suffix) for suffix in LIVE_SUFFIXES):
        raise AppError("备份文件就是当前数据库文件本身，无需恢复。请选择另一个备份文件。")
    info = check_backup_file(chosen, passphrase)
    if isinstance(db, Database) and info.encrypted != db.encrypted:
        # the open program keeps using its connection settings: it cannot switch to or from encryption
        raise AppError("备份文件与当前数据库的加密方式不同（一个加密、一个未加密），不能在程序中直接恢复。"
                       "请关闭程序，在命令行用 restore 命令恢复（加密的备份需用环境变量 "
                       f"{PASSPHRASE_ENV} 提供口令）。")
    if not target.parent.is_dir():
        raise AppError(f"数据库所在的文件夹“{target.parent}”不存在。请检查 --db 后面的路径。")
    _check_free_space(target.parent, info.size)
    if _open_elsewhere(target):
        raise _InUse(IN_USE_MESSAGE)
    return info


SQLITE_SHARED_FIRST, SQLITE_SHARED_SIZE = 0x40000002, 510  # SQLite's SHARED lock range (PENDING_BYTE + 2)


def _open_elsewhere(target: Path) -> bool:
    """True when another process holds SQLite's shared lock on `target` (a WAL-mode connection keeps it while
    open). Probed with a lock of our own on a descriptor of our own, so never done by a process that is itself
    connected to the file (that would drop its locks); there the checkpoint in _set_aside tells instead."""
    if os.name != "posix" or live_database_of(target) is not None or not target.is_file():
        return False
    import fcntl

    fd = os.open(target, os.O_RDWR)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, SQLITE_SHARED_SIZE, SQLITE_SHARED_FIRST, os.SEEK_SET)
        except OSError:
            return True
        fcntl.lockf(fd, fcntl.LOCK_UN, SQLITE_SHARED_SIZE, SQLITE_SHARED_FIRST, os.SEEK_SET)
        return False
    finally:
        os.close(fd)


def _target_key(db: Database | str | os.PathLike[str], target: Path, key: str | None) -> str | None:
    """The key the current database file needs (None for a plain one); the open program knows it already."""
    if isinstance(db, Database):
        return key if db.encrypted else None
    from models.core import encryption

    return key if encryption.is_encrypted(target) else None


def _check_free_space(folder: Path, size: int) -> None:
    free = shutil.disk_usage(folder).free
    need = size + 1024 * 1024  # the copy, its journal and the restore's own log entry
    if free < need:
        raise StorageFault(
            f"恢复没有开始：数据库所在的磁盘空间不足（需要约 {need / 1024 / 1024:.1f} MB，只剩 {free / 1024 / 1024:.1f} MB）。"
            f"{RESTORE_UNCHANGED}请清理磁盘空间后重试。", "disk_full")


def _remove_copy(tmp: Path) -> None:
    for suffix in LIVE_SUFFIXES:
        Path(str(tmp) + suffix).unlink(missing_ok=True)


def _prepare_restored_copy(info: BackupInfo, tmp: Path, key: str | None, actor: Actor, aside: Path | None,
                           progress: Progress | None) -> tuple[bool, BackupInfo]:
    """The backup copied to `tmp` (through SQLite), upgraded, with the restore logged in it, folded into one file,
    checked and synced. True when it was upgraded from an older schema."""
    from models.core import encryption

    if info.encrypted:
        encryption.export_copy(info.path, key, tmp, key)
    else:
        _copy(info.path, tmp, progress)
    copy = open_database(tmp, passphrase=key if info.encrypted else "", keep_copy=False)
    try:
        with copy.session() as s:
            audit.record(s, actor, "restore_backup", "database", None,
                         after={"file": str(info.path), "revision": info.revision, "aside": str(aside) if aside else None},
                         summary=f"从备份 {info.path.name} 恢复数据库" + (f"，原数据库已另存为 {aside.name}" if aside else ""))
        upgraded = copy.upgraded_from is not None
    finally:
        copy.dispose()
    conn = _read_write(tmp, key if info.encrypted else None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # the WAL folded in: the copy stands alone when renamed
    finally:
        conn.close()
    checked = check_backup_file(tmp, key if info.encrypted else None)
    fsync_file(tmp)
    return upgraded, checked


def _read_write(path: Path, key: str | None) -> Any:
    if key is None:
        return sqlite3.connect(path, timeout=5)
    from models.core import encryption

    return encryption.connect(path, key)


def _set_aside(target: Path, aside: Path, key: str | None) -> None:
    """Checkpoint the current database (PRAGMA journal_mode=DELETE folds the WAL into the file and only succeeds
    when no other connection is open) and rename it aside. A damaged file, or one whose key is unknown, is
    renamed aside as it is, with its -wal and -shm beside it."""
    try:
        conn = _read_write(target, key)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except Exception as exc:  # sqlite3 / sqlcipher3 errors
        if fault_kind(exc) == "busy":
            mode = "wal"
        elif fault_kind(exc) in ("corrupt", None):
            mode = "damaged"
        else:
            raise
    if mode == "wal":
        raise _InUse(IN_USE_MESSAGE)
    os.rename(target, aside)
    for suffix in ("-wal", "-shm", "-journal"):  # nothing left after a checkpoint; a damaged file keeps its WAL
        old = Path(str(target) + suffix)
        if old.exists():
            os.rename(old, Path(str(aside) + suffix))


def _put_back(aside: Path, target: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal", ""):
        moved = Path(str(aside) + suffix)
        if moved.exists():
            os.replace(moved, Path(str(target) + suffix))


def auto_backup_name(db_file: Path, day: date) -> str:
    return f"{db_file.stem}-auto-{day:%Y%m%d}.sqlite3"


def list_auto_backups(folder: Path, db_file: Path) -> list[tuple[date, Path]]:
    found = []
    for p in Path(folder).glob(f"{db_file.stem}-auto-*.sqlite3"):
        m = AUTO_RE.match(p.name)
        if m and m.group("stem") == db_file.stem:
            try:
                found.append((datetime.strptime(m.group("day"), "%Y%m%d").date(), p))
            except ValueError:
                continue
    return sorted(found)


def auto_backup(db: Database, folder: Path, today: date, actor: Actor = AUTO_ACTOR) -> Path | None:
    """At most one automatic backup a day; old automatic backups beyond `backup.keep_days` are removed.

    Returns the new backup, or None when there was nothing to do (already done today, or not SQLite).
    """
    if not db.is_sqlite:
        return None
    db_file = _db_file(db)
    if not db_file.exists():
        return None
    with db.session() as s:
        keep_days = max(1, int(settings_store.get(s, "backup.keep_days")))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / auto_backup_name(db_file, today)
    made = None
    if not target.exists():
        backup_database(db, target, actor, audit_summary=f"自动备份数据库到 {target}")
        made = target
    cutoff = today - timedelta(days=keep_days)
    for day, path in list_auto_backups(folder, db_file):
        if day < cutoff:
            path.unlink(missing_ok=True)
            log.info("removed automatic backup %s (older than %d days)", path, keep_days)
    return made
