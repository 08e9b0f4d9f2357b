"""处理处分 register: record, change and withdraw handling decisions; the register list (domain §1, §8.1).

Every write ends with `models.derived.restrictions.recompute_cadre`, so restrictions, statuses and off dates always come
from the engine. Reviews (models/services/handling/reviews.py) and overrides (overrides.py) are written elsewhere;
the rows and the detail every part returns are defined here.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models.core import audit, concurrency, withdrawal
from models.rules import rule_table as rt
from models.core.actor import Actor
from models.reference import id_number as idn
from models.core.text_limits import check_lengths
from models.derived.restrictions import recompute_cadre, rule_settings, to_record_inputs
from models.derived.visit_plans import current_kinds, sync_plans_for_cadre
from models.services.unit_names import list_labels
from models.services.cadres.search import text_conditions
from models.entities import Cadre, Handling, Restriction, Review, Task, Unit
from models.core.errors import ConflictError, NotFoundError, ValidationError
from models.rules.engine import RULES_VERSIONS, validate


REVIEW_OUTCOME_LABELS = {"upheld": "维持", "revoked": "撤销", "changed": "变更"}
STATUS_LABELS = {
    "in_force": "执行中", "changed": "已变更", "revoked": "已撤销", "not_executed": "不单独执行", "superseded": "被取代",
}


PROBATION_KINDS = ("probation_1y", "probation_2y")
FACTS_MAX = 2000
REASON_MIN = 4


@dataclass
class HandlingInput:
    """What is written on the paper decision. `effective_on` None → default (party: approved, else decided)."""

    cadre_id: int
    regime: str
    kind: str
    decided_on: date | None = None
    approved_on: date | None = None
    effective_on: date | None = None
    served_on: date | None = None
    organ: str | None = None
    doc_number: str | None = None
    facts: str | None = None
    rules_version: str | None = None
    months: int | None = None
    in_lieu_of_revocation: bool = False
    probation_extended: bool = False
    restored_on: date | None = None
    together_group: str | None = None
    lifting_decision_on: date | None = None


@dataclass(frozen=True)
class RestrictionRow:
    id: int | None
    handling_id: int | None
    kind: str
    label: str
    start: date
    last_day: date | None
    off_date: date | None
    computed_last_day: date | None
    explanation: str
    basis: str
    overridden: bool = False
    override_reason: str | None = None
    override_by: str | None = None

    @property
    def last_day_text(self) -> str:
        if self.last_day is None:
            return "永久"
        text = self.last_day.isoformat()
        return f"{text}（已人工修改）" if self.overridden else text


@dataclass(frozen=True)
class ReviewRow:
    id: int
    track: str
    applied_on: date | None
    decided_on: date
    outcome: str
    outcome_label: str
    new_kind: str | None
    new_kind_label: str
    organ: str | None
    doc_number: str | None
    note: str | None
    withdrawn: bool


@dataclass(frozen=True)
class HandlingDetail:
    id: int
    version: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    data: HandlingInput
    regime_label: str
    kind_label: str
    status: str
    status_label: str
    off_date: date | None
    explanation: str
    restrictions: tuple[RestrictionRow, ...]
    reviews: tuple[ReviewRow, ...]
    withdrawn: bool
    withdrawn_reason: str | None


@dataclass(frozen=True)
class HandlingListRow:
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    regime: str
    kind: str
    label: str
    effective_on: date
    off_date: date | None
    status: str
    status_label: str
    doc_number: str | None
    organ: str | None
    withdrawn: bool


@dataclass(frozen=True)
class CadreChoice:
    id: int
    name: str
    id_number: str
    unit_name: str


@dataclass
class HandlingFilter:
    text: str | None = None  # name, name initials, ID number part, 文号 part
    regime: str | None = None
    status: str | None = None
    cadre_id: int | None = None
    include_withdrawn: bool = False


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def default_effective(data: HandlingInput) -> date | None:
    """Party sanctions take effect on approval (批准之日); all others on the day the decision is made."""
    return data.approved_on if data.regime == "party" else data.decided_on


def normalise(data: HandlingInput, today: date) -> HandlingInput:
    """Validate a decision as entered; return it with the effective date filled in. Chinese messages."""
    if data.regime not in rt.TABLE.regimes:
        raise ValidationError(f"处分类别“{data.regime}”未知，请选择：{'、'.join(rt.REGIME_LABELS.values())}。", "regime")
    spec = rt.regime_spec(data.regime)
    if data.kind not in spec.kinds:
        raise ValidationError(
            f"“{data.kind}”不是{spec.label}的种类，请选择：{'、'.join(k.label for k in spec.kinds.values())}。", "kind"
        )
    label = rt.kind_label(data.regime, data.kind)
    data = replace(
        data, organ=_clean(data.organ), doc_number=_clean(data.doc_number), facts=_clean(data.facts),
        together_group=_clean(data.together_group), rules_version=_clean(data.rules_version),
    )
    effective = data.effective_on or default_effective(data)
    if effective is None:
        need = "批准日期" if data.regime == "party" else "决定日期"
        raise ValidationError(f"请填写{need}（{label}自{need}起生效），或直接填写生效日期。", "effective_on")
    for name, value, text in (
        ("decided_on", data.decided_on, "决定日期"), ("approved_on", data.approved_on, "批准日期"),
        ("effective_on", effective, "生效日期"), ("served_on", data.served_on, "送达日期"),
        ("restored_on", data.restored_on, "恢复党员权利日期"), ("lifting_decision_on", data.lifting_decision_on, "解除处分决定日期"),
    ):
        if value is not None and value > today:
            raise ValidationError(
                f"{text} {value.isoformat()} 晚于今天（{today.isoformat()}）。只能登记已经作出的决定，请核对日期。", name
            )
    # the approval first: a party decision takes effect on its approval, so an approval before the decision would
    # otherwise be reported as a 生效日期 the officer never typed
    if data.approved_on is not None and data.decided_on is not None and data.approved_on < data.decided_on:
        raise ValidationError(
            f"批准日期 {data.approved_on.isoformat()} 早于决定日期 {data.decided_on.isoformat()}，请核对。", "approved_on"
        )
    if data.decided_on is not None and effective < data.decided_on:
        raise ValidationError(
            f"生效日期 {effective.isoformat()} 早于决定日期 {data.decided_on.isoformat()}。决定不能在作出之前生效，请核对。",
            "effective_on",
        )
    if data.served_on is not None and data.decided_on is not None and data.served_on < data.decided_on:
        raise ValidationError(
            f"送达日期 {data.served_on.isoformat()} 早于决定日期 {data.decided_on.isoformat()}，请核对。", "served_on"
        )
    probation = data.regime == "party" and data.kind in PROBATION_KINDS
    if data.probation_extended and not (data.regime == "party" and data.kind == "probation_1y"):
        raise ValidationError("“察看期延长一年”只适用于留党察看一年；察看期最长二年。请取消该选项。", "probation_extended")
    if data.restored_on is not None:
        if not probation:
            raise ValidationError("“恢复党员权利日期”只适用于留党察看，请清空该日期。", "restored_on")
        if data.restored_on < effective:
            raise ValidationError(
                f"恢复党员权利日期 {data.restored_on.isoformat()} 早于生效日期 {effective.isoformat()}，请核对。", "restored_on"
            )
    if data.in_lieu_of_revocation and not (data.regime == "party" and data.kind == "serious_warning"):
        raise ValidationError("“因不担任党内职务而给予严重警告”只适用于党内严重警告，请取消该选项。", "in_lieu_of_revocation")
    if data.rules_version is not None:
        if data.regime != "party":
            raise ValidationError("“党纪处分条例版本”只适用于党纪处分，请清空。", "rules_version")
        if data.rules_version not in RULES_VERSIONS:
            raise ValidationError("条例版本只能是“2003”或“2015+”。", "rules_version")
    if data.months is not None:
        kspec = rt.kind_spec(data.regime, data.kind)
        if data.months <= 0:
            raise ValidationError("处分期月数必须是正整数；不填则按规定月数计算。", "months")
        if kspec.type != "timed":
            raise ValidationError(f"{label}没有可调整的期限，请不要填写月数。", "months")
        cap = spec.overlap.cap_months
        if cap and data.months > cap:
            raise ValidationError(f"处分期 {data.months} 个月超过{spec.label}的上限 {cap} 个月，请核对决定书。", "months")
    check_lengths(Handling, {"organ": data.organ, "doc_number": data.doc_number, "together_group": data.together_group},
                  {"organ": "决定机关", "doc_number": "文号", "together_group": "合并处理组"})
    if data.facts is not None and len(data.facts) > FACTS_MAX:
        raise ValidationError(f"事实摘要过长（{len(data.facts)} 字），请精简到 {FACTS_MAX} 字以内。", "facts")
    if data.lifting_decision_on is not None and data.lifting_decision_on < effective:
        raise ValidationError("解除处分决定日期早于生效日期，请核对。", "lifting_decision_on")
    return replace(data, effective_on=effective)


def _cadre(session: Session, cadre_id: int) -> Cadre:
    cadre = session.get(Cadre, cadre_id)
    if cadre is None or cadre.withdrawn_at is not None:
        raise NotFoundError("找不到这名干部（可能已被撤回）。请重新选择干部。")
    return cadre


def _handling(session: Session, handling_id: int) -> Handling:
    h = session.get(Handling, handling_id)
    if h is None:
        raise NotFoundError(f"找不到编号为 {handling_id} 的处理处分记录。请刷新列表后重试。")
    return h


def _check_version(session: Session, h: Handling, version: int | None) -> None:
    concurrency.check_version(session, h, version, error=lambda: ConflictError(
        "这条处理处分记录已被其他人修改。请关闭后重新打开，核对最新内容再保存。"))


def _apply(h: Handling, data: HandlingInput) -> None:
    for key, value in asdict(data).items():
        if key != "cadre_id":
            setattr(h, key, value)


def _derive(session: Session, cadre_id: int, today: date | None) -> None:
    """After a handling/review write: the engine's dates, then the visit plans that follow them."""
    recompute_cadre(session, cadre_id)
    if today is not None:
        sync_plans_for_cadre(session, cadre_id, today)


