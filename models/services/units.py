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


# ---------------------------------------------------------------------------------------------------------------
# The one way a unit is named by text (the cadre form, every importer, the command line)

SEPARATORS = "/\\＞>／"  # "上级/下级"; also the full-width slash and the ">" people type
_SPLIT = re.compile("[" + re.escape(SEPARATORS) + "]")
NAME_MAX = 200


def split_path(text: str | None) -> list[str]:
    """ "区财政局 / 预算科" → ["区财政局", "预算科"] (blank parts dropped)."""
    return [p.strip() for p in _SPLIT.split(text or "") if p.strip()]


class UnitResolver:
    """Units named by "上级/下级" text, resolved against the existing tree (cached, for one user action).

    The first name may be any unit in the tree, not only a root: "区财政局/预算科" finds 预算科 under the one
    区财政局 wherever that sits. When several units bear the first name, the one under which most of the following
    names already exist is taken; a tie is refused with a message asking for a longer path. The names after the
    last existing unit are created under it (`create=True`; audited), or in a dry run only listed in `created`.
    A plain name nobody bears becomes a new top-level unit. Withdrawn units are never matched.
    """

    def __init__(self, session: Session, actor: Actor | None = None, dry_run: bool = False, *, create: bool = True,
                 note: str = ""):
        if create and not dry_run:
            if actor is None:
                raise ValueError("creating units needs an actor")
            actor.require("write")
        self.session, self.actor, self.dry_run, self.create, self.note = session, actor, dry_run, create, note
        self.cache: dict[str, int | None] = {}
        self.created: list[str] = []  # "上级/下级" labels of the units created (or, in a dry run, to be created)
        self._by_name: dict[str, list[tuple[int, int | None, str]]] | None = None  # name → [(id, parent, path)]

    def _index(self) -> dict[str, list[tuple[int, int | None, str]]]:
        if self._by_name is None:  # units are few: one query for the whole tree
            self._by_name = {}
            for r in self.session.execute(
                select(_unit.c.id, _unit.c.name, _unit.c.parent_id, _unit.c.path)
                .where(_unit.c.withdrawn_at.is_(None)).order_by(_unit.c.id)
            ):
                self._by_name.setdefault(r.name, []).append((r.id, r.parent_id, r.path))
        return self._by_name

    def _child(self, parent_id: int, name: str) -> tuple[int, int | None, str] | None:
        return next((u for u in self._index().get(name, []) if u[1] == parent_id), None)

    def _walk(self, parts: list[str]) -> tuple[tuple[int, int | None, str] | None, int]:
        """The deepest existing unit along `parts` and how many parts it covers (0: not even the first)."""
        candidates = self._index().get(parts[0], [])
        if not candidates:
            return None, 0
        walks = []
        for unit in candidates:
            depth = 1
            for name in parts[1:]:
                child = self._child(unit[0], name)
                if child is None:
                    break
                unit, depth = child, depth + 1
            walks.append((depth, unit))
        best = max(d for d, _u in walks)
        top = [u for d, u in walks if d == best]
        if len(top) > 1:
            above = self._parent_name(candidates[0])
            hint = f"“{above}/{parts[0]}”" if above else f"“上级单位/{parts[0]}”"
            raise ValidationError(
                f"有{len(candidates)}个单位都叫“{parts[0]}”，无法确定是哪一个。请写出上级单位，如{hint}。", "unit")
        return top[0], best

    def _parent_name(self, unit: tuple[int, int | None, str]) -> str | None:
        if unit[1] is None:
            return None
        return next((name for name, us in self._index().items() for u in us if u[0] == unit[1]), None)

    def resolve(self, text: str | None) -> int | None:
        """The unit's id; None when it does not exist and is not created (a dry run, or `create=False`)."""
        parts = split_path(text)
        if not parts:
            raise ValidationError("工作单位为空。请填写单位名称，或写成“上级单位/下级单位”。", "unit")
        key = "/".join(parts)
        if key in self.cache:
            return self.cache[key]
        for name in parts:
            if len(name) > NAME_MAX:
                raise ValidationError(f"单位名称“{name[:20]}…”太长（最多{NAME_MAX}个字）。", "unit")
        unit, depth = self._walk(parts)
        if depth == len(parts):
            self.cache[key] = unit[0] if unit else None
            return self.cache[key]
        if not self.create:
            return None
        for m in range(depth + 1, len(parts) + 1):
            label = "/".join(parts[:m])
            if label not in self.created:
                self.created.append(label)
        if self.dry_run:
            self.cache[key] = None
            return None
        parent_id, parent_path = (unit[0], unit[2]) if unit else (None, "/")
        for m in range(depth, len(parts)):
            name = parts[m]
            row = Unit(name=name, parent_id=parent_id, path="/")
            self.session.add(row)
            self.session.flush()
            row.path = f"{parent_path}{row.id}/"
            self.session.flush()
            self._index().setdefault(name, []).append((row.id, parent_id, row.path))
            audit.record(self.session, self.actor, "create", "unit", row.id, after={"name": name, "path": row.path},
                         summary=f"{self.note}新增单位 {'/'.join(parts[:m + 1])}")
            parent_id, parent_path = row.id, row.path
        self.cache[key] = parent_id
        return parent_id


def find_unit(session: Session, text: str | None) -> int | None:
    """The existing unit named by `text` (see UnitResolver); None when there is none. Ambiguous: ValidationError."""
    if not split_path(text):
        return None
    return UnitResolver(session, create=False).resolve(text)


def ensure_unit(session: Session, actor: Actor, text: str) -> int:
    """The unit named by `text` ("上级/下级" or a plain name), created (below the deepest existing one) when missing."""
    unit_id = UnitResolver(session, actor).resolve(text)
    assert unit_id is not None
    return unit_id
