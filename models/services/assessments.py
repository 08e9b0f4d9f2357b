"""影响期满考核 (domain §2.5) and the 考察对象 check (干部任用条例 Art 24, domain §1.6).

An assessment records the items assessed, an outcome from the editable list `assessment.outcomes`, the use
recommendation and — later — the actual use (date and post), so the office can show that cadres who did well
were used. `promotion_check` lists every restriction running on a day with its explanation: a warning only,
the decision stays with the officer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit, concurrency, settings_store, withdrawal
from models.rules import rule_table as rt
from models.core.actor import Actor
from models.derived.visit_plans import current_kinds
from models.entities import Cadre, ExpiryAssessment, Handling, Restriction
from models.core.errors import ConflictError, NotFoundError, ValidationError
from models.rules.period_math import cn_date

ITEMS = ("政治表现", "对错误的认识和整改", "工作实绩（含急难险重任务）", "作风纪律", "群众公认（民主测评）", "期间年度考核等次", "新的举报或处理")
RECOMMENDATIONS = ("提拔", "进一步使用", "平职交流", "暂不使用")
USE_KINDS = ("提拔", "进一步使用", "平职交流")  # the actual use recorded later (the "大胆使用" figure)
REASON_MIN = 4


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    version: int
    cadre_id: int
    handling_id: int | None
    assessed_on: date
    items: dict
    outcome: str
    recommendation: str | None
    discipline_opinion: str | None
    unit_opinion: str | None
    used_on: date | None
    used_post: str | None
    note: str | None
    withdrawn: bool
    use_kind: str | None = None


@dataclass(frozen=True)
class RunningRestriction:
    handling_id: int
    handling_label: str
    kind: str
    label: str
    start: date
    last_day: date | None
    off_date: date | None
    overridden: bool
    explanation: str


@dataclass(frozen=True)
class PromotionCheck:
    cadre_id: int
    cadre_name: str
    day: date
    running: tuple[RunningRestriction, ...]

    @property
    def clear(self) -> bool:
        return not self.running

    @property
    def message(self) -> str:
        """The warning shown to the officer (Chinese, one paragraph per restriction)."""
        if self.clear:
            return f"{self.cadre_name}在{cn_date(self.day)}没有正在执行的处分、处理或诫勉限制。"
        lines = [f"提醒：{self.cadre_name}在{cn_date(self.day)}有 {len(self.running)} 项正在执行的限制"
                 "（干部任用条例第二十四条：影响期未满或期满影响使用的，不得列为考察对象）。是否列为考察对象由您判断："]
        for n, r in enumerate(self.running, 1):
            until = "永久" if r.last_day is None else f"至{cn_date(r.last_day)}" + ("（人工修改）" if r.overridden else "")
            lines.append(f"{n}. {r.handling_label}：{r.label}，{until}。{r.explanation}")
        return "\n".join(lines)


def outcomes(session: Session) -> list[str]:
    return list(settings_store.get(session, "assessment.outcomes") or [])


def _row(a: ExpiryAssessment) -> AssessmentRow:
    return AssessmentRow(
        id=a.id, version=a.version, cadre_id=a.cadre_id, handling_id=a.handling_id, assessed_on=a.assessed_on,
        items=dict(a.items or {}), outcome=a.outcome, recommendation=a.recommendation,
        discipline_opinion=a.discipline_opinion, unit_opinion=a.unit_opinion, used_on=a.used_on,
        used_post=a.used_post, note=a.note, withdrawn=a.withdrawn_at is not None, use_kind=a.use_kind,
    )


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _validate(session: Session, cadre_id: int, assessed_on: date | None, outcome: str, recommendation: str | None,
              handling_id: int | None, today: date) -> Cadre:
    cadre = session.get(Cadre, cadre_id)
    if cadre is None or cadre.withdrawn_at is not None:
        raise NotFoundError("找不到这名干部（可能已被撤回）。请重新选择。")
    if assessed_on is None:
        raise ValidationError("请填写考核日期。", "assessed_on")
    if assessed_on > today:
        raise ValidationError(f"考核日期 {assessed_on.isoformat()} 晚于今天，只能登记已经进行的考核。", "assessed_on")
    allowed = outcomes(session)
    if outcome not in allowed:
        raise ValidationError(f"请从列表中选择考核结果：{'、'.join(allowed)}。（列表可在 设置 → 工作台与考核 中修改）", "outcome")
    if recommendation is not None and recommendation not in RECOMMENDATIONS:
        raise ValidationError(f"使用建议只能是：{'、'.join(RECOMMENDATIONS)}。", "recommendation")
    if handling_id is not None:
        h = session.get(Handling, handling_id)
        if h is None or h.cadre_id != cadre_id:
            raise ValidationError("所选处理处分记录不属于这名干部，请重新选择。", "handling_id")
    return cadre


def record_assessment(session: Session, actor: Actor, cadre_id: int, *, assessed_on: date, outcome: str, today: date,
                      items: dict | None = None, recommendation: str | None = None, handling_id: int | None = None,
                      discipline_opinion: str | None = None, unit_opinion: str | None = None,
                      note: str | None = None) -> AssessmentRow:
    actor.require("write")
    cadre = _validate(session, cadre_id, assessed_on, outcome, recommendation, handling_id, today)
    clean_items = {k: v.strip() for k, v in (items or {}).items() if v and v.strip()}
    a = ExpiryAssessment(
        cadre_id=cadre_id, handling_id=handling_id, assessed_on=assessed_on, items=clean_items, outcome=outcome,
        recommendation=recommendation, discipline_opinion=_clean(discipline_opinion), unit_opinion=_clean(unit_opinion),
        note=_clean(note),
    )
    session.add(a)
    session.flush()
    audit.record(session, actor, "create", "expiry_assessment", a.id, after=audit.snapshot(a), cadre_id=cadre_id,
                 summary=f"影响期满考核：{cadre.name}，{outcome}" + (f"，建议{recommendation}" if recommendation else ""))
    return _row(a)


def _get(session: Session, assessment_id: int, version: int | None) -> ExpiryAssessment:
    a = session.get(ExpiryAssessment, assessment_id)
    if a is None or a.withdrawn_at is not None:
        raise NotFoundError("找不到这条期满考核记录（可能已撤回）。")
    concurrency.check_version(session, a, version, error=lambda: ConflictError(
        "这条期满考核记录已被其他人修改。请关闭后重新打开，核对最新内容再保存。"))
    return a


def update_assessment(session: Session, actor: Actor, assessment_id: int, version: int, *, assessed_on: date,
                      outcome: str, today: date, items: dict | None = None, recommendation: str | None = None,
                      discipline_opinion: str | None = None, unit_opinion: str | None = None,
                      note: str | None = None) -> AssessmentRow:
    actor.require("write")
    a = _get(session, assessment_id, version)
    _validate(session, a.cadre_id, assessed_on, outcome, recommendation, a.handling_id, today)
    before = audit.snapshot(a)
    a.assessed_on, a.outcome, a.recommendation = assessed_on, outcome, recommendation
    a.items = {k: v.strip() for k, v in (items or {}).items() if v and v.strip()}
    a.discipline_opinion, a.unit_opinion, a.note = _clean(discipline_opinion), _clean(unit_opinion), _clean(note)
    session.flush()
    b, af = audit.diff(before, audit.snapshot(a))
    audit.record(session, actor, "update", "expiry_assessment", a.id, before=b, after=af, cadre_id=a.cadre_id,
                 summary="修改影响期满考核")
    return _row(a)


def record_use(session: Session, actor: Actor, assessment_id: int, version: int, *, used_on: date, used_post: str,
               today: date, use_kind: str | None = None) -> AssessmentRow:
    """Later: the cadre was actually used (提拔/重用) — the date, the post and how (USE_KINDS; None = not said,
    the statistics then read the recommendation)."""
    actor.require("write")
    a = _get(session, assessment_id, version)
    used_post = (used_post or "").strip()
    use_kind = (use_kind or "").strip() or None
    if use_kind is not None and use_kind not in USE_KINDS:
        raise ValidationError(f"使用方式应为{'、'.join(USE_KINDS)}之一。", "use_kind")
    if used_on is None:
        raise ValidationError("请填写使用（任职）日期。", "used_on")
    if used_on > today:
        raise ValidationError("使用日期晚于今天，只能登记已经发生的任用。", "used_on")
    if used_on < a.assessed_on:
        raise ValidationError(f"使用日期早于考核日期 {a.assessed_on.isoformat()}，请核对。", "used_on")
    if not used_post:
        raise ValidationError("请填写任用的职务（岗位）。", "used_post")
    before = {"used_on": a.used_on, "used_post": a.used_post, "use_kind": a.use_kind}
    a.used_on, a.used_post, a.use_kind = used_on, used_post, use_kind
    session.flush()
    audit.record(session, actor, "update", "expiry_assessment", a.id, before=before,
                 after={"used_on": used_on, "used_post": used_post, "use_kind": use_kind}, cadre_id=a.cadre_id,
                 summary=f"登记期满考核后的使用：{cn_date(used_on)} {use_kind or ''}{used_post}")
    return _row(a)


def withdraw_assessment(session: Session, actor: Actor, assessment_id: int, version: int, reason: str) -> None:
    actor.require("write")
    a = _get(session, assessment_id, version)
    withdrawal.withdraw(session, actor, a, reason, f"请写明撤回的理由（至少 {REASON_MIN} 个字）。", minimum=REASON_MIN,
                        entity="expiry_assessment", cadre_id=a.cadre_id, summary=lambda why: f"撤回影响期满考核：{why}")


def get_assessment(session: Session, actor: Actor, assessment_id: int) -> AssessmentRow:
    actor.require("read")
    a = session.get(ExpiryAssessment, assessment_id)
    if a is None:
        raise NotFoundError("找不到这条期满考核记录。")
    return _row(a)


def list_for_cadre(session: Session, actor: Actor, cadre_id: int, include_withdrawn: bool = False) -> list[AssessmentRow]:
    """The cadre's assessments, newest first; withdrawn ones only for administrators."""
    actor.require("read")
    stmt = select(ExpiryAssessment).where(ExpiryAssessment.cadre_id == cadre_id)
    if not (include_withdrawn and actor.can("admin")):
        stmt = stmt.where(ExpiryAssessment.withdrawn_at.is_(None))
    return [_row(a) for a in session.execute(stmt.order_by(ExpiryAssessment.assessed_on.desc())).scalars()]


