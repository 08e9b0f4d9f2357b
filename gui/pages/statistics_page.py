"""统计分析 page: the tables of models.services.statistics for a period and a unit, each with its chart beside it;
a number in a table or on a chart opens the list behind it (gui/dialogs/statistics_list.py). 打印 previews the A4
report (reports/statistics.py), 导出 writes it as .xlsx or .pdf.

The statistics are computed when the page is shown or the filters change, and again when a record changes while
the page is visible (otherwise the next time it is shown).
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
    QSizePolicy, QTableView, QVBoxLayout, QWidget,
)

from gui import file_dialogs
from gui.errors import show_error
from gui.ops import Change
from gui.widgets.chart import ChartWidget
from gui.widgets.date_field import DateField
from gui.widgets.row_table_model import RowsTableModel
from models.core.errors import AppError
from models.services import units as unit_service
from models.services import statistics as st
from reports import statistics as report

LINK = QColor("#1a56a8")
MAX_TABLE_ROWS = 14  # a longer table scrolls inside its frame


def _years_back(today: date, years: int) -> tuple[date, date]:
    return date(today.year - years + 1, 1, 1), date(today.year, 12, 31)


PRESETS = (("本年", lambda t: _years_back(t, 1)), ("上年", lambda t: (date(t.year - 1, 1, 1), date(t.year - 1, 12, 31))),
           ("近三年", lambda t: _years_back(t, 3)), ("近五年", lambda t: _years_back(t, 5)))


class StatTableModel(RowsTableModel):
    """One StatTable: the label column and the value columns formatted as on paper; numbers with a list behind
    them are blue (a click opens the list)."""

    def __init__(self, table: st.StatTable, parent=None):
        columns = [(table.label_header, lambda r: r.label)] + [
            (name, lambda r, k=k: report.cell_text(table, k, r.values[k])) for k, name in enumerate(table.columns)]
        super().__init__(columns, parent, id_getter=lambda r: r.label)
        self.table = table
        self.set_rows(table.rows)

    def drill(self, row: int, column: int) -> st.Drill | None:
        r = self.row_at(row)
        if r is None or column < 1 or r.values[column - 1] is None:
            return None
        return r.drill_at(column - 1)

    def cell_data(self, row, column: int, role: int):
        if column == 0:
            if role == Qt.FontRole and row.label == report.TOTAL:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        has_list = row.drill_at(column - 1) is not None and row.values[column - 1] is not None
        if role == Qt.ForegroundRole and has_list:
            return QBrush(LINK)
        if role == Qt.ToolTipRole and has_list:
            return "点击查看名单"
        return None


class StatisticsPage(QWidget):
    """Attributes:
        stats: the Statistics shown (None before the first computation).
        charts / tables: the ChartWidget and QTableView of each StatTable, by its key.
        last_list: the StatisticsListDialog opened last (tests look at it).
    """

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.stats: st.Statistics | None = None
        self.charts: dict[str, ChartWidget] = {}
        self.tables: dict[str, QTableView] = {}
        self.last_list = None
        self.preview = None
        self._stale = True
        self._setup_ui()
        self._connect_signals()

    # ------------------------------------------------------------------------------------------ ui

    def _setup_ui(self) -> None:
        self.setObjectName("statisticsPage")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("统计期间")))
        start, end = _years_back(self.ctx.today(), 1)
        self.from_edit = DateField(label=self.tr("开始日期"), field="date_from")
        self.from_edit.setObjectName("statsFromEdit")
        self.from_edit.set_value(start)
        self.to_edit = DateField(label=self.tr("结束日期"), field="date_to")
        self.to_edit.setObjectName("statsToEdit")
        self.to_edit.set_value(end)
        for w in (self.from_edit, QLabel(self.tr("至")), self.to_edit):
            bar.addWidget(w)
        self.preset_buttons = []
        for title, _fn in PRESETS:
            b = QPushButton(self.tr(title))
            b.setObjectName(f"preset_{title}")
            self.preset_buttons.append(b)
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        bar = QHBoxLayout()  # a second row: one row of both is wider than a 1366×768 screen's window
        bar.addWidget(QLabel(self.tr("单位")))
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("statsUnitCombo")
        self.unit_combo.setMinimumWidth(200)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.unit_combo.setMinimumContentsLength(24)  # a long unit path must not widen the page
        bar.addWidget(self.unit_combo, 1)
        self.run_button = QPushButton(self.tr("统计"))
        self.run_button.setObjectName("statsRunButton")
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setObjectName("statsPrintButton")
        self.print_button.setEnabled(self.ctx.actor.can("print"))
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setObjectName("statsExportButton")
        self.export_button.setEnabled(self.ctx.actor.can("export"))
        self.export_button.setToolTip(self.tr("导出为 Excel（.xlsx，数字可直接计算）或 PDF（A4）"))
        for b in (self.run_button, self.print_button, self.export_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("statsSummary")
        self.summary_label.setStyleSheet("color: #555;")
        layout.addWidget(self.summary_label)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("statsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        layout.addWidget(self.scroll, 1)

    def _connect_signals(self) -> None:
        self.run_button.clicked.connect(self._on_run_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        for b, (_title, fn) in zip(self.preset_buttons, PRESETS):
            b.clicked.connect(lambda _c=False, f=fn: self._on_preset(f))
        self.unit_combo.currentIndexChanged.connect(lambda _i: self._on_run_button_clicked())
        self.ctx.data_changed.connect(self._on_data_changed)

    def _fill_units(self) -> None:
        current = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem(self.tr("全部单位"), None)
        with self.ctx.db.session() as s:
            for u in unit_service.list_units(s):  # the path tells the 13 区财政局 apart
                self.unit_combo.addItem(u.full_name, u.id)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(current)))
        self.unit_combo.blockSignals(False)

    # ------------------------------------------------------------------------------------------ content

    def query(self) -> st.StatsQuery:
        """The filters as a query; ValidationError (its Chinese message) for a date that cannot be read."""
        start, end = self.from_edit.value(), self.to_edit.value()
        if start is None or end is None:
            raise AppError(self.tr("请填写统计期间的开始日期和结束日期。"))
        return st.StatsQuery(start, end, self.ctx.today(), self.unit_combo.currentData())

    def refresh(self) -> None:
        self._fill_units()
        self.compute()

    def compute(self) -> bool:
        try:
            q = self.query()
            QApplication.setOverrideCursor(Qt.WaitCursor)
            try:
                with self.ctx.db.session() as s:
                    self.stats = st.compute(s, self.ctx.actor, q)
            finally:
                QApplication.restoreOverrideCursor()
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法统计"))
            return False
        self._stale = False
        self._show(self.stats)
        return True

    def _show(self, stats: st.Statistics) -> None:
        self.charts, self.tables = {}, {}
        self.summary_label.setText(self.tr("%1，%2。蓝色的数字和图中的柱、点可以点击，打开其后的名单。")
                                   .replace("%1", stats.query.title()).replace("%2", stats.unit_name))
        body = QWidget()
        body.setObjectName("statsBody")
        column = QVBoxLayout(body)
        for section in stats.sections:
            title = QLabel(self.tr(section.title))
            title.setObjectName(f"section_{section.key}")
            title.setStyleSheet("font-size: 15pt; font-weight: bold; margin-top: 10px;")
            column.addWidget(title)
            for table in section.tables:
                column.addWidget(self._block(table))
        column.addStretch(1)
        self.scroll.setWidget(body)

    def _block(self, table: st.StatTable) -> QWidget:
        frame = QFrame()
        frame.setObjectName(f"block_{table.key}")
        frame.setFrameShape(QFrame.StyledPanel)
        box = QVBoxLayout(frame)
        head = QLabel(self.tr(table.title))
        head.setStyleSheet("font-weight: bold;")
        box.addWidget(head)
        row = QHBoxLayout()
        if report.is_shown(table):
            chart = ChartWidget()
            chart.setObjectName(f"chart_{table.key}")
            rows = report.chart_rows(table)
            percent = any(col in table.shares for col in table.plotted)
            chart.set_data(table.chart, [r.label for r in rows], report.series(table, rows), percent=percent,
                           target=table.target * 100 if table.target is not None and percent else None)
            chart.setFixedHeight(chart.sizeHint().height())
            chart.clicked.connect(lambda r, s_, t=table, shown=rows: self._on_chart_clicked(t, shown, r, s_))
            self.charts[table.key] = chart
            row.addWidget(chart, 3, Qt.AlignTop)
        view = QTableView()
        view.setObjectName(f"table_{table.key}")
        model = StatTableModel(table, view)
        view.setModel(model)
        view.setSelectionMode(QAbstractItemView.SingleSelection)
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(False)
        view.resizeColumnsToContents()
        view.setColumnWidth(0, min(max(view.columnWidth(0), 90), 260))
        shown = min(len(table.rows), MAX_TABLE_ROWS)
        # room for a horizontal scroll bar too: a wide table on a 1366×768 screen must not cover its last row
        view.setFixedHeight(view.horizontalHeader().height() + view.verticalHeader().defaultSectionSize() * shown + 4
                            + view.horizontalScrollBar().sizeHint().height())
        view.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        view.clicked.connect(lambda index, t=table, m=model: self._on_table_clicked(t, m, index))
        self.tables[table.key] = view
        row.addWidget(view, 2, Qt.AlignTop)
        box.addLayout(row)
        if table.note:
            note = QLabel(self.tr("注：") + table.note)
            note.setWordWrap(True)
            note.setStyleSheet("color: #666;")
            box.addWidget(note)
        return frame

    # ------------------------------------------------------------------------------------------ lists behind

    def open_list(self, table: st.StatTable, row: st.StatRow, col: int) -> None:
        which = row.drill_at(col)
        if which is None or row.values[col] is None or self.stats is None:
            return
        from gui.dialogs.statistics_list import StatisticsListDialog

        title = f"{table.title} · {row.label} · {table.columns[col]}"
        try:
            self.last_list = StatisticsListDialog(self.ctx, self.stats.query, which, title, parent=self)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.last_list.open()

    def _on_table_clicked(self, table: st.StatTable, model: StatTableModel, index) -> None:
        if model.drill(index.row(), index.column()) is not None:
            self.open_list(table, model.row_at(index.row()), index.column() - 1)

    def _on_chart_clicked(self, table: st.StatTable, shown: list, row: int, series: int) -> None:
        self.open_list(table, shown[row], table.plotted[series])

    # ------------------------------------------------------------------------------------------ print, export

    def _on_run_button_clicked(self) -> None:
        self.compute()

    def _on_preset(self, fn) -> None:
        start, end = fn(self.ctx.today())
        self.from_edit.set_value(start)
        self.to_edit.set_value(end)
        self.compute()

    def _on_print_button_clicked(self) -> None:
        from gui.dialogs.pdf_preview import PdfPreviewWindow

        try:
            q = self.query()
            with self.ctx.db.session() as s:
                data, stats = report.pdf_for_print(s, self.ctx.actor, q)
            title = self.tr("统计分析（%1，%2）").replace("%1", q.title()).replace("%2", stats.unit_name)
            self.preview = PdfPreviewWindow(self.ctx, data, document="statistics", title=title,
                                            suggested_name=f"统计分析{q.date_from.isoformat()}至{q.date_to.isoformat()}.pdf",
                                            parent=self)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法生成统计分析报告"))
            return
        self.preview.show()

    def export_to(self, path: str) -> bool:
        """Write the statistics of the current filters to `path` (.xlsx or .pdf); True when written."""
        from gui import ops

        try:
            q = self.query()
        except AppError as exc:
            show_error(self, exc)
            return False
        done = ops.run(self, self.ctx, lambda s: report.export_file(s, self.ctx.actor, q, path)[0])
        return done is not ops.FAILED

    def _on_export_button_clicked(self) -> None:
        start = self.from_edit.value()
        name = f"统计分析{start.year if start else ''}.xlsx"
        path = file_dialogs.save_file_name(self, self.tr("导出统计分析"), name,
                                           self.tr("Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"))
        if path and self.export_to(path):
            self.summary_label.setText(self.tr("已导出到 %1").replace("%1", path))

    # ------------------------------------------------------------------------------------------ changes

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.TEMPLATE, Change.USER, Change.BACKUP, Change.HOLIDAYS):
            return  # nothing counted here changed
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()
