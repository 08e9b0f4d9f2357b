"""Text matching in SQL that works the same on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy.orm import Session


def glob(session: Session, col, pattern: str):
    """`*` wildcard match. SQLite: GLOB (case-sensitive, uses the plain indexes for a prefix); other databases
    (PostgreSQL has no GLOB): the same pattern as an escaped LIKE."""
    if session.get_bind().dialect.name == "sqlite":
        return col.op("GLOB")(pattern)
    like = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
    return col.like(like, escape="\\")
