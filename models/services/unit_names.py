"""Units named in full wherever a document names them (13 "区财政局" in one tree must be told apart).

A unit's full name is built from its path: the names from the root down, joined as a Chinese name is written
("武汉市" + "江岸区" + "区财政局" → "武汉市江岸区财政局"): a level is left out when the next one already starts
with it, and a level's leading 市/区/县 is dropped when the level above ends with the same character.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.entities import Unit

_LEVEL_CHARS = "省市区县镇乡"


def join_names(names: list[str]) -> str:
    """The full name from the names along the path, root first."""
    out = ""
    for name in (n.strip() for n in names):
        if not name:
            continue
        if out and name.startswith(out):
            out = name  # the level already carries the name above it
            continue
        if out and name[0] in _LEVEL_CHARS and out.endswith(name[0]):
            name = name[1:]
        out += name
    return out


def _ids(path: str | None, own_id: int) -> list[int]:
    return [int(p) for p in (path or "").strip("/").split("/") if p.isdigit()] or [own_id]


def full_names(session: Session, unit_ids: set[int] | None = None) -> dict[int, str]:
    """unit id → full name, for the given units (all units when None); units are few: one query."""
    rows = session.execute(select(Unit.id, Unit.name, Unit.path)).all()
    names = {r.id: r.name for r in rows}
    return {r.id: join_names([names.get(i, "") for i in _ids(r.path, r.id)])
            for r in rows if unit_ids is None or r.id in unit_ids}


def full_name(session: Session, unit_id: int | None) -> str:
    """The full name of one unit; "" for none."""
    if unit_id is None:
        return ""
    return full_names(session, {unit_id}).get(unit_id, "")
