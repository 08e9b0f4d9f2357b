"""发文字号 and the 发文登记: one sequence per 机关代字 and year that never repeats, also with two officers on one
database.

The text is 机关代字 + year in full in 六角括号〔〕 + the number without "第" and without leading zeros + 号
(domain §4.2), e.g. 某纪〔2026〕3号. The 机关代字 is the setting `org.code`; a kind may have its own code
(`documents.code.<kind>`, e.g. 某纪函 for letters). Kinds sharing a code share its sequence, so a number text is
never given twice (the 澄清说明 and the 澄清通报 of one clarification get two numbers).

A number is taken when a document is issued — printed or saved as final — through `issue`: the first issue of a
document (kind + record) takes the next number, every later one (a reprint) gets the same number back; a preview
shows NUMBER_PENDING instead and takes nothing. A number given in error is voided with its reason (`void`): it
stays in the register, is never given again, and the document's next issue takes a new one.

Uniqueness is the database's job: DocumentNumber has a unique (code, year, seq). The next number is
max + 1 inside a SAVEPOINT; when another officer took the same number first, the insert fails with an
IntegrityError, the savepoint is rolled back and the next number is tried. On SQLite the write lock is taken
first (BEGIN IMMEDIATE), so the outer transaction stays one transaction (pysqlite would otherwise turn the
savepoint into the outermost transaction and commit it on release) and writers queue instead of colliding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.core import audit, settings_store
from models.core.actor import Actor
from models.entities import DocumentNumber
from models.core.errors import ConflictError, NotFoundError, ValidationError

MAX_ATTEMPTS = 20
NUMBER_PENDING = "〔文号待编〕"  # what a preview shows where the number will be
REASON_MIN = 4
KIND_LABELS = {"clarification": "澄清正名说明", "clarification_circular": "澄清正名通报"}
SUBJECT_LABELS = {"clarification": "澄清正名"}  # the record a number was given for
_CODE_OK = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002ffffA-Za-z0-9·]{1,20}$")
_TEXT = re.compile(r"^(?P<code>.+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")


@dataclass(frozen=True)
class IssuedNumber:
    kind: str
    year: int
    seq: int
    text: str
    id: int | None = None
    reprint: bool = False  # True: the document already had this number (issued again)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the 发文登记."""

    id: int
    code: str
    year: int
    seq: int
    text: str
    kind: str
    kind_label: str
    title: str
    subject_type: str
    subject_id: int | None
    cadre_id: int | None
    issued_at: datetime | None
    issued_by: str
    voided_at: datetime | None
    voided_by: str
    void_reason: str

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


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
    title: str | None = None,
    cadre_id: int | None = None,
) -> IssuedNumber:
    """Take the next 发文字号 of the code of `kind` in `year` (recorded in the audit log, in the caller's transaction)."""
    actor.require("write")
    kind = (kind or "").strip()
    if not kind or len(kind) > 30:
        raise ValidationError("文书种类不能为空，且不超过 30 个字符。", "kind")
    if not 1900 <= int(year) <= 2999:
        raise ValidationError(f"年份 {year} 不对，应为四位数的年份，如 2026。", "year")
    code = code_for(session, kind)
    title = (title or "").strip()[:200] or None
    _lock_for_write(session)
    for _attempt in range(MAX_ATTEMPTS):
        current = session.scalar(
            select(func.max(DocumentNumber.seq)).where(DocumentNumber.code == code, DocumentNumber.year == year)
        )
        seq = (current or 0) + 1
        text = format_number(code, year, seq)
        try:
            with session.begin_nested():
                row = DocumentNumber(code=code, kind=kind, year=year, seq=seq, text=text, title=title,
                                     subject_type=subject_type, subject_id=subject_id, cadre_id=cadre_id,
                                     issued_by=actor.username)
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # another officer took this number a moment ago: try the next one
        audit.record(session, actor, "create", "document_number", row.id, cadre_id=cadre_id,
                     after={"kind": kind, "year": year, "seq": seq, "text": text, "title": title,
                            "subject_type": subject_type, "subject_id": subject_id},
                     summary=f"编发文号 {text}" + (f"（{title}）" if title else ""))
        return IssuedNumber(kind, year, seq, text, row.id)
    raise ConflictError("同时编号的人太多，未能取得发文字号。请稍后再试。")


def _live(kind: str, subject_type: str, subject_id: int):
    return (select(DocumentNumber).where(DocumentNumber.kind == kind, DocumentNumber.subject_type == subject_type,
                                         DocumentNumber.subject_id == subject_id, DocumentNumber.voided_at.is_(None))
            .order_by(DocumentNumber.id.desc()))


def current(session: Session, kind: str, subject_type: str, subject_id: int) -> IssuedNumber | None:
    """The number a document was issued with (not voided), None when it was never issued. Takes nothing."""
    row = session.execute(_live(kind, subject_type, subject_id)).scalars().first()
    return IssuedNumber(row.kind, row.year, row.seq, row.text, row.id, True) if row else None


