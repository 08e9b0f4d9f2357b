"""The 发文登记 as a file (.xlsx or .csv): every number issued, voided ones with their reason, audited (here in
reports/ because it writes the file with reports.output, as the roster export does).

Used by 管理 → 发文登记 → 导出 and by `python main.py export register --out FILE.xlsx|.csv [--from YEAR --to YEAR]`.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy.orm import Session

from models.core.actor import Actor
from models.core.errors import ValidationError
from models.exchange.xlsx_text import append_row, csv_text
from models.services import document_numbers as dn


def _bytes(rows: list[dn.RegisterRow], suffix: str, title: str) -> bytes:
    table = dn.register_table(rows)
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(dn.REGISTER_HEADERS)
        writer.writerows([[csv_text(v) for v in row] for row in table])
        return buf.getvalue().encode("utf-8-sig")  # Excel and WPS open UTF-8 with a BOM
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "发文登记"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, list(dn.REGISTER_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in table:
        append_row(ws, row)
    for col, width in zip("ABCDEFGHIJK", (10, 7, 6, 20, 14, 44, 16, 12, 17, 26, 30)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_register(session: Session, actor: Actor, path: str | Path, *, year_from: int | None = None,
                    year_to: int | None = None) -> tuple[Path, int]:
    """Write the register (years year_from … year_to, all when None) to .xlsx or .csv; audited."""
    from models.services.document_log import record_export
    from reports.output import write_bytes

    actor.require("export")
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError("发文登记只能导出为 .xlsx 或 .csv 文件，请改正文件名。", "out")
    if year_from and year_to and year_from > year_to:
        raise ValidationError(f"起始年份 {year_from} 晚于截止年份 {year_to}。", "from")
    rows = [r for r in dn.register(session, actor)
            if (year_from is None or r.year >= year_from) and (year_to is None or r.year <= year_to)]
    span = "全部年份" if year_from is None and year_to is None else f"{year_from or ''}—{year_to or ''}年"
    title = f"发文登记（{span}，共{len(rows)}个文号）"
    record_export(session, actor, "document_register", title=title, path=str(target.resolve()), rows=len(rows))
    write_bytes(_bytes(rows, suffix, title), target)
    return target, len(rows)


def _year(text: str | None, option: str) -> int | None:
    if not text:
        return None
    text = str(text).strip()[:4]
    if not text.isdigit() or not 1900 <= int(text) <= 2999:
        raise ValidationError(f"{option} 应为年份（如 2026）或日期（如 2026-01-01）。", option)
    return int(text)


def export_cli(session: Session, actor: Actor, args) -> str:
    path, n = export_register(session, actor, args.out, year_from=_year(args.date_from, "--from"),
                              year_to=_year(args.date_to, "--to"))
    return f"已导出发文登记：{n} 个文号，文件 {path}"
