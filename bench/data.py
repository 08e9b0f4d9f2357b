"""The 10,000-row Excel 台账 import (beside the calamine read plus a bare executemany of the same rows), the import's
peak memory on a 100,000-row file, and the engine over every handling record."""
from __future__ import annotations

import random
import sqlite3
import statistics
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models.core.actor import CLI_ACTOR
from bench.core import Figure, FigureSkipped, median_seconds
from models.core.db import Database, open_database
from models.derived.restrictions import rule_settings, to_record_inputs
from models.entities import Cadre, Handling
from models.exchange.cadre_export import unit_paths
from models.exchange.cadre_import import import_cadres
from models.reference.id_number import make_id_number
from models.rules.engine import evaluate

IMPORT_ROWS = 10_000
HEADER = ["序号", "姓名", "身份证号", "性别", "出生年月", "民族", "籍贯", "政治面貌", "参加工作时间", "工作单位",
          "现任职务", "职务层次", "职级", "任现职时间", "身份类别", "全日制学历", "状态"]


def _ym(d: date | None) -> str | None:
    return f"{d.year}.{d.month:02d}" if d else None


def write_ledger(db: Database, path: Path, rows: int = IMPORT_ROWS, seed: int = 1) -> Path:
    """A 台账 as an office keeps one: title and 填报 lines above the header, dates as 1975.03, units as paths.
    The people are demo cadres (names, units, posts, dates) under new, valid ID numbers, so that every row is a
    cadre the database does not have yet (the heavier case: inserts, pinyin, unit look-ups)."""
    import openpyxl

    rng = random.Random(seed)
    with db.session() as s:
        paths = unit_paths(s)
        source = s.execute(select(
            Cadre.name, Cadre.id_number, Cadre.gender, Cadre.birth_date, Cadre.ethnicity, Cadre.native_place,
            Cadre.political_status, Cadre.work_started, Cadre.unit_id, Cadre.current_post, Cadre.post_level,
            Cadre.rank, Cadre.post_since, Cadre.identity_category, Cadre.ft_education, Cadre.status,
        ).where(Cadre.withdrawn_at.is_(None))).all()
        taken = set(s.scalars(select(Cadre.id_number)))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("干部信息台账")
    ws.append(["干部信息台账"])
    ws.append(["填报单位：组织部", None, None, "填报日期：2026年3月"])
    ws.append(HEADER)
    for n in range(1, rows + 1):
        r = rng.choice(source)
        number = None
        for _ in range(1000):
            candidate = make_id_number(r.id_number[:6], r.birth_date, rng.randrange(1000), r.gender)
            if candidate not in taken:
                number = candidate
                break
        taken.add(number)
        ws.append([n, r.name, number, r.gender, _ym(r.birth_date), r.ethnicity, r.native_place, r.political_status,
                   _ym(r.work_started), paths.get(r.unit_id), r.current_post, r.post_level, r.rank, _ym(r.post_since),
                   r.identity_category, r.ft_education, r.status])
    wb.save(path)
    return path


BARE_COLUMNS = ("name", "id_number", "gender", "birth_date", "ethnicity", "native_place", "political_status",
                "work_started", "current_post", "post_level", "rank", "post_since", "identity_category",
                "ft_education", "status")
# the ledger's columns (HEADER) in BARE_COLUMNS order; 工作单位 is a path the bare insert cannot place
_BARE_SOURCE = (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16)


def bare_pass(path: Path, conn: sqlite3.Connection) -> int:
    """The baseline: the same file read by the import's reader (python-calamine through open_table), then one bare
    executemany of the same rows into the cadre table (cell values as read, no checks, no units, no pinyin),
    rolled back. Returns the rows inserted."""
    from models.exchange.table_reader import open_table

    with open_table(path) as table:
        sheet = next(iter(table.sheets()))
        rows = [r for n, r in enumerate(sheet.rows) if n >= 3 and r and r[1] is not None]
    params = [tuple(r[i] if i < len(r) else None for i in _BARE_SOURCE) for r in rows]
    cols = ", ".join(BARE_COLUMNS + ("name_pinyin", "name_initials", "is_party_member", "is_grassroots", "version"))
    marks = ", ".join("?" * len(BARE_COLUMNS))
    try:
        conn.executemany(f"INSERT INTO cadre ({cols}) VALUES ({marks}, '', '', 0, 0, 1)", params)
        return len(params)
    finally:
        conn.rollback()


