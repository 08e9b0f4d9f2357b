"""The real thing of issue 15: a GUI process keeps its SQLite locks through its start-up work, every file dialog
on the data folder and a backup; another program that writes and closes, and a second instance, delete nothing it
writes into; a kill -9 afterwards loses nothing it committed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select, text

from models.core.db import open_database
from models.entities import Cadre
from tests.security.lock_probe import holds_sqlite_locks, needs_proc_locks

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CADRECARE_DATA_DIR=str(tmp_path / "data"))
    env.pop("CADRECARE_PG_URL", None)
    return env


def _count(path: Path, name: str | None = None) -> int:
    db = open_database(path)
    try:
        with db.session() as s:
            q = select(func.count()).select_from(Cadre)
            return s.scalar(q.where(Cadre.name == name) if name else q)
    finally:
        db.dispose()


@needs_proc_locks
def test_gui_process_keeps_its_locks_and_loses_nothing(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "演示.sqlite3"
    env = _env(tmp_path)
    made = subprocess.run([sys.executable, "main.py", "demo", "--db", str(path), "--cadres", "30"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    demo_cadres = _count(path)

    gui = subprocess.Popen([sys.executable, "-m", "tests.security.gui_holder", str(path)], cwd=ROOT, env=env,
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert gui.stdout.readline().strip() == "ready", gui.stderr.read()
        assert holds_sqlite_locks(gui.pid, path), "start-up work, a file dialog or the backup dropped the locks"
        assert (folder / "手动备份.sqlite3").stat().st_size > 0

        # another program writes and closes (it must not take itself for the last user and delete the WAL) …
        other = subprocess.run([sys.executable, "-c", (
            "import sys; from models.core.db import open_database; from models.entities import Cadre\n"
            "db = open_database(sys.argv[1])\n"
            "with db.session() as s: s.add(Cadre(name='另一个程序', id_number='OTHER-1'))\n"
            "db.dispose()"), str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert other.returncode == 0, other.stderr
        # … and a second instance is refused the lock and told who has it
        second = subprocess.run([sys.executable, "-c", (
            "import sys; from models.core import instance_lock\n"
            "from pathlib import Path\n"
            "try:\n    instance_lock.acquire(Path(sys.argv[1]))\nexcept instance_lock.DatabaseInUse as e:\n"
            "    print('in use', e.holder.pid, e.holder.account)\n"), str(path)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert second.stdout.split() == ["in", "use", str(gui.pid), "demo"], second.stdout + second.stderr
        assert holds_sqlite_locks(gui.pid, path)

        gui.stdin.write("write 20\n")
        gui.stdin.flush()
        assert gui.stdout.readline().strip() == "written"
        assert holds_sqlite_locks(gui.pid, path)
    finally:
        os.kill(gui.pid, signal.SIGKILL)  # a power cut: the GUI's last writes are only in the WAL
        gui.wait(timeout=30)

    assert _count(path, "界面写入") == 25
    assert _count(path, "另一个程序") == 1
    assert _count(path) == demo_cadres + 26
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        db.dispose()
