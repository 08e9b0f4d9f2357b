"""Import of cadres from an Excel 台账: every row validated first, then the valid rows written in one transaction.

An existing cadre (same ID number) is updated with the non-blank cells of its row, never duplicated; blank cells
leave the stored value alone. Rows with the same ID number twice in one file are all rejected (which one is
right cannot be known). Units are found by name or by path "市委组织部/干部一科"; missing ones are created and
reported. Writing is bulk (a Core `cadre.insert()` executemany — the ORM bulk insert cost as much again — and
executemany updates): 10,000 rows in a few seconds.

The caller owns the transaction: `with db.session() as s: import_cadres(s, actor, path)` — an exception
(including `Cancelled`) rolls everything back. A dry run validates and counts but writes nothing.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from models.core import audit
from models.reference import codes
from models.reference import id_number as idn
from models.reference import pinyin
from models.core.actor import Actor
from models.entities import Cadre, Unit
from models.core.errors import ValidationError
from models.exchange import excel_values as ev
from models.exchange.common import FieldChange, ImportResult, RowChange
from models.exchange.import_run import read_and_validate, rejection
from models.exchange.sheet_reader import Column, SheetRow
from models.services import search_index
from models.services.units import UnitResolver, list_units
from models.core.progress import Progress

# The template columns, in template order. key: a Cadre column, or "unit" (a unit name or path).
COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", (), True, "必填；可带对齐用的空格（张　三）"),
    Column("id_number", "身份证号", (), True,
           "必填，18位；请把该列设为“文本”格式，否则 Excel 会丢失末几位"),
    Column("gender", "性别", (), False, "男/女；空着则按身份证号"),
    Column("birth_date", "出生年月", (), False,
           "1975.03、1975年3月、197503、1975-03-15 均可；空着则按身份证号"),
    Column("ethnicity", "民族", (), False, "如：汉族"),
    Column("native_place", "籍贯", (), False, "如：湖北武汉"),
    Column("birthplace", "出生地", (), False, "如：湖北武汉"),
    Column("party_joined", "入党时间", (), False, "1998.07；民主党派可写党派名称"),
    Column("political_status", "政治面貌", (), False, "中共党员、群众……"),
    Column("work_started", "参加工作时间", (), False, "1996.07"),
    Column("health", "健康状况", (), False, "健康、一般、较弱"),
    Column("unit", "工作单位", (), False,
           "单位名称，或“上级单位/下级单位”；没有的单位会新建"),
    Column("current_post", "现任职务", (), False, ""),
    Column("post_level", "职务层次", (), False, "如：县处级正职"),
    Column("rank", "职级", (), False, "如：一级主任科员"),
    Column("grade", "级别", (), False, "如：十八级"),
    Column("post_since", "任现职时间", (), False, "2020.03"),
    Column("rank_since", "任现职级时间", (), False, "2021.06"),
    Column("identity_category", "身份类别", (), False, "公务员、参公、事业管理……"),
    Column("ft_education", "全日制学历", (), False, "大学本科"),
    Column("ft_degree", "全日制学位", (), False, "法学学士"),
    Column("ft_education_school", "全日制毕业院校系及专业", (), False, ""),
    Column("pt_education", "在职学历", (), False, ""),
    Column("pt_degree", "在职学位", (), False, ""),
    Column("pt_education_school", "在职毕业院校系及专业", (), False, ""),
    Column("tech_title", "专业技术职务", (), False, ""),
    Column("specialty", "熟悉专业有何专长", (), False, ""),
    Column("is_party_member", "是否党员", (), False, "是/否；空着则按政治面貌"),
    Column("party_org", "所在党组织", (), False, ""),
    Column("management_authority", "干部管理权限", (), False, "市管、区管、其他"),
    Column("is_grassroots", "是否基层", (), False, "是/否"),
    Column("status", "状态", (), False, "在职、退休、调离、去世、其他；空着为在职"),
)
LABELS = {c.key: c.label for c in COLUMNS}
DATE_KEYS = ("birth_date", "work_started", "post_since", "rank_since")
# the date fields of a row given with the month only (1975.03): not a field, removed before writing
MONTHS_ONLY = "_months_only"
BOOL_KEYS = ("is_party_member", "is_grassroots")
_cadre = Cadre.__table__
_unit = Unit.__table__
CHUNK = 500


_MAX_LEN = {c.name: getattr(c.type, "length", None) for c in _cadre.c}


def _max_len(key: str) -> int | None:
    return _MAX_LEN.get(key)


_BLANK = object()  # a blank cell, in the conversions a RowValidator remembers
MEMO_LIMIT = 50_000  # cell conversions one import remembers at most (memory: a column of unique texts adds no hits)


def _convert(key: str, value: Any, today: date | None) -> tuple[Any, bool]:
    """One cell of a column other than 姓名 and 身份证号 as its field value, and whether a date gave the month only;
    (_BLANK, False) for a blank cell. Raises ValidationError."""
    if ev.is_blank(value):
        return _BLANK, False
    label = LABELS[key]
    if key in DATE_KEYS:
        return ev.parse_date_and_precision(value, label, key, today=today)
    if key in BOOL_KEYS:
        return ev.parse_bool(value, label, key), False
    if key == "party_joined":
        return _party_joined(value), False
    if key == "unit":
        return ev.clean_text(value, label, 400, key), False
    text = ev.clean_text(value, label, _max_len(key), key)
    if key == "ethnicity":
        return _ETHNICITY.get(text, text), False
    if key == "political_status":
        return _POLITICAL_SHORT.get(text, text), False
    return text, False


# Short forms 台账 use, written as the code list writes them, so that a ledger's "汉" does not turn an existing
# "汉族" into "汉" (and the statistics count one group, not two).
_ETHNICITY = {e[:-1]: e for e in codes.ETHNICITIES if e.endswith("族")}
_POLITICAL_SHORT = {"党员": "中共党员", "预备党员": "中共预备党员", "团员": "共青团员", "无党派": "无党派人士"}


class RowValidator:
    """`validate_row` for the rows of one file, the conversion of each distinct cell value remembered: a 台账
    repeats most of its values (dates, units, posts, 民族 …) and a value converts the same way every time in one
    column on one day. Only conversions that succeeded are kept (at most MEMO_LIMIT): a value that fails is
    converted again, and refused with the same message, in every row that has it."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, type, Any], Any] = {}
        self._today: date | None = None

    def __call__(self, row: SheetRow, today: date | None) -> dict[str, Any]:
        if today != self._today:
            self._memo.clear()
            self._today = today
        return validate_row(row, today, self._memo)


