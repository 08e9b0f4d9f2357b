"""Import of an existing 处分处理台账 (.xlsx), and its export in the same columns (so the file re-imports).

Kinds are read as officers write them: 党内警告, 党内严重警告, 撤销党内职务, 留党察看一年/二年, 开除党籍, 政务警告 …
开除公职, 警告/记过 with a 类别 column (党纪/政务/事业单位), 诫勉, 调整职务, 免职, 责令辞职, 引咎辞职, 降职, 停职检查.
Dates take every form of the cadre import (models/exchange/excel_values.py) but must name the day: an impact
period cannot be computed from "2024.03". The cadre is matched by ID number (the name must agree). Rejected,
each with its reason: a kind that is not a sanction or handling (嘉奖, 谈话提醒 …), an unknown cadre, a decision
the handling service refuses. The rest import in one transaction; every touched cadre is recomputed; a row
already recorded (same cadre, kind, effective date and 文号) is counted unchanged, so a 台账 can be re-imported.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models.core import audit
from models.services.handling import register as handling_register
from models.rules import rule_table as rt
from models.core.actor import Actor
from models.derived.restrictions import recompute_cadre, rule_settings
from models.entities import Cadre, Handling, Unit
from models.core.errors import ValidationError
from models.exchange import excel_values as ev
from models.exchange.cadre_import import CHUNK
from models.exchange.common import ImportResult
from models.exchange.import_run import read_and_validate, rejection
from models.exchange.sheet_reader import Column, SheetRow
from models.reference.id_number import mask as mask_id
from models.core.progress import Progress
from models.exchange.xlsx_text import append_row

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", (), True, "必填，用于核对"),
    Column("id_number", "身份证号", (), True, "必填，按身份证号找到干部（须已登记）"),
    Column("category", "类别", (), False, "党纪 / 政务 / 事业单位 / 组织处理；种类只写“警告”“记过”时必填"),
    Column("kind", "处分种类", (), True,
           "如：党内警告、政务记过、留党察看一年、诫勉、免职"),
    Column("decided_on", "决定日期", (), False, "2024-03-15"),
    Column("approved_on", "批准日期", (), False, "党纪处分的批准日期（党纪处分自批准之日起生效）"),
    Column("effective_on", "生效日期", (), False, "不填则按规定：党纪处分为批准日期，其他为决定日期"),
    Column("served_on", "送达日期", (), False, ""),
    Column("organ", "决定机关", (), False, ""),
    Column("doc_number", "文号", (), False, "如：某纪〔2024〕3号"),
    Column("facts", "主要事实", (), False, "客观、中性地概括"),
    Column("months", "处分期（月）", (), False, "一并处理时决定机关确定的月数；一般不填"),
    Column("restored_on", "恢复党员权利日期", (), False, "留党察看"),
)
LABELS = {c.key: c.label for c in COLUMNS}

# kinds written in full (spaces and the word 处分 removed before lookup)
_FULL: dict[str, tuple[str, str]] = {
    "党内警告": ("party", "warning"), "党纪警告": ("party", "warning"),
    "党内严重警告": ("party", "serious_warning"), "严重警告": ("party", "serious_warning"), "党纪严重警告": ("party", "serious_warning"),
    "撤销党内职务": ("party", "removal_from_party_post"),
    "留党察看一年": ("party", "probation_1y"), "留党察看1年": ("party", "probation_1y"), "留党察看壹年": ("party", "probation_1y"),
    "留党察看二年": ("party", "probation_2y"), "留党察看两年": ("party", "probation_2y"), "留党察看2年": ("party", "probation_2y"),
    "开除党籍": ("party", "expulsion"),
    "政务警告": ("gov", "warning"), "政务记过": ("gov", "demerit"), "政务记大过": ("gov", "major_demerit"),
    "政务降级": ("gov", "demotion"), "政务撤职": ("gov", "dismissal"), "政务开除": ("gov", "expulsion"),
    "开除公职": ("gov", "expulsion"),
    "行政警告": ("gov", "warning"), "行政记过": ("gov", "demerit"), "行政记大过": ("gov", "major_demerit"),
    "行政降级": ("gov", "demotion"), "行政撤职": ("gov", "dismissal"), "行政开除": ("gov", "expulsion"),
    "降低岗位等级": ("inst", "post_grade_lowered"),
    "诫勉": ("admonish", "admonishment"), "诫勉谈话": ("admonish", "admonishment"), "书面诫勉": ("admonish", "admonishment"),
    "停职检查": ("org", "suspension"), "调整职务": ("org", "post_adjustment"), "责令辞职": ("org", "ordered_resignation"),
    "免职": ("org", "removal"), "免去职务": ("org", "removal"), "引咎辞职": ("org", "resignation_blame"), "降职": ("org", "demotion"),
}
# kinds that need the 类别 column
_BARE = {"警告": "warning", "记过": "demerit", "记大过": "major_demerit", "降级": "demotion", "撤职": "dismissal", "开除": "expulsion"}
_CATEGORIES = {
    "党纪": "party", "党内": "party", "党纪处分": "party", "党": "party",
    "政务": "gov", "政务处分": "gov", "公务员": "gov", "公务员处分": "gov", "行政": "gov", "行政处分": "gov",
    "事业单位": "inst", "事业单位处分": "inst", "事业": "inst",
    "组织处理": "org", "诫勉": "admonish",
}
CATEGORY_LABELS = {"party": "党纪", "gov": "政务", "inst": "事业单位", "org": "组织处理", "admonish": "诫勉"}
# measures that are real records elsewhere but carry no impact period: rejected with this reason
NOT_DISCIPLINARY = (
    "谈话提醒", "提醒谈话", "批评教育", "责令检查", "通报批评", "通报", "责令公开道歉", "函询", "约谈", "警示谈话",
    "嘉奖", "记功", "记三等功", "记二等功", "记一等功", "表彰", "表扬", "通报表扬", "立功",
)
_MONTH_ONLY = re.compile(r"^\s*\d{4}\s*[-/.．年]\s*\d{1,2}\s*月?\s*$|^\s*\d{6}\s*$")


_SEVERAL = re.compile(r"[、，,；;＋+/]|并处|并")
_WORDING = re.compile(r"^(给予|予以|受到|作出)|(的)?(处分|处理)$")


def _kind_key(text: str) -> str:
    """The kind as the tables spell it: "给予党内警告处分" → 党内警告, "免职处理" → 免职."""
    key = re.sub(r"[\s（）()]", "", text)
    return _WORDING.sub("", key).replace("处分", "") or key


def parse_kind(text: Any, category: Any = None) -> tuple[str, str]:
    """(regime, kind) from the kind as written and the optional 类别; ValidationError with the reason otherwise."""
    raw = ev.clean_text(text, "处分种类", 40, "kind")
    if not raw:
        raise ValidationError("处分种类为空，请填写（如：党内警告、政务记过、诫勉、免职）。", "kind")
    key = _kind_key(raw)
    cat_raw = ev.clean_text(category, "类别", 20, "category")
    cat = _CATEGORIES.get(re.sub(r"\s", "", cat_raw)) if cat_raw else None
    if cat_raw and cat is None:
        raise ValidationError(f"类别“{cat_raw}”无法识别，请写：党纪、政务、事业单位或组织处理。", "category")
    if any(key == w or key.startswith(w) for w in NOT_DISCIPLINARY):
        raise ValidationError(f"“{raw}”不是处分或组织处理（没有影响期），本台账不导入；请在相应的功能中登记。", "kind")
    if key.startswith("事业单位"):
        cat, key = "inst", key[len("事业单位"):]
    found = _FULL.get(key)
    if found is None and key in _BARE:
        if cat is None:
            raise ValidationError(f"“{raw}”未写明是党纪、政务还是事业单位处分，请在“类别”一栏填写。", "category")
        if _BARE[key] not in rt.regime_spec(cat).kinds:
            raise ValidationError(f"{CATEGORY_LABELS[cat]}中没有“{raw}”这一种类，请核对类别和种类。", "kind")
        found = (cat, _BARE[key])
    if found is None and key == "留党察看":
        raise ValidationError("“留党察看”请写明一年或二年（如：留党察看一年）。", "kind")
    if found is None and len(parts := [p for p in _SEVERAL.split(raw) if p.strip()]) > 1:
        known = [p for p in parts if _FULL.get(_kind_key(p)) or _kind_key(p) in _BARE]
        if len(known) == len(parts):
            raise ValidationError(f"一格中写了{len(parts)}项（{'、'.join(p.strip() for p in parts)}），每行只能登记一项："
                                  "请把这一行复制成几行，每行写一项（各自的影响期分别计算）。", "kind")
    if found is None:
        raise ValidationError(f"无法识别的处分种类“{raw}”。可写：党内警告、党内严重警告、撤销党内职务、留党察看一年、开除党籍、"
                              "政务警告、政务记过、政务记大过、政务降级、政务撤职、开除公职、诫勉、调整职务、免职、责令辞职、引咎辞职、降职、停职检查。",
                              "kind")
    if cat is not None and cat != found[0] and not (cat == "org" and found[0] == "admonish"):
        raise ValidationError(f"类别“{cat_raw}”与种类“{raw}”不一致，请核对。", "category")
    return found


def _date(raw: dict, key: str, today: date | None) -> date | None:
    value = raw.get(key)
    if isinstance(value, str) and _MONTH_ONLY.match(value):
        raise ValidationError(f"“{LABELS[key]}”只写到月份（“{value.strip()}”），影响期需要具体日期，请写成 2024-03-15。", key)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and (
            (isinstance(value, float) and not value.is_integer()) or len(str(int(value))) == 6):
        raise ValidationError(f"“{LABELS[key]}”只写到月份（“{value}”），影响期需要具体日期，请写成 2024-03-15。", key)
    return ev.parse_date(value, LABELS[key], key, today=today)


def _validator(today: date | None):
    def validate(row: SheetRow, _today: date | None) -> dict[str, Any]:
        raw = row.values
        name = ev.clean_name(raw.get("name"))
        if not name:
            raise ValidationError("姓名为空，请填写。", "name")
        number = ev.parse_id_number(raw.get("id_number"), today=today)
        regime, kind = parse_kind(raw.get("kind"), raw.get("category"))
        dates = {k: _date(raw, k, today) for k in ("decided_on", "approved_on", "effective_on", "served_on", "restored_on")}
        if not any(dates[k] for k in ("decided_on", "approved_on", "effective_on")):
            raise ValidationError("没有决定日期、批准日期或生效日期，无法计算影响期，请至少填写一个。", "decided_on")
        note = ""
        if regime == "party" and dates["approved_on"] is None and dates["effective_on"] is None:
            dates["effective_on"] = dates["decided_on"]  # 台账 often keeps one date: taken as the effective date
            note = "（未填批准日期，以决定日期为生效日期）"
        months = raw.get("months")
        if ev.is_blank(months):
            months = None
        else:
            try:
                months = int(str(months).replace("个月", "").replace("月", "").strip())
            except ValueError:
                raise ValidationError(f"处分期“{months}”不是月数，请填写整数（如 24）或不填。", "months") from None
        data = handling_register.HandlingInput(
            cadre_id=0, regime=regime, kind=kind, **dates, months=months,
            organ=ev.clean_text(raw.get("organ"), LABELS["organ"], 100, "organ"),
            doc_number=ev.clean_text(raw.get("doc_number"), LABELS["doc_number"], 60, "doc_number"),
            facts=ev.clean_text(raw.get("facts"), LABELS["facts"], handling_register.FACTS_MAX, "facts"),
        )
        data = handling_register.normalise(data, today or date.max)
        return {"name": name, "id_number": number, "data": data, "note": note}

    return validate


def import_handling(session: Session, actor: Actor, path: str | Path, *, dry_run: bool = False,
                    today: date | None = None, progress: Progress | None = None,
                    mapping: Mapping[str, str | None] | None = None, allow_renames: bool = False,
                  sheet: str | None = None) -> ImportResult:
    """`allow_renames` is accepted for the common signature: a handling import never changes a cadre."""
    progress = progress or Progress()
    sheet, result, valid = read_and_validate(
        session, actor, path, kind="handling", columns=COLUMNS, what="处分处理台账", validate=_validator(today),
        identity=lambda v: (v["id_number"], v["data"].regime, v["data"].kind, v["data"].effective_on,
                            v["data"].doc_number or ""),
        dry_run=dry_run, today=today, progress=progress, mapping=mapping,
        record_word="决定（同一人、种类、生效日期和文号）", sheet_name=sheet)
    rows = {r.number: r for r in sheet.rows}
    numbers = sorted({v.values["id_number"] for v in valid})
    cadres: dict[str, tuple[int, str, Any]] = {}
    for i in range(0, len(numbers), CHUNK):
        for r in session.execute(select(Cadre.id_number, Cadre.id, Cadre.name, Cadre.withdrawn_at)
                                 .where(Cadre.id_number.in_(numbers[i:i + CHUNK]))):
            cadres[r[0]] = (r[1], r[2], r[3])
    ids = sorted({c[0] for c in cadres.values()})
    existing: set[tuple] = set()
    for i in range(0, len(ids), CHUNK):
        for r in session.execute(select(Handling.cadre_id, Handling.regime, Handling.kind, Handling.effective_on,
                                        Handling.doc_number)
                                 .where(Handling.cadre_id.in_(ids[i:i + CHUNK]), Handling.withdrawn_at.is_(None))):
            existing.add((r[0], r[1], r[2], r[3], r[4] or ""))
    inserts: list[dict[str, Any]] = []
    touched: set[int] = set()
    for v in valid:
        values, data = v.values, v.values["data"]
        found = cadres.get(values["id_number"])
        if found is None:
            result.rejected.append(rejection(sheet, rows[v.row], "找不到该身份证号的干部。请先导入或录入该干部，再导入其处分处理。",
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
        key = (cadre_id, data.regime, data.kind, data.effective_on, data.doc_number or "")
        if key in existing:
            result.unchanged += 1
            continue
        record = {f: getattr(data, f) for f in handling_register.HandlingInput.__dataclass_fields__}
        record.update(cadre_id=cadre_id, version=1, status="in_force")
        inserts.append(record)
        touched.add(cadre_id)
        result.created += 1
        result.add(v.row, cadre_name, f"新增{handling_register.short_label(data.regime, data.kind)}"
                                      f"（{data.effective_on.isoformat()}生效）", note=values["note"])
    if dry_run:
        return result
    progress.check()
    for i in range(0, len(inserts), CHUNK):
        session.execute(insert(Handling), inserts[i:i + CHUNK])
    settings = rule_settings(session)
    total = len(touched)
    for n, cadre_id in enumerate(sorted(touched), 1):
        if n % 200 == 0:
            progress.check()
            progress.update(n, total, f"正在计算影响期（{n}/{total}）…")
        recompute_cadre(session, cadre_id, settings)
    if today is not None and touched:
        from models.derived.visit_plans import sync_plans_for_cadres

        sync_plans_for_cadres(session, sorted(touched), today)
    from models.exchange import import_ledger

    keys = {(r["cadre_id"], r["regime"], r["kind"], r["effective_on"], r["doc_number"] or "") for r in inserts}
    new_ids = []
    for i in range(0, len(ids), CHUNK):
        for r in session.execute(select(Handling.id, Handling.cadre_id, Handling.regime, Handling.kind,
                                        Handling.effective_on, Handling.doc_number, Handling.version)
                                 .where(Handling.cadre_id.in_(ids[i:i + CHUNK]), Handling.withdrawn_at.is_(None))):
            if (r[1], r[2], r[3], r[4], r[5] or "") in keys:
                new_ids.append((r[0], r[6]))  # the version after the recomputation above
    audit.record(session, actor, "import", "handling", None,
                 summary=f"从“{result.source}”导入处分处理：{result.summary()}",
                 after={"file": result.source, "created": result.created, "unchanged": result.unchanged,
                        "rejected": len(result.rejected), "created_ids": [i for i, _v in new_ids]})
    import_ledger.record(session, actor, result,
                         [import_ledger.Item("handling", i, "created", version=v) for i, v in new_ids])
    session.flush()
    return result


# ----------------------------------------------------------------------------------------------- export


def export_handling_xlsx(session: Session, actor: Actor, path: str | Path) -> int:
    """The register in the import's columns (one row per decision, withdrawn ones left out); returns the count."""
    from openpyxl import Workbook

    from models.exchange.cadre_export import check_output_file

    actor.require("export")
    path = check_output_file(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("处分处理台账")
    headers = ["序号"] + [c.label for c in COLUMNS] + ["状态", "影响期满日期"]
    append_row(ws, headers)
    stmt = (
        select(Cadre.name, Cadre.id_number, Handling, Unit.name)
        .join(Cadre, Cadre.id == Handling.cadre_id).outerjoin(Unit, Unit.id == Cadre.unit_id)
        .where(Handling.withdrawn_at.is_(None)).order_by(Unit.name, Cadre.name, Handling.effective_on)
    )
    show_id = actor.can("see_id_number")
    n = 0
    for name, number, h, _unit in session.execute(stmt):
        n += 1
        append_row(ws, [
            n, name, number if show_id else mask_id(number),
            CATEGORY_LABELS.get(h.regime, h.regime), handling_register.short_label(h.regime, h.kind),
            h.decided_on, h.approved_on, h.effective_on, h.served_on, h.organ, h.doc_number, h.facts, h.months,
            h.restored_on, handling_register.STATUS_LABELS.get(h.status, h.status), h.off_date,
        ])
    wb.save(path)
    audit.record(session, actor, "export", "handling", None, after={"file": str(path), "rows": n},
                 summary=f"导出处分处理台账（{n} 条）")
    return n


def export_cli(session: Session, actor: Actor, args) -> str:
    n = export_handling_xlsx(session, actor, args.out)
    return f"已导出 {n} 条处分处理记录到 {args.out}"
