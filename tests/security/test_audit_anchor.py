"""The anchored audit chain: the head (seq, hash) also kept in a file beside the database and in every backup,
so that cutting off the newest entries, emptying the log or recomputing the whole chain is reported with the
anchor it contradicts (`audit verify` and the viewer), and the anchor never follows a contradicting chain."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.core import audit, audit_anchor
from models.core.actor import Actor
from models.services import audit_log

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor("boss", "admin")


def _verify(path, tmp_path, user):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "audit", "verify", "--db", str(path), *user],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
def logged(db, db_path, cli_account):
    user = cli_account(db)
    with db.session() as s:
        for i in range(5):
            audit.record(s, ADMIN, "update", "cadre", i, summary=f"修改干部 {i}")
    db.dispose()
    return db_path, user


def _anchor(db_path):
    return json.loads(audit_anchor.anchor_path(f"sqlite:///{db_path}").read_text(encoding="utf-8"))


def _sql(db_path, *statements):
    conn = sqlite3.connect(db_path)
    for st in statements:
        conn.execute(st)
    conn.commit()
    conn.close()


def test_the_anchor_follows_every_commit_and_is_printed(logged, tmp_path):
    db_path, user = logged
    path = audit_anchor.anchor_path(f"sqlite:///{db_path}")
    assert path.parent == db_path.parent and path.name == "test.sqlite3.audit-anchor.json"
    conn = sqlite3.connect(db_path)
    seq, hash_ = conn.execute("select seq, hash from audit_event order by seq desc limit 1").fetchone()
    conn.close()
    assert (_anchor(db_path)["seq"], _anchor(db_path)["hash"]) == (seq, hash_)
    proc = _verify(db_path, tmp_path, user)
    assert proc.returncode == 0, proc.stderr
    assert f"审计锚点：第 {seq + 1} 条，哈希 " in proc.stdout and "与审计锚点一致" in proc.stdout  # + its login


def test_cutting_off_the_newest_entries_is_reported_with_the_anchor(logged, tmp_path):
    db_path, user = logged
    anchored = _anchor(db_path)
    _sql(db_path, f"delete from audit_event where seq > {anchored['seq'] - 2}")
    proc = _verify(db_path, tmp_path, user)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert f"锚点记着第 {anchored['seq']} 条" in proc.stderr and "最新的记录被删除" in proc.stderr
    assert _anchor(db_path)["seq"] == anchored["seq"]  # the login after the cut did not move it


def test_an_emptied_log_does_not_pass(logged, db, tmp_path):
    db_path, user = logged
    anchored = _anchor(db_path)
    _sql(db_path, "delete from audit_event")
    with db.session() as s:
        verdict = audit_log.verify_all(s, ADMIN)
    assert not verdict.ok and any("全部记录被删除" in p for p in verdict.problems)
    assert any("没有建立记录" in p for p in verdict.problems)  # the account's creation is gone too
    proc = _verify(db_path, tmp_path, user)
    assert proc.returncode == 1 and "完整" not in proc.stdout
    assert f"第 {anchored['seq']} 条" in proc.stderr


def test_a_recomputed_chain_is_reported(logged, tmp_path):
    from sqlalchemy import select

    from models.core.db import open_database
    from models.entities import AuditEvent

    db_path, user = logged
    anchored = _anchor(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("update audit_event set summary='修改干部 李四' where seq=3")  # a quiet edit …
    conn.commit()
    conn.close()
    db = open_database(db_path)
    with db.engine.begin() as conn:  # … then every hash recomputed, outside the program
        prev = audit.GENESIS
        for ev in conn.execute(select(AuditEvent).order_by(AuditEvent.seq)).all():
            h = audit.entry_hash(prev, audit.hashed_fields(ev))
            conn.execute(AuditEvent.__table__.update().where(AuditEvent.seq == ev.seq).values(hash=h, prev_hash=prev))
            prev = h
    with db.session() as s:
        assert audit.verify_chain(s) is None  # the chain alone no longer shows it
    db.dispose()
    proc = _verify(db_path, tmp_path, user)
    assert proc.returncode == 1, proc.stdout
    assert "重新计算了哈希" in proc.stderr and f"第 {anchored['seq']} 条" in proc.stderr
    assert _anchor(db_path)["hash"] == anchored["hash"]


def test_a_rolled_back_transaction_does_not_move_the_anchor(db, db_path):
    with db.session() as s:
        audit.record(s, ADMIN, "update", "cadre", 1, summary="一")
    before = _anchor(db_path)
    with pytest.raises(RuntimeError):
        with db.session() as s:
            audit.record(s, ADMIN, "update", "cadre", 2, summary="二")
            raise RuntimeError("the action failed")
    assert _anchor(db_path) == before


def test_backups_carry_the_head_and_a_restore_resets_the_anchor(logged, tmp_path, capsys):
    import main

    db_path, user = logged
    out = tmp_path / "b.sqlite3"
    assert main.main(["backup", "--db", str(db_path), *user, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    conn = sqlite3.connect(out)
    seq, hash_ = conn.execute("select seq, hash from audit_event order by seq desc limit 1").fetchone()
    conn.close()
    assert f"备份中的审计锚点：第 {seq} 条，哈希 {hash_[:16]}" in printed
    from models.core.db import open_database

    db = open_database(db_path)
    with db.session() as s:
        audit.record(s, ADMIN, "update", "cadre", 9, summary="备份之后")
    db.dispose()
    later = _anchor(db_path)
    assert main.main(["restore", str(out), "--db", str(db_path), *user]) == 0
    now = _anchor(db_path)
    assert now["seq"] == seq + 1 and now["replaced"][-1]["seq"] == later["seq"]
    assert now["replaced"][-1]["because"] == "restore"
    capsys.readouterr()
    assert main.main(["audit", "verify", "--db", str(db_path), *user]) == 0, capsys.readouterr().err


def test_a_damaged_anchor_file_is_reported(logged, tmp_path):
    db_path, user = logged
    audit_anchor.anchor_path(f"sqlite:///{db_path}").write_text("{not json", encoding="utf-8")
    proc = _verify(db_path, tmp_path, user)
    assert proc.returncode == 1 and "锚点文件" in proc.stderr


def test_the_viewer_shows_the_anchor(qtbot, db, db_path):
    from gui.context import AppContext
    from gui.dialogs.audit_viewer import AuditViewer

    with db.session() as s:
        audit.record(s, ADMIN, "update", "cadre", 1, summary="一")
    viewer = AuditViewer(AppContext(db, ADMIN))
    qtbot.addWidget(viewer)
    assert f"审计锚点：第 {_anchor(db_path)['seq']} 条" in viewer.anchor_label.text()
