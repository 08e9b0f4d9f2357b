"""Optimistic locking made readable: a stale save becomes a ConflictError that says who changed what.

Versioned entities (VersionedMixin) carry `version` as SQLAlchemy's version_id_col, so an UPDATE of a copy read
before someone else saved matches no row and SQLAlchemy raises StaleDataError. Services use:

    with concurrency.guard(session, cadre, labels=CADRE_LABELS):
        session.flush()

or, when the GUI sends back the version the user saw (the record was re-read in a new session):

    concurrency.check_version(session, cadre, expected_version, seen=row_as_dict)

A service with its own message passes `error=lambda: ConflictError("…")` to either; every service checks versions
and catches StaleDataError here and nowhere else (tests/security/test_concurrency.py).

Both raise `ConflictError("这条记录已被他人修改…")` listing each field the other person changed (label: what you
saw → what is saved now), who did it and when (from the audit log); the error's `changes` holds the same as data.
Nothing of the stale save is written: the caller's transaction is rolled back.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, cast

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.exc import StaleDataError as StaleDataError  # also the GUI's name for a stale save

from models.core.audit import _jsonable
from models.entities import AuditEvent
from models.core.errors import ConflictError

IGNORED = {"version", "created_at", "updated_at", "photo", "name_pinyin", "name_initials"}
COMMON_LABELS = {
    "name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期", "unit_id": "单位",
    "current_post": "现任职务", "rank": "职级", "post_level": "职务层次", "status": "状态", "kind": "种类",
    "effective_on": "生效日期", "decided_on": "决定日期", "doc_number": "文号", "organ": "决定机关", "facts": "事实摘要",
    "summary": "内容摘要", "outcome": "结果", "withdrawn_at": "撤回时间", "withdrawn_reason": "撤回原因",
    "display_name": "姓名", "role": "角色", "active": "在用",
}
MAX_SHOWN = 8


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    seen: Any
    now: Any


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    text = str(_jsonable(value))
    return text if len(text) <= 40 else text[:40] + "…"


def _current_row(session: Session, mapper: Mapper[Any], pk: tuple[Any, ...]) -> dict[str, Any] | None:
    """The saved values, read on a connection of its own (the session's transaction may be failed)."""
    bind = session.get_bind(mapper)
    engine = cast(Engine, getattr(bind, "engine", bind))
    table = mapper.local_table
    cond = [col == value for col, value in zip(mapper.primary_key, pk)]
    with engine.connect() as conn:
        row = conn.execute(select(table).where(*cond)).mappings().first()
    return None if row is None else dict(row)


def _last_editor(session: Session, entity: str, entity_id: Any) -> tuple[str, Any] | None:
    bind = session.get_bind()
    engine = cast(Engine, getattr(bind, "engine", bind))
    with engine.connect() as conn:
        row = conn.execute(
            select(AuditEvent.actor, AuditEvent.at)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.seq.desc()).limit(1)
        ).first()
    return None if row is None else (row[0], row[1])


def _seen_values(obj: Any) -> dict[str, Any]:
    """What the user's copy held before their own edits: committed values of changed attributes, else current."""
    state = inspect(obj)
    seen = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].load_history()
        if hist.deleted:
            seen[attr.key] = hist.deleted[0]
        elif hist.unchanged:
            seen[attr.key] = hist.unchanged[0]
        elif hist.added and not state.persistent:
            seen[attr.key] = None
        else:
            seen[attr.key] = state.dict.get(attr.key)
    return seen


def conflict_error(
    session: Session, obj: Any, *, seen: Mapping[str, Any] | None = None, labels: Mapping[str, str] | None = None,
    entity: str | None = None,
) -> ConflictError:
    """Build the ConflictError for `obj` (an ORM object whose saved row moved on since `seen`)."""
    state = inspect(obj)
    mapper = state.mapper
    pk = state.identity or tuple(getattr(obj, c.key) for c in mapper.primary_key)
    labels = {**COMMON_LABELS, **(labels or {})}
    entity = entity or mapper.local_table.name
    seen = dict(seen) if seen is not None else _seen_values(obj)
    current = _current_row(session, mapper, pk)
    if current is None:
        err = ConflictError("这条记录已被他人删除，您的修改没有保存。请刷新列表后再操作。")
        err.changes = []
        return err
    changes = []
    for attr in mapper.column_attrs:
        key = attr.key
        col = attr.columns[0].key
        if key in IGNORED or key not in seen or col not in current:
            continue
        if _jsonable(seen[key]) != _jsonable(current[col]):
            changes.append(Change(key, labels.get(key, key), seen[key], current[col]))
    who = _last_editor(session, entity, pk[0] if len(pk) == 1 else pk)
    by = f"（最后修改：{who[0]}，{who[1]:%Y-%m-%d %H:%M}）" if who else ""
    if changes:
        listed = "；".join(f"{c.label}：{_fmt(c.seen)} → {_fmt(c.now)}" for c in changes[:MAX_SHOWN])
        more = f"等 {len(changes)} 项" if len(changes) > MAX_SHOWN else ""
        what = f"对方改动了：{listed}{more}。"
    else:
        what = "对方保存了这条记录（内容与您看到的相同或仅有内部字段变化）。"
    err = ConflictError(
        f"这条记录已被他人修改{by}，您的修改没有保存。{what}请重新打开这条记录，核对最新内容后再修改。"
    )
    err.changes = changes
    return err


def check_version(
    session: Session, obj: Any, expected_version: int | None, *, seen: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None, entity: str | None = None,
    error: Callable[[], ConflictError] | None = None,
) -> None:
    """Raise ConflictError when the record's saved version is not the one the user edited (None: not checked).

    `error` builds a service's own ConflictError instead of the one listing what the other person changed."""
    if expected_version is None:
        return
    if obj.version != expected_version:
        raise error() if error is not None else conflict_error(session, obj, seen=seen, labels=labels, entity=entity)


@contextmanager
def guard(
    session: Session, obj: Any, *, labels: Mapping[str, str] | None = None, entity: str | None = None,
    error: Callable[[], ConflictError] | None = None,
) -> Iterator[None]:
    """Turn SQLAlchemy's StaleDataError (raised at flush) into a ConflictError about `obj` (or `error()`)."""
    seen = _seen_values(obj) if error is None else {}
    try:
        yield
    except StaleDataError:
        if error is not None:
            raise error() from None
        raise conflict_error(session, obj, seen=seen, labels=labels, entity=entity) from None


def flush(session: Session, obj: Any, *, labels: Mapping[str, str] | None = None, entity: str | None = None) -> None:
    with guard(session, obj, labels=labels, entity=entity):
        session.flush()


def changed_since(current: int, recorded: int | None) -> bool:
    """True when a record's version has moved on from one written down earlier (an import being undone: someone
    edited the record after it). None: nothing was written down, nothing to compare."""
    return recorded is not None and current != recorded
