"""澄清正名 (domain §3.1–3.4): pending → approved → done (or declined when the person does not want it).

A clarification is opened by an accusation outcome of 不属实, 诬告陷害 or 错告 (models/services/accusations.py), one
per person concerned. The officer records who initiated it (本人申请, 承办部门建议, 所在单位建议), the person's
consent and view, the methods (书面, 当面, 会议, 通报, 媒体 — any method other than 书面 needs 书面 too), the scope,
the clarified issues and the conclusion (the only facts a notice may carry); then the approval (who, when),
and finally the date done with the 文号 of the notice (models/services/document_numbers.py, kind "clarification").

The clarified issues must never carry the reporter's identity: a text that contains the reporter's name, unit or
contact is refused here and again when the notice is built.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, concurrency, settings_store
from models.core.actor import Actor
from models.entities import Accusation, Cadre, Clarification, Unit
from models.core.errors import NotFoundError, ValidationError
from models.services.cadres.search import cadre_text_where
from models.services.unit_names import list_labels

INITIATED_BY = ("本人申请", "承办部门建议", "所在单位建议")
CONSENTS = ("同意", "不同意", "未表态")
METHODS = ("书面", "当面", "会议", "通报", "媒体")
SCOPED_METHODS = ("会议", "通报", "媒体")  # these reach people beyond the person: the scope must be written
STATUSES = ("pending", "approved", "done", "declined")
STATUS_LABELS = {"pending": "待批准", "approved": "已批准", "done": "已完成", "declined": "本人不同意，已终止"}
DOC_KIND = "clarification"

LABELS = {
    "initiated_by": "发起方式", "consent": "本人意见", "person_view": "本人意见说明", "methods": "澄清方式",
    "scope": "澄清范围", "issues_clarified": "澄清的问题", "conclusion": "核查结论", "approved_by": "批准人",
    "approved_on": "批准日期", "done_on": "完成日期", "doc_number": "文号", "status": "状态",
}


@dataclass(frozen=True)
class ClarificationRow:
    id: int
    accusation_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str | None
    post: str | None
    status: str
    status_label: str
    initiated_by: str | None
    consent: str | None
    person_view: str | None
    methods: tuple[str, ...]
    scope: str | None
    issues_clarified: str | None
    conclusion: str | None
    approved_by: str | None
    approved_on: date | None
    done_on: date | None
    doc_number: str | None
    accusation_outcome: str | None
    outcome_on: date | None
    verified_by: str | None
    category: str
    withdrawn: bool
    version: int

    @property
    def methods_text(self) -> str:
        return "、".join(self.methods)


def parse_methods(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    chosen = {str(m).strip() for m in items if str(m).strip()}
    return tuple(m for m in METHODS if m in chosen) + tuple(sorted(chosen - set(METHODS)))


def _row(r, units: dict[int, str] | None = None) -> ClarificationRow:
    """`r` is a row of _select(): plain columns in that order, never ORM objects. `units`: the list labels (a
    leaf several units bear shown with its path); the unit's own name without them (what a notice reads)."""
    (id_, accusation_id, cadre_id, cadre_name, unit_name, post, status, initiated_by, consent, person_view, methods,
     scope, issues, conclusion, approved_by, approved_on, done_on, doc_number, outcome, outcome_on, verified_by,
     category, withdrawn_at, version, unit_id) = r
    if units:
        unit_name = units.get(unit_id, unit_name)
    return ClarificationRow(
        id=id_, accusation_id=accusation_id, cadre_id=cadre_id, cadre_name=cadre_name, unit_name=unit_name,
        post=post, status=status, status_label=STATUS_LABELS.get(status, status), initiated_by=initiated_by,
        consent=consent, person_view=person_view, methods=_methods(methods), scope=scope,
        issues_clarified=issues, conclusion=conclusion, approved_by=approved_by,
        approved_on=approved_on, done_on=done_on, doc_number=doc_number, accusation_outcome=outcome,
        outcome_on=outcome_on, verified_by=verified_by, category=category,
        withdrawn=withdrawn_at is not None, version=version,
    )


