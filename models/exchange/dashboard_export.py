"""A 工作台 list to .xlsx: the whole list (not only the rows on screen), with a title saying which list and on which
day, the person, the unit (full path: 13 区财政局 are told apart), the date and what the row is about.
The export is written to the audit log.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.exchange.cadre_export import check_output_file
from models.exchange.common import FileUnusable
from models.exchange.xlsx_text import append_row
from models.services import dashboard
from models.services.document_log import record_export

COLUMNS = (("序号", 6), ("姓名", 10), ("单位", 30), ("日期", 12), ("情况", 70))


@dataclass(frozen=True)
class ListExport:
    path: Path
    rows: int
    title: str


def list_title(session: Session, key: str, today: date) -> str:
    titles = {k: t for k, t, _h in dashboard.list_keys(session)}
    if key not in titles:
        raise FileUnusable(f"没有名为“{key}”的工作台名单。")
    return f"{titles[key]}（{today.isoformat()}）"


def export_list(session: Session, actor: Actor, key: str, today: date, path: str | Path) -> ListExport:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from models.services.unit_names import full_names

    actor.require("export")
    target = check_output_file(path)
    title = list_title(session, key, today)
    rows = dashboard.rows(session, key, today, limit=None)
    units = full_names(session)
    ids = sorted({r.cadre_id for r in rows})
    unit_of: dict[int, int | None] = {}
    for i in range(0, len(ids), 500):
        unit_of.update(session.execute(dashboard.cadre_units_statement(ids[i:i + 500])).all())
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工作台名单"
    append_row(ws, [title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_row(ws, [h for h, _ in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for k, (_h, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width = width
    for n, r in enumerate(rows, 1):
        unit = units.get(unit_of.get(r.cadre_id), "") or r.unit_name
        append_row(ws, [n, r.name, unit, r.when, r.detail])
        ws.cell(ws.max_row, 4).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    tmp = target.with_name(f".{target.name}.part")
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise FileUnusable(f"无法写入“{target}”：文件可能正在 Excel 中打开，请关闭后重试。") from None
    record_export(session, actor, "dashboard_list", title=title, path=str(target), rows=len(rows))
    return ListExport(target, len(rows), title)
