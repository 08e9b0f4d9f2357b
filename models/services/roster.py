"""Rosters (名单): who came off the impact period between two dates; who is in an impact period on a day.

- came off between A and B: the cadre's overall off date (Cadre.off_date) within A … B, both ends included;
  the handling shown is the record(s) whose off date is that date (the one that governs).
- in an impact period on D: some promotion-type restriction (NO_PROMOTION, NO_EQUAL_OR_HIGHER_POST,
  NO_LEADERSHIP_POST) has start ≤ D < off date.
- by unit: a unit and, when asked, all its sub-units (Unit.path prefix).
Rows are plain dataclasses; models/exchange/roster_xlsx.py writes them to Excel. The PDF form and the export
entry point (.xlsx or .pdf by extension) live in reports/roster_export.py, since reports build on models, not the
reverse.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.rules import rule_table as rt
from models.entities import Cadre, Handling, Restriction, Unit
from models.core.errors import ValidationError
from models.services.handling.register import short_label
from models.reference.id_number import mask as mask_id
from models.rules.period_math import cn_date

MODE_CAME_OFF, MODE_IN_PERIOD = "came_off", "in_period"
HEADERS = ("序号", "姓名", "身份证号", "单位", "处理处分", "生效日期", "影响期满日期")


@dataclass(slots=True)  # not frozen: quicker to make (a preview makes 500)
class RosterRow:
    cadre_id: int
    name: str
    id_number: str
    unit_name: str
    handling: str  # e.g. "政务记过（某纪〔2024〕3号）"; several joined with "；"
    effective_on: date | None
    off_date: date | None


@dataclass(frozen=True)
class RosterQuery:
    mode: str = MODE_CAME_OFF
    date_from: date | None = None
    date_to: date | None = None
    on: date | None = None
    unit_id: int | None = None
    include_subunits: bool = True

    def title(self) -> str:
        if self.mode == MODE_CAME_OFF:
            return f"{cn_date(self.date_from)}至{cn_date(self.date_to)}影响期满人员名单"
        return f"{cn_date(self.on)}处于影响期人员名单"


def _check(q: RosterQuery) -> None:
    if q.mode == MODE_CAME_OFF:
        if q.date_from is None or q.date_to is None:
            raise ValidationError("请填写起止日期（影响期满日期在此范围内的干部，含首尾两天）。", "date_from")
        if q.date_from > q.date_to:
            raise ValidationError(
                f"开始日期 {q.date_from.isoformat()} 晚于结束日期 {q.date_to.isoformat()}，请调换或改正。", "date_from"
            )
    elif q.mode == MODE_IN_PERIOD:
        if q.on is None:
            raise ValidationError("请填写要查询的日期。", "on")
    else:
        raise ValidationError(f"名单类型“{q.mode}”未知。", "mode")


def _unit_filter(session: Session, stmt, q: RosterQuery):
    if q.unit_id is None:
        return stmt
    unit = session.get(Unit, q.unit_id)
    if unit is None:
        raise ValidationError("找不到所选单位，请重新选择。", "unit_id")
    if not q.include_subunits:
        return stmt.where(Cadre.unit_id == unit.id)
    sub = select(Unit.id).where(or_(Unit.id == unit.id, Unit.path.startswith(unit.path, autoescape=True)))
    return stmt.where(Cadre.unit_id.in_(sub))


def _base(session: Session, q: RosterQuery, *cols, with_unit: bool = True):
    stmt = select(*cols).select_from(Cadre)
    if with_unit:
        stmt = stmt.outerjoin(Unit, Unit.id == Cadre.unit_id)
    stmt = stmt.where(Cadre.withdrawn_at.is_(None))
    if q.mode == MODE_CAME_OFF:
        stmt = stmt.where(Cadre.off_date >= q.date_from, Cadre.off_date <= q.date_to)
    else:
        running = exists().where(
            Restriction.cadre_id == Cadre.id, Restriction.kind.in_(sorted(rt.OFF_DATE_KINDS)),
            Restriction.start <= q.on, Restriction.off_date > q.on,
        )
        stmt = stmt.where(Cadre.off_date > q.on, running)
    return _unit_filter(session, stmt, q)


def count(session: Session, actor: Actor, q: RosterQuery) -> int:
    actor.require("read")
    _check(q)
    # no join to the unit: the count is then read from ix_cadre_off_live alone (7 ms → 0.3 ms for a quarter)
    stmt = _base(session, q, func.count(), with_unit=False)
    return session.connection().execute(stmt).scalar_one()


def rows(session: Session, actor: Actor, q: RosterQuery, *, limit: int | None = None,
         offset: int = 0) -> list[RosterRow]:
    """One row per cadre, ordered by off date then name. One statement: the page of cadres (a subquery with its
    limit) outer-joined to the handling record(s) whose off date is the cadre's off date (the one that governs).
    The ID number masked (last 4 digits) for a role without "see_id_number" — on screen, in prints and exports."""
    actor.require("read")
    _check(q)
    show_id_number = actor.can("see_id_number")
    page = _base(session, q, Cadre.id, Cadre.name, Cadre.id_number, Unit.name.label("unit_name"),
                 Cadre.off_date).order_by(Cadre.off_date, Cadre.name, Cadre.id)
    if limit is not None:
        page = page.limit(limit)
    if offset:
        page = page.offset(offset)
    p = page.subquery("page")
    h = Handling.__table__
    stmt = (
        select(p.c.id, p.c.name, p.c.id_number, p.c.unit_name, p.c.off_date, h.c.regime, h.c.kind, h.c.doc_number,
               h.c.effective_on)
        .select_from(p.outerjoin(h, and_(h.c.cadre_id == p.c.id, h.c.withdrawn_at.is_(None),
                                          h.c.off_date == p.c.off_date)))
        .order_by(p.c.off_date, p.c.name, p.c.id, h.c.effective_on, h.c.id)
    )
    out: list[RosterRow] = []
    current, labels, first_on = None, [], None

    def close():
        cid, name, id_number, unit_name, off = current
        out.append(RosterRow(
            cadre_id=cid, name=name, id_number=id_number if show_id_number else mask_id(id_number),
            unit_name=unit_name or "", handling="；".join(labels), effective_on=first_on, off_date=off,
        ))

    # plain columns on the session's connection, fetched at once: the ORM execution layer is not needed here
    for cid, name, id_number, unit_name, off, regime, kind, doc_number, effective_on in (
            session.connection().execute(stmt).all()):
        if current is None or current[0] != cid:
            if current is not None:
                close()
            current, labels, first_on = (cid, name, id_number, unit_name, off), [], effective_on
        if regime is not None:
            labels.append(short_label(regime, kind) + (f"（{doc_number}）" if doc_number else ""))
    if current is not None:
        close()
    return out


def units(session: Session, actor: Actor) -> list[tuple[int, str, int]]:
    """(id, name, depth) of every unit in tree order, for the unit chooser."""
    actor.require("read")
    found = session.execute(
        select(Unit.id, Unit.name, Unit.path).where(Unit.withdrawn_at.is_(None)).order_by(Unit.path, Unit.sort_order)
    ).all()
    return [(r[0], r[1], max(0, r[2].strip("/").count("/"))) for r in found]
