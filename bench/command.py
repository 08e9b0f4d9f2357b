"""`python main.py bench [--cadres N] [--seed S] [--json FILE] [--db PATH]` — the benchmark of design §7.

Builds (or reuses, cached in the data folder by N, seed and schema revision) the demo database, measures every
figure beside its baseline from the same run, prints the table and, with --json, writes the figures as a list
of {figure, value, unit, baseline, ratio, target, pass}. It is a measurement, not a test: it exits 0 whatever
the results. The measuring code lives in bench (no Qt) and bench/gui_start.py (the GUI children); the
document figures are here because they join the database (models) with the PDF builders (reports).
"""
from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

NAME = "bench"
HELP = "性能基准：按设计 §7 在演示数据库上测量各项指标，并与同一次运行中的基线对比"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cadres", type=int, default=100_000, help="演示数据库的干部人数（默认 100000）")
    parser.add_argument("--seed", type=int, default=1, help="演示数据的随机种子（默认 1）")
    parser.add_argument("--json", metavar="FILE", help="把结果另存为 JSON 文件")
    parser.add_argument("--repeat", type=int, default=7, help="快速测量的重复次数，取中位数（默认 7）")
    parser.add_argument("--skip-gui", action="store_true", help=argparse.SUPPRESS)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- documents


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def bare_document(face, pages: int) -> bytes:
    """The baseline of a notice: `pages` pages of 22 lines × 28 characters drawn with canvas.drawString in one
    font (bench.pdf_baseline.bare_page, page after page): no layout, no checks, no fallback."""
    from reportlab.pdfgen.canvas import Canvas

    from reports import geometry as g
    from bench.pdf_baseline import SAMPLE

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(g.PAGE_W, g.PAGE_H), pageCompression=1, initialFontName=face.name)
    text = SAMPLE * 4
    for _p in range(pages):
        c.setFont(face.name, g.BODY_SIZE)
        for i in range(g.LINES_PER_PAGE):
            chunk = text[(i * g.CHARS_PER_LINE) % len(SAMPLE):][: g.CHARS_PER_LINE]
            c.drawString(g.TYPE_LEFT, g.PAGE_H - g.TYPE_TOP - g.BODY_SIZE - i * g.LINE_PITCH, chunk)
        c.showPage()
    c.save()
    return buf.getvalue()


