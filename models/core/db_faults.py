"""Storage faults in plain Chinese: a full disk, read-only media, a busy or locked database, PostgreSQL lock waits.

`translate(exc, action)` turns an OSError, a sqlite3/sqlcipher3 error, a psycopg error or SQLAlchemy's wrapper of
one into an AppError whose message says what happened, that `action` was not done, and what to do. It returns
None for anything else (a programming error stays a programming error). The message never carries the SQL, the
parameters or a path's personal part: only what the user can act on.
"""
from __future__ import annotations

import errno
import sqlite3

from models.core.errors import AppError


class StorageFault(AppError):
    """A write the disk, the database or the server refused; nothing of the action was kept."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind  # "disk_full", "read_only", "busy", "io", "permission", "pg_lock", "pg_conflict", …


# SQLite primary result codes (https://sqlite.org/rescode.html)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = (
    5, 6, 8, 10, 11, 13, 14)
SQLITE_NOTADB = 26
_SQLITE_TEXT = (  # for drivers without sqlite_errorcode (sqlcipher3)
    ("database or disk is full", SQLITE_FULL), ("readonly database", SQLITE_READONLY),
    ("database is locked", SQLITE_BUSY), ("database table is locked", SQLITE_LOCKED),
    ("disk i/o error", SQLITE_IOERR), ("unable to open database", SQLITE_CANTOPEN),
    ("malformed", SQLITE_CORRUPT), ("file is not a database", SQLITE_NOTADB),
)


def _messages(action: str) -> dict[str, str]:
    return {
        "disk_full": f"磁盘空间不足，{action}没有完成，数据库保持原样。请清理磁盘空间（或换一个有空间的位置）后重试。",
        "read_only": f"存放位置是只读的（写保护的U盘、光盘或只读共享文件夹），{action}没有完成。"
                     "请取消写保护或换一个可写的位置后重试。",
        "query_only": f"数据库是以只读方式打开的（另一个程序正在使用它），{action}没有完成。"
                      "需要修改时，请关闭另一个程序后重新打开本程序。",
        "busy": f"数据库正忙：另一个程序或另一台电脑正在写入，等待 10 秒后仍未轮到，{action}没有完成。"
                "请稍后重试；一直如此时，请关闭其他正在使用该数据库的程序。",
        "permission": f"没有写入权限，{action}没有完成。请换一个有写权限的位置，或请管理员开放权限。",
        "io": f"读写磁盘时出错（I/O 错误），{action}没有完成。请检查磁盘、U盘或网络连接是否正常后重试；"
              "反复出现时请停止使用该磁盘并从备份恢复。",
        "corrupt": f"数据库文件已损坏，{action}没有完成。请从备份恢复（设置 → 备份与恢复，或 python main.py restore）。",
        "pg_lock": f"这些记录正被另一台电脑上的用户修改，等待 10 秒后仍未轮到，{action}没有保存。请稍后重试。",
        "pg_conflict": f"与另一位用户同时进行的修改冲突，{action}没有保存。请重新打开记录核对后再试。",
        "pg_timeout": f"数据库服务器处理时间过长，{action}已取消，没有保存。请稍后重试；一直如此时请联系服务器管理员。",
        "pg_connection": f"与数据库服务器的连接中断，{action}没有保存。请检查网络连接后重试。",
        "pg_disk_full": f"数据库服务器的磁盘空间不足，{action}没有保存。请联系服务器管理员。",
    }


def _os_kind(exc: OSError) -> str | None:
    return {
        errno.ENOSPC: "disk_full", getattr(errno, "EDQUOT", -1): "disk_full", errno.EROFS: "read_only",
        errno.EACCES: "permission", errno.EPERM: "permission", errno.EIO: "io",
    }.get(exc.errno)


def _sqlite_kind(exc: BaseException) -> str | None:
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    if code is None:
        code = next((c for needle, c in _SQLITE_TEXT if needle in text), None)
    if code is None:
        return None
    return {
        SQLITE_FULL: "disk_full", SQLITE_READONLY: "read_only", SQLITE_BUSY: "busy", SQLITE_LOCKED: "busy",
        SQLITE_IOERR: "io", SQLITE_CANTOPEN: "permission", SQLITE_CORRUPT: "corrupt", SQLITE_NOTADB: "corrupt",
    }.get(code & 0xFF)


def _pg_kind(exc: BaseException) -> str | None:
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if state is None:
        return "pg_connection" if type(exc).__name__ == "OperationalError" else None
    if state == "55P03":  # lock_not_available: lock_timeout expired
        return "pg_lock"
    if state in ("40001", "40P01"):  # serialization failure, deadlock
        return "pg_conflict"
    if state == "57014":  # query_canceled: statement_timeout
        return "pg_timeout"
    if state == "53100":
        return "pg_disk_full"
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return "pg_connection"
    return None


def fault_kind(exc: BaseException) -> str | None:
    """The kind of storage fault `exc` is (see StorageFault.kind), or None."""
    if isinstance(exc, StorageFault):
        return exc.kind
    orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's exception
    if orig is not None and orig is not exc:
        return fault_kind(orig)
    if isinstance(exc, OSError):
        return _os_kind(exc)
    if isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("sqlcipher3"):
        return _sqlite_kind(exc)
    if type(exc).__module__.startswith("psycopg"):
        return _pg_kind(exc)
    return None


def translate(exc: BaseException, action: str = "这次操作", *, query_only: bool = False) -> StorageFault | None:
    """A StorageFault with one Chinese line for a storage fault, None for anything else."""
    if isinstance(exc, StorageFault):
        return exc
    kind = fault_kind(exc)
    if kind is None:
        return None
    if kind == "read_only" and query_only:
        kind = "query_only"
    return StorageFault(_messages(action)[kind], kind)
