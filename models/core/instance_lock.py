"""One program per database file: a lock file beside the database says who has it open since when.

`<database>.lock` holds one JSON line (OS user, computer, process, program account, since when, what kind of
use) and is locked by the operating system (flock on Linux/macOS, a locked byte on Windows) for as long as the
holder runs: when the holder ends, even by a crash or a power cut, the system drops the lock, so a stale file
is recognised (its text remains, its lock is free) and taken over. The lock file is never a database file, so
its own descriptor cannot disturb SQLite's locks.

- The GUI calls `acquire(db_file)`; when another program holds it, `DatabaseInUse.holder` says who, and the
  user may open the database read-only or quit.
- Command-line writers call `refuse_if_held(db_file, what)`: they refuse while a GUI (or a restore) holds the
  database; `backup` is safe at any time and does not ask.
- `restore` holds the lock itself for as long as it replaces the file.
"""
from __future__ import annotations

import getpass
import json
import logging
import os
import socket
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from models.core.errors import AppError

log = logging.getLogger(__name__)
KIND_LABELS = {"gui": "在图形界面中", "restore": "正在用命令行恢复备份时", "cli": "在命令行中"}
_WIN_LOCK_OFFSET = 0x7FFF0000  # Windows: lock a byte far after the text, so others can still read the text


@dataclass(frozen=True)
class Holder:
    kind: str
    user: str
    host: str
    pid: int
    since: str  # ISO date and time
    account: str | None = None  # the program account logged in, once known

    def describe(self) -> str:
        when = self.since.replace("T", " ")[:16]
        who = f"计算机“{self.host}”上的用户“{self.user}”"
        if self.account:
            who += f"（程序账号 {self.account}）"
        return f"{who}自 {when} 起{KIND_LABELS.get(self.kind, '')}打开了它（进程号 {self.pid}）"


class DatabaseInUse(AppError):
    def __init__(self, db_file: Path, holder: Holder | None, what: str = "打开"):
        self.holder = holder
        who = holder.describe() if holder else "另一个程序正在使用它"
        super().__init__(f"数据库“{db_file.name}”正在被使用：{who}。")
        self.what = what


def lock_path(db_file: Path) -> Path:
    return Path(db_file).with_name(Path(db_file).name + ".lock")


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]  # Windows only
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]  # Windows only
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _parse(text: str) -> Holder | None:
    try:
        data = json.loads(text.strip().splitlines()[0])
        return Holder(**{k: data.get(k) for k in Holder.__dataclass_fields__})
    except (ValueError, IndexError, TypeError):
        return None


def _read_text(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment
        return "?"


class InstanceLock:
    """The held lock of one database file. Attributes: path, holder (ours), previous (the text of a holder
    that ended without releasing: a crash or power cut)."""

    def __init__(self, path: Path, fd: int, holder: Holder, previous: Holder | None):
        self._fd: int | None = fd
        self.path, self.holder, self.previous = path, holder, previous

    def _write(self) -> None:
        data = (json.dumps(asdict(self.holder), ensure_ascii=False) + "\n").encode("utf-8")
        fd = cast(int, self._fd)  # written only while held
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, data)
        os.fsync(fd)

    def set_account(self, account: str | None) -> None:
        """Record the program account logged in, so a second program can say who it is."""
        if self._fd is None:
            return
        self.holder = Holder(**{**asdict(self.holder), "account": account})
        self._write()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Remove the lock file (a clean end: no stale holder is reported next time) and let go. Removing it while
        still locked is safe: whoever opened it meanwhile sees that the name no longer leads to it (acquire)."""
        if self._fd is None:
            return
        try:
            if os.name == "nt":  # an open file cannot be removed there: an empty lock file means a clean end
                os.ftruncate(self._fd, 0)
            else:
                self.path.unlink(missing_ok=True)
            _unlock(self._fd)
        except OSError:
            log.warning("could not remove the instance lock %s", self.path)
        finally:
            os.close(self._fd)
            self._fd = None


def acquire(db_file: Path, kind: str = "gui") -> InstanceLock:
    """Hold the lock of `db_file`, or raise DatabaseInUse naming who holds it."""
    path = lock_path(db_file)
    for _attempt in range(10):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise AppError(f"无法在数据库所在的文件夹中建立锁文件“{path.name}”（{exc.strerror}）。"
                           "请检查该文件夹的写权限。") from None
        if not _try_lock(fd):
            holder = _parse(_read_text(fd))
            os.close(fd)
            raise DatabaseInUse(Path(db_file), holder)
        if _same_file(fd, path):
            break
        os.close(fd)  # the holder removed it between our open and our lock: try the new one
    else:
        raise DatabaseInUse(Path(db_file), None)
    previous = _parse(_read_text(fd))
    if previous is not None:
        log.warning("database was left open by pid %s on the previous run (ended without closing)", previous.pid)
    holder = Holder(kind=kind, user=_os_user(), host=socket.gethostname(), pid=os.getpid(),
                    since=datetime.now().replace(microsecond=0).isoformat())
    lock = InstanceLock(path, fd, holder, previous)
    try:
        lock._write()
    except OSError:  # a full disk: the lock holds all the same, others just cannot read who holds it
        log.warning("could not write the holder into %s", path)
    return lock


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (own.st_dev, own.st_ino) == (st.st_dev, st.st_ino)


def current_holder(db_file: Path) -> Holder | None:
    """Who holds the lock of `db_file` now; None when nobody does (a crashed holder's text does not count)."""
    try:
        fd = os.open(lock_path(db_file), os.O_RDWR)
    except FileNotFoundError:
        return None
    except OSError:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return _parse(_read_text(fd)) or Holder(kind="gui", user="?", host="?", pid=0, since="?")
    finally:
        os.close(fd)


def refuse_if_held(db_file: Path | None, what: str) -> None:
    """For command-line writers: refuse while a GUI (or a restore) has the database open."""
    if db_file is None:
        return
    holder = current_holder(db_file)
    if holder is not None:
        raise AppError(f"不能{what}：数据库“{Path(db_file).name}”正在被使用——{holder.describe()}。"
                       "请先关闭该程序后再运行此命令（备份可以随时进行：python main.py backup --db … --out …）。")
