"""Encryption at rest (optional): the database file encrypted with SQLCipher (AES-256, package `sqlcipher3`).

The key is derived from a passphrase by SQLCipher itself: PBKDF2-HMAC-SHA512, 256,000 iterations, with a random
salt stored in the file (SQLCipher 4 defaults), so the same passphrase gives a different key per file and
a guessed passphrase costs real time. The passphrase is never stored by the program.

- `encrypt_database(plain, encrypted, passphrase, actor)` writes an encrypted copy of a plain database
  (`sqlcipher_export`); the plain file is left as it is for the administrator to remove once checked.
- `open_encrypted_database(path, passphrase)` opens (or creates) an encrypted database: a wrong passphrase gives
  a clear Chinese message and leaves the file unchanged; an older schema is copied aside (still encrypted)
  and upgraded, like `models.core.db.open_database` does for plain files.
- `decrypt_database(encrypted, plain, passphrase, actor)` writes a plain copy (e.g. to hand to `restore`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from models.core.actor import Actor
from models.core.connected_files import SQLITE_MAGIC, aside_path, connected_facts, read_header, refuse_empty_file
from models.core.engine import Database, make_engine
from models.core.schema_version import alembic_config, current_revision
from models.core.errors import AppError, DatabaseUnusable, ValidationError

DRIVER = "sqlite+pysqlcipher"
MIN_PASSPHRASE = 8


def available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def _require() -> None:
    if not available():
        raise AppError("本机没有安装加密组件 sqlcipher3，无法使用加密数据库。请运行安装脚本（scripts/setup.sh 或 setup.bat）后重试。")


def check_passphrase(passphrase: str) -> None:
    if passphrase is None or len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"加密口令至少需要 {MIN_PASSPHRASE} 个字符。请设置更长的口令，并妥善保管——遗失后数据无法解密。",
                              "passphrase")
    if "\x00" in passphrase:
        raise ValidationError("加密口令不能含控制字符。请重新输入。", "passphrase")


def encrypted_url(path: str | os.PathLike[str], passphrase: str) -> str:
    # username="" makes the password part of the URL: sqlite+pysqlcipher://:口令@//path
    url = URL.create(DRIVER, username="", password=passphrase, database=str(Path(path).absolute()))
    return url.render_as_string(hide_password=False)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(path: Path, passphrase: str | None) -> Any:
    """A DB-API connection to `path` through SQLCipher, keyed when a passphrase is given."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), timeout=30)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported to the user, not on stderr
    except sqlcipher3.DatabaseError:
        pass
    if passphrase is not None:
        conn.execute(f"PRAGMA key = {_quote(passphrase)}")
    return conn


def is_encrypted(path: str | os.PathLike[str]) -> bool:
    """True when the file exists, is not empty and does not start with the plain SQLite header.

    A database this process is connected to is answered from what was found at connect time: reading its
    header again would drop the process's SQLite locks on it (models/core/connected_files.py)."""
    facts = connected_facts(path)
    if facts is not None:
        return facts.encrypted
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return False
    return read_header(path) != SQLITE_MAGIC


def _check_key(path: Path, passphrase: str) -> set[str]:
    """Open read-only with the key; the set of tables, or DatabaseUnusable with what to do."""
    import sqlcipher3

    if not is_encrypted(path):
        raise DatabaseUnusable(f"“{path}”不是加密数据库（是普通数据库文件）。请不带口令打开，或先用“加密数据库”转换。")
    try:
        conn = connect(path, passphrase)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            check = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlcipher3.DatabaseError:
        raise DatabaseUnusable(
            f"无法打开加密数据库“{path.name}”：口令不正确（或文件已损坏）。请核对口令（注意大小写和输入法）后重试。"
        ) from None
    if check != [("ok",)]:
        raise DatabaseUnusable(f"加密数据库“{path}”已损坏（完整性检查未通过）。请从备份恢复。")
    if tables and "alembic_version" not in tables:
        raise DatabaseUnusable(f"“{path}”是其他程序的加密数据库，不是本程序的数据库。请指定正确的文件。")
    return tables


