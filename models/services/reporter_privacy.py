"""The reporter never reaches a document (domain §3.4): finding the reporter's own data in a text.

What counts is the reporter's own data — the name as a whole word, the unit, the contact (phone, address, any
part of it of two characters or more) — and any phone or ID number. The cadre's own name, unit and post are taken
out of the text first: a reporter who works in the cadre's unit, or whose name is part of the cadre's name
(李明 / 李明华), must not stop the cadre's clarification from being printed.

A name is a whole word when the characters around it do not continue it: "举报人李明称" and "李明同志" contain the
name 李明, "李明确表示" does not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MASK = "\u25a1"  # □: where the cadre's own name/unit/post was
# characters that may follow a name without continuing it, and that may precede it
_AFTER = set("同等的向称反举说于在和与及、，。；：！？）》”」…—·" + MASK) | {"", " "}
_BEFORE = set("人名是由据经向对与和及、，。；：（《“「 " + MASK) | {""}
_SPLIT = re.compile(r"[\s，,、;；/]+")


@dataclass(frozen=True)
class Reporter:
    name: str = ""
    unit: str = ""
    contact: str = ""


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ffff"


def mask_own(text: str, own: Iterable[str]) -> str:
    """The text with the cadre's own name, unit and post replaced by □ (longest first)."""
    for value in sorted({_compact(v) for v in own if v and len(_compact(v)) >= 2}, key=len, reverse=True):
        text = text.replace(value, MASK * len(value))
    return text


def _name_found(text: str, name: str) -> bool:
    start = 0
    while True:
        k = text.find(name, start)
        if k < 0:
            return False
        before = text[k - 1] if k else ""
        after = text[k + len(name)] if k + len(name) < len(text) else ""
        if (before in _BEFORE or not _is_cjk(before)) and (after in _AFTER or not _is_cjk(after)):
            return True
        start = k + 1


def _parts(value: str) -> list[str]:
    value = _compact(value)
    parts = [p for p in _SPLIT.split(value or "") if len(p) >= 2]
    return ([value] if len(value) >= 2 else []) + parts


def find(texts: Iterable[str | None], reporter: Reporter, own: Iterable[str] = ()) -> str | None:
    """What of the reporter's data a text holds ("姓名", "单位", "联系方式", "电话号码", "身份证号"), None if nothing."""
    own = list(own)
    for raw in texts:
        if not raw:
            continue
        text = mask_own(_compact(raw), own)
        name = _compact(reporter.name)
        if len(name) >= 2 and _name_found(text, name):
            return "姓名"
        if any(p in text for p in _parts(reporter.unit)):
            return "单位"
        if any(p in text for p in _parts(reporter.contact)):
            return "联系方式"
        if PHONE.search(text):
            return "电话号码"
        if ID_NUMBER.search(text):
            return "身份证号"
    return None


def reporter_of(session, accusation_id: int) -> Reporter:
    """The reporter of an accusation — internal: used to refuse text that contains it, never shown or logged."""
    from models.entities import Accusation

    a = session.get(Accusation, accusation_id)
    if a is None:
        return Reporter()
    return Reporter(a.reporter_name or "", a.reporter_unit or "", a.reporter_contact or "")


def own_words(session, cadre_id: int) -> list[str]:
    """The cadre's own name, post and unit (its own name and its full name), taken out before the check."""
    from sqlalchemy import select

    from models.entities import Cadre, Unit
    from models.services.unit_names import full_name

    # three columns, not the whole cadre and unit entities: a notice calls this once per document
    row = session.execute(select(Cadre.name, Cadre.current_post, Cadre.unit_id, Unit.name.label("unit_name"))
                          .outerjoin(Unit, Unit.id == Cadre.unit_id).where(Cadre.id == cadre_id)).first()
    if row is None:
        return []
    return [row.name, row.current_post or "", row.unit_name or "", full_name(session, row.unit_id)]