def running_restrictions(session: Session, actor: Actor, cadre_id: int, day: date) -> list[RunningRestriction]:
    actor.require("read")
    stmt = (
        select(Restriction, Handling.regime, Handling.kind)
        .join(Handling, Handling.id == Restriction.handling_id)
        .where(Restriction.cadre_id == cadre_id, Restriction.start <= day, Handling.withdrawn_at.is_(None))
        .order_by(Restriction.start, Restriction.id)
    )
    out = []
    found = [(r, regime, kind) for r, regime, kind in session.execute(stmt)
             if r.off_date is None or r.off_date > day]
    kinds = current_kinds(session, {r.handling_id: kind for r, _regime, kind in found})  # after a 申诉: the new kind
    for r, regime, _kind in found:
        out.append(RunningRestriction(
            handling_id=r.handling_id, handling_label=rt.full_label(regime, kinds[r.handling_id]), kind=r.kind,
            label=rt.restriction_label(r.kind), start=r.start, last_day=r.last_day, off_date=r.off_date,
            overridden=r.override_last_day is not None, explanation=r.explanation or "",
        ))
    return out


def promotion_check(session: Session, actor: Actor, cadre_id: int, today: date) -> PromotionCheck:
    """Every restriction running on `today` for a cadre considered as 考察对象 (a warning, never a block)."""
    actor.require("read")
    cadre = session.get(Cadre, cadre_id)
    if cadre is None:
        raise NotFoundError("找不到这名干部。")
    return PromotionCheck(cadre_id=cadre_id, cadre_name=cadre.name, day=today,
                          running=tuple(running_restrictions(session, actor, cadre_id, today)))


