"""What every importer returns, and the fault for a file that cannot be used at all."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.core.errors import AppError


class FileUnusable(AppError):
    """The file (or folder, or zip) cannot be used at all: nothing was read into the database."""


def shown_value(value: Any, limit: int = 40) -> str:
    """A cell value as the message quotes it: floats as Excel shows them, long text cut, controls escaped."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.15G}"
    else:
        text = str(value)
    text = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row: int | str  # the sheet row number (1-based, as Excel shows it) or, for .lrmx, the file name
    reason: str
    name: str = ""
    id_number: str = ""
    sheet: str = ""
    column: str = ""  # E列“出生年月”
    value: str = ""  # the cell value as the file has it

    @property
    def where(self) -> str:
        """工作表“干部台账”第12行 张三 E列“出生年月”（值“1975.13”）"""
        if not isinstance(self.row, int):
            return str(self.row)
        text = (f"工作表“{self.sheet}”" if self.sheet else "") + f"第{self.row}行"
        if self.name:
            text += f" {self.name}"
        if self.column:
            text += f" {self.column}"
            text += f"（值“{self.value}”）" if self.value else "（空）"
        return text

    @property
    def message(self) -> str:
        return f"{self.where}：{self.reason}"


@dataclass(frozen=True, slots=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(slots=True)
class RowChange:
    """One row of the check: what will be (or was) created or changed."""
    row: int | str
    name: str
    action: str  # 新增 / 更新 / 身份信息不同（未更改）
    fields: list[FieldChange] = field(default_factory=list)
    note: str = ""

    @property
    def text(self) -> str:
        where = f"第{self.row}行" if isinstance(self.row, int) else str(self.row)
        out = f"{where} {self.name}：{self.action}"
        if self.fields:
            out += "（" + "；".join(f"{f.label}：{f.old or '空'} → {f.new or '空'}" for f in self.fields) + "）"
        if self.note:
            out += self.note
        return out


@dataclass
class ImportResult:
    kind: str  # "cadres", "commendations", "lrmx" …
    source: str  # the file name shown to the user
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)  # one per created or changed row, in file order
    held: list[RowChange] = field(default_factory=list)  # name / sex / birth date changes not applied
    notes: list[str] = field(default_factory=list)  # rows imported once for several identical lines …
    skipped_lines: int = 0  # blank rows, 合计 lines, notes below the table
    sheet: str = ""
    columns: list[dict[str, Any]] = field(default_factory=list)  # every column of the file and what became of it
    signature: str = ""  # of the file's header (a remembered mapping is found by it)
    mapping: dict[str, str | None] = field(default_factory=dict)  # the user's choices applied
    file_hash: str = ""
    batch_id: int | None = None  # the import ledger entry (not in a dry run)

    @property
    def imported(self) -> int:
        return self.created

    @property
    def changes(self) -> list[str]:
        return [r.text for r in self.rows]

    @property
    def unknown_columns(self) -> list[str]:
        return [f"{c['letter']}列“{c['header']}”" for c in self.columns if c["status"] == "unknown"]

    @property
    def left_out_columns(self) -> list[str]:
        """Columns of the file that are not imported, each with why."""
        why = {"unknown": "未识别", "ignored": "已设为忽略", "duplicate": "与另一列对应同一字段", "known": "不需要导入"}
        return [f"{c['letter']}列“{c['header']}”（{why[c['status']]}）" for c in self.columns if c["status"] in why]

    def add(self, row: int | str, name: str, action: str, fields: list[FieldChange] | None = None,
            note: str = "") -> None:
        self.rows.append(RowChange(row, name, action, list(fields or ()), note))

    def summary(self) -> str:
        verb = "试导入（未写入）" if self.dry_run else "导入"
        text = f"{verb}：新增{self.created}条，更新{self.updated}条，无变化{self.unchanged}条，拒绝{len(self.rejected)}条"
        if self.units_created:
            text += f"；{'将新建' if self.dry_run else '新建'}单位{len(self.units_created)}个（{'、'.join(self.units_created[:5])}{'…' if len(self.units_created) > 5 else ''}）"
        if self.held:
            text += f"；{len(self.held)}人的姓名/性别/出生日期与库中不同，未更改"
        if self.unknown_columns:
            text += f"；{len(self.unknown_columns)}列未识别、未导入"
        return text
