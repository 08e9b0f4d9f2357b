"""The latest live 影响期满考核 kept on each cadre (Cadre.assessed_on).

期满待考核 asks, for every cadre whose period ended in the look-back window, whether a live assessment is dated on
or after its off date − the early days. Probing the assessments once per candidate cost 2 µs each: 120 ms for the
66,000 candidates of a million cadres. "Some live assessment on or after D" is "the latest live one on or after D",
so with the latest date on the cadre row the question is read from the index ix_cadre_off_live — and it stays right
when the off date or the early-days setting changes, since neither enters the stored date.

As for the commendation summary (models/derived/commendation_summary.py), the storage layer keeps it:
- every ORM flush that adds, changes or deletes an ExpiryAssessment refreshes its cadre(s) in the same transaction;
- bulk writes that bypass the unit of work (the demo generator) call `refresh_cadres` / `refresh_all`.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from models.entities.cadre import Cadre
from models.entities.handling import ExpiryAssessment
from models.derived.cadre_rows import touched_cadres, update_cadres


def _latest():
    a = ExpiryAssessment.__table__
    return (select(func.max(a.c.assessed_on))
            .where(a.c.cadre_id == Cadre.__table__.c.id, a.c.withdrawn_at.is_(None))
            .scalar_subquery())


def refresh_cadres(session: Session, cadre_ids: Iterable[int]) -> None:
    """Recompute the latest assessment date of these cadres (one UPDATE per 500 ids)."""
    update_cadres(session, cadre_ids, lambda: {"assessed_on": _latest()})


def refresh_all(session: Session) -> None:
    """Recompute every cadre's date: after a bulk load (the migration that introduced it does the same in SQL)."""
    c = Cadre.__table__
    a = ExpiryAssessment.__table__
    session.connection().execute(update(c).where(c.c.assessed_on.is_not(None)).values(assessed_on=None))
    session.connection().execute(update(c).where(c.c.id.in_(select(a.c.cadre_id).distinct()))
                                 .values(assessed_on=_latest()))


def keep_summary(session: Session, _flush_context) -> None:
    """after_flush: refresh the cadres whose assessments this flush wrote."""
    ids = touched_cadres(session, ExpiryAssessment)
    if ids:
        refresh_cadres(session, ids)


event.listen(Session, "after_flush", keep_summary)
