"""`python main.py restore FILE --db X` — check the backup, keep the current database aside, then restore."""
from __future__ import annotations

import argparse

NAME = "restore"
HELP = "从备份文件恢复数据库（先检查备份文件；当前数据库另存一份，不会丢失）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="备份文件（由 backup 命令或程序的“备份”生成）")


def run(args: argparse.Namespace) -> int:
    from models.core.actor import CLI_ACTOR
    from models.core.backup import restore_database
    from models.core.db import resolve_url, sqlite_path

    result = restore_database(args.file, args.db, CLI_ACTOR)
    target = sqlite_path(resolve_url(args.db))
    print(f"已从 {result.restored_from} 恢复到 {target}" + ("（并已升级到本程序的结构版本）" if result.upgraded else "") + "。")
    if result.aside:
        print(f"恢复前的数据库已另存为 {result.aside}。")
    return 0