def validate_row(row: SheetRow, today: date | None,
                 memo: dict[tuple[str, type, Any], Any] | None = None) -> dict[str, Any]:
    """The cell values of one row as Cadre fields (blank cells left out). Raises ValidationError. `memo` keeps the
    conversions of cell values for the next rows (RowValidator)."""
    raw = row.values
    out: dict[str, Any] = {}
    cell = raw.get("name")
    mk = ("name", cell.__class__, cell)
    name = memo.get(mk) if memo is not None else None
    if name is None:
        name = ev.clean_name(cell, LABELS["name"], "name")
        if memo is not None and name and len(memo) < MEMO_LIMIT:
            memo[mk] = name
    if not name:
        raise ValidationError("姓名为空，请填写。", "name")
    out["name"] = name
    number = ev.parse_id_number(raw.get("id_number"), today=today)  # validated: not again by idn.parse
    info = idn.IdInfo(number, idn.birth_date(number), idn.gender(number))
    out["id_number"] = info.number
    for key, value in raw.items():
        if key == "name" or key == "id_number":
            continue
        # the class too: True == 1 == 1.0 as keys, but 是 / a serial number / a float are not the same cell
        mk = (key, value.__class__, value)
        hit = memo.get(mk) if memo is not None else None
        if hit is None:
            hit = _convert(key, value, today)
            if memo is not None and len(memo) < MEMO_LIMIT:
                memo[mk] = hit
        converted, month_only = hit
        if converted is _BLANK:
            continue
        out[key] = converted
        if month_only:
            out.setdefault(MONTHS_ONLY, set()).add(key)
    gender = out.get("gender")
    if gender is not None:
        gender = {"男性": "男", "女性": "女", "1": "男", "2": "女"}.get(gender, gender)
        if gender not in codes.GENDERS:
            raise ValidationError(f"性别“{gender}”应为“男”或“女”。", "gender")
        if gender != info.gender:
            raise ValidationError(f"性别与身份证号不符：身份证号表明为{info.gender}，表中为{gender}。请核对。", "gender")
    out["gender"] = info.gender
    born = out.get("birth_date")
    if born is not None and (born.year, born.month) != (info.birth_date.year, info.birth_date.month):
        raise ValidationError(f"出生年月与身份证号不符：身份证号中为{info.birth_date:%Y.%m}，表中为{born:%Y.%m}。请核对。",
                              "birth_date")
    out["birth_date"] = info.birth_date  # the ID number is exact; the 台账 often has the month only
    for key in ("work_started", "post_since", "rank_since"):
        if out.get(key) is not None and out[key] < info.birth_date:
            raise ValidationError(f"“{LABELS[key]}”{out[key]:%Y.%m}早于出生日期，请核对。", key)
    if "status" in out and out["status"] not in codes.CADRE_STATUSES:
        raise ValidationError(f"状态“{out['status']}”应为：{'、'.join(codes.CADRE_STATUSES)}。", "status")
    if "is_party_member" not in out and out.get("political_status"):
        out["is_party_member"] = out["political_status"] in ("中共党员", "中共预备党员")
    return out


