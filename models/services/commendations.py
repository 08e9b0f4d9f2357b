"""Commendations (公务员法 Art 53 kinds and the local honours), their revocation, the "consider first for use"
list and the share of grassroots cadres among each year's 百佳 (domain §5.2, §6)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, and_, bindparam, case, exists, extract, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from models.core import audit, concurrency, withdrawal
from models.reference import codes
from models.rules import rule_table
from models.core.actor import Actor
from models.entities import Cadre, Commendation, Restriction, Unit
from models.core.errors import ConflictError, NotFoundError, ValidationError
from models.services.cadres.search import cadre_text_where
from models.services.unit_names import list_labels

LABELS = {
    "cadre_id": "干部", "kind": "奖励种类", "honour": "称号/荣誉名称", "awarded_on": "奖励日期", "organ": "奖励机关",
    "doc_number": "文号", "reason": "奖励事由", "urgent_task": "参与急难险重任务", "urgent_task_desc": "急难险重任务",
    "double_victory": "双胜利", "revoked_on": "撤销日期", "revoked_reason": "撤销理由",
}
FIELDS = ("cadre_id", "kind", "honour", "awarded_on", "organ", "doc_number", "reason", "urgent_task",
          "urgent_task_desc", "double_victory")


@dataclass(frozen=True)
class SavedCommendation:
    id: int
    version: int


@dataclass(frozen=True)
class CommendationRow:
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str | None
    kind: str
    honour: str | None
    awarded_on: date
    organ: str | None
    doc_number: str | None
    urgent_task: bool
    double_victory: bool
    revoked_on: date | None
    withdrawn: bool


@dataclass(frozen=True)
class PriorityRow:
    cadre_id: int
    name: str
    unit_name: str | None
    current_post: str | None
    rank: str | None
    commendations: int
    latest_on: date
    urgent_task: bool
    double_victory: bool
    is_grassroots: bool


@dataclass(frozen=True)
class YearShare:
    year: int
    total: int
    grassroots: int

    @property
    def share(self) -> float:
        return self.grassroots / self.total if self.total else 0.0


def _text(data: dict, key: str, max_len: int | None) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    if max_len and len(value) > max_len:
        raise ValidationError(f"“{LABELS[key]}”最多{max_len}个字，请精简。", key)
    return value


def _validate(session: Session, data: dict[str, Any], today: date | None) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(f"未知的字段：{'、'.join(sorted(unknown))}。", sorted(unknown)[0])
    out: dict[str, Any] = {}
    cadre_id = data.get("cadre_id")
    cadre = session.get(Cadre, cadre_id) if cadre_id else None
    if cadre is None:
        raise ValidationError("请先选择受奖励的干部。", "cadre_id")
    if cadre.withdrawn_at is not None:
        raise ValidationError(f"干部“{cadre.name}”的记录已撤销，不能再登记奖励。", "cadre_id")
    out["cadre_id"] = cadre.id
    kind = _text(data, "kind", 40)
    kinds = codes.commendation_kinds(session)
    if not kind:
        raise ValidationError("请选择奖励种类。", "kind")
    if kind not in kinds:
        raise ValidationError(
            f"奖励种类“{kind}”不在代码表中。可选：{'、'.join(kinds)}；本地荣誉可在“设置 → 代码表”中增加。", "kind")
    out["kind"] = kind
    out["honour"] = _text(data, "honour", 100)
    if kind == "授予称号" and not out["honour"]:
        raise ValidationError("“授予称号”要写明所授称号的名称。", "honour")
    awarded = data.get("awarded_on")
    if not isinstance(awarded, date):
        raise ValidationError("请填写奖励日期（按奖励决定上的日期）。", "awarded_on")
    if today is not None and awarded > today:
        raise ValidationError(f"奖励日期{awarded.isoformat()}晚于今天，不能是将来的日期。", "awarded_on")
    if cadre.birth_date and awarded < cadre.birth_date:
        raise ValidationError("奖励日期早于该干部的出生日期，请核对。", "awarded_on")
    out["awarded_on"] = awarded
    out["organ"] = _text(data, "organ", 100)
    out["doc_number"] = _text(data, "doc_number", 60)
    out["reason"] = _text(data, "reason", None)
    out["urgent_task"] = bool(data.get("urgent_task"))
    out["urgent_task_desc"] = _text(data, "urgent_task_desc", 200)
    if out["urgent_task"] and not out["urgent_task_desc"]:
        raise ValidationError("勾选了“参与急难险重任务”，请写明是哪项任务（如：2020年疫情防控）。", "urgent_task_desc")
    if not out["urgent_task"]:
        out["urgent_task_desc"] = None
    out["double_victory"] = bool(data.get("double_victory"))
    return out


def _load(session: Session, commendation_id: int) -> Commendation:
    row = session.get(Commendation, commendation_id)
    if row is None:
        raise NotFoundError(f"找不到编号为{commendation_id}的奖励记录，请刷新列表。")
    return row


def _summary(c: Commendation) -> str:
    return f"{c.cadre.name if c.cadre else ''} {c.kind}{('（' + c.honour + '）') if c.honour else ''} {c.awarded_on}"


def create_commendation(session: Session, actor: Actor, data: dict[str, Any], *,
                        today: date | None = None) -> SavedCommendation:
    actor.require("write")
    values = _validate(session, data, today)
    row = Commendation(**values)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "commendation", row.id, after=audit.snapshot(row), cadre_id=row.cadre_id,
                 summary=f"登记奖励 {_summary(row)}")
    return SavedCommendation(row.id, row.version)


def update_commendation(session: Session, actor: Actor, commendation_id: int, data: dict[str, Any], *,
                        version: int, today: date | None = None) -> SavedCommendation:
    actor.require("write")
    row = _load(session, commendation_id)
    if row.withdrawn_at is not None:
        raise ConflictError("这条奖励记录已撤回，不能修改。")
    concurrency.check_version(session, row, version, error=lambda: ConflictError(
        "在您编辑期间，这条奖励记录已被他人修改。请关闭后重新打开，核对最新内容再保存。"))
    merged = {k: getattr(row, k) for k in FIELDS}
    merged.update(data)
    values = _validate(session, merged, today)
    before = audit.snapshot(row)
    for k, v in values.items():
        setattr(row, k, v)
    with concurrency.guard(session, row, error=lambda: ConflictError(
            "在您编辑期间，这条奖励记录已被他人修改。请关闭后重新打开再保存。")):
        session.flush()
    b, a = audit.diff(before, audit.snapshot(row))
    if b or a:
        audit.record(session, actor, "update", "commendation", row.id, before=b, after=a, cadre_id=row.cadre_id,
                     summary=f"修改奖励 {_summary(row)}")
    return SavedCommendation(row.id, row.version)


def revoke_commendation(session: Session, actor: Actor, commendation_id: int, *, on: date, reason: str,
                        today: date | None = None) -> SavedCommendation:
    """撤销奖励 (公务员法 Art 56): the record is kept and marked, with the date and the reason."""
    actor.require("write")
    row = _load(session, commendation_id)
    if row.withdrawn_at is not None:
        raise ConflictError("这条奖励记录已撤回，不能再撤销。")
    if row.revoked_on is not None:
        raise ConflictError(f"这项奖励已于{row.revoked_on.isoformat()}撤销过了。")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("请写明撤销奖励的理由（如：申报时弄虚作假）。", "revoked_reason")
    if not isinstance(on, date):
        raise ValidationError("请填写撤销日期。", "revoked_on")
    if on < row.awarded_on:
        raise ValidationError("撤销日期不能早于奖励日期。", "revoked_on")
    if today is not None and on > today:
        raise ValidationError("撤销日期不能是将来的日期。", "revoked_on")
    row.revoked_on, row.revoked_reason = on, reason
    session.flush()
    audit.record(session, actor, "revoke", "commendation", row.id, after={"revoked_on": on, "revoked_reason": reason},
                 cadre_id=row.cadre_id, summary=f"撤销奖励 {_summary(row)}：{reason}")
    return SavedCommendation(row.id, row.version)


def withdraw_commendation(session: Session, actor: Actor, commendation_id: int, reason: str) -> None:
    """Withdraw a record entered by mistake (not a revocation): kept, hidden from lists, visible to admins."""
    actor.require("write")
    row = _load(session, commendation_id)
    if row.withdrawn_at is not None:
        raise ConflictError("这条奖励记录已经撤回过了。")
    withdrawal.withdraw(session, actor, row, reason, "请写明撤回的原因（如：录入错误、重复录入）。",
                        entity="commendation", cadre_id=row.cadre_id,
                        summary=lambda why: f"撤回奖励记录 {_summary(row)}：{why}")


def form_values(session: Session, actor: Actor, commendation_id: int) -> dict[str, Any]:
    actor.require("read")
    row = _load(session, commendation_id)
    values = {k: getattr(row, k) for k in FIELDS}
    values.update(id=row.id, version=row.version, cadre_name=row.cadre.name, revoked_on=row.revoked_on,
                  revoked_reason=row.revoked_reason, withdrawn=row.withdrawn_at is not None)
    return values


def _records_where(stmt, actor: Actor, *, year: int | None, kind: str | None, cadre_id: int | None,
                   include_revoked: bool, include_withdrawn: bool, session: Session, text: str = ""):
    k = Commendation.__table__
    if not (include_withdrawn and actor.can("admin")):
        stmt = stmt.where(k.c.withdrawn_at.is_(None))
    if year is not None:
        stmt = stmt.where(k.c.awarded_on >= date(year, 1, 1), k.c.awarded_on <= date(year, 12, 31))
    if kind:
        stmt = stmt.where(k.c.kind == kind)
    if cadre_id is not None:
        stmt = stmt.where(k.c.cadre_id == cadre_id)
    if not include_revoked:
        stmt = stmt.where(k.c.revoked_on.is_(None))
    if (text or "").strip():  # the search box: the cadre list's matching rule
        stmt = stmt.where(*cadre_text_where(k.c.cadre_id, session, text, actor))
    return stmt


def list_commendations(session: Session, actor: Actor, *, year: int | None = None, kind: str | None = None,
                       cadre_id: int | None = None, include_revoked: bool = True, include_withdrawn: bool = False,
                       offset: int = 0, limit: int | None = 500, text: str = "") -> list[CommendationRow]:
    """One page of records, newest first (one query of plain columns)."""
    actor.require("read")
    c, k, u = Cadre.__table__, Commendation.__table__, Unit.__table__
    stmt = (
        select(k.c.id, k.c.cadre_id, c.c.name, u.c.name, k.c.kind, k.c.honour, k.c.awarded_on, k.c.organ,
               k.c.doc_number, k.c.urgent_task, k.c.double_victory, k.c.revoked_on, k.c.withdrawn_at.is_not(None),
               c.c.unit_id)
        .select_from(k.join(c, c.c.id == k.c.cadre_id).outerjoin(u, u.c.id == c.c.unit_id))
        .order_by(k.c.awarded_on.desc(), k.c.id.desc())
    )
    stmt = _records_where(stmt, actor, year=year, kind=kind, cadre_id=cadre_id, include_revoked=include_revoked,
                          include_withdrawn=include_withdrawn, session=session, text=text)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    units = list_labels(session)  # a unit name several units bear, with its path
    return [CommendationRow(*r[:3], units.get(r[13], r[3]), *r[4:13]) for r in session.execute(stmt)]


def count_commendations(session: Session, actor: Actor, *, year: int | None = None, kind: str | None = None,
                        cadre_id: int | None = None, include_revoked: bool = True,
                        include_withdrawn: bool = False, text: str = "") -> int:
    """How many records `list_commendations` pages through with the same filters (commendation table alone)."""
    actor.require("read")
    stmt = _records_where(select(func.count()).select_from(Commendation.__table__), actor, year=year, kind=kind,
                          cadre_id=cadre_id, include_revoked=include_revoked, include_withdrawn=include_withdrawn,
                          session=session, text=text)
    return session.execute(stmt).scalar_one()


# --- consider first for use -------------------------------------------------------------------------------------
# The rule (domain §6): at least one commendation (not revoked, not withdrawn) awarded in since … today; the cadre in
# post, not withdrawn, off date not after today, and no promotion-type restriction running today.
#
# On 100,000 cadres nothing is summed per read: each cadre row carries the latest dates of its live commendations
# (any, 急难险重, 双胜利; models/derived/commendation_summary.py keeps them on every write), so "commended in the
# window" is a range of the index ix_cadre_commended, which also holds every other condition and the sort keys; the
# commendations themselves are read only for the page shown (how many, the latest, and the exact flags). A stored
# date after today (a future-dated record, which the forms refuse) makes the filter ask the commendations; in the
# sort it can only move that cadre within the list.
# "No running restriction" needs no per-cadre probe: the engine keeps Cadre.off_date = the latest off date of the
# cadre's promotion-type restrictions (models/derived/restrictions.py), so for a cadre whose off date is not after today the
# only restrictions that can still run are the open-ended ones (no off date) — a handful, read once through
# ix_restriction_kind_off.
#
# Order: 急难险重 first, then 双胜利, then the most recent commendation, then name (pinyin). (The number of
# commendations in the window is shown but does not order the list: it would have to be summed for every candidate.)


def _window_conditions(today, since) -> list:
    k = Commendation.__table__
    conds = [k.c.withdrawn_at.is_(None), k.c.revoked_on.is_(None), k.c.awarded_on <= today]
    if since is not None:
        conds.append(k.c.awarded_on >= since)
    return conds


def _in_window(k_extra, today, since):
    """Commendations of the outer query's cadre in the window, with extra conditions."""
    k = Commendation.__table__
    return and_(k.c.cadre_id == Cadre.__table__.c.id, *_window_conditions(today, since), *k_extra)


