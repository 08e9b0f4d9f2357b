"""Derived dates: handling rows → the impact-period engine → restrictions, statuses and off dates.

Derived dates are recomputed from the engine on every write and never typed (design §3). An officer's
override of a restriction's last day survives recomputation (keyed by handling and restriction kind) and
always wins; it is marked wherever the date appears.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models.rules import rule_table
from models.core import settings_store
from models.entities import Cadre, Handling, Restriction, Review, Setting
from models.rules.engine import TEXT_VERSION, EvalResult, RecordInput, RuleSettings, evaluate
from models.rules.period_math import cn_date
from models.rules.engine import Review as RuleReview



def rule_settings(session: Session) -> RuleSettings:
    return RuleSettings(
        month_end=settings_store.get(session, "rules.month_end"),
        party_overlap_before_2024=settings_store.get(session, "rules.party_overlap_before_2024"),
    )


def effective_review(reviews: Iterable[Review]) -> RuleReview | None:
    """The latest review that revoked or changed the decision (upheld reviews change nothing)."""
    live = [r for r in reviews if r.withdrawn_at is None and r.outcome in ("revoked", "changed")]
    if not live:
        return None
    last = max(live, key=lambda r: (r.decided_on, r.id or 0))
    return RuleReview(on=last.decided_on, outcome=last.outcome, kind=last.new_kind)


def decision_ref(h: Handling) -> str:
    """How an explanation names an earlier decision: its 文号, else its effective date (never an internal id)."""
    return decision_ref_text(h.doc_number, h.effective_on)


def decision_ref_text(doc_number: str | None, effective_on: date) -> str:
    number = (doc_number or "").strip()
    if number:
        return number if number.endswith(("决定", "通知")) else f"{number}决定"
    return f"{cn_date(effective_on)}生效的决定"


def to_record_inputs(handlings: Sequence[Handling]) -> list[RecordInput]:
    groups: dict[str, list[str]] = {}
    for h in handlings:
        if h.together_group:
            groups.setdefault(h.together_group, []).append(str(h.id))
    records = []
    for h in handlings:
        together = tuple(i for i in groups.get(h.together_group or "", []) if i != str(h.id))
        records.append(
            RecordInput(
                id=str(h.id), regime=h.regime, kind=h.kind, effective=h.effective_on, months=h.months,
                in_lieu_of_revocation=bool(h.in_lieu_of_revocation), rules_version=h.rules_version,
                probation_extended=bool(h.probation_extended), restored_on=h.restored_on,
                together_with=together, review=effective_review(h.reviews), ref=decision_ref(h),
            )
        )
    return records


@dataclass(frozen=True)
class Override:
    last_day: date
    reason: str | None
    by: str | None
    at: object


def recompute_cadre(session: Session, cadre_id: int, settings: RuleSettings | None = None) -> EvalResult:
    """Recompute every derived date of one cadre inside the caller's transaction."""
    settings = settings or rule_settings(session)
    handlings = list(
        session.execute(
            select(Handling).where(Handling.cadre_id == cadre_id, Handling.withdrawn_at.is_(None)).order_by(Handling.id)
        ).scalars()
    )
    overrides = {
        (r.handling_id, r.kind): Override(r.override_last_day, r.override_reason, r.override_by, r.override_at)
        for r in session.execute(
            select(Restriction).where(Restriction.cadre_id == cadre_id, Restriction.override_last_day.is_not(None))
        ).scalars()
    }
    session.execute(delete(Restriction).where(Restriction.cadre_id == cadre_id))
    result = evaluate(to_record_inputs(handlings), settings) if handlings else EvalResult(records=(), off_date=None)
    by_id = {r.id: r for r in result.records}
    cadre_off: date | None = None
    for h in handlings:
        res = by_id[str(h.id)]
        h.status = res.status
        h.explanation = res.explanation
        handling_off: date | None = None
        for rr in res.restrictions:
            ov = overrides.get((h.id, rr.kind))
            last, off = rr.last_day, rr.off_date
            row = Restriction(
                handling_id=h.id, cadre_id=cadre_id, kind=rr.kind, start=rr.start, computed_last_day=rr.last_day,
                basis=rr.basis, explanation=rr.explanation,
            )
            if ov is not None:
                last, off = ov.last_day, ov.last_day + timedelta(days=1)
                row.override_last_day, row.override_reason = ov.last_day, ov.reason
                row.override_by, row.override_at = ov.by, ov.at
            row.last_day, row.off_date = last, off
            session.add(row)
            if rr.kind in rule_table.OFF_DATE_KINDS and off is not None:  # they make the off date (§8.3)
                handling_off = off if handling_off is None else max(handling_off, off)
        h.off_date = handling_off
        if handling_off is not None:
            cadre_off = handling_off if cadre_off is None else max(cadre_off, handling_off)
    session.execute(update(Cadre).where(Cadre.id == cadre_id).values(off_date=cadre_off))
    session.flush()
    return result


def recompute_all(session: Session, progress=None) -> int:
    """After a rules setting changed (or the rule table or the wording of the explanations did): recompute every
    cadre that has handling records, and note which table and wording the stored texts now follow. Returns the
    count."""
    settings = rule_settings(session)
    ids = list(session.execute(select(Handling.cadre_id).distinct()).scalars())
    for n, cadre_id in enumerate(ids, 1):
        recompute_cadre(session, cadre_id, settings)
        if progress is not None and n % 200 == 0:
            progress.check()
            progress.update(n, len(ids), f"正在重新计算影响期（{n}/{len(ids)}）")
    mark_explanations_current(session)
    return len(ids)


# ---------------------------------------------------------------------------------------------------------------
# The basis and explanation of every restriction are stored (lists read them without running the engine). A
# database written by an older program keeps the texts of its rule table (an article added since, an earlier
# decision named by its internal id): the stamp below says which table and wording wrote them, and a start of
# the program recomputes them once when it differs (gui/app.py start_plan_upkeep).

EXPLANATIONS_KEY = "derived.explanations"


@lru_cache(maxsize=1)
def explanations_stamp() -> str:
    """The rule table's version and content, and the engine's wording version, in one short text."""
    digest = hashlib.sha256(rule_table.TABLE_PATH.read_bytes()).hexdigest()[:12]
    return f"{rule_table.TABLE_VERSION}/{digest}/{TEXT_VERSION}"


def mark_explanations_current(session: Session) -> None:
    """Note that the stored texts follow this program's rule table (a derived fact, not a user's setting)."""
    row = session.get(Setting, EXPLANATIONS_KEY)
    if row is None:
        row = Setting(key=EXPLANATIONS_KEY)
        session.add(row)
    if row.value != explanations_stamp():
        row.value = explanations_stamp()
        row.updated_by = "系统"
    session.flush()


def explanations_current(session: Session) -> bool:
    return settings_store.get(session, EXPLANATIONS_KEY) == explanations_stamp()


def refresh_stale_explanations(session: Session, progress=None) -> int | None:
    """Recompute every cadre's restrictions when their stored texts were written by another rule table or
    wording; None (after one small query) when they are current. Returns the count recomputed."""
    if explanations_current(session):
        return None
    return recompute_all(session, progress)
