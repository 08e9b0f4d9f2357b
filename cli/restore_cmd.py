"""`python main.py restore FILE --db X --user U` — check the backup, keep the current database aside, then restore."""
from __future__ import annotations

import argparse

from cli.accounts import add_account_arguments, login_from_args, login_to_backup

NAME = "restore"
HELP = "从备份文件恢复数据库（先检查备份文件；当前数据库另存一份，不会丢失）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("file", metavar="FILE", help="备份文件（由 backup 命令或程序的“备份”生成）")


def run(args: argparse.Namespace) -> int:
    from models.core.backup import check_backup_file, passphrase_of, restore_database
    from models.core.db import resolve_url, sqlite_path
    from models.core.errors import DatabaseUnusable

    check_backup_file(args.file, passphrase_of(args.db))  # a bad file is refused before anything is written
    target = sqlite_path(resolve_url(args.db))
    actor = None
    if target is not None and target.is_file() and target.stat().st_size > 0:
        try:  # the account of the current database
            actor = login_from_args(args, args.db, require="admin")
        except DatabaseUnusable:  # damaged (often why one restores): the account of the backup decides
            actor = None
    if actor is None:
        actor = login_to_backup(args, args.file, passphrase_of(args.db))
    result = restore_database(args.file, args.db, actor)
    print(f"已从 {result.restored_from} 恢复到 {target}" + ("（并已升级到本程序的结构版本）" if result.upgraded else "") + "。")
    if result.aside:
        print(f"恢复前的数据库已另存为 {result.aside}。")
    return 0
