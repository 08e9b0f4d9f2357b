"""The roster (名单) as an Excel workbook: a title row, the headers, one row a person, dates as dates; every
cell through xlsx_text (text stays text, never a formula)."""
from __future__ import annotations

from pathlib import Path

from models.core.errors import AppError
from models.exchange.xlsx_text import append_row
from models.services.roster import HEADERS, RosterRow


def write_xlsx(rows_: list[RosterRow], title: str, path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    append_row(ws, list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for n, r in enumerate(rows_, 1):
        append_row(ws, [n, r.name, r.id_number, r.unit_name, r.handling, r.effective_on, r.off_date])
    for col, width in zip("ABCDEFG", (6, 10, 21, 30, 40, 12, 14)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    try:
        wb.save(path)
    except OSError as exc:
        raise AppError(f"无法写入文件“{path}”（{exc.strerror or exc}）。请关闭正在打开它的程序，或换一个位置保存。") from exc
    return path
