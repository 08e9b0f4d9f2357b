"""回访教育: visit plans kept in step with the engine, visit records (domain §2.4), lists and document rows.

Plans
- `sync_plans_for_cadre(session, cadre_id, today)` makes the stored plans of every decision of one cadre match
  what the local rule (models/rules/visit_plan.py) asks for, given the restrictions the engine derived: new plans
  are added, open ("planned") plans are moved when a review changed the decision, and cancelled (status
  "cancelled", with the reason in `note`, never deleted) when a review revoked it, it was withdrawn or its kind
  is no longer covered. Done plans are never touched. Plans are derived data like restrictions: not audited.
- It must run after every handling/review write (after `models.derived.restrictions.recompute_cadre`); this module calls
  it on every visit read/write of one cadre, and `sync_stale(session, today)` finds the cadres whose handling
  rows changed since their plans were made (the visits page and the 工作台 call it on refresh).
- Statuses: "planned" / "done" / "cancelled" (the 工作台 reads planned plans by due_by).

Visits
- `record_visit` refuses a visit dated before the decision or in the future, fewer than two visitors (each with
  name and post), a visit on a revoked or withdrawn decision; saving marks its plan done (and any open plan of the
  same purpose of another decision of the same cadre whose window contains the date — one talk serves a party
  and a government sanction of the same matter).
- `withdraw_visit` withdraws with a reason; its plans open again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Sequence

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from models.core import audit, settings_store
from models.rules import rule_table as rt
from models.core.actor import Actor
from models.derived.restrictions import effective_review
from models.entities import Cadre, Handling, Restriction, Review, Unit, Visit, VisitPlan
from models.entities.visit import CADRE_WITHDRAWN_NOTE
from models.core.errors import ConflictError, NotFoundError, ValidationError
from models.rules.visit_plan import (
    HandlingFacts, PlannedVisit, VisitRule, plan_for, rule_from_json, why_no_plans,
)

FORMS = ("谈心谈话", "走访", "书面", "集中座谈")
FINDING_HEADINGS = (
    "对错误的认识", "整改落实情况", "思想状况", "工作表现与实绩", "遵规守纪和作风", "群众评价", "困难与诉求",
    "处分决定执行情况", "单位日常教育管理情况",
)
PLAN_STATUSES = ("planned", "done", "cancelled")
PLAN_STATUS_LABELS = {"planned": "待回访", "done": "已回访", "cancelled": "已取消"}
STATE_LABELS = {"upcoming": "未到期", "due": "应回访", "overdue": "已逾期", "done": "已回访", "cancelled": "已取消"}
MIN_VISITORS = 2
REASON_MIN = 4
TEXT_MAX = 2000


# ----------------------------------------------------------------------------------------------- settings


def load_rule(session: Session) -> VisitRule:
    return rule_from_json(settings_store.get(session, "visits.rule"))


def evaluations(session: Session) -> list[str]:
    return [str(v) for v in settings_store.get(session, "visits.evaluations") or []] or ["好", "一般", "较差"]


def recommendations(session: Session) -> list[str]:
    return [str(v) for v in settings_store.get(session, "visits.recommendations") or []]


def save_settings(session: Session, actor: Actor, rule: dict, evaluation_list: Sequence[str],
                  recommendation_list: Sequence[str], today: date, progress=None) -> int:
    """设置 → 回访规则: validate and store, then refresh every cadre's plans. Returns the cadres refreshed."""
    actor.require("admin")
    parsed = rule_from_json(rule)
    evals = _clean_list(evaluation_list, "回访评价")
    recs = _clean_list(recommendation_list, "意见建议", allow_empty=True)
    settings_store.put(session, actor, "visits.rule", parsed.to_json())
    settings_store.put(session, actor, "visits.evaluations", evals)
    settings_store.put(session, actor, "visits.recommendations", recs)
    return sync_all(session, today, progress)