def _stored_in_window(column, since):
    """From a stored latest date: the cadre has such a commendation since `since` (see the note above on dates
    after today). Never NULL, so that its negation is exact."""
    if since is None:
        return column.is_not(None)
    return and_(column.is_not(None), column >= since)


def _page_ids(today, since, paged: bool):
    """The ids of one page of the list with their sort keys, from the cadre index alone.

    Sorting all ~9,000 candidates by the two flags and the date cost 10–15 ms; instead the list is read as four
    parts, one per combination of the flags, each straight in the index's date order and cut to offset + limit
    rows (a constant in ORDER BY would make SQLite sort the whole part); the few rows left are sorted once more."""
    c = Cadre.__table__
    urgent, double = _stored_in_window(c.c.urgent_commended_on, since), _stored_in_window(c.c.double_victory_on, since)
    selects = []
    for u_key, d_key in ((1, 1), (1, 0), (0, 1), (0, 0)):
        part = priority_where(select(c.c.id.label("id"), literal(u_key).label("urgent_key"),
                                     literal(d_key).label("double_key"), c.c.commended_on.label("latest_key"),
                                     c.c.name_pinyin.label("py")), today, since)
        part = part.where(urgent if u_key else ~urgent, double if d_key else ~double)
        part = part.order_by(c.c.commended_on.desc(), c.c.name_pinyin, c.c.id)
        if paged:
            part = part.limit(bindparam("part_limit", type_=Integer))
        selects.append(select(*part.subquery().c))
    both = union_all(*selects).subquery("parts")
    page = select(*both.c).order_by(both.c.urgent_key.desc(), both.c.double_key.desc(), both.c.latest_key.desc(),
                                     both.c.py, both.c.id)
    if paged:
        page = page.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    return page.subquery("page")