@lru_cache(maxsize=256)
def _methods(stored: str | None) -> tuple[str, ...]:
    """parse_methods of a stored value (few distinct values: cached for the lists)."""
    return parse_methods(stored)


def _select():
    """The clarification with its accusation's outcome and the person — one joined query, plain columns."""
    c, a = Clarification, Accusation
    return (select(
        c.id, c.accusation_id, c.cadre_id, Cadre.name.label("cadre_name"), Unit.name.label("unit_name"),
        Cadre.current_post.label("post"), c.status, c.initiated_by, c.consent, c.person_view, c.methods, c.scope,
        c.issues_clarified, c.conclusion, c.approved_by, c.approved_on, c.done_on, c.doc_number,
        a.outcome.label("accusation_outcome"), a.outcome_on, a.verified_by, a.category, c.withdrawn_at, c.version,
        Cadre.unit_id)
            .select_from(Clarification)
            .join(Accusation, Accusation.id == Clarification.accusation_id)
            .join(Cadre, Cadre.id == Clarification.cadre_id)
            .outerjoin(Unit, Unit.id == Cadre.unit_id))


def _load(session: Session, clarification_id: int) -> Clarification:
    c = session.get(Clarification, clarification_id)
    if c is None or c.withdrawn_at is not None:
        raise NotFoundError(f"找不到第{clarification_id}号澄清正名（可能已撤回）。请刷新列表。")
    return c


def get_clarification(session: Session, actor: Actor, clarification_id: int) -> ClarificationRow:
    actor.require("read")
    _load(session, clarification_id)
    return _row(session.execute(_select().where(Clarification.id == clarification_id)).one())


def _list_where(stmt, status: str | None, cadre_id: int | None, session: Session | None = None, text: str = "",
                actor: Actor | None = None):
    stmt = stmt.where(Clarification.withdrawn_at.is_(None))
    if session is not None and (text or "").strip():  # the search box: the cadre list's matching rule
        stmt = stmt.where(*cadre_text_where(Clarification.cadre_id, session, text, actor))
    if status:
        if status not in STATUSES:
            raise ValidationError(f"状态“{status}”无效。", "status")
        stmt = stmt.where(Clarification.status == status)
    if cadre_id is not None:
        stmt = stmt.where(Clarification.cadre_id == cadre_id)
    return stmt


def count_clarifications(session: Session, actor: Actor, *, status: str | None = None,
                         cadre_id: int | None = None, text: str = "") -> int:
    """How many list_clarifications would list with the same filter (for the paged list)."""
    actor.require("read")
    stmt = _list_where(select(func.count(Clarification.id)), status, cadre_id, session, text, actor)
    return session.execute(stmt).scalar_one()


def list_clarifications(session: Session, actor: Actor, *, status: str | None = None, cadre_id: int | None = None,
                        limit: int = 500, offset: int = 0, text: str = "") -> list[ClarificationRow]:
    """One page. Pending and approved oldest first (they are work to do); done and declined newest first."""
    actor.require("read")
    # the page is chosen first (clarification and its accusation's date only), then the person is joined
    if status in ("done", "declined"):
        page = _list_where(select(Clarification.id.label("id"), Clarification.done_on.label("key")), status, cadre_id,
                           session, text, actor)
        page = page.order_by(Clarification.done_on.desc(), Clarification.id.desc())
    else:
        page = _list_where(select(Clarification.id.label("id"), Accusation.outcome_on.label("key"))
                           .join(Accusation, Accusation.id == Clarification.accusation_id), status, cadre_id,
                           session, text, actor)
        page = page.order_by(Accusation.outcome_on, Clarification.id)
    page = page.offset(offset).limit(limit).subquery("page")
    order = (page.c.key.desc(), page.c.id.desc()) if status in ("done", "declined") else (page.c.key, page.c.id)
    stmt = _select().join(page, page.c.id == Clarification.id).order_by(*order)
    units = list_labels(session)
    return [_row(r, units) for r in session.execute(stmt)]


