from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.entities.base import Base, TimestampMixin, VersionedMixin, WithdrawableMixin


class Accusation(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """举报 (domain §3). The reporter fields are visible only to roles that handle accusations."""

    __tablename__ = "accusation"
    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    channel: Mapped[str | None] = mapped_column(String(20))  # 来信 / 来访 / 电话 / 网络 / 转办
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    reporter_name: Mapped[str | None] = mapped_column(String(40))
    reporter_unit: Mapped[str | None] = mapped_column(String(100))
    reporter_contact: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    is_specific: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_verifiable: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    disposal: Mapped[str | None] = mapped_column(String(10))  # 谈话函询 / 初步核实 / 暂存待查 / 予以了结
    outcome: Mapped[str | None] = mapped_column(String(10))  # 属实 … 无法查实
    outcome_on: Mapped[date | None] = mapped_column(Date)
    verified_by: Mapped[str | None] = mapped_column(String(100))
    similar_to_id: Mapped[int | None] = mapped_column(ForeignKey("accusation.id"))
    subjects: Mapped[list["AccusationSubject"]] = relationship(
        back_populates="accusation", cascade="all, delete-orphan"
    )


class AccusationSubject(Base):
    __tablename__ = "accusation_subject"
    __table_args__ = (Index("uq_accusation_subject", "accusation_id", "cadre_id", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    accusation_id: Mapped[int] = mapped_column(ForeignKey("accusation.id"), nullable=False)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    accusation = relationship("Accusation", back_populates="subjects")
    cadre = relationship("Cadre")


# The statuses of a clarification that is no longer waiting (工作台 澄清正名待办 and its partial index below).
CLARIFICATION_CLOSED = ("done", "declined", "cancelled")
_OPEN_CLARIFICATION = "withdrawn_at IS NULL AND status NOT IN (" + ", ".join(f"'{s}'" for s in CLARIFICATION_CLOSED) + ")"
_OPEN_INQUIRY = "replied_on IS NULL AND withdrawn_at IS NULL"


class Inquiry(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """函询: sent, due (15 working days), replied, outcome; an override of the guard keeps its reason."""

    __tablename__ = "inquiry"
    # 工作台 函询逾期未复: the unanswered inquiries alone, in due order (ix_inquiry_due_on holds every inquiry ever
    # sent, and the count read each row to test the reply: 9 ms for 1,400 overdue among 9,400 at a million cadres).
    # The partial-index columns repeat the WHERE's columns so that the count reads the index alone.
    __table_args__ = (
        Index("ix_inquiry_open", "due_on", "id", "cadre_id", "replied_on", "withdrawn_at",
              sqlite_where=text(_OPEN_INQUIRY), postgresql_where=text(_OPEN_INQUIRY)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    accusation_id: Mapped[int] = mapped_column(ForeignKey("accusation.id"), nullable=False, index=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    sent_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    replied_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    guard_override_reason: Mapped[str | None] = mapped_column(Text)
    doc_number: Mapped[str | None] = mapped_column(String(60))


class Clarification(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """澄清正名 (domain §3.2–3.4)."""

    __tablename__ = "clarification"
    # 工作台 澄清正名待办: the waiting ones alone, in the list's order (the accusation's outcome date), so that the count
    # reads only them and a page reads only its own rows. Used only by a query whose WHERE repeats _OPEN_CLARIFICATION
    # with the statuses as literals (models/services/dashboard.py).
    __table_args__ = (
        Index("ix_clarification_waiting", "outcome_on", "id", "cadre_id", "status", "withdrawn_at",
              sqlite_where=text(_OPEN_CLARIFICATION), postgresql_where=text(_OPEN_CLARIFICATION)),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    accusation_id: Mapped[int] = mapped_column(ForeignKey("accusation.id"), nullable=False, index=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    initiated_by: Mapped[str | None] = mapped_column(String(20))  # 本人申请 / 承办部门建议 / 所在单位建议
    consent: Mapped[str | None] = mapped_column(String(10))  # 同意 / 不同意
    person_view: Mapped[str | None] = mapped_column(Text)
    methods: Mapped[str | None] = mapped_column(String(60))  # comma separated: 书面,当面,会议,通报,媒体
    scope: Mapped[str | None] = mapped_column(Text)
    issues_clarified: Mapped[str | None] = mapped_column(Text)  # only the clarified issues (neutral)
    conclusion: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(60))
    approved_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    doc_number: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12), default="pending", nullable=False, index=True)
    # The accusation's outcome date, copied by accusations.set_outcome (the only writer of Accusation.outcome_on):
    # the 工作台 list is in this order, and joining every waiting one to its accusation to sort them grew with
    # their number (3,000 at a million cadres).
    outcome_on: Mapped[date | None] = mapped_column(Date)
    cadre = relationship("Cadre")
    accusation = relationship("Accusation")


class GuardRefusal(Base):
    """The 函询 guard stood against a 函询 (domain §3.6, §6): one row per accusation and person, kept when the officer
    gives up. A 函询 recorded later with a written reason leaves the row; the statistics then count it as
    overridden, not prevented (models/services/statistics.py)."""

    __tablename__ = "guard_refusal"
    __table_args__ = (Index("uq_guard_refusal_pair", "accusation_id", "cadre_id", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    accusation_id: Mapped[int] = mapped_column(ForeignKey("accusation.id"), nullable=False)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    first_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)  # the day the guard first refused
    last_on: Mapped[date] = mapped_column(Date, nullable=False)
    problems: Mapped[str] = mapped_column(Text, nullable=False)  # what it found, "；"-joined (no personal data)
    checked_by: Mapped[str | None] = mapped_column(String(64))
