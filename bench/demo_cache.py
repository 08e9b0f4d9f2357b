"""The benchmark's demo database: built once per (cadres, seed, schema revision) and kept in the data folder."""
from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import Callable

from models.core.audit_anchor import SUFFIX
from models.core.paths import data_dir
from models.core.progress import Progress


def cache_path(cadres: int, seed: int, revision: str) -> Path:
    folder = data_dir() / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"demo-{cadres}-seed{seed}-rev{revision}.sqlite3"


def _phases(say: Callable[[str], None], started: float) -> Progress:
    """A progress that says each phase of a long build once, with the time so far (not every 10,000 rows)."""
    seen: list[str] = []

    def report(done: int, total: int, text: str = "") -> None:
        phase = text.split("（")[0]
        if phase and phase not in seen:
            seen.append(phase)
            say(f"  {phase}…（{time.perf_counter() - started:.0f} 秒）")

    return Progress(report=report)


def ensure_demo(cadres: int, seed: int, today: date, say: Callable[[str], None] = print) -> Path:
    """The cached demo database for these arguments, built now if there is none (into a temporary name first,
    so that an interrupted build is never taken for a finished one)."""
    from models.core.actor import CLI_ACTOR
    from models.core.db import head_revision, open_database
    from models.demo import build_demo

    path = cache_path(cadres, seed, head_revision())
    if path.exists():
        say(f"使用已有的演示数据库 {path}")
        return path
    tmp = path.with_name(path.stem + ".building.sqlite3")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}{SUFFIX}")):
        if p.exists():
            p.unlink()
    say(f"正在生成 {cadres} 名干部的演示数据库（只需一次）…")
    started = time.perf_counter()
    db = open_database(tmp)
    try:
        summary = build_demo(db, cadres=cadres, seed=seed, today=today, actor=CLI_ACTOR,
                             progress=_phases(say, started))
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    os.replace(tmp, path)
    anchor = Path(f"{tmp}{SUFFIX}")  # the audit anchor is named after the file: it goes with it
    if anchor.exists():
        os.replace(anchor, Path(f"{path}{SUFFIX}"))
    for suffix in ("-wal", "-shm"):
        leftover = Path(f"{tmp}{suffix}")
        if leftover.exists():
            leftover.unlink()
    say(f"{summary.text()}（用时 {time.perf_counter() - started:.0f} 秒）")
    return path
