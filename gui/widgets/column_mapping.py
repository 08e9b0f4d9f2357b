"""The mapping step of an import: one line per column of the file — its letter and header, the field it goes to
(a choice: the synonym table's suggestion, 不导入, or any field), what becomes of it, and its first rows.

`ColumnMappingTable.set_preview(preview, choices)` shows a models.exchange.file_preview.FilePreview;
`choices` (file header → field key or "ignore") are the user's own, `resolved` is what the import will do
(file_preview.resolve, the same rule as the import). `choicesChanged` is emitted when the user changes a line.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem

from models.exchange.file_preview import FilePreview, Resolved, resolve
from models.exchange.headers import IGNORE

SAMPLES = 3
SUGGESTED = "__suggested__"  # the combo's data for 按建议
STATUS_TEXT = {
    "matched": "按建议导入为“{0}”", "mapped": "导入为“{0}”", "ignored": "不导入（已设为忽略）",
    "known": "不需要导入（序号、备注等）", "unknown": "未识别，不导入：如需导入请选字段", "duplicate": "另有一列导入为该字段，本列不导入",
}
MUTED = QColor("#777777")
WARN = QColor("#8a5a00")


class ColumnMappingTable(QTableWidget):
    choicesChanged = Signal()

    COL_LETTER, COL_HEADER, COL_FIELD, COL_STATUS, COL_SAMPLE = 0, 1, 2, 3, 4

    def __init__(self, parent=None):
        super().__init__(0, 4 + SAMPLES, parent)
        self.setObjectName("mappingTable")
        self.preview: FilePreview | None = None
        self.choices: dict[str, str] = {}
        self.resolved: Resolved | None = None
        self.setHorizontalHeaderLabels(["列", "文件中的列名", "导入为", "结果"] + [f"第{n}行" for n in range(1, SAMPLES + 1)])
        self.setEditTriggers(QTableWidget.NoEditTriggers)
        self.setSelectionMode(QTableWidget.NoSelection)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.COL_HEADER, QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.setWordWrap(False)

    # ------------------------------------------------------------------------------------------------- filling
    def set_preview(self, preview: FilePreview | None, choices: dict[str, str] | None = None) -> None:
        self.preview = preview
        self.choices = dict(choices or {})
        self.setRowCount(0)
        if preview is None:
            self.resolved = None
            return
        labels = ["列", "文件中的列名", "导入为", "结果"] + [
            f"第{n}行" for n in preview.sample_rows[:SAMPLES]]
        labels += [""] * (4 + SAMPLES - len(labels))
        self.setHorizontalHeaderLabels(labels)
        self.setRowCount(len(preview.columns))
        for n, col in enumerate(preview.columns):
            self.setItem(n, self.COL_LETTER, QTableWidgetItem(col.letter))
            item = QTableWidgetItem(col.header)
            item.setToolTip(col.header)
            self.setItem(n, self.COL_HEADER, item)
            self.setCellWidget(n, self.COL_FIELD, self._combo(n, col))
            self.setItem(n, self.COL_STATUS, QTableWidgetItem())
            for i in range(SAMPLES):
                text = col.samples[i] if i < len(col.samples) else ""
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.setItem(n, self.COL_SAMPLE + i, cell)
        self._refresh_status()
        self.resizeColumnToContents(self.COL_LETTER)
        self.setColumnWidth(self.COL_HEADER, min(220, max(110, self.sizeHintForColumn(self.COL_HEADER) + 12)))
        self.setColumnWidth(self.COL_FIELD, 210)
        self.setColumnWidth(self.COL_STATUS, 250)
        for i in range(SAMPLES - 1):
            self.setColumnWidth(self.COL_SAMPLE + i, 120)

    def _combo(self, row: int, col) -> QComboBox:
        assert self.preview is not None
        combo = QComboBox()
        combo.setObjectName(f"fieldCombo_{col.letter}")
        suggestion = self.preview.label(col.suggestion) if col.suggestion else ""
        combo.addItem(f"按建议：{suggestion}" if suggestion else "按建议：不导入", SUGGESTED)
        combo.addItem("不导入（忽略本列）", IGNORE)
        for f in self.preview.fields:
            combo.addItem(f.label + ("（必填）" if f.required else ""), f.key)
        chosen = self.choices.get(col.header)
        index = combo.findData(chosen) if chosen else 0
        combo.setCurrentIndex(max(index, 0))
        combo.setMaxVisibleItems(20)
        combo.currentIndexChanged.connect(lambda _i, r=row: self._on_combo_changed(r))
        return combo

    def combo(self, row: int) -> QComboBox:
        return self.cellWidget(row, self.COL_FIELD)

    def row_of(self, header: str) -> int:
        assert self.preview is not None
        for n, c in enumerate(self.preview.columns):
            if c.header == header:
                return n
        raise KeyError(header)

    def set_choice(self, header: str, key: str | None) -> None:
        """Choose for the column `header`: a field key, IGNORE, or None (the suggestion) — as the user would."""
        combo = self.combo(self.row_of(header))
        combo.setCurrentIndex(max(combo.findData(key or SUGGESTED), 0))

    # ------------------------------------------------------------------------------------------------- changes
    def _on_combo_changed(self, row: int) -> None:
        assert self.preview is not None
        header = self.preview.columns[row].header
        data = self.combo(row).currentData()
        if data == SUGGESTED:
            self.choices.pop(header, None)
        else:
            self.choices[header] = data
        self._refresh_status()
        self.choicesChanged.emit()

    def _refresh_status(self) -> None:
        assert self.preview is not None
        self.resolved = resolve(self.preview, self.choices)
        for n, (key, status) in enumerate(zip(self.resolved.keys, self.resolved.statuses)):
            item = self.item(n, self.COL_STATUS)
            text = STATUS_TEXT.get(status, status).format(self.preview.label(key))
            item.setText(text)
            item.setToolTip(text)
            item.setForeground(QBrush(WARN if status in ("unknown", "duplicate") else (
                MUTED if key is None else QColor(Qt.black))))
