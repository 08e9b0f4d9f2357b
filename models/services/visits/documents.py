"""The 回访教育记录表 rows: everything one printed record shows, as plain values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import settings_store
from models.core.actor import Actor
from models.entities import Cadre, Handling, Restriction
from models.core.errors import ValidationError
from models.derived.visit_plans import current_kind
from models.services.handling.register import short_label
from models.services.visits.records import VisitRow, get_visit, list_visits


@dataclass(frozen=True)
class VisitDocument:
    """Everything the 回访教育记录表 prints (domain §2.4), as plain values."""

    visit: VisitRow
    cadre_name: str
    gender: str
    birth: date | None  # None for roles without "see_id_number": they get birth_year only
    political_status: str
    unit_name: str
    current_post: str
    handling_label: str
    organ: str
    doc_number: str
    decided_on: date | None
    effective_on: date
    period_start: date | None
    period_last_day: date | None
    facts: str
    org_name: str
    unit_id: int | None = None  # the unit, for its full name on the form
    short_kind: str = ""  # 政务警告, 党内严重警告 … (the handling register's short name of the kind in force)
    withdrawn: bool = False  # the cadre or the handling was withdrawn
    birth_year: int | None = None


def visit_document(session: Session, actor: Actor, visit_id: int) -> VisitDocument:
    """What the printed record shows to this actor: the birth year only for a role without "see_id_number"."""
    row = get_visit(session, actor, visit_id)
    cadre = session.get(Cadre, row.cadre_id)
    h = session.get(Handling, row.handling_id)
    rs = list(session.execute(select(Restriction).where(Restriction.handling_id == h.id)).scalars())
    starts = [r.start for r in rs]
    from models.rules.visit_plan import period_off_date

    off = period_off_date(rs)
    return VisitDocument(
        visit=row, cadre_name=cadre.name, gender=cadre.gender or "",
        birth=cadre.birth_date if actor.can("see_id_number") else None,
        birth_year=cadre.birth_date.year if cadre.birth_date else None,
        political_status=cadre.political_status or "", unit_name=row.unit_name, current_post=cadre.current_post or "",
        handling_label=row.handling_label, organ=h.organ or "", doc_number=h.doc_number or "",
        decided_on=h.approved_on or h.decided_on, effective_on=h.effective_on,
        period_start=min(starts) if starts else None, period_last_day=off - timedelta(days=1) if off else None,
        facts=h.facts or "", org_name=str(settings_store.get(session, "org.name") or ""),
        unit_id=cadre.unit_id, short_kind=short_label(h.regime, current_kind(h)),
        withdrawn=cadre.withdrawn_at is not None or h.withdrawn_at is not None,
    )


def visit_documents_in_period(session: Session, actor: Actor, date_from: date, date_to: date) -> list[VisitDocument]:
    actor.require("read")
    if date_from > date_to:
        raise ValidationError(f"起始日期 {date_from.isoformat()} 晚于截止日期 {date_to.isoformat()}。请调换或改正。", "date_from")
    rows = list_visits(session, actor, date_from=date_from, date_to=date_to, limit=None)
    docs = [visit_document(session, actor, r.id) for r in sorted(rows, key=lambda r: (r.visited_on, r.id))]
    return [d for d in docs if not d.withdrawn and d.visit.withdrawn_at is None]  # withdrawn records never print