def _label(h: Handling) -> str:
    return rt.full_label(h.regime, h.kind)


def create_handling(session: Session, actor: Actor, data: HandlingInput, today: date) -> HandlingDetail:
    actor.require("write")
    cadre = _cadre(session, data.cadre_id)
    data = normalise(data, today)
    h = Handling(cadre_id=cadre.id, regime=data.regime, kind=data.kind, effective_on=data.effective_on)
    _apply(h, data)
    session.add(h)
    session.flush()
    _validate_with_engine(session, cadre.id)
    _derive(session, cadre.id, today)
    audit.record(session, actor, "create", "handling", h.id, after=audit.snapshot(h), cadre_id=cadre.id,
                 summary=f"登记{_label(h)}：{cadre.name}")
    return get_handling(session, actor, h.id)


def update_handling(session: Session, actor: Actor, handling_id: int, data: HandlingInput, version: int,
                    today: date) -> HandlingDetail:
    actor.require("write")
    h = _handling(session, handling_id)
    if h.withdrawn_at is not None:
        raise ValidationError("这条记录已撤回，不能再修改。", None)
    _check_version(session, h, version)
    if data.cadre_id != h.cadre_id:
        raise ValidationError("不能把处理处分记录改到另一名干部名下。请撤回本记录，再为正确的干部重新登记。", "cadre_id")
    data = normalise(data, today)
    before = audit.snapshot(h)
    _apply(h, data)
    session.flush()
    _validate_with_engine(session, h.cadre_id)
    _derive(session, h.cadre_id, today)
    b, a = audit.diff(before, audit.snapshot(h))
    audit.record(session, actor, "update", "handling", h.id, before=b, after=a, cadre_id=h.cadre_id,
                 summary=f"修改{_label(h)}")
    return get_handling(session, actor, h.id)