def _open_ended_restricted(today):
    """Cadres with a promotion-type restriction that started and has no off date."""
    r = Restriction.__table__
    return select(r.c.cadre_id).where(r.c.kind.in_(sorted(rule_table.OFF_DATE_KINDS)), r.c.off_date.is_(None),
                                      r.c.start <= today)


def eligible_conditions(today) -> list:
    """Conditions on Cadre for "may be considered for use today" (see the note above)."""
    c = Cadre.__table__
    return [c.c.withdrawn_at.is_(None), func.coalesce(c.c.status, "") == "在职",
            or_(c.c.off_date.is_(None), c.c.off_date <= today), c.c.id.not_in(_open_ended_restricted(today))]


def priority_where(stmt, today, since):
    """`stmt` (over Cadre) narrowed to the cadres `priority_for_use` lists (today / since: dates or bound
    parameters; since None = no lower limit)."""
    c = Cadre.__table__
    low = c.c.commended_on.is_not(None) if since is None else c.c.commended_on >= since
    exact = exists().where(_in_window((), today, since))
    return stmt.where(low, or_(c.c.commended_on <= today, exact), *eligible_conditions(today))


_TODAY = bindparam("today", type_=Date)
_SINCE = bindparam("since", type_=Date)


@functools.lru_cache(maxsize=None)
def _priority_statements(with_since: bool, paged: bool):
    """(count, list) statements with the dates (and the page) as bound parameters, built once: building this
    statement anew on every call cost more than running it (≈ 8 ms on the 工作台)."""
    today, since = _TODAY, (_SINCE if with_since else None)
    c, k, u = Cadre.__table__, Commendation.__table__, Unit.__table__
    count = priority_where(select(func.count()).select_from(c), today, since)
    page = _page_ids(today, since, paged)

    def in_window(*extra):
        return select(func.count()).where(_in_window(extra, today, since)).scalar_subquery()

    latest = select(func.max(k.c.awarded_on)).where(_in_window((), today, since)).scalar_subquery()
    rows = (
        select(c.c.id, c.c.name, u.c.name, c.c.current_post, c.c.rank, in_window(), latest,
               in_window(k.c.urgent_task.is_(True)), in_window(k.c.double_victory.is_(True)),
               is_grassroots())
        .select_from(page.join(c, c.c.id == page.c.id).outerjoin(u, u.c.id == c.c.unit_id))
        .order_by(page.c.urgent_key.desc(), page.c.double_key.desc(), page.c.latest_key.desc(), page.c.py,
                  page.c.id)
    )
    return count, rows


