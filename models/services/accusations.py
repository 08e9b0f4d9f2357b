"""举报 (domain §3): register, edit, withdraw; record the outcome, which opens clarifications and a 查处 task.

The reporter's identity (name, unit, contact) is visible only to roles with the permission
"handle_accusations", and only in the one accusation opened (`get_accusation`): every such reading is audited
("view_reporter": who, when, which accusation — never the values), and is refused in a database opened read-only,
where it could not be recorded. Lists never carry the identity (实名 for those roles, 实名（无权查看） for the
others), and the audit log never holds it in clear text. Outcomes 不属实, 诬告陷害 and 错告 open a clarification (status "pending") for each person
concerned; 诬告陷害 also opens a Task "investigate_false_accusation" (查处, domain §3.5).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from models.core import audit, concurrency, settings_store, withdrawal
from models.core.actor import Actor
from models.entities import Accusation, AccusationSubject, Cadre, Clarification, Inquiry, Task, Unit
from models.core.errors import NotFoundError, ValidationError
from models.services.unit_names import list_labels

DISPOSALS = ("谈话函询", "初步核实", "暂存待查", "予以了结")
OUTCOMES = ("属实", "部分属实", "不属实", "诬告陷害", "错告", "无法查实")
CLARIFYING_OUTCOMES = ("不属实", "诬告陷害", "错告")
FALSE_ACCUSATION = "诬告陷害"
TASK_KIND_INVESTIGATE = "investigate_false_accusation"
REPORTER_FIELDS = ("reporter_name", "reporter_unit", "reporter_contact")
HIDDEN = "（无权查看）"
HIDDEN_READ_ONLY = "（只读打开时不显示）"
VIEW_REPORTER = "view_reporter"  # the audit action of reading a reporter's identity
SECRET_IN_AUDIT = "（保密）"
SECRET_CHANGED = "（保密，已修改）"

LABELS = {
    "received_on": "收到日期", "channel": "来源方式", "anonymous": "匿名", "reporter_name": "举报人",
    "reporter_unit": "举报人单位", "reporter_contact": "举报人联系方式", "category": "问题类别", "summary": "内容摘要",
    "is_specific": "内容具体", "is_verifiable": "可查证", "disposal": "处置方式", "outcome": "核查结论",
    "outcome_on": "结论日期", "verified_by": "核查部门",
}


@dataclass(frozen=True)
class SubjectRow:
    cadre_id: int
    name: str
    unit_name: str | None
    post: str | None


@dataclass(frozen=True)
class AccusationRow:
    id: int
    received_on: date
    channel: str | None
    anonymous: bool
    reporter_visible: bool  # False: the three reporter fields are None for this actor
    reporter_name: str | None
    reporter_unit: str | None
    reporter_contact: str | None
    reporter_display: str  # 匿名 / the name / 实名（无权查看）
    subjects: tuple[SubjectRow, ...]
    category: str
    summary: str
    is_specific: bool
    is_verifiable: bool
    disposal: str | None
    outcome: str | None
    outcome_on: date | None
    verified_by: str | None
    similar_to_id: int | None
    inquiry_count: int
    withdrawn: bool
    version: int

    @property
    def subject_names(self) -> str:
        return "、".join(s.name for s in self.subjects)


@dataclass(frozen=True)
class OutcomeResult:
    accusation: AccusationRow
    clarification_ids: tuple[int, ...]  # opened by this outcome
    task_id: int | None  # the 查处 task, when the outcome is 诬告陷害


# ------------------------------------------------------------------------------------------------ code lists


def categories(session: Session) -> list[str]:
    return [str(v) for v in settings_store.get(session, "accusations.categories") or []]


def channels(session: Session) -> list[str]:
    return [str(v) for v in settings_store.get(session, "accusations.channels") or []]


def save_categories(session: Session, actor: Actor, values: Iterable[str]) -> list[str]:
    """The editable list of 问题类别 (administrators)."""
    clean: list[str] = []
    for v in values:
        v = str(v).strip()
        if v and v not in clean:
            if len(v) > 30:
                raise ValidationError(f"问题类别“{v[:15]}…”太长：每项不超过30个字。", "categories")
            clean.append(v)
    if not clean:
        raise ValidationError("问题类别至少要有一项。", "categories")
    settings_store.put(session, actor, "accusations.categories", clean)
    return clean


# ------------------------------------------------------------------------------------------------ reading


def _subjects(session: Session, ids: Sequence[int]) -> dict[int, list[SubjectRow]]:
    result: dict[int, list[SubjectRow]] = {i: [] for i in ids}
    if not ids:
        return result
    stmt = (
        select(AccusationSubject.accusation_id, Cadre.id, Cadre.name, Unit.name, Cadre.current_post, Cadre.unit_id)
        .join(Cadre, Cadre.id == AccusationSubject.cadre_id)
        .outerjoin(Unit, Unit.id == Cadre.unit_id)
        .where(AccusationSubject.accusation_id.in_(ids))
        .order_by(AccusationSubject.id)
    )
    units = list_labels(session)  # a leaf several units bear shown with its path
    for acc_id, cid, name, unit, post, unit_id in session.execute(stmt):
        result[acc_id].append(SubjectRow(cid, name, units.get(unit_id, unit), post))
    return result


def _inquiry_counts(session: Session, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    stmt = (select(Inquiry.accusation_id, func.count()).where(Inquiry.accusation_id.in_(ids),
                                                                Inquiry.withdrawn_at.is_(None))
            .group_by(Inquiry.accusation_id))
    return dict(session.execute(stmt).all())


# The columns a list row is made of: plain values read in one query (never ORM objects, never a query per row).
_ROW_COLUMNS = (
    Accusation.id, Accusation.received_on, Accusation.channel, Accusation.anonymous, Accusation.reporter_name,
    Accusation.reporter_unit, Accusation.reporter_contact, Accusation.category, Accusation.summary,
    Accusation.is_specific, Accusation.is_verifiable, Accusation.disposal, Accusation.outcome, Accusation.outcome_on,
    Accusation.verified_by, Accusation.similar_to_id, Accusation.withdrawn_at, Accusation.version,
)


def _make(values: Sequence[Any], visible: bool, subjects: list[SubjectRow], inquiries: int,
          hidden: str = HIDDEN) -> AccusationRow:
    """`values` are the _ROW_COLUMNS in that order; `visible`: does this row show the reporter (`hidden`: what
    stands for a named reporter where it does not)."""
    (id_, received_on, channel, anonymous, reporter_name, reporter_unit, reporter_contact, category, summary,
     is_specific, is_verifiable, disposal, outcome, outcome_on, verified_by, similar_to_id, withdrawn_at,
     version) = values
    if anonymous:
        display = "匿名"
    elif visible:
        display = reporter_name or "（未填）"
    else:
        display = "实名" + hidden
    return AccusationRow(
        id=id_, received_on=received_on, channel=channel, anonymous=bool(anonymous), reporter_visible=visible,
        reporter_name=reporter_name if visible else None, reporter_unit=reporter_unit if visible else None,
        reporter_contact=reporter_contact if visible else None, reporter_display=display,
        subjects=tuple(subjects), category=category, summary=summary, is_specific=bool(is_specific),
        is_verifiable=bool(is_verifiable), disposal=disposal, outcome=outcome, outcome_on=outcome_on,
        verified_by=verified_by, similar_to_id=similar_to_id, inquiry_count=inquiries,
        withdrawn=withdrawn_at is not None, version=version,
    )


def _row(a: Accusation, actor: Actor, subjects: list[SubjectRow], inquiries: int) -> AccusationRow:
    return _make([getattr(a, c.key) for c in _ROW_COLUMNS], actor.can("handle_accusations"), subjects, inquiries)


def _load(session: Session, accusation_id: int) -> Accusation:
    a = session.get(Accusation, accusation_id)
    if a is None:
        raise NotFoundError(f"找不到第{accusation_id}号举报。它可能已被撤回，请刷新列表。")
    return a


def get_accusation(session: Session, actor: Actor, accusation_id: int) -> AccusationRow:
    """One accusation as this actor may see it. A role that handles accusations sees a named reporter's
    identity, and that reading is audited in the same transaction (who, when, which accusation)."""
    return _get(session, actor, accusation_id, audited=True)


def _get(session: Session, actor: Actor, accusation_id: int, *, audited: bool) -> AccusationRow:
    """`audited` False: the row a write returns to its writer (the write itself is audited)."""
    actor.require("read")
    a = _load(session, accusation_id)
    if a.withdrawn_at is not None and not actor.can("admin"):
        raise NotFoundError(f"第{accusation_id}号举报已撤回。")
    subjects, inquiries = _subjects(session, [a.id])[a.id], _inquiry_counts(session, [a.id]).get(a.id, 0)
    values = [getattr(a, c.key) for c in _ROW_COLUMNS]
    named = not a.anonymous and any(getattr(a, k) for k in REPORTER_FIELDS)
    if not (actor.can("handle_accusations") and named):
        return _make(values, actor.can("handle_accusations"), subjects, inquiries)
    if not audited:
        return _make(values, True, subjects, inquiries)
    if session.info.get("read_only"):  # a reading that cannot be recorded is not made
        return _make(values, False, subjects, inquiries, HIDDEN_READ_ONLY)
    # who read which reporter, and when (the audit entry's time) — never the values themselves
    audit.record(session, actor, VIEW_REPORTER, "accusation", a.id, summary=f"查看第{a.id}号举报的举报人身份")
    return _make(values, True, subjects, inquiries)


def _filtered(stmt, actor: Actor, text: str, cadre_id: int | None, outcome: str | None, include_withdrawn: bool):
    if not (include_withdrawn and actor.can("admin")):
        stmt = stmt.where(Accusation.withdrawn_at.is_(None))
    if cadre_id is not None:
        stmt = stmt.where(Accusation.id.in_(select(AccusationSubject.accusation_id)
                                            .where(AccusationSubject.cadre_id == cadre_id)))
    if outcome:
        stmt = stmt.where(Accusation.outcome == outcome)
    text = (text or "").strip()
    if text:
        # from the accusation to its few subjects (by index), never a scan of the whole cadre table;
        # % and _ typed by the user are literal (autoescape)
        named = (select(AccusationSubject.id).join(Cadre, Cadre.id == AccusationSubject.cadre_id)
                 .where(AccusationSubject.accusation_id == Accusation.id,
                        or_(Cadre.name.contains(text, autoescape=True),
                            Cadre.name_initials.startswith(text.lower(), autoescape=True))))
        stmt = stmt.where(or_(Accusation.summary.contains(text, autoescape=True),
                              Accusation.category.contains(text, autoescape=True), named.exists()))
    return stmt


def count_accusations(
    session: Session, actor: Actor, *, text: str = "", cadre_id: int | None = None, outcome: str | None = None,
    include_withdrawn: bool = False,
) -> int:
    """How many accusations list_accusations would list with the same filter (for the paged list)."""
    actor.require("read")
    stmt = _filtered(select(func.count(Accusation.id)), actor, text, cadre_id, outcome, include_withdrawn)
    return session.execute(stmt).scalar_one()


def list_accusations(
    session: Session, actor: Actor, *, text: str = "", cadre_id: int | None = None, outcome: str | None = None,
    include_withdrawn: bool = False, limit: int = 500, offset: int = 0,
) -> list[AccusationRow]:
    """Newest first, one page. `text` matches the summary, the category or a person concerned (never the reporter).

    One query: the page is chosen on the accusations (with the count of their 函询), then joined to its people
    (one row per person concerned, grouped back here)."""
    actor.require("read")
    inquiries = (select(func.count(Inquiry.id))
                 .where(Inquiry.accusation_id == Accusation.id, Inquiry.withdrawn_at.is_(None))
                 .correlate(Accusation).scalar_subquery())
    page = _filtered(select(Accusation.id.label("id"), Accusation.received_on.label("received_on"),
                            inquiries.label("inquiries")), actor, text, cadre_id, outcome, include_withdrawn)
    page = (page.order_by(Accusation.received_on.desc(), Accusation.id.desc()).offset(offset).limit(limit)
            .subquery("page"))
    stmt = (select(*_ROW_COLUMNS, page.c.inquiries, Cadre.id, Cadre.name, Unit.name, Cadre.current_post, Cadre.unit_id)
            .select_from(page)
            .join(Accusation, Accusation.id == page.c.id)
            .outerjoin(AccusationSubject, AccusationSubject.accusation_id == Accusation.id)
            .outerjoin(Cadre, Cadre.id == AccusationSubject.cadre_id)
            .outerjoin(Unit, Unit.id == Cadre.unit_id)
            .order_by(page.c.received_on.desc(), page.c.id.desc(), AccusationSubject.id))
    visible = False  # a list never carries the reporter's identity (its reading is audited: get_accusation)
    hidden = "" if actor.can("handle_accusations") else HIDDEN  # 实名 / 实名（无权查看）
    units = list_labels(session)  # a leaf several units bear shown with its path
    n = len(_ROW_COLUMNS)
    out: list[AccusationRow] = []
    values, count, people = None, 0, []
    for r in session.execute(stmt):
        if values is None or r[0] != values[0]:
            if values is not None:
                out.append(_make(values, visible, people, count, hidden))
            values, count, people = r[:n], r[n], []
        if r[n + 1] is not None:
            people.append(SubjectRow(r[n + 1], r[n + 2], units.get(r[n + 5], r[n + 3]), r[n + 4]))
    if values is not None:
        out.append(_make(values, visible, people, count, hidden))
    return out


def reporter_tokens(session: Session, accusation_id: int) -> tuple[str, ...]:
    """The reporter's name, unit and contact (and their parts) — for checks that they never reach a document.

    Internal: the values are used to refuse text that contains them, never shown."""
    a = _load(session, accusation_id)
    tokens: list[str] = []
    for value in (a.reporter_name, a.reporter_unit, a.reporter_contact):
        value = (value or "").strip()
        if len(value) >= 2:
            tokens.append(value)
            tokens.extend(p for p in value.replace("，", " ").replace(",", " ").replace("、", " ").split() if len(p) >= 2)
    return tuple(dict.fromkeys(tokens))


# ------------------------------------------------------------------------------------------------ writing


def _audit_snapshot(a: Accusation, cadre_ids: Sequence[int]) -> dict:
    snap = audit.snapshot(a)
    for key in REPORTER_FIELDS:  # the audit log never holds the reporter's identity in clear text
        if snap.get(key):
            snap[key] = SECRET_IN_AUDIT
    snap["cadre_ids"] = sorted(cadre_ids)
    return snap


def _text(data: dict, key: str, max_len: int, label: str, required: bool = False) -> str | None:
    value = data.get(key)
    value = None if value is None else str(value).strip()
    if not value:
        if required:
            raise ValidationError(f"请填写{label}。", key)
        return None
    if len(value) > max_len:
        raise ValidationError(f"{label}太长：不超过{max_len}个字（现为{len(value)}个字）。", key)
    return value


def _validate(session: Session, data: dict, today: date | None) -> dict[str, Any]:
    received = data.get("received_on")
    if not isinstance(received, date):
        raise ValidationError("请填写收到举报的日期。", "received_on")
    if today is not None and received > today:
        raise ValidationError(f"收到日期{received.isoformat()}晚于今天，请核对。", "received_on")
    values: dict[str, Any] = {"received_on": received}
    values["channel"] = _text(data, "channel", 20, "来源方式")
    values["anonymous"] = bool(data.get("anonymous"))
    if values["anonymous"]:
        for key in REPORTER_FIELDS:
            values[key] = None
    else:
        values["reporter_name"] = _text(data, "reporter_name", 40, "举报人姓名", required=True)
        values["reporter_unit"] = _text(data, "reporter_unit", 100, "举报人单位")
        values["reporter_contact"] = _text(data, "reporter_contact", 100, "举报人联系方式")
    category = _text(data, "category", 30, "问题类别", required=True)
    known = categories(session)
    if category not in known:
        raise ValidationError(f"问题类别“{category}”不在类别表中。请从列表中选择，或请管理员在类别表中增加。", "category")
    values["category"] = category
    summary = _text(data, "summary", 4000, "内容摘要", required=True)
    if len(summary) < 6:
        raise ValidationError("内容摘要太短：请写明反映的具体问题（至少6个字）。", "summary")
    values["summary"] = summary
    values["is_specific"] = bool(data.get("is_specific"))
    values["is_verifiable"] = bool(data.get("is_verifiable"))
    disposal = data.get("disposal") or None
    if disposal is not None and disposal not in DISPOSALS:
        raise ValidationError(f"处置方式应为{'、'.join(DISPOSALS)}之一。", "disposal")
    values["disposal"] = disposal
    cadre_ids = [int(c) for c in data.get("cadre_ids") or []]
    cadre_ids = list(dict.fromkeys(cadre_ids))
    if not cadre_ids:
        raise ValidationError("请选择被反映的干部（至少一人）。", "cadre_ids")
    found = set(session.execute(select(Cadre.id).where(Cadre.id.in_(cadre_ids), Cadre.withdrawn_at.is_(None))).scalars())
    missing = [c for c in cadre_ids if c not in found]
    if missing:
        raise ValidationError("所选干部中有已撤回或不存在的记录，请重新选择。", "cadre_ids")
    values["cadre_ids"] = cadre_ids
    return values


def _check_disposal(session: Session, a: Accusation | None, disposal: str | None) -> None:
    """谈话函询 is recorded through the 函询 (with its guard), never by picking it in the form."""
    if disposal != "谈话函询" or (a is not None and a.disposal == "谈话函询"):
        return
    has_inquiry = a is not None and session.execute(
        select(func.count()).select_from(Inquiry).where(Inquiry.accusation_id == a.id, Inquiry.withdrawn_at.is_(None))
    ).scalar_one() > 0
    if not has_inquiry:
        raise ValidationError("“谈话函询”请通过“登记函询”办理：程序会先检查举报是否具体可查、是否重复函询。", "disposal")


def _set_subjects(session: Session, a: Accusation, cadre_ids: list[int]) -> None:
    current = {s.cadre_id: s for s in a.subjects}
    for cid, subj in current.items():
        if cid not in cadre_ids:
            a.subjects.remove(subj)
    for cid in cadre_ids:
        if cid not in current:
            a.subjects.append(AccusationSubject(cadre_id=cid))


def create_accusation(session: Session, actor: Actor, data: dict, *, today: date | None = None) -> AccusationRow:
    actor.require("handle_accusations")
    values = _validate(session, data, today)
    _check_disposal(session, None, values["disposal"])
    cadre_ids = values.pop("cadre_ids")
    a = Accusation(**values)
    similar = data.get("similar_to_id")
    if similar:
        _load(session, int(similar))
        a.similar_to_id = int(similar)
    session.add(a)
    session.flush()
    _set_subjects(session, a, cadre_ids)
    session.flush()
    audit.record(session, actor, "create", "accusation", a.id, after=_audit_snapshot(a, cadre_ids),
                 cadre_id=cadre_ids[0], summary=f"登记举报（{a.category}）")
    return _get(session, actor, a.id, audited=False)


def update_accusation(session: Session, actor: Actor, accusation_id: int, data: dict, *, version: int,
                      today: date | None = None) -> AccusationRow:
    """Edit what was registered. The outcome is recorded with set_outcome. A viewer's masked copy can never
    overwrite the reporter: only roles that see the reporter may save."""
    actor.require("handle_accusations")
    a = _load(session, accusation_id)
    if a.withdrawn_at is not None:
        raise ValidationError("这条举报已撤回，不能修改。", "id")
    concurrency.check_version(session, a, version, labels=LABELS)
    before = _audit_snapshot(a, [s.cadre_id for s in a.subjects])
    reporter_before = {k: getattr(a, k) for k in REPORTER_FIELDS}
    values = _validate(session, data, today)
    _check_disposal(session, a, values["disposal"])
    cadre_ids = values.pop("cadre_ids")
    for key, value in values.items():
        setattr(a, key, value)
    _set_subjects(session, a, cadre_ids)
    with concurrency.guard(session, a, labels=LABELS):
        session.flush()
    after_snap = _audit_snapshot(a, cadre_ids)
    for key in REPORTER_FIELDS:  # say that it changed, never what it was or is
        if getattr(a, key) != reporter_before[key]:
            after_snap[key] = SECRET_CHANGED if getattr(a, key) else None
    b, after = audit.diff(before, after_snap)
    audit.record(session, actor, "update", "accusation", a.id, before=b, after=after, cadre_id=cadre_ids[0],
                 summary=f"修改举报（{a.category}）")
    return _get(session, actor, a.id, audited=False)


def withdraw_accusation(session: Session, actor: Actor, accusation_id: int, reason: str, *,
                        now: datetime | None = None) -> None:
    actor.require("handle_accusations")
    reason = withdrawal.clean_reason(reason, "撤回必须写明原因。")  # checked before the record is looked up
    a = _load(session, accusation_id)
    if a.withdrawn_at is not None:
        return
    busy = session.execute(select(func.count()).select_from(Clarification).where(
        Clarification.accusation_id == a.id, Clarification.withdrawn_at.is_(None),
        Clarification.status.in_(("approved", "done")))).scalar_one()
    if busy:
        raise ValidationError("这条举报已有批准或完成的澄清正名，不能撤回。", "id")
    withdrawal.withdraw(session, actor, a, reason, "撤回必须写明原因。", entity="accusation",
                        cadre_id=a.subjects[0].cadre_id if a.subjects else None, after_key="withdrawn_reason", now=now,
                        before_flush=lambda when: _close_followups(session, actor, a, f"举报已撤回：{reason}", now=when),
                        summary=lambda why: "撤回举报")


# ------------------------------------------------------------------------------------------------ outcome


def _close_followups(session: Session, actor: Actor, a: Accusation, reason: str, *, now: datetime,
                     keep_task: bool = False) -> None:
    """Withdraw the pending clarifications (and the open 查处 task) that an outcome had opened."""
    for c in session.execute(select(Clarification).where(
            Clarification.accusation_id == a.id, Clarification.withdrawn_at.is_(None),
            Clarification.status == "pending")).scalars():
        withdrawal.mark(c, actor, reason, now=now)
        audit.record(session, actor, "withdraw", "clarification", c.id, after={"withdrawn_reason": reason},
                     cadre_id=c.cadre_id, summary="撤回待办的澄清正名")
    if keep_task:
        return
    for t in session.execute(select(Task).where(
            Task.kind == TASK_KIND_INVESTIGATE, Task.source_type == "accusation", Task.source_id == a.id,
            Task.withdrawn_at.is_(None), Task.done_on.is_(None))).scalars():
        withdrawal.mark(t, actor, reason, now=now)
        audit.record(session, actor, "withdraw", "task", t.id, after={"withdrawn_reason": reason},
                     cadre_id=t.cadre_id, summary="撤回查处诬告陷害任务")


def set_outcome(session: Session, actor: Actor, accusation_id: int, outcome: str, outcome_on: date, *,
                verified_by: str | None = None, version: int | None = None, today: date | None = None,
                now: datetime | None = None) -> OutcomeResult:
    """Record the verification conclusion. 不属实/诬告陷害/错告 open a clarification for each person concerned
    (one that is already open is kept); 诬告陷害 also opens the 查处 task. Changing the outcome away from those
    withdraws the clarifications still pending; it is refused once one has been approved."""
    actor.require("handle_accusations")
    a = _load(session, accusation_id)
    if a.withdrawn_at is not None:
        raise ValidationError("这条举报已撤回，不能登记结论。", "id")
    if version is not None:
        concurrency.check_version(session, a, version, labels=LABELS)
    if outcome not in OUTCOMES:
        raise ValidationError(f"核查结论应为{'、'.join(OUTCOMES)}之一。", "outcome")
    if not isinstance(outcome_on, date):
        raise ValidationError("请填写得出结论的日期。", "outcome_on")
    if outcome_on < a.received_on:
        raise ValidationError(f"结论日期早于收到举报的日期（{a.received_on.isoformat()}），请核对。", "outcome_on")
    if today is not None and outcome_on > today:
        raise ValidationError("结论日期晚于今天，请核对。", "outcome_on")
    verified_by = (verified_by or "").strip() or None
    if verified_by and len(verified_by) > 100:
        raise ValidationError("核查部门名称太长：不超过100个字。", "verified_by")
    now = (now or datetime.now()).replace(microsecond=0)
    cadre_ids = [s.cadre_id for s in a.subjects]
    before = _audit_snapshot(a, cadre_ids)
    live = list(session.execute(select(Clarification).where(
        Clarification.accusation_id == a.id, Clarification.withdrawn_at.is_(None))).scalars())
    if outcome not in CLARIFYING_OUTCOMES and any(c.status in ("approved", "done") for c in live):
        raise ValidationError(
            f"已有批准或完成的澄清正名，不能把结论改为“{outcome}”。如结论确有变化，请先撤回该澄清正名并写明原因。", "outcome")
    a.outcome, a.outcome_on, a.verified_by = outcome, outcome_on, verified_by
    # Each clarification carries the outcome date (the 工作台's order: models/entities/accusation.py). Written past
    # the ORM so that the copy does not change their version: a clarification open in another window stays savable.
    session.execute(update(Clarification.__table__).where(Clarification.__table__.c.accusation_id == a.id)
                    .values(outcome_on=outcome_on))
    for c in live:
        set_committed_value(c, "outcome_on", outcome_on)
    opened: list[int] = []
    task_id: int | None = None
    if outcome in CLARIFYING_OUTCOMES:
        have = {c.cadre_id for c in live}
        for cid in cadre_ids:
            if cid in have:
                continue
            c = Clarification(accusation_id=a.id, cadre_id=cid, status="pending", outcome_on=outcome_on)
            session.add(c)
            session.flush()
            opened.append(c.id)
            audit.record(session, actor, "create", "clarification", c.id, after={"status": "pending", "outcome": outcome},
                         cadre_id=cid, summary=f"举报结论为“{outcome}”，开启澄清正名")
    else:
        _close_followups(session, actor, a, f"举报结论改为“{outcome}”", now=now)
    if outcome == FALSE_ACCUSATION:
        existing = session.execute(select(Task).where(
            Task.kind == TASK_KIND_INVESTIGATE, Task.source_type == "accusation", Task.source_id == a.id,
            Task.withdrawn_at.is_(None))).scalars().first()
        if existing is None:
            names = "、".join(s.cadre.name for s in a.subjects)
            t = Task(cadre_id=cadre_ids[0] if cadre_ids else None, kind=TASK_KIND_INVESTIGATE,
                     title=f"查处诬告陷害：对{names}的第{a.id}号举报经核查为诬告陷害", source_type="accusation",
                     source_id=a.id)
            session.add(t)
            session.flush()
            task_id = t.id
            audit.record(session, actor, "create", "task", t.id, after={"kind": t.kind, "title": t.title},
                         cadre_id=t.cadre_id, summary="开启查处诬告陷害任务")
        else:
            task_id = existing.id
    elif outcome in CLARIFYING_OUTCOMES:
        # 不属实/错告 after an earlier 诬告陷害: the 查处 task no longer applies
        for t in session.execute(select(Task).where(
                Task.kind == TASK_KIND_INVESTIGATE, Task.source_type == "accusation", Task.source_id == a.id,
                Task.withdrawn_at.is_(None), Task.done_on.is_(None))).scalars():
            withdrawal.mark(t, actor, f"举报结论改为“{outcome}”", now=now)
            audit.record(session, actor, "withdraw", "task", t.id, after={"withdrawn_reason": t.withdrawn_reason},
                         cadre_id=t.cadre_id, summary="撤回查处诬告陷害任务")
    with concurrency.guard(session, a, labels=LABELS):
        session.flush()
    b, after = audit.diff(before, _audit_snapshot(a, cadre_ids))
    audit.record(session, actor, "outcome", "accusation", a.id, before=b, after=after,
                 cadre_id=cadre_ids[0] if cadre_ids else None, summary=f"登记举报核查结论：{outcome}")
    return OutcomeResult(_get(session, actor, a.id, audited=False), tuple(opened), task_id)