def document_figures(db, today: date, repeat: int):
    from sqlalchemy import select

    from models.core.actor import CLI_ACTOR
    from bench.core import Figure, median_pair, median_seconds
    from models.entities import Clarification
    from reports import clarification_notice as cn
    from reports.batch import build_batch
    from bench.pdf_baseline import bare_page
    from reports.fonts import for_session
    from models.core.progress import Progress

    out = []
    s = db.factory()  # one session, rolled back at the end: a notice may allocate its 文号
    try:
        fonts = for_session(s)  # the font is loaded before the clock starts (design §7)
        ids = list(s.scalars(select(Clarification.id).where(
            Clarification.status.in_(("approved", "done")), Clarification.withdrawn_at.is_(None),
            Clarification.issues_clarified.is_not(None), Clarification.conclusion.is_not(None),
        ).order_by(Clarification.id)))
        if not ids:
            _say("  演示数据库中没有已批准的澄清正名，跳过文书指标。")
            return out
        cid = ids[len(ids) // 2]
        pdf = cn.build_for(s, CLI_ACTOR, cid, today, fonts=fonts).data
        pages = _pages(pdf)
        face = fonts.face("body")
        value, base = median_pair(lambda: cn.build_for(s, CLI_ACTOR, cid, today, fonts=fonts),
                                  lambda: bare_document(face, pages), repeat=repeat)
        out.append(Figure(f"澄清正名说明 PDF（{pages} 页；基线：同页数满页的裸 reportlab 文档）", value * 1000, "ms",
                          base * 1000, max_value=100, max_ratio=2))
        one = median_seconds(lambda: bare_page(face), repeat=repeat)
        _say(f"  澄清正名说明 {value * 1000:.1f} ms；同页数裸文档 {base * 1000:.1f} ms；"
             f"单页裸文档 {one * 1000:.1f} ms（对单页之比 {value / one:.2f}×）")

        wanted = [ids[i % len(ids)] for i in range(1000)]

        def batch():
            inputs = {i: cn.notice_input(s, CLI_ACTOR, i, today, allocate=False) for i in set(wanted)}
            notices = [cn.make_notice(inputs[i]) for i in wanted]
            return build_batch(notices, fonts=fonts, progress=Progress())

        t = time.perf_counter()
        data = batch()
        took = time.perf_counter() - t
        out.append(Figure(f"批量生成 1,000 份澄清正名说明（一个 PDF，{_pages(data):,} 页）", took, "s", None,
                          max_value=60))
    finally:
        s.rollback()
        s.close()
    return out


# ---------------------------------------------------------------------------------------------- run


def run(args: argparse.Namespace) -> int:
    from bench import core, data, queries
    from bench.demo_cache import ensure_demo
    from models.core.db import open_database, sqlite_path
    from models.core.errors import AppError

    if args.cadres < 100:
        raise AppError("基准测试至少需要 100 名干部（--cadres 100 或更多）。")
    repeat = max(1, args.repeat)
    # the slow figures (start, import, engine) are repeated 3 times on a real-size database; a small one
    # (under 10,000 cadres) only checks that the benchmark runs, so they run once there
    slow_repeat = 3 if args.cadres >= 10_000 or args.db else 1
    today = date.today()
    started = time.perf_counter()
    if args.db:
        db = open_database(args.db)
        path = sqlite_path(db.url)
        if path is None:
            raise AppError("基准测试只测量 SQLite 数据库文件（--db 请给出 .sqlite3 文件的路径）。")
        with db.session() as s:
            from sqlalchemy import func, select

            from models.entities import Cadre
            empty = not s.scalar(select(func.count()).select_from(Cadre))
        if empty:
            db.dispose()
            raise AppError(f"数据库“{path}”中没有干部。请先用 python main.py demo --db {path} --cadres N 生成演示数据，"
                           "或不带 --db 运行（自动生成并缓存演示数据库）。")
        db.dispose()
    else:
        path = ensure_demo(args.cadres, args.seed, today, say=_say)
    db = open_database(path)
    figures: list[core.Figure] = []
    failures: list[str] = []

    def step(title, fn):
        _say(f"测量：{title}…")
        t = time.perf_counter()
        try:
            got = fn()
        except Exception as exc:  # noqa: BLE001 - a measurement that cannot run is reported, the rest goes on
            failures.append(f"{title}：{exc.__class__.__name__}: {exc}")
            _say(f"  未能测量：{exc}")
            return
        figures.extend(got if isinstance(got, list) else [got])
        _say(f"  （{time.perf_counter() - t:.1f} 秒）")

    try:
        if not args.skip_gui:
            from bench import gui_start as bench_gui

            def start():
                app_s, bare_s = bench_gui.measure_start(str(path), repeat=slow_repeat)
                return core.Figure("启动到可用主窗口（工作台已填好）", app_s, "s", bare_s, max_value=2.0, max_ratio=2.5)

            step("启动时间（与裸 PySide6 窗口对比）", start)
        step("边输入边搜索", lambda: queries.search_figures(db, repeat))
        step("工作台各名单", lambda: queries.dashboard_figures(db, today, repeat))
        step("影响期满名单", lambda: queries.roster_figure(db, today, repeat))
        step("统计分析", lambda: queries.statistics_figure(db, today, repeat))
        step("澄清正名说明与批量生成", lambda: document_figures(db, today, repeat))
        with tempfile.TemporaryDirectory(prefix="cadrecare-bench-") as work:
            step("导入 10,000 行台账", lambda: data.import_figure(path, Path(work), today, repeat=slow_repeat, say=_say))
        step("影响期引擎", lambda: data.engine_figure(db, repeat=slow_repeat))
        if not args.skip_gui:
            def memory():
                app_mb, bare_mb = bench_gui.measure_memory(str(path))
                return core.Figure("图形界面内存峰值（基线：裸窗口，仅供参考）", app_mb, "MB", bare_mb, max_value=400)

            step("图形界面内存峰值", memory)
    finally:
        db.dispose()

    print(f"数据库：{path}（{args.cadres if not args.db else '给定'} 名干部）；用时 {time.perf_counter() - started:.0f} 秒")
    print(core.table(figures))
    missed = [f for f in figures if not f.passed]
    print(f"达标 {len(figures) - len(missed)}/{len(figures)} 项" + (f"；未能测量 {len(failures)} 项" if failures else ""))
    for line in failures:
        print("未能测量：" + line)
    if args.json:
        core.write_json(figures, args.json)
        print(f"已写入 {args.json}")
    return 0