def set_probation(session: Session, actor: Actor, handling_id: int, *, extended: bool, restored_on: date | None,
                  version: int, today: date) -> HandlingDetail:
    """留党察看: record the one-year extension and/or the actual restoration date, then recompute."""
    h = _handling(session, handling_id)
    if not (h.regime == "party" and h.kind in PROBATION_KINDS):
        raise ValidationError("只有留党察看可以登记察看期延长和恢复党员权利日期。", "kind")
    data = _input_of(h)
    data = replace(data, probation_extended=extended, restored_on=restored_on)
    return update_handling(session, actor, handling_id, data, version, today)


def withdraw_handling(session: Session, actor: Actor, handling_id: int, reason: str, version: int,
                      today: date | None = None) -> None:
    actor.require("write")
    h = _handling(session, handling_id)
    _check_version(session, h, version)
    if h.withdrawn_at is not None:
        raise ValidationError("这条记录已经撤回。", None)
    withdrawal.withdraw(session, actor, h, reason, f"请写明撤回的理由（至少 {REASON_MIN} 个字），例如“录入重复”。",
                        minimum=REASON_MIN, entity="handling", cadre_id=h.cadre_id,
                        after_flush=lambda: _derive(session, h.cadre_id, today),
                        summary=lambda why: f"撤回{_label(h)}：{why}")


