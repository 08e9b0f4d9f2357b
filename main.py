"""Entry point: arguments → settings → database → GUI (no command) or a headless command."""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from cli import COMMAND_MODULES, refuse_while_gui_open
from models.core.errors import AppError

EXIT_OK, EXIT_BAD_INPUT = 0, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments in one Chinese line and exit 2 (its own default is also 2)."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(EXIT_BAD_INPUT, f"参数错误：{message}（用 --help 查看用法）\n")


BENCH_COMMAND = "bench.command"  # main.py alone wires the benchmark in: nothing else imports bench/


def _load_commands():
    return [importlib.import_module(path) for path in [*COMMAND_MODULES, BENCH_COMMAND]]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="main.py",
        description="干部关爱与问责记录 — 不带命令时启动图形界面；带命令时在命令行运行。",
    )
    parser.add_argument("--db", help="数据库文件路径或 SQLAlchemy URL（默认：用户数据目录中的 cadres.sqlite3）")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for module in _load_commands():
        cmd = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        # --db is accepted after the command too: `main.py demo --db X`
        cmd.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "db_sub", None):
        args.db = args.db_sub
    from models.core.logs import setup_logging

    setup_logging()
    if not args.command:
        from gui.app import run_gui

        return run_gui(args.db)
    try:
        refuse_while_gui_open(args.command, args.db)
        return int(args._run(args) or 0)
    except AppError as exc:
        print(exc.message.replace("\n", " "), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of the output went away (`| head`): the command's transaction had ended before it printed;
        # point stdout at nothing so that the interpreter's final flush does not complain again
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (AttributeError, OSError, ValueError):  # stdout without a descriptor (captured)
            pass
        return 141
    except Exception as exc:  # unexpected: log the traceback, show one line
        logging.getLogger("main").exception("unexpected error in command %s", args.command)
        from models.core.logs import log_file_path, redact

        text = redact(str(exc)).replace("\n", " ")[:300]
        print(f"程序未能完成这项操作（{type(exc).__name__}：{text}）。已经保存的数据不受影响。"
              f"详情已记入日志 {log_file_path()}，请把日志交给维护人员。", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
