"""`python main.py audit verify --db X --user U` — check the hash chain of the audit log.

Exit 0 and one line on stdout when the chain is intact; exit 1 with one line on stderr naming the first broken
entry when any past entry was changed, removed or reordered. A database that cannot be opened exits 2.
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
    from sqlalchemy import func, select

    from models.core import audit
    from models.core.db import open_database
    from models.entities import AuditEvent

    from models.core.db import resolve_url, sqlite_path
    from models.core.errors import AppError

    path = sqlite_path(resolve_url(args.db))
    if path is not None and not path.exists():
        raise AppError(f"找不到数据库文件“{path}”。请检查 --db 后面的路径。")
    db = open_database(args.db, upgrade=False)
    try:
        login_from_args(args, db, require="admin")
        with db.session() as s:
            problem = audit.verify_chain(s)
            count = s.scalar(select(func.count()).select_from(AuditEvent))
    finally:
        db.dispose()
    if problem is not None:
        print(f"审计日志被改动：{problem.message}（第一处问题在第 {problem.seq} 条）。请从备份核对并报告管理员。",
              file=sys.stderr)
        return EXIT_BROKEN
    print(f"审计日志完整：共 {count} 条记录，哈希链校验通过。")
    return 0