def _clean_list(values: Sequence[str], label: str, allow_empty: bool = False) -> list[str]:
    out: list[str] = []
    for v in values:
        text = (v or "").strip()
        if text and text not in out:
            if len(text) > 20:
                raise ValidationError(f"“{label}”中的“{text}”太长（最多 20 个字）。请改短。", label)
            out.append(text)
    if not out and not allow_empty:
        raise ValidationError(f"“{label}”至少要有一项，例如“好”“一般”“较差”。", label)
    return out


# ----------------------------------------------------------------------------------------------- plans


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


# ----------------------------------------------------------------------------------------------- plan rows


@dataclass(frozen=True)
class PlanRow:
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    handling_id: int
    handling_label: str
    seq: int
    purpose: str
    due_from: date | None
    due_by: date
    status: str
    state: str  # upcoming / due / overdue / done / cancelled (judged against today)
    visit_id: int | None
    note: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def window_text(self) -> str:
        start = self.due_from.isoformat() if self.due_from else ""
        return f"{start} 至 {self.due_by.isoformat()}" if start else f"{self.due_by.isoformat()} 前"


def plan_state(status: str, due_from: date | None, due_by: date, today: date) -> str:
    if status != "planned":
        return status
    if due_by < today:
        return "overdue"
    if due_from is None or due_from <= today:
        return "due"
    return "upcoming"


PLAN_FILTERS = ("due", "overdue", "open", "all")
PLAN_FILTER_LABELS = {"due": "应回访", "overdue": "已逾期", "open": "全部待回访", "all": "全部计划"}


def _plan_where(which: str, today: date, cadre_id: int | None) -> list:
    """Conditions on visit_plan alone. An open plan always belongs to a live decision of a live cadre (plans are
    cancelled when either is withdrawn: models/entities/visit.py), so only "all" has to leave withdrawn cadres out;
    it does so through the few withdrawn cadre ids (a range of ix_cadre_search), not a join."""
    if which not in PLAN_FILTERS:
        raise ValidationError(f"不认识的计划筛选“{which}”。", "which")
    where = []
    if cadre_id is not None:
        where.append(VisitPlan.cadre_id == cadre_id)
    if which == "all":
        where.append(VisitPlan.cadre_id.not_in(select(Cadre.id).where(Cadre.withdrawn_at.is_not(None))))
    else:
        where.append(VisitPlan.status == "planned")
    if which == "due":
        where += [VisitPlan.due_by >= today, or_(VisitPlan.due_from.is_(None), VisitPlan.due_from <= today)]
    elif which == "overdue":
        where.append(VisitPlan.due_by < today)
    return where


def count_plans(session: Session, today: date, which: str = "open", cadre_id: int | None = None) -> int:
    """How many plans `list_plans` lists (one count over visit_plan, no joins)."""
    stmt = select(func.count()).select_from(VisitPlan).where(*_plan_where(which, today, cadre_id))
    return session.execute(stmt).scalar_one()


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


def list_plans(session: Session, today: date, which: str = "open", cadre_id: int | None = None, *,
               limit: int | None = 500, offset: int = 0) -> list[PlanRow]:
    """Plans by due date, one page (`offset`, `limit`) from one query of plain columns."""
    cols = [VisitPlan.id, VisitPlan.cadre_id, Cadre.name, Unit.name, VisitPlan.handling_id, Handling.regime,
            Handling.kind, VisitPlan.seq, VisitPlan.purpose, VisitPlan.due_from, VisitPlan.due_by, VisitPlan.status,
            VisitPlan.visit_id, VisitPlan.note]
    stmt = (select(*cols).select_from(VisitPlan).join(Cadre, Cadre.id == VisitPlan.cadre_id)
            .join(Handling, Handling.id == VisitPlan.handling_id).outerjoin(Unit, Unit.id == Cadre.unit_id)
            .where(*_plan_where(which, today, cadre_id)).order_by(VisitPlan.due_by, VisitPlan.id))
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = session.execute(stmt).all()
    kinds = current_kinds(session, {r[4]: r[6] for r in rows})
    return [PlanRow(id=r[0], cadre_id=r[1], cadre_name=r[2], unit_name=r[3] or "", handling_id=r[4],
                    handling_label=rt.full_label(r[5], kinds[r[4]]), seq=r[7], purpose=r[8], due_from=r[9],
                    due_by=r[10], status=r[11], state=plan_state(r[11], r[9], r[10], today), visit_id=r[12],
                    note=r[13] or "")
            for r in rows]


