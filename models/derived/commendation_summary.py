"""The commendation summary kept on each cadre (Cadre.commended_on, urgent_commended_on, double_victory_on).

The 优先考虑使用 list asks, for 100,000 cadres, who was commended within the last N years and is free for use.
Summing the commendations per cadre for that on every read cost 70–110 ms; with the latest dates on the cadre
row the question is one range of an index (ix_cadre_commended). The dates are kept here, by the storage layer:

- every ORM flush that adds, changes or deletes a Commendation refreshes its cadre(s) in the same transaction
  (after_flush), whichever service made the change;
- bulk writes that bypass the ORM unit of work (`session.execute(insert(Commendation), rows)` in the importer
  and the demo generator) call `refresh_cadres` / `refresh_all` themselves.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from models.entities.cadre import Cadre
from models.entities.commendation import Commendation
from models.derived.cadre_rows import touched_cadres, update_cadres


def _latest(*extra):
    k = Commendation.__table__
    return (select(func.max(k.c.awarded_on))
            .where(k.c.cadre_id == Cadre.__table__.c.id, k.c.withdrawn_at.is_(None), k.c.revoked_on.is_(None), *extra)
            .scalar_subquery())


def _summary_values() -> dict:
    k = Commendation.__table__
    return {
        "commended_on": _latest(),
        "urgent_commended_on": _latest(k.c.urgent_task.is_(True)),
        "double_victory_on": _latest(k.c.double_victory.is_(True)),
    }


def refresh_cadres(session: Session, cadre_ids: Iterable[int]) -> None:
    """Recompute the summary of these cadres from their commendations (one UPDATE per 500 ids)."""
    update_cadres(session, cadre_ids, _summary_values)


def refresh_all(session: Session) -> None:
    """Recompute every cadre's summary: after a bulk load, and in the migration that introduced it."""
    c = Cadre.__table__
    k = Commendation.__table__
    session.connection().execute(update(c).where(c.c.commended_on.is_not(None))
                                 .values(commended_on=None, urgent_commended_on=None, double_victory_on=None))
    with_any = select(k.c.cadre_id).distinct()
    session.connection().execute(update(c).where(c.c.id.in_(with_any)).values(**_summary_values()))


def keep_summary(session: Session, _flush_context) -> None:
    """after_flush: refresh the cadres whose commendations this flush wrote."""
    ids = touched_cadres(session, Commendation)
    if ids:
        refresh_cadres(session, ids)


event.listen(Session, "after_flush", keep_summary)
