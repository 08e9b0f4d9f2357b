"""The import ledger: every import (not a dry run) is kept with its file name and hash, account, time, mapping,
counts and rejection report, and with each record it created or changed. A whole import can be withdrawn — what
it created is withdrawn, what it changed is put back, with a reason, audited — as long as nothing later builds
on it; otherwise `withdraw_check` says what does (a later edit, a later import, records added to a new cadre).
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, delete, func, insert, select, update
from sqlalchemy.orm import Session

from models.core import audit, concurrency, withdrawal
from models.core.actor import Actor
from models.core.errors import ValidationError
from models.entities import Cadre, Commendation, FamilyMember, Handling, ImportBatch, ImportItem, Unit

TABLES = {"cadre": Cadre.__table__, "unit": Unit.__table__, "handling": Handling.__table__,
          "commendation": Commendation.__table__}
ENTITY_LABELS = {"cadre": "干部", "unit": "单位", "handling": "处分处理", "commendation": "表彰奖励"}
KIND_LABELS = {"cadres": "干部", "commendations": "表彰奖励", "lrmx": "任免审批表", "handling": "处分处理"}
# records that hang on a cadre: a cadre created by an import cannot be withdrawn while these exist outside it
_DEPENDENTS = (("handling", Handling.__table__), ("commendation", Commendation.__table__))


ITEM_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Item:
    entity: str  # a key of TABLES
    record_id: int
    action: str  # created / changed
    before: dict[str, Any] | None = None  # changed: the replaced values
    version: int | None = 1  # the record's version right after the import


def _json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def record(session: Session, actor: Actor, result, items: list[Item]) -> ImportBatch:
    """Keep one finished import (called by the importers inside their transaction)."""
    batch = ImportBatch(
        kind=result.kind, file_name=result.source[:260], file_sha256=result.file_hash or "", account=actor.username,
        at=datetime.now().replace(microsecond=0), sheet=result.sheet or None,
        mapping={"columns": result.columns, "user": result.mapping, "signature": result.signature},
        counts={"created": result.created, "updated": result.updated, "unchanged": result.unchanged,
                "rejected": len(result.rejected), "held": len(result.held), "units": len(result.units_created),
                "notes": result.notes},
        report=[{"sheet": r.sheet, "row": r.row, "column": r.column, "value": r.value, "name": r.name,
                 "reason": r.reason} for r in result.rejected],
    )
    session.add(batch)
    session.flush()
    for start in range(0, len(items), ITEM_CHUNK):  # in chunks: the rows of a 100,000-row import at once cost ~60 MB
        session.execute(ImportItem.__table__.insert(), [
            {"batch_id": batch.id, "entity": i.entity, "record_id": i.record_id, "action": i.action,
             "before": {k: _json(v) for k, v in i.before.items()} if i.before else None, "version": i.version}
            for i in items[start:start + ITEM_CHUNK]])
    result.batch_id = batch.id
    return batch


def list_batches(session: Session, actor: Actor, limit: int = 200) -> list[ImportBatch]:
    actor.require("read")
    return list(session.execute(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)).scalars())


def describe(b: ImportBatch) -> str:
    c = b.counts or {}
    text = (f"第{b.id}次 {b.at:%Y-%m-%d %H:%M} {b.account} 导入{KIND_LABELS.get(b.kind, b.kind)}“{b.file_name}”："
            f"新增{c.get('created', 0)}，更新{c.get('updated', 0)}，无变化{c.get('unchanged', 0)}，"
            f"拒绝{c.get('rejected', 0)}")
    if c.get("units"):
        text += f"，新建单位{c['units']}"
    if b.withdrawn_at is not None:
        text += f"（已于{b.withdrawn_at:%Y-%m-%d %H:%M}由{b.withdrawn_by}撤回：{b.withdrawn_reason}）"
    return text


def _batch(session: Session, batch_id: int) -> ImportBatch:
    b = session.get(ImportBatch, batch_id)
    if b is None:
        raise ValidationError(f"没有第{batch_id}次导入，请用 import list 查看导入记录的编号。", "batch")
    return b


def _name(session: Session, entity: str, record_id: int) -> str:
    t = TABLES[entity]
    label = ENTITY_LABELS[entity]
    if entity in ("cadre", "unit"):
        return f"{label}“{session.execute(select(t.c.name).where(t.c.id == record_id)).scalar() or record_id}”"
    return f"{label}记录（编号{record_id}）"


def withdraw_check(session: Session, actor: Actor, batch_id: int) -> list[str]:
    """What stops the import from being withdrawn (empty: it can be). Each line names the record and why."""
    actor.require("read")
    b = _batch(session, batch_id)
    if b.withdrawn_at is not None:
        return [f"第{b.id}次导入已于{b.withdrawn_at:%Y-%m-%d %H:%M}撤回。"]
    items = list(session.execute(select(ImportItem).where(ImportItem.batch_id == b.id)).scalars())
    if not items and (b.counts or {}).get("created", 0) + (b.counts or {}).get("updated", 0):
        return ["这次导入没有记下逐条改动（较早版本的导入），无法整体撤回，请逐条处理。"]
    problems: list[str] = []
    mine = {(i.entity, i.record_id) for i in items}
    for i in items:
        t = TABLES[i.entity]
        now = session.execute(select(t.c.version, t.c.withdrawn_at).where(t.c.id == i.record_id)).first()
        if now is None:
            problems.append(f"{ENTITY_LABELS[i.entity]}记录（编号{i.record_id}）已不存在。")
            continue
        if now.withdrawn_at is not None and i.action == "created":
            continue  # already withdrawn by hand: nothing to undo
        if concurrency.changed_since(now.version, i.version):
            problems.append(f"{_name(session, i.entity, i.record_id)}在这次导入之后又被修改过，请先核对该记录。")
    later = session.execute(
        select(ImportItem.entity, ImportItem.record_id, ImportBatch.id, ImportBatch.file_name)
        .join(ImportBatch, ImportBatch.id == ImportItem.batch_id)
        .where(ImportBatch.id > b.id, ImportBatch.withdrawn_at.is_(None))).all()
    for entity, record_id, later_id, file_name in later:
        if (entity, record_id) in mine:
            problems.append(f"第{later_id}次导入（“{file_name}”）又改动了{_name(session, entity, record_id)}，"
                            f"请先撤回第{later_id}次导入。")
    created_cadres = [i.record_id for i in items if i.entity == "cadre" and i.action == "created"]
    for entity, table in _DEPENDENTS:
        for i in range(0, len(created_cadres), 500):
            chunk = created_cadres[i:i + 500]
            for rid, cid in session.execute(select(table.c.id, table.c.cadre_id).where(
                    table.c.cadre_id.in_(chunk), table.c.withdrawn_at.is_(None))):
                if (entity, rid) not in mine:
                    problems.append(f"{_name(session, 'cadre', cid)}已有其后登记的{ENTITY_LABELS[entity]}（编号{rid}），"
                                    "请先撤回该记录。")
    created_units = [i.record_id for i in items if i.entity == "unit" and i.action == "created"]
    if created_units:
        cad = Cadre.__table__
        for cid, uid in session.execute(select(cad.c.id, cad.c.unit_id).where(
                cad.c.unit_id.in_(created_units), cad.c.withdrawn_at.is_(None))):
            if ("cadre", cid) not in mine:
                problems.append(f"{_name(session, 'unit', uid)}中已有其后登记的{_name(session, 'cadre', cid)}，"
                                "请先把该干部调到其他单位。")
    seen: set[str] = set()
    return [p for p in problems if not (p in seen or seen.add(p))]


def _restore(table, before: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in before.items():
        if k.startswith("_"):
            continue
        col = table.c[k]
        if isinstance(v, str) and isinstance(col.type, LargeBinary):
            v = base64.b64decode(v)
        elif isinstance(v, str) and isinstance(col.type, DateTime):
            v = datetime.fromisoformat(v)
        elif isinstance(v, str) and isinstance(col.type, Date):
            v = date.fromisoformat(v)
        out[k] = v
    return out


def withdraw(session: Session, actor: Actor, batch_id: int, reason: str) -> int:
    """Withdraw the whole import; returns the number of records withdrawn or put back. ValidationError listing
    what builds on it when it cannot be withdrawn."""
    from models.derived.commendation_summary import refresh_cadres
    from models.derived.restrictions import recompute_cadre, rule_settings
    from models.reference import pinyin

    actor.require("write")
    reason = withdrawal.clean_reason(reason, "请填写撤回的原因。", minimum=1)
    problems = withdraw_check(session, actor, batch_id)
    if problems:
        raise ValidationError("这次导入不能整体撤回：\n" + "\n".join(problems[:20])
                              + (f"\n……另有{len(problems) - 20}处" if len(problems) > 20 else ""), "batch")
    b = _batch(session, batch_id)
    items = list(session.execute(select(ImportItem).where(ImportItem.batch_id == b.id)
                                 .order_by(ImportItem.id.desc())).scalars())
    now = datetime.now().replace(microsecond=0)
    touched_handling: set[int] = set()
    touched_commendation: set[int] = set()
    for i in items:
        t = TABLES[i.entity]
        if i.action == "created":
            # the records an import made are withdrawn in bulk, as they were written (Core statements, not one
            # ORM object each): the same three fields models.core.withdrawal.mark sets on one record
            values: dict[str, Any] = {"withdrawn_at": now, "withdrawn_by": actor.username,
                                      "withdrawn_reason": f"撤回第{b.id}次导入：{reason}"}
        else:
            values = _restore(t, i.before or {})
            if i.entity == "cadre" and "name" in values:
                values["name_pinyin"], values["name_initials"] = pinyin.name_search_keys(values["name"])
            if i.entity == "cadre" and "_family" in (i.before or {}):  # an .lrmx import replaced the family rows
                fam = FamilyMember.__table__
                session.execute(delete(fam).where(fam.c.cadre_id == i.record_id))
                if i.before["_family"]:
                    session.execute(insert(fam), [{**m, "cadre_id": i.record_id} for m in i.before["_family"]])
        session.execute(update(t).where(t.c.id == i.record_id, t.c.withdrawn_at.is_(None))
                        .values(**values, version=t.c.version + 1, updated_at=func.current_timestamp()))
        if i.action == "changed" and i.version is not None:
            # the record is back as an earlier import left it: that import's item follows the new version, so
            # that the earlier import can still be withdrawn
            it = ImportItem.__table__
            session.execute(update(it).where(it.c.entity == i.entity, it.c.record_id == i.record_id,
                                             it.c.batch_id < b.id, it.c.version == i.version - 1)
                            .values(version=i.version + 1))
        if i.entity in ("handling", "commendation"):
            cadre_id = session.execute(select(t.c.cadre_id).where(t.c.id == i.record_id)).scalar()
            (touched_handling if i.entity == "handling" else touched_commendation).add(cadre_id)
    if touched_handling:
        settings = rule_settings(session)
        for cadre_id in sorted(touched_handling):
            recompute_cadre(session, cadre_id, settings)
    if touched_commendation:
        refresh_cadres(session, touched_commendation)
    withdrawal.mark(b, actor, reason, now=now)
    audit.record(session, actor, "withdraw", "import_batch", b.id, summary=f"撤回第{b.id}次导入（{b.file_name}）：{reason}",
                 after={"created_withdrawn": sum(1 for i in items if i.action == "created"),
                        "changed_put_back": sum(1 for i in items if i.action == "changed")})
    session.flush()
    return len(items)
