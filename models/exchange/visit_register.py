"""The register (台账) of 回访教育 visits to .xlsx: one row per visit of a period, newest last.

A title row with the period, a header row, then the visits (withdrawn ones left out); dates are real date
cells shown as 2024-04-02 so that Excel can sort and filter them. The export is written to the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.services.document_log import record_export
from models.exchange.cadre_export import check_output_file
from models.exchange.common import FileUnusable
from models.core.progress import Progress
from models.exchange import titled_sheet
from models.exchange.xlsx_text import append_row

COLUMNS = (  # header, width
    ("序号", 6), ("记录编号", 12), ("姓名", 10), ("单位", 24), ("处理处分", 22), ("回访次序", 8), ("回访日期", 12),
    ("地点", 16), ("回访方式", 10), ("回访人", 36), ("其他参加人", 24), ("回访评价", 8), ("意见建议", 12),
    ("意见建议说明", 30), ("后续措施", 30), ("了解情况", 60),
)
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class RegisterResult:
    path: Path
    rows: int


def register_rows(visits) -> list[list]:
    """Cell values for VisitRow objects (models.services.visits.records), in COLUMNS order."""
    out = []
    for n, v in enumerate(visits, 1):
        steps = v.next_steps + (f"（{v.next_due.isoformat()}前）" if v.next_due else "")
        findings = "\n".join(f"{k}：{t}" for k, t in v.findings.items())
        out.append([n, v.record_no, v.cadre_name, v.unit_name, v.handling_label, f"第{v.seq}次" if v.seq else "",
                    v.visited_on, v.place, v.form, v.visitors_text, v.others_present, v.evaluation, v.recommendation,
                    v.suggestions, steps, findings])
    return out


def export_register(session: Session, actor: Actor, path: str | Path, date_from: date, date_to: date,
                    progress: Progress | None = None) -> RegisterResult:
    from openpyxl.styles import Alignment

    from models.services.visits import records as visit_records

    actor.require("export")
    target = check_output_file(path)
    if date_from > date_to:
        raise FileUnusable(f"起始日期 {date_from.isoformat()} 晚于截止日期 {date_to.isoformat()}。请调换或改正。")
    (progress or Progress()).check()
    visits = sorted(visit_records.list_visits(session, actor, date_from=date_from, date_to=date_to, limit=None),
                    key=lambda v: (v.visited_on, v.id))
    title = f"回访教育登记表（{date_from.isoformat()}至{date_to.isoformat()}）"
    wb, ws = titled_sheet.new_sheet("回访教育登记", title, COLUMNS)
    date_col = [h for h, _ in COLUMNS].index("回访日期") + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in register_rows(visits):
        append_row(ws, line)
        row = ws.max_row
        ws.cell(row, date_col).number_format = DATE_FORMAT
        for cell in ws[row]:
            cell.alignment = wrap
    titled_sheet.save(wb, target)
    record_export(session, actor, "visit_register", title=title, path=str(target), rows=len(visits))
    return RegisterResult(target, len(visits))
