"""The check before writing, as one table: per row of the file what will be created, changed (each field
old → new) or rejected and why (sheet, row, column, cell value, what to do), the identity changes held back,
the units that will be created and the rows imported once because they repeat word for word.

`check_rows(result, allow_renames)` turns an ImportResult (from the importer's dry run) into CheckRow lines;
`CheckTableModel` shows them, `KINDS` names the filter choices.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from gui.widgets.row_table_model import RowsTableModel
from models.exchange.common import ImportResult

REJECTED, HELD, UNIT, NOTE, CHANGED, CREATED = "rejected", "held", "unit", "note", "changed", "created"
KINDS = ((None, "全部"), (REJECTED, "拒绝"), (HELD, "姓名/性别/出生日期不同"), (CHANGED, "修改"), (CREATED, "新增"),
         (UNIT, "新建单位"), (NOTE, "重复的行"))
COLOURS = {REJECTED: QColor("#b00020"), HELD: QColor("#8a5a00")}


@dataclass(slots=True)
class CheckRow:
    kind: str
    sheet: str
    row: str  # the row number as Excel shows it, or the .lrmx file
    name: str
    result: str  # 拒绝 / 修改 / 新增 …
    column: str  # B列“出生年月”
    value: str  # the cell value
    detail: str  # 原因及怎么办 / 字段：旧 → 新


def _fields(fields) -> str:
    return "；".join(f"{f.label}：{f.old or '（空）'} → {f.new or '（空）'}" for f in fields)


def check_rows(result: ImportResult, allow_renames: bool = False) -> list[CheckRow]:
    """The lines of the check, the ones that need the officer first: rejected, held back, new units, repeats,
    then the changes and the new records in file order."""
    sheet = result.sheet
    out: list[CheckRow] = []
    for r in result.rejected:
        row = str(r.row)
        out.append(CheckRow(REJECTED, r.sheet or sheet, row, r.name, "拒绝", r.column, r.value, r.reason))
    for h in result.held:
        what = ("将一并修改（已勾选“同时修改姓名、性别、出生日期”）" if allow_renames
                else "未修改。如确属更名、更正，请勾选“同时修改姓名、性别、出生日期”后再导入")
        out.append(CheckRow(HELD, sheet, str(h.row), h.name, "身份信息不同", "", "", f"{_fields(h.fields)}。{what}"))
    for unit in result.units_created:
        out.append(CheckRow(UNIT, "", "", "", "将新建单位" if result.dry_run else "新建单位", "工作单位", unit,
                            f"单位“{unit}”库中没有，将新建" if result.dry_run else f"已新建单位“{unit}”"))
    for note in result.notes:
        out.append(CheckRow(NOTE, sheet, "", "", "说明", "", "", note))
    for c in result.rows:
        if c.action == "新增":
            out.append(CheckRow(CREATED, sheet, str(c.row), c.name, "新增", "", "", c.note.strip("（）") or "新登记"))
        else:
            kind = HELD if c.action.startswith("身份") else CHANGED
            out.append(CheckRow(kind, sheet, str(c.row), c.name, "修改" if kind == CHANGED else c.action, "", "",
                                _fields(c.fields) + (c.note or "")))
    return out


class CheckTableModel(RowsTableModel):
    COLUMNS = (("工作表", lambda r: r.sheet), ("行", lambda r: r.row), ("姓名", lambda r: r.name),
               ("结果", lambda r: r.result), ("列", lambda r: r.column), ("单元格的值", lambda r: r.value),
               ("说明（原值 → 新值；拒绝的原因及怎么办）", lambda r: r.detail))
    COL_RESULT = 3
    COL_DETAIL = 6

    def __init__(self, parent=None):
        super().__init__(self.COLUMNS, parent, id_getter=lambda r: r.row)
        self.all_rows: list[CheckRow] = []
        self.shown_kind: str | None = None

    def set_check(self, rows: list[CheckRow]) -> None:
        self.all_rows = list(rows)
        self.show_kind(self.shown_kind)

    def show_kind(self, kind: str | None) -> None:
        self.shown_kind = kind
        self.set_rows([r for r in self.all_rows if kind is None or r.kind == kind])

    def count(self, kind: str) -> int:
        return sum(1 for r in self.all_rows if r.kind == kind)

    def cell_data(self, row: CheckRow, column: int, role: int):
        if role == Qt.ForegroundRole and column == self.COL_RESULT and row.kind in COLOURS:
            return QBrush(COLOURS[row.kind])
        return None
