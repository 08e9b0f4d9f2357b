"""The 工作台 (dashboard) queries (design §1, domain §2.5): each list has a count and a paged list function.

Every query reads plain indexed columns (no ORM objects) and judges dates against the `today` argument:

- coming off: the cadre's overall off date (Cadre.off_date, recomputed by the engine on every write) lies in
  today+1 … today+N — today being the last day of the restriction is inside the list; today being the off
  date is not (the cadre is off today and moves to "awaiting assessment");
- awaiting the 影响期满考核: off date ≤ today (and within `assessment.lookback_days`, 0 = no limit) and no
  (non-withdrawn) ExpiryAssessment dated on or after off date − `assessment.early_days` (an assessment made
  shortly before the end counts);
- visits due: planned VisitPlan whose window is open (due_from ≤ today ≤ due_by; without due_from, due_by
  within the first lead time); overdue: planned and due_by < today;
- 函询 overdue: due_on < today and no reply; clarifications waiting: status not done (nor declined/cancelled);
- to consider first for use: commended within `dashboard.commendation_years` years and no promotion-type
  restriction running today (models.services.commendations.priority_for_use, which lists them).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from sqlalchemy import Date, Integer, String, and_, bindparam, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from models.core import settings_store
from models.services import tasks as task_service
from models.core.actor import Actor
from models.services.commendations import count_priority, priority_for_use
from models.derived.visit_plans import current_kinds
from models.entities import (
    Cadre, Clarification, Handling, Inquiry, Restriction, Unit, VisitPlan,
)
from models.entities.accusation import CLARIFICATION_CLOSED
from models.rules import rule_table as rt
from models.services.unit_names import labels_and_shared_names, list_labels
from models.rules.rule_table import OFF_DATE_KINDS

ACTIVE_STATUS = "在职"


class DashRow:
    """One row of a 工作台 list. `detail` (the 情况 column) may be given as a function that makes the text: the table
    asks only for the rows it shows (about twenty of a page of 200), and formatting every row's text cost as much as
    the list's query. A plain class with slots: a dataclass cannot hold that as a property (a frozen one took 4×
    longer to make)."""

    __slots__ = ("cadre_id", "name", "unit_name", "when", "_detail", "ref_id", "handling_id")

    def __init__(self, cadre_id: int, name: str, unit_name: str, when: date | None,
                 detail: str | Callable[[], str], ref_id: int | None = None, handling_id: int | None = None) -> None:
        self.cadre_id = cadre_id
        self.name = name
        self.unit_name = unit_name
        self.when = when  # the date the list is about (off date, due date …)
        self._detail = detail
        self.ref_id = ref_id  # the plan / inquiry / clarification / task id where there is one
        self.handling_id = handling_id  # the decision the row is about (coming off, awaiting assessment)

    @property
    def detail(self) -> str:
        text = self._detail
        if not isinstance(text, str):
            text = self._detail = text()
        return text

    @detail.setter
    def detail(self, text: str) -> None:
        self._detail = text

    def _key(self) -> tuple:
        return (self.cadre_id, self.name, self.unit_name, self.when, self.detail, self.ref_id, self.handling_id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DashRow) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return "DashRow(cadre_id={!r}, name=…, when={!r}, detail={!r}, ref_id={!r}, handling_id={!r})".format(
            self.cadre_id, self.when, self.detail, self.ref_id, self.handling_id)


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    count: int
    hint: str


# ----------------------------------------------------------------------------------------------- settings


def lead_days(session: Session) -> list[int]:
    values = settings_store.get(session, "dashboard.lead_days") or [30, 60, 90]
    return sorted({int(v) for v in values if int(v) > 0}) or [30]


def early_days(session: Session) -> int:
    return max(0, int(settings_store.get(session, "assessment.early_days") or 0))


def lookback_days(session: Session) -> int:
    return max(0, int(settings_store.get(session, "assessment.lookback_days") or 0))


def commendation_years(session: Session) -> int:
    return max(1, int(settings_store.get(session, "dashboard.commendation_years") or 3))


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


# The lists are opened often and their SQL takes 1–2 ms: each statement is built once per database dialect, with
# the dates as bound parameters, on table columns (not ORM attributes, whose result rows cost more to make).
# Building them on every call cost more than running them (the benchmark's ratio to raw SQL was 4–5×).
_c, _u, _p, _h = Cadre.__table__, Unit.__table__, VisitPlan.__table__, Handling.__table__
_DAY = bindparam("today", type_=Date)
_UPTO = bindparam("upto", type_=Date)
_SINCE = bindparam("since", type_=Date)
_LIMIT, _OFFSET = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)


def _in_post():
    """Cadre in post. Wrapped in COALESCE so that SQLite never picks the low-selectivity status index over the
    off-date index (without ANALYZE it did: 35 ms instead of 0.5 ms for the 30-day list on 100,000 cadres)."""
    return func.coalesce(_c.c.status, "") == ACTIVE_STATUS


def _cadre_cols(*extra):
    return select(_c.c.id, _c.c.name, _c.c.unit_id, *extra).select_from(_c)


def _with_page(count, full) -> tuple:
    """(count, full list, paged list): the statements every 工作台 list has."""
    return count, full, full.limit(_LIMIT).offset(_OFFSET)


def _prepared(where: Callable[[object], object], list_cols: tuple, order: tuple) -> tuple:
    """(count, full list, paged list) from one WHERE builder."""
    return _with_page(where(select(func.count()).select_from(_c)), where(_cadre_cols(*list_cols)).order_by(*order))


def _run_list(session: Session, statements: tuple, params: dict, limit: int | None, offset: int) -> list:
    """The rows at once (fetchall): iterating the result fetches them one by one, which cost as much as the query."""
    if limit is None:
        return _read(session, statements[1], params).all()
    return _read(session, statements[2], {**params, "limit": limit, "offset": offset}).all()


def _read(session: Session, stmt, params: dict):
    """A Core statement on the session's connection (same transaction): Session.execute would first pass it
    through the ORM's execution layer, which these table-column statements do not need."""
    return session.connection().execute(stmt, params)


