"""Withdrawing a record: nothing is deleted outright (design §3); a withdrawn record keeps who, when and why.

Every service withdraws through here, with its own message and audit summary:

    withdrawal.withdraw(session, actor, row, reason, "请写明撤回的原因（如：录入错误、重复录入）。",
                        entity="commendation", cadre_id=row.cadre_id,
                        summary=lambda why: f"撤回奖励记录 {_summary(row)}：{why}")

`withdraw` checks the reason (stripped, at least `minimum` characters, else ValidationError(message, "reason")), sets
withdrawn_at/by/reason, runs `before_flush(when)` (what goes with it: follow-ups, reopened plans), flushes, runs
`after_flush()` (recomputing derived dates), then records the audit entry. `mark` alone sets the three fields, for a
record withdrawn as a consequence of another (a task of a withdrawn review), whose reason the program writes.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlalchemy.orm import Session

from models.core import audit
from models.core.actor import Actor
from models.core.errors import ValidationError


def clean_reason(reason: str | None, message: str, *, minimum: int = 2, field: str = "reason") -> str:
    """The reason stripped; ValidationError(message, field) when it is shorter than `minimum` characters."""
    text = (reason or "").strip()
    if len(text) < minimum:
        raise ValidationError(message, field)
    return text


def mark(obj: Any, actor: Actor, reason: str, *, now: datetime | None = None) -> datetime:
    """Set withdrawn_at (to the second), withdrawn_by and withdrawn_reason; returns the time set."""
    when = (now or datetime.now()).replace(microsecond=0)
    obj.withdrawn_at, obj.withdrawn_by, obj.withdrawn_reason = when, actor.username, reason
    return when


def withdraw(
    session: Session, actor: Actor, obj: Any, reason: str | None, message: str, *, entity: str,
    summary: Callable[[str], str], cadre_id: int | None = None, after_key: str = "reason", minimum: int = 2,
    now: datetime | None = None, before_flush: Callable[[datetime], None] | None = None,
    after_flush: Callable[[], None] | None = None,
) -> datetime:
    """Withdraw `obj` with a checked reason and one audit entry ("withdraw", entity, obj.id); returns the time."""
    text = clean_reason(reason, message, minimum=minimum)
    when = mark(obj, actor, text, now=now)
    if before_flush is not None:
        before_flush(when)
    session.flush()
    if after_flush is not None:
        after_flush()
    audit.record(session, actor, "withdraw", entity, obj.id, after={after_key: text}, cadre_id=cadre_id,
                 summary=summary(text))
    return when
