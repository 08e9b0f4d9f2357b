from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
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
