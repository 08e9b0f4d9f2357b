"""Units (工作单位): the tree as rows, a unit and its sub-units, a unit by "上级/下级" names (also for the importers)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from models.core import audit, concurrency, sql_match, withdrawal
from models.core.actor import Actor
from models.entities import Cadre, Unit, UnitEvent
from models.core.errors import ConflictError, NotFoundError, ValidationError


_unit = Unit.__table__


def unit_and_subunit_ids(session: Session, unit_id: int) -> list[int]:
    path = session.execute(select(_unit.c.path).where(_unit.c.id == unit_id)).scalar()
    if path is None:
        return [unit_id]
    if path in ("", "/"):
        return [unit_id]
    ids = set(session.execute(select(_unit.c.id).where(sql_match.starts_with(session, _unit.c.path, path))).scalars())
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
        self.cache: dict[str, int | None] = {}  # "上级/下级" (the path as split_path reads it) → unit id
        self._texts: dict[str, int | None] = {}  # a text as given whose path is in `cache` → the same id
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
        if text is not None and text in self._texts:  # a 台账 names its few units row after row
            return self._texts[text]
        unit_id = self._resolve(text)
        key = "/".join(split_path(text))
        if text is not None and key in self.cache:  # only what `cache` keeps: never a unit not created
            self._texts[text] = self.cache[key]
        return unit_id

    def _resolve(self, text: str | None) -> int | None:
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
            self.session.add(UnitEvent(unit_id=row.id, kind="create", new_name=name, new_parent_id=parent_id,
                                       reason=self.note.strip("：:，, ") or None,
                                       recorded_at=datetime.now().replace(microsecond=0),
                                       recorded_by=self.actor.username))
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


# ---------------------------------------------------------------------------------------------------------------
# Managing the tree (the 单位 page): create, rename, move, merge, withdraw — each audited and kept in unit_event,
# nothing deleted (a merged or abolished unit is withdrawn with its reason and stays in the history).

REASON_MIN = 2


@dataclass(frozen=True)
class UnitNode:
    """A unit of the tree for the 单位 page: its path of names, its live cadres and whether it has sub-units."""
    id: int
    name: str
    parent_id: int | None
    path: str
    depth: int
    full_path: str  # "江岸区/区财政局": tells the 13 区财政局 apart
    cadres: int  # in this unit itself
    is_grassroots: bool
    version: int
    cadres_with_subunits: int = 0  # in this unit and every unit below it (what 查看本单位干部 lists)


@dataclass(frozen=True)
class UnitEventRow:
    id: int
    kind: str
    kind_label: str
    effective_on: date | None
    text: str  # one sentence: "2024-03-01 由“区财政局”更名为“区财政局（区国资局）”：机构改革"
    recorded_at: datetime
    recorded_by: str


EVENT_LABELS = {"create": "新增", "rename": "更名", "move": "调整隶属", "merge": "合并", "withdraw": "撤销"}


def _live(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.withdrawn_at is not None:
        raise NotFoundError("找不到这个单位（可能已被撤销或合并）。请刷新单位列表。")
    return unit


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写单位名称。", "name")
    if len(name) > NAME_MAX:
        raise ValidationError(f"单位名称太长（最多{NAME_MAX}个字）。", "name")
    if _SPLIT.search(name):
        raise ValidationError("单位名称中不能有“/”“>”等分隔符：它们用来写上下级，如“区财政局/预算科”。", "name")
    return name


REASON_MESSAGE = "请写明原因（如：机构改革，依据某编〔2024〕3号）。"


def _clean_reason(reason: str | None, required: bool = True) -> str | None:
    reason = (reason or "").strip()
    if required and len(reason) < REASON_MIN:
        raise ValidationError(REASON_MESSAGE, "reason")
    return reason or None


def _check_sibling(session: Session, parent_id: int | None, name: str, own_id: int | None = None) -> None:
    cond = _unit.c.parent_id.is_(None) if parent_id is None else _unit.c.parent_id == parent_id
    clash = session.execute(select(_unit.c.id).where(cond, _unit.c.name == name, _unit.c.withdrawn_at.is_(None),
                                                     _unit.c.id != (own_id or 0))).first()
    if clash is not None:
        where = "顶层" if parent_id is None else f"“{path_label(session, parent_id)}”下"
        raise ValidationError(f"{where}已有名为“{name}”的单位。请换一个名称，或选择已有的单位。", "name")


def path_label(session: Session, unit_id: int | None) -> str:
    """"江岸区/区财政局": the names from the top of the tree down ("" for none)."""
    if unit_id is None:
        return ""
    path = session.execute(select(_unit.c.path).where(_unit.c.id == unit_id)).scalar()
    ids = [int(p) for p in (path or "").strip("/").split("/") if p.isdigit()] or [unit_id]
    names = dict(session.execute(select(_unit.c.id, _unit.c.name).where(_unit.c.id.in_(ids))).all())
    return "/".join(names.get(i, "") for i in ids)


def _event(session: Session, actor: Actor, unit: Unit, kind: str, *, effective_on: date | None = None,
           reason: str | None = None, now: datetime | None = None, **values) -> UnitEvent:
    ev = UnitEvent(unit_id=unit.id, kind=kind, effective_on=effective_on, reason=reason,
                   recorded_at=(now or datetime.now()).replace(microsecond=0), recorded_by=actor.username, **values)
    session.add(ev)
    return ev


def unit_tree(session: Session, actor: Actor, *, include_withdrawn: bool = False) -> list[UnitNode]:
    """Every live unit in tree order (parents before children), with its full path and its live cadres."""
    actor.require("read")
    stmt = select(_unit.c.id, _unit.c.name, _unit.c.parent_id, _unit.c.path, _unit.c.is_grassroots, _unit.c.version)
    if not include_withdrawn:
        stmt = stmt.where(_unit.c.withdrawn_at.is_(None))
    rows = session.execute(stmt).all()
    counts = dict(session.execute(select(Cadre.unit_id, func.count()).where(Cadre.withdrawn_at.is_(None))
                                  .group_by(Cadre.unit_id)).all())
    names = {r.id: r.name for r in rows}
    chains = {r.id: [int(p) for p in (r.path or "").strip("/").split("/") if p.isdigit()] or [r.id] for r in rows}
    rolled: dict[int, int] = {}  # the cadres of a unit counted in it and in every unit above it
    for uid, chain in chains.items():
        for above in set(chain) | {uid}:
            rolled[above] = rolled.get(above, 0) + counts.get(uid, 0)
    out = []
    for r in rows:
        ids = chains[r.id]
        out.append(UnitNode(r.id, r.name, r.parent_id, r.path, len(ids) - 1,
                            "/".join(names.get(i, "?") for i in ids), counts.get(r.id, 0), bool(r.is_grassroots),
                            r.version, rolled.get(r.id, 0)))
    out.sort(key=lambda u: [int(p) for p in u.path.strip("/").split("/") if p.isdigit()])
    return out


def create_unit(session: Session, actor: Actor, name: str, parent_id: int | None = None, *,
                is_grassroots: bool = False, effective_on: date | None = None, reason: str | None = None) -> int:
    """A new unit at the top of the tree or under `parent_id`. Returns its id."""
    actor.require("write")
    name = _clean_name(name)
    parent = _live(session, parent_id) if parent_id is not None else None
    _check_sibling(session, parent_id, name)
    unit = Unit(name=name, parent_id=parent_id, path="/", is_grassroots=bool(is_grassroots))
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    _event(session, actor, unit, "create", effective_on=effective_on, reason=_clean_reason(reason, False),
           new_name=name, new_parent_id=parent_id)
    session.flush()
    audit.record(session, actor, "create", "unit", unit.id, after={"name": name, "path": unit.path},
                 summary=f"新增单位 {path_label(session, unit.id)}")
    return unit.id


def rename_unit(session: Session, actor: Actor, unit_id: int, new_name: str, *, effective_on: date | None,
                reason: str | None, version: int | None = None) -> None:
    """Rename a unit; the former name stays in its history (with the date the new name took effect)."""
    actor.require("write")
    unit = _live(session, unit_id)
    concurrency.check_version(session, unit, version, error=_unit_changed)
    new_name = _clean_name(new_name)
    if new_name == unit.name:
        raise ValidationError("新名称与现名称相同。", "name")
    _check_sibling(session, unit.parent_id, new_name, unit.id)
    reason = _clean_reason(reason)
    before = path_label(session, unit.id)
    old = unit.name
    unit.name = new_name
    _event(session, actor, unit, "rename", effective_on=effective_on, reason=reason, old_name=old, new_name=new_name)
    session.flush()
    audit.record(session, actor, "update", "unit", unit.id, before={"name": old}, after={"name": new_name},
                 summary=f"单位更名：{before} → {new_name}（{reason}）")


def _unit_changed() -> ConflictError:
    return ConflictError("这个单位已被他人修改。请刷新单位列表后再操作。")


def _descendants(session: Session, unit: Unit) -> list[Unit]:
    return list(session.execute(select(Unit).where(sql_match.starts_with(session, Unit.path, unit.path),
                                                   Unit.id != unit.id)).scalars())


def _reparent(session: Session, unit: Unit, parent: Unit | None) -> None:
    """Put `unit` (and its whole subtree) under `parent`, rewriting the materialised paths."""
    old_prefix = unit.path
    new_prefix = f"{parent.path if parent else '/'}{unit.id}/"
    for sub in _descendants(session, unit):
        sub.path = new_prefix + sub.path[len(old_prefix):]
    unit.parent_id = parent.id if parent else None
    unit.path = new_prefix


def move_unit(session: Session, actor: Actor, unit_id: int, new_parent_id: int | None, *, effective_on: date | None,
              reason: str | None, version: int | None = None) -> None:
    """Put a unit (with its sub-units and cadres) under another parent, or at the top (`new_parent_id` None)."""
    actor.require("write")
    unit = _live(session, unit_id)
    concurrency.check_version(session, unit, version, error=_unit_changed)
    parent = _live(session, new_parent_id) if new_parent_id is not None else None
    if new_parent_id == unit.parent_id:
        raise ValidationError("单位已在所选的上级单位之下。", "parent_id")
    if parent is not None and (parent.id == unit.id or parent.path.startswith(unit.path)):
        raise ValidationError("不能把单位移到它自己或它的下级单位之下。", "parent_id")
    _check_sibling(session, new_parent_id, unit.name, unit.id)
    reason = _clean_reason(reason)
    before = path_label(session, unit.id)
    old_parent = unit.parent_id
    _reparent(session, unit, parent)
    _event(session, actor, unit, "move", effective_on=effective_on, reason=reason, old_parent_id=old_parent,
           new_parent_id=new_parent_id)
    session.flush()
    audit.record(session, actor, "update", "unit", unit.id, before={"parent_id": old_parent, "path": before},
                 after={"parent_id": new_parent_id, "path": path_label(session, unit.id)},
                 summary=f"调整单位隶属：{before} → {path_label(session, unit.id)}（{reason}）")


def merge_unit(session: Session, actor: Actor, unit_id: int, into_id: int, *, effective_on: date | None,
               reason: str | None, now: datetime | None = None) -> int:
    """Merge a unit into another: its cadres and its sub-units go to `into_id`, and it is withdrawn with the reason
    (its history says where it went). Returns how many cadres moved."""
    actor.require("write")
    unit = _live(session, unit_id)
    into = _live(session, into_id)
    if into.id == unit.id:
        raise ValidationError("请选择另一个单位：不能把单位并入它自己。", "into_id")
    if into.path.startswith(unit.path):
        raise ValidationError("不能把单位并入它自己的下级单位。请先调整隶属关系。", "into_id")
    reason = _clean_reason(reason)
    children = list(session.execute(select(Unit).where(Unit.parent_id == unit.id, Unit.withdrawn_at.is_(None)))
                    .scalars())
    for child in children:
        _check_sibling(session, into.id, child.name, child.id)
    source_label, into_label = path_label(session, unit.id), path_label(session, into.id)
    cadre_ids = list(session.execute(select(Cadre.id).where(Cadre.unit_id == unit.id, Cadre.withdrawn_at.is_(None)))
                     .scalars())
    if cadre_ids:  # the version moves on: a cadre form open elsewhere must not write the old unit back
        session.execute(update(Cadre).where(Cadre.id.in_(cadre_ids))
                        .values(unit_id=into.id, version=Cadre.version + 1)
                        .execution_options(synchronize_session="fetch"))
    for child in children:
        _reparent(session, child, into)
    when = withdrawal.mark(unit, actor, f"并入{into_label}：{reason}", now=now)
    _event(session, actor, unit, "merge", effective_on=effective_on, reason=reason, merged_into_id=into.id,
           cadres_moved=len(cadre_ids), now=when)
    session.flush()
    audit.record(session, actor, "withdraw", "unit", unit.id, after={"merged_into_id": into.id,
                                                                    "cadre_ids": cadre_ids,
                                                                    "sub_unit_ids": [c.id for c in children]},
                 summary=f"单位合并：{source_label} 并入 {into_label}，{len(cadre_ids)}名干部、{len(children)}个下级单位"
                         f"随之转入（{reason}）")
    return len(cadre_ids)


def withdraw_unit(session: Session, actor: Actor, unit_id: int, reason: str | None, *,
                  effective_on: date | None = None, now: datetime | None = None) -> None:
    """Abolish a unit that has no cadres and no sub-units left (else say where they must go first)."""
    actor.require("write")
    unit = _live(session, unit_id)
    reason = _clean_reason(reason)
    cadres = session.execute(select(func.count()).select_from(Cadre)
                             .where(Cadre.unit_id == unit.id, Cadre.withdrawn_at.is_(None))).scalar_one()
    subs = session.execute(select(func.count()).select_from(Unit)
                           .where(Unit.parent_id == unit.id, Unit.withdrawn_at.is_(None))).scalar_one()
    if cadres or subs:
        what = "、".join(x for x in (f"{cadres}名干部" if cadres else "", f"{subs}个下级单位" if subs else "") if x)
        raise ValidationError(f"“{unit.name}”还有{what}。请先把他们调到其他单位，或用“合并到…”把本单位并入其他单位。",
                              "unit_id")
    withdrawal.withdraw(session, actor, unit, reason, REASON_MESSAGE, minimum=REASON_MIN, entity="unit",
                        after_key="withdrawn_reason", now=now,
                        before_flush=lambda when: _event(session, actor, unit, "withdraw", effective_on=effective_on,
                                                         reason=reason, now=when),
                        summary=lambda why: f"撤销单位 {path_label(session, unit.id)}（{why}）")


def set_grassroots(session: Session, actor: Actor, unit_id: int, value: bool) -> None:
    """基层单位 (domain §6: the grassroots share of the 百佳)."""
    actor.require("write")
    unit = _live(session, unit_id)
    if bool(unit.is_grassroots) == bool(value):
        return
    unit.is_grassroots = bool(value)
    session.flush()
    audit.record(session, actor, "update", "unit", unit.id, before={"is_grassroots": not value},
                 after={"is_grassroots": bool(value)}, summary=f"{'标为' if value else '取消'}基层单位 {unit.name}")


def unit_history(session: Session, actor: Actor, unit_id: int) -> list[UnitEventRow]:
    """The changes of one unit, oldest first, each told in one sentence (former names, parents, merges)."""
    actor.require("read")
    events = session.execute(select(UnitEvent).where(
        or_(UnitEvent.unit_id == unit_id, UnitEvent.merged_into_id == unit_id))
        .order_by(UnitEvent.recorded_at, UnitEvent.id)).scalars().all()
    out = []
    for ev in events:
        when = ev.effective_on.isoformat() if ev.effective_on else ev.recorded_at.date().isoformat()
        if ev.kind == "create":
            text = f"{when} 新增"
        elif ev.kind == "rename":
            text = f"{when} 由“{ev.old_name}”更名为“{ev.new_name}”"
        elif ev.kind == "move":
            old = path_label(session, ev.old_parent_id) or "顶层"
            new = path_label(session, ev.new_parent_id) or "顶层"
            text = f"{when} 隶属由“{old}”调整为“{new}”"
        elif ev.kind == "merge" and ev.unit_id == unit_id:
            text = f"{when} 并入“{path_label(session, ev.merged_into_id)}”，{ev.cadres_moved or 0}名干部随之转入"
        elif ev.kind == "merge":
            text = f"{when} “{path_label(session, ev.unit_id)}”并入本单位，转入{ev.cadres_moved or 0}名干部"
        else:
            text = f"{when} 撤销"
        if ev.reason:
            text += f"：{ev.reason}"
        out.append(UnitEventRow(ev.id, ev.kind, EVENT_LABELS.get(ev.kind, ev.kind), ev.effective_on, text,
                                ev.recorded_at, ev.recorded_by))
    return out