def _validate_with_engine(session: Session, cadre_id: int) -> None:
    handlings = list(session.execute(
        select(Handling).where(Handling.cadre_id == cadre_id, Handling.withdrawn_at.is_(None)).order_by(Handling.id)
    ).scalars())
    validate(to_record_inputs(handlings), rule_settings(session))


def _input_of(h: Handling) -> HandlingInput:
    return HandlingInput(**{f: getattr(h, f) for f in HandlingInput.__dataclass_fields__})


def _restriction_row(r: Restriction) -> RestrictionRow:
    return RestrictionRow(
        id=r.id, handling_id=r.handling_id, kind=r.kind, label=rt.restriction_label(r.kind), start=r.start,
        last_day=r.last_day, off_date=r.off_date, computed_last_day=r.computed_last_day,
        explanation=r.explanation or "", basis=r.basis or "", overridden=r.override_last_day is not None,
        override_reason=r.override_reason, override_by=r.override_by,
    )


def get_handling(session: Session, actor: Actor, handling_id: int) -> HandlingDetail:
    actor.require("read")
    h = _handling(session, handling_id)
    if h.withdrawn_at is not None and not actor.can("admin"):
        raise NotFoundError(f"第{handling_id}号处理处分记录已撤回。")
    cadre = session.get(Cadre, h.cadre_id)
    unit = session.get(Unit, cadre.unit_id) if cadre.unit_id else None
    restrictions = session.execute(
        select(Restriction).where(Restriction.handling_id == h.id).order_by(Restriction.id)
    ).scalars()
    reviews = session.execute(select(Review).where(Review.handling_id == h.id).order_by(Review.decided_on, Review.id)).scalars()
    return HandlingDetail(
        id=h.id, version=h.version, cadre_id=h.cadre_id, cadre_name=cadre.name, unit_name=unit.name if unit else "",
        data=_input_of(h), regime_label=rt.REGIME_LABELS.get(h.regime, h.regime), kind_label=rt.kind_label(h.regime, h.kind),
        status=h.status, status_label=STATUS_LABELS.get(h.status, h.status), off_date=h.off_date,
        explanation=h.explanation or "", restrictions=tuple(_restriction_row(r) for r in restrictions),
        reviews=tuple(
            ReviewRow(
                id=r.id, track=r.track, applied_on=r.applied_on, decided_on=r.decided_on, outcome=r.outcome,
                outcome_label=REVIEW_OUTCOME_LABELS.get(r.outcome, r.outcome), new_kind=r.new_kind,
                new_kind_label=rt.kind_label(h.regime, r.new_kind) if r.new_kind else "", organ=r.organ,
                doc_number=r.doc_number, note=r.note, withdrawn=r.withdrawn_at is not None,
            )
            for r in reviews
        ),
        withdrawn=h.withdrawn_at is not None, withdrawn_reason=h.withdrawn_reason,
    )


