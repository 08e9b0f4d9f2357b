"""回访计划 lists: plans by due date, judged against today (upcoming / due / overdue / done / cancelled)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.rules import rule_table as rt
from models.entities import Cadre, Handling, Unit, VisitPlan
from models.core.errors import ValidationError
from models.derived.visit_plans import current_kinds
from models.services.cadres.search import cadre_text_where
from models.services.unit_names import list_labels


PLAN_STATUSES = ("planned", "done", "cancelled")
PLAN_STATUS_LABELS = {"planned": "待回访", "done": "已回访", "cancelled": "已取消"}
STATE_LABELS = {"upcoming": "未到期", "due": "应回访", "overdue": "已逾期", "done": "已回访", "cancelled": "已取消"}


@dataclass(frozen=True)
class PlanRow:
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    handling_id: int
    handling_label: str
    seq: int
    purpose: str
    due_from: date | None
    due_by: date
    status: str
    state: str  # upcoming / due / overdue / done / cancelled (judged against today)
    visit_id: int | None
    note: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def window_text(self) -> str:
        start = self.due_from.isoformat() if self.due_from else ""
        return f"{start} 至 {self.due_by.isoformat()}" if start else f"{self.due_by.isoformat()} 前"


def plan_state(status: str, due_from: date | None, due_by: date, today: date) -> str:
    if status != "planned":
        return status
    if due_by < today:
        return "overdue"
    if due_from is None or due_from <= today:
        return "due"
    return "upcoming"


PLAN_FILTERS = ("due", "overdue", "open", "all")
PLAN_FILTER_LABELS = {"due": "应回访", "overdue": "已逾期", "open": "全部待回访", "all": "全部计划"}


def _plan_where(which: str, today: date, cadre_id: int | None, session: Session | None = None, text: str = "",
                actor: Actor | None = None) -> list:
    """Conditions on visit_plan alone. An open plan always belongs to a live decision of a live cadre (plans are
    cancelled when either is withdrawn: models/entities/visit.py), so only "all" has to leave withdrawn cadres out;
    it does so through the few withdrawn cadre ids (a range of ix_cadre_search), not a join."""
    if which not in PLAN_FILTERS:
        raise ValidationError(f"不认识的计划筛选“{which}”。", "which")
    where = []
    if cadre_id is not None:
        where.append(VisitPlan.cadre_id == cadre_id)
    if which == "all":
        where.append(VisitPlan.cadre_id.not_in(select(Cadre.id).where(Cadre.withdrawn_at.is_not(None))))
    else:
        where.append(VisitPlan.status == "planned")
    if which == "due":
        where += [VisitPlan.due_by >= today, or_(VisitPlan.due_from.is_(None), VisitPlan.due_from <= today)]
    elif which == "overdue":
        where.append(VisitPlan.due_by < today)
    if session is not None:  # the search box of the 回访教育 page
        where += cadre_text_where(VisitPlan.cadre_id, session, text, actor)
    return where


def count_plans(session: Session, actor: Actor, today: date, which: str = "open", cadre_id: int | None = None, *,
                text: str = "") -> int:
    """How many plans `list_plans` lists (one count over visit_plan, no joins). `text`: the search box (the actor
    decides whether part of an ID number may match)."""
    actor.require("read")
    stmt = select(func.count()).select_from(VisitPlan).where(*_plan_where(which, today, cadre_id, session, text, actor))
    return session.execute(stmt).scalar_one()


def list_plans(session: Session, actor: Actor, today: date, which: str = "open", cadre_id: int | None = None, *,
               limit: int | None = 500, offset: int = 0, text: str = "") -> list[PlanRow]:
    """Plans by due date, one page (`offset`, `limit`) from one query of plain columns."""
    actor.require("read")
    cols = [VisitPlan.id, VisitPlan.cadre_id, Cadre.name, Unit.name, VisitPlan.handling_id, Handling.regime,
            Handling.kind, VisitPlan.seq, VisitPlan.purpose, VisitPlan.due_from, VisitPlan.due_by, VisitPlan.status,
            VisitPlan.visit_id, VisitPlan.note, Cadre.unit_id]
    stmt = (select(*cols).select_from(VisitPlan).join(Cadre, Cadre.id == VisitPlan.cadre_id)
            .join(Handling, Handling.id == VisitPlan.handling_id).outerjoin(Unit, Unit.id == Cadre.unit_id)
            .where(*_plan_where(which, today, cadre_id, session, text, actor)).order_by(VisitPlan.due_by, VisitPlan.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = session.execute(stmt).all()
    kinds = current_kinds(session, {r[4]: r[6] for r in rows})
    units = list_labels(session)  # a leaf several units bear shown with its path
    return [PlanRow(id=r[0], cadre_id=r[1], cadre_name=r[2], unit_name=units.get(r[14], r[3] or ""), handling_id=r[4],
                    handling_label=rt.full_label(r[5], kinds[r[4]]), seq=r[7], purpose=r[8], due_from=r[9],
                    due_by=r[10], status=r[11], state=plan_state(r[11], r[9], r[10], today), visit_id=r[12],
                    note=r[13] or "")
            for r in rows]
