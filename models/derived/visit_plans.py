"""Visit plans kept in step with the engine (derived data, like restrictions: not audited).

`sync_plans_for_cadre(session, cadre_id, today)` makes the stored plans of every decision of one cadre match
what the local rule (models/rules/visit_plan.py) asks for, given the restrictions the engine derived: new plans
are added, open ("planned") plans are moved when a review changed the decision, and cancelled (status
"cancelled", with the reason in `note`, never deleted) when a review revoked it, it was withdrawn or its kind
is no longer covered. Done plans are never touched.
It must run after every handling/review write (after `models.derived.restrictions.recompute_cadre`); the visit
services call it on every visit read/write of one cadre, and `sync_stale(session, today)` finds the cadres whose
handling rows changed since their plans were made (the visits page and the 工作台 call it on refresh).
Statuses: "planned" / "done" / "cancelled" (the 工作台 reads planned plans by due_by).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Sequence

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from models.core import settings_store
from models.derived.restrictions import effective_review
from models.entities import Cadre, Handling, Restriction, Review, VisitPlan
from models.entities.visit import CADRE_WITHDRAWN_NOTE
from models.rules.visit_plan import HandlingFacts, PlannedVisit, VisitRule, plan_for, rule_from_json, why_no_plans


def load_rule(session: Session) -> VisitRule:
    return rule_from_json(settings_store.get(session, "visits.rule"))


@dataclass(frozen=True)
class SyncResult:
    created: int = 0
    moved: int = 0
    cancelled: int = 0
    reopened: int = 0


def current_kind(h: Handling) -> str:
    """The kind in force: the new kind of the latest 'changed' review, else the recorded kind."""
    review = effective_review(h.reviews)
    if review is not None and review.outcome == "changed" and review.kind:
        return review.kind
    return h.kind


def facts_of(h: Handling) -> HandlingFacts:
    return HandlingFacts(regime=h.regime, kind=current_kind(h), effective=h.effective_on, status=h.status,
                         withdrawn=h.withdrawn_at is not None)


def _desired(h: Handling, restrictions: Sequence[Restriction], rule: VisitRule) -> list[PlannedVisit]:
    return plan_for(facts_of(h), restrictions, rule)


def sync_plans_for_cadre(session: Session, cadre_id: int, today: date, rule: VisitRule | None = None) -> SyncResult:
    """Make the stored plans of one cadre follow its decisions and the engine (see the module docstring).

    A decision gets plans for the first time only while its period is still running on `today` (or, without an
    off date, while its first talk is not yet overdue), so that entering old, finished decisions does not fill
    the 工作台 with overdue visits.
    """
    return sync_plans_for_cadres(session, [cadre_id], today, rule)


def sync_plans_for_cadres(session: Session, cadre_ids: Sequence[int], today: date,
                          rule: VisitRule | None = None) -> SyncResult:
    """sync_plans_for_cadre for many cadres at once: three reads, one bulk insert, one flush."""
    rule = rule or load_rule(session)
    ids = list(cadre_ids)
    if not ids:
        return SyncResult()
    handlings = list(session.execute(
        select(Handling).where(Handling.cadre_id.in_(ids)).options(selectinload(Handling.reviews)).order_by(Handling.id)
    ).scalars())
    if not handlings:
        return SyncResult()
    hids = [h.id for h in handlings]
    restrictions: dict[int, list[Restriction]] = {}
    for r in session.execute(select(Restriction).where(Restriction.cadre_id.in_(ids))).scalars():
        restrictions.setdefault(r.handling_id, []).append(r)
    plans: dict[int, list[VisitPlan]] = {}
    for p in session.execute(select(VisitPlan).where(VisitPlan.handling_id.in_(hids)).order_by(VisitPlan.id)).scalars():
        plans.setdefault(p.handling_id, []).append(p)
    gone = set(session.execute(select(Cadre.id).where(Cadre.id.in_(ids), Cadre.withdrawn_at.is_not(None))).scalars())
    new_rows: list[dict] = []
    moved = cancelled = reopened = 0
    for h in handlings:
        existing = plans.get(h.id, [])
        # a withdrawn cadre keeps no open plans (the 工作台 counts read visit_plan alone)
        desired = [] if h.cadre_id in gone else _desired(h, restrictions.get(h.id, []), rule)
        if not existing and desired:
            off = h.off_date
            running = (off > today) if off is not None else (desired[0].due_by >= today)
            if not running:
                continue
        by_code = {p.code: p for p in existing if p.code}
        wanted = {d.code for d in desired}
        for d in desired:
            p = by_code.get(d.code)
            if p is None:
                new_rows.append(dict(handling_id=h.id, cadre_id=h.cadre_id, seq=d.seq, code=d.code, purpose=d.purpose,
                                     due_from=d.due_from, due_by=d.due_by, status="planned", note=d.note, version=1))
                continue
            if p.status == "done":
                if p.seq != d.seq:
                    p.seq = d.seq
                continue
            if p.status == "cancelled":
                p.status = "planned"
                reopened += 1
            if (p.due_from, p.due_by, p.seq, p.purpose, p.note) != (d.due_from, d.due_by, d.seq, d.purpose, d.note):
                if (p.due_from, p.due_by) != (d.due_from, d.due_by):
                    moved += 1
                p.due_from, p.due_by, p.seq, p.purpose, p.note = d.due_from, d.due_by, d.seq, d.purpose, d.note
        reason = (CADRE_WITHDRAWN_NOTE if h.cadre_id in gone else why_no_plans(facts_of(h), rule)) \
            or "决定变更后按回访规则不再需要这次回访，计划取消。"
        for p in existing:
            if p.status == "planned" and p.code not in wanted:
                p.status = "cancelled"
                p.note = reason
                cancelled += 1
    session.flush()
    if new_rows:
        session.execute(insert(VisitPlan), new_rows)
    return SyncResult(len(new_rows), moved, cancelled, reopened)


SYNC_CHUNK = 500


def _sync_chunks(session: Session, ids: list[int], today: date, rule: VisitRule, progress=None) -> None:
    for i in range(0, len(ids), SYNC_CHUNK):
        if progress is not None:
            progress.check()
            progress.update(i, len(ids), f"正在更新回访计划（{i}/{len(ids)}）")
        sync_plans_for_cadres(session, ids[i:i + SYNC_CHUNK], today, rule)


def sync_all(session: Session, today: date, progress=None) -> int:
    """After the rule changed: refresh the plans of every cadre that has decisions. Returns the count."""
    rule = load_rule(session)
    ids = list(session.execute(select(Handling.cadre_id).distinct().order_by(Handling.cadre_id)).scalars())
    _sync_chunks(session, ids, today, rule, progress)
    return len(ids)


def stale_cadres(session: Session, today: date, rule: VisitRule | None = None) -> list[int]:
    """Cadres whose plans may no longer match their decisions (one indexed query, no ORM objects):
    a covered decision still running without any plan, or a decision row changed after its plans were made."""
    rule = rule or load_rule(session)
    pairs = [tuple(c.split(".", 1)) for c in rule.covered]
    last_plan = (select(VisitPlan.handling_id.label("hid"), func.max(VisitPlan.updated_at).label("at"))
                 .group_by(VisitPlan.handling_id).subquery())
    covered = or_(*[and_(Handling.regime == r, Handling.kind == k) for r, k in pairs]) if pairs else False
    running = or_(Handling.off_date > today,
                  and_(Handling.off_date.is_(None), Handling.effective_on >= today - timedelta(days=rule.first_talk_days)))
    without = and_(last_plan.c.hid.is_(None), Handling.withdrawn_at.is_(None), Handling.status.in_(("in_force", "changed")),
                   covered, running)
    changed = and_(last_plan.c.hid.is_not(None), Handling.updated_at > last_plan.c.at)
    # no DISTINCT: it would make SQLite walk handling in cadre order through an index (3× slower than a scan)
    stmt = (select(Handling.cadre_id).select_from(Handling)
            .outerjoin(last_plan, last_plan.c.hid == Handling.id).where(or_(without, changed)))
    return sorted(set(session.execute(stmt).scalars()))


def sync_stale(session: Session, today: date, progress=None) -> int:
    """Refresh the plans of the cadres `stale_cadres` finds; returns how many were refreshed."""
    rule = load_rule(session)
    ids = stale_cadres(session, today, rule)
    _sync_chunks(session, ids, today, rule, progress)
    # plans that did not need to change: mark them as looked at, so that they are not found again
    for i in range(0, len(ids), SYNC_CHUNK):
        session.execute(update(VisitPlan).where(VisitPlan.cadre_id.in_(ids[i:i + SYNC_CHUNK]))
                        .values(updated_at=func.current_timestamp()).execution_options(synchronize_session=False))
    if ids:
        session.expire_all()
    return len(ids)


def current_kinds(session: Session, handlings: dict[int, str]) -> dict[int, str]:
    """`current_kind` for many decisions at once from plain columns: {handling id: recorded kind} → kind in force
    (one query over the reviews of these decisions, no ORM objects)."""
    out = dict(handlings)
    ids = list(handlings)
    for i in range(0, len(ids), 500):
        stmt = (select(Review.handling_id, Review.outcome, Review.new_kind)
                .where(Review.handling_id.in_(ids[i:i + 500]), Review.withdrawn_at.is_(None),
                       Review.outcome.in_(("revoked", "changed")))
                .order_by(Review.handling_id, Review.decided_on, Review.id))
        last: dict[int, tuple[str, str | None]] = {}
        for hid, outcome, new_kind in session.execute(stmt):
            last[hid] = (outcome, new_kind)  # ordered by date: the latest one wins
        for hid, (outcome, new_kind) in last.items():
            if outcome == "changed" and new_kind:
                out[hid] = new_kind
    return out
