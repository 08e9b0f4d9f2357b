"""What the per-cadre summaries (commendation_summary, assessment_summary) share: which cadres a flush touched
through records of one kind, and an UPDATE of some cadres in chunks."""
from __future__ import annotations

from typing import Callable, Iterable

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from models.entities.cadre import Cadre

_CHUNK = 500  # ids per IN list: well below SQLite's variable limit


def touched_cadres(session: Session, kind: type) -> set[int]:
    """The cadres of the `kind` records this flush adds, changes or deletes (after_flush: the new / dirty /
    deleted collections still show what it wrote), including the cadre a record was moved away from."""
    ids: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, kind):
            continue
        if obj.cadre_id is not None:
            ids.add(obj.cadre_id)
        history = inspect(obj).attrs.cadre_id.history
        ids.update(v for v in (history.deleted or ()) if v is not None)
    return ids


def update_cadres(session: Session, cadre_ids: Iterable[int], values: Callable[[], dict]) -> None:
    """UPDATE cadre SET values() for these cadres, one statement per 500 ids."""
    ids = sorted({int(i) for i in cadre_ids if i is not None})
    c = Cadre.__table__
    for start in range(0, len(ids), _CHUNK):
        session.connection().execute(update(c).where(c.c.id.in_(ids[start:start + _CHUNK])).values(**values()))
