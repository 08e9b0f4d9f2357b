"""The 10,000-row Excel 台账 import and the engine over every handling record."""
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
from bench.core import Figure, median_seconds
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


def openpyxl_pass(path: Path) -> int:
    """The baseline: a read-only openpyxl pass over every cell value of the file."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def import_figure(db_path: Path, work: Path, today: date, repeat: int = 3, say=print) -> Figure:
    """Import the file into a copy of the database (written, then rolled back) vs the openpyxl pass."""
    copy = work / "import-copy.sqlite3"
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    dst = sqlite3.connect(copy)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    db = open_database(copy)
    try:
        ledger = write_ledger(db, work / "台账-10000.xlsx")
        values, bases, created = [], [], 0
        for _ in range(max(1, repeat)):
            t = time.perf_counter()
            openpyxl_pass(ledger)
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
        say(f"  导入：新增 {created} 名，拒绝 {len(result.rejected)} 行（每次导入后回滚）")
    finally:
        db.dispose()
        for p in work.glob("import-copy.sqlite3*"):
            p.unlink()
    return Figure(f"导入 {IMPORT_ROWS:,} 行 Excel 干部台账（新增 {created:,} 名）", statistics.median(values), "s",
                  statistics.median(bases), max_value=15, max_ratio=4)


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
