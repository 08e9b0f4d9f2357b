from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.entities.base import Base, TimestampMixin, VersionedMixin, WithdrawableMixin


class Unit(Base, TimestampMixin, VersionedMixin, WithdrawableMixin):
    """An organisational unit; units form a tree (parent_id)."""

    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    # Materialised path "/1/4/17/" so that "a unit and its sub-units" is one indexed prefix query.
    path: Mapped[str] = mapped_column(String(400), nullable=False, default="/", index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    is_grassroots: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id])


class UnitEvent(Base):
    """One change of the unit tree (机构改革): a rename, a move under another parent, a merge into another unit, a
    withdrawal — with the date it took effect and the reason. Append-only: a unit's former names and parents are
    read from here (the unit row holds only the current ones)."""

    __tablename__ = "unit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # create / rename / move / merge / withdraw
    effective_on: Mapped[date | None] = mapped_column(Date)
    old_name: Mapped[str | None] = mapped_column(String(200))
    new_name: Mapped[str | None] = mapped_column(String(200))
    old_parent_id: Mapped[int | None] = mapped_column(Integer)
    new_parent_id: Mapped[int | None] = mapped_column(Integer)
    merged_into_id: Mapped[int | None] = mapped_column(Integer, index=True)
    cadres_moved: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(64), nullable=False)