def counts(session: Session, actor: Actor) -> dict[str, int]:
    actor.require("read")
    result = {s: 0 for s in STATUSES}
    stmt = (select(Clarification.status, func.count(Clarification.id)).where(Clarification.withdrawn_at.is_(None))
            .group_by(Clarification.status))
    for status, n in session.execute(stmt):
        result[status] = result.get(status, 0) + n
    return result


# ------------------------------------------------------------------------------------------------ checks


def check_no_reporter_data(session: Session, accusation_id: int, texts: Iterable[str | None], field: str,
                           cadre_id: int | None = None) -> None:
    """Refuse text that carries the reporter's name, unit or contact, or any phone or ID number (domain §3.4);
    the cadre's own name, unit and post (cadre_id) are not the reporter's data (models/services/reporter_privacy.py)."""
    from models.services import reporter_privacy as rp

    own = rp.own_words(session, cadre_id) if cadre_id is not None else []
    found = rp.find(texts, rp.reporter_of(session, accusation_id), own)
    if found in ("电话号码", "身份证号"):
        raise ValidationError(f"这段文字中含有{found}。澄清材料不得出现联系方式或证件号码，请删去后再保存。", field)
    if found:
        raise ValidationError(
            "这段文字中含有举报人的姓名、单位或联系方式。澄清材料不得出现任何能识别举报人的信息，请删去后再保存。", field)


def _text(data: dict, key: str, max_len: int) -> str | None:
    value = data.get(key)
    value = None if value is None else str(value).strip()
    if not value:
        return None
    if len(value) > max_len:
        raise ValidationError(f"{LABELS[key]}太长：不超过{max_len}个字（现为{len(value)}个字）。", key)
    return value


def _validate(session: Session, c: Clarification, data: dict) -> dict:
    values: dict = {}
    initiated = data.get("initiated_by") or None
    if initiated is not None and initiated not in INITIATED_BY:
        raise ValidationError(f"发起方式应为{'、'.join(INITIATED_BY)}之一。", "initiated_by")
    values["initiated_by"] = initiated
    consent = data.get("consent") or None
    if consent is not None and consent not in CONSENTS:
        raise ValidationError(f"本人意见应为{'、'.join(CONSENTS)}之一。", "consent")
    values["consent"] = consent
    values["person_view"] = _text(data, "person_view", 2000)
    methods = parse_methods(data.get("methods"))
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValidationError(f"澄清方式“{unknown[0]}”无效，应为{'、'.join(METHODS)}。", "methods")
    if methods and "书面" not in methods:
        raise ValidationError(
            f"采用{'、'.join(methods)}澄清的，必须同时书面澄清（中央纪委《关于做好失实检举控告澄清工作的意见》）。请同时勾选“书面”。",
            "methods")
    values["methods"] = ",".join(methods) or None
    values["scope"] = _text(data, "scope", 500)
    values["issues_clarified"] = _text(data, "issues_clarified", 2000)
    values["conclusion"] = _text(data, "conclusion", 1000)
    check_no_reporter_data(session, c.accusation_id, [values["issues_clarified"]], "issues_clarified", c.cadre_id)
    check_no_reporter_data(session, c.accusation_id, [values["conclusion"]], "conclusion", c.cadre_id)
    check_no_reporter_data(session, c.accusation_id, [values["scope"]], "scope", c.cadre_id)
    return values


