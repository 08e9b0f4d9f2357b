"""The database files this process is connected to, and reading a file's header only when it is not one of them.

Lock safety (Linux): SQLite's locks are POSIX fcntl locks, and closing *any* descriptor of a file drops every
lock the process holds on it. So once this process is connected to a database file, nothing but SQLite (the
same library) may open that file or its -wal/-shm: `CONNECTED` remembers what the header check found, and
`refuse_live_file` stops code that is about to read a file a user picked.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models.core.errors import AppError, DatabaseUnusable

SQLITE_MAGIC = b"SQLite format 3\x00"


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


def aside_path(path: Path, tag: str) -> Path:
    """Where a copy of `path` is kept aside: `<name>.<tag>-<time>.sqlite3` beside it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix}")
