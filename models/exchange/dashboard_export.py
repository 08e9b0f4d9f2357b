"""A 工作台 list to .xlsx: the whole list (not only the rows on screen), with a title saying which list and on which
day, the person, the unit (full path: 13 区财政局 are told apart), the date and what the row is about.
The export is written to the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.exchange.cadre_export import check_output_file
from models.exchange.common import FileUnusable
from models.exchange import titled_sheet
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
    from models.services.unit_names import full_names

    actor.require("export")
    target = check_output_file(path)
    title = list_title(session, key, today)
    rows = dashboard.rows(session, actor, key, today, limit=None)
    units = full_names(session)
    ids = sorted({r.cadre_id for r in rows})
    unit_of: dict[int, int | None] = {}
    for i in range(0, len(ids), 500):
        unit_of.update(session.execute(dashboard.CADRE_UNITS, {"ids": ids[i:i + 500]}).all())
    wb, ws = titled_sheet.new_sheet("工作台名单", title, COLUMNS)
    for n, r in enumerate(rows, 1):
        unit = units.get(unit_of.get(r.cadre_id), "") or r.unit_name
        append_row(ws, [n, r.name, unit, r.when, r.detail])
        ws.cell(ws.max_row, 4).number_format = "yyyy-mm-dd"
    titled_sheet.save(wb, target)
    record_export(session, actor, "dashboard_list", title=title, path=str(target), rows=len(rows))
    return ListExport(target, len(rows), title)
