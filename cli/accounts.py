"""The account a headless command acts under (design §4): `--user NAME`, password from CADRECARE_PASSWORD or a
prompt, the account's role applied by the services and named in the audit log.

Every command that reads or changes records calls, in this order:

    add_account_arguments(parser)                 # in add_arguments: adds --user
    actor = login_from_args(args, db)             # in run, once the Database is open (or a path / URL)
    actor = login_from_args(args, db, require="admin")   # also checks one permission of models.core.actor

A missing or wrong account raises AppError (main prints one line, exit 2). The login is a write (failed-login
counter, lock, audit entry "login"), committed in its own transaction even when it fails, as in the GUI.
`demo`, `rules` and `bench` take no account.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from models.core.actor import ROLE_ADMIN, Actor
from models.core.errors import AppError

PASSWORD_ENV = "CADRECARE_PASSWORD"



def add_account_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user", metavar="NAME",
        help=f"以哪个账号操作（必填）。密码取自环境变量 {PASSWORD_ENV}，没有时在终端中询问",
    )


def read_password(username: str) -> str:
    """The password of `username`: the environment variable, else a terminal prompt (never echoed)."""
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if sys.stdin is None or not sys.stdin.isatty():
        raise AppError(f"没有提供账号“{username}”的密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行以便输入密码。")
    try:
        return getpass.getpass(f"账号 {username} 的密码：")
    except EOFError:
        raise AppError("没有输入密码，已取消。") from None


def login(db, username: str | None, password: str | None = None, *, require: str | None = None) -> Actor:
    """Authenticate `username` against `db` (an open Database, or a path / URL opened only for the login)."""
    from models.core.db import Database, open_database
    from models.services import accounts

    username = (username or "").strip()
    if not username:
        raise AppError(f"请用 --user 指定操作账号（密码由环境变量 {PASSWORD_ENV} 提供或在终端中输入）。"
                       "命令行与图形界面使用同样的账号和权限。")
    owned = not isinstance(db, Database)
    if owned:
        from models.core.db import resolve_url, sqlite_path

        path = sqlite_path(resolve_url(db))
        if path is not None and not path.is_file():
            raise AppError(f"找不到数据库文件“{path}”。请检查 --db 后面的路径。")
    if password is None:
        password = read_password(username)
    database = open_database(db, upgrade=False) if owned else db
    try:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with database.session() as s:
                if not accounts.has_users(s):
                    raise AppError("该数据库还没有任何账号。请先启动图形界面建立管理员账号，再用命令行操作。")
                result = accounts.authenticate(s, username, password)
        except SQLAlchemyError as exc:
            raise AppError(f"无法读取该数据库的账号（{exc.__class__.__name__}）。"
                           "它可能由旧版本程序建立：请先用图形界面打开一次以升级，再用命令行操作。") from None
    finally:
        if owned:
            database.dispose()
    if not result.ok:
        raise AppError(result.message.replace("\n", " "))
    if result.must_change_password:
        raise AppError(f"账号“{result.actor.username}”的密码是管理员设置的，须先在图形界面登录并改为自己的密码，"
                       "才能在命令行使用。")
    if require:
        result.actor.require(require)
    return result.actor


def _stored_account(path, passphrase: str | None, username: str):
    """(any account at all, the row of `username`) read without writing, or None when the file cannot be read."""
    import sqlite3

    from models.core import encryption

    query = "SELECT username, display_name, role, active, password_hash FROM app_user WHERE username = ?"
    attempts = [None] + ([passphrase] if passphrase and encryption.available() else [])
    for key in attempts:
        try:
            conn = (sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True) if key is None
                    else encryption.connect(path, key))
            try:
                return conn.execute("SELECT count(*) FROM app_user").fetchone()[0] > 0, conn.execute(
                    query, (username,)).fetchone()
            finally:
                conn.close()
        except Exception:  # sqlite3 / sqlcipher3 DatabaseError: damaged, encrypted, not ours
            continue
    return None


def login_for_restore(args: argparse.Namespace, target, backup_file, passphrase: str | None) -> Actor:
    """The account for a restore, checked read-only: nothing is written to the database that is about to be
    replaced (it is kept aside byte for byte) nor to the backup. The account must be an active administrator
    of the current database; when that has no account or cannot be read (often why one restores), of the
    backup. When neither holds any account (made before the first administrator was set up), the restore runs
    under the name given, as a new database would. The restore itself is logged under this account."""
    from models.core.backup import check_backup_file
    from models.services import accounts

    username = (getattr(args, "user", None) or "").strip().lower()
    if not username:
        return login(None, username)  # the same message as every other command
    info = check_backup_file(backup_file, passphrase)
    for source, where in ((target, "当前数据库"), (info.path, "备份")):
        found = _stored_account(source, passphrase, username) if source is not None and source.is_file() else None
        if found is None or not found[0]:
            continue
        row = found[1]
        if row is None or not accounts.verify_password(row[4], read_password(username)):
            raise AppError(f"用户名或密码不正确（按{where}中的账号核对）。请检查后重试。")
        actor = Actor(username=row[0], role=row[2], display_name=row[1] or "")
        if not row[3]:
            raise AppError(f"账号“{actor.username}”在{where}中已停用，不能用它恢复。")
        actor.require("admin")
        return actor
    return Actor(username=username, role=ROLE_ADMIN, display_name="命令行（数据库和备份中都还没有账号）")


def login_from_args(args: argparse.Namespace, db, *, require: str | None = None) -> Actor:
    """The Actor for `args.user`; AppError (exit 2) for a missing or wrong account."""
    return login(db, getattr(args, "user", None), require=require)