# ----------------------------------------------------------------------------------------------- visits


@dataclass
class VisitInput:
    handling_id: int
    visited_on: date | None
    form: str
    visitors: list[dict]  # [{"name": "王五", "post": "区纪委第一纪检监察室主任"}, …]
    place: str | None = None
    plan_id: int | None = None  # None: the open plan whose window holds the date (else the oldest overdue one)
    others_present: str | None = None
    findings: dict[str, str] = field(default_factory=dict)  # FINDING_HEADINGS → text
    evaluation: str | None = None
    recommendation: str | None = None
    suggestions: str | None = None
    next_steps: str | None = None
    next_due: date | None = None
    attachments: str | None = None


@dataclass(frozen=True)
class VisitRow:
    id: int
    record_no: str
    cadre_id: int
    cadre_name: str
    unit_name: str
    handling_id: int
    handling_label: str
    seq: int | None
    visited_on: date
    place: str
    form: str
    visitors: list[dict]
    others_present: str
    findings: dict[str, str]
    evaluation: str
    recommendation: str
    suggestions: str
    next_steps: str
    next_due: date | None
    attachments: str
    plan_id: int | None
    plan_purpose: str
    version: int
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawn_reason: str | None = None

    @property
    def visitors_text(self) -> str:
        return "、".join(f"{v.get('name', '')}（{v.get('post', '')}）" if v.get("post") else v.get("name", "")
                        for v in self.visitors)


def _handling(session: Session, handling_id: int) -> Handling:
    h = session.get(Handling, handling_id)
    if h is None:
        raise NotFoundError(f"找不到编号为 {handling_id} 的处理处分记录。请刷新列表后重新选择。")
    return h


def _text(value: str | None, label: str, field_name: str, max_len: int = TEXT_MAX) -> str | None:
    text = (value or "").strip()
    if len(text) > max_len:
        raise ValidationError(f"“{label}”最多 {max_len} 个字，现有 {len(text)} 个字。请精简。", field_name)
    return text or None


def decision_date(h: Handling) -> date:
    """The earliest date on the decision (decided / approved / effective): no visit can come before it."""
    return min(d for d in (h.decided_on, h.approved_on, h.effective_on) if d is not None)


def _validate(session: Session, data: VisitInput, h: Handling, today: date) -> tuple[list[dict], dict[str, str]]:
    if h.withdrawn_at is not None:
        raise ValidationError("这条处理处分记录已被撤回，不能再登记回访。请选择该干部其他有效的处理处分记录。", "handling_id")
    if h.status == "revoked":
        raise ValidationError(
            f"“{rt.full_label(h.regime, h.kind)}”的决定已经撤销，不能再登记回访。撤销后应办理恢复名誉，而不是回访教育。",
            "handling_id")
    if data.visited_on is None:
        raise ValidationError("请填写回访日期。", "visited_on")
    if data.visited_on > today:
        raise ValidationError(
            f"回访日期 {data.visited_on.isoformat()} 在今天（{today.isoformat()}）之后。回访应在进行后登记，请核对日期。",
            "visited_on")
    first = decision_date(h)
    if data.visited_on < first:
        raise ValidationError(
            f"回访日期 {data.visited_on.isoformat()} 早于处分决定的日期 {first.isoformat()}。"
            "回访教育只能在决定作出后进行，请核对回访日期或所选的处理处分记录。", "visited_on")
    if data.form not in FORMS:
        raise ValidationError(f"请选择回访方式：{'、'.join(FORMS)}。", "form")
    visitors = []
    for v in data.visitors or []:
        name, post = (v.get("name") or "").strip(), (v.get("post") or "").strip()
        if not name and not post:
            continue
        if not name:
            raise ValidationError(f"回访人“{post}”没有填写姓名。请补上姓名。", "visitors")
        if not post:
            raise ValidationError(f"回访人“{name}”没有填写职务。请补上职务（如“区纪委第一纪检监察室主任”）。", "visitors")
        if len(name) > 40 or len(post) > 100:
            raise ValidationError(f"回访人“{name[:40]}”的姓名或职务太长。请精简。", "visitors")
        visitors.append({"name": name, "post": post})
    if len(visitors) < MIN_VISITORS:
        raise ValidationError(
            f"回访人至少 {MIN_VISITORS} 名（现有 {len(visitors)} 名）。回访应由两人以上进行，请补填回访人的姓名和职务。",
            "visitors")
    findings = {}
    for heading, text in (data.findings or {}).items():
        if heading not in FINDING_HEADINGS:
            raise ValidationError(f"“了解情况”中没有“{heading}”这一项。", "findings")
        cleaned = _text(text, heading, "findings")
        if cleaned:
            findings[heading] = cleaned
    evals = evaluations(session)
    if data.evaluation not in evals:
        raise ValidationError(f"请选择回访评价：{'、'.join(evals)}。", "evaluation")
    if data.next_due is not None and data.next_due < data.visited_on:
        raise ValidationError("后续措施的完成时限早于回访日期。请核对时限。", "next_due")
    return visitors, findings


