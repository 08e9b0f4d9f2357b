from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.entities.base import Base, TimestampMixin, VersionedMixin, WithdrawableMixin


class VisitPlan(Base, TimestampMixin, VersionedMixin):
    """A planned follow-up visit, generated from a handling record by the local rule (domain §2.2)."""

    __tablename__ = "visit_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    handling_id: Mapped[int] = mapped_column(ForeignKey("handling.id"), nullable=False, index=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)  # 第 n 次
    purpose: Mapped[str] = mapped_column(String(30), nullable=False)  # 首次谈话 / 期中回访 / 期满前回访
    due_from: Mapped[date | None] = mapped_column(Date)
    due_by: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(12), default="planned", nullable=False, index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", use_alter=True))
    # Stable key of the plan within its handling record (first / mid1 / mid2 / restore / final), so that a
    # refresh after a review moves or cancels the same row instead of making a new one (models/visit_rules.py).
    code: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)  # why planned this way, or why cancelled


class Visit(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """A 回访教育 record (domain §2.4)."""

    __tablename__ = "visit"
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
