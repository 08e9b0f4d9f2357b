"""`python main.py import KIND FILE --db X --user U [--dry-run] [--report OUT.xlsx]` — Excel 台账 and .lrmx import.

The kinds are the registry models/exchange/kinds.py (shared with the import dialog). A file that cannot be used at all raises FileUnusable (exit 2);
an import that ran prints its counts and exits 0, even when rows were rejected (they are listed and in --report).
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

from cli.accounts import add_account_arguments, login_from_args
from models.exchange.kinds import IMPORTS, import_kind

NAME = "import"
HELP = "导入数据：干部台账（cadres）、表彰奖励台账（commendations）、任免审批表 .lrmx（文件、文件夹或 zip）"


MAX_LISTED = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("kind", metavar="KIND", help="导入什么：" + "、".join(
        f"{k.key}（{k.file_help}）" for k in IMPORTS.values()))
    parser.add_argument("file", metavar="FILE", help="要导入的文件（lrmx 还可以是文件夹或 zip 压缩包）")
    parser.add_argument("--dry-run", action="store_true", help="试导入：只检查并报告结果，不写入数据库")
    parser.add_argument("--report", metavar="OUT.xlsx", help="把被拒绝的行及原因写入此 Excel 报告")


def run(args: argparse.Namespace) -> int:
    from models.core.db import open_database
    from models.exchange.cadre_export import check_output_file
    from models.exchange.import_report import save_report

    importer = import_kind(args.kind).importer()
    if args.report:
        check_output_file(args.report)
    db = open_database(args.db)
    try:
        actor = login_from_args(args, db, require="write")
        with db.session() as s:
            result = importer(s, actor, args.file, dry_run=args.dry_run, today=date.today())
            if args.dry_run:
                s.rollback()
    finally:
        db.dispose()
    out = sys.stdout
    print(f"已导入（新增）{result.created} 条，更新 {result.updated} 条，无变化 {result.unchanged} 条，"
          f"拒绝 {len(result.rejected)} 条。" + ("（试导入，未写入数据库）" if args.dry_run else ""), file=out)
    print(f"imported={result.created} updated={result.updated} unchanged={result.unchanged} "
          f"rejected={len(result.rejected)}", file=out)
    if result.units_created:
        print(f"{'将新建' if args.dry_run else '新建'}单位：{'、'.join(result.units_created)}", file=out)
    for r in result.rejected[:MAX_LISTED]:
        where = f"第{r.row}行" if isinstance(r.row, int) else r.row
        print(f"  拒绝 {where} {r.name}：{r.reason}", file=out)
    if len(result.rejected) > MAX_LISTED:
        print(f"  ……另有 {len(result.rejected) - MAX_LISTED} 条被拒绝" + ("，见报告文件" if args.report else "，用 --report 保存全部"),
              file=out)
    if args.report:
        save_report(result, args.report)
        print(f"报告已保存：{args.report}", file=out)
    return 0
