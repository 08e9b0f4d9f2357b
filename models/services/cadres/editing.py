"""Cadres: create, update (optimistic locking), withdraw, the edit form's values, create-or-update from an import."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit, concurrency, withdrawal
from models.reference import codes
from models.reference import id_number as idn
from models.reference import pinyin
from models.core.actor import Actor
from models.entities import AnnualAssessment, AuditEvent, Cadre, FamilyMember, Unit
from models.core.errors import ConflictError, NotFoundError, ValidationError
from models.services.units import ensure_unit


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


@dataclass(frozen=True)
class SavedCadre:
    id: int
    version: int
    name: str


_cadre = Cadre.__table__


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
    concurrency.check_version(session, cadre, version, error=lambda: _stale(session, cadre, original))
    values = _validate(session, data, today, cadre)
    if "id_number" in values:
        _check_duplicate(session, values["id_number"], cadre.id)
    before = _snapshot(cadre)
    _apply(cadre, values)
    with concurrency.guard(session, cadre, error=lambda: ConflictError(
            f"在您编辑期间，干部“{cadre.name}”的资料已被他人修改。请关闭后重新打开，核对最新内容再保存。")):
        session.flush()
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
    message = "请写明撤销的原因（例如“重复录入”）。"
    reason = withdrawal.clean_reason(reason, message)  # checked before the record is looked up
    cadre = _load(session, cadre_id)
    if cadre.withdrawn_at is not None:
        raise ConflictError(f"干部“{cadre.name}”的记录已经撤销过了。")
    withdrawal.withdraw(session, actor, cadre, reason, message, entity="cadre", cadre_id=cadre.id, now=now,
                        summary=lambda why: f"撤销干部记录 {cadre.name}：{why}")


def form_values(session: Session, actor: Actor, cadre_id: int) -> dict[str, Any]:
    """Everything the edit form shows, plus "version" (for optimistic locking) and "id"."""
    actor.require("read")
    cadre = _load(session, cadre_id)
    values: dict[str, Any] = {k: getattr(cadre, k) for k in EDITABLE_FIELDS}
    values["birth_year"] = cadre.birth_date.year if cadre.birth_date else None
    if not actor.can("see_id_number"):  # the last 4 digits and the birth year only (id_number.mask)
        values["id_number"] = idn.mask(cadre.id_number)
        values["birth_date"] = None
    values["family"] = [
        {"relation": m.relation, "name": m.name, "birth": m.birth, "political_status": m.political_status,
         "work_and_post": m.work_and_post} for m in cadre.family
    ]
    values["assessments"] = [(a.year, a.grade) for a in cadre.assessments]
    values["id"], values["version"] = cadre.id, cadre.version
    values["withdrawn"] = cadre.withdrawn_at is not None
    return values


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