def restrictions_of_cadre(session: Session, actor: Actor, cadre_id: int) -> list[RestrictionRow]:
    """Every derived restriction of one cadre (for the cadre's page), oldest first."""
    actor.require("read")
    rows = session.execute(
        select(Restriction).where(Restriction.cadre_id == cadre_id).order_by(Restriction.start, Restriction.id)
    ).scalars()
    return [_restriction_row(r) for r in rows]


def _filtered(stmt, actor: Actor, flt: HandlingFilter):
    if not (flt.include_withdrawn and actor.can("admin")):
        stmt = stmt.where(Handling.withdrawn_at.is_(None))
    if flt.regime:
        stmt = stmt.where(Handling.regime == flt.regime)
    if flt.status:
        stmt = stmt.where(Handling.status == flt.status)
    if flt.cadre_id:
        stmt = stmt.where(Handling.cadre_id == flt.cadre_id)
    text = (flt.text or "").strip()
    if text:
        # % and _ typed by the user are literal (autoescape). Part of an ID number matches only for roles that may
        # see ID numbers (the cadre search's rule): a 查阅人 cannot find people by fragments of their number.
        stmt = stmt.where(or_(
            Cadre.name.contains(text, autoescape=True), Cadre.name_initials.startswith(text.lower(), autoescape=True),
            *_id_number_match(actor, text), Handling.doc_number.contains(text, autoescape=True),
        ))
    return stmt


def _id_number_match(actor: Actor, text: str) -> list:
    """[the ID-number condition] for roles with "see_id_number", [] for every other role (no probing)."""
    if not actor.can("see_id_number"):
        return []
    return [Cadre.id_number.contains(idn.normalise(text), autoescape=True)]


def count_handlings(session: Session, actor: Actor, flt: HandlingFilter | None = None) -> int:
    actor.require("read")
    flt = flt or HandlingFilter()
    stmt = select(func.count(Handling.id)).select_from(Handling)
    if (flt.text or "").strip():  # only the text filter looks at the cadre: without it the count is an index range
        stmt = stmt.join(Cadre, Cadre.id == Handling.cadre_id)
    return session.execute(_filtered(stmt, actor, flt)).scalar_one()


