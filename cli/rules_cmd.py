"""`python main.py rules CASE.json` — the rules contract of domain §8 from the command line.

Prints the RESULT (domain §8.3) as JSON on stdout and returns 0. Bad input raises ValidationError/AppError,
which main.py turns into one line on stderr and exit code 2.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from models.core.errors import AppError

NAME = "rules"
HELP = "按规则表计算处分、处理的影响期（领域文档 §8）：读入案例 JSON，输出各项限制的起止日期和期满日（JSON）"

MAX_CASE_BYTES = 20 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "case",
        metavar="CASE.json",
        help="案例文件（UTF-8 编码的 JSON，格式见 docs/rules.md）；用 - 表示从标准输入读取",
    )


def _read_bounded(fh, where: str) -> bytes:
    """At most MAX_CASE_BYTES (+1 to tell "too large"): a device (/dev/zero), a pipe or stdin never runs on."""
    data = fh.read(MAX_CASE_BYTES + 1)
    if len(data) > MAX_CASE_BYTES:
        raise AppError(f"{where}过大（超过 {MAX_CASE_BYTES // 1024 // 1024} MB），不像是案例文件")
    return data


def read_case_text(path_text: str) -> str:
    """The CASE text of a file (or stdin for "-"); every failure is an AppError with one Chinese line.
    The size is never taken from stat (a device or a growing file lies): reads are bounded instead."""
    from models.rules.case import shown

    if path_text == "-":
        where = "标准输入"
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise AppError("没有标准输入可读。请给出案例文件的路径")
        data = _read_bounded(stdin, where)
    else:
        path = Path(path_text)
        where = f"案例文件 {shown(path_text)} "
        try:
            if not path.exists():
                raise AppError(f"找不到案例文件：{shown(path_text)}，请检查路径是否正确")
            if path.is_dir():
                raise AppError(f"{shown(path_text)} 是一个文件夹，不是案例文件，请指定 .json 文件")
            if path.is_char_device() or path.is_block_device():
                raise AppError(f"{shown(path_text)} 是一个设备，不是案例文件，请指定 .json 文件")
            with path.open("rb") as fh:
                data = _read_bounded(fh, where)
        except PermissionError:
            raise AppError(f"没有权限读取{where}，请检查文件权限") from None
        except OSError as exc:
            raise AppError(f"无法读取{where}：{shown(exc.strerror or exc)}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AppError(f"{where}不是 UTF-8 编码的文本，请用记事本等工具另存为 UTF-8 编码后重试") from None


def run(args: argparse.Namespace) -> int:
    from models.rules.case import run_case, shown

    try:
        result = run_case(read_case_text(args.case))
    except AppError as exc:  # ids and values of the case echoed in the message: control characters escaped
        raise AppError(shown(exc.message)) from None
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    out = getattr(sys.stdout, "buffer", None)
    if out is not None:  # always UTF-8, whatever the console code page (the output is for machines and files)
        sys.stdout.flush()
        out.write(text.encode("utf-8"))
        out.flush()
    else:
        sys.stdout.write(text)
    return 0