def count_priority(session: Session, actor: Actor, *, today: date, since: date | None = None) -> int:
    actor.require("read")
    stmt, _rows = _priority_statements(since is not None, False)
    return session.execute(stmt, {"today": today, "since": since}).scalar_one()


def priority_for_use(session: Session, actor: Actor, *, today: date, since: date | None = None,
                     limit: int | None = 1000, offset: int = 0) -> list[PriorityRow]:
    """Cadres to consider first for use (domain §6): at least one commendation (not revoked, not withdrawn,
    awarded in since … today), in post, not withdrawn, and no running promotion-type restriction today.
    急难险重 and 双胜利 first, then the most recent commendation, then name. The page is chosen and ordered from the
    cadre index alone (the stored latest dates, see the note above); then only its rows are read, with their units
    and their commendations in the window counted and flagged exactly."""
    actor.require("read")
    _count, stmt = _priority_statements(since is not None, limit is not None)
    params = {"today": today, "since": since}
    if limit is not None:
        params.update(limit=limit, offset=offset, part_limit=offset + limit)
    return [
        PriorityRow(r[0], r[1], r[2], r[3], r[4], int(r[5]), _as_date(r[6]), bool(r[7]), bool(r[8]), bool(r[9]))
        for r in session.execute(stmt, params)
    ]


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def is_grassroots():
    """A grassroots cadre: the cadre's own 基层 flag or that of the unit (query over Cadre outer-joined to Unit)."""
    return or_(Cadre.__table__.c.is_grassroots, func.coalesce(Unit.__table__.c.is_grassroots, False))


