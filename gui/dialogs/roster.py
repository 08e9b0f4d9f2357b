"""名单: who came off the impact period between two dates, or who is in one on a day; by unit; .xlsx / .pdf."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QMessageBox, QPushButton, QRadioButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

from gui import file_dialogs
from gui.context import AppContext
from gui.errors import show_error
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import fit_to_screen
from models.core import audit
from models.services import units as unit_service
from models.services import roster
from reports import roster_export
from models.core.errors import AppError

PREVIEW_ROWS = 500


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


class RosterDialog(QDialog):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self._on_mode_changed()

    def _setup_ui(self) -> None:
        self.setObjectName("rosterDialog")
        self.setWindowTitle(self.tr("影响期满名单"))
        fit_to_screen(self, 900, 620)
        layout = QVBoxLayout(self)
        modes = QHBoxLayout()
        self.came_off_radio = QRadioButton(self.tr("期间内影响期满的人员"))
        self.came_off_radio.setObjectName("cameOffRadio")
        self.in_period_radio = QRadioButton(self.tr("某日处于影响期的人员"))
        self.in_period_radio.setObjectName("inPeriodRadio")
        self.came_off_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.came_off_radio)
        group.addButton(self.in_period_radio)
        modes.addWidget(self.came_off_radio)
        modes.addWidget(self.in_period_radio)
        modes.addStretch(1)
        layout.addLayout(modes)
        form = QFormLayout()
        today = self.ctx.today()
        dates = QHBoxLayout()
        self.from_edit = DateField(label="起始日期")
        self.from_edit.setObjectName("fromEdit")
        self.from_edit.set_value(_quarter_start(today))
        self.to_edit = DateField(label="截止日期")
        self.to_edit.setObjectName("toEdit")
        self.to_edit.set_value(today)
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel(self.tr("至")))
        dates.addWidget(self.to_edit)
        dates.addWidget(QLabel(self.tr("（含首尾两天）")))
        dates.addStretch(1)
        form.addRow(self.tr("影响期满日期"), dates)
        self.on_edit = DateField(label="查询日期")
        self.on_edit.setObjectName("onEdit")
        self.on_edit.set_value(today)
        form.addRow(self.tr("查询日期"), self.on_edit)
        unit_row = QHBoxLayout()
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unitCombo")
        self.unit_combo.addItem(self.tr("全部单位"), None)
        with self.ctx.db.session() as s:
            for u in unit_service.list_units(s):  # the path tells the 13 区财政局 apart
                self.unit_combo.addItem(u.full_name, u.id)
        self.subunits_check = QCheckBox(self.tr("含下级单位"))
        self.subunits_check.setObjectName("subunitsCheck")
        self.subunits_check.setChecked(True)
        unit_row.addWidget(self.unit_combo, 1)
        unit_row.addWidget(self.subunits_check)
        form.addRow(self.tr("单位"), unit_row)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.query_button = QPushButton(self.tr("查询"))
        self.query_button.setObjectName("queryButton")
        self.xlsx_button = QPushButton(self.tr("导出 Excel…"))
        self.xlsx_button.setObjectName("exportXlsxButton")
        self.pdf_button = QPushButton(self.tr("导出 PDF…"))
        self.pdf_button.setObjectName("exportPdfButton")
        self.preview_button = QPushButton(self.tr("预览/打印…"))
        self.preview_button.setObjectName("previewRosterButton")
        self.preview_button.setEnabled(self.ctx.actor.can("print"))
        for b in (self.xlsx_button, self.pdf_button):
            b.setEnabled(self.ctx.actor.can("export"))
        self.count_label = QLabel()
        self.count_label.setObjectName("rosterCount")
        buttons.addWidget(self.query_button)
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.pdf_button)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("rosterTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in roster.HEADERS[1:]])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)

    def _connect_signals(self) -> None:
        self.came_off_radio.toggled.connect(self._on_mode_changed)
        self.query_button.clicked.connect(self._on_query_button_clicked)
        self.xlsx_button.clicked.connect(lambda: self._on_export_clicked(".xlsx"))
        self.pdf_button.clicked.connect(lambda: self._on_export_clicked(".pdf"))
        self.preview_button.clicked.connect(self._on_preview_button_clicked)

    def _on_mode_changed(self, *_args) -> None:
        came_off = self.came_off_radio.isChecked()
        self.from_edit.setEnabled(came_off)
        self.to_edit.setEnabled(came_off)
        self.on_edit.setEnabled(not came_off)

    def query(self) -> roster.RosterQuery:
        try:
            if self.came_off_radio.isChecked():
                return roster.RosterQuery(mode=roster.MODE_CAME_OFF, date_from=self.from_edit.value(),
                                          date_to=self.to_edit.value(), unit_id=self.unit_combo.currentData(),
                                          include_subunits=self.subunits_check.isChecked())
            return roster.RosterQuery(mode=roster.MODE_IN_PERIOD, on=self.on_edit.value(),
                                      unit_id=self.unit_combo.currentData(),
                                      include_subunits=self.subunits_check.isChecked())
        except ValueError:
            raise AppError(self.tr("日期无法识别，请按 2024-03-15 的格式填写。")) from None

    def _on_query_button_clicked(self) -> None:
        try:
            q = self.query()
            with self.ctx.db.session() as s:
                total = roster.count(s, self.ctx.actor, q)
                rows = roster.rows(s, self.ctx.actor, q, limit=PREVIEW_ROWS)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        more = self.tr("（仅显示前 %1 人，导出包含全部）").replace("%1", str(PREVIEW_ROWS)) if total > len(rows) else ""
        self.count_label.setText(f"{q.title()}：{self.tr('共 %1 人').replace('%1', str(total))}{more}")
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for col, value in enumerate([r.name, r.id_number, r.unit_name, r.handling,
                                         r.effective_on.isoformat() if r.effective_on else "",
                                         r.off_date.isoformat() if r.off_date else ""]):
                self.table.setItem(i, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)

    def _on_preview_button_clicked(self) -> None:
        """The roster in the preview window, printed or saved from there like the notices (both audited)."""
        from gui.dialogs.pdf_preview import PdfPreviewWindow

        try:
            q = self.query()
            with self.ctx.db.session() as s:
                data, n, title = roster_export.build_pdf(s, self.ctx.actor, q)
            actor = self.ctx.actor

            def as_file(session, fmt):  # 另存为Word: the same roster as an editable Word file
                from reports.document import DocumentPdf

                built, count, name = roster_export.build_pdf(session, actor, q, fmt)
                return DocumentPdf(built, f"{name}（{count}人）")

            self.preview = PdfPreviewWindow(self.ctx, data, document="roster", title=f"{title}（{n}人）",
                                            suggested_name=f"{title}.pdf", parent=self, issue=as_file, word=True,
                                            numbered=False)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法生成名单"))
            return
        self.preview.show()

    def export_to(self, path: str) -> int:
        """Write the roster to `path` (.xlsx or .pdf) in one action, audited; returns the number of rows."""
        q = self.query()
        with self.ctx.db.session() as s:
            self.ctx.actor.require("export")
            out, n = roster_export.export(s, self.ctx.actor, q, path)
            audit.record(s, self.ctx.actor, "export", "roster", None, after={"file": str(out), "rows": n},
                         summary=f"导出名单：{q.title()}（{n} 人）")
        return n

    def _on_export_clicked(self, suffix: str) -> None:
        try:
            title = self.query().title()
        except AppError as exc:
            show_error(self, exc)
            return
        kind = "Excel (*.xlsx)" if suffix == ".xlsx" else "PDF (*.pdf)"
        path = file_dialogs.save_file_name(self, self.tr("保存名单"), title + suffix, kind)
        if not path:
            return
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            n = self.export_to(path)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法导出"))
            return
        QMessageBox.information(self, self.tr("已导出"), self.tr("已导出 %1 人到：%2").replace("%1", str(n)).replace("%2", path))
