"""One program per database (issue 15): the lock file says who has the database open since when; a crashed holder
is recognised; command-line writers refuse while a GUI holds it, backup does not; a read-only open still lets a
user log in and refuses every other change."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from models.core import instance_lock
from models.core.db import open_database
from models.core.db_faults import StorageFault
from models.entities import AuditEvent, Cadre
from models.services import accounts

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_holder_is_told_who_has_it_since_when(db_path):
    first = instance_lock.acquire(db_path)
    try:
        first.set_account("zhangsan")
        with pytest.raises(instance_lock.DatabaseInUse) as caught:
            instance_lock.acquire(db_path)
        holder = caught.value.holder
        assert holder.pid == os.getpid() and holder.account == "zhangsan"
        message = caught.value.message
        assert "zhangsan" in message and holder.since[:10] in message and "图形界面" in message
        assert instance_lock.current_holder(db_path) == holder
    finally:
        first.release()
    assert instance_lock.current_holder(db_path) is None
    again = instance_lock.acquire(db_path)
    assert again.previous is None  # a clean end leaves nothing to report
    again.release()
    assert not instance_lock.lock_path(db_path).exists()


def test_a_holder_that_crashed_is_recognised_and_replaced(db_path):
    code = ("import os, sys; from pathlib import Path; from models.core import instance_lock; "
            f"instance_lock.acquire(Path({str(db_path)!r})); os._exit(0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
    assert instance_lock.current_holder(db_path) is None  # its text remains, its lock went with it
    lock = instance_lock.acquire(db_path)
    try:
        assert lock.previous is not None and lock.previous.pid != os.getpid()
        assert lock.holder.pid == os.getpid()
    finally:
        lock.release()


def _main(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)


def test_command_line_writers_refuse_while_a_gui_holds_the_database_and_backup_does_not(db_path, tmp_path, cli_account):
    user = cli_account(db_path)
    from openpyxl import Workbook

    sheet = tmp_path / "台账.xlsx"
    book = Workbook()
    book.active.append(["姓名", "身份证号"])
    book.active.append(["张三", "110101199003070011"])
    book.save(sheet)
    gui = instance_lock.acquire(db_path)
    try:
        for args in (["import", "cadres", sheet, *user], ["demo", "--cadres", "5"],
                     ["restore", tmp_path / "b.sqlite3", *user]):
            proc = _main(*args, "--db", db_path)
            assert proc.returncode == 2, (args, proc.stderr)
            line = proc.stderr.strip()
            assert len(line.splitlines()) == 1 and "正在被使用" in line and "图形界面" in line, (args, line)
        proc = _main("backup", "--db", db_path, "--out", tmp_path / "b.sqlite3", *user)
        assert proc.returncode == 0, proc.stderr
    finally:
        gui.release()
    proc = _main("import", "cadres", sheet, "--db", db_path, *user)
    assert proc.returncode == 0 and "imported=1" in proc.stdout, proc.stderr


def test_read_only_open_lets_a_user_log_in_and_refuses_changes(db_path, cli_account):
    user = cli_account(db_path)[1]
    db = open_database(db_path, read_only=True)
    try:
        with db.session() as s:
            assert accounts.authenticate(s, user, "Kx7#cli-test-2026").ok
        with pytest.raises(StorageFault) as caught:
            with db.session() as s:
                s.add(Cadre(name="李四", id_number="110101199003070038"))
        assert caught.value.kind == "query_only" and "只读" in caught.value.message
        with db.session() as s:
            assert s.scalars(select(Cadre)).all() == []
            assert s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq.desc())).first() == "login"
    finally:
        db.dispose()
