"""What every importer returns, and the fault for a file that cannot be used at all."""
from __future__ import annotations

from dataclasses import dataclass, field

from models.core.errors import AppError


class FileUnusable(AppError):
    """The file (or folder, or zip) cannot be used at all: nothing was read into the database."""


@dataclass(frozen=True)
class RejectedRow:
    row: int | str  # the sheet row number (1-based, as Excel shows it) or, for .lrmx, the file name
    reason: str
    name: str = ""
    id_number: str = ""


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
    changes: list[str] = field(default_factory=list)  # one line per written row: "第5行 张三：新增" …
    skipped_lines: int = 0  # blank rows, 合计 lines, notes below the table

    @property
    def imported(self) -> int:
        return self.created

    def summary(self) -> str:
        verb = "试导入（未写入）" if self.dry_run else "导入"
        text = f"{verb}：新增{self.created}条，更新{self.updated}条，无变化{self.unchanged}条，拒绝{len(self.rejected)}条"
        if self.units_created:
            text += f"；{'将新建' if self.dry_run else '新建'}单位{len(self.units_created)}个（{'、'.join(self.units_created[:5])}{'…' if len(self.units_created) > 5 else ''}）"
        return text
