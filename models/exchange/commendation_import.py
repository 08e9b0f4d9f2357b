"""Import of commendations (表彰奖励) from an Excel 台账, matched to cadres by ID number.

Same semantics as the cadre import: every row validated first, the valid rows written in one transaction, a
row whose commendation is already recorded (same cadre, kind, date and 文号/honour) is updated, not duplicated.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from models.core import audit
from models.reference import codes
from models.core.actor import Actor
from models.entities import Cadre, Commendation
from models.derived.commendation_summary import refresh_cadres
from models.core.errors import ValidationError
from models.exchange import excel_values as ev
from models.exchange.cadre_import import CHUNK, shown
from models.exchange.common import FieldChange, ImportResult
from models.exchange.import_run import read_and_validate, rejection
from models.exchange.sheet_reader import Column, SheetRow
from models.core.progress import Progress

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", (), True, "必填，用于核对"),
    Column("id_number", "身份证号", (), True, "必填，按身份证号找到干部（须已登记）"),
    Column("kind", "奖励种类", (), True,
           "嘉奖、记三等功、记二等功、记一等功、授予称号，或本地荣誉（百佳公务员、先进典型、通报表扬……）；"
           "空着时，荣誉称号一栏写的是这些种类之一（许多台账的“奖励名称”就是“记三等功”），按它计",
           unless="honour"),
    Column("honour", "荣誉称号", (), False, "如：2023年度百佳公务员"),
    Column("awarded_on", "奖励时间", (), True, "2023.12 或 2023-12-20"),
    Column("organ", "批准机关", (), False, ""),
    Column("doc_number", "文号", (), False, "如：武组〔2023〕12号"),
    Column("reason", "事由", (), False, ""),
    Column("urgent_task", "急难险重任务", (), False, "是/否"),
    Column("urgent_task_desc", "任务内容", (), False, "急难险重任务的名称"),
    Column("double_victory", "双胜利", (), False, "是/否"),
)
LABELS = {c.key: c.label for c in COLUMNS}
_com = Commendation.__table__
_cadre = Cadre.__table__
_FIELDS = ("kind", "honour", "awarded_on", "organ", "doc_number", "reason", "urgent_task", "urgent_task_desc",
           "double_victory")


def _validator(session: Session):
    kinds = set(codes.STATUTORY_COMMENDATIONS) | set(codes.editable(session, "local_honours"))

    def validate(row: SheetRow, today: date | None) -> dict[str, Any]:
        raw = row.values
        name = ev.clean_name(raw.get("name"))
        if not name:
            raise ValidationError("姓名为空，请填写。", "name")
        number = ev.parse_id_number(raw.get("id_number"), today=today)
        kind = ev.clean_text(raw.get("kind"), "奖励种类", 40, "kind")
        honour = ev.clean_text(raw.get("honour"), LABELS["honour"], getattr(_com.c.honour.type, "length", None), "honour")
        if not kind and honour in kinds:
            # a ledger's one column 奖励名称 holds the kind (记三等功) as often as a title
            kind, honour = honour, None
        if not kind:
            also = f"（荣誉称号“{honour}”不是奖励种类）" if honour else ""
            raise ValidationError(f"奖励种类为空{also}，请填写（如：嘉奖、记三等功、授予称号、百佳公务员）。", "kind")
        if kind not in kinds:
            raise ValidationError(f"奖励种类“{kind}”不在代码表中。可选：{'、'.join(sorted(kinds))}。"
                                  "如是本地荣誉，请管理员在“设置→代码表→本地荣誉”中添加后再导入。", "kind")
        awarded = ev.parse_date(raw.get("awarded_on"), "奖励时间", "awarded_on", today=today)
        if awarded is None:
            raise ValidationError("奖励时间为空，请填写（如：2023.12）。", "awarded_on")
        out: dict[str, Any] = {"name": name, "id_number": number, "kind": kind, "awarded_on": awarded,
                               "honour": honour}
        for key in ("organ", "doc_number", "reason", "urgent_task_desc"):
            length = getattr(_com.c[key].type, "length", None)
            out[key] = ev.clean_text(raw.get(key), LABELS[key], length, key)
        for key in ("urgent_task", "double_victory"):
            out[key] = bool(ev.parse_bool(raw.get(key), LABELS[key], key))
        if out["urgent_task_desc"] and not out["urgent_task"]:
            out["urgent_task"] = True
        return out

    return validate


def _identity(v: dict[str, Any]) -> tuple:
    return (v["id_number"], v["kind"], v["awarded_on"], v["doc_number"] or v["honour"] or "")


def import_commendations(session: Session, actor: Actor, path: str | Path, *, dry_run: bool = False,
                         today: date | None = None, progress: Progress | None = None,
                         mapping: Mapping[str, str | None] | None = None,
                         allow_renames: bool = False,
                  sheet: str | None = None) -> ImportResult:
    """`allow_renames` is accepted for the common signature: a commendation import never changes a cadre."""
    from models.exchange import import_ledger

    progress = progress or Progress()
    sheet, result, valid = read_and_validate(
        session, actor, path, kind="commendations", columns=COLUMNS, what="表彰奖励台账", validate=_validator(session),
        identity=_identity, dry_run=dry_run, today=today, progress=progress, mapping=mapping,
        record_word="项表彰（同一人、种类、时间和文号）", sheet_name=sheet)
    rows = {r.number: r for r in sheet.rows}
    numbers = sorted({v.values["id_number"] for v in valid})
    cadres: dict[str, tuple[int, str, Any]] = {}
    for i in range(0, len(numbers), CHUNK):
        for r in session.execute(select(_cadre.c.id_number, _cadre.c.id, _cadre.c.name, _cadre.c.withdrawn_at)
                                 .where(_cadre.c.id_number.in_(numbers[i:i + CHUNK]))):
            cadres[r.id_number] = (r.id, r.name, r.withdrawn_at)
    ids = sorted({c[0] for c in cadres.values()})
    existing: dict[tuple, dict[str, Any]] = {}
    for i in range(0, len(ids), CHUNK):
        for r in session.execute(select(_com).where(_com.c.cadre_id.in_(ids[i:i + CHUNK]),
                                                     _com.c.withdrawn_at.is_(None))).mappings():
            existing[(r["cadre_id"], r["kind"], r["awarded_on"], r["doc_number"] or r["honour"] or "")] = dict(r)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for v in valid:
        values = v.values
        found = cadres.get(values["id_number"])
        if found is None:
            result.rejected.append(rejection(sheet, rows[v.row], "找不到该身份证号的干部。请先导入或录入该干部，再导入其表彰奖励。",
                                             "id_number", values["name"], values["id_number"]))
            continue
        cadre_id, cadre_name, withdrawn = found
        if withdrawn is not None:
            result.rejected.append(rejection(sheet, rows[v.row], f"该身份证号属于已撤回的干部记录（编号{cadre_id}），未导入。",
                                             "id_number", values["name"], values["id_number"]))
            continue
        if cadre_name != values["name"]:
            result.rejected.append(rejection(
                sheet, rows[v.row],
                f"姓名与身份证号不符：该身份证号登记的干部是“{cadre_name}”，表中为“{values['name']}”。请核对姓名或身份证号。",
                "name", values["name"], values["id_number"]))
            continue
        key = (cadre_id, values["kind"], values["awarded_on"], values["doc_number"] or values["honour"] or "")
        record = {k: values[k] for k in _FIELDS}
        old = existing.get(key)
        if old is None:
            inserts.append({"cadre_id": cadre_id, "version": 1, **record})
            result.created += 1
            result.add(v.row, cadre_name, f"新增{values['kind']}（{values['awarded_on']:%Y.%m}）")
            continue
        changed = [k for k in _FIELDS if record[k] is not None and old[k] != record[k]]
        if not changed:
            result.unchanged += 1
            continue
        result.updated += 1
        result.add(v.row, cadre_name, f"更新{values['kind']}",
                   [FieldChange(LABELS[k], shown(old[k]), shown(record[k])) for k in changed])
        updates.append({"_id": old["id"], "_cadre": cadre_id, "_version": old["version"] + 1,
                        "_before": {k: old[k] for k in changed},
                        **{k: (record[k] if record[k] is not None else old[k]) for k in _FIELDS}})
    if dry_run:
        return result
    progress.check()
    touched = {r["cadre_id"] for r in inserts} | {r["_cadre"] for r in updates}
    if inserts:
        session.execute(insert(Commendation), inserts)
    items = [import_ledger.Item("commendation", r["_id"], "changed", r["_before"], r["_version"]) for r in updates]
    if updates:
        stmt = (update(_com).where(_com.c.id == bindparam("_id"))
                .values({**{k: bindparam("v_" + k) for k in _FIELDS}, "version": _com.c.version + 1,
                         "updated_at": func.current_timestamp()}))
        updates = [{"_id": r["_id"], **{"v_" + k: r[k] for k in _FIELDS}} for r in updates]
        session.connection().execute(stmt, updates)
    refresh_cadres(session, touched)  # bulk writes bypass the flush that keeps the summary
    progress.check()
    audit.record(session, actor, "import", "commendation", None,
                 summary=f"从“{result.source}”导入表彰奖励：{result.summary()}",
                 after={"file": result.source, "created": result.created, "updated": result.updated,
                        "unchanged": result.unchanged, "rejected": len(result.rejected)})
    if inserts:
        wanted = {(r["cadre_id"], r["kind"], r["awarded_on"], r["doc_number"] or r["honour"] or "") for r in inserts}
        ids = sorted({r["cadre_id"] for r in inserts})
        for i in range(0, len(ids), CHUNK):
            for r in session.execute(select(_com.c.id, _com.c.cadre_id, _com.c.kind, _com.c.awarded_on, _com.c.doc_number,
                                            _com.c.honour, _com.c.version)
                                     .where(_com.c.cadre_id.in_(ids[i:i + CHUNK]), _com.c.withdrawn_at.is_(None))):
                if (r.cadre_id, r.kind, r.awarded_on, r.doc_number or r.honour or "") in wanted:
                    items.append(import_ledger.Item("commendation", r.id, "created", version=r.version))
    import_ledger.record(session, actor, result, items)
    session.flush()
    return result
