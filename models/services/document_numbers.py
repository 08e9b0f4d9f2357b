"""发文字号: one sequence per document kind and year that never repeats, also with two officers on one database.

The text is 机关代字 + year in full in 六角括号〔〕 + the number without "第" and without leading zeros + 号
(domain §4.2), e.g. 某纪〔2026〕3号. The 机关代字 is the setting `org.code`; a kind may have its own code
(`documents.code.<kind>`, e.g. 某纪函 for letters).

Uniqueness is the database's job: DocumentNumber has a unique (kind, year, seq). The next number is
max + 1 inside a SAVEPOINT; when another officer took the same number first, the insert fails with an
IntegrityError, the savepoint is rolled back and the next number is tried. On SQLite the write lock is taken
first (BEGIN IMMEDIATE), so the outer transaction stays one transaction (pysqlite would otherwise turn the
savepoint into the outermost transaction and commit it on release) and writers queue instead of colliding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.core import audit, settings_store
from models.core.actor import Actor
from models.entities import DocumentNumber
from models.core.errors import ConflictError, ValidationError

MAX_ATTEMPTS = 20
_CODE_OK = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002ffffA-Za-z0-9·]{1,20}$")
_TEXT = re.compile(r"^(?P<code>.+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")


@dataclass(frozen=True)
class IssuedNumber:
    kind: str
    year: int
    seq: int
    text: str


def format_number(code: str, year: int, seq: int) -> str:
    """某纪〔2026〕3号 — year in full, no 第, no leading zeros."""
    return f"{code}〔{year}〕{seq}号"


def parse_number(text: str) -> tuple[str, int, int] | None:
    """(code, year, seq) of a 发文字号, None when it does not follow the pattern."""
    m = _TEXT.match(text.strip())
    return (m["code"], int(m["year"]), int(m["seq"])) if m else None


def validate_code(code: str) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError("机关代字不能为空。请填写本机关的代字，如“某纪”。", "org.code")
    if any(ch in code for ch in "〔〕[]()（）【】第号"):
        raise ValidationError(f"机关代字“{code}”中不应含括号、“第”或“号”，只填代字本身，如“某纪”。", "org.code")
    if not _CODE_OK.match(code):
        raise ValidationError(f"机关代字“{code}”含有空格或符号，或超过 20 个字。只填汉字、字母或数字，如“某纪”。", "org.code")
    return code


def code_for(session: Session, kind: str) -> str:
    return validate_code(str(settings_store.get(session, f"documents.code.{kind}") or settings_store.get(session, "org.code")))


def _lock_for_write(session: Session) -> None:
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and not dbapi.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def allocate(
    session: Session,
    actor: Actor,
    kind: str,
    year: int,
    *,
    subject_type: str | None = None,
    subject_id: int | None = None,
) -> IssuedNumber:
    """Take the next 发文字号 of `kind` in `year` (recorded in the audit log, in the caller's transaction)."""
    actor.require("write")
    kind = (kind or "").strip()
    if not kind or len(kind) > 30:
        raise ValidationError("文书种类不能为空，且不超过 30 个字符。", "kind")
    if not 1900 <= int(year) <= 2999:
        raise ValidationError(f"年份 {year} 不对，应为四位数的年份，如 2026。", "year")
    code = code_for(session, kind)
    _lock_for_write(session)
    for _attempt in range(MAX_ATTEMPTS):
        current = session.scalar(
            select(func.max(DocumentNumber.seq)).where(DocumentNumber.kind == kind, DocumentNumber.year == year)
        )
        seq = (current or 0) + 1
        text = format_number(code, year, seq)
        try:
            with session.begin_nested():
                row = DocumentNumber(kind=kind, year=year, seq=seq, text=text, subject_type=subject_type,
                                     subject_id=subject_id, issued_by=actor.username)
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # another officer took this number a moment ago: try the next one
        audit.record(session, actor, "create", "document_number", row.id,
                     after={"kind": kind, "year": year, "seq": seq, "text": text,
                            "subject_type": subject_type, "subject_id": subject_id},
                     summary=f"编发文号 {text}")
        return IssuedNumber(kind, year, seq, text)
    raise ConflictError("同时编号的人太多，未能取得发文字号。请稍后再试。")


def issued(session: Session, kind: str, year: int) -> list[IssuedNumber]:
    rows = session.execute(
        select(DocumentNumber.kind, DocumentNumber.year, DocumentNumber.seq, DocumentNumber.text)
        .where(DocumentNumber.kind == kind, DocumentNumber.year == year).order_by(DocumentNumber.seq)
    ).all()
    return [IssuedNumber(*r) for r in rows]
