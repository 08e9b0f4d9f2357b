"""The cadre's own page: every record of one cadre as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.services.unit_names import full_name
from models.derived.visit_plans import current_kind
from models.entities import (
    Accusation, AccusationSubject, Clarification, Commendation,
    ExpiryAssessment, Handling, Restriction, Visit,
)
from models.core.errors import NotFoundError
from models.services.cadres.editing import _load, form_values
from models.services.cadres.appointment_text import annual_assessment_text, rewards_and_sanctions_text


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
        id=cadre.id, version=cadre.version, values=values, unit_name=full_name(session, cadre.unit_id) or None if cadre.unit else None,  # the full name: never ambiguous
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
            h.id, h.regime, h.kind, rule_table.full_label(h.regime, current_kind(h)), h.effective_on, h.organ,
            h.doc_number,
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
