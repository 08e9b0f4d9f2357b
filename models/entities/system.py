from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column

from models.entities.base import Base, TimestampMixin, VersionedMixin


class DocumentNumber(Base):
    """The 发文登记: one issued 发文字号 per row. The sequence runs per 机关代字 and year (unique), so no two
    documents ever carry the same number text; `kind` says which document it went to. A voided number stays
    with its reason (never reused, never deleted)."""

    __tablename__ = "document_number"
    __table_args__ = (
        UniqueConstraint("code", "year", "seq", name="uq_document_number_code_year_seq"),
        Index("ix_document_number_subject", "subject_type", "subject_id", "kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), nullable=False)  # 机关代字, e.g. 武纪 or 武纪函
    kind: Mapped[str] = mapped_column(String(30), nullable=False)  # e.g. clarification, clarification_circular
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(String(60), nullable=False)  # e.g. 武纪〔2026〕3号
    title: Mapped[str | None] = mapped_column(String(200))  # the document it was given to
    subject_type: Mapped[str | None] = mapped_column(String(30))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    cadre_id: Mapped[int | None] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    issued_by: Mapped[str | None] = mapped_column(String(64))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str | None] = mapped_column(String(64))
    void_reason: Mapped[str | None] = mapped_column(Text)


class User(Base, TimestampMixin, VersionedMixin):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(40), nullable=False)
    role: Mapped[str] = mapped_column(String(10), nullable=False)  # admin / officer / viewer
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # set when an administrator chose the password (new account, reset): the user sets their own at next login
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)


class AuditEvent(Base):
    """Append-only, hash-chained audit log: every write, export and print (who, when, what, before → after)."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)  # unique: two writers cannot fork the chain
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    actor: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    action: Mapped[str] = mapped_column(String(30), nullable=False, index=True)  # create/update/withdraw/export/print/…
    entity: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    entity_id: Mapped[str | None] = mapped_column(String(40))
    cadre_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict | list | str | int | bool | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_by: Mapped[str | None] = mapped_column(String(64))
