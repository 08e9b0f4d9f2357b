"""At GUI start, before anything connects: one program per database file, and a warning for a network share.

`claim_database(db_arg)` takes the database's instance lock (models/core/instance_lock.py). When another program
holds it, the user is told plainly who has it open since when and chooses 只读打开 (look, search, preview; no
change is saved) or 退出. A server database (PostgreSQL) is meant to be shared and takes no lock.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from models.core import instance_lock
from models.core.db import resolve_url, sqlite_path
from models.core.network_share import network_share_kind, share_warning

log = logging.getLogger(__name__)
READ_ONLY, QUIT = "read_only", "quit"


@dataclass
class Claim:
    """What the start may do: `lock` is held (None: not ours or a server database); `read_only` when another
    program holds the file."""

    lock: instance_lock.InstanceLock | None
    read_only: bool = False

    def set_account(self, username: str) -> None:
        if self.lock is not None:
            self.lock.set_account(username)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()


def in_use_text(exc: instance_lock.DatabaseInUse) -> str:
    return (exc.message + "\n\n同一个数据库同时只能由一个程序修改，否则可能丢失刚保存的内容。"
            "您可以以只读方式打开它（可以查看、查询和预览，不能保存修改），或者退出。\n"
            "如果那台电脑上的程序已经关闭却仍提示这句话，请在那台电脑上确认程序已完全退出。")


def ask_in_use(exc: instance_lock.DatabaseInUse, parent: QWidget | None = None) -> str:
    box = QMessageBox(QMessageBox.Warning, "数据库正在被使用", in_use_text(exc), QMessageBox.NoButton, parent)
    box.setObjectName("databaseInUseBox")
    read_only = box.addButton("只读打开", QMessageBox.AcceptRole)
    read_only.setObjectName("readOnlyButton")
    quit_button = box.addButton("退出", QMessageBox.RejectRole)
    quit_button.setObjectName("quitButton")
    box.setDefaultButton(quit_button)
    box.exec()
    return READ_ONLY if box.clickedButton() is read_only else QUIT


def claim_database(db_arg: str | None, parent: QWidget | None = None, ask=ask_in_use) -> Claim | None:
    """The instance lock of the database, or read-only, or None when the user chose to quit.
    `ask(DatabaseInUse, parent) -> READ_ONLY | QUIT` is replaceable for tests."""
    path = sqlite_path(resolve_url(db_arg))
    if path is None or not path.parent.is_dir():
        return Claim(None)  # a server database; a missing folder is reported when the database is opened
    try:
        lock = instance_lock.acquire(path)
    except instance_lock.DatabaseInUse as exc:
        log.info("database held by pid %s; asking", exc.holder.pid if exc.holder else "?")
        return Claim(None, read_only=True) if ask(exc, parent) == READ_ONLY else None
    except Exception:  # noqa: BLE001 - a lock file that cannot be made must not keep the program from starting
        log.exception("instance lock not available")
        return Claim(None)
    if lock.previous is not None:
        log.warning("the previous program on this database ended without closing it (pid %s)", lock.previous.pid)
    return Claim(lock)


def warn_network_share(db_arg: str | None, parent: QWidget | None = None) -> str | None:
    """Warn once at open when the SQLite file lies on a network share; returns the warning shown (tests)."""
    path = sqlite_path(resolve_url(db_arg))
    kind = network_share_kind(path) if path is not None else None
    if kind is None:
        return None
    log.warning("database file on a network share (%s)", kind)
    text = share_warning(kind)
    box = QMessageBox(QMessageBox.Warning, "数据库在网络共享文件夹上", text, QMessageBox.Ok, parent)
    box.setObjectName("networkShareBox")
    box.exec()
    return text