def _choose_plan(session: Session, h: Handling, data: VisitInput) -> VisitPlan | None:
    if data.plan_id is not None:
        plan = session.get(VisitPlan, data.plan_id)
        if plan is None or plan.handling_id != h.id:
            raise ValidationError("所选的回访计划不属于这条处理处分记录。请重新选择。", "plan_id")
        if plan.status != "planned":
            raise ValidationError(
                f"所选的回访计划（第{plan.seq}次，{plan.purpose}）{PLAN_STATUS_LABELS[plan.status]}，不能再对应新的回访。"
                "请选择其他计划，或选“自动对应”。", "plan_id")
        return plan
    open_plans = [p for p in session.execute(
        select(VisitPlan).where(VisitPlan.handling_id == h.id, VisitPlan.status == "planned").order_by(VisitPlan.due_by)
    ).scalars()]
    d = data.visited_on
    for p in open_plans:
        if (p.due_from is None or p.due_from <= d) and d <= p.due_by:
            return p
    for p in open_plans:
        if p.due_by < d:
            return p
    return None


def _kind_of_code(code: str | None) -> str:
    return re.sub(r"\d+$", "", code or "")


def _next_record_no(session: Session, year: int) -> str:
    prefix = f"{year}-"
    nos = session.execute(select(Visit.record_no).where(Visit.record_no.like(f"{prefix}%"))).scalars()
    top = max((int(n[len(prefix):]) for n in nos if n and n[len(prefix):].isdigit()), default=0)
    return f"{prefix}{top + 1:04d}"


def _renumber(session: Session, handling_id: int) -> None:
    """回访次序 (第 n 次): live visits of one decision numbered by date."""
    live = session.execute(select(Visit).where(Visit.handling_id == handling_id, Visit.withdrawn_at.is_(None))
                           .order_by(Visit.visited_on, Visit.id)).scalars()
    for n, v in enumerate(live, 1):
        if v.seq != n:
            v.seq = n


