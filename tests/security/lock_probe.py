"""Which POSIX locks a process holds on a file, read from /proc/locks (Linux): the SQLite locks that closing a
stray descriptor of the database file would silently drop."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

needs_proc_locks = pytest.mark.skipif(not sys.platform.startswith("linux") or not Path("/proc/locks").exists(),
                                      reason="reads /proc/locks (Linux)")


def posix_locks(pid: int, path: Path) -> list[tuple[str, int, str]]:
    """(READ/WRITE, start, end) of every POSIX lock `pid` holds on `path`."""
    st = os.stat(path)
    found = []
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields:  # a waiter, not a holder
            continue
        kind, mode, owner, where, start, end = fields[1], fields[3], fields[4], fields[5], fields[6], fields[7]
        major, minor, inode = where.split(":")
        if kind == "POSIX" and int(owner) == pid and int(inode) == st.st_ino \
                and os.makedev(int(major, 16), int(minor, 16)) == st.st_dev:
            found.append((mode, int(start), end))
    return found


SQLITE_SHARED_FIRST = 0x40000002  # SQLite's SHARED lock range on the database file starts at PENDING_BYTE + 2


def holds_sqlite_shared_lock(pid: int, db_file: Path) -> bool:
    """True while `pid` holds SQLite's shared lock on the database file (a WAL-mode connection keeps it)."""
    return any(start == SQLITE_SHARED_FIRST for _mode, start, _end in posix_locks(pid, db_file))


SQLITE_SHM_DMS = 128  # the -shm byte every connection keeps a shared lock on ("someone is using the WAL index")


def holds_sqlite_locks(pid: int, db_file: Path) -> bool:
    """Both locks a connected WAL-mode process keeps: SHARED on the database file and DMS on its -shm."""
    shm = Path(str(db_file) + "-shm")
    return holds_sqlite_shared_lock(pid, db_file) and shm.exists() and any(
        start == SQLITE_SHM_DMS for _mode, start, _end in posix_locks(pid, shm))