def export_copy(src: Path, src_key: str | None, dst: Path, dst_key: str | None) -> None:
    """Copy every table of src into a new file dst (encrypted when dst_key is given) with sqlcipher_export."""
    if dst.exists():
        raise AppError(f"文件“{dst}”已存在。请换一个文件名，以免覆盖。")
    conn = connect(src, src_key)
    try:
        export_into(conn, dst, dst_key)
    finally:
        conn.close()


def export_into(conn: Any, dst: Path, dst_key: str | None) -> None:
    """Copy every table the SQLCipher connection `conn` sees into a new file dst (one read transaction, so
    consistent); used with the program's own connection for backups. A failed copy leaves no file."""
    try:
        conn.execute(f"ATTACH DATABASE {_quote(str(dst))} AS target KEY {_quote(dst_key or '')}")
        try:
            conn.execute("SELECT sqlcipher_export('target')")
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA target.user_version = {int(version)}")
        finally:
            conn.execute("DETACH DATABASE target")
    except BaseException:
        Path(dst).unlink(missing_ok=True)
        raise


def copy_aside(path: Path, passphrase: str, tag: str) -> Path:
    """An encrypted copy of an encrypted database kept beside it (models.core.connected_files.aside_path names it)."""
    target = aside_path(path, tag)
    export_copy(path, passphrase, target, passphrase)
    return target


def encrypt_database(
    plain: str | os.PathLike[str], encrypted: str | os.PathLike[str], passphrase: str, actor: Actor
) -> Path:
    """An encrypted copy of a plain database; the plain file stays untouched."""
    actor.require("admin")
    _require()
    check_passphrase(passphrase)
    plain, encrypted = Path(plain), Path(encrypted)
    if not plain.is_file() or is_encrypted(plain):
        raise AppError(f"“{plain}”不是普通的本程序数据库文件，无法加密。请检查路径。")
    export_copy(plain, None, encrypted, passphrase)
    _check_key(encrypted, passphrase)
    return encrypted


def decrypt_database(
    encrypted: str | os.PathLike[str], plain: str | os.PathLike[str], passphrase: str, actor: Actor
) -> Path:
    actor.require("admin")
    _require()
    encrypted, plain = Path(encrypted), Path(plain)
    _check_key(encrypted, passphrase)
    export_copy(encrypted, passphrase, plain, None)
    return plain


def open_encrypted_database(path: str | os.PathLike[str], passphrase: str, *, upgrade: bool = True,
                            keep_copy: bool = True) -> Database:
    """Open (create, upgrade) an encrypted database. Raises DatabaseUnusable with a Chinese message."""
    _require()
    path = Path(path).expanduser().absolute()
    if not path.parent.is_dir():
        raise DatabaseUnusable(f"数据库所在的文件夹“{path.parent}”不存在。请先建立该文件夹或换一个路径。")
    refuse_empty_file(path)
    exists = path.is_file()
    if exists:
        _check_key(path, passphrase)
    else:
        check_passphrase(passphrase)
    url = encrypted_url(path, passphrase)
    try:
        engine = make_engine(url)
        rev = current_revision(engine)
    except SQLAlchemyError as exc:
        raise DatabaseUnusable(f"无法打开加密数据库“{path.name}”：{exc.__class__.__name__}。请核对口令。") from exc
    script = ScriptDirectory.from_config(alembic_config())
    if rev is not None and rev not in {r.revision for r in script.walk_revisions()}:
        engine.dispose()
        raise DatabaseUnusable(f"数据库“{path.name}”由更新版本的程序建立（结构版本 {rev}），本程序无法安全使用。请升级本程序。")
    db = Database(url=url, engine=engine, factory=sessionmaker(engine, expire_on_commit=False))
    if upgrade and rev != script.get_current_head():
        if rev is not None and keep_copy:
            engine.dispose()
            db.backup_path = copy_aside(path, passphrase, f"before-upgrade-{rev}")
        db.upgraded_from = rev
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return db
