"""Follow-up tasks the program opens by itself: 恢复名誉 after a revoked decision (domain §1.9), 查处 after
诬告陷害 (§3.5). Listed on the 工作台 until an officer marks them done with a note; never deleted."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, bindparam, func, literal, select, union_all
from sqlalchemy.orm import Session

from models.core import audit, concurrency
from models.core.actor import Actor
from models.core.audit import snapshot
from models.entities import AccusationSubject, Cadre, Task, Unit
from models.core.errors import ConflictError, NotFoundError, ValidationError

TASK_KIND_LABELS = {
    "restore_reputation": "恢复名誉",
    "investigate_false_accusation": "查处诬告陷害",
}


@dataclass(slots=True)  # not frozen: quicker to make, and the 工作台 makes a page of them on every refresh
class TaskRow:
    id: int
    kind: str
    kind_label: str
    title: str
    cadre_id: int | None
    cadre_name: str
    unit_name: str
    due_on: date | None
    version: int


# Read on every 工作台 refresh: built once (a statement built per call cost more than running it).
_t, _s, _c, _u = Task.__table__, AccusationSubject.__table__, Cadre.__table__, Unit.__table__
# The terms of the partial index ix_task_open (models/entities/handling.py), in its order: SQLite uses a partial
# index only for a query whose WHERE repeats them.
_OPEN = (_t.c.done_on.is_(None), _t.c.withdrawn_at.is_(None))
_COUNT_OPEN = select(func.count()).select_from(_t).where(*_OPEN)


def _open_ids(paged: bool):
    """The open tasks' ids in list order — dated ones by due date, then the undated — read in that order from
    ix_task_open as two parts, each cut to offset + limit rows: one ORDER BY (due_on IS NULL, due_on, id) sorted
    every open task (4,700 at a million cadres) and worked out each one's cadre before choosing the page."""
    parts = []
    for key, has_date in ((0, True), (1, False)):
        part = (select(_t.c.id.label("id"), _t.c.due_on.label("due_on"), literal(key).label("undated"))
                .where(*_OPEN, _t.c.due_on.is_not(None) if has_date else _t.c.due_on.is_(None)))
        part = part.order_by(_t.c.due_on, _t.c.id) if has_date else part.order_by(_t.c.id)
        if paged:
            part = part.limit(bindparam("part_limit", type_=Integer))
        parts.append(select(*part.subquery().c))
    both = union_all(*parts).subquery("parts")
    page = select(both.c.id, both.c.undated).order_by(both.c.undated, both.c.due_on, both.c.id)
    if paged:
        page = page.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    return page.subquery("page")


def _list_open_statement(paged: bool):
    page = _open_ids(paged)
    # A 查处 task has no cadre of its own: show the cadre the false accusation was about (for the page's rows only).
    subject = (select(func.min(_s.c.cadre_id)).where(_s.c.accusation_id == _t.c.source_id)
               .correlate(_t).scalar_subquery())
    cadre_id = func.coalesce(_t.c.cadre_id, subject)
    rows = (select(_t.c.id, _t.c.kind, _t.c.title, cadre_id.label("cadre_id"), _t.c.due_on, _t.c.version,
                   page.c.undated)
            .select_from(page.join(_t, _t.c.id == page.c.id))).subquery("rows")
    return (select(rows.c.id, rows.c.kind, rows.c.title, rows.c.cadre_id, rows.c.due_on, rows.c.version,
                   _c.c.name, _u.c.name)
            .select_from(rows).outerjoin(_c, _c.c.id == rows.c.cadre_id).outerjoin(_u, _u.c.id == _c.c.unit_id)
            .order_by(rows.c.undated, rows.c.due_on, rows.c.id))


_LIST_OPEN = _list_open_statement(paged=False)
_LIST_OPEN_PAGE = _list_open_statement(paged=True)


def count_open(session: Session, actor: Actor) -> int:
    actor.require("read")
    return session.connection().execute(_COUNT_OPEN).scalar_one()


def list_open(session: Session, actor: Actor, limit: int | None = 200, offset: int = 0) -> list[TaskRow]:
    actor.require("read")
    if limit is None:
        rows = session.connection().execute(_LIST_OPEN).all()
    else:
        rows = session.connection().execute(_LIST_OPEN_PAGE, {"limit": limit, "offset": offset,
                                                              "part_limit": offset + limit}).all()
    return [TaskRow(id=r[0], kind=r[1], kind_label=TASK_KIND_LABELS.get(r[1], r[1]), title=r[2], cadre_id=r[3],
                    cadre_name=r[6] or "", unit_name=r[7] or "", due_on=r[4], version=r[5])
            for r in rows]


def complete_task(session: Session, actor: Actor, task_id: int, done_on: date, note: str, today: date,
                  version: int | None = None) -> None:
    """Mark a task done; what was done is required (e.g. 已在原宣布范围内召开会议恢复名誉)."""
    actor.require("write")
    task = session.get(Task, task_id)
    if task is None or task.withdrawn_at is not None:
        raise NotFoundError("该待办事项不存在或已撤回。请刷新工作台。")
    concurrency.check_version(session, task, version, error=lambda: ConflictError("该待办事项已被他人处理。请刷新工作台后再看。"))
    if task.done_on is not None:
        raise ConflictError(f"该待办事项已于 {task.done_on.isoformat()} 办结。")
    note = (note or "").strip()
    if len(note) < 4:
        raise ValidationError("请写明办理情况（至少4个字），例如在什么范围、以什么方式恢复名誉。", "note")
    if len(note) > 2000:
        raise ValidationError("办理情况不超过2000字。", "note")
    if done_on > today:
        raise ValidationError("办结日期不能晚于今天。", "done_on")
    before = snapshot(task)
    task.done_on, task.note = done_on, note
    session.flush()
    audit.record(session, actor, "complete", "task", task.id, before=before, after=snapshot(task),
                 cadre_id=task.cadre_id, summary=f"办结：{task.title}")
