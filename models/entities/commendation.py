from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.entities.base import Base, TimestampMixin, VersionedMixin, WithdrawableMixin


class Commendation(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """A commendation: 公务员法 Art 53 kinds or a local honour (百佳公务员, 先进典型, 通报表扬 …)."""

    __tablename__ = "commendation"
    id: Mapped[int] = mapped_column(primary_key=True)
    cadre_id: Mapped[int] = mapped_column(ForeignKey("cadre.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)  # 嘉奖, 记三等功 … or a local honour
    honour: Mapped[str | None] = mapped_column(String(100))  # the title granted, e.g. 2023年度百佳公务员
    awarded_on: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    organ: Mapped[str | None] = mapped_column(String(100))
    doc_number: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(Text)
    urgent_task: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 急难险重任务
    urgent_task_desc: Mapped[str | None] = mapped_column(String(200))
    double_victory: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)  # 双胜利
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    cadre = relationship("Cadre")
