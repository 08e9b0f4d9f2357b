from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, event, inspect, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.entities.base import Base, TimestampMixin, VersionedMixin, WithdrawableMixin


class VisitPlan(Base, TimestampMixin, VersionedMixin):
    """A planned follow-up visit, generated from a handling record by the local rule (domain §2.2)."""

    __tablename__ = "visit_plan"
    # the 工作台 counts (planned and due / overdue) are ranges of this index alone: plans of a withdrawn decision
    # or cadre are cancelled when it is withdrawn (models/derived/visit_plans.py), so the counts need no joins
    __table_args__ = (
        Index("ix_visit_plan_status_due", "status", "due_by", "due_from"),
        # 回访到期 counts the open windows as a range of due_from (due_by ≥ today was every future plan: 164,000
        # read for 25,000 due at a million cadres)
        Index("ix_visit_plan_status_from", "status", "due_from", "due_by"),
        # 统计分析 (models/services/statistics.py): a period's plans with their cadre and visit, from the index alone
        Index("ix_visit_plan_stats", "status", "due_by", "cadre_id", "visit_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    handling_id: Mapped[int] = mapped_column(ForeignKey("handling.id"), nullable=False, index=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)  # 第 n 次
    purpose: Mapped[str] = mapped_column(String(30), nullable=False)  # 首次谈话 / 期中回访 / 期满前回访
    due_from: Mapped[date | None] = mapped_column(Date)
    due_by: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(12), default="planned", nullable=False)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", use_alter=True))
    # Stable key of the plan within its handling record (first / mid1 / mid2 / restore / final), so that a
    # refresh after a review moves or cancels the same row instead of making a new one (models/rules/visit_plan.py).
    code: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)  # why planned this way, or why cancelled


class Visit(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """A 回访教育 record (domain §2.4)."""

    __tablename__ = "visit"
    # the 回访记录 list and its count: live visits of a period, newest first, read from this index
    __table_args__ = (
        Index("ix_visit_live_date", "withdrawn_at", "visited_on"),
        Index("ix_visit_done_on", "id", "visited_on"),  # 统计分析: a plan's visit day without the wide row
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    record_no: Mapped[str | None] = mapped_column(String(40))
    handling_id: Mapped[int] = mapped_column(ForeignKey("handling.id"), nullable=False, index=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("visit_plan.id"))
    seq: Mapped[int | None] = mapped_column(Integer)
    visited_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    place: Mapped[str | None] = mapped_column(String(100))
    form: Mapped[str] = mapped_column(String(12), nullable=False)  # 谈心谈话 / 走访 / 书面 / 集中座谈
    visitors: Mapped[list] = mapped_column(JSON, nullable=False)  # [{"name":..,"post":..}], at least two
    others_present: Mapped[str | None] = mapped_column(Text)
    findings: Mapped[dict | None] = mapped_column(JSON)  # heading → text (了解情况)
    evaluation: Mapped[str | None] = mapped_column(String(10))  # 好 / 一般 / 较差
    suggestions: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    next_due: Mapped[date | None] = mapped_column(Date)
    recommendation: Mapped[str | None] = mapped_column(String(40))  # 继续帮扶 / 提醒 / 建议正常使用 / 建议大胆使用
    attachments: Mapped[str | None] = mapped_column(Text)  # 思想汇报, 单位鉴定, 谈话记录 …
    cadre = relationship("Cadre")
    handling = relationship("Handling")


HANDLING_WITHDRAWN_NOTE = "该处理处分记录已撤回，回访计划取消。"
CADRE_WITHDRAWN_NOTE = "干部记录已撤销，回访计划取消。"


def cancel_plans_of_withdrawn(session: Session, _context, _instances) -> None:
    """before_flush: when a handling record or a cadre is withdrawn, its open visit plans are cancelled in the same
    flush, whichever service withdrew it. So a "planned" plan always belongs to a live decision of a live cadre,
    and the 工作台 counts can read visit_plan alone (models/services/dashboard.py)."""
    from models.entities.cadre import Cadre
    from models.entities.handling import Handling

    handling_ids, cadre_ids = [], []
    for obj in session.dirty:
        if isinstance(obj, (Handling, Cadre)) and obj.withdrawn_at is not None:
            added = inspect(obj).attrs.withdrawn_at.history.added
            if added and added[0] is not None:
                (handling_ids if isinstance(obj, Handling) else cadre_ids).append(obj.id)
    if not handling_ids and not cadre_ids:
        return
    plans = session.execute(select(VisitPlan).where(
        VisitPlan.status == "planned", or_(VisitPlan.handling_id.in_(handling_ids), VisitPlan.cadre_id.in_(cadre_ids))
    )).scalars()
    for p in plans:
        p.status = "cancelled"
        p.note = CADRE_WITHDRAWN_NOTE if p.cadre_id in cadre_ids else HANDLING_WITHDRAWN_NOTE


event.listen(Session, "before_flush", cancel_plans_of_withdrawn)