def issue(session: Session, actor: Actor, kind: str, year: int, *, subject_type: str, subject_id: int,
          title: str | None = None, cadre_id: int | None = None) -> IssuedNumber:
    """The number of a document being issued: its own number on a reprint, else the next one."""
    found = current(session, kind, subject_type, subject_id)
    if found is not None:
        return found
    return allocate(session, actor, kind, year, subject_type=subject_type, subject_id=subject_id, title=title,
                    cadre_id=cadre_id)


def is_voided(session: Session, text: str) -> bool:
    return session.scalar(select(DocumentNumber.id).where(DocumentNumber.text == text,
                                                          DocumentNumber.voided_at.is_not(None))) is not None


def void(session: Session, actor: Actor, number_id: int, reason: str) -> RegisterRow:
    """Void a number given in error: it stays in the register with the reason and is never given again."""
    actor.require("write")
    row = session.get(DocumentNumber, number_id)
    if row is None:
        raise NotFoundError(f"发文登记中没有编号为 {number_id} 的文号。")
    if row.voided_at is not None:
        raise ValidationError(f"文号 {row.text} 已于 {row.voided_at:%Y-%m-%d} 作废。", "reason")
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError(f"请写明作废的原因（至少 {REASON_MIN} 个字），如“文书内容有误，重新发文”。", "reason")
    row.voided_at, row.voided_by, row.void_reason = datetime.now().replace(microsecond=0), actor.username, reason[:500]
    if row.subject_type == "clarification" and row.kind == "clarification":
        from models.entities import Clarification

        c = session.get(Clarification, row.subject_id)
        if c is not None and c.doc_number == row.text:
            c.doc_number = None  # the 说明 takes a new number when it is issued again
    session.flush()
    audit.record(session, actor, "void", "document_number", row.id, cadre_id=row.cadre_id,
                 after={"text": row.text, "reason": reason}, summary=f"作废文号 {row.text}：{reason}")
    return _register_row(row)


def _register_row(r: DocumentNumber) -> RegisterRow:
    return RegisterRow(
        id=r.id, code=r.code, year=r.year, seq=r.seq, text=r.text, kind=r.kind,
        kind_label=KIND_LABELS.get(r.kind, r.kind), title=r.title or "", subject_type=r.subject_type or "",
        subject_id=r.subject_id, cadre_id=r.cadre_id, issued_at=r.issued_at, issued_by=r.issued_by or "",
        voided_at=r.voided_at, voided_by=r.voided_by or "", void_reason=r.void_reason or "",
    )


def register(session: Session, actor: Actor, *, year: int | None = None, code: str | None = None,
             kind: str | None = None) -> list[RegisterRow]:
    """The 发文登记: every number issued, voided ones included, by 机关代字, year and number."""
    actor.require("read")
    stmt = select(DocumentNumber)
    if year is not None:
        stmt = stmt.where(DocumentNumber.year == year)
    if code:
        stmt = stmt.where(DocumentNumber.code == code)
    if kind:
        stmt = stmt.where(DocumentNumber.kind == kind)
    stmt = stmt.order_by(DocumentNumber.code, DocumentNumber.year.desc(), DocumentNumber.seq)
    return [_register_row(r) for r in session.execute(stmt).scalars()]


def register_years(session: Session, actor: Actor) -> list[int]:
    actor.require("read")
    return list(session.scalars(select(DocumentNumber.year).distinct().order_by(DocumentNumber.year.desc())))


REGISTER_HEADERS = ("机关代字", "年份", "序号", "发文字号", "文书种类", "文书标题", "记录", "经办账号", "编号时间", "状态",
                    "作废原因")


def register_table(rows: list[RegisterRow]) -> list[list]:
    """The register as table rows (the GUI's list and the exported file show the same columns)."""
    return [[r.code, r.year, r.seq, r.text, r.kind_label, r.title,
             f"{SUBJECT_LABELS.get(r.subject_type, r.subject_type)} 第{r.subject_id}号" if r.subject_id is not None
             else "", r.issued_by,
             r.issued_at.strftime("%Y-%m-%d %H:%M") if r.issued_at else "",
             f"已作废（{r.voided_at:%Y-%m-%d}，{r.voided_by}）" if r.voided_at else "有效", r.void_reason]
            for r in rows]


def issued(session: Session, actor: Actor, kind: str, year: int) -> list[IssuedNumber]:
    actor.require("read")
    rows = session.execute(
        select(DocumentNumber.kind, DocumentNumber.year, DocumentNumber.seq, DocumentNumber.text, DocumentNumber.id)
        .where(DocumentNumber.kind == kind, DocumentNumber.year == year).order_by(DocumentNumber.seq)
    ).all()
    return [IssuedNumber(*r) for r in rows]
