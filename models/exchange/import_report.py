"""The report of an import (or of its check) as an .xlsx file: a summary with the file's columns and what became of
them, every rejected row with sheet, row, column, cell value and what to do, every row that will be (or was)
created or changed with each field old → new, and the identity changes that were held back."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from models.exchange.common import FileUnusable, ImportResult
from models.exchange.xlsx_text import append_row

KIND_LABELS = {"cadres": "干部", "commendations": "表彰奖励", "lrmx": "任免审批表（.lrmx）", "handling": "处分处理"}
def save_report(result: ImportResult, path: str | Path, *, now: datetime | None = None) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    target = Path(path)
    if not target.parent.exists():
        raise FileUnusable(f"保存报告的文件夹“{target.parent}”不存在，请换一个位置。")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "拒绝的行"
    kind = KIND_LABELS.get(result.kind, result.kind)
    append_row(ws, [f"{kind}导入报告：{result.source}" + (f"（工作表“{result.sheet}”）" if result.sheet else "")])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [result.summary()])
    append_row(ws, [f"生成时间：{(now or datetime.now()):%Y-%m-%d %H:%M}"])
    left_out = result.left_out_columns
    append_row(ws, ["未导入的列：" + ("、".join(left_out) if left_out else "无")])
    header_row = 5
    if result.kind == "lrmx":
        append_row(ws, ["文件", "", "", "", "姓名", "身份证号", "原因（请改正后重新导入）"])
    else:
        append_row(ws, ["工作表", "行号", "列", "单元格的值", "姓名", "身份证号", "原因（请改正后重新导入这些行）"])
    for c in ws[header_row]:
        c.font = Font(bold=True)
    for r in result.rejected:
        if result.kind == "lrmx":
            append_row(ws, [r.row, "", "", "", r.name, r.id_number, r.reason])
        else:
            append_row(ws, [r.sheet, r.row, r.column, r.value, r.name, r.id_number, r.reason])
    if not result.rejected:
        append_row(ws, ["—", "", "", "", "", "", "没有被拒绝的行"])
    for col, width in zip("ABCDEFG", (14, 8, 22, 24, 12, 22, 90)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=header_row + 1, min_col=7, max_col=7):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws2 = wb.create_sheet("写入的行" if not result.dry_run else "将写入的行")
    append_row(ws2, ["行号/文件", "姓名", "操作", "字段", "原值", "新值"])
    for c in ws2[1]:
        c.font = Font(bold=True)
    for change in result.rows:
        if not change.fields:
            append_row(ws2, [change.row, change.name, change.action + change.note, "", "", ""])
        for f in change.fields:
            append_row(ws2, [change.row, change.name, change.action, f.label, f.old, f.new])
    for unit in result.units_created:
        append_row(ws2, ["", "", "将新建单位" if result.dry_run else "新建单位", "工作单位", "", unit])
    for note in result.notes:
        append_row(ws2, ["", "", "说明", note, "", ""])
    for col, width in zip("ABCDEF", (12, 12, 28, 18, 30, 30)):
        ws2.column_dimensions[col].width = width
    if result.held:
        ws3 = wb.create_sheet("未更改的身份信息")
        append_row(ws3, ["行号/文件", "库中姓名", "字段", "库中的值", "文件中的值", "说明"])
        for c in ws3[1]:
            c.font = Font(bold=True)
        for h in result.held:
            for f in h.fields:
                append_row(ws3, [h.row, h.name, f.label, f.old, f.new, "未更改。如确需更改，导入时选择“同时更改姓名/性别/出生日期”"])
        for col, width in zip("ABCDEF", (12, 12, 12, 20, 20, 60)):
            ws3.column_dimensions[col].width = width
    try:
        wb.save(target)
    except PermissionError:
        raise FileUnusable(f"无法写入“{target}”：文件可能正在 Excel 中打开，请关闭后重试，或换一个文件名。") from None
    except OSError as exc:
        raise FileUnusable(f"无法写入“{target}”：{exc.strerror or exc}。") from None
    return target
