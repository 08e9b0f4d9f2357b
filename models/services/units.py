"""Units (工作单位): the tree as rows, a unit and its sub-units, a unit by "上级/下级" names (also for the importers)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit, sql_match
from models.core.actor import Actor
from models.entities import Unit
from models.core.errors import ValidationError


_unit = Unit.__table__


def unit_and_subunit_ids(session: Session, unit_id: int) -> list[int]:
    path = session.execute(select(_unit.c.path).where(_unit.c.id == unit_id)).scalar()
    if path is None:
        return [unit_id]
    if path in ("", "/"):
        return [unit_id]
    ids = set(session.execute(select(_unit.c.id).where(sql_match.glob(session, _unit.c.path, f"{path}*"))).scalars())
    ids.add(unit_id)
    return sorted(ids)


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    path: str
    depth: int
    full_name: str


def list_units(session: Session) -> list[UnitRow]:
    rows = session.execute(
        select(_unit.c.id, _unit.c.name, _unit.c.path, _unit.c.parent_id)
        .where(_unit.c.withdrawn_at.is_(None)).order_by(_unit.c.path)
    ).all()
    names = {r.id: r.name for r in rows}
    out = []
    for r in rows:
        ids = [int(p) for p in r.path.strip("/").split("/") if p.isdigit()]
        full = "/".join(names.get(i, "") for i in ids) or r.name
        out.append(UnitRow(r.id, r.name, r.path, max(len(ids) - 1, 0), full))
    out.sort(key=lambda u: [int(p) for p in u.path.strip("/").split("/") if p.isdigit()])
    return out


def _split_unit_text(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[/\\＞>]", text or "") if p.strip()]


def unit_by_path_or_name(session: Session, text: str) -> int | None:
    """A unit by "上级/下级" names, or by a plain name when exactly one unit bears it. None when not found or
    ambiguous."""
    parts = _split_unit_text(text)
    if not parts:
        return None
    if len(parts) == 1:
        ids = list(session.execute(
            select(_unit.c.id).where(_unit.c.name == parts[0], _unit.c.withdrawn_at.is_(None)).limit(2)).scalars())
        return ids[0] if len(ids) == 1 else None
    parent: int | None = None
    for n, name in enumerate(parts):
        q = select(_unit.c.id).where(_unit.c.name == name, _unit.c.withdrawn_at.is_(None))
        q = q.where(_unit.c.parent_id.is_(None)) if parent is None and n == 0 else q.where(_unit.c.parent_id == parent)
        found = session.execute(q.limit(1)).scalar()
        if found is None:
            return None
        parent = found
    return parent


def ensure_unit(session: Session, actor: Actor, text: str) -> int:
    """The unit named by `text` ("上级/下级" or a plain name), created (with its parents) when missing."""
    actor.require("write")
    parts = _split_unit_text(text)
    if not parts:
        raise ValidationError("工作单位不能为空。", "unit")
    if len(parts) == 1:
        found = unit_by_path_or_name(session, parts[0])
        if found is not None:
            return found
    parent: Unit | None = None
    for n, name in enumerate(parts):
        if len(name) > 200:
            raise ValidationError(f"单位名称“{name[:20]}…”太长（最多200个字）。", "unit")
        q = select(Unit).where(Unit.name == name, Unit.withdrawn_at.is_(None))
        q = q.where(Unit.parent_id.is_(None)) if parent is None else q.where(Unit.parent_id == parent.id)
        unit = session.execute(q.limit(1)).scalar()
        if unit is None:
            unit = Unit(name=name, parent_id=parent.id if parent else None, path="/")
            session.add(unit)
            session.flush()
            unit.path = (parent.path if parent else "/") + f"{unit.id}/"
            session.flush()
            audit.record(session, actor, "create", "unit", unit.id, after={"name": name, "path": unit.path},
                         summary=f"新增单位 {name}")
        parent = unit
    assert parent is not None
    return parent.id
