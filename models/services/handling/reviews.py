"""复审/复核/申诉/复查: reviews are rows of their own; the original decision is never overwritten (domain §1.9).

A revocation creates the task 恢复名誉; withdrawing the review withdraws that task.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit, withdrawal
from models.rules import rule_table as rt
from models.core.actor import Actor
from models.entities import Cadre, Review, Task
from models.core.errors import NotFoundError, ValidationError
from models.rules.period_math import cn_date
from models.services.handling.register import (
    HandlingDetail, REASON_MIN, REVIEW_OUTCOME_LABELS, _clean, _derive, _handling, _label, _validate_with_engine, get_handling,
)


REVIEW_TRACKS = ("复审", "复核", "申诉", "复查")
REVIEW_OUTCOMES = ("upheld", "revoked", "changed")
TASK_RESTORE_REPUTATION = "restore_reputation"


def add_review(session: Session, actor: Actor, handling_id: int, *, track: str, decided_on: date, outcome: str,
               today: date, new_kind: str | None = None, applied_on: date | None = None, organ: str | None = None,
               doc_number: str | None = None, note: str | None = None) -> HandlingDetail:
    """复审/复核/申诉/复查 as a row of its own; the original decision is kept and recomputed (domain §1.9)."""
    actor.require("write")
    h = _handling(session, handling_id)
    if h.withdrawn_at is not None:
        raise ValidationError("这条记录已撤回，不能登记复审复核。", None)
    if track not in REVIEW_TRACKS:
        raise ValidationError(f"请选择程序：{'、'.join(REVIEW_TRACKS)}。", "track")
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError("请选择结果：维持、撤销或变更。", "outcome")
    if decided_on is None:
        raise ValidationError("请填写复审复核决定的日期。", "decided_on")
    if decided_on > today:
        raise ValidationError(f"决定日期 {decided_on.isoformat()} 晚于今天，只能登记已经作出的决定。", "decided_on")
    if decided_on < h.effective_on:
        raise ValidationError(
            f"决定日期 {decided_on.isoformat()} 早于原处分生效日期 {h.effective_on.isoformat()}，请核对。", "decided_on"
        )
    if applied_on is not None and applied_on > decided_on:
        raise ValidationError("申请日期晚于决定日期，请核对。", "applied_on")
    if outcome == "changed":
        kinds = rt.regime_spec(h.regime).kinds
        if new_kind not in kinds:
            raise ValidationError(
                f"结果为“变更”时，请选择变更后的种类（{rt.REGIME_LABELS[h.regime]}：{'、'.join(k.label for k in kinds.values())}）。",
                "new_kind",
            )
        if new_kind == h.kind:
            raise ValidationError("变更后的种类与原种类相同；如未改变处分，请选择“维持”。", "new_kind")
    else:
        new_kind = None
    r = Review(handling_id=h.id, track=track, applied_on=applied_on, decided_on=decided_on, outcome=outcome,
               new_kind=new_kind, organ=_clean(organ), doc_number=_clean(doc_number), note=_clean(note))
    session.add(r)
    session.flush()
    session.refresh(h, ["reviews"])
    _validate_with_engine(session, h.cadre_id)
    _derive(session, h.cadre_id, today)
    cadre = session.get(Cadre, h.cadre_id)
    after = audit.snapshot(r)
    what = REVIEW_OUTCOME_LABELS[outcome] + (f"为{rt.kind_label(h.regime, new_kind)}" if new_kind else "")
    audit.record(session, actor, "create", "review", r.id, after=after, cadre_id=h.cadre_id,
                 summary=f"{track}：{_label(h)}{what}")
    if outcome == "revoked":
        task = Task(
            cadre_id=h.cadre_id, kind=TASK_RESTORE_REPUTATION, source_type="review", source_id=r.id,
            title=f"恢复名誉：{cadre.name}（{_label(h)}于{cn_date(decided_on)}经{track}撤销），在原宣布范围内进行",
            note=f"原决定{('文号 ' + h.doc_number) if h.doc_number else ''}；应在原处分宣布的范围内恢复名誉。",
        )
        session.add(task)
        session.flush()
        audit.record(session, actor, "create", "task", task.id, after=audit.snapshot(task), cadre_id=h.cadre_id,
                     summary=task.title)
    return get_handling(session, actor, h.id)


def withdraw_review(session: Session, actor: Actor, review_id: int, reason: str,
                    today: date | None = None) -> HandlingDetail:
    actor.require("write")
    r = session.get(Review, review_id)
    if r is None or r.withdrawn_at is not None:
        raise NotFoundError("找不到这条复审复核记录（可能已撤回）。")
    h = r.handling

    def withdraw_its_tasks(when: datetime) -> None:
        for task in session.execute(
            select(Task).where(Task.source_type == "review", Task.source_id == r.id, Task.withdrawn_at.is_(None))
        ).scalars():
            withdrawal.mark(task, actor, f"复审复核记录撤回：{r.withdrawn_reason}", now=when)

    withdrawal.withdraw(session, actor, r, reason, f"请写明撤回的理由（至少 {REASON_MIN} 个字）。", minimum=REASON_MIN,
                        entity="review", cadre_id=h.cadre_id, before_flush=withdraw_its_tasks,
                        after_flush=lambda: _derive(session, h.cadre_id, today),
                        summary=lambda why: f"撤回{r.track}记录：{why}")
    return get_handling(session, actor, h.id)