def _per_date(text: Callable[[date], str]) -> Callable[[date], str]:
    """The detail text of a row, made once per date: a page of 200 rows has a few dozen dates, and formatting
    each row's text took as long as the query."""
    made: dict[date, str] = {}

    def detail(on: date) -> str:
        found = made.get(on)
        if found is None:
            found = made[on] = text(on)
        return found

    return detail


# ----------------------------------------------------------------------------------------------- coming off

_COMING_OFF = _prepared(
    lambda stmt: stmt.where(_c.c.off_date > _DAY, _c.c.off_date <= _UPTO, _c.c.withdrawn_at.is_(None), _in_post()),
    (_c.c.off_date,), (_c.c.off_date, _c.c.id))


def count_coming_off(session: Session, actor: Actor, today: date, days: int) -> int:
    actor.require("read")
    return _read(session, _COMING_OFF[0], {"today": today, "upto": today + timedelta(days=days)}).scalar_one()


def list_coming_off(session: Session, actor: Actor, today: date, days: int, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    result = _run_list(session, _COMING_OFF, {"today": today, "upto": today + timedelta(days=days)}, limit, offset)
    detail = _per_date(lambda off: f"{(off - today).days} 天后期满（最后一天 {(off - timedelta(days=1)).isoformat()}）")
    units = list_labels(session)
    return _with_decisions(session, [DashRow(cid, name, units.get(unit, ""), off, detail(off))
                                     for cid, name, unit, off in result])


_r = Restriction.__table__


def expiring_decisions(session: Session, off_dates: dict[int, date]) -> dict[int, list[tuple[int, str]]]:
    """cadre id → [(handling id, "党纪处分·警告（武纪〔2024〕3号）")]: the decisions whose restriction ends on the
    cadre's off date — what a 工作台 row says is expiring. The kind is the one in force (after a 申诉 that
    changed 严重警告 to 警告, 警告). One query for a page of rows."""
    if not off_dates:
        return {}
    found: dict[int, list[tuple[int, str, str | None, date]]] = {}
    ids = list(off_dates)
    for i in range(0, len(ids), 500):
        stmt = (select(_r.c.cadre_id, _r.c.off_date, _h.c.id, _h.c.regime, _h.c.kind, _h.c.doc_number,
                       _h.c.effective_on)
                .select_from(_r).join(_h, _h.c.id == _r.c.handling_id)
                .where(_r.c.cadre_id.in_(ids[i:i + 500]), _r.c.kind.in_(sorted(OFF_DATE_KINDS)),
                       _h.c.withdrawn_at.is_(None)))
        for cid, off, hid, regime, kind, number, effective in _read(session, stmt, {}):
            if off == off_dates.get(cid) and all(h[0] != hid for h in found.get(cid, [])):
                found.setdefault(cid, []).append((hid, regime, kind, number, effective))
    kinds = current_kinds(session, {h[0]: h[2] for hs in found.values() for h in hs})
    out: dict[int, list[tuple[int, str]]] = {}
    for cid, hs in found.items():
        for hid, regime, _kind, number, effective in sorted(hs, key=lambda h: h[4]):
            label = rt.full_label(regime, kinds[hid]) + (f"（{number}）" if number else f"（{effective.isoformat()}生效）")
            out.setdefault(cid, []).append((hid, label))
    return out


def _with_decisions(session: Session, rows: list[DashRow]) -> list[DashRow]:
    decisions = expiring_decisions(session, {r.cadre_id: r.when for r in rows if r.when is not None})
    for r in rows:
        found = decisions.get(r.cadre_id)
        if found:
            r.handling_id = found[0][0]
            r.detail = f"{r.detail}：{'、'.join(label for _h, label in found)}"
    return rows


# ----------------------------------------------------------------------------------------------- awaiting assessment


def assessed_since_off(dialect: str):
    """The cadre (outer query) has a live 影响期满考核 dated on or after its off date − early days: the rule of
    "assessed" for this list and the statistics (models/services/statistics.py). Read from Cadre.assessed_on, the
    latest live assessment (models/derived/assessment_summary.py): some live one is on or after that day exactly
    when the latest is. The shift is the bound `early` (early_param): SQLite stores ISO text dates and takes it as
    a date() modifier."""
    if dialect == "sqlite":
        earliest = func.date(_c.c.off_date, bindparam("early", type_=String))
    else:
        earliest = _c.c.off_date - bindparam("early", type_=Integer)
    # Never NULL, so that its negation is exact. early_days is never negative, so an assessment on or after the
    # off date counts without date(): most do, and date() per candidate was a third of the count (7 of 19 ms for
    # 66,000 candidates).
    return and_(_c.c.assessed_on.is_not(None), or_(_c.c.assessed_on >= _c.c.off_date, _c.c.assessed_on >= earliest))


def early_param(session: Session) -> str | int:
    """The value of `early` for assessed_since_off on this session's database."""
    early = early_days(session)
    return f"-{early} days" if session.get_bind().dialect.name == "sqlite" else early


@functools.lru_cache(maxsize=None)
def _awaiting(dialect: str) -> tuple:
    """Off date in since … today, in post, and no live assessment dated on or after off date − early days.
    The terms of ix_cadre_unassessed (models.entities.cadre.UNASSESSED) are repeated, so that the count reads the
    cadres not assessed since coming off, not every cadre whose off date is in the window; they are implied by
    ~assessed (early days are never negative), so they change no result."""
    assessed = assessed_since_off(dialect)
    not_since_off = or_(_c.c.assessed_on.is_(None), _c.c.assessed_on < _c.c.off_date)
    return _prepared(
        lambda stmt: stmt.where(_c.c.off_date <= _DAY, _c.c.off_date >= _SINCE, _c.c.withdrawn_at.is_(None),
                                not_since_off, _in_post(), ~assessed),
        (_c.c.off_date,), (_c.c.off_date.desc(), _c.c.id))


def _awaiting_params(session: Session, today: date) -> tuple[tuple, dict]:
    back = lookback_days(session)
    return _awaiting(session.get_bind().dialect.name), {
        "today": today, "since": today - timedelta(days=back) if back else date(1, 1, 1),
        "early": early_param(session),
    }


def count_awaiting_assessment(session: Session, actor: Actor, today: date) -> int:
    actor.require("read")
    statements, params = _awaiting_params(session, today)
    return _read(session, statements[0], params).scalar_one()


def list_awaiting_assessment(session: Session, actor: Actor, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    statements, params = _awaiting_params(session, today)
    detail = _per_date(lambda off: "今天期满，待期满考核" if off == today else f"已期满 {(today - off).days} 天，待期满考核")
    units = list_labels(session)
    return _with_decisions(session, [DashRow(cid, name, units.get(unit, ""), off, detail(off))
                                     for cid, name, unit, off in _run_list(session, statements, params, limit, offset)])


def awaits_assessment(session: Session, actor: Actor, cadre_id: int, today: date) -> bool:
    actor.require("read")
    statements, params = _awaiting_params(session, today)
    return session.execute(statements[1].where(_c.c.id == cadre_id), params).first() is not None


# ----------------------------------------------------------------------------------------------- visits
# Counts of open plans read visit_plan alone, as a range of ix_visit_plan_status_due: a plan of a withdrawn
# decision or cadre is cancelled when it is withdrawn (models/entities/visit.py), so no join is needed there.

_PLANNED = _p.c.status == "planned"
# due: the window is open (due_from ≤ today ≤ due_by), or without due_from, due_by within the first lead time
_DUE = and_(_p.c.due_by >= _DAY, or_(_p.c.due_from <= _DAY, and_(_p.c.due_from.is_(None), _p.c.due_by <= _UPTO)))
_OVERDUE = _p.c.due_by < _DAY


def _visit_statements(condition, count=None) -> tuple:
    if count is None:
        count = select(func.count()).select_from(_p).where(_PLANNED, condition)
    full = (
        select(_c.c.id, _c.c.name, _c.c.unit_id, _p.c.due_by, _p.c.id, _p.c.seq, _p.c.purpose)
        .select_from(_p)
        .join(_c, _c.c.id == _p.c.cadre_id)
        .join(_h, _h.c.id == _p.c.handling_id)
        .where(_PLANNED, _h.c.withdrawn_at.is_(None), _c.c.withdrawn_at.is_(None), condition)
        .order_by(_p.c.due_by, _p.c.id)
    )
    return _with_page(count, full)


def _count_due():
    """_DUE counted as its two disjoint parts, each one range of ix_visit_plan_status_from: the open windows
    (due_from ≤ today, then due_by tested in the index) and the plans without due_from (due_by in today … upto).
    Counted as _DUE reads (the list still does, in due order) it was a range of due_by ≥ today: every future plan,
    164,000 read for 25,000 due at a million cadres."""
    def part(*conds):
        return select(func.count()).select_from(_p).where(_PLANNED, *conds).scalar_subquery()
    return select(part(_p.c.due_from <= _DAY, _p.c.due_by >= _DAY)
                  + part(_p.c.due_from.is_(None), _p.c.due_by >= _DAY, _p.c.due_by <= _UPTO))


_VISITS_DUE = _visit_statements(_DUE, _count_due())
_VISITS_OVERDUE = _visit_statements(_OVERDUE)


def _due_params(session: Session, today: date) -> dict:
    return {"today": today, "upto": today + timedelta(days=lead_days(session)[0])}


def count_visits_due(session: Session, actor: Actor, today: date) -> int:
    actor.require("read")
    return _read(session, _VISITS_DUE[0], _due_params(session, today)).scalar_one()


def list_visits_due(session: Session, actor: Actor, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    units = list_labels(session)
    return [DashRow(cadre_id=cid, name=name, unit_name=units.get(unit, ""), when=due, ref_id=pid,
                    detail=f"第{seq}次回访（{purpose}），应于 {due.isoformat()} 前完成")
            for cid, name, unit, due, pid, seq, purpose
            in _run_list(session, _VISITS_DUE, _due_params(session, today), limit, offset)]


def count_visits_overdue(session: Session, actor: Actor, today: date) -> int:
    actor.require("read")
    return _read(session, _VISITS_OVERDUE[0], {"today": today}).scalar_one()


def list_visits_overdue(session: Session, actor: Actor, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    units = list_labels(session)
    return [DashRow(cadre_id=cid, name=name, unit_name=units.get(unit, ""), when=due, ref_id=pid,
                    detail=f"第{seq}次回访（{purpose}），已逾期 {(today - due).days} 天")
            for cid, name, unit, due, pid, seq, purpose
            in _run_list(session, _VISITS_OVERDUE, {"today": today}, limit, offset)]


# ----------------------------------------------------------------------------------------------- 函询, 澄清


_i, _k = Inquiry.__table__, Clarification.__table__


def _inquiry_base(*cols, joined: bool = True):
    stmt = select(*cols).select_from(_i)
    if joined:
        stmt = stmt.join(_c, _c.c.id == _i.c.cadre_id)
    return (
        stmt
        # due_on wrapped so that no index offers a range of it: the planner then reads ix_inquiry_open (the
        # unanswered ones alone, in due order) rather than a range of ix_inquiry_due_on (every inquiry ever sent),
        # which it took on a database whose statistics were made when it was nearly empty
        .where(_i.c.replied_on.is_(None), _i.c.withdrawn_at.is_(None), func.coalesce(_i.c.due_on, _i.c.due_on) < _DAY)
    )


# The counts read the records alone: cadre_id and accusation_id are NOT NULL foreign keys (enforced, on SQLite by
# PRAGMA foreign_keys), so the joins of the lists drop no row; they read a cadre and an accusation page per record
# (澄清正名待办 at a million cadres: 12 ms for 3,000 records).
_INQUIRIES_OVERDUE = _with_page(
    _inquiry_base(func.count(_i.c.id), joined=False),
    _inquiry_base(_c.c.id, _c.c.name, _c.c.unit_id, _i.c.due_on, _i.c.id, _i.c.sent_on)
    .order_by(_i.c.due_on, _i.c.id))


def count_inquiries_overdue(session: Session, actor: Actor, today: date) -> int:
    actor.require("read")
    return _read(session, _INQUIRIES_OVERDUE[0], {"today": today}).scalar_one()


def _inquiry_detail(sent: date, due: date, today: date) -> str:
    return f"{sent.isoformat()} 发出函询，应于 {due.isoformat()} 前回复，已逾期 {(today - due).days} 天"


def list_inquiries_overdue(session: Session, actor: Actor, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    units = list_labels(session)
    return [DashRow(cadre_id=cid, name=name, unit_name=units.get(unit, ""), when=due,
                    detail=functools.partial(_inquiry_detail, sent, due, today),
                    ref_id=iid)
            for cid, name, unit, due, iid, sent
            in _run_list(session, _INQUIRIES_OVERDUE, {"today": today}, limit, offset)]


# The statuses as literals, in the order of the partial index's WHERE (models/entities/accusation.py): SQLite
# uses a partial index only for a query whose WHERE repeats its terms, and bound parameters never do.
_WAITING = and_(_k.c.withdrawn_at.is_(None), _k.c.status.not_in([literal(v, literal_execute=True)
                                                                   for v in CLARIFICATION_CLOSED]))


def _clar_list(paged: bool):
    """The waiting clarifications in their order, read in that order from ix_clarification_waiting (the outcome
    date is on the clarification row: Clarification.outcome_on); paged, the page is chosen before the cadre is
    joined (joining all of them first cost 20 ms at a million cadres for a page of 200, 4 ms at 100,000)."""
    inner_q = (select(_k.c.id, _k.c.cadre_id, _k.c.status, _k.c.outcome_on).select_from(_k)
               .where(_WAITING)
               .order_by(_k.c.outcome_on, _k.c.id))
    if paged:
        inner_q = inner_q.limit(_LIMIT).offset(_OFFSET)
    inner = inner_q.subquery()
    return (select(_c.c.id, _c.c.name, _c.c.unit_id, inner.c.outcome_on, inner.c.id, inner.c.status)
            .select_from(inner).join(_c, _c.c.id == inner.c.cadre_id)
            .order_by(inner.c.outcome_on, inner.c.id))


_CLARIFICATIONS_WAITING = (select(func.count(_k.c.id)).select_from(_k).where(_WAITING), _clar_list(paged=False),
                           _clar_list(paged=True))


def count_clarifications_waiting(session: Session, actor: Actor, today: date) -> int:
    actor.require("read")
    return _read(session, _CLARIFICATIONS_WAITING[0], {}).scalar_one()


def _clarification_detail(labels: dict, status: str, on: date | None) -> str:
    return f"澄清正名{labels.get(status, status)}" + (f"（举报于 {on.isoformat()} 查结）" if on else "")


def list_clarifications_waiting(session: Session, actor: Actor, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    units = list_labels(session)
    labels = _clarification_labels()  # once a page: the function imports
    return [DashRow(cadre_id=cid, name=name, unit_name=units.get(unit, ""), when=on,
                    detail=functools.partial(_clarification_detail, labels, status, on),
                    ref_id=clar_id)
            for cid, name, unit, on, clar_id, status in _run_list(session, _CLARIFICATIONS_WAITING, {}, limit, offset)]


def _clarification_labels() -> dict:
    from models.services.clarifications import STATUS_LABELS  # when the list opens, not at start-up

    return STATUS_LABELS


# ----------------------------------------------------------------------------------------------- use first
# The commendations engineer owns the rule (models.services.commendations.priority_for_use): commended since
# `since`, in post, off date not after today and no running promotion-type restriction. The tile counts with
# count_priority, built from the very same conditions, so that the tile and the list always agree.

def count_recommended(session: Session, actor: Actor, today: date) -> int:
    actor.require("read")
    return count_priority(session, actor, today=today, since=_years_before(today, commendation_years(session)))


def list_recommended(session: Session, actor: Actor, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    since = _years_before(today, commendation_years(session))
    found = priority_for_use(session, actor, today=today, since=since, limit=limit, offset=offset)
    out = []
    for r in found:  # unit names as the rule's query has them; labelled below
        marks = "、".join(m for m, on in (("急难险重", r.urgent_task), ("双胜利", r.double_victory)) if on)
        out.append(DashRow(
            cadre_id=r.cadre_id, name=r.name, unit_name=r.unit_name or "", when=r.latest_on,
            detail=f"受表彰奖励 {r.commendations} 次" + (f"（{marks}）" if marks else "") + "，无正在执行的限制",
        ))
    return _label_units(session, out)


# ----------------------------------------------------------------------------------------------- tasks


def count_tasks_open(session: Session, actor: Actor, today: date) -> int:
    actor.require("read")
    return task_service.count_open(session, actor)


def list_tasks_open(session: Session, actor: Actor, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    return _label_units(session, [DashRow(cadre_id=t.cadre_id or 0, name=t.cadre_name, unit_name=t.unit_name,
                                          when=t.due_on, detail=f"{t.kind_label}：{t.title}", ref_id=t.id)
                                  for t in task_service.list_open(session, actor, limit, offset)])


# ----------------------------------------------------------------------------------------------- tiles


def getting_started(session: Session) -> tuple[bool, bool]:
    """(any live unit, any live cadre): an empty database makes the 工作台 say what to do first."""
    has_units = _read(session, select(exists().where(_u.c.withdrawn_at.is_(None))), {}).scalar()
    has_cadres = _read(session, select(exists().where(_c.c.withdrawn_at.is_(None))), {}).scalar()
    return bool(has_units), bool(has_cadres)


# (cadre id, unit id) of the cadres of parameter "ids" (a list; at most a few hundred): built once, so that it is
# compiled once — a list of literal ids was compiled anew for every page. Also for an export naming full paths.
CADRE_UNITS = select(_c.c.id, _c.c.unit_id).where(_c.c.id.in_(bindparam("ids", expanding=True)))


def list_keys(session: Session) -> list[tuple[str, str, str]]:
    """(key, title, hint) of every 工作台 list, in display order."""
    keys = [(f"coming_off_{d}", f"{d}天内影响期满", f"影响期将在 {d} 天内结束的干部") for d in lead_days(session)]
    keys += [
        ("awaiting_assessment", "期满待考核", "影响期已满、尚未进行影响期满考核的干部"),
        ("visits_due", "回访到期", "回访时间已到、尚未完成的回访"),
        ("visits_overdue", "回访逾期", "超过应完成日期仍未回访"),
        ("inquiries_overdue", "函询逾期未复", "超过回复期限仍未回复的函询"),
        ("clarifications_waiting", "澄清正名待办", "尚未办结的澄清正名"),
        ("recommended", "优先考虑使用", "近年受表彰奖励、无正在执行的限制的干部"),
        ("tasks_open", "待办事项", "程序生成的待办：撤销处分后恢复名誉、诬告陷害查处"),
    ]
    return keys


def count(session: Session, actor: Actor, key: str, today: date) -> int:
    actor.require("read")
    if key.startswith("coming_off_"):
        return count_coming_off(session, actor, today, int(key.rsplit("_", 1)[1]))
    return _COUNTS[key](session, actor, today)


def rows(session: Session, actor: Actor, key: str, today: date, limit: int | None = 200, offset: int = 0) -> list[DashRow]:
    actor.require("read")
    if key.startswith("coming_off_"):
        return list_coming_off(session, actor, today, int(key.rsplit("_", 1)[1]), limit, offset)
    return _LISTS[key](session, actor, today, limit, offset)


def _label_units(session: Session, found: list[DashRow]) -> list[DashRow]:
    """For the lists whose rows come from another service with the unit's plain name (the other lists label
    from the unit id they read): a unit name that several units bear is shown with as much of its path as tells
    it apart. Only the rows showing such a name need their unit looked up."""
    labels, shared = labels_and_shared_names(session)
    ids = sorted({r.cadre_id for r in found if r.cadre_id and r.unit_name in shared})
    unit_of: dict[int, int | None] = {}
    for i in range(0, len(ids), 500):
        unit_of.update(_read(session, CADRE_UNITS, {"ids": ids[i:i + 500]}).all())
    for r in found:
        label = labels.get(unit_of.get(r.cadre_id))
        if label:
            r.unit_name = label
    return found


def tiles(session: Session, actor: Actor, today: date) -> list[Tile]:
    actor.require("read")
    return [Tile(key, title, count(session, actor, key, today), hint) for key, title, hint in list_keys(session)]


_COUNTS = {
    "awaiting_assessment": count_awaiting_assessment, "visits_due": count_visits_due,
    "visits_overdue": count_visits_overdue, "inquiries_overdue": count_inquiries_overdue,
    "clarifications_waiting": count_clarifications_waiting, "recommended": count_recommended,
    "tasks_open": count_tasks_open,
}
_LISTS = {
    "awaiting_assessment": list_awaiting_assessment, "visits_due": list_visits_due,
    "visits_overdue": list_visits_overdue, "inquiries_overdue": list_inquiries_overdue,
    "clarifications_waiting": list_clarifications_waiting, "recommended": list_recommended,
    "tasks_open": list_tasks_open,
}