def _ready_for_approval(session: Session, c: Clarification) -> None:
    missing = []
    if not c.initiated_by:
        missing.append("发起方式")
    if not c.consent:
        missing.append("本人意见")
    if not c.methods:
        missing.append("澄清方式")
    if not c.issues_clarified:
        missing.append("澄清的问题")
    if not c.conclusion:
        missing.append("核查结论")
    if missing:
        raise ValidationError(f"报批前请先填写：{'、'.join(missing)}。", "status")
    if c.consent != "同意":
        raise ValidationError("本人尚未同意澄清，不能批准。请先听取本人意见并做好说明；本人明确不同意的，请点“终止”。",
                              "consent")
    scoped = [m for m in parse_methods(c.methods) if m in SCOPED_METHODS]
    if scoped and not c.scope:
        raise ValidationError(f"采用{'、'.join(scoped)}澄清的，请写明澄清范围（应与不良影响的范围相当）。", "scope")


# ------------------------------------------------------------------------------------------------ writing


def _snap(c: Clarification) -> dict:
    return audit.snapshot(c)


def update_clarification(session: Session, actor: Actor, clarification_id: int, data: dict, *,
                         version: int | None = None) -> ClarificationRow:
    """Edit the details while the clarification waits for approval."""
    actor.require("handle_accusations")
    c = _load(session, clarification_id)
    concurrency.check_version(session, c, version, labels=LABELS)
    if c.status != "pending":
        raise ValidationError(f"这条澄清正名{STATUS_LABELS[c.status]}，内容不能再修改。", "status")
    before = _snap(c)
    for key, value in _validate(session, c, data).items():
        setattr(c, key, value)
    with concurrency.guard(session, c, labels=LABELS):
        session.flush()
    b, after = audit.diff(before, _snap(c))
    if after:
        audit.record(session, actor, "update", "clarification", c.id, before=b, after=after, cadre_id=c.cadre_id,
                     summary="修改澄清正名")
    return get_clarification(session, actor, c.id)


def approve(session: Session, actor: Actor, clarification_id: int, approved_by: str, approved_on: date, *,
            version: int | None = None, today: date | None = None) -> ClarificationRow:
    actor.require("handle_accusations")
    c = _load(session, clarification_id)
    concurrency.check_version(session, c, version, labels=LABELS)
    if c.status != "pending":
        raise ValidationError(f"这条澄清正名{STATUS_LABELS[c.status]}，不需要再批准。", "status")
    approved_by = (approved_by or "").strip()
    if not approved_by:
        raise ValidationError("请填写批准人（如：市纪委常委会、某某书记）。", "approved_by")
    if len(approved_by) > 60:
        raise ValidationError("批准人太长：不超过60个字。", "approved_by")
    if not isinstance(approved_on, date):
        raise ValidationError("请填写批准日期。", "approved_on")
    a = session.get(Accusation, c.accusation_id)
    if a.outcome_on and approved_on < a.outcome_on:
        raise ValidationError(f"批准日期早于举报核查结论日期（{a.outcome_on.isoformat()}），请核对。", "approved_on")
    if today is not None and approved_on > today:
        raise ValidationError("批准日期晚于今天，请核对。", "approved_on")
    _ready_for_approval(session, c)
    before = _snap(c)
    c.approved_by, c.approved_on, c.status = approved_by, approved_on, "approved"
    with concurrency.guard(session, c, labels=LABELS):
        session.flush()
    b, after = audit.diff(before, _snap(c))
    audit.record(session, actor, "approve", "clarification", c.id, before=b, after=after, cadre_id=c.cadre_id,
                 summary=f"批准澄清正名（{approved_by}，{approved_on.isoformat()}）")
    return get_clarification(session, actor, c.id)