# ------------------------------------------------------------------------------------------- the printed form


@dataclass(frozen=True)
class AssessmentDocument:
    """Everything the 影响期满考核表 prints (reports/assessment_form.py), as plain values.

    handlings: the handling assessed (or, when the assessment names none, every live handling of the cadre),
    each as a dict with regime, kind, organ, doc_number, decided_on, effective_on, facts and restrictions (label,
    start, last_day, off_date, basis, overridden, override_reason); visits: the 回访教育 made for those handlings
    up to the assessment (visited_on, form, evaluation, recommendation), withdrawn ones left out.
    """

    assessment: AssessmentRow
    cadre_name: str
    gender: str
    birth: date | None  # None for roles without "see_id_number": they get birth_year only
    political_status: str
    unit_id: int | None
    current_post: str
    handlings: tuple[dict, ...]
    visits: tuple[dict, ...]
    org_name: str
    birth_year: int | None = None


def assessment_document(session: Session, actor: Actor, assessment_id: int) -> AssessmentDocument:
    actor.require("read")
    a = session.get(ExpiryAssessment, assessment_id)
    if a is None or a.withdrawn_at is not None:
        raise NotFoundError(f"没有编号为 {assessment_id} 的期满考核记录（或已撤回）。")
    cadre = session.get(Cadre, a.cadre_id)
    stmt = select(Handling).where(Handling.cadre_id == a.cadre_id, Handling.withdrawn_at.is_(None))
    if a.handling_id is not None:
        stmt = select(Handling).where(Handling.id == a.handling_id)
    handlings = list(session.execute(stmt.order_by(Handling.effective_on, Handling.id)).scalars())
    from models.derived.visit_plans import current_kind
    from models.entities import Visit

    rows = []
    for h in handlings:
        rs = session.execute(select(Restriction).where(Restriction.handling_id == h.id).order_by(Restriction.id)).scalars()
        rows.append({
            "id": h.id, "regime": h.regime, "kind": current_kind(h), "organ": h.organ or "", "doc_number": h.doc_number or "",
            "decided_on": h.approved_on or h.decided_on, "effective_on": h.effective_on, "facts": h.facts or "",
            "restrictions": [{"kind": r.kind, "label": rt.restriction_label(r.kind), "start": r.start,
                              "last_day": r.last_day, "off_date": r.off_date, "basis": r.basis or "",
                              "overridden": r.override_last_day is not None, "override_reason": r.override_reason or ""}
                             for r in rs],
        })
    ids = [h.id for h in handlings]
    visits = session.execute(
        select(Visit).where(Visit.handling_id.in_(ids), Visit.withdrawn_at.is_(None), Visit.visited_on <= a.assessed_on)
        .order_by(Visit.visited_on, Visit.id)).scalars() if ids else []
    return AssessmentDocument(
        assessment=_row(a), cadre_name=cadre.name, gender=cadre.gender or "",
        birth=cadre.birth_date if actor.can("see_id_number") else None,
        birth_year=cadre.birth_date.year if cadre.birth_date else None,
        political_status=cadre.political_status or "", unit_id=cadre.unit_id, current_post=cadre.current_post or "",
        handlings=tuple(rows),
        visits=tuple({"visited_on": v.visited_on, "form": v.form or "", "evaluation": v.evaluation or "",
                      "recommendation": v.recommendation or ""} for v in visits),
        org_name=str(settings_store.get(session, "org.name") or ""),
    )
