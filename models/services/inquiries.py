"""函询 with the guard of the Wuhan measures (domain §3.6, §6).

Before a 函询 is recorded, `check_guard` looks at the accusation and the cadre:
- is the accusation specific (具体) and verifiable (可查)? No 函询 for vague reports that cannot be checked;
- are there other accusations about the same cadre that tell the same or a similar issue (similar text —
  models/reference/similarity.py — whatever 问题类别 each was filed under: one report is often filed under another
  category the second time), or that already had a 函询 (open or concluded) on the same category or a similar text?
  No repeated 函询 for repeated or similar reports;
- has this accusation already had a 函询 to this cadre?
It returns what it found, and every other report on that cadre it compared with (GuardResult.compared), so the
officer sees what was looked at as well as what matched. `create_inquiry` refuses while anything was found, unless the officer writes a reason;
the reason is stored (Inquiry.guard_override_reason) and audited with what the guard found. Every refusal is kept
(GuardRefusal, one row per accusation and person, first and last day): a refused pair that never got a 函询 is a
函询 the guard prevented (the statistics count it, models/services/statistics.py).

The reply is due `inquiry.reply_working_days` (15) working days after the letter is sent, counted with the
holiday and 调休 calendar (models/rules/calendar.py, C9). The 工作台 lists replies past Inquiry.due_on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, concurrency, settings_store, withdrawal
from models.core.actor import Actor
from models.entities import Accusation, AccusationSubject, Cadre, GuardRefusal, Inquiry, Unit
from models.core.errors import NotFoundError, ValidationError
from models.reference.similarity import DEFAULT_THRESHOLD, context_words, similarity
from models.rules.calendar import add_working_days
from models.services.holidays import load_calendar
from models.services.unit_names import list_labels

REPLY_OUTCOMES = ("采信了结", "谈话提醒", "批评教育", "责令检查", "诫勉", "转初步核实", "再次谈话函询", "严肃处理")
MIN_REASON = 8


@dataclass(frozen=True)
class GuardFinding:
    accusation_id: int
    received_on: date
    category: str
    summary: str
    score: int  # 0–100
    same_category: bool
    inquiry_state: str | None  # None, "open" (no reply yet) or "concluded"
    inquiry_sent_on: date | None
    reasons: tuple[str, ...]  # empty: compared, nothing against the 函询

    @property
    def matched(self) -> bool:
        return bool(self.reasons)


@dataclass(frozen=True)
class GuardResult:
    accusation_id: int
    cadre_id: int
    cadre_name: str
    is_specific: bool
    is_verifiable: bool
    repeated_here: bool  # this accusation already had a 函询 to this cadre
    findings: tuple[GuardFinding, ...]  # the compared reports that stand against the 函询
    problems: tuple[str, ...] = field(default=())
    compared: tuple[GuardFinding, ...] = field(default=())  # every other report on this cadre, matched first
    threshold: int = DEFAULT_THRESHOLD

    @property
    def blocked(self) -> bool:
        return bool(self.problems)


class GuardBlocked(ValidationError):
    """The guard found something and no reason was given. `result` holds what it found."""

    def __init__(self, result: GuardResult):
        lines = "；".join(result.problems)
        super().__init__(f"函询前检查未通过：{lines}。如确需函询，请写明理由（至少{MIN_REASON}个字）后再登记。",
                         "guard_override_reason")
        self.result = result


@dataclass(frozen=True)
class InquiryRow:
    id: int
    accusation_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str | None
    category: str
    summary: str
    sent_on: date
    due_on: date
    replied_on: date | None
    outcome: str | None
    doc_number: str | None
    overridden: bool  # recorded against the guard, with a reason
    guard_override_reason: str | None
    overdue_days: int  # 0 unless unanswered after due_on (judged against `today`)
    withdrawn: bool
    version: int

    @property
    def state(self) -> str:
        if self.replied_on is not None:
            return "已回复"
        return f"逾期{self.overdue_days}天" if self.overdue_days else "待回复"


# ------------------------------------------------------------------------------------------------ guard


def _accusation(session: Session, accusation_id: int) -> Accusation:
    a = session.get(Accusation, accusation_id)
    if a is None or a.withdrawn_at is not None:
        raise NotFoundError(f"找不到第{accusation_id}号举报（可能已撤回）。请刷新列表。")
    return a


def _cadre_context(session: Session, cadre_id: int) -> tuple[str, list[str]]:
    row = session.execute(select(Cadre.name, Unit.name, Cadre.current_post).outerjoin(Unit, Unit.id == Cadre.unit_id)
                          .where(Cadre.id == cadre_id)).first()
    if row is None:
        raise NotFoundError(f"找不到第{cadre_id}号干部。")
    return row[0], context_words(row[0], row[1], row[2])


def check_guard(session: Session, actor: Actor, accusation_id: int, cadre_id: int, *,
                today: date | None = None) -> GuardResult:
    """What stands against a 函询 on this accusation to this cadre (see the module docstring). A refusal is kept
    (flushed with the caller's action): the dialog runs the guard in an action of its own when it opens."""
    actor.require("handle_accusations")
    a = _accusation(session, accusation_id)
    if cadre_id not in {s.cadre_id for s in a.subjects}:
        raise ValidationError("所选干部不是这条举报反映的对象。请在举报中选择被反映人。", "cadre_id")
    name, ignore = _cadre_context(session, cadre_id)
    threshold = int(settings_store.get(session, "accusations.similarity_threshold") or DEFAULT_THRESHOLD)

    inquiries: dict[int, list[Inquiry]] = {}
    for inq in session.execute(select(Inquiry).where(Inquiry.cadre_id == cadre_id, Inquiry.withdrawn_at.is_(None))
                               .order_by(Inquiry.sent_on)).scalars():
        inquiries.setdefault(inq.accusation_id, []).append(inq)
    repeated_here = bool(inquiries.get(a.id))

    others = session.execute(
        select(Accusation).join(AccusationSubject, AccusationSubject.accusation_id == Accusation.id)
        .where(AccusationSubject.cadre_id == cadre_id, Accusation.id != a.id, Accusation.withdrawn_at.is_(None))
        .order_by(Accusation.received_on, Accusation.id)
    ).scalars().all()
    compared: list[GuardFinding] = []
    for o in others:
        score = similarity(a.summary, o.summary, ignore)
        same_cat = o.category == a.category
        similar = score >= threshold
        inqs = inquiries.get(o.id, [])
        state = None
        if inqs:
            state = "open" if any(i.replied_on is None for i in inqs) else "concluded"
        reasons: list[str] = []
        if similar and same_cat:
            reasons.append(f"同一问题类别且内容相似（相似度{score}）")
        elif similar:
            reasons.append(f"内容相似（相似度{score}），只是登记为另一类别“{o.category}”")
        if state and (same_cat or similar):
            label = "尚未回复" if state == "open" else "已办结"
            reasons.append(f"已于{inqs[-1].sent_on.isoformat()}就{'同类' if same_cat else '相似'}问题函询（{label}）")
        compared.append(GuardFinding(
            accusation_id=o.id, received_on=o.received_on, category=o.category, summary=o.summary, score=score,
            same_category=same_cat, inquiry_state=state, inquiry_sent_on=inqs[-1].sent_on if inqs else None,
            reasons=tuple(reasons)))
    compared.sort(key=lambda f: (not f.matched, -(f.inquiry_state is not None), -f.score, f.accusation_id))
    findings = [f for f in compared if f.matched]

    problems: list[str] = []
    if not a.is_specific:
        problems.append("举报内容不具体")
    if not a.is_verifiable:
        problems.append("举报内容难以查证")
    if repeated_here:
        problems.append("这条举报已对该干部函询过")
    if findings:
        problems.append(f"该干部有{len(findings)}条相同或相似的举报（或已就同类问题函询）")
    result = GuardResult(a.id, cadre_id, name, bool(a.is_specific), bool(a.is_verifiable), repeated_here,
                         tuple(findings), tuple(problems), tuple(compared), threshold)
    if result.blocked and today is not None:  # a refusal is kept under the caller's day (models/ never reads the clock)
        _keep_refusal(session, actor, result, today)
    return result


def _keep_refusal(session: Session, actor: Actor, result: GuardResult, today: date) -> None:
    """One row per accusation and person: the first day the guard refused, the last, and what it found then."""
    row = session.execute(select(GuardRefusal).where(GuardRefusal.accusation_id == result.accusation_id,
                                                     GuardRefusal.cadre_id == result.cadre_id)).scalar_one_or_none()
    problems = "；".join(result.problems)
    if row is None:
        session.add(GuardRefusal(accusation_id=result.accusation_id, cadre_id=result.cadre_id, first_on=today,
                                 last_on=today, problems=problems, checked_by=actor.username))
    elif row.last_on != today or row.problems != problems:
        row.last_on, row.problems, row.checked_by = max(row.last_on, today), problems, actor.username
    session.flush()


# ------------------------------------------------------------------------------------------------ 函询


def reply_working_days(session: Session) -> int:
    return int(settings_store.get(session, "inquiry.reply_working_days") or 15)


def due_date(session: Session, sent_on: date) -> date:
    return add_working_days(sent_on, reply_working_days(session), load_calendar(session))


# A list row: the 函询's plain columns with its accusation's category and summary and the cadre's name and unit,
# read in one joined query (never a query per row).
def _row_select():
    return (select(Inquiry.id, Inquiry.accusation_id, Inquiry.cadre_id, Cadre.name.label("cadre_name"),
                   Unit.name.label("unit_name"), Accusation.category, Accusation.summary, Inquiry.sent_on,
                   Inquiry.due_on, Inquiry.replied_on, Inquiry.outcome, Inquiry.doc_number,
                   Inquiry.guard_override_reason, Inquiry.withdrawn_at, Inquiry.version, Cadre.unit_id)
            .select_from(Inquiry)
            .join(Accusation, Accusation.id == Inquiry.accusation_id)
            .join(Cadre, Cadre.id == Inquiry.cadre_id)
            .outerjoin(Unit, Unit.id == Cadre.unit_id))


def _plain(r, today: date | None, units: dict[int, str] | None = None) -> InquiryRow:
    """`units`: the list labels (a leaf several units bear shown with its path); the leaf name without them."""
    overdue = 0
    if r.replied_on is None and today is not None and today > r.due_on:
        overdue = (today - r.due_on).days
    return InquiryRow(
        id=r.id, accusation_id=r.accusation_id, cadre_id=r.cadre_id, cadre_name=r.cadre_name,
        unit_name=(units or {}).get(r.unit_id, r.unit_name), category=r.category, summary=r.summary, sent_on=r.sent_on, due_on=r.due_on, replied_on=r.replied_on,
        outcome=r.outcome, doc_number=r.doc_number, overridden=bool(r.guard_override_reason),
        guard_override_reason=r.guard_override_reason, overdue_days=overdue,
        withdrawn=r.withdrawn_at is not None, version=r.version,
    )


def _row(session: Session, inq: Inquiry, today: date | None) -> InquiryRow:
    return _plain(session.execute(_row_select().where(Inquiry.id == inq.id)).one(), today)


def create_inquiry(session: Session, actor: Actor, accusation_id: int, cadre_id: int, sent_on: date, *,
                   override_reason: str | None = None, doc_number: str | None = None,
                   today: date | None = None) -> InquiryRow:
    """Record a 函询 sent to `cadre_id` on `sent_on`. Raises GuardBlocked when the guard found something and
    no reason (at least MIN_REASON characters) was written."""
    actor.require("handle_accusations")
    if not isinstance(sent_on, date):
        raise ValidationError("请填写函询发出的日期。", "sent_on")
    a = _accusation(session, accusation_id)
    if sent_on < a.received_on:
        raise ValidationError(f"函询日期早于收到举报的日期（{a.received_on.isoformat()}），请核对。", "sent_on")
    if today is not None and sent_on > today:
        raise ValidationError("函询日期晚于今天，请核对。", "sent_on")
    doc_number = (doc_number or "").strip() or None
    if doc_number and len(doc_number) > 60:
        raise ValidationError("函询文号太长：不超过60个字。", "doc_number")
    result = check_guard(session, actor, accusation_id, cadre_id, today=today or sent_on)  # refused on that day
    reason = (override_reason or "").strip() or None
    if result.blocked:
        if reason is None or len(reason) < MIN_REASON:
            raise GuardBlocked(result)
    else:
        reason = None  # nothing to override: do not store a reason that explains nothing
    inq = Inquiry(accusation_id=a.id, cadre_id=cadre_id, sent_on=sent_on, due_on=due_date(session, sent_on),
                  guard_override_reason=reason, doc_number=doc_number)
    session.add(inq)
    before_disposal = a.disposal
    a.disposal = "谈话函询"
    session.flush()
    audit.record(session, actor, "create", "inquiry", inq.id, after=audit.snapshot(inq), cadre_id=cadre_id,
                 summary=f"登记函询（第{a.id}号举报），应于{inq.due_on.isoformat()}前回复")
    if before_disposal != a.disposal:
        audit.record(session, actor, "update", "accusation", a.id, before={"disposal": before_disposal},
                     after={"disposal": a.disposal}, cadre_id=cadre_id, summary="处置方式：谈话函询")
    if reason is not None:
        audit.record(
            session, actor, "override", "inquiry", inq.id, cadre_id=cadre_id,
            before={"problems": list(result.problems),
                    "findings": [{"accusation_id": f.accusation_id, "score": f.score, "reasons": list(f.reasons)}
                                 for f in result.findings]},
            after={"guard_override_reason": reason},
            summary=f"函询前检查未通过仍登记函询：{'；'.join(result.problems)}。理由：{reason}",
        )
    return _row(session, inq, today)


def _load(session: Session, inquiry_id: int) -> Inquiry:
    inq = session.get(Inquiry, inquiry_id)
    if inq is None or inq.withdrawn_at is not None:
        raise NotFoundError(f"找不到第{inquiry_id}号函询（可能已撤回）。请刷新列表。")
    return inq


def get_inquiry(session: Session, actor: Actor, inquiry_id: int, today: date | None = None) -> InquiryRow:
    actor.require("read")
    return _row(session, _load(session, inquiry_id), today)


def record_reply(session: Session, actor: Actor, inquiry_id: int, replied_on: date, outcome: str, *,
                 version: int | None = None, today: date | None = None) -> InquiryRow:
    """The cadre's written reply and how the 函询 was closed (domain §3.6 a–d)."""
    actor.require("handle_accusations")
    inq = _load(session, inquiry_id)
    concurrency.check_version(session, inq, version, labels={"replied_on": "回复日期", "outcome": "办理结果"})
    if not isinstance(replied_on, date):
        raise ValidationError("请填写收到书面回复的日期。", "replied_on")
    if replied_on < inq.sent_on:
        raise ValidationError(f"回复日期早于函询发出日期（{inq.sent_on.isoformat()}），请核对。", "replied_on")
    if today is not None and replied_on > today:
        raise ValidationError("回复日期晚于今天，请核对。", "replied_on")
    if outcome not in REPLY_OUTCOMES:
        raise ValidationError(f"办理结果应为{'、'.join(REPLY_OUTCOMES)}之一。", "outcome")
    before = {"replied_on": inq.replied_on, "outcome": inq.outcome}
    inq.replied_on, inq.outcome = replied_on, outcome
    with concurrency.guard(session, inq):
        session.flush()
    late = (f"，逾期{(replied_on - inq.due_on).days}天" if replied_on > inq.due_on else "")
    audit.record(session, actor, "update", "inquiry", inq.id, before=before,
                 after={"replied_on": replied_on, "outcome": outcome}, cadre_id=inq.cadre_id,
                 summary=f"登记函询回复：{outcome}{late}")
    return _row(session, inq, today)


def withdraw_inquiry(session: Session, actor: Actor, inquiry_id: int, reason: str, *,
                     now: datetime | None = None) -> None:
    actor.require("handle_accusations")
    reason = withdrawal.clean_reason(reason, "撤回必须写明原因。")  # checked before the record is looked up
    inq = _load(session, inquiry_id)
    withdrawal.withdraw(session, actor, inq, reason, "撤回必须写明原因。", entity="inquiry", cadre_id=inq.cadre_id,
                        after_key="withdrawn_reason", now=now, summary=lambda why: "撤回函询")


def _list_where(stmt, only_open: bool, accusation_id: int | None):
    stmt = stmt.where(Inquiry.withdrawn_at.is_(None))
    if only_open:
        stmt = stmt.where(Inquiry.replied_on.is_(None))
    if accusation_id is not None:
        stmt = stmt.where(Inquiry.accusation_id == accusation_id)
    return stmt


def count_inquiries(session: Session, actor: Actor, *, only_open: bool = False,
                    accusation_id: int | None = None) -> int:
    """How many 函询 list_inquiries would list with the same filter (for the paged list)."""
    actor.require("read")
    return session.execute(_list_where(select(func.count(Inquiry.id)), only_open, accusation_id)).scalar_one()


def list_inquiries(session: Session, actor: Actor, today: date, *, only_open: bool = False,
                   accusation_id: int | None = None, limit: int = 500, offset: int = 0) -> list[InquiryRow]:
    """One page: unanswered first (earliest due first), then answered (also by due date)."""
    actor.require("read")
    # the page is chosen on the inquiry table alone, then joined: joining every 函询 before sorting cost 3×
    answered = Inquiry.replied_on.is_not(None)
    page = (_list_where(select(Inquiry.id.label("id"), answered.label("answered"), Inquiry.due_on.label("due")),
                        only_open, accusation_id)
            .order_by(answered, Inquiry.due_on, Inquiry.id).offset(offset).limit(limit).subquery("page"))
    stmt = _row_select().join(page, page.c.id == Inquiry.id).order_by(page.c.answered, page.c.due, page.c.id)
    units = list_labels(session)
    return [_plain(r, today, units) for r in session.execute(stmt)]


def _overdue_where(stmt, today: date):
    return stmt.where(Inquiry.withdrawn_at.is_(None), Inquiry.replied_on.is_(None), Inquiry.due_on < today)


def count_overdue(session: Session, actor: Actor, today: date) -> int:
    """Replies past their due date (the page's 逾期未回复 count)."""
    actor.require("read")
    return session.execute(_overdue_where(select(func.count(Inquiry.id)), today)).scalar_one()


def list_overdue(session: Session, actor: Actor, today: date, *, limit: int = 500, offset: int = 0) -> list[InquiryRow]:
    """Replies past their due date (what the 工作台 shows under 函询逾期), earliest due first."""
    actor.require("read")
    page = (_overdue_where(select(Inquiry.id.label("id"), Inquiry.due_on.label("due")), today)
            .order_by(Inquiry.due_on, Inquiry.id).offset(offset).limit(limit).subquery("page"))
    stmt = _row_select().join(page, page.c.id == Inquiry.id).order_by(page.c.due, page.c.id)
    units = list_labels(session)
    return [_plain(r, today, units) for r in session.execute(stmt)]