def allocate_number(session: Session, actor: Actor, clarification_id: int, year: int) -> str:
    """Give the clarification its 文号 (once; later calls return the same one)."""
    actor.require("handle_accusations")
    c = _load(session, clarification_id)
    if c.doc_number:
        return c.doc_number
    if c.status not in ("approved", "done"):
        raise ValidationError("澄清正名批准后才能编发文号。", "doc_number")
    from models.services import document_numbers

    issued = document_numbers.allocate(session, actor, DOC_KIND, year, subject_type="clarification", subject_id=c.id)
    c.doc_number = issued.text
    session.flush()
    audit.record(session, actor, "update", "clarification", c.id, before={"doc_number": None},
                 after={"doc_number": issued.text}, cadre_id=c.cadre_id, summary=f"澄清正名文号 {issued.text}")
    return issued.text


def mark_done(session: Session, actor: Actor, clarification_id: int, done_on: date, *,
              doc_number: str | None = None, version: int | None = None, today: date | None = None) -> ClarificationRow:
    """The clarification was carried out. Without a 文号 one is allocated for the year of `done_on`."""
    actor.require("handle_accusations")
    c = _load(session, clarification_id)
    concurrency.check_version(session, c, version, labels=LABELS)
    if c.status != "approved":
        raise ValidationError("澄清正名批准后才能登记完成。" if c.status == "pending"
                              else f"这条澄清正名{STATUS_LABELS[c.status]}。", "status")
    if not isinstance(done_on, date):
        raise ValidationError("请填写澄清完成的日期。", "done_on")
    if done_on < c.approved_on:
        raise ValidationError(f"完成日期早于批准日期（{c.approved_on.isoformat()}），请核对。", "done_on")
    if today is not None and done_on > today:
        raise ValidationError("完成日期晚于今天，请核对。", "done_on")
    doc_number = (doc_number or "").strip() or None
    if doc_number:
        from models.services.document_numbers import parse_number

        if parse_number(doc_number) is None:
            raise ValidationError(f"文号“{doc_number}”格式不对，应为“机关代字〔年份〕序号号”，如 某纪〔2026〕3号。", "doc_number")
        c.doc_number = doc_number
    elif not c.doc_number:
        allocate_number(session, actor, c.id, done_on.year)
    before = _snap(c)
    c.done_on, c.status = done_on, "done"
    with concurrency.guard(session, c, labels=LABELS):
        session.flush()
    b, after = audit.diff(before, _snap(c))
    audit.record(session, actor, "done", "clarification", c.id, before=b, after=after, cadre_id=c.cadre_id,
                 summary=f"澄清正名已完成（{c.doc_number}）")
    return get_clarification(session, actor, c.id)


def decline(session: Session, actor: Actor, clarification_id: int, reason: str, *, on: date,
            version: int | None = None) -> ClarificationRow:
    """The person does not want a clarification (after the organ explained, domain §3.2): closed, not deleted."""
    actor.require("handle_accusations")
    c = _load(session, clarification_id)
    concurrency.check_version(session, c, version, labels=LABELS)
    if c.status != "pending":
        raise ValidationError(f"这条澄清正名{STATUS_LABELS[c.status]}，不能终止。", "status")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("请写明终止的原因（如：本人书面表示不需要澄清）。", "reason")
    before = _snap(c)
    c.status, c.consent, c.done_on = "declined", "不同意", on
    c.person_view = (c.person_view + "\n" if c.person_view else "") + reason
    with concurrency.guard(session, c, labels=LABELS):
        session.flush()
    b, after = audit.diff(before, _snap(c))
    audit.record(session, actor, "decline", "clarification", c.id, before=b, after=after, cadre_id=c.cadre_id,
                 summary=f"终止澄清正名：{reason}")
    return get_clarification(session, actor, c.id)


def due_by(session: Session, row: ClarificationRow) -> date | None:
    """Approved clarifications should be done within `clarification.working_days` working days (domain §3.2)."""
    if row.approved_on is None:
        return None
    from models.rules.calendar import add_working_days
    from models.services.holidays import load_calendar

    n = int(settings_store.get(session, "clarification.working_days") or 5)
    return add_working_days(row.approved_on, n, load_calendar(session))
