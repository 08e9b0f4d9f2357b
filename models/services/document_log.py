"""Every print and every saved/exported document goes into the audit log (design §3, §6)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from models.core import audit
from models.core.actor import Actor
from models.core.errors import ValidationError


@dataclass(frozen=True)
class DocumentEvent:
    audit_seq: int
    action: str  # print / export
    document: str
    summary: str


def _check(document: str) -> str:
    document = (document or "").strip()
    if not document:
        raise ValidationError("没有说明打印或导出的是哪一种文书。", "document")
    return document


def record_print(
    session: Session,
    actor: Actor,
    document: str,
    *,
    title: str = "",
    subject_id: int | str | None = None,
    cadre_id: int | None = None,
    pages: str = "",
    copies: int = 1,
    printer: str = "",
) -> DocumentEvent:
    """A document sent to a printer: which, what pages, how many copies, on which printer."""
    actor.require("print")
    document = _check(document)
    if copies < 1:
        raise ValidationError("打印份数至少为 1。", "copies")
    summary = f"打印《{title or document}》{copies} 份" + (f"（第 {pages} 页）" if pages else "") + (f"，打印机 {printer}" if printer else "")
    ev = audit.record(session, actor, "print", document, subject_id, cadre_id=cadre_id,
                      after={"title": title, "pages": pages, "copies": copies, "printer": printer}, summary=summary)
    return DocumentEvent(ev.seq, "print", document, summary)


def record_export(
    session: Session,
    actor: Actor,
    document: str,
    *,
    title: str = "",
    subject_id: int | str | None = None,
    cadre_id: int | None = None,
    path: str = "",
    rows: int | None = None,
) -> DocumentEvent:
    """A document saved as a file (PDF/Excel): which, where to, how many rows."""
    actor.require("export")
    document = _check(document)
    summary = f"导出《{title or document}》到 {path}" + (f"（{rows} 行）" if rows is not None else "")
    ev = audit.record(session, actor, "export", document, subject_id, cadre_id=cadre_id,
                      after={"title": title, "path": path, "rows": rows}, summary=summary)
    return DocumentEvent(ev.seq, "export", document, summary)