def _same_month(value: date, stored: Any) -> bool:
    """A month-only date (the 1st) says nothing new about a stored date of that month: an exported 台账 writes
    months, as the 任免表 does, and must import back without changing the stored days."""
    return isinstance(stored, date) and (stored.year, stored.month) == (value.year, value.month)


def _party_joined(value: Any) -> str:
    """入党时间 as the 任免表 keeps it: YYYYMM for the CPC date, a party name otherwise (民建), "；" between."""
    text = ev.clean_text(value) or ""
    parts = [p.strip() for p in re.split(r"[;；]", text) if p.strip()]
    out = []
    for p in parts or [text]:
        try:
            d = ev.parse_date(value if len(parts) <= 1 else p, "入党时间", "party_joined")
        except ValidationError:
            if re.search(r"\d", p):
                raise
            out.append(p)
        else:
            out.append(f"{d.year}{d.month:02d}")
    result = "；".join(out)
    if len(result) > 60:
        raise ValidationError("“入党时间”太长（最多60个字），请核对。", "party_joined")
    return result


# ----------------------------------------------------------------------------------------------------------- import

IDENTITY_KEYS = ("name", "gender", "birth_date")  # never changed by an import unless asked (allow_renames)


def _existing(session: Session, numbers: list[str], keys: set[str]) -> dict[str, dict[str, Any]]:
    cols = [_cadre.c.id, _cadre.c.id_number, _cadre.c.withdrawn_at, _cadre.c.name, _cadre.c.version] + [
        _cadre.c[k] for k in sorted(keys) if k in _cadre.c and k not in ("id_number", "name", "version")]
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(numbers), CHUNK):
        for r in session.execute(select(*cols).where(_cadre.c.id_number.in_(numbers[i:i + CHUNK]))).mappings():
            out[r["id_number"]] = dict(r)
    return out


