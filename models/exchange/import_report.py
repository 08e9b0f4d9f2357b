"""The report of an import as an .xlsx file: a summary, every rejected row with its row number and reason, and
what was (or, in a dry run, would be) written."""
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
    append_row(ws, [f"{kind}导入报告：{result.source}"])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, [result.summary()])
    append_row(ws, [f"生成时间：{(now or datetime.now()):%Y-%m-%d %H:%M}"])
    append_row(ws, [])
    where = "文件" if result.kind == "lrmx" else "行号"
    append_row(ws, [where, "姓名", "身份证号", "原因（请改正后重新导入这些行）"])
    for c in ws[5]:
        c.font = Font(bold=True)
    for r in result.rejected:
        append_row(ws, [r.row, r.name, r.id_number, r.reason])
    if not result.rejected:
        append_row(ws, ["—", "", "", "没有被拒绝的行"])
    for col, width in zip("ABCD", (10 if result.kind != "lrmx" else 30, 12, 22, 90)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=6, min_col=4, max_col=4):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws2 = wb.create_sheet("写入的行" if not result.dry_run else "将写入的行")
    append_row(ws2, ["内容"])
    for line in result.changes:
        append_row(ws2, [line])
    for unit in result.units_created:
        append_row(ws2, [f"{'将新建' if result.dry_run else '新建'}单位：{unit}"])
    ws2.column_dimensions["A"].width = 80
    try:
        wb.save(target)
    except PermissionError:
        raise FileUnusable(f"无法写入“{target}”：文件可能正在 Excel 中打开，请关闭后重试，或换一个文件名。") from None
    except OSError as exc:
        raise FileUnusable(f"无法写入“{target}”：{exc.strerror or exc}。") from None
    return target
