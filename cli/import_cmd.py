"""`python main.py import KIND FILE --db X --user U [--dry-run] [--report OUT.xlsx] [--map 列=字段] [--mapping NAME]
[--allow-renames] [--sheet NAME]` — 台账 (.xlsx .xlsm .xls .et .ods .csv .txt) and .lrmx import; `import list` shows the import
ledger, `import withdraw N --reason …` withdraws import N as a whole. Every form acts under the account of
`--user` (cli/accounts.py): importing and withdrawing need the right to write, the list the right to read.

The kinds are the registry models/exchange/kinds.py (shared with the import dialog). A file that cannot be used
at all raises FileUnusable (exit 2); an import that ran prints its columns, counts and every row it refused or
held back, and exits 0 even when rows were rejected.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date

from cli.accounts import add_account_arguments, login_from_args
from models.core.errors import AppError
from models.exchange.kinds import IMPORTS, import_kind

NAME = "import"
HELP = "导入数据：干部台账（cadres）、表彰奖励台账（commendations）、处分处理台账（handling）、任免审批表 .lrmx；list 查看导入记录，withdraw 撤回一次导入"


MAX_LISTED = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("kind", metavar="KIND", help="导入什么：" + "、".join(
        f"{k.key}（{k.file_help}）" for k in IMPORTS.values()) + "；或 list（导入记录）、withdraw（撤回一次导入）")
    parser.add_argument("file", metavar="FILE", nargs="?",
                        help="要导入的文件（lrmx 还可以是文件夹或 zip 压缩包）；withdraw 时为导入记录的编号")
    parser.add_argument("--dry-run", action="store_true", help="检查：逐行列出将新增、更改、拒绝的内容，不写入数据库")
    parser.add_argument("--report", metavar="OUT.xlsx", help="把检查结果（拒绝的行及原因、将写入的改动）写入此 Excel 报告")
    parser.add_argument("--map", metavar="列=字段", action="append", default=[],
                        help="把文件中的某列对应到某个字段（可重复），如 --map \"处理处分种类=处分种类\"；字段写“忽略”则不导入该列")
    parser.add_argument("--mapping", metavar="NAME", help="使用已保存的列对应方案")
    parser.add_argument("--save-mapping", metavar="NAME", help="把这次的列对应保存为方案（下次用 --mapping NAME）")
    parser.add_argument("--allow-renames", action="store_true",
                        help="允许更改已登记干部的姓名、性别、出生日期（默认只列出，不更改）")
    parser.add_argument("--sheet", metavar="NAME", help="读取哪个工作表（默认：第一个能找到表头的工作表）")
    parser.add_argument("--reason", metavar="TEXT", help="withdraw：撤回的原因（必填）")


def _print_result(result, args, out) -> None:
    if result.sheet:
        print(f"工作表：{result.sheet}", file=out)
    left_out = result.left_out_columns
    if result.unknown_columns:
        print(f"未识别的列（未导入，如需导入请用 --map \"列名=字段\" 指定）：{'、'.join(result.unknown_columns)}", file=out)
    other = [c for c in left_out if "未识别" not in c]
    if other:
        print(f"未导入的列：{'、'.join(other)}", file=out)
    print(f"已导入（新增）{result.created} 条，更新 {result.updated} 条，无变化 {result.unchanged} 条，"
          f"拒绝 {len(result.rejected)} 条。" + ("（检查，未写入数据库）" if args.dry_run else ""), file=out)
    print(f"imported={result.created} updated={result.updated} unchanged={result.unchanged} "
          f"rejected={len(result.rejected)} held={len(result.held)}", file=out)
    if result.units_created:
        print(f"{'将新建' if args.dry_run else '新建'}单位：{'、'.join(result.units_created)}", file=out)
    for note in result.notes:
        print(f"  说明：{note}", file=out)
    if args.dry_run:
        for r in result.rows[:MAX_LISTED * 5]:
            print(f"  {r.text}", file=out)
        if len(result.rows) > MAX_LISTED * 5:
            print(f"  ……另有 {len(result.rows) - MAX_LISTED * 5} 行将写入" + ("，见报告文件" if args.report else ""), file=out)
    for r in result.held[:MAX_LISTED]:
        print(f"  未更改 {r.text}", file=out)
    if len(result.held) > MAX_LISTED:
        print(f"  ……另有 {len(result.held) - MAX_LISTED} 人的身份信息不同，未更改", file=out)
    for r in result.rejected[:MAX_LISTED]:
        print(f"  拒绝 {r.message}", file=out)
    if len(result.rejected) > MAX_LISTED:
        print(f"  ……另有 {len(result.rejected) - MAX_LISTED} 条被拒绝" + ("，见报告文件" if args.report else "，用 --report 保存全部"),
              file=out)
    if result.batch_id is not None:
        print(f"导入记录编号：{result.batch_id}（可用 import withdraw {result.batch_id} --reason 原因 整体撤回）", file=out)


def _ledger(args) -> int:
    from models.core.db import open_database
    from models.exchange import import_ledger

    db = open_database(args.db)
    try:
        actor = login_from_args(args, db, require="read" if args.kind == "list" else "write")
        with db.session() as s:
            if args.kind == "list":
                batches = import_ledger.list_batches(s, actor)
                if not batches:
                    print("还没有导入记录。")
                for b in batches:
                    print(import_ledger.describe(b))
                return 0
            if not args.file or not args.file.strip().isdigit():
                raise AppError("请写出要撤回的导入记录编号，如：import withdraw 3 --reason \"导错了文件\"（编号见 import list）。")
            n = import_ledger.withdraw(s, actor, int(args.file), args.reason or "")
        # printed once the withdrawal is committed: output that cannot be written (a closed pipe) never undoes it
        print(f"已撤回第{args.file}次导入：{n} 条记录已撤回或恢复原值。")
        return 0
    finally:
        db.dispose()


def run(args: argparse.Namespace) -> int:
    from models.core.db import open_database
    from models.exchange import mappings
    from models.exchange.cadre_export import check_output_file
    from models.exchange.import_report import save_report

    if args.kind in ("list", "withdraw"):
        return _ledger(args)
    importer = import_kind(args.kind).importer()
    if not args.file:
        raise AppError("请写出要导入的文件，如：import cadres 台账.xlsx --db 数据库文件。")
    if args.report:
        check_output_file(args.report)
    mapping: dict[str, str | None] = {}
    if (args.map or args.mapping or args.save_mapping) and args.kind == "lrmx":
        raise AppError("任免审批表（.lrmx）按固定的元素读取，不用 --map / --mapping。")
    if args.map:
        mapping.update(mappings.parse_map_options(args.kind, args.map))
    db = open_database(args.db)
    try:
        actor = login_from_args(args, db, require="write")
        with db.session() as s:
            if args.mapping:
                mapping = {**mappings.by_name(s, args.kind, args.mapping), **mapping}
            result = importer(s, actor, args.file, dry_run=args.dry_run, today=date.today(),
                              mapping=mapping or None, allow_renames=args.allow_renames,
                              **({"sheet": args.sheet} if args.sheet else {}))
            if args.dry_run:
                s.rollback()
            if args.save_mapping:
                mappings.save(s, actor, args.kind, result.signature, [c["header"] for c in result.columns],
                              {c["header"]: c["key"] for c in result.columns}, args.save_mapping)
    finally:
        db.dispose()
    _print_result(result, args, sys.stdout)
    if args.report:
        save_report(result, args.report)
        print(f"报告已保存：{args.report}", file=sys.stdout)
    return 0