def is_honour(honour: str):
    """A commendation of this honour: its kind, or a title containing it (e.g. 2023年度百佳公务员)."""
    k = Commendation.__table__
    return or_(k.c.kind == honour, k.c.honour.contains(honour, autoescape=True))


def grassroots_share(session: Session, actor: Actor, *, honour: str = codes.BAIJIA, date_from: date | None = None,
                     date_to: date | None = None, unit_ids: list[int] | None = None) -> list[YearShare]:
    """Per year: how many cadres got the honour (kind or title equal to / containing it; not revoked or
    withdrawn) and how many of them are grassroots cadres (Cadre.is_grassroots or their unit's); optionally only
    awards dated from … to and cadres of these units."""
    actor.require("read")
    c, k, u = Cadre.__table__, Commendation.__table__, Unit.__table__
    year = extract("year", k.c.awarded_on)
    stmt = (
        select(year, func.count(func.distinct(k.c.cadre_id)),
               func.count(func.distinct(case((is_grassroots(), k.c.cadre_id), else_=None))))
        .select_from(k.join(c, c.c.id == k.c.cadre_id).outerjoin(u, u.c.id == c.c.unit_id))
        .where(k.c.withdrawn_at.is_(None), k.c.revoked_on.is_(None), is_honour(honour))
        .group_by(year).order_by(year)
    )
    if date_from is not None:
        stmt = stmt.where(k.c.awarded_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(k.c.awarded_on <= date_to)
    if unit_ids is not None:
        stmt = stmt.where(c.c.unit_id.in_(unit_ids))
    return [YearShare(int(r[0]), int(r[1]), int(r[2])) for r in session.execute(stmt)]


__all__ = [
    "CommendationRow", "PriorityRow", "SavedCommendation", "YearShare", "count_commendations", "count_priority",
    "create_commendation", "eligible_conditions", "form_values", "grassroots_share", "is_grassroots", "is_honour", "list_commendations",
    "priority_for_use", "priority_where", "revoke_commendation", "update_commendation", "withdraw_commendation",
]
