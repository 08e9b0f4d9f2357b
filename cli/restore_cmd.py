"""`python main.py restore FILE --db X --user U` — check the backup, keep the current database aside, then restore.

While it runs the restore holds the database's instance lock (models/core/instance_lock.py): it refuses while a
GUI has the database open, and a GUI started meanwhile is told who is restoring. A bad backup, a full disk or a
database another program has open is refused before anything is written."""
from __future__ import annotations

import argparse

from cli.accounts import add_account_arguments, login_for_restore, login_from_args

NAME = "restore"
HELP = "从备份文件恢复数据库（先检查备份文件；当前数据库另存一份，不会丢失）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("file", metavar="FILE", help="备份文件（由 backup 命令或程序的“备份”生成）")


def run(args: argparse.Namespace) -> int:
    from models.core import instance_lock
    from models.core.backup import RESTORE_UNCHANGED
    from models.core.db import resolve_url, sqlite_path
    from models.core.errors import AppError

    target = sqlite_path(resolve_url(args.db))
    lock = None
    if target is not None and target.parent.is_dir():
        try:  # no GUI may start on the file while it is replaced, and none may have it open
            lock = instance_lock.acquire(target, kind="restore")
        except instance_lock.DatabaseInUse as exc:
            raise AppError(f"不能恢复：{exc.message}请先关闭该程序后再恢复。{RESTORE_UNCHANGED}") from None
    try:
        return _restore(args, target)
    finally:
        if lock is not None:
            lock.release()


def _restore(args: argparse.Namespace, target) -> int:
    from models.core.backup import passphrase_of, preflight_restore, restore_database

    if target is None:  # a server database: logged in as usual (restore_database then says to use pg_restore)
        actor = login_from_args(args, args.db, require="admin")
    else:
        preflight_restore(args.file, args.db, passphrase_of(args.db))
        actor = login_for_restore(args, target, args.file, passphrase_of(args.db))
    result = restore_database(args.file, args.db, actor)
    print(f"已从 {result.restored_from} 恢复到 {target}" + ("（并已升级到本程序的结构版本）" if result.upgraded else "") + "。")
    if result.aside:
        print(f"恢复前的数据库已另存为 {result.aside}。")
    return 0
