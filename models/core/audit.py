"""The audit log: append-only and hash-chained, written in the same transaction as the change it records.

hash = sha256(prev_hash + canonical JSON of the entry). A unique `seq` makes two concurrent writers unable to
fork the chain: the second one's transaction fails and is retried by its caller or reported.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models.core import audit_anchor  # also registers the commit hook that keeps the anchor up to date
from models.core.actor import Actor
from models.entities import AuditEvent

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _storable(value: Any) -> Any:
    """Text every backend can store: PostgreSQL refuses NUL characters, so they become U+FFFD in the log."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def snapshot(obj: Any, exclude: tuple[str, ...] = ("photo",)) -> dict[str, Any]:
    """The column values of an ORM object, JSON-ready (for before/after)."""
    return {
        c.key: _jsonable(getattr(obj, c.key))
        for c in obj.__table__.columns
        if c.key not in exclude and c.key not in ("created_at", "updated_at")
    }


def diff(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Only the fields that changed, to keep the log readable."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def hashed_fields(ev: AuditEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq, "at": _jsonable(ev.at), "actor": ev.actor, "action": ev.action, "entity": ev.entity,
        "entity_id": ev.entity_id, "cadre_id": ev.cadre_id, "summary": ev.summary,
        "before": _jsonable(ev.before), "after": _jsonable(ev.after),
    }


AUDIT_LOCK_KEY = 0x41554449  # "AUDI": the PostgreSQL advisory lock that serialises appends to the chain


def _serialise_appends(session: Session) -> None:
    """Make the read of the last entry and the insert of the next one atomic across writers.

    PostgreSQL (READ COMMITTED): a transaction-level advisory lock; a second writer waits until the first
    commits and then sees its entry, so both land in the chain instead of one failing on the unique `seq`.
    SQLite: take the database write lock now (an UPDATE that matches nothing), so nobody can append between
    our read and our insert; busy_timeout makes the other writer wait.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK_KEY})
    elif dialect == "sqlite":
        session.execute(text("UPDATE audit_event SET seq = seq WHERE 0 = 1"))


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    cadre_id: int | None = None,
    summary: str | None = None,
) -> AuditEvent:
    _serialise_appends(session)
    last = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    ev = AuditEvent(
        seq=seq, at=datetime.now().replace(microsecond=0), actor=_storable(actor.username), action=action,
        entity=entity, entity_id=None if entity_id is None else _storable(str(entity_id)), cadre_id=cadre_id,
        summary=_storable(summary), before=_storable(_jsonable(before)), after=_storable(_jsonable(after)),
        prev_hash=prev,
    )
    ev.hash = entry_hash(prev, hashed_fields(ev))
    audit_anchor.note_append(session, (last[0], last[1]) if last else None, seq, ev.hash)
    session.add(ev)
    session.flush()
    return ev


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def verify_chain(session: Session) -> ChainProblem | None:
    """None when intact; else the first broken entry (changed, removed or reordered)."""
    prev, expected_seq = GENESIS, 1
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        if ev.seq != expected_seq:
            return ChainProblem(expected_seq, f"第 {expected_seq} 条审计记录缺失（被删除）")
        if ev.prev_hash != prev:
            return ChainProblem(ev.seq, f"第 {ev.seq} 条审计记录的前序哈希不符（前一条被删除或改动）")
        if entry_hash(prev, hashed_fields(ev)) != ev.hash:
            return ChainProblem(ev.seq, f"第 {ev.seq} 条审计记录的内容被改动（哈希不符）")
        prev, expected_seq = ev.hash, expected_seq + 1
    return None