def record_visit(session: Session, actor: Actor, data: VisitInput, today: date) -> VisitRow:
    actor.require("write")
    h = _handling(session, data.handling_id)
    sync_plans_for_cadre(session, h.cadre_id, today)
    visitors, findings = _validate(session, data, h, today)
    plan = _choose_plan(session, h, data)
    recs = recommendations(session)
    recommendation = _text(data.recommendation, "意见建议", "recommendation", 40)
    if recommendation and recs and recommendation not in recs:
        raise ValidationError(f"请从列表中选择意见建议：{'、'.join(recs)}；其他意见写在“意见建议说明”中。", "recommendation")
    v = Visit(
        record_no=_next_record_no(session, data.visited_on.year), handling_id=h.id, cadre_id=h.cadre_id,
        plan_id=plan.id if plan else None, visited_on=data.visited_on, place=_text(data.place, "地点", "place", 100),
        form=data.form, visitors=visitors, others_present=_text(data.others_present, "其他参加人", "others_present"),
        findings=findings, evaluation=data.evaluation, recommendation=recommendation,
        suggestions=_text(data.suggestions, "意见建议说明", "suggestions"),
        next_steps=_text(data.next_steps, "后续措施", "next_steps"), next_due=data.next_due,
        attachments=_text(data.attachments, "附件", "attachments", 500),
    )
    session.add(v)
    session.flush()
    _renumber(session, h.id)
    done = []
    if plan is not None:
        plan.status, plan.visit_id = "done", v.id
        done.append(plan)
        # the same talk serves an open plan of the same purpose of another decision of this cadre (same matter)
        for other in session.execute(select(VisitPlan).join(Handling, Handling.id == VisitPlan.handling_id).where(
                VisitPlan.cadre_id == h.cadre_id, VisitPlan.handling_id != h.id, VisitPlan.status == "planned",
                Handling.withdrawn_at.is_(None), VisitPlan.due_by >= v.visited_on,
                or_(VisitPlan.due_from.is_(None), VisitPlan.due_from <= v.visited_on))).scalars():
            if _kind_of_code(other.code) == _kind_of_code(plan.code):
                other.status, other.visit_id = "done", v.id
                done.append(other)
    session.flush()
    cadre = session.get(Cadre, h.cadre_id)
    audit.record(session, actor, "create", "visit", v.id, after=audit.snapshot(v), cadre_id=h.cadre_id,
                 summary=f"登记回访：{cadre.name if cadre else ''} 第{v.seq}次（{v.form}）"
                         + (f"，完成计划：{'、'.join(f'第{p.seq}次{p.purpose}' for p in done)}" if done else ""))
    return get_visit(session, v.id)


def withdraw_visit(session: Session, actor: Actor, visit_id: int, reason: str, version: int | None = None) -> None:
    actor.require("write")
    v = session.get(Visit, visit_id)
    if v is None:
        raise NotFoundError(f"找不到编号为 {visit_id} 的回访记录。请刷新列表。")
    if version is not None and v.version != version:
        raise ConflictError("这条回访记录已被其他人修改。请刷新后重试。")
    if v.withdrawn_at is not None:
        raise ValidationError("这条回访记录已经撤回。", None)
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError(f"请写明撤回的理由（至少 {REASON_MIN} 个字），例如“录入重复”。", "reason")
    v.withdrawn_at = datetime.now().replace(microsecond=0)
    v.withdrawn_by, v.withdrawn_reason = actor.username, reason
    reopened = []
    for p in session.execute(select(VisitPlan).where(VisitPlan.visit_id == v.id)).scalars():
        p.visit_id = None
        if p.status == "done":
            p.status = "planned"
            reopened.append(p)
    session.flush()
    _renumber(session, v.handling_id)
    audit.record(session, actor, "withdraw", "visit", v.id, after={"reason": reason}, cadre_id=v.cadre_id,
                 summary=f"撤回回访记录 {v.record_no}：{reason}")


def _visit_row(v: Visit, cadre: Cadre, unit_name: str, h: Handling, plan: VisitPlan | None) -> VisitRow:
    return VisitRow(
        id=v.id, record_no=v.record_no or "", cadre_id=v.cadre_id, cadre_name=cadre.name, unit_name=unit_name,
        handling_id=v.handling_id, handling_label=rt.full_label(h.regime, current_kind(h)), seq=v.seq,
        visited_on=v.visited_on, place=v.place or "", form=v.form, visitors=list(v.visitors or []),
        others_present=v.others_present or "", findings=dict(v.findings or {}), evaluation=v.evaluation or "",
        recommendation=v.recommendation or "", suggestions=v.suggestions or "", next_steps=v.next_steps or "",
        next_due=v.next_due, attachments=v.attachments or "", plan_id=v.plan_id,
        plan_purpose=plan.purpose if plan else "", version=v.version, withdrawn_at=v.withdrawn_at,
        withdrawn_by=v.withdrawn_by, withdrawn_reason=v.withdrawn_reason,
    )


