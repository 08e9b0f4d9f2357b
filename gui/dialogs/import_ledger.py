"""导入记录: every past import (file, time, account, counts, withdrawn or not) and 撤销这次导入, which asks a
reason and withdraws the whole import through the ledger's service (models/exchange/import_ledger.py): what it
created is withdrawn, what it changed is put back, audited. When something later builds on it (a later edit, a
later import, records added to a cadre it created) the service's message says what, and nothing changes.

A 查阅人 sees the list; the button is hidden (the service refuses a withdrawal without the right to write).
Entry point: `open_import_ledger(ctx, parent)` (from the import dialog and 管理 → 导入记录).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton, QTableView, QVBoxLayout,
    QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.form_dialog import fit_to_screen
from gui.widgets.row_table_model import RowsTableModel

WITHDRAWN = ("cadre", "unit", "handling", "commendation")


@dataclass(slots=True)
class BatchRow:
    id: int
    at: datetime
    account: str
    kind: str
    file_name: str
    sheet: str
    created: int
    updated: int
    unchanged: int
    rejected: int
    units: int
    state: str
    withdrawn: bool
    text: str  # the ledger's own one-line description


def batch_rows(session, actor) -> list[BatchRow]:
    from models.exchange import import_ledger as il

    out = []
    for b in il.list_batches(session, actor):
        c = b.counts or {}
        state = (f"已撤销（{b.withdrawn_at:%Y-%m-%d %H:%M} {b.withdrawn_by}：{b.withdrawn_reason}）"
                 if b.withdrawn_at is not None else "有效")
        out.append(BatchRow(b.id, b.at, b.account, il.KIND_LABELS.get(b.kind, b.kind), b.file_name, b.sheet or "",
                            c.get("created", 0), c.get("updated", 0), c.get("unchanged", 0), c.get("rejected", 0),
                            c.get("units", 0), state, b.withdrawn_at is not None, il.describe(b)))
    return out


class BatchTableModel(RowsTableModel):
    COLUMNS = (("编号", lambda r: r.id), ("时间", lambda r: f"{r.at:%Y-%m-%d %H:%M}"), ("账号", lambda r: r.account),
               ("导入什么", lambda r: r.kind), ("文件", lambda r: r.file_name), ("新增", lambda r: r.created),
               ("修改", lambda r: r.updated), ("无变化", lambda r: r.unchanged), ("拒绝", lambda r: r.rejected),
               ("新建单位", lambda r: r.units), ("状态", lambda r: r.state))

    def __init__(self, parent=None):
        super().__init__(self.COLUMNS, parent, muted=lambda r: r.withdrawn)


class ImportLedgerDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self.reload()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("导入记录"))
        self.setObjectName("importLedgerDialog")
        fit_to_screen(self, 1100, 560)
        layout = QVBoxLayout(self)
        hint = QLabel(self.tr("每次导入（不含“检查”）都记在这里。导错了文件时，可以选中那次导入，点“撤销这次导入”："
                              "它新增的记录撤回，它修改的内容恢复原值；之后已有人在其基础上修改或登记的，会说明是哪些记录。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = BatchTableModel(self)
        self.view = QTableView(objectName="batchTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectRows)
        self.view.setSelectionMode(QTableView.SingleSelection)
        self.view.setEditTriggers(QTableView.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        for col, width in enumerate((50, 120, 80, 90, 220, 50, 50, 56, 50, 66)):
            self.view.setColumnWidth(col, width)
        layout.addWidget(self.view, 1)
        self.detail_label = QLabel(objectName="detailLabel")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.detail_label)
        row = QHBoxLayout()
        self.withdraw_button = QPushButton(self.tr("撤销这次导入…"), objectName="withdrawButton")
        self.withdraw_button.setVisible(self.ctx.actor.can("write"))
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        self.refresh_button = QPushButton(self.tr("刷新"), objectName="refreshButton")
        self.close_button = QPushButton(self.tr("关闭"), objectName="closeButton")
        row.addWidget(self.refresh_button)
        row.addWidget(self.close_button)
        layout.addLayout(row)

    def _connect_signals(self) -> None:
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.refresh_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.reject)
        self.ctx.data_changed.connect(self._on_data_changed)

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.IMPORT, Change.DATABASE) and self.isVisible():
            self.reload()

    def reload(self) -> None:
        selected = self.selected()
        rows = ops.read(self, self.ctx, lambda s: batch_rows(s, self.ctx.actor))
        if rows is ops.FAILED:
            rows = []
        self.model.set_rows(rows)
        if not rows:
            self.detail_label.setText(self.tr("还没有导入记录。"))
        index = next((n for n, r in enumerate(rows) if selected is not None and r.id == selected.id), 0)
        if rows:
            self.view.selectRow(index)
        self._update_buttons()

    def selected(self) -> BatchRow | None:
        index = self.view.currentIndex() if hasattr(self, "view") else None
        return self.model.row_at(index.row()) if index is not None and index.isValid() else None

    def select_batch(self, batch_id: int) -> bool:
        for n, r in enumerate(self.model.rows):
            if r.id == batch_id:
                self.view.selectRow(n)
                return True
        return False

    def _on_view_current_row_changed(self, *_args) -> None:
        row = self.selected()
        self.detail_label.setText(row.text + (f"；工作表“{row.sheet}”" if row.sheet else "") if row else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected()
        self.withdraw_button.setEnabled(self.ctx.actor.can("write") and row is not None and not row.withdrawn)

    def _on_withdraw_button_clicked(self) -> None:
        self.withdraw_selected()

    def withdraw_selected(self, reason: str | None = None) -> bool:
        """Withdraw the selected import: first what stops it (said, nothing asked), then the reason (asked when
        None), then the service. True when withdrawn."""
        from models.exchange import import_ledger as il

        row = self.selected()
        if row is None or row.withdrawn:
            return False
        problems = ops.read(self, self.ctx, lambda s: il.withdraw_check(s, self.ctx.actor, row.id))
        if problems is ops.FAILED:
            return False
        if problems:
            self.last_message = self.tr("第{0}次导入不能整体撤回：\n").format(row.id) + "\n".join(problems[:20])
            if len(problems) > 20:
                self.last_message += self.tr("\n……另有{0}处").format(len(problems) - 20)
            QMessageBox.warning(self, self.tr("不能撤销这次导入"), self.last_message)
            return False
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, self.tr("撤销这次导入"),
                self.tr("撤销第{0}次导入（“{1}”，新增{2}、修改{3}）。\n请填写原因（记入审计日志）：").format(
                    row.id, row.file_name, row.created, row.updated))
            if not ok:
                return False
        if not reason.strip():
            QMessageBox.warning(self, self.tr("撤销这次导入"), self.tr("请填写撤销的原因。"))
            return False
        n = ops.run(self, self.ctx, lambda s: il.withdraw(s, self.ctx.actor, row.id, reason),
                    changes=(Change.IMPORT, Change.UNIT, Change.CADRE, Change.HANDLING, Change.COMMENDATION),
                    title=self.tr("不能撤销这次导入"))
        if n is ops.FAILED:
            return False
        self.reload()
        self.detail_label.setText(self.tr("已撤销第{0}次导入：{1}条记录已撤回或恢复原值。").format(row.id, n))
        return True


def open_import_ledger(ctx: AppContext, parent: QWidget | None = None) -> ImportLedgerDialog:
    dialog = ImportLedgerDialog(ctx, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose, False)
    dialog.open()
    return dialog
