"""Nothing half-written: a process killed (SIGKILL) in the middle of a large write transaction leaves the
database intact, holding all of it or none of it."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
N = 20_000

BULK_IMPORT = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from sqlalchemy import insert
    from models.core import audit
    from models.core.actor import Actor
    from models.core.db import open_database
    from models.entities import Cadre
    from models.reference.id_number import make_id_number
    from datetime import date
    marker = Path({marker!r})
    db = open_database({db!r})
    with db.session() as s:                     # one import = one transaction
        for start in range(0, {n}, 1000):
            rows = [dict(name=f"干部{{i}}", name_pinyin="", name_initials="", id_number=f"{{i:018d}}",
                         is_party_member=False, is_grassroots=False, status="在职", version=1)
                    for i in range(start, start + 1000)]
            s.execute(insert(Cadre), rows)
            if start == {n} // 2:
                marker.touch()                  # half of the rows are written inside the transaction
                if {pause}:
                    import time; time.sleep(30)  # wait to be killed
        audit.record(s, Actor("importer", "officer"), "import", "cadre", None, summary="导入 {n} 名干部")
    print("committed")
""")


def _check(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return (conn.execute("select count(*) from cadre").fetchone()[0],
                conn.execute("select count(*) from audit_event where action='import'").fetchone()[0])
    finally:
        conn.close()


def _start(db_path: Path, tmp_path: Path, pause: bool) -> tuple[subprocess.Popen, Path]:
    marker = tmp_path / f"half-{time.monotonic_ns()}"
    code = BULK_IMPORT.format(root=str(ROOT), marker=str(marker), db=str(db_path), n=N, pause=pause)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path / "data")})
    return proc, marker


def _wait_for(marker: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
@pytest.mark.slow
def test_killed_in_the_middle_leaves_none_of_it(db, db_path, tmp_path):
    db.dispose()
    proc, marker = _start(db_path, tmp_path, pause=True)
    _wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _check(db_path) == (0, 0)
    # The database still opens and takes the import again, completely.
    proc, _ = _start(db_path, tmp_path, pause=False)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert _check(db_path) == (N, 1)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
@pytest.mark.slow
def test_killed_at_any_moment_leaves_all_or_none(db, db_path, tmp_path):
    """Kills at different moments after the half-way mark, up to and through the commit."""
    db.dispose()
    outcomes = set()
    for delay in (0.0, 0.05, 0.1, 0.2, 0.4, 0.8):
        proc, marker = _start(db_path, tmp_path, pause=False)
        _wait_for(marker, proc)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        cadres, imports = _check(db_path)
        assert (cadres, imports) in ((0, 0), (N, 1)), (delay, cadres, imports)
        outcomes.add(cadres)
        if cadres == N:
            break  # committed: a second run would only hit the unique ID numbers
    assert outcomes <= {0, N}