def list_handlings(session: Session, actor: Actor, flt: HandlingFilter | None = None, *, limit: int = 200,
                   offset: int = 0) -> list[HandlingListRow]:
    """The register, newest decision first, as plain rows (sorted, filtered and paged in SQL). Withdrawn records
    only for administrators; the rows carry no ID number."""
    actor.require("read")
    flt = flt or HandlingFilter()
    stmt = (
        select(Handling.id, Handling.cadre_id, Cadre.name, Unit.name, Handling.regime, Handling.kind,
               Handling.effective_on, Handling.off_date, Handling.status, Handling.doc_number, Handling.organ,
               Handling.withdrawn_at, Cadre.unit_id)
        .join(Cadre, Cadre.id == Handling.cadre_id)
        .outerjoin(Unit, Unit.id == Cadre.unit_id)
    )
    stmt = _filtered(stmt, actor, flt).order_by(Handling.effective_on.desc(), Handling.id.desc()).limit(limit).offset(offset)
    rows = session.execute(stmt).all()
    # the kind in force: after a 申诉 changed 严重警告 to 警告 the register says 警告 (one query for the page)
    kinds = current_kinds(session, {r[0]: r[5] for r in rows})
    units = list_labels(session)  # a leaf several units bear shown with its path
    return [
        HandlingListRow(
            id=r[0], cadre_id=r[1], cadre_name=r[2], unit_name=units.get(r[12], r[3] or ""), regime=r[4],
            kind=kinds[r[0]],
            label=rt.full_label(r[4], kinds[r[0]]), effective_on=r[6], off_date=r[7], status=r[8],
            status_label=STATUS_LABELS.get(r[8], r[8]), doc_number=r[9], organ=r[10], withdrawn=r[11] is not None,
        )
        for r in rows
    ]


def find_cadres(session: Session, actor: Actor, text: str, limit: int = 20) -> list[CadreChoice]:
    """Cadres for the handling dialog by the cadre search's one matching rule (name part, pinyin, unit; part of an
    ID number only for roles that may see ID numbers); the number masked for every other role."""
    actor.require("read")
    conds = text_conditions(session, text, actor.can("see_id_number"))
    if not conds:
        return []
    stmt = (
        select(Cadre.id, Cadre.name, Cadre.id_number, Unit.name)
        .outerjoin(Unit, Unit.id == Cadre.unit_id)
        .where(Cadre.withdrawn_at.is_(None), *conds)
        .order_by(Cadre.name_pinyin, Cadre.id)
        .limit(limit)
    )
    return [CadreChoice(id=r[0], name=r[1], id_number=_shown_number(actor, r[2]), unit_name=r[3] or "")
            for r in session.execute(stmt)]


def _shown_number(actor: Actor, number: str) -> str:
    return number if actor.can("see_id_number") else idn.mask(number)


def cadre_choice(session: Session, actor: Actor, cadre_id: int) -> CadreChoice:
    actor.require("read")
    from models.services.unit_names import list_labels

    c = _cadre(session, cadre_id)
    unit_name = list_labels(session).get(c.unit_id, "") if c.unit_id else ""  # a path where the leaf is ambiguous
    return CadreChoice(id=c.id, name=c.name, id_number=_shown_number(actor, c.id_number), unit_name=unit_name)


def open_tasks(session: Session, actor: Actor, cadre_id: int | None = None, kind: str | None = None) -> list[dict]:
    actor.require("read")
    stmt = select(Task.id, Task.cadre_id, Task.kind, Task.title, Task.due_on).where(
        Task.withdrawn_at.is_(None), Task.done_on.is_(None))
    if cadre_id is not None:
        stmt = stmt.where(Task.cadre_id == cadre_id)
    if kind is not None:
        stmt = stmt.where(Task.kind == kind)
    return [dict(id=r[0], cadre_id=r[1], kind=r[2], title=r[3], due_on=r[4]) for r in session.execute(stmt.order_by(Task.id))]


def short_label(regime: str, kind: str) -> str:
    """The label officers write in a 台账: 党内警告, 撤销党内职务, 政务记过, 开除公职, 事业单位记过, 免职, 诫勉."""
    label = rt.kind_label(regime, kind)
    if regime == "party":
        return label if "党" in label else "党内" + label
    if regime == "gov":
        return "开除公职" if kind == "expulsion" else "政务" + label
    if regime == "inst":
        return "事业单位" + label
    return label


def kind_choices(regime: str) -> list[tuple[str, str]]:
    return [(k, s.label) for k, s in rt.regime_spec(regime).kinds.items()]


def regime_choices() -> list[tuple[str, str]]:
    return list(rt.REGIME_LABELS.items())
