from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.entities.base import Base, TimestampMixin, VersionedMixin, WithdrawableMixin

OPEN_TASK = "done_on IS NULL AND withdrawn_at IS NULL"


class Handling(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """A disciplinary action or organisational handling as written on the paper decision (domain §8.1)."""

    __tablename__ = "handling"
    # the register (models/services/handling/register.py list/count): live records newest first, read in index order
    __table_args__ = (
        Index("ix_handling_register", "withdrawn_at", "effective_on"),
        # 统计分析 (models/services/statistics.py): a period's decisions grouped from the index alone
        Index("ix_handling_stats", "withdrawn_at", "effective_on", "cadre_id", "regime", "kind", "status", "organ"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    regime: Mapped[str] = mapped_column(String(10), nullable=False)  # party / gov / inst / org / admonish
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    decided_on: Mapped[date | None] = mapped_column(Date)
    approved_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date, nullable=False)
    served_on: Mapped[date | None] = mapped_column(Date)
    organ: Mapped[str | None] = mapped_column(String(100))
    doc_number: Mapped[str | None] = mapped_column(String(60))
    facts: Mapped[str | None] = mapped_column(Text)  # neutral one-paragraph summary
    rules_version: Mapped[str | None] = mapped_column(String(10))  # party: 2003 / 2015+
    months: Mapped[int | None] = mapped_column(Integer)  # period fixed by the organ (decided together)
    in_lieu_of_revocation: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    probation_extended: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    restored_on: Mapped[date | None] = mapped_column(Date)
    # Records decided together for several violations share a group key (domain §8.1 together_with).
    together_group: Mapped[str | None] = mapped_column(String(40))
    lifting_decision_on: Mapped[date | None] = mapped_column(Date)  # optional 解除处分决定 (domain §1.4)
    # Derived by the engine on every write: in_force / changed / revoked / not_executed / superseded.
    status: Mapped[str] = mapped_column(String(20), default="in_force", nullable=False)
    off_date: Mapped[date | None] = mapped_column(Date, index=True)
    explanation: Mapped[str | None] = mapped_column(Text)

    cadre = relationship("Cadre")
    restrictions: Mapped[list["Restriction"]] = relationship(
        back_populates="handling", cascade="all, delete-orphan", order_by="Restriction.id"
    )
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="handling", cascade="all, delete-orphan", order_by="Review.decided_on"
    )


class Restriction(Base):
    """A restriction derived by the engine; never typed. An officer may override the last day with a reason."""

    __tablename__ = "restriction"
    __table_args__ = (
        Index("ix_restriction_kind_off", "kind", "off_date"),
        # "in an impact period on a day" (models/services/roster.py, the 统计分析 pipeline): per cadre from the index
        Index("ix_restriction_cadre_span", "cadre_id", "kind", "start", "off_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    handling_id: Mapped[int] = mapped_column(ForeignKey("handling.id"), nullable=False, index=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    start: Mapped[date] = mapped_column(Date, nullable=False)
    computed_last_day: Mapped[date | None] = mapped_column(Date)
    # In force: the override when there is one, else the computed dates.
    last_day: Mapped[date | None] = mapped_column(Date)
    off_date: Mapped[date | None] = mapped_column(Date, index=True)
    basis: Mapped[str | None] = mapped_column(Text)
    explanation: Mapped[str | None] = mapped_column(Text)
    override_last_day: Mapped[date | None] = mapped_column(Date)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[str | None] = mapped_column(String(64))
    override_at: Mapped[datetime | None] = mapped_column(DateTime)
    handling = relationship("Handling", back_populates="restrictions")


class Review(Base, TimestampMixin, WithdrawableMixin):
    """复审 / 复核 / 申诉 / 复查 of a decision: a row of its own, the original is never overwritten."""

    __tablename__ = "review"
    id: Mapped[int] = mapped_column(primary_key=True)
    handling_id: Mapped[int] = mapped_column(ForeignKey("handling.id"), nullable=False, index=True)
    track: Mapped[str] = mapped_column(String(10), nullable=False)  # 复审 / 复核 / 申诉 / 复查
    applied_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)
    outcome: Mapped[str] = mapped_column(String(10), nullable=False)  # upheld / revoked / changed
    new_kind: Mapped[str | None] = mapped_column(String(30))
    organ: Mapped[str | None] = mapped_column(String(100))
    doc_number: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    handling = relationship("Handling", back_populates="reviews")


class Task(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """Follow-up work the program creates: 恢复名誉 after a revocation, 查处 after 诬告陷害, 影响期满考核 …"""

    __tablename__ = "task"
    # 工作台 待办事项 (models/services/tasks.py): the open ones alone, in due order, so that the count reads only them
    # and a page only its own rows (the done ones pile up for ever)
    __table_args__ = (
        Index("ix_task_open", "due_on", "id", sqlite_where=text(OPEN_TASK), postgresql_where=text(OPEN_TASK)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("cadre.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    source_type: Mapped[str | None] = mapped_column(String(30))  # handling / accusation / …
    source_id: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class ExpiryAssessment(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """影响期满考核 (domain §2.5): the items assessed, the outcome, the use recommendation and the actual use."""

    __tablename__ = "expiry_assessment"
    # 期满待考核 (models/services/dashboard.py): "assessed since the off date?" answered from the index for each cadre
    __table_args__ = (
        Index("ix_expiry_assessment_live", "cadre_id", "withdrawn_at", "assessed_on"),
        # 统计分析 (models/services/statistics.py): a period's assessments by outcome and use from the index alone
        Index("ix_expiry_assessment_stats", "assessed_on", "withdrawn_at", "cadre_id", "outcome", "recommendation",
              "used_on", "use_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    handling_id: Mapped[int | None] = mapped_column(ForeignKey("handling.id"), index=True)
    assessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    items: Mapped[dict | None] = mapped_column(JSON)  # heading → text
    outcome: Mapped[str] = mapped_column(String(40), nullable=False)
    recommendation: Mapped[str | None] = mapped_column(String(40))  # 提拔 / 进一步使用 / 平职交流 / 暂不使用
    discipline_opinion: Mapped[str | None] = mapped_column(Text)  # 纪检监察机关意见
    unit_opinion: Mapped[str | None] = mapped_column(Text)
    used_on: Mapped[date | None] = mapped_column(Date)
    used_post: Mapped[str | None] = mapped_column(String(200))
    use_kind: Mapped[str | None] = mapped_column(String(20))  # 提拔 / 进一步使用 / 平职交流 (the actual use)
    note: Mapped[str | None] = mapped_column(Text)
    cadre = relationship("Cadre")
