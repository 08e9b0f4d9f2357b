"""What a document loader returns: the finished PDF and what the audit log needs to know about it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentPdf:
    """A finished document.

    Attributes:
        data: the PDF bytes.
        title: the document's title (for the audit log and the preview window's title).
        cadre_id: the cadre it concerns, when there is one (the audit log links it).
        number: the 发文字号 the document was issued with ("" for a form or a preview).
    """

    data: bytes
    title: str
    cadre_id: int | None = None
    number: str = ""
