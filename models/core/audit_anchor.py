"""The anchor of the audit chain (design §6): the newest sequence number and hash, also kept outside the table.

The hash chain (models/core/audit.py) shows a changed or removed *past* entry, but not the newest entries cut
off, the whole table emptied, or every hash recomputed after an edit — all of which leave a chain that checks.
So after every commit that appended to the log, the head (seq, hash) is written to an anchor file:

- SQLite: beside the database file, `<database file name>.audit-anchor.json` (the data folder for the default
  database). Never the database files themselves: the anchor is a file of its own.
- a server database (PostgreSQL): the data folder's `audit-anchors/<host>-<port>-<database>.json`.

The anchor only moves forward, and only from a chain that agrees with it: before the first append of a
transaction the entry the anchor names is looked up; if it is gone or its hash differs, the anchor is left as it
was (the evidence stays) and `verify` reports it. A restore replaces the anchor with the restored database's
head and keeps the replaced one in `replaced`. Each backup carries its own head (models/core/backup.py).
The program's temporary copies (file names starting with ".") are not anchored.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, event, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
SUFFIX = ".audit-anchor.json"
KEEP_REPLACED = 20
_INFO_KEY = "audit_anchor"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str = ""
    path: Path | None = None

    def text(self) -> str:
        when = f"，记于 {self.at}" if self.at else ""
        return f"第 {self.seq} 条，哈希 {self.hash[:16]}{when}"


@dataclass(frozen=True)
class AnchorCheck:
    anchor: Anchor | None
    problem: str | None = None  # a contradiction: what it means and which anchor it contradicts

    def line(self) -> str:
        if self.anchor is None:
            return "审计锚点：尚未建立（没有找到锚点文件；下次写入审计日志时建立）。"
        return f"审计锚点：{self.anchor.text()}（{self.anchor.path}）。请把这一行抄在纸上或存到别处，以便日后核对。"


def anchor_path(url: str | URL) -> Path | None:
    """Where the anchor of the database at `url` lives; None for in-memory and temporary databases."""
    u = make_url(url) if isinstance(url, str) else url
    if u.get_backend_name() == "sqlite":
        if not u.database or u.database == ":memory:" or u.database.startswith("file:"):
            return None
        db_file = Path(u.database).expanduser().absolute()
        if db_file.name.startswith("."):
            return None
        return db_file.with_name(db_file.name + SUFFIX)
    from models.core.paths import data_dir

    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{u.host or 'local'}-{u.port or ''}-{u.database or ''}")
    folder = data_dir() / "audit-anchors"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.json"


def read_anchor(path: Path | None) -> tuple[Anchor | None, dict[str, Any]]:
    """The anchor in `path` and the whole file (an unreadable file counts as none, and is reported by verify)."""
    if path is None or not path.is_file():
        return None, {}
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read(64 * 1024).decode("utf-8"))
        return Anchor(int(data["seq"]), str(data["hash"]), str(data.get("at", "")), path), data
    except (OSError, ValueError, KeyError, TypeError):
        return None, {"unreadable": True}


def write_anchor(path: Path, seq: int, hash_: str, *, replaced_because: str | None = None) -> None:
    """Write atomically (a temporary file renamed over the old one)."""
    old, data = read_anchor(path)
    record = {"seq": seq, "hash": hash_, "at": datetime.now().replace(microsecond=0).isoformat(sep=" ")}
    history = list(data.get("replaced", [])) if isinstance(data.get("replaced"), list) else []
    if replaced_because and old is not None:
        history = (history + [{"seq": old.seq, "hash": old.hash, "at": old.at, "because": replaced_because,
                               "on": record["at"]}])[-KEEP_REPLACED:]
    if history:
        record["replaced"] = history
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.part")  # writers never share it
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # a read-only folder must not stop the work; verify reports the missing anchor
        log.warning("could not write the audit anchor %s: %s", path, exc.strerror or exc.__class__.__name__)
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


# --- kept up to date by audit.record ----------------------------------------------------------------------------

def note_append(session: Session, last: tuple[int, str] | None, seq: int, hash_: str) -> None:
    """Called by audit.record for each appended entry (`last` = the head before it, None for an empty log)."""
    state = session.info.get(_INFO_KEY)
    if state is None:
        path = anchor_path(cast(Engine, session.get_bind()).url)
        state = {"path": path, "ok": path is not None and _agrees(session, path, last), "head": None}
        session.info[_INFO_KEY] = state
    state["head"] = (seq, hash_)


def _agrees(session: Session, path: Path, last: tuple[int, str] | None) -> bool:
    """Whether the chain before this transaction still holds the entry the anchor names."""
    from models.entities import AuditEvent

    anchor, data = read_anchor(path)
    if anchor is None:
        return not data.get("unreadable")  # no anchor yet: start one; a damaged file is left for verify
    if last is None or anchor.seq > last[0]:
        log.warning("audit anchor %s names entry %s beyond the log's end %s: not moved", path, anchor.seq,
                    last[0] if last else 0)
        return False
    found = last[1] if anchor.seq == last[0] else session.scalar(
        select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq))
    if found != anchor.hash:
        log.warning("audit anchor %s contradicts entry %s: not moved", path, anchor.seq)
        return False
    return True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    state = session.info.pop(_INFO_KEY, None)
    if not state or not state["ok"] or state["head"] is None:
        return
    seq, hash_ = state["head"]
    current, _ = read_anchor(state["path"])
    if current is not None and current.seq >= seq:
        return  # another program sharing the database went further
    write_anchor(state["path"], seq, hash_)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_INFO_KEY, None)


# --- checked by verify ------------------------------------------------------------------------------------------

def check(session: Session) -> AnchorCheck:
    """Compare the log with its anchor: truncation, a wipe and a rewritten chain are reported with the anchor."""
    from models.entities import AuditEvent

    path = anchor_path(cast(Engine, session.get_bind()).url)
    anchor, data = read_anchor(path)
    if anchor is None:
        if data.get("unreadable"):
            return AnchorCheck(None, f"审计锚点文件“{path}”无法读取（被改动或损坏）。请从备份核对审计日志。")
        return AnchorCheck(None)
    last = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    if last is None:
        return AnchorCheck(anchor, f"审计日志是空的，但锚点记着{anchor.text()}：全部记录被删除了。")
    if last[0] < anchor.seq:
        return AnchorCheck(anchor, f"审计日志只到第 {last[0]} 条，但锚点记着{anchor.text()}：最新的记录被删除了。")
    found = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == anchor.seq))
    if found != anchor.hash:
        return AnchorCheck(anchor, f"第 {anchor.seq} 条审计记录的哈希与锚点（{anchor.text()}）不符："
                                   "审计日志被改写后重新计算了哈希。")
    return AnchorCheck(anchor)


def reset_after_restore(db_file: Path, seq: int, hash_: str) -> None:
    """A restore put an older database in place: its head becomes the anchor; the replaced one is kept."""
    path = anchor_path(URL.create("sqlite", database=str(db_file)))
    if path is not None:
        write_anchor(path, seq, hash_, replaced_because="restore")
