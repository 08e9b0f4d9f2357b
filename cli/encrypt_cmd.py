"""python main.py encrypt --db PLAIN --user U --out ENCRYPTED  /  python main.py encrypt --decrypt --db ENCRYPTED --user U --out PLAIN

The passphrase comes from the environment variable CADRECARE_PASSPHRASE, or is asked for at the terminal.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from cli.accounts import add_account_arguments, login_from_args

NAME = "encrypt"
HELP = "把数据库加密（SQLCipher）另存为一个新文件；加 --decrypt 则把加密数据库解密另存"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_account_arguments(parser)
    parser.add_argument("--out", required=True, help="新文件的路径（不能已存在）")
    parser.add_argument("--decrypt", action="store_true", help="解密：--db 是加密数据库，--out 写出普通数据库")


def _passphrase(confirm: bool) -> str:
    from models.core.db import PASSPHRASE_ENV
    from models.core.errors import AppError

    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise AppError(f"请用环境变量 {PASSPHRASE_ENV} 提供口令，或在终端中运行以便输入口令。")
    first = getpass.getpass("口令：")
    if confirm and getpass.getpass("再次输入口令：") != first:
        raise AppError("两次输入的口令不一致，未做任何改动。")
    return first


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from models.core import encryption
    from models.core.db import open_database
    from models.core.errors import AppError

    if not args.db:
        raise AppError("请用 --db 指定要处理的数据库文件。")
    out = Path(args.out)
    if out.exists():
        raise AppError(f"“{out}”已存在。为免覆盖，请指定一个新文件名。")
    if not out.parent.is_dir():
        raise AppError(f"文件夹“{out.parent}”不存在。请先建立该文件夹。")
    if not Path(args.db).is_file():
        raise AppError(f"找不到数据库文件“{args.db}”。请检查 --db 后面的路径。")
    passphrase = _passphrase(confirm=not args.decrypt)
    source = open_database(args.db, upgrade=False, passphrase=passphrase if args.decrypt else "")
    try:
        actor = login_from_args(args, source, require="admin")
    finally:
        source.dispose()
    if args.decrypt:
        encryption.decrypt_database(args.db, out, passphrase, actor)
        print(f"已解密另存为 {out}（普通数据库，请妥善保管）。")
    else:
        encryption.encrypt_database(args.db, out, passphrase, actor)
        print(f"已加密另存为 {out}。以后用 --db {out} 打开，口令由 CADRECARE_PASSPHRASE 提供或在界面中输入。")
    return 0
