"""Text matching in SQL that works the same on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session


def glob(session: Session, col: ColumnElement[Any], pattern: str) -> ColumnElement[bool]:
    """`*` wildcard match. SQLite: GLOB (case-sensitive, uses the plain indexes for a prefix); other databases
    (PostgreSQL has no GLOB): the same pattern as an escaped LIKE."""
    if session.get_bind().dialect.name == "sqlite":
        return col.op("GLOB")(pattern)
    like = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
    return col.like(like, escape="\\")


def glob_literal(text: str) -> str:
    """`text` as a GLOB pattern that matches exactly it: *, ? and [ each in a one-character class."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in text)


def starts_with(session: Session, col: ColumnElement[Any], text: str) -> ColumnElement[bool]:
    """`col` begins with `text` taken literally (no character of it is a wildcard), by index on SQLite."""
    if session.get_bind().dialect.name == "sqlite":
        return col.op("GLOB")(glob_literal(text) + "*")
    return col.startswith(text, autoescape=True)
