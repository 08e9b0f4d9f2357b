"""The shared front half of every Excel/CSV import: read the sheet (with the user's mapping), validate every row,
and settle rows that are in the file more than once — identical rows import once with a note, rows that
disagree about the same record are all rejected (which one is right cannot be known).

Every rejection names the sheet, the row, the column (letter and header as the file has them) and the cell value.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Hashable, Mapping

from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.core.errors import ValidationError
from models.core.progress import Progress
from models.exchange import excel_values as ev
from models.exchange.common import ImportResult, RejectedRow, shown_value
from models.exchange.sheet_reader import SheetData, SheetRow, read_sheet
from models.exchange.table_reader import release_freed_memory


@dataclass(slots=True)
class Valid:
    row: int
    values: dict[str, Any]


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def column_records(sheet: SheetData, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"letter": c.letter, "header": c.header, "key": c.key, "label": labels.get(c.key or "", ""),
             "suggestion": c.suggestion, "status": c.status} for c in sheet.columns]


def rejection(sheet: SheetData, row: SheetRow, reason: str, field: str | None, name: str = "",
              number: str = "") -> RejectedRow:
    """A rejected row with the column of `field` (when the file has it) and that cell's value."""
    column, value = "", ""
    col = sheet.column_of(field) if field else None
    if col is not None:
        column = f"{col.letter}列“{col.header}”"
        value = shown_value(row.get(field))
    return RejectedRow(row.number, reason, name, number, sheet.sheet, column, value)


def shown_name(row: SheetRow) -> str:
    try:
        return ev.clean_name(row.get("name")) or ""
    except ValidationError:
        return shown_value(row.get("name"))


def shown_id(row: SheetRow) -> str:
    return shown_value(row.get("id_number"))


def read_and_validate(session: Session, actor: Actor, path: str | Path, *, kind: str, columns, what: str,
                      validate: Callable[[SheetRow, date | None], dict[str, Any]],
                      identity: Callable[[dict[str, Any]], Hashable], dry_run: bool, today: date | None,
                      progress: Progress | None, mapping: Mapping[str, str | None] | None = None,
                      record_word: str = "记录", sheet_name: str | None = None) -> tuple[SheetData, ImportResult, list[Valid]]:
    actor.require("write")
    progress = progress or Progress()
    progress.update(0, 0, "正在读取文件…")
    sheet = read_sheet(path, columns, kind=kind, what=what, mapping=mapping, progress=progress,
                       sheet_name=sheet_name)
    release_freed_memory()  # the workbook is closed: its cells are no longer needed
    labels = {c.key: c.label for c in columns}
    result = ImportResult(kind=kind, source=Path(path).name, dry_run=dry_run, skipped_lines=sheet.skipped,
                          sheet=sheet.sheet, columns=column_records(sheet, labels), signature=sheet.signature,
                          mapping=dict(mapping or {}), file_hash=file_sha256(path))
    valid: list[Valid] = []
    rows_of: dict[int, SheetRow] = {}
    total = len(sheet.rows)
    for n, row in enumerate(sheet.rows, 1):
        if n % 500 == 0:
            progress.check()
            progress.update(n, total, f"正在检查第{n}/{total}行…")
        try:
            valid.append(Valid(row.number, validate(row, today)))
            rows_of[row.number] = row
        except ValidationError as exc:
            result.rejected.append(rejection(sheet, row, exc.message, exc.field, shown_name(row), shown_id(row)))
    return sheet, result, settle_repeats(result, sheet, valid, rows_of, identity, record_word)


def settle_repeats(result: ImportResult, sheet: SheetData, valid: list[Valid], rows_of: dict[int, SheetRow],
                   identity: Callable[[dict[str, Any]], Hashable], record_word: str) -> list[Valid]:
    groups: dict[Hashable, list[Valid]] = {}
    for v in valid:
        groups.setdefault(identity(v.values), []).append(v)
    if all(len(g) == 1 for g in groups.values()):
        return valid
    drop: set[int] = set()
    for group in groups.values():
        if len(group) == 1:
            continue
        first = group[0]
        if all(v.values == first.values for v in group[1:]):
            rows = "、".join(str(v.row) for v in group[1:])
            result.notes.append(f"工作表“{sheet.sheet}”第{rows}行与第{first.row}行完全相同，只导入一次。")
            drop.update(v.row for v in group[1:])
            continue
        for v in group:
            others = "、".join(str(o.row) for o in group if o is not v)
            row = rows_of[v.row]
            result.rejected.append(rejection(
                sheet, row, f"与第{others}行是同一{record_word}，但内容不同，无法判断哪一行正确。请核对后只保留正确的一行，再导入。",
                "id_number", v.values.get("name", ""), v.values.get("id_number", "")))
            drop.add(v.row)
    return [v for v in valid if v.row not in drop]