def _copy_database(db_path: Path, copy: Path) -> None:
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    dst = sqlite3.connect(copy)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def import_figure(db_path: Path, work: Path, today: date, repeat: int = 3, say=print) -> Figure:
    """Import the 10,000-row file into a copy of the database (written, then rolled back) beside the baseline of
    the same run: the same file read by the calamine reader plus a bare executemany of the same rows."""
    copy = work / "import-copy.sqlite3"
    _copy_database(db_path, copy)
    db = open_database(copy)
    raw = sqlite3.connect(copy)
    try:
        ledger = write_ledger(db, work / "台账-10000.xlsx")
        values, bases, created, bare = [], [], 0, 0
        for _ in range(max(1, repeat)):
            t = time.perf_counter()
            bare = bare_pass(ledger, raw)
            bases.append(time.perf_counter() - t)
            s = db.factory()
            try:
                t = time.perf_counter()
                result = import_cadres(s, CLI_ACTOR, ledger, today=today)
                s.flush()
                values.append(time.perf_counter() - t)
                created = result.created
            finally:
                s.rollback()
                s.close()
        say(f"  导入：新增 {created} 名，拒绝 {len(result.rejected)} 行；基线插入 {bare} 行（每次之后回滚）")
    finally:
        raw.close()
        db.dispose()
        for p in work.glob("import-copy.sqlite3*"):
            p.unlink()
    return Figure(f"导入 {IMPORT_ROWS:,} 行 Excel 干部台账（新增 {created:,} 名；基线：calamine 读同一文件 + 裸 executemany）",
                  statistics.median(values), "s", statistics.median(bases), max_value=3, max_ratio=3)


_MEMORY_CHILD = """
import resource, sys
from datetime import date
from pathlib import Path


def peak_kb():
    # VmHWM: this process's own peak (ru_maxrss keeps the parent's peak across exec on Linux)
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


from models.core.actor import CLI_ACTOR
from models.core.db import open_database
from models.exchange.cadre_import import import_cadres
from models.reference import pinyin

db = open_database(Path(sys.argv[1]))
pinyin.name_search_keys("张三")  # the pinyin dictionary is part of the program, not of the file
before = peak_kb()
s = db.factory()
try:
    result = import_cadres(s, CLI_ACTOR, Path(sys.argv[2]), today=date.fromisoformat(sys.argv[3]))
    s.flush()
finally:
    s.rollback()
    s.close()
print(before, peak_kb(), result.created, len(result.rejected))
"""


def memory_figure(db_path: Path, work: Path, today: date, rows: int = 100_000, say=print) -> Figure:
    """The peak memory of one process importing a `rows`-row 台账 (written, then rolled back, in a copy of the
    database); the baseline is the same process before the import (interpreter, modules, open database, the
    pinyin dictionary loaded)."""
    import subprocess
    import sys

    try:
        import resource  # noqa: F401 - the child measures with it (not on Windows)
    except ImportError:
        raise FigureSkipped("本机没有 resource 模块（Windows），跳过导入内存峰值") from None
    copy = work / "memory-copy.sqlite3"
    _copy_database(db_path, copy)
    try:
        db = open_database(copy)
        try:
            ledger = write_ledger(db, work / f"台账-{rows}.xlsx", rows=rows, seed=2)
        finally:
            db.dispose()
        root = Path(__file__).resolve().parent.parent
        proc = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(copy), str(ledger), today.isoformat()],
                              cwd=root, capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "子进程失败")
        before_kb, peak_kb, created, rejected = (int(x) for x in proc.stdout.split()[-4:])
        say(f"  内存：导入 {rows:,} 行（新增 {created:,} 名，拒绝 {rejected} 行）峰值 {peak_kb / 1024:.0f} MB，"
            f"导入前 {before_kb / 1024:.0f} MB")
    finally:
        for p in work.glob("memory-copy.sqlite3*"):
            p.unlink()
    return Figure(f"导入 {rows:,} 行台账的内存峰值（基线：同一进程导入前，仅供参考）", peak_kb / 1024, "MB",
                  before_kb / 1024, max_value=300)


def engine_figure(db: Database, repeat: int = 3) -> Figure:
    """evaluate() per cadre over every (not withdrawn) handling record; the rows are loaded before timing."""
    with db.session() as s:
        settings = rule_settings(s)
        handlings = s.execute(
            select(Handling).where(Handling.withdrawn_at.is_(None)).options(selectinload(Handling.reviews))
            .order_by(Handling.cadre_id, Handling.id)
        ).scalars().all()
        by_cadre: dict[int, list] = defaultdict(list)
        for h in handlings:
            by_cadre[h.cadre_id].append(h)
        inputs = [to_record_inputs(hs) for hs in by_cadre.values()]

    def run_all():
        for records in inputs:
            evaluate(records, settings)

    took = median_seconds(run_all, repeat=repeat, warmup=0)
    return Figure(f"影响期引擎·全部 {len(handlings):,} 条处理处分（{len(inputs):,} 名干部）", took, "s",
                  None, max_value=2)
