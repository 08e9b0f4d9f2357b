"""What the engine computes for a decision being typed, with the cadre's other records; nothing is written."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.rules import rule_table as rt
from models.derived.restrictions import effective_review, rule_settings, to_record_inputs
from models.entities import Handling, Restriction
from models.rules.engine import EvalResult, RecordInput, evaluate
from models.rules.engine import Review as RuleReview
from models.services.handling.register import HandlingInput, RestrictionRow, STATUS_LABELS, normalise


@dataclass(frozen=True)
class PreviewRow:
    status: str
    status_label: str
    explanation: str
    off_date: date | None
    restrictions: tuple[RestrictionRow, ...]


def preview(session: Session, data: HandlingInput, today: date, handling_id: int | None = None) -> PreviewRow:
    """What the engine computes for a decision being typed, with the cadre's other records; nothing is written.

    Raises ValidationError while the input is incomplete or wrong (the dialog shows the message instead)."""
    data = normalise(data, today)
    others = list(session.execute(
        select(Handling).where(Handling.cadre_id == data.cadre_id, Handling.withdrawn_at.is_(None)).order_by(Handling.id)
    ).scalars())
    records = [r for r in to_record_inputs(others) if r.id != str(handling_id)]
    reviews = [h for h in others if h.id == handling_id]
    rv: RuleReview | None = effective_review(reviews[0].reviews) if reviews else None
    draft = RecordInput(
        id="draft", regime=data.regime, kind=data.kind, effective=data.effective_on, months=data.months,
        in_lieu_of_revocation=data.in_lieu_of_revocation, rules_version=data.rules_version,
        probation_extended=data.probation_extended, restored_on=data.restored_on, review=rv,
    )
    result: EvalResult = evaluate([*records, draft], rule_settings(session))
    rec = result.record("draft")
    overrides = {}
    if handling_id is not None:
        for r in session.execute(select(Restriction).where(
                Restriction.handling_id == handling_id, Restriction.override_last_day.is_not(None))).scalars():
            overrides[r.kind] = r
    rows = []
    for x in rec.restrictions:
        ov = overrides.get(x.kind)
        last, off = x.last_day, x.off_date
        if ov is not None:
            last, off = ov.override_last_day, ov.override_last_day + timedelta(days=1)
        rows.append(RestrictionRow(
            id=None, handling_id=handling_id, kind=x.kind, label=rt.restriction_label(x.kind), start=x.start,
            last_day=last, off_date=off, computed_last_day=x.last_day, explanation=x.explanation, basis=x.basis,
            overridden=ov is not None, override_reason=ov.override_reason if ov else None,
        ))
    offs = [r.off_date for r in rows if r.kind in rt.OFF_DATE_KINDS and r.off_date]
    return PreviewRow(status=rec.status, status_label=STATUS_LABELS.get(rec.status, rec.status),
                      explanation=rec.explanation.replace("记录 draft", "本记录"), off_date=max(offs) if offs else None,
                      restrictions=tuple(rows))
