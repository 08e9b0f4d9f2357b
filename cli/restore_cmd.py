"""`python main.py restore FILE --db X --user U` — check the backup, keep the current database aside, then restore."""
from __future__ import annotations

import argparse

from cli.accounts import add_account_arguments, login_for_restore, login_from_args

NAME = "restore"
HELP = "从备份文件恢复数据库（先检查备份文件；当前数据库另存一份，不会丢失）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("file", metavar="FILE", help="备份文件（由 backup 命令或程序的“备份”生成）")


def run(args: argparse.Namespace) -> int:
    from models.core.backup import passphrase_of, restore_database
    from models.core.db import resolve_url, sqlite_path

    target = sqlite_path(resolve_url(args.db))
    if target is None:  # a server database: logged in as usual (restore_database then says to use pg_restore)
        actor = login_from_args(args, args.db, require="admin")
    else:
        actor = login_for_restore(args, target, args.file, passphrase_of(args.db))
    result = restore_database(args.file, args.db, actor)
    print(f"已从 {result.restored_from} 恢复到 {target}" + ("（并已升级到本程序的结构版本）" if result.upgraded else "") + "。")
    if result.aside:
        print(f"恢复前的数据库已另存为 {result.aside}。")
    return 0
