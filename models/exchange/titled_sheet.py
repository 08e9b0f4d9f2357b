"""A one-sheet .xlsx register as the program writes them: a bold centred title over the columns, a bold header row
with set widths, the rows appended as text-safe cells (xlsx_text), frozen below the header, and the file written
to a temporary name and renamed into place (a file open in Excel gives one clear message, never half a file)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from models.exchange.common import FileUnusable
from models.exchange.xlsx_text import append_row


def new_sheet(sheet_title: str, title: str, columns: Sequence[tuple[str, int]]):
    """(workbook, worksheet) with the title row and the header row written; `columns` = [(header, width)]."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_title
    append_row(ws, [title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_row(ws, [h for h, _ in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for k, (_h, width) in enumerate(columns, 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width = width
    ws.freeze_panes = "A3"
    return wb, ws


def save(wb, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.part")
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise FileUnusable(f"无法写入“{target}”：文件可能正在 Excel 中打开，请关闭后重试。") from None
