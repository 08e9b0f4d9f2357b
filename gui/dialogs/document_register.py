"""管理 → 发文登记: every 发文字号 issued (per 机关代字 and year, with the document, the record, the account and
the time), voided ones with their reason; void a number given in error; export the register (.xlsx/.csv)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from gui import file_dialogs
from gui.context import AppContext
from gui.errors import show_error
from gui.ops import Change
from models.services import document_numbers as dn


class DocumentRegisterDialog(QDialog):
    """Attributes: rows (the RegisterRow list shown), table, year_combo, void_button, export_button."""

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dn.RegisterRow] = []
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.setObjectName("documentRegisterDialog")
        self.setWindowTitle(self.tr("发文登记"))
        self.resize(1180, 620)
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("registerYearCombo")
        top.addWidget(self.year_combo)
        top.addWidget(QLabel(self.tr("文书种类")))
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("registerKindCombo")
        self.kind_combo.addItem(self.tr("全部"), None)
        for kind, label in dn.KIND_LABELS.items():
            self.kind_combo.addItem(self.tr(label), kind)
        top.addWidget(self.kind_combo)
        self.count_label = QLabel()
        self.count_label.setObjectName("registerCount")
        top.addWidget(self.count_label, 1)
        outer.addLayout(top)
        note = QLabel(self.tr("文号在文书打印或保存（定稿）时编发，预览不占号；重印保持原文号；作废的文号保留在登记中，不再使用。"))
        note.setWordWrap(True)
        outer.addWidget(note)
        self.table = QTableWidget(0, len(dn.REGISTER_HEADERS))
        self.table.setObjectName("registerTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in dn.REGISTER_HEADERS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        outer.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.void_button = QPushButton(self.tr("作废所选文号…"))
        self.void_button.setObjectName("voidNumberButton")
        self.void_button.setEnabled(False)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setObjectName("exportRegisterButton")
        self.export_button.setEnabled(self.ctx.actor.can("export"))
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        buttons.addWidget(self.void_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        outer.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.year_combo.currentIndexChanged.connect(self._fill)
        self.kind_combo.currentIndexChanged.connect(self._fill)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.void_button.clicked.connect(self._on_void_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)

    def refresh(self) -> None:
        try:
            with self.ctx.db.session() as s:
                self.all_rows = dn.register(s, self.ctx.actor)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法读取发文登记"))
            self.all_rows = []
        current = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(self.tr("全部"), None)
        for year in sorted({r.year for r in self.all_rows}, reverse=True):
            self.year_combo.addItem(str(year), year)
        self.year_combo.setCurrentIndex(max(0, self.year_combo.findData(current)))
        self.year_combo.blockSignals(False)
        self._fill()

    def _fill(self) -> None:
        year, kind = self.year_combo.currentData(), self.kind_combo.currentData()
        self.rows = [r for r in self.all_rows if (year is None or r.year == year) and (kind is None or r.kind == kind)]
        table = dn.register_table(self.rows)
        self.table.setRowCount(len(table))
        for i, (row, cells) in enumerate(zip(self.rows, table)):
            for k, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if row.voided:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(i, k, item)
        voided = sum(1 for r in self.rows if r.voided)
        self.count_label.setText(self.tr("共 %1 个文号，其中作废 %2 个").replace("%1", str(len(self.rows)))
                                 .replace("%2", str(voided)))
        self._on_selection_changed()

    def selected(self) -> dn.RegisterRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _on_selection_changed(self) -> None:
        row = self.selected()
        self.void_button.setEnabled(row is not None and not row.voided and self.ctx.actor.can("write"))

    def _ask_reason(self, row: dn.RegisterRow) -> str | None:
        """The void reason; None when cancelled. Tests replace this."""
        text, ok = QInputDialog.getText(self, self.tr("作废文号"),
                                        self.tr("作废 %1 的原因（保留在发文登记中）：").replace("%1", row.text))
        return text if ok else None

    def _on_void_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = self._ask_reason(row)
        if reason is None:
            return
        try:
            with self.ctx.db.session() as s:
                dn.void(s, self.ctx.actor, row.id, reason)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法作废文号"))
            return
        if row.subject_type == "clarification":
            self.ctx.notify(Change.CLARIFICATION)
        self.refresh()

    def _ask_export_path(self) -> str:
        """The file dialog; '' when cancelled. Tests replace this."""
        path = file_dialogs.save_file_name(self, self.tr("导出发文登记"), self.tr("发文登记.xlsx"),
                                           self.tr("Excel 文件 (*.xlsx);;CSV 文件 (*.csv)"))
        return path

    def _on_export_button_clicked(self) -> None:
        path = self._ask_export_path()
        if not path:
            return
        year = self.year_combo.currentData()
        try:
            self.export_to(path, year)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("导出失败"))
            return
        QMessageBox.information(self, self.tr("已导出"), self.tr("发文登记已导出到：") + path)

    def export_to(self, path: str, year: int | None = None):
        from reports.register_export import export_register

        with self.ctx.db.session() as s:
            return export_register(s, self.ctx.actor, path, year_from=year, year_to=year)


def open_document_register(ctx: AppContext, parent=None) -> DocumentRegisterDialog:
    dialog = DocumentRegisterDialog(ctx, parent)
    dialog.show()
    return dialog
