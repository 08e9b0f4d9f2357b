"""Several PCs on one database: concurrent audit appends keep one unbroken chain; the command line takes the
same --db URL. Runs on SQLite and, under scripts/ci_postgres.sh, on PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import select

from models.core import audit
from models.core.actor import Actor
from models.entities import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_appends_from_several_writers_form_one_chain(db):
    errors = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        actor = Actor(f"pc{n}", "officer")
        try:
            start.wait()
            for i in range(10):
                with db.session() as s:
                    audit.record(s, actor, "update", "cadre", i, summary=f"PC{n} 第{i}次")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with db.session() as s:
        assert list(s.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq))) == list(range(1, 41))
        assert audit.verify_chain(s) is None


def test_audit_verify_command_takes_the_database_url(db, admin, tmp_path, cli_account):
    with db.session() as s:
        audit.record(s, admin, "export", "cadre", None, summary="导出名册")
    user = cli_account(db)  # entries 2 (the account) and 3 (its login)
    env = {**os.environ, "CADRECARE_DATA_DIR": str(tmp_path / "data")}
    url = db.engine.url.render_as_string(hide_password=False)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "audit", "verify", "--db", url, *user],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "共 3 条" in proc.stdout