def get_visit(session: Session, visit_id: int) -> VisitRow:
    v = session.get(Visit, visit_id)
    if v is None:
        raise NotFoundError(f"找不到编号为 {visit_id} 的回访记录。请检查编号。")
    cadre = session.get(Cadre, v.cadre_id)
    unit = session.get(Unit, cadre.unit_id) if cadre.unit_id else None
    return _visit_row(v, cadre, unit.name if unit else "", session.get(Handling, v.handling_id),
                      session.get(VisitPlan, v.plan_id) if v.plan_id else None)


_VISIT_COLS = (Visit.id, Visit.record_no, Visit.cadre_id, Cadre.name, Unit.name, Visit.handling_id, Handling.regime,
               Handling.kind, Visit.seq, Visit.visited_on, Visit.place, Visit.form, Visit.visitors, Visit.others_present,
               Visit.findings, Visit.evaluation, Visit.recommendation, Visit.suggestions, Visit.next_steps,
               Visit.next_due, Visit.attachments, Visit.plan_id, VisitPlan.purpose, Visit.version, Visit.withdrawn_at,
               Visit.withdrawn_by, Visit.withdrawn_reason)


def _visit_where(actor: Actor, date_from: date | None, date_to: date | None, cadre_id: int | None,
                 include_withdrawn: bool) -> list:
    where = []
    if not (include_withdrawn and actor.can("admin")):
        where.append(Visit.withdrawn_at.is_(None))
    if date_from is not None:
        where.append(Visit.visited_on >= date_from)
    if date_to is not None:
        where.append(Visit.visited_on <= date_to)
    if cadre_id is not None:
        where.append(Visit.cadre_id == cadre_id)
    return where


def count_visits(session: Session, actor: Actor, *, date_from: date | None = None, date_to: date | None = None,
                 cadre_id: int | None = None, include_withdrawn: bool = False) -> int:
    """How many visits `list_visits` lists with the same filters (visit table alone)."""
    actor.require("read")
    where = _visit_where(actor, date_from, date_to, cadre_id, include_withdrawn)
    return session.execute(select(func.count()).select_from(Visit).where(*where)).scalar_one()


