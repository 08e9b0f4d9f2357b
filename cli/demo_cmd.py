"""python main.py demo --db X [--cadres N] [--seed S]"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date

NAME = "demo"
HELP = "生成一个逼真的演示数据库（干部、单位、表彰、处理处分、回访、举报、函询、澄清）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cadres", type=int, default=2000, help="干部人数（默认 2000）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成相同的数据（默认 1）")


def run(args: argparse.Namespace) -> int:
    from models.core import settings_store
    from models.core.actor import CLI_ACTOR
    from models.core.db import open_database
    from models.demo import DEMO_PASSWORD, DEMO_USERNAME, build_demo, ensure_demo_account
    from models.core.errors import AppError

    if not args.db:
        raise AppError("请用 --db 指定演示数据库的文件路径，例如：python main.py demo --db demo.sqlite3")
    started = time.perf_counter()
    db = open_database(args.db)
    try:
        summary = build_demo(db, cadres=args.cadres, seed=args.seed, today=date.today(), actor=CLI_ACTOR)
        with db.session() as s:
            account = ensure_demo_account(s)
            # a database to try the program on opens straight onto the 工作台, as the wizard's demo does
            settings_store.put(s, CLI_ACTOR, "app.first_run_done", True)
    finally:
        db.dispose()
    print(summary.text())
    if account:
        print(f"演示账号：{DEMO_USERNAME}，密码：{DEMO_PASSWORD}（管理员；其他命令用 --user {DEMO_USERNAME}）")
    print(f"用时 {time.perf_counter() - started:.1f} 秒；数据库：{db.display_name}", file=sys.stderr)
    return 0
