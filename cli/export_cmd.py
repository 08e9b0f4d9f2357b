"""`python main.py export KIND --db X --user U --out FILE` — cadres (.xlsx) and lrmx (--out FOLDER); handling, roster
and statistics (--from/--to, .xlsx or .pdf).

EXPORTERS maps KIND to a function `(session, actor, args) -> str` (the line to print); the handling engineer
adds "handling" and "roster" with one line each. An --out whose folder does not exist or that contains ".."
is refused (exit 2).
"""
from __future__ import annotations

import argparse
from datetime import date

from cli.accounts import add_account_arguments, login_from_args
from models.core.errors import AppError

NAME = "export"
HELP = ("导出数据：干部名册（cadres，.xlsx）、任免审批表（lrmx，每人一个 .lrmx 文件到 --out 文件夹）、"
        "发文登记（register，.xlsx 或 .csv，--from/--to 为年份）、统计分析（statistics，--from/--to，.xlsx 或 .pdf）")


def _cadres(session, actor, args) -> str:
    from models.exchange.cadre_export import export_cadres_xlsx

    result = export_cadres_xlsx(session, actor, None, args.out)
    return f"已导出 {result.count} 名干部到 {result.path}"


def _lrmx(session, actor, args) -> str:
    from models.exchange.lrmx import export_lrmx

    result = export_lrmx(session, actor, args.out, today=date.today())
    return f"已导出 {len(result.files)} 份任免审批表（.lrmx）到 {result.folder}"


EXPORTERS = {
    "cadres": _cadres,
    "lrmx": _lrmx,
    "handling": lambda s, actor, args: __import__("models.exchange.handling_import", fromlist=["_"]).export_cli(s, actor, args),
    "roster": lambda s, actor, args: __import__("reports.roster_export", fromlist=["_"]).export_cli(s, actor, args),
    "register": lambda s, actor, args: __import__("reports.register_export",
                                                  fromlist=["_"]).export_cli(s, actor, args),
    "statistics": lambda s, actor, args: __import__("reports.statistics", fromlist=["_"]).export_cli(s, actor, args),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("kind", metavar="KIND", help="导出什么：" + "、".join(EXPORTERS))
    parser.add_argument("--out", required=True, metavar="FILE",
                        help="输出文件（cadres：.xlsx 文件；lrmx：已存在的文件夹）")
    parser.add_argument("--from", dest="date_from", help="起始日期（花名册等按日期的导出用）")
    parser.add_argument("--to", dest="date_to", help="截止日期（花名册等按日期的导出用）")
    parser.add_argument("--unit", help="统计分析只统计这个单位及其下级单位（单位全称，或“上级/下级”路径）")


def run(args: argparse.Namespace) -> int:
    from models.core.db import open_database

    exporter = EXPORTERS.get(args.kind)
    if exporter is None:
        raise AppError(f"不认识的导出类型“{args.kind}”。可选：{'、'.join(EXPORTERS)}。")
    from models.exchange.cadre_export import check_output_file
    from models.exchange.lrmx import check_output_folder

    if args.kind == "lrmx":
        check_output_folder(args.out)
    elif args.kind == "cadres":
        check_output_file(args.out)
    db = open_database(args.db)
    try:
        actor = login_from_args(args, db, require="export")
        with db.session() as s:
            line = exporter(s, actor, args)
    finally:
        db.dispose()
    print(line)
    return 0
