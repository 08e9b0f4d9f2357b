"""`python main.py backup --db X --user U --out FILE` — a checked copy of the database (SQLite online backup API)."""
from __future__ import annotations

import argparse

from cli.accounts import add_account_arguments, login_from_args

NAME = "backup"
HELP = "备份数据库到一个文件（运行中也可备份；备份写完并检查无误后才以该文件名保存）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("--out", required=True, metavar="FILE", help="备份文件的路径，例如 D:\\备份\\干部记录-20260301.sqlite3")


def run(args: argparse.Namespace) -> int:
    from models.core.backup import backup_database
    from models.core.db import resolve_url, sqlite_path
    from models.core.errors import AppError

    path = sqlite_path(resolve_url(args.db))
    if path is not None and not path.exists():
        raise AppError(f"找不到数据库文件“{path}”。请检查 --db 后面的路径。")
    actor = login_from_args(args, args.db, require="admin")
    info = backup_database(args.db, args.out, actor)
    print(f"已备份到 {info.path}（{info.size / 1024 / 1024:.1f} MB，干部 {info.cadres} 人，审计记录 {info.audit_entries} 条）。")
    print(f"备份中的审计锚点：第 {info.last_audit_seq} 条，哈希 {info.last_audit_hash[:16]}（可与 audit verify 打印的锚点核对）。")
    return 0