def list_visits(session: Session, actor: Actor, *, date_from: date | None = None, date_to: date | None = None,
                cadre_id: int | None = None, include_withdrawn: bool = False, limit: int | None = 500,
                offset: int = 0) -> list[VisitRow]:
    """Visits by date (newest first), one page (`offset`, `limit`) from one query of plain columns plus one for the
    kinds changed on review. Withdrawn visits only for administrators and only when asked for."""
    actor.require("read")
    stmt = (select(*_VISIT_COLS).select_from(Visit).join(Cadre, Cadre.id == Visit.cadre_id)
            .join(Handling, Handling.id == Visit.handling_id).outerjoin(Unit, Unit.id == Cadre.unit_id)
            .outerjoin(VisitPlan, VisitPlan.id == Visit.plan_id)
            .where(*_visit_where(actor, date_from, date_to, cadre_id, include_withdrawn))
            .order_by(Visit.visited_on.desc(), Visit.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = session.execute(stmt).all()
    kinds = current_kinds(session, {r.handling_id: r.kind for r in rows})
    return [VisitRow(
        id=r.id, record_no=r.record_no or "", cadre_id=r.cadre_id, cadre_name=r[3], unit_name=r[4] or "",
        handling_id=r.handling_id, handling_label=rt.full_label(r.regime, kinds[r.handling_id]), seq=r.seq,
        visited_on=r.visited_on, place=r.place or "", form=r.form, visitors=list(r.visitors or []),
        others_present=r.others_present or "", findings=dict(r.findings or {}), evaluation=r.evaluation or "",
        recommendation=r.recommendation or "", suggestions=r.suggestions or "", next_steps=r.next_steps or "",
        next_due=r.next_due, attachments=r.attachments or "", plan_id=r.plan_id, plan_purpose=r.purpose or "",
        version=r.version, withdrawn_at=r.withdrawn_at, withdrawn_by=r.withdrawn_by,
        withdrawn_reason=r.withdrawn_reason) for r in rows]


# ----------------------------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class HandlingChoice:
    id: int
    label: str  # "党纪处分·严重警告（2024-03-15，X纪〔2024〕3号）"
    status: str
    visitable: bool


def handling_choices(session: Session, cadre_id: int, today: date) -> list[HandlingChoice]:
    """The decisions of one cadre a visit can be recorded on (revoked ones listed but not visitable)."""
    sync_plans_for_cadre(session, cadre_id, today)
    out = []
    for h in session.execute(select(Handling).where(Handling.cadre_id == cadre_id, Handling.withdrawn_at.is_(None))
                             .order_by(Handling.effective_on.desc(), Handling.id.desc())).scalars():
        extra = f"，{h.doc_number}" if h.doc_number else ""
        status = "（已撤销）" if h.status == "revoked" else ""
        out.append(HandlingChoice(h.id, f"{rt.full_label(h.regime, current_kind(h))}（{h.effective_on.isoformat()}{extra}）{status}",
                                  h.status, h.status != "revoked"))
    return out


def open_plans_of_handling(session: Session, handling_id: int, today: date) -> list[PlanRow]:
    h = _handling(session, handling_id)
    return [p for p in list_plans(session, today, "open", h.cadre_id, limit=None) if p.handling_id == handling_id]


@dataclass(frozen=True)
class CadreHit:
    id: int
    name: str
    unit_name: str


def find_cadres(session: Session, text: str, limit: int = 20) -> list[CadreHit]:
    """Cadres with decisions, by name / pinyin initials (for the visit dialog)."""
    text = (text or "").strip().lower()
    if not text:
        return []
    has_handling = select(Handling.id).where(Handling.cadre_id == Cadre.id, Handling.withdrawn_at.is_(None)).exists()
    stmt = (select(Cadre.id, Cadre.name, Unit.name).outerjoin(Unit, Unit.id == Cadre.unit_id)
            .where(Cadre.withdrawn_at.is_(None), has_handling,
                   or_(Cadre.name.contains(text), Cadre.name_initials.startswith(text), Cadre.name_pinyin.startswith(text)))
            .order_by(Cadre.name_pinyin, Cadre.id).limit(limit))
    return [CadreHit(r[0], r[1], r[2] or "") for r in session.execute(stmt)]


# ----------------------------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class VisitDocument:
    """Everything the 回访教育记录表 prints (domain §2.4), as plain values."""

    visit: VisitRow
    cadre_name: str
    gender: str
    birth: date | None
    political_status: str
    unit_name: str
    current_post: str
    handling_label: str
    organ: str
    doc_number: str
    decided_on: date | None
    effective_on: date
    period_start: date | None
    period_last_day: date | None
    facts: str
    org_name: str


def visit_document(session: Session, visit_id: int) -> VisitDocument:
    row = get_visit(session, visit_id)
    cadre = session.get(Cadre, row.cadre_id)
    h = session.get(Handling, row.handling_id)
    rs = list(session.execute(select(Restriction).where(Restriction.handling_id == h.id)).scalars())
    starts = [r.start for r in rs]
    from models.rules.visit_plan import period_off_date

    off = period_off_date(rs)
    return VisitDocument(
        visit=row, cadre_name=cadre.name, gender=cadre.gender or "", birth=cadre.birth_date,
        political_status=cadre.political_status or "", unit_name=row.unit_name, current_post=cadre.current_post or "",
        handling_label=row.handling_label, organ=h.organ or "", doc_number=h.doc_number or "",
        decided_on=h.approved_on or h.decided_on, effective_on=h.effective_on,
        period_start=min(starts) if starts else None, period_last_day=off - timedelta(days=1) if off else None,
        facts=h.facts or "", org_name=str(settings_store.get(session, "org.name") or ""),
    )


def visit_documents_in_period(session: Session, actor: Actor, date_from: date, date_to: date) -> list[VisitDocument]:
    if date_from > date_to:
        raise ValidationError(f"起始日期 {date_from.isoformat()} 晚于截止日期 {date_to.isoformat()}。请调换或改正。", "date_from")
    rows = list_visits(session, actor, date_from=date_from, date_to=date_to, limit=None)
    return [visit_document(session, r.id) for r in sorted(rows, key=lambda r: (r.visited_on, r.id))]
