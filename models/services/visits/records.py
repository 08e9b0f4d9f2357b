"""回访教育 records (domain §2.4): record, withdraw, read and list visits; the choices of the visit dialog.

- `record_visit` refuses a visit dated before the decision or in the future, fewer than two visitors (each with
  name and post), a visit on a revoked or withdrawn decision; saving marks its plan done (and any open plan of the
  same purpose of another decision of the same cadre whose window contains the date — one talk serves a party
  and a government sanction of the same matter).
- `withdraw_visit` withdraws with a reason; its plans open again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.core import audit, concurrency, withdrawal
from models.rules import rule_table as rt
from models.core.actor import Actor
from models.entities import Cadre, Handling, Unit, Visit, VisitPlan
from models.core.errors import ConflictError, NotFoundError, ValidationError
from models.derived.visit_plans import current_kind, current_kinds, sync_plans_for_cadre
from models.services.cadres.search import cadre_text_where
from models.services.unit_names import list_labels
from models.services.visits.settings import evaluations, recommendations
from models.services.visits.plans import PLAN_STATUS_LABELS, PlanRow, list_plans


FORMS = ("谈心谈话", "走访", "书面", "集中座谈")
FINDING_HEADINGS = (
    "对错误的认识", "整改落实情况", "思想状况", "工作表现与实绩", "遵规守纪和作风", "群众评价", "困难与诉求",
    "处分决定执行情况", "单位日常教育管理情况",
)


MIN_VISITORS = 2
REASON_MIN = 4
TEXT_MAX = 2000


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
    nos = session.execute(select(Visit.record_no).where(Visit.record_no.startswith(prefix, autoescape=True))).scalars()
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
    return get_visit(session, actor, v.id)


def withdraw_visit(session: Session, actor: Actor, visit_id: int, reason: str, version: int | None = None) -> None:
    actor.require("write")
    v = session.get(Visit, visit_id)
    if v is None:
        raise NotFoundError(f"找不到编号为 {visit_id} 的回访记录。请刷新列表。")
    concurrency.check_version(session, v, version, error=lambda: ConflictError("这条回访记录已被其他人修改。请刷新后重试。"))
    if v.withdrawn_at is not None:
        raise ValidationError("这条回访记录已经撤回。", None)

    def reopen_its_plans(_when: datetime) -> None:
        for p in session.execute(select(VisitPlan).where(VisitPlan.visit_id == v.id)).scalars():
            p.visit_id = None
            if p.status == "done":
                p.status = "planned"

    withdrawal.withdraw(session, actor, v, reason, f"请写明撤回的理由（至少 {REASON_MIN} 个字），例如“录入重复”。",
                        minimum=REASON_MIN, entity="visit", cadre_id=v.cadre_id, before_flush=reopen_its_plans,
                        after_flush=lambda: _renumber(session, v.handling_id),
                        summary=lambda why: f"撤回回访记录 {v.record_no}：{why}")


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


def get_visit(session: Session, actor: Actor, visit_id: int) -> VisitRow:
    actor.require("read")
    v = session.get(Visit, visit_id)
    if v is None:
        raise NotFoundError(f"找不到编号为 {visit_id} 的回访记录。请检查编号。")
    cadre = session.get(Cadre, v.cadre_id)
    unit = session.get(Unit, cadre.unit_id) if cadre.unit_id else None
    label = list_labels(session).get(cadre.unit_id, unit.name) if unit else ""  # as the list shows it
    return _visit_row(v, cadre, label, session.get(Handling, v.handling_id),
                      session.get(VisitPlan, v.plan_id) if v.plan_id else None)


_VISIT_COLS = (Visit.id, Visit.record_no, Visit.cadre_id, Cadre.name, Unit.name, Visit.handling_id, Handling.regime,
               Handling.kind, Visit.seq, Visit.visited_on, Visit.place, Visit.form, Visit.visitors, Visit.others_present,
               Visit.findings, Visit.evaluation, Visit.recommendation, Visit.suggestions, Visit.next_steps,
               Visit.next_due, Visit.attachments, Visit.plan_id, VisitPlan.purpose, Visit.version, Visit.withdrawn_at,
               Visit.withdrawn_by, Visit.withdrawn_reason, Cadre.unit_id)


def _visit_where(actor: Actor, date_from: date | None, date_to: date | None, cadre_id: int | None,
                 include_withdrawn: bool, session: Session | None = None, text: str = "") -> list:
    where = []
    if not (include_withdrawn and actor.can("admin")):
        where.append(Visit.withdrawn_at.is_(None))
    if date_from is not None:
        where.append(Visit.visited_on >= date_from)
    if date_to is not None:
        where.append(Visit.visited_on <= date_to)
    if cadre_id is not None:
        where.append(Visit.cadre_id == cadre_id)
    return where + (cadre_text_where(Visit.cadre_id, session, text, actor) if session is not None else [])


def count_visits(session: Session, actor: Actor, *, date_from: date | None = None, date_to: date | None = None,
                 cadre_id: int | None = None, include_withdrawn: bool = False, text: str = "") -> int:
    """How many visits `list_visits` lists with the same filters (visit table alone)."""
    actor.require("read")
    where = _visit_where(actor, date_from, date_to, cadre_id, include_withdrawn, session, text)
    return session.execute(select(func.count()).select_from(Visit).where(*where)).scalar_one()


def list_visits(session: Session, actor: Actor, *, date_from: date | None = None, date_to: date | None = None,
                cadre_id: int | None = None, include_withdrawn: bool = False, limit: int | None = 500,
                offset: int = 0, text: str = "") -> list[VisitRow]:
    """Visits by date (newest first), one page (`offset`, `limit`) from one query of plain columns plus one for the
    kinds changed on review. Withdrawn visits only for administrators and only when asked for."""
    actor.require("read")
    stmt = (select(*_VISIT_COLS).select_from(Visit).join(Cadre, Cadre.id == Visit.cadre_id)
            .join(Handling, Handling.id == Visit.handling_id).outerjoin(Unit, Unit.id == Cadre.unit_id)
            .outerjoin(VisitPlan, VisitPlan.id == Visit.plan_id)
            .where(*_visit_where(actor, date_from, date_to, cadre_id, include_withdrawn, session, text))
            .order_by(Visit.visited_on.desc(), Visit.id.desc()))
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = session.execute(stmt).all()
    kinds = current_kinds(session, {r.handling_id: r.kind for r in rows})
    units = list_labels(session)  # a leaf several units bear shown with its path
    return [VisitRow(
        id=r.id, record_no=r.record_no or "", cadre_id=r.cadre_id, cadre_name=r[3],
        unit_name=units.get(r.unit_id, r[4] or ""),
        handling_id=r.handling_id, handling_label=rt.full_label(r.regime, kinds[r.handling_id]), seq=r.seq,
        visited_on=r.visited_on, place=r.place or "", form=r.form, visitors=list(r.visitors or []),
        others_present=r.others_present or "", findings=dict(r.findings or {}), evaluation=r.evaluation or "",
        recommendation=r.recommendation or "", suggestions=r.suggestions or "", next_steps=r.next_steps or "",
        next_due=r.next_due, attachments=r.attachments or "", plan_id=r.plan_id, plan_purpose=r.purpose or "",
        version=r.version, withdrawn_at=r.withdrawn_at, withdrawn_by=r.withdrawn_by,
        withdrawn_reason=r.withdrawn_reason) for r in rows]


@dataclass(frozen=True)
class HandlingChoice:
    id: int
    label: str  # "党纪处分·严重警告（2024-03-15，X纪〔2024〕3号）"
    status: str
    visitable: bool


def handling_choices(session: Session, actor: Actor, cadre_id: int, today: date) -> list[HandlingChoice]:
    """The decisions of one cadre a visit can be recorded on (revoked ones listed but not visitable)."""
    actor.require("read")
    sync_plans_for_cadre(session, cadre_id, today)
    out = []
    for h in session.execute(select(Handling).where(Handling.cadre_id == cadre_id, Handling.withdrawn_at.is_(None))
                             .order_by(Handling.effective_on.desc(), Handling.id.desc())).scalars():
        extra = f"，{h.doc_number}" if h.doc_number else ""
        status = "（已撤销）" if h.status == "revoked" else ""
        out.append(HandlingChoice(h.id, f"{rt.full_label(h.regime, current_kind(h))}（{h.effective_on.isoformat()}{extra}）{status}",
                                  h.status, h.status != "revoked"))
    return out


def open_plans_of_handling(session: Session, actor: Actor, handling_id: int, today: date) -> list[PlanRow]:
    h = _handling(session, handling_id)
    return [p for p in list_plans(session, actor, today, "open", h.cadre_id, limit=None) if p.handling_id == handling_id]


@dataclass(frozen=True)
class CadreHit:
    id: int
    name: str
    unit_name: str


def find_cadres(session: Session, actor: Actor, text: str, limit: int = 20) -> list[CadreHit]:
    """Cadres with decisions, by name / pinyin initials (for the visit dialog; never by ID number)."""
    actor.require("read")
    text = (text or "").strip().lower()
    if not text:
        return []
    has_handling = select(Handling.id).where(Handling.cadre_id == Cadre.id, Handling.withdrawn_at.is_(None)).exists()
    stmt = (select(Cadre.id, Cadre.name, Unit.name).outerjoin(Unit, Unit.id == Cadre.unit_id)
            .where(Cadre.withdrawn_at.is_(None), has_handling,
                   or_(Cadre.name.contains(text, autoescape=True), Cadre.name_initials.startswith(text, autoescape=True),
                       Cadre.name_pinyin.startswith(text, autoescape=True)))
            .order_by(Cadre.name_pinyin, Cadre.id).limit(limit))
    stmt = stmt.add_columns(Cadre.unit_id)
    units = list_labels(session)
    return [CadreHit(r[0], r[1], units.get(r[3], r[2] or "")) for r in session.execute(stmt)]
