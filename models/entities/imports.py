"""The import ledger: every import kept with its file, account, mapping, counts and rejection report, and each
record it created or changed (with the values it replaced), so that a whole import can be withdrawn."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.entities.base import Base


class ImportBatch(Base):
    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # cadres / commendations / handling / lrmx
    file_name: Mapped[str] = mapped_column(String(260), nullable=False)
    file_sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    account: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)
    sheet: Mapped[str | None] = mapped_column(String(100))
    mapping: Mapped[dict | None] = mapped_column(JSON)  # {"columns": [...], "user": {header: key}}
    counts: Mapped[dict] = mapped_column(JSON, nullable=False)  # created / updated / unchanged / rejected / held
    report: Mapped[list | None] = mapped_column(JSON)  # the rejected rows: sheet, row, column, value, reason
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class ImportItem(Base):
    """One record an import created or changed. `before` holds the replaced values of a change; `version` the
    record's version right after the import (a later edit raises it: the import is then built upon)."""

    __tablename__ = "import_item"
    __table_args__ = (Index("ix_import_item_record", "entity", "record_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), nullable=False, index=True)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)  # cadre / unit / handling / commendation
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(String(10), nullable=False)  # created / changed
    before: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int | None] = mapped_column(Integer)


class ImportMapping(Base):
    """A column mapping remembered for files with the same header (signature), optionally named."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("kind", "signature", name="uq_import_mapping_kind_signature"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    signature: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str | None] = mapped_column(String(60), index=True)
    mapping: Mapped[dict] = mapped_column(JSON, nullable=False)  # header as the file has it → field key or "ignore"
    headers: Mapped[list | None] = mapped_column(JSON)  # the file's headers, to show what it was made for
    saved_by: Mapped[str] = mapped_column(String(64), nullable=False)
    saved_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
