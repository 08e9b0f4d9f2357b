"""The program never opens its database file outside SQLite once connected (issue 15): header checks are
answered from what was found at connect time, backups read through the program's own connection, and a file
dialog-picked path that is the live database is refused before anything reads it. Checked in /proc/locks: the
process still holds SQLite's lock on the file afterwards."""
from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import select, text

from models.core import backup, encryption
from models.core.db import open_database, read_header, refuse_live_file
from models.core.errors import AppError, DatabaseUnusable
from models.entities import AuditEvent, Cadre
from tests.security.lock_probe import holds_sqlite_shared_lock, needs_proc_locks


def _touch(db) -> None:
    with db.session() as s:
        s.execute(text("select count(*) from cadre")).scalar()


@needs_proc_locks
def test_backup_header_checks_and_auto_backup_keep_the_lock(db, db_path, admin, tmp_path):
    _touch(db)
    assert holds_sqlite_shared_lock(os.getpid(), db_path)
    assert encryption.is_encrypted(db_path) is False
    info = backup.backup_database(db, tmp_path / "b.sqlite3", admin)
    assert info.cadres == 0 and info.last_audit_seq >= 1
    assert backup.auto_backup(db, tmp_path / "auto", date(2026, 3, 1)) is not None
    with pytest.raises(AppError, match="正在使用的数据库文件"):
        backup.check_backup_file(db_path)
    with pytest.raises(AppError, match="正在使用的数据库文件"):
        backup.check_backup_file(str(db_path) + "-wal")
    again = open_database(db_path)  # a second Database on the same file in this process: no header re-read
    again.dispose()
    assert holds_sqlite_shared_lock(os.getpid(), db_path), "a check opened and closed the database file"


@needs_proc_locks
def test_reading_the_header_of_a_connected_file_is_a_programming_error(db, db_path):
    _touch(db)
    with pytest.raises(RuntimeError):
        read_header(db_path)
    with pytest.raises(AppError):
        refuse_live_file(str(db_path) + "-shm")
    assert holds_sqlite_shared_lock(os.getpid(), db_path)


def test_backup_holds_its_own_audit_entry_and_what_was_committed_last(db, db_path, admin, tmp_path):
    with db.session() as s:
        s.add(Cadre(name="李四", id_number="110101199003070011"))
    out = tmp_path / "b.sqlite3"
    backup.backup_database(db, out, admin)
    copy = open_database(out, upgrade=False)
    try:
        with copy.session() as s:
            assert s.scalars(select(Cadre.name)).all() == ["李四"]
            assert s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq.desc())).first() == "backup"
    finally:
        copy.dispose()
    assert not (tmp_path / "b.sqlite3-wal").exists()


def test_a_zero_byte_file_is_never_taken_for_a_new_database(tmp_path):
    empty = tmp_path / "cadres.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(DatabaseUnusable, match="0 字节"):
        open_database(empty)
    assert empty.stat().st_size == 0
