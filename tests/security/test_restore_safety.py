"""Restore never loses what the current database holds (issue 15): the copy is prepared beside it and renamed into
place last; a full disk, a program that still has the database open, or any other failure leaves the current
database (file and WAL) byte-for-byte as it was, with one Chinese line and exit 2."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.core import backup
from models.core.actor import CLI_ACTOR
from models.core.db_faults import StorageFault

ROOT = Path(__file__).resolve().parents[2]


def _main(*args, data_dir: Path):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args), "--user", "admin"],
                          capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "CADRECARE_DATA_DIR": str(data_dir)})


def _crash_after_writing(path: Path, count: int) -> None:
    """Another program commits `count` cadres and dies: the rows are only in the WAL."""
    proc = subprocess.run([sys.executable, "-m", "tests.security.wal_writer", str(path), str(count), "crash"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert Path(str(path) + "-wal").stat().st_size > 0


def _digests(path: Path) -> dict[str, str]:
    return {suffix: hashlib.sha256(Path(str(path) + suffix).read_bytes()).hexdigest()
            for suffix in ("", "-wal") if Path(str(path) + suffix).exists()}


def _count(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("select count(*) from cadre").fetchone()[0]
    finally:
        conn.close()


def _copy_template(template: Path, path: Path) -> None:
    src, dst = sqlite3.connect(template), sqlite3.connect(path)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


@pytest.fixture
def made_backup(_template_db, tmp_path) -> Path:
    source = tmp_path / "source.sqlite3"  # never the shared template: the backup writes its own audit entry
    _copy_template(_template_db, source)
    out = tmp_path / "备份.sqlite3"
    backup.backup_database(source, out, CLI_ACTOR)
    return out


def test_restore_keeps_aside_the_rows_only_in_the_wal(_template_db, made_backup, tmp_path):
    live = tmp_path / "live" / "cadres.sqlite3"
    live.parent.mkdir()
    _copy_template(_template_db, live)
    _crash_after_writing(live, 30)
    proc = _main("restore", made_backup, "--db", live, data_dir=tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    aside = [p for p in live.parent.iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1, aside  # one self-contained file: its WAL was checkpointed into it
    assert _count(aside[0]) == 30 and _count(live) == 0
    assert not list(live.parent.glob(".*.part*"))


def test_restore_refuses_while_another_program_has_the_database_open(_template_db, made_backup, tmp_path):
    live = tmp_path / "cadres.sqlite3"
    _copy_template(_template_db, live)
    holder = subprocess.Popen([sys.executable, "-m", "tests.security.wal_writer", str(live), "20", "hold"],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = _digests(live)
        proc = _main("restore", made_backup, "--db", live, data_dir=tmp_path / "data")
        assert proc.returncode == 2
        line = proc.stderr.strip()
        assert len(line.splitlines()) == 1 and "正打开着这个数据库" in line and "保持原样" in line
        assert _digests(live) == before
        assert not list(tmp_path.glob(".*.part*")) and not list(tmp_path.glob("*.before-restore-*"))
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert _count(live) == 20


def _fill(folder: Path, leave: int) -> None:
    """Fill the filesystem of `folder`, then give back `leave` bytes."""
    filler = folder / "filler.bin"
    chunk = b"\0" * (1024 * 1024)
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(chunk)
                fh.flush()
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("mounts a small tmpfs: needs root on Linux")
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)]).returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def test_restore_onto_a_full_disk_from_the_command_line_changes_nothing(_template_db, made_backup, small_disk, tmp_path):
    live = small_disk / "cadres.sqlite3"
    _copy_template(_template_db, live)
    _crash_after_writing(live, 100)
    _fill(small_disk, 64 * 1024)
    before = _digests(live)
    listing = sorted(p.name for p in small_disk.iterdir())
    proc = _main("restore", made_backup, "--db", live, data_dir=tmp_path / "data")
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and "磁盘空间不足" in line and "保持原样" in line, line
    assert "内部错误" not in line and "Traceback" not in proc.stderr
    assert _digests(live) == before and sorted(p.name for p in small_disk.iterdir()) == listing
    (small_disk / "filler.bin").unlink()
    assert _count(live) == 100


@pytest.mark.parametrize("leave_kb", [0, 16, 200, 330])
def test_restore_failing_half_way_on_a_full_disk_changes_nothing(_template_db, made_backup, small_disk, monkeypatch,
                                                                 leave_kb):
    """The free-space check is bypassed so that the copy itself runs out of space at different points."""
    live = small_disk / "cadres.sqlite3"
    _copy_template(_template_db, live)
    _crash_after_writing(live, 100)
    _fill(small_disk, leave_kb * 1024)
    before = _digests(live)
    listing = sorted(p.name for p in small_disk.iterdir())
    monkeypatch.setattr(backup, "_check_free_space", lambda folder, size: None)
    with pytest.raises(StorageFault) as caught:
        backup.restore_database(made_backup, live, CLI_ACTOR)
    assert caught.value.kind == "disk_full" and "保持原样" in caught.value.message
    assert _digests(live) == before and sorted(p.name for p in small_disk.iterdir()) == listing
    (small_disk / "filler.bin").unlink()
    assert _count(live) == 100