def _insert_sqlite(session: Session, inserts: list[tuple[Any, ...]], order: list[int] | range, used: list[int],
                   used_cols: list[str], first_id: int, progress: Progress, total: int) -> int:
    """The new rows as multi-row INSERTs of positional values, row n with id first_id + n, in `order`.

    Each value goes through its column type's bind processor, as SQLAlchemy would send it; what is skipped is
    SQLAlchemy's per-row parameter dicts and their compilation (0.3 s of a 10,000-row import's 3 s)."""
    dialect = session.get_bind().dialect
    procs = [_cadre.c[k].type.bind_processor(dialect) for k in used_cols]
    converters = [(j, f) for j, f in enumerate(procs, start=1) if f is not None]
    cols = ["id", *used_cols]
    conn = session.connection()
    # one statement holds as many rows as the driver's limit of bound values allows, at most 1,000
    limit = conn.connection.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(1000, limit // len(cols)))
    marks = "(" + ", ".join("?" * len(cols)) + ")"
    head = f"INSERT INTO cadre ({', '.join(cols)}) VALUES "
    done = 0
    for i in range(0, len(inserts), per):
        progress.check()
        flat: list[Any] = []
        part = order[i:i + per]
        for n in part:
            r = inserts[n]
            values = [first_id + n, *(r[k] for k in used)]
            for j, f in converters:
                values[j] = f(values[j])
            flat.extend(values)
        conn.exec_driver_sql(head + ", ".join([marks] * len(part)), tuple(flat))
        done += len(part)
        progress.update(done, total, "正在写入数据库…")
    return done


def _ids(session: Session, numbers: list[str]) -> list[int]:
    """The ids of these ID numbers, in the order `_existing` gives them (its query; only the ids kept)."""
    cols = [_cadre.c.id, _cadre.c.id_number, _cadre.c.withdrawn_at, _cadre.c.name, _cadre.c.version]
    out: dict[str, int] = {}
    for i in range(0, len(numbers), CHUNK):
        for r in session.execute(select(*cols).where(_cadre.c.id_number.in_(numbers[i:i + CHUNK]))):
            out[r.id_number] = r.id
    return list(out.values())


def shown(value: Any) -> str:
    """A stored or imported value as the check shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _label(key: str) -> str:
    return LABELS.get(key, "工作单位" if key == "unit_id" else key)


def import_cadres(session: Session, actor: Actor, path: str | Path, *, dry_run: bool = False,
                  today: date | None = None, progress: Progress | None = None,
                  mapping: Mapping[str, str | None] | None = None, allow_renames: bool = False,
                  sheet: str | None = None) -> ImportResult:
    """Validate every row of the 台账, then create/update the valid ones in this session's transaction.
    Name, sex and birth date of an existing cadre are only listed (result.held) unless `allow_renames`."""
    from models.exchange import import_ledger

    progress = progress or Progress()
    sheet, result, valid = read_and_validate(
        session, actor, path, kind="cadres", columns=COLUMNS, what="干部台账", validate=RowValidator(),
        identity=lambda v: v["id_number"], dry_run=dry_run, today=today, progress=progress, mapping=mapping,
        record_word="人（身份证号相同）", sheet_name=sheet)
    rows_by_number = {r.number: r for r in sheet.rows}
    sheet.rows = []  # memory: each row is dropped once compared (a 100,000-row file held three copies)
    units = UnitResolver(session, actor, dry_run, note="导入时")
    unit_labels = {u.id: u.full_name for u in list_units(session)}
    first_new_unit = (session.execute(select(func.max(Unit.id))).scalar() or 0) + 1
    keys = set().union(*(v.values.keys() for v in valid)) - {MONTHS_ONLY} if valid else set()
    if "unit" in keys:
        keys = (keys - {"unit"}) | {"unit_id"}
    existing = _existing(session, [v.values["id_number"] for v in valid], keys)
    inserts: list[tuple[Any, ...]] = []
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    changed_items: list[import_ledger.Item] = []
    unit_notes: dict[str, str] = {}
    search_keys = pinyin.SearchKeys()  # name → (pinyin, initials): each name, each word of a name read once
    # a new row is kept as a tuple of these columns (one dict each cost twice the time and the memory), and
    # `present` the columns some new row has: a column no new row has is left to its default, as before
    insert_cols = tuple(sorted(keys | {"id_number", "name", "is_party_member", "is_grassroots", "status",
                                       "name_pinyin", "name_initials", "version"}))
    present: set[str] = set()
    total = len(valid)
    for n in range(1, total + 1):
        v, valid[n - 1] = valid[n - 1], None  # type: ignore[call-overload]
        row_of = rows_by_number.pop(v.row, None)
        if n % 500 == 0:
            progress.check()
            progress.update(n, total, f"正在比对第{n}/{total}行…")
        values = v.values
        months_only = values.pop(MONTHS_ONLY, set())
        unit_text = values.pop("unit", None)
        try:
            if unit_text:
                values["unit_id"] = units.resolve(unit_text)
        except ValidationError as exc:
            result.rejected.append(rejection(sheet, row_of, exc.message, "unit", values["name"], values["id_number"]))
            continue
        old = existing.get(values["id_number"])
        if old is None:
            if "is_party_member" not in values:
                values["is_party_member"] = False
            values.setdefault("is_grassroots", False)
            values.setdefault("status", "在职")
            values["name_pinyin"], values["name_initials"] = search_keys(values["name"])
            values["version"] = 1
            # the texts and dates are one object per distinct value of the file already (the reader, RowValidator)
            inserts.append(tuple(map(values.get, insert_cols)))
            present.update(values)
            result.created += 1
            note = unit_notes.get(unit_text) if unit_text else ""
            if note is None:
                note = unit_notes[unit_text] = f"（单位：{unit_text}）"  # one str per unit, not per row
            result.add(v.row, values["name"], "新增", note=note)
            continue
        if old["withdrawn_at"] is not None:
            result.rejected.append(rejection(
                sheet, row_of, f"该身份证号属于已撤回的干部记录（编号{old['id']}），未导入。如需恢复请联系管理员。",
                "id_number", values["name"], values["id_number"]))
            continue
        changed = {k: val for k, val in values.items() if k != "id_number" and old.get(k) != val
                   and not (k in months_only and _same_month(val, old.get(k)))}
        if unit_text and values.get("unit_id") is None:  # dry run: a unit still to create is a change
            changed["unit_id"] = None
        identity = [FieldChange(_label(k), shown(old.get(k)), shown(changed[k])) for k in IDENTITY_KEYS if k in changed]
        if identity and not allow_renames:
            result.held.append(RowChange(v.row, old["name"], "身份信息与库中不同，未更改", identity,
                                         "（如确需更改，请选择“同时更改姓名/性别/出生日期”，命令行加 --allow-renames）"))
            for k in IDENTITY_KEYS:
                changed.pop(k, None)
        if not changed:
            result.unchanged += 1
            continue
        if "name" in changed:
            changed["name_pinyin"], changed["name_initials"] = search_keys(changed["name"])
        result.updated += 1
        fields = []
        for k in changed:
            if k in ("name_pinyin", "name_initials"):
                continue
            if k == "unit_id":
                fields.append(FieldChange("工作单位", unit_labels.get(old.get("unit_id"), ""), unit_text or ""))
            else:
                fields.append(FieldChange(_label(k), shown(old.get(k)), shown(changed[k])))
        result.add(v.row, old["name"], "更新", fields)
        changed_items.append(import_ledger.Item("cadre", old["id"], "changed", {k: old.get(k) for k in changed},
                                                old["version"] + 1))
        changed["_id"] = old["id"]
        updates.setdefault(tuple(sorted(k for k in changed if k != "_id")), []).append(changed)
    result.units_created = list(units.created)
    if dry_run:
        return result
    progress.check()
    progress.update(0, len(inserts) + sum(map(len, updates.values())), "正在写入数据库…")
    assert present <= set(insert_cols), present - set(insert_cols)  # every field of a new row has its column
    used = [n for n, k in enumerate(insert_cols) if k in present]
    used_cols = [insert_cols[n] for n in used]
    # SQLite: the new rows go in in the search index's rowid order (its sort key leads with the first eight
    # characters of name_pinyin): FTS5 writes its pending entries out to a new segment whenever a rowid is lower
    # than the last one, and in file order that was row after row (10,000 new cadres: 4.5 s of CPU, 2.1 s in this
    # order). Each row still gets the id it had in file order — SQLite numbers new rows max(id) + 1 one after the
    # other — so cadre numbers, and lists that break ties by them, follow the 台账 as before.
    file_ids = session.get_bind().dialect.name == "sqlite"
    order: list[int] | range = range(len(inserts))
    first_id = 0
    done = 0
    if file_ids and inserts:
        pinyin_at = insert_cols.index("name_pinyin")
        order = [n for _key, n in sorted((r[pinyin_at][:8], n) for n, r in enumerate(inserts))]
        # … and the search index takes them in one statement at the end of the block, not one trigger run each
        # (10,000 new cadres into 100,000: the whole import 2.35 → 2.15 s); inside this transaction, so a failure
        # or a cancel rolls back the rows, their index entries and the trigger's absence together
        with search_index.bulk_load(session):
            # numbered under the write lock bulk_load holds: another program cannot take these ids meanwhile
            first_id = (session.execute(select(func.max(_cadre.c.id))).scalar() or 0) + 1
            done = _insert_sqlite(session, inserts, order, used, used_cols, first_id, progress,
                                  len(inserts) + sum(map(len, updates.values())))
    for i in range(0 if not file_ids else len(inserts), len(inserts), 2000):
        progress.check()
        # one key set: one executemany; made per chunk, not for the whole file at once (memory)
        if len(used) == len(insert_cols):
            chunk = [dict(zip(insert_cols, inserts[n])) for n in order[i:i + 2000]]
        else:
            chunk = [dict(zip(used_cols, [inserts[n][k] for k in used])) for n in order[i:i + 2000]]
        # Core, no ORM bookkeeping; RETURNING makes SQLAlchemy send the rows as multi-row INSERTs
        # ("insertmanyvalues"): the search index triggers still run for every row, and run less per statement
        # (10,000 new cadres in file order: 5.7 s of CPU one statement a row, 3.6 s in statements of ~1,000 rows)
        session.connection().execute(_cadre.insert().returning(_cadre.c.id), chunk).close()
        done += len(chunk)
        del chunk
        progress.update(done, len(inserts) + sum(map(len, updates.values())), "正在写入数据库…")
    for keyset, rows in updates.items():
        progress.check()
        stmt = (update(_cadre).where(_cadre.c.id == bindparam("_id"))
                .values({**{k: bindparam("v_" + k) for k in keyset}, "version": _cadre.c.version + 1,
                         "updated_at": func.current_timestamp()}))
        rows = [{"_id": r["_id"], **{"v_" + k: r[k] for k in keyset}} for r in rows]
        session.connection().execute(stmt, rows)
    progress.check()
    number_at = insert_cols.index("id_number")
    created_ids = (list(range(first_id, first_id + len(inserts))) if file_ids
                   else _ids(session, [r[number_at] for r in inserts]))
    del inserts
    new_units = session.execute(select(Unit.id, Unit.version).where(Unit.id >= first_new_unit)).all() if units.created else ()
    items = ([import_ledger.Item("unit", uid, "created", version=version) for uid, version in new_units]
             + [import_ledger.Item("cadre", i, "created") for i in created_ids] + changed_items)
    audit.record(session, actor, "import", "cadre", None, summary=f"从“{result.source}”导入干部：{result.summary()}",
                 after={"file": result.source, "created": result.created, "updated": result.updated,
                        "unchanged": result.unchanged, "rejected": len(result.rejected),
                        "units_created": result.units_created,
                        "created_ids": created_ids,
                        "updated_fields": {str(i.record_id): sorted(i.before) for i in changed_items}})
    import_ledger.record(session, actor, result, items)
    session.flush()
    return result
