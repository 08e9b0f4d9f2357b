"""An officer's own last day for a computed restriction: needs a written reason, is audited, and survives
recomputation (derivation keeps it per handling and restriction kind).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from models.core import audit
from models.rules import rule_table as rt
from models.core.actor import Actor
from models.entities import Restriction
from models.core.errors import NotFoundError, ValidationError
from models.rules.period_math import cn_date
from models.services.handling.register import HandlingDetail, REASON_MIN, _derive, get_handling


def override_restriction(session: Session, actor: Actor, restriction_id: int, last_day: date | None,
                         reason: str, today: date | None = None) -> HandlingDetail:
    """Set (or, with last_day None, clear) an officer's last day for a computed restriction. Reason required."""
    actor.require("write")
    row = session.get(Restriction, restriction_id)
    if row is None:
        raise NotFoundError("找不到这项限制；影响期可能刚被重新计算。请刷新后重试。")
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError(f"人工修改计算结果必须写明理由（至少 {REASON_MIN} 个字），例如依据的文件或批示。", "reason")
    if row.computed_last_day is None:
        raise ValidationError("这项限制没有期限（永久有效），不能修改截止日期。", "last_day")
    if last_day is not None and last_day < row.start:
        raise ValidationError(
            f"截止日期 {last_day.isoformat()} 早于限制开始日期 {row.start.isoformat()}，请核对。", "last_day"
        )
    before = {"last_day": row.last_day, "override_last_day": row.override_last_day, "reason": row.override_reason}
    if last_day is None:
        if row.override_last_day is None:
            raise ValidationError("这项限制没有人工修改，无需恢复。", "last_day")
        row.override_last_day = row.override_reason = row.override_by = row.override_at = None
    else:
        row.override_last_day, row.override_reason = last_day, reason
        row.override_by, row.override_at = actor.username, datetime.now().replace(microsecond=0)
    session.flush()
    handling_id, cadre_id, kind = row.handling_id, row.cadre_id, row.kind
    _derive(session, cadre_id, today)
    label = rt.restriction_label(kind)
    summary = (f"恢复计算的截止日期（{label}）：{reason}" if last_day is None
               else f"人工修改截止日期（{label}）为{cn_date(last_day)}：{reason}")
    audit.record(session, actor, "override", "restriction", restriction_id, before=before,
                 after={"override_last_day": last_day, "reason": reason, "computed_last_day": row.computed_last_day},
                 cadre_id=cadre_id, summary=summary)
    return get_handling(session, actor, handling_id)
