"""Cadres: create, update (optimistic locking), withdraw; search as you type; the cadre's page; the 奖惩情况 text.

Search (design §7): plain rows from one Core query, sorted and paged in SQL. The text is split on spaces and every
term must match one of: any part of the name, the start of the pinyin initials or full pinyin (or any part of the
full pinyin from two letters on), any part of the ID number (only for roles that may see ID numbers), any part of
a unit's name. Prefix look-ups use the plain (BINARY) indexes on name_pinyin / name_initials through GLOB; the
substring fallback is a scan of a narrow covering index (ix_cadre_search), not of the wide cadre rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models.core import audit
from models.reference import codes
from models.reference import id_number as idn
from models.reference import pinyin
from models.core.actor import Actor
from models.entities import (
    Accusation, AccusationSubject, AnnualAssessment, AuditEvent, Cadre, Clarification, Commendation,
    ExpiryAssessment, FamilyMember, Handling, Restriction, Unit, Visit,
)
from models.core.errors import ConflictError, NotFoundError, ValidationError

# ---------------------------------------------------------------------------------------------------------------
# Field labels and the editable fields

FIELD_LABELS: dict[str, str] = {
    "name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族",
    "native_place": "籍贯", "birthplace": "出生地", "party_joined": "入党时间", "political_status": "政治面貌",
    "work_started": "参加工作时间", "health": "健康状况", "tech_title": "专业技术职务", "specialty": "熟悉专业有何专长",
    "ft_education": "全日制学历", "ft_degree": "全日制学位", "ft_education_school": "全日制学历毕业院校系及专业",
    "ft_degree_school": "全日制学位毕业院校系及专业", "pt_education": "在职学历", "pt_degree": "在职学位",
    "pt_education_school": "在职学历毕业院校系及专业", "pt_degree_school": "在职学位毕业院校系及专业",
    "current_post": "现任职务", "proposed_post": "拟任职务", "proposed_removal": "拟免职务", "resume": "简历",
    "annual_assessment_text": "年度考核结果", "appointment_reason": "任免理由", "reporting_unit": "呈报单位",
    "form_filler": "填表人", "photo": "照片", "unit_id": "工作单位", "identity_category": "身份类别",
    "post_level": "职务层次", "rank": "职级", "grade": "级别", "post_since": "任现职时间", "rank_since": "任现职级时间",
    "is_party_member": "是否党员", "party_org": "所在党组织", "management_authority": "干部管理权限",
    "is_grassroots": "是否基层干部", "status": "状态", "family": "家庭主要成员", "assessments": "年度考核",
}
DATE_FIELDS = ("birth_date", "work_started", "post_since", "rank_since")
BOOL_FIELDS = ("is_party_member", "is_grassroots")
TEXT_FIELDS = tuple(
    k for k in FIELD_LABELS
    if k not in DATE_FIELDS + BOOL_FIELDS + ("photo", "unit_id", "family", "assessments", "name", "id_number")
)
EDITABLE_FIELDS = ("name", "id_number") + TEXT_FIELDS + DATE_FIELDS + BOOL_FIELDS + ("photo", "unit_id")
MAX_PHOTO_BYTES = 2 * 1024 * 1024


class DuplicateCadreError(ConflictError):
    """A second cadre with the same ID number. `existing_id`/`existing_name` let the GUI link to the first."""

    def __init__(self, message: str, existing_id: int, existing_name: str):
        super().__init__(message)
        self.existing_id = existing_id
        self.existing_name = existing_name
        self.field = "id_number"


class StaleCadreError(ConflictError):
    """The cadre changed since it was read; `changed` names the fields (Chinese labels) someone else changed."""

    def __init__(self, message: str, changed: list[str]):
        super().__init__(message)
        self.changed = changed


# ---------------------------------------------------------------------------------------------------------------
# Plain rows returned to the GUI

@dataclass(frozen=True)
class CadreRow:
    id: int
    name: str
    gender: str | None
    birth_date: date | None
    id_number: str
    unit_name: str | None
    current_post: str | None
    rank: str | None
    identity_category: str | None
    status: str
    off_date: date | None
    unit_id: int | None = None  # to show the unit's full path where its leaf name is ambiguous


@dataclass
class CadreFilter:
    text: str = ""
    unit_id: int | None = None  # the unit and its sub-units
    identity_category: str | None = None
    rank: str | None = None
    status: str | None = None
    in_impact_period: bool = False  # off_date > today
    today: date | None = None
    include_withdrawn: bool = False  # administrators only


@dataclass(frozen=True)
class SavedCadre:
    id: int
    version: int
    name: str


SORT_KEYS = ("name", "gender", "birth_date", "id_number", "unit", "current_post", "rank", "identity_category",
             "status", "off_date", "id")

# ---------------------------------------------------------------------------------------------------------------
# Search

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_GLOB_SPECIAL = re.compile(r"[\*\?\[\]]")
_cadre = Cadre.__table__
_unit = Unit.__table__


def _glob(session: Session, col, pattern: str):
    """`*` wildcard match. SQLite: GLOB (case-sensitive, uses the plain indexes for a prefix); other databases
    (PostgreSQL has no GLOB): the same pattern as an escaped LIKE."""
    if session.get_bind().dialect.name == "sqlite":
        return col.op("GLOB")(pattern)
    like = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
    return col.like(like, escape="\\")


def _term_condition(term: str, session: Session, may_see_id: bool):
    """One search term → OR over the fields it can match."""
    c = _cadre.c
    term = _GLOB_SPECIAL.sub("", term).replace("\x00", "")  # a search term is never stored: drop NULs
    if not term:
        return None
    norm = idn.normalise(term)
    if re.fullmatch(r"[0-9]+X?", norm):
        # part of an ID number: only for roles that may see ID numbers (no probing through the search box)
        return _glob(session, c.id_number, f"*{norm}*") if may_see_id else false()
    conds = []
    if term.isascii() and term.isalpha():
        t = term.lower()
        # initials from the start (zs → 张三), full pinyin anywhere (sanf → 张三丰); Latin letters in a name
        conds += [_glob(session, c.name_initials, f"{t}*"), _glob(session, c.name_pinyin, f"*{t}*")]
        if term != t:
            conds.append(_glob(session, c.name, f"*{term}*"))
    else:
        conds.append(_glob(session, c.name, f"*{pinyin.normalise_name(term)}*"))
    unit_ids = _units_matching(session, term)
    if unit_ids:
        conds.append(c.unit_id.in_(unit_ids))
    return or_(*conds)


def _units_matching(session: Session, term: str) -> list[int]:
    """Units whose name contains the term, with their sub-units (units are few: one small query)."""
    if len(term) < 2 and not _HAN.search(term):
        return []
    rows = session.execute(
        select(_unit.c.id, _unit.c.path).where(_glob(session, _unit.c.name, f"*{term}*"), _unit.c.withdrawn_at.is_(None))
    ).all()
    if not rows:
        return []
    ids = {r.id for r in rows}
    prefixes = [r.path for r in rows if r.path and r.path != "/"]
    if prefixes:
        sub = session.execute(
            select(_unit.c.id).where(or_(*[_glob(session, _unit.c.path, f"{p}*") for p in prefixes]))
        ).scalars()
        ids.update(sub)
    return sorted(ids)


def unit_and_subunit_ids(session: Session, unit_id: int) -> list[int]:
    path = session.execute(select(_unit.c.path).where(_unit.c.id == unit_id)).scalar()
    if path is None:
        return [unit_id]
    if path in ("", "/"):
        return [unit_id]
    ids = set(session.execute(select(_unit.c.id).where(_glob(session, _unit.c.path, f"{path}*"))).scalars())
    ids.add(unit_id)
    return sorted(ids)


def _where(session: Session, actor: Actor, flt: CadreFilter) -> list:
    c = _cadre.c
    where = []
    if not (flt.include_withdrawn and actor.can("admin")):
        where.append(c.withdrawn_at.is_(None))
    may_see_id = actor.can("see_id_number")
    for term in (flt.text or "").replace("\u3000", " ").split():
        cond = _term_condition(term, session, may_see_id)
        if cond is not None:
            where.append(cond)
    if flt.unit_id is not None:
        where.append(c.unit_id.in_(unit_and_subunit_ids(session, flt.unit_id)))
    if flt.identity_category:
        where.append(c.identity_category == flt.identity_category)
    if flt.rank:
        where.append(c.rank == flt.rank)
    if flt.status:
        where.append(c.status == flt.status)
    if flt.in_impact_period:
        if flt.today is None:
            raise ValueError("CadreFilter.today is needed for in_impact_period")
        where.append(c.off_date > flt.today)
    return where


def _order(sort: str, descending: bool):
    c = _cadre.c
    col = {
        "name": c.name_pinyin, "gender": c.gender, "birth_date": c.birth_date, "id_number": c.id_number,
        "unit": _unit.c.name, "current_post": c.current_post, "rank": c.rank,
        "identity_category": c.identity_category, "status": c.status, "off_date": c.off_date, "id": c.id,
    }.get(sort)
    if col is None:
        raise ValueError(f"unknown sort key {sort}")
    if descending:
        return [col.desc(), c.id.desc()]
    return [col.asc(), c.id.asc()]


def search(session: Session, actor: Actor, flt: CadreFilter | None = None, *, sort: str = "name",
           descending: bool = False, offset: int = 0, limit: int = 100) -> list[CadreRow]:
    """One page of cadres as plain rows. ID numbers are masked for roles without "see_id_number"."""
    actor.require("read")
    flt = flt or CadreFilter()
    c = _cadre.c
    stmt = (
        select(c.id, c.name, c.gender, c.birth_date, c.id_number, _unit.c.name.label("unit_name"), c.current_post,
               c.rank, c.identity_category, c.status, c.off_date, c.unit_id)
        .select_from(_cadre.outerjoin(_unit, _unit.c.id == c.unit_id))
        .where(*_where(session, actor, flt))
        .order_by(*_order(sort, descending))
        .offset(max(offset, 0)).limit(max(limit, 0))
    )
    see = actor.can("see_id_number")
    return [
        CadreRow(r[0], r[1], r[2], r[3], r[4] if see else idn.mask(r[4]), r[5], r[6], r[7], r[8], r[9], r[10], r[11])
        for r in session.execute(stmt)
    ]


def count(session: Session, actor: Actor, flt: CadreFilter | None = None) -> int:
    actor.require("read")
    flt = flt or CadreFilter()
    stmt = select(func.count()).select_from(_cadre).where(*_where(session, actor, flt))
    return int(session.execute(stmt).scalar() or 0)


# ---------------------------------------------------------------------------------------------------------------
# Validation and writing

def _clean_text(key: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    col = _cadre.c[key]
    length = getattr(col.type, "length", None)
    if length and len(text) > length:
        raise ValidationError(f"“{FIELD_LABELS[key]}”最多{length}个字，现有{len(text)}个字，请精简。", key)
    return text


def _clean_date(key: str, value: Any, today: date | None) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        raise ValidationError(f"“{FIELD_LABELS[key]}”不是有效日期，请按 2024-03-15 的格式填写。", key)
    if today is not None and value > today:
        raise ValidationError(f"“{FIELD_LABELS[key]}”{value.isoformat()}晚于今天，不能是将来的日期，请核对。", key)
    if value.year < 1900:
        raise ValidationError(f"“{FIELD_LABELS[key]}”{value.isoformat()}过早，请核对。", key)
    return value


def _validate(session: Session, data: dict[str, Any], today: date | None, existing: Cadre | None) -> dict[str, Any]:
    """Normalise and check the given fields; returns the values to write. Raises ValidationError(msg, field)."""
    unknown = set(data) - set(EDITABLE_FIELDS) - {"family", "assessments"}
    if unknown:
        raise ValidationError(f"未知的字段：{'、'.join(sorted(unknown))}。", sorted(unknown)[0])
    out: dict[str, Any] = {}
    if "name" in data or existing is None:
        name = pinyin.normalise_name(data.get("name"))
        if not name:
            raise ValidationError("姓名不能为空，请填写。", "name")
        if len(name) > 40:
            raise ValidationError("姓名太长（最多40个字），请核对。", "name")
        out["name"] = name
    if "id_number" in data or existing is None:
        out["id_number"] = idn.validate(data.get("id_number"), "id_number", today)
    for key in TEXT_FIELDS:
        if key in data:
            out[key] = _clean_text(key, data[key])
    for key in DATE_FIELDS:
        if key in data:
            out[key] = _clean_date(key, data[key], today)
    for key in BOOL_FIELDS:
        if key in data:
            out[key] = bool(data[key])
    if "photo" in data:
        photo = data["photo"] or None
        if photo is not None and len(photo) > MAX_PHOTO_BYTES:
            raise ValidationError("照片太大（超过2MB），请换一张小一些的照片。", "photo")
        out["photo"] = photo
    if "unit_id" in data:
        unit_id = data["unit_id"]
        if unit_id is not None and session.get(Unit, unit_id) is None:
            raise ValidationError("所选工作单位不存在，请重新选择。", "unit_id")
        out["unit_id"] = unit_id

    number = out.get("id_number", existing.id_number if existing else None)
    info = idn.parse(number, "id_number")
    gender = out["gender"] if "gender" in out else (existing.gender if existing else None)
    if gender is not None and gender not in codes.GENDERS:
        raise ValidationError("性别只能是“男”或“女”。", "gender")
    if gender is None or ("id_number" in out and "gender" not in data):
        out["gender"] = info.gender
    elif gender != info.gender:
        raise ValidationError(
            f"性别与身份证号不符：身份证号第17位表明为{info.gender}，填写的是{gender}。请核对原件。", "gender")
    born = out["birth_date"] if "birth_date" in out else (existing.birth_date if existing else None)
    if born is None or ("id_number" in out and "birth_date" not in data):
        out["birth_date"] = info.birth_date
    elif (born.year, born.month) != (info.birth_date.year, info.birth_date.month):
        raise ValidationError(
            f"出生日期与身份证号不符：身份证号中为{info.birth_date.isoformat()}，填写的是{born.isoformat()}。请核对原件。",
            "birth_date")
    else:
        out["birth_date"] = info.birth_date  # the ID number is exact; 任免表 only has the month
    birth = out["birth_date"]
    for key in ("work_started", "post_since", "rank_since"):
        value = out.get(key, getattr(existing, key, None) if existing else None)
        if value is not None and value < birth:
            raise ValidationError(f"“{FIELD_LABELS[key]}”{value.isoformat()}早于出生日期，请核对。", key)
    if "status" in out and out["status"] is None:
        out["status"] = "在职"
    if out.get("status") and out["status"] not in codes.CADRE_STATUSES:
        raise ValidationError(f"状态只能是：{'、'.join(codes.CADRE_STATUSES)}。", "status")
    if "family" in data:
        out["family"] = _validate_family(data["family"] or [])
    if "assessments" in data:
        out["assessments"] = _validate_assessments(data["assessments"] or [], today)
    return out


def _validate_family(items: Sequence[dict]) -> list[dict]:
    out = []
    for n, item in enumerate(items, 1):
        relation = (item.get("relation") or "").strip()
        name = pinyin.normalise_name(item.get("name"))
        if not relation and not name:
            continue
        if not relation or not name:
            raise ValidationError(f"家庭成员第{n}行：称谓和姓名都要填写。", "family")
        birth = (item.get("birth") or "").strip().replace(".", "").replace("-", "")
        if birth and not re.fullmatch(r"\d{6}", birth):
            raise ValidationError(f"家庭成员第{n}行：出生年月请写成 197503 或 1975.03。", "family")
        out.append({"relation": relation[:20], "name": name[:40], "birth": birth or None,
                    "political_status": (item.get("political_status") or "").strip()[:30] or None,
                    "work_and_post": (item.get("work_and_post") or "").strip()[:130] or None})
    return out


def _validate_assessments(items: Sequence, today: date | None) -> list[tuple[int, str]]:
    grades = set(codes.ASSESSMENT_GRADES_CIVIL) | set(codes.ASSESSMENT_GRADES_INSTITUTION)
    seen: dict[int, str] = {}
    for item in items:
        year, grade = (item["year"], item["grade"]) if isinstance(item, dict) else item
        year = int(year)
        if year < 1950 or (today is not None and year > today.year):
            raise ValidationError(f"年度考核年份{year}不合理，请核对。", "assessments")
        if grade not in grades:
            raise ValidationError(f"{year}年度考核等次“{grade}”不在代码表中（{'、'.join(sorted(grades))}）。", "assessments")
        if year in seen:
            raise ValidationError(f"{year}年度考核重复填写了两次，请只保留一条。", "assessments")
        seen[year] = grade
    return sorted(seen.items())


def _check_duplicate(session: Session, number: str, own_id: int | None) -> None:
    row = session.execute(
        select(Cadre.id, Cadre.name, Cadre.withdrawn_at).where(Cadre.id_number == number)
    ).first()
    if row is not None and row.id != own_id:
        extra = "（该记录已撤销，可请管理员恢复）" if row.withdrawn_at else ""
        raise DuplicateCadreError(
            f"身份证号{idn.mask(number)}已登记为干部“{row.name}”（编号{row.id}）{extra}，同一人不能重复登记。"
            "请打开已有的记录修改。", row.id, row.name)


def _apply(cadre: Cadre, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key == "family":
            cadre.family.clear()
            for n, item in enumerate(value):
                cadre.family.append(FamilyMember(sort_order=n, **item))
        elif key == "assessments":
            current = {a.year: a for a in cadre.assessments}
            wanted = dict(value)
            for year, a in list(current.items()):
                if year not in wanted:
                    cadre.assessments.remove(a)
                elif a.grade != wanted[year]:
                    a.grade = wanted[year]
            for year, grade in value:
                if year not in current:
                    cadre.assessments.append(AnnualAssessment(year=year, grade=grade))
        else:
            setattr(cadre, key, value)
    if "name" in values:
        cadre.name_pinyin, cadre.name_initials = pinyin.name_search_keys(values["name"])


def _snapshot(cadre: Cadre) -> dict:
    snap = audit.snapshot(cadre, exclude=("photo", "name_pinyin", "name_initials", "version"))
    snap["photo"] = f"<{len(cadre.photo)} bytes>" if cadre.photo else None
    snap["family"] = [f"{m.relation} {m.name}" for m in cadre.family]
    snap["assessments"] = [f"{a.year} {a.grade}" for a in cadre.assessments]
    return snap


def create_cadre(session: Session, actor: Actor, data: dict[str, Any], *, today: date | None = None) -> SavedCadre:
    actor.require("write")
    values = _validate(session, data, today, None)
    _check_duplicate(session, values["id_number"], None)
    cadre = Cadre(status="在职")
    _apply(cadre, values)
    session.add(cadre)
    session.flush()
    audit.record(session, actor, "create", "cadre", cadre.id, after=_snapshot(cadre), cadre_id=cadre.id,
                 summary=f"新增干部 {cadre.name}")
    return SavedCadre(cadre.id, cadre.version, cadre.name)


def _load(session: Session, cadre_id: int) -> Cadre:
    cadre = session.get(Cadre, cadre_id)
    if cadre is None:
        raise NotFoundError(f"找不到编号为{cadre_id}的干部，可能已被删除。请刷新列表。")
    return cadre


def _stale(session: Session, cadre: Cadre, original: dict[str, Any] | None) -> StaleCadreError:
    changed: list[str] = []
    if original:
        for key, value in original.items():
            if key in ("family", "assessments") or key not in FIELD_LABELS or key == "photo":
                continue
            now = getattr(cadre, key, None)
            if key in ("name",):
                value = pinyin.normalise_name(value)
            if key == "id_number" and value:
                value = idn.normalise(value)
            if (now or None) != (value or None):
                changed.append(FIELD_LABELS[key])
    last = session.execute(
        select(AuditEvent.actor, AuditEvent.at).where(AuditEvent.entity == "cadre", AuditEvent.entity_id == str(cadre.id))
        .order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    who = f"（{last.actor}，{last.at:%Y-%m-%d %H:%M}）" if last else ""
    what = f"：{'、'.join(changed)}已改变" if changed else ""
    return StaleCadreError(
        f"在您编辑期间，干部“{cadre.name}”的资料已被他人修改{who}{what}。请关闭后重新打开，核对最新内容再保存。",
        changed)


def update_cadre(session: Session, actor: Actor, cadre_id: int, data: dict[str, Any], *, version: int,
                 original: dict[str, Any] | None = None, today: date | None = None) -> SavedCadre:
    """Save the changed fields. `version` is the one read; a stale save raises StaleCadreError naming what changed
    (compared with `original`, the values the form was opened with)."""
    actor.require("write")
    cadre = _load(session, cadre_id)
    if cadre.withdrawn_at is not None:
        raise ConflictError(f"干部“{cadre.name}”的记录已撤销，不能修改。如需恢复请联系管理员。")
    if cadre.version != version:
        raise _stale(session, cadre, original)
    values = _validate(session, data, today, cadre)
    if "id_number" in values:
        _check_duplicate(session, values["id_number"], cadre.id)
    before = _snapshot(cadre)
    _apply(cadre, values)
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"在您编辑期间，干部“{cadre.name}”的资料已被他人修改。请关闭后重新打开，核对最新内容再保存。")
    after = _snapshot(cadre)
    b, a = audit.diff(before, after)
    if b or a:
        if cadre.version == version:  # only children changed: bump the version so other editors see it
            cadre.version = version + 1
            session.flush()
        audit.record(session, actor, "update", "cadre", cadre.id, before=b, after=a, cadre_id=cadre.id,
                     summary=f"修改干部 {cadre.name}")
    return SavedCadre(cadre.id, cadre.version, cadre.name)


def withdraw_cadre(session: Session, actor: Actor, cadre_id: int, reason: str, *, now=None) -> None:
    actor.require("write")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("请写明撤销的原因（例如“重复录入”）。", "reason")
    cadre = _load(session, cadre_id)
    if cadre.withdrawn_at is not None:
        raise ConflictError(f"干部“{cadre.name}”的记录已经撤销过了。")
    from datetime import datetime

    cadre.withdrawn_at = now or datetime.now().replace(microsecond=0)
    cadre.withdrawn_by = actor.username
    cadre.withdrawn_reason = reason
    session.flush()
    audit.record(session, actor, "withdraw", "cadre", cadre.id, after={"reason": reason}, cadre_id=cadre.id,
                 summary=f"撤销干部记录 {cadre.name}：{reason}")


def form_values(session: Session, actor: Actor, cadre_id: int) -> dict[str, Any]:
    """Everything the edit form shows, plus "version" (for optimistic locking) and "id"."""
    actor.require("read")
    cadre = _load(session, cadre_id)
    values: dict[str, Any] = {k: getattr(cadre, k) for k in EDITABLE_FIELDS}
    if not actor.can("see_id_number"):
        values["id_number"] = idn.mask(cadre.id_number)
    values["family"] = [
        {"relation": m.relation, "name": m.name, "birth": m.birth, "political_status": m.political_status,
         "work_and_post": m.work_and_post} for m in cadre.family
    ]
    values["assessments"] = [(a.year, a.grade) for a in cadre.assessments]
    values["id"], values["version"] = cadre.id, cadre.version
    values["withdrawn"] = cadre.withdrawn_at is not None
    return values


# ---------------------------------------------------------------------------------------------------------------
# Units (also used by the importers)

@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    path: str
    depth: int
    full_name: str


def list_units(session: Session) -> list[UnitRow]:
    rows = session.execute(
        select(_unit.c.id, _unit.c.name, _unit.c.path, _unit.c.parent_id)
        .where(_unit.c.withdrawn_at.is_(None)).order_by(_unit.c.path)
    ).all()
    names = {r.id: r.name for r in rows}
    out = []
    for r in rows:
        ids = [int(p) for p in r.path.strip("/").split("/") if p.isdigit()]
        full = "/".join(names.get(i, "") for i in ids) or r.name
        out.append(UnitRow(r.id, r.name, r.path, max(len(ids) - 1, 0), full))
    out.sort(key=lambda u: [int(p) for p in u.path.strip("/").split("/") if p.isdigit()])
    return out


def _split_unit_text(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[/\\＞>]", text or "") if p.strip()]


def unit_by_path_or_name(session: Session, text: str) -> int | None:
    """A unit by "上级/下级" names, or by a plain name when exactly one unit bears it. None when not found or
    ambiguous."""
    parts = _split_unit_text(text)
    if not parts:
        return None
    if len(parts) == 1:
        ids = list(session.execute(
            select(_unit.c.id).where(_unit.c.name == parts[0], _unit.c.withdrawn_at.is_(None)).limit(2)).scalars())
        return ids[0] if len(ids) == 1 else None
    parent: int | None = None
    for n, name in enumerate(parts):
        q = select(_unit.c.id).where(_unit.c.name == name, _unit.c.withdrawn_at.is_(None))
        q = q.where(_unit.c.parent_id.is_(None)) if parent is None and n == 0 else q.where(_unit.c.parent_id == parent)
        found = session.execute(q.limit(1)).scalar()
        if found is None:
            return None
        parent = found
    return parent


def ensure_unit(session: Session, actor: Actor, text: str) -> int:
    """The unit named by `text` ("上级/下级" or a plain name), created (with its parents) when missing."""
    actor.require("write")
    parts = _split_unit_text(text)
    if not parts:
        raise ValidationError("工作单位不能为空。", "unit")
    if len(parts) == 1:
        found = unit_by_path_or_name(session, parts[0])
        if found is not None:
            return found
    parent: Unit | None = None
    for n, name in enumerate(parts):
        if len(name) > 200:
            raise ValidationError(f"单位名称“{name[:20]}…”太长（最多200个字）。", "unit")
        q = select(Unit).where(Unit.name == name, Unit.withdrawn_at.is_(None))
        q = q.where(Unit.parent_id.is_(None)) if parent is None else q.where(Unit.parent_id == parent.id)
        unit = session.execute(q.limit(1)).scalar()
        if unit is None:
            unit = Unit(name=name, parent_id=parent.id if parent else None, path="/")
            session.add(unit)
            session.flush()
            unit.path = (parent.path if parent else "/") + f"{unit.id}/"
            session.flush()
            audit.record(session, actor, "create", "unit", unit.id, after={"name": name, "path": unit.path},
                         summary=f"新增单位 {name}")
        parent = unit
    assert parent is not None
    return parent.id


# ---------------------------------------------------------------------------------------------------------------
# Import: create or update by ID number

@dataclass(frozen=True)
class UpsertResult:
    id: int
    created: bool
    changed: tuple[str, ...]  # Chinese labels of the fields that changed (empty: nothing new)


def upsert_cadre_from_import(session: Session, actor: Actor, fields: dict[str, Any], *,
                             today: date | None = None) -> UpsertResult:
    """Create the cadre, or update the one with the same ID number (never a duplicate). Blank values in
    `fields` leave the stored value alone. `fields` may carry "unit" (a name or "上级/下级") instead of unit_id."""
    actor.require("write")
    data = {k: v for k, v in fields.items() if v not in (None, "") and k != "unit"}
    unit_text = fields.get("unit")
    if unit_text:
        data["unit_id"] = ensure_unit(session, actor, str(unit_text))
    if "id_number" not in data:
        raise ValidationError("身份证号不能为空，导入时按身份证号识别干部。", "id_number")
    number = idn.validate(data["id_number"], "id_number", today)
    data["id_number"] = number
    existing = session.execute(select(Cadre).where(Cadre.id_number == number)).scalar()
    if existing is None:
        saved = create_cadre(session, actor, data, today=today)
        return UpsertResult(saved.id, True, tuple(FIELD_LABELS[k] for k in data if k in FIELD_LABELS))
    if existing.withdrawn_at is not None:
        raise DuplicateCadreError(
            f"身份证号{idn.mask(number)}属于已撤销的干部记录“{existing.name}”（编号{existing.id}），未导入。"
            "如需恢复请联系管理员。", existing.id, existing.name)
    changes = {}
    for k, v in data.items():
        if k == "id_number":
            continue
        if k in ("family", "assessments"):
            changes[k] = v
            continue
        current = getattr(existing, k)
        if k == "birth_date" and current and isinstance(v, date) and (v.year, v.month) == (current.year, current.month):
            continue
        if k == "name":
            v = pinyin.normalise_name(v)
        if isinstance(v, str):
            v = v.strip()
        if current != v:
            changes[k] = v
    if not changes:
        return UpsertResult(existing.id, False, ())
    saved = update_cadre(session, actor, existing.id, changes, version=existing.version, today=today)
    return UpsertResult(saved.id, False, tuple(FIELD_LABELS[k] for k in changes))


# ---------------------------------------------------------------------------------------------------------------
# 奖惩情况 in the 任免表 wording, 年度考核结果

def _ym(d: date) -> str:
    return f"{d.year}年{d.month}月"


def _commendation_phrase(kind: str, honour: str | None, organ: str | None) -> str:
    by = f"被{organ}" if organ else "被"
    if kind == "授予称号":
        return f"{by}授予“{honour or '荣誉'}”称号"
    if kind in ("嘉奖", "记三等功", "记二等功", "记一等功"):
        return f"{by}{kind}" if organ else f"获{kind}" if kind == "嘉奖" else kind
    if kind == "通报表扬":
        return f"受到{organ}通报表扬" if organ else "受到通报表扬"
    title = honour or kind
    return f"{by}评为“{title}”"


def _handling_phrase(regime: str, kind: str, organ: str | None) -> str:
    from models.rules import rule_table

    label = rule_table.kind_label(regime, kind)
    by = organ or ""
    if regime == "party":
        text = f"党内{label}处分" if label in ("警告", "严重警告") else f"{label}处分"
        return f"受到{by}{text}"
    if regime == "gov":
        return f"受到{by}政务{label}处分"
    if regime == "inst":
        return f"受到{by}{label}处分"
    if regime == "admonish":
        return f"被{by}诫勉" if by else "被诫勉"
    return f"受到{by}{label}组织处理" if not label.endswith("辞职") else f"被{by}{label}"


def rewards_and_sanctions_text(session: Session, cadre_id: int) -> str:
    """The 奖惩情况 of the 任免表 from the records: commendations (not revoked, not withdrawn) and handling in
    force (as changed by a review; revoked or withdrawn ones left out), in date order; "无" when none."""
    items: list[tuple[date, int, str]] = []
    for r in session.execute(
        select(Commendation.awarded_on, Commendation.kind, Commendation.honour, Commendation.organ, Commendation.id)
        .where(Commendation.cadre_id == cadre_id, Commendation.withdrawn_at.is_(None), Commendation.revoked_on.is_(None))
    ):
        items.append((r.awarded_on, r.id, f"{_ym(r.awarded_on)}{_commendation_phrase(r.kind, r.honour, r.organ)}"))
    from models.derived.restrictions import effective_review

    for h in session.execute(
        select(Handling).where(Handling.cadre_id == cadre_id, Handling.withdrawn_at.is_(None))
    ).scalars():
        if h.status in ("revoked", "not_executed"):
            continue
        rev = effective_review(h.reviews)
        if rev is not None and rev.outcome == "revoked":
            continue
        kind = rev.kind if rev is not None and rev.outcome == "changed" and rev.kind else h.kind
        items.append((h.effective_on, 1_000_000 + h.id, f"{_ym(h.effective_on)}{_handling_phrase(h.regime, kind, h.organ)}"))
    if not items:
        return "无"
    items.sort()
    return "；".join(t for _d, _i, t in items) + "。"


def annual_assessment_text(assessments: Sequence[tuple[int, str]]) -> str:
    """年度考核结果 of the 任免表: the last three years, e.g. "2022年度、2023年度考核称职，2024年度考核优秀"."""
    last = sorted(assessments)[-3:]
    if not last:
        return ""
    groups: list[tuple[list[int], str]] = []
    for year, grade in last:
        if groups and groups[-1][1] == grade:
            groups[-1][0].append(year)
        else:
            groups.append(([year], grade))
    parts = []
    for years, grade in groups:
        ys = "、".join(f"{y}年度" for y in years)
        parts.append(f"{ys}{'考核' + grade if grade != '不定等次' else '考核不定等次'}")
    return "，".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# The cadre's own page

@dataclass(frozen=True)
class RestrictionView:
    kind: str
    label: str
    start: date
    last_day: date | None
    off_date: date | None
    explanation: str | None
    basis: str | None
    overridden: bool
    override_reason: str | None


@dataclass(frozen=True)
class HandlingView:
    id: int
    regime: str
    kind: str
    label: str
    effective_on: date
    organ: str | None
    doc_number: str | None
    status: str
    off_date: date | None
    explanation: str | None
    restrictions: tuple[RestrictionView, ...]
    withdrawn: bool


@dataclass(frozen=True)
class CommendationView:
    id: int
    kind: str
    honour: str | None
    awarded_on: date
    organ: str | None
    doc_number: str | None
    urgent_task: bool
    double_victory: bool
    revoked_on: date | None
    revoked_reason: str | None
    withdrawn: bool


@dataclass(frozen=True)
class VisitView:
    id: int
    visited_on: date
    form: str
    seq: int | None
    evaluation: str | None
    handling_id: int


@dataclass(frozen=True)
class AssessmentView:
    id: int
    assessed_on: date
    outcome: str
    recommendation: str | None
    used_on: date | None
    used_post: str | None


@dataclass(frozen=True)
class AccusationView:
    """Only what every reader may see: never the reporter (name, unit, contact)."""
    id: int
    received_on: date
    category: str
    disposal: str | None
    outcome: str | None
    outcome_on: date | None


@dataclass(frozen=True)
class ClarificationView:
    id: int
    status: str
    methods: str | None
    done_on: date | None
    doc_number: str | None


@dataclass
class CadreDetail:
    id: int
    version: int
    values: dict[str, Any]  # the cadre's fields (ID number masked where needed), photo as bytes
    unit_name: str | None
    age: int | None
    withdrawn: bool
    withdrawn_reason: str | None
    rewards_and_sanctions: str
    assessment_text: str
    family: list[dict] = field(default_factory=list)
    assessments: list[tuple[int, str]] = field(default_factory=list)
    commendations: list[CommendationView] = field(default_factory=list)
    handlings: list[HandlingView] = field(default_factory=list)
    visits: list[VisitView] = field(default_factory=list)
    expiry_assessments: list[AssessmentView] = field(default_factory=list)
    accusations: list[AccusationView] = field(default_factory=list)
    clarifications: list[ClarificationView] = field(default_factory=list)


def age_on(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def detail(session: Session, actor: Actor, cadre_id: int, *, today: date) -> CadreDetail:
    """Everything on the cadre's page, as plain values."""
    actor.require("read")
    from models.rules import rule_table

    values = form_values(session, actor, cadre_id)
    cadre = _load(session, cadre_id)
    if cadre.withdrawn_at is not None and not actor.can("admin"):
        raise NotFoundError(f"干部“{cadre.name}”的记录已撤销，只有管理员可以查看。")
    admin = actor.can("admin")
    d = CadreDetail(
        id=cadre.id, version=cadre.version, values=values, unit_name=cadre.unit.name if cadre.unit else None,
        age=age_on(cadre.birth_date, today), withdrawn=cadre.withdrawn_at is not None,
        withdrawn_reason=cadre.withdrawn_reason, rewards_and_sanctions=rewards_and_sanctions_text(session, cadre_id),
        assessment_text=annual_assessment_text(values["assessments"]),
        family=values["family"], assessments=values["assessments"],
    )
    for c in session.execute(
        select(Commendation).where(Commendation.cadre_id == cadre_id).order_by(Commendation.awarded_on.desc())
    ).scalars():
        if c.withdrawn_at is not None and not admin:
            continue
        d.commendations.append(CommendationView(
            c.id, c.kind, c.honour, c.awarded_on, c.organ, c.doc_number, c.urgent_task, c.double_victory,
            c.revoked_on, c.revoked_reason, c.withdrawn_at is not None))
    for h in session.execute(
        select(Handling).where(Handling.cadre_id == cadre_id).order_by(Handling.effective_on.desc())
    ).scalars():
        if h.withdrawn_at is not None and not admin:
            continue
        rs = tuple(
            RestrictionView(r.kind, rule_table.restriction_label(r.kind), r.start, r.last_day, r.off_date,
                            r.explanation, r.basis, r.override_last_day is not None, r.override_reason)
            for r in session.execute(select(Restriction).where(Restriction.handling_id == h.id).order_by(Restriction.id)).scalars()
        )
        d.handlings.append(HandlingView(
            h.id, h.regime, h.kind, rule_table.full_label(h.regime, h.kind), h.effective_on, h.organ, h.doc_number,
            h.status, h.off_date, h.explanation, rs, h.withdrawn_at is not None))
    for v in session.execute(
        select(Visit.id, Visit.visited_on, Visit.form, Visit.seq, Visit.evaluation, Visit.handling_id)
        .where(Visit.cadre_id == cadre_id, Visit.withdrawn_at.is_(None)).order_by(Visit.visited_on.desc())
    ):
        d.visits.append(VisitView(*v))
    for a in session.execute(
        select(ExpiryAssessment.id, ExpiryAssessment.assessed_on, ExpiryAssessment.outcome,
               ExpiryAssessment.recommendation, ExpiryAssessment.used_on, ExpiryAssessment.used_post)
        .where(ExpiryAssessment.cadre_id == cadre_id, ExpiryAssessment.withdrawn_at.is_(None))
        .order_by(ExpiryAssessment.assessed_on.desc())
    ):
        d.expiry_assessments.append(AssessmentView(*a))
    for a in session.execute(
        select(Accusation.id, Accusation.received_on, Accusation.category, Accusation.disposal, Accusation.outcome,
               Accusation.outcome_on)
        .join(AccusationSubject, AccusationSubject.accusation_id == Accusation.id)
        .where(AccusationSubject.cadre_id == cadre_id, Accusation.withdrawn_at.is_(None))
        .order_by(Accusation.received_on.desc())
    ):
        d.accusations.append(AccusationView(*a))
    for c in session.execute(
        select(Clarification.id, Clarification.status, Clarification.methods, Clarification.done_on,
               Clarification.doc_number)
        .where(Clarification.cadre_id == cadre_id, Clarification.withdrawn_at.is_(None))
        .order_by(Clarification.id.desc())
    ):
        d.clarifications.append(ClarificationView(*c))
    return d

