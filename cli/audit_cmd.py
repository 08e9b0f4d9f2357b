"""`python main.py audit verify --db X --user U` — check the hash chain of the audit log.

Prints the audit anchor (models/core/audit_anchor.py) on stdout, to be noted on paper. Exit 0 and a second line
when the chain is intact and agrees with its anchor; exit 1 with one line on stderr naming the first broken entry
(changed, removed, reordered), the anchor a truncated, emptied or recomputed log contradicts, or accounts whose
creation the log lacks. A database that cannot be opened, or a wrong account, exits 2.
"""
from __future__ import annotations

import argparse
import sys

from cli.accounts import add_account_arguments, login_from_args

NAME = "audit"
HELP = "审计日志：verify 校验哈希链，发现被改动或删除的记录"
EXIT_BROKEN = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("action", choices=["verify"], metavar="verify", help="verify：校验审计日志的哈希链是否完整")


def run(args: argparse.Namespace) -> int:
    from models.core.db import open_database, resolve_url, sqlite_path
    from models.core.errors import AppError
    from models.services import audit_log

    path = sqlite_path(resolve_url(args.db))
    if path is not None and not path.exists():
        raise AppError(f"找不到数据库文件“{path}”。请检查 --db 后面的路径。")
    db = open_database(args.db, upgrade=False)
    try:
        actor = login_from_args(args, db, require="admin")
        with db.session() as s:
            verdict = audit_log.verify_all(s, actor)
    finally:
        db.dispose()
    print(verdict.anchor.line())
    if not verdict.ok:
        print("审计日志被改动：" + "；".join(verdict.problems) + "。请从备份核对并报告管理员。", file=sys.stderr)
        return EXIT_BROKEN
    print(f"审计日志完整：共 {verdict.count} 条记录，哈希链校验通过，与审计锚点一致。"
          if verdict.anchor.anchor is not None else
          f"审计日志完整：共 {verdict.count} 条记录，哈希链校验通过。")
    return 0
