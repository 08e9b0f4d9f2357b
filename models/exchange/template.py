"""Blank import templates: the header row in template order (ID number column formatted as text so that Excel
keeps every digit) and a second sheet 填写说明 that explains each column and the accepted date forms."""
from __future__ import annotations

from pathlib import Path

from models.exchange.common import FileUnusable
from models.exchange.xlsx_text import append_row

TEXT_KEYS = {"id_number", "birth_date", "work_started", "post_since", "rank_since", "party_joined", "awarded_on",
             "doc_number", "revoked_on"}


def template_columns(kind: str):
    if kind == "cadres":
        from models.exchange.cadre_import import COLUMNS
    elif kind == "commendations":
        from models.exchange.commendation_import import COLUMNS
    else:
        raise FileUnusable(f"没有“{kind}”的导入模板。可选：cadres（干部）、commendations（表彰奖励）。")
    return COLUMNS


TITLES = {"cadres": "干部信息台账", "commendations": "表彰奖励台账"}


def save_template(kind: str, path: str | Path) -> Path:
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    columns = template_columns(kind)
    target = Path(path)
    if not target.parent.exists():
        raise FileUnusable(f"文件夹“{target.parent}”不存在，请换一个位置保存模板。")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = TITLES[kind]
    append_row(ws, [TITLES[kind]])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, ["填报单位：", None, None, "填报日期："])
    append_row(ws, ["序号"] + [c.label + ("*" if c.required else "") for c in columns])
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = fill
    for i, col in enumerate(columns, 2):
        letter = openpyxl.utils.get_column_letter(i)
        ws.column_dimensions[letter].width = max(10, min(30, len(col.label) * 2 + 4))
        if col.key in TEXT_KEYS:
            for r in range(4, 1004):  # text format so that 1975.10 and ID numbers stay as typed
                ws.cell(row=r, column=i).number_format = "@"
    ws.freeze_panes = "B4"
    notes = wb.create_sheet("填写说明")
    append_row(notes, ["列名", "是否必填", "说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for col in columns:
        also = f"（也可写作：{'、'.join(col.synonyms)}）" if col.synonyms else ""
        append_row(notes, [col.label, "必填" if col.required else "", (col.note + also).strip()])
    append_row(notes, [])
    append_row(notes, ["日期", "", "1975.03、1975.3、1975年3月、197503、1975-03-15、1975/3/15 或 Excel 日期均可；只有年月时按当月1日计。"])
    append_row(notes, ["身份证号", "", "18位，可带空格、小写x或全角数字；若 Excel 显示成 1.10101E+17，说明已丢失末几位，须设为文本后重新录入。"])
    append_row(notes, ["其他", "", "表头可以在标题行、填报行之下，列的顺序不限；序号列、空行和“合计”行会被忽略。"])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 100
    try:
        wb.save(target)
    except OSError as exc:
        raise FileUnusable(f"无法保存模板“{target}”：{exc.strerror or exc}。文件可能正在 Excel 中打开。") from None
    return target
