"""回访教育 — plans (due, overdue, all) and visit records: record a visit, print the 回访教育记录表, print all
visits of a period in one PDF, export the register to Excel, withdraw a visit with a reason."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox,
    QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from shiboken6 import isValid

from gui import ops
from gui import file_dialogs
from gui.context import AppContext
from gui.errors import show_error
from gui.widgets.row_table_model import PagedRowTableModel
from gui.dialogs.visit import VisitDialog
from gui.widgets.date_field import DateField
from gui.widgets.list_keys import SearchBox, open_on_enter
from gui.widgets.table_fit import fit_columns_once
from gui.worker import run_with_progress
from gui.ops import Change
from models.services.visits import plans as visit_plan_list
from models.services.visits import records as visit_records
from models.core.errors import AppError

RESIZE_ROWS = 40  # column widths from the first rows only: measuring a whole page of 200 rows costs ~0.2 s
STATE_COLOURS = {"overdue": "#b00020", "due": "#1f4e8c", "cancelled": "#8a8f98", "done": "#2e7d32"}


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


class PlanTableModel(PagedRowTableModel):
    """Plans of one filter, paged from SQL (`visit_service.list_plans` / `count_plans`)."""

    COL_NAME, COL_UNIT, COL_HANDLING, COL_SEQ, COL_PURPOSE, COL_WINDOW, COL_STATE, COL_NOTE = range(8)
    HEADERS = ("姓名", "单位", "处理处分", "次序", "回访目的", "应回访时间", "状态", "说明")
    GETTERS = (lambda r: r.cadre_name, lambda r: r.unit_name, lambda r: r.handling_label, lambda r: f"第{r.seq}次",
               lambda r: r.purpose, lambda r: r.window_text, lambda r: r.state_label, lambda r: r.note)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__([(_tr("PlanTableModel", h), g) for h, g in zip(self.HEADERS, self.GETTERS)], parent)
        self.ctx = ctx
        self.which = "due"
        self.text = ""

    def load(self, which: str, text: str = "") -> None:
        self.which = which
        self.text = text
        self.reload()

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return visit_plan_list.list_plans(s, self.ctx.actor, self.ctx.today(), self.which, limit=limit,
                                              offset=offset, text=self.text)

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return visit_plan_list.count_plans(s, self.ctx.actor, self.ctx.today(), self.which, text=self.text)

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid() and index.column() == self.COL_STATE:
            r = self.row_at(index.row())
            return QColor(STATE_COLOURS.get(r.state, "#000000")) if r is not None else None
        return super().data(index, role)


class VisitTableModel(PagedRowTableModel):
    """Visits of a period, newest first, paged from SQL (`visit_service.list_visits` / `count_visits`);
    `filters` are the keyword arguments of both."""

    COL_DATE, COL_NAME, COL_UNIT, COL_HANDLING, COL_SEQ, COL_FORM, COL_VISITORS, COL_EVALUATION, COL_NO = range(9)
    HEADERS = ("回访日期", "姓名", "单位", "处理处分", "次序", "方式", "回访人", "评价", "记录编号")
    GETTERS = (lambda r: r.visited_on, lambda r: r.cadre_name, lambda r: r.unit_name, lambda r: r.handling_label,
               lambda r: f"第{r.seq}次" if r.seq else "", lambda r: r.form, lambda r: r.visitors_text,
               lambda r: r.evaluation,
               lambda r: r.record_no + (f"（已撤回：{r.withdrawn_reason}）" if r.withdrawn_at else ""))

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__([(_tr("VisitTableModel", h), g) for h, g in zip(self.HEADERS, self.GETTERS)], parent,
                         muted=lambda r: r.withdrawn_at is not None)
        self.ctx = ctx
        self.filters: dict = {}

    def load(self, **filters) -> None:
        self.filters = filters
        self.reload()

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return visit_records.list_visits(s, self.ctx.actor, limit=limit, offset=offset, **self.filters)

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return visit_records.count_visits(s, self.ctx.actor, **self.filters)


class VisitsPage(QWidget):
    """Attributes:
        dialog: the VisitDialog last opened (tests fill it in).
        preview: the PdfPreviewWindow last opened.
    """

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: VisitDialog | None = None
        self.preview = None
        self.sync_pending = False  # a background check of the plans is running (see refresh)
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.search_edit = SearchBox(self.tr("查找：姓名、拼音（如 zs）、身份证号的一部分或单位（回访计划和回访记录都按此筛选）"))
        self.search_edit.setObjectName("visitSearch")
        layout.addWidget(self.search_edit)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("visitTabs")
        layout.addWidget(self.tabs)

        plans = QWidget()
        v = QVBoxLayout(plans)
        head = QHBoxLayout()
        self.plan_filter = QComboBox()
        self.plan_filter.setObjectName("planFilterCombo")
        for key in visit_plan_list.PLAN_FILTERS:
            self.plan_filter.addItem(self.tr(visit_plan_list.PLAN_FILTER_LABELS[key]), key)
        self.plan_count_label = QLabel()
        self.plan_count_label.setObjectName("planCountLabel")
        self.record_plan_button = QPushButton(self.tr("登记这次回访…"))
        self.record_plan_button.setObjectName("recordPlanButton")
        head.addWidget(QLabel(self.tr("显示：")))
        head.addWidget(self.plan_filter)
        head.addWidget(self.plan_count_label, 1)
        head.addWidget(self.record_plan_button)
        v.addLayout(head)
        self.plan_model = PlanTableModel(self.ctx, self)
        self.plans_table = QTableView()
        self.plans_table.setObjectName("plansTable")
        self.plans_table.setModel(self.plan_model)
        fit_columns_once(self.plans_table, range(PlanTableModel.COL_NOTE))
        self.plans_table.setSelectionBehavior(QTableView.SelectRows)
        self.plans_table.setSelectionMode(QTableView.SingleSelection)
        self.plans_table.horizontalHeader().setSectionResizeMode(PlanTableModel.COL_NOTE, QHeaderView.Stretch)
        self.plans_table.verticalHeader().setVisible(False)
        self.plans_table.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
        v.addWidget(self.plans_table)
        self.tabs.addTab(plans, self.tr("回访计划"))

        visits = QWidget()
        v = QVBoxLayout(visits)
        head = QHBoxLayout()
        today = self.ctx.today()
        self.from_edit = DateField(label="起始日期", required=True, value=date(today.year, 1, 1))
        self.from_edit.setObjectName("visitFromEdit")
        self.to_edit = DateField(label="截止日期", required=True, value=today)
        self.to_edit.setObjectName("visitToEdit")
        self.withdrawn_check = QCheckBox(self.tr("显示已撤回的记录"))
        self.withdrawn_check.setObjectName("showWithdrawnCheck")
        self.withdrawn_check.setVisible(self.ctx.actor.can("admin"))
        head.addWidget(QLabel(self.tr("回访日期从")))
        head.addWidget(self.from_edit)
        head.addWidget(QLabel(self.tr("到")))
        head.addWidget(self.to_edit)
        head.addWidget(self.withdrawn_check)
        self.visit_count_label = QLabel()
        self.visit_count_label.setObjectName("visitCountLabel")
        head.addWidget(self.visit_count_label)
        head.addStretch(1)
        v.addLayout(head)
        buttons = QHBoxLayout()
        self.new_visit_button = QPushButton(self.tr("登记回访…"))
        self.new_visit_button.setObjectName("newVisitButton")
        self.print_button = QPushButton(self.tr("打印记录表…"))
        self.print_button.setObjectName("printVisitButton")
        self.batch_button = QPushButton(self.tr("打印本期间全部记录表…"))
        self.batch_button.setObjectName("batchPrintButton")
        self.export_button = QPushButton(self.tr("导出登记表（Excel）…"))
        self.export_button.setObjectName("exportRegisterButton")
        self.withdraw_button = QPushButton(self.tr("撤回…"))
        self.withdraw_button.setObjectName("withdrawVisitButton")
        for b in (self.new_visit_button, self.print_button, self.batch_button, self.export_button, self.withdraw_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        v.addLayout(buttons)
        self.visit_model = VisitTableModel(self.ctx, self)
        self.visits_table = QTableView()
        self.visits_table.setObjectName("visitsTable")
        self.visits_table.setModel(self.visit_model)
        fit_columns_once(self.visits_table, range(VisitTableModel.COL_VISITORS))
        self.visits_table.setSelectionBehavior(QTableView.SelectRows)
        self.visits_table.setSelectionMode(QTableView.SingleSelection)
        self.visits_table.horizontalHeader().setSectionResizeMode(VisitTableModel.COL_VISITORS, QHeaderView.Stretch)
        self.visits_table.verticalHeader().setVisible(False)
        self.visits_table.horizontalHeader().setResizeContentsPrecision(RESIZE_ROWS)
        v.addWidget(self.visits_table)
        self.tabs.addTab(visits, self.tr("回访记录"))
        self.search_edit.set_results(self.plans_table)

        can_write = self.ctx.actor.can("write")
        for b in (self.record_plan_button, self.new_visit_button, self.withdraw_button):
            b.setEnabled(can_write)
        self.export_button.setEnabled(self.ctx.actor.can("export"))

    def _connect_signals(self) -> None:
        self.ctx.data_changed.connect(self._on_data_changed)
        self.plan_filter.currentIndexChanged.connect(self._on_plan_filter_current_index_changed)
        self.record_plan_button.clicked.connect(self._on_record_plan_button_clicked)
        self.plans_table.doubleClicked.connect(self._on_record_plan_button_clicked)
        open_on_enter(self.plans_table, self._on_record_plan_button_clicked)
        open_on_enter(self.visits_table, self._on_print_button_clicked)
        self.search_edit.search.connect(self._on_search_edit_search)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.new_visit_button.clicked.connect(self._on_new_visit_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.visits_table.doubleClicked.connect(self._on_print_button_clicked)
        self.batch_button.clicked.connect(self._on_batch_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.from_edit.editingFinished.connect(self._load_visits)
        self.to_edit.editingFinished.connect(self._load_visits)
        self.from_edit.value_changed.connect(self._on_period_edited)
        self.to_edit.value_changed.connect(self._on_period_edited)
        self.withdrawn_check.toggled.connect(self._load_visits)

    # ------------------------------------------------------------------------------------------- loading
    def refresh(self) -> None:
        """Reload both lists at once; then bring the plans in step with decisions changed elsewhere (imports,
        other PCs) off the GUI thread — 70–120 ms on 100,000 cadres — and reload the plans if that changed any."""
        self._load_plans()
        self._load_visits()
        if self.sync_pending:
            return
        self.sync_pending = True
        from gui.app import start_plan_upkeep

        start_plan_upkeep(self.ctx, self._on_plans_synced, self._on_plans_sync_failed)

    def _on_plans_synced(self, changed: int) -> None:
        if not isValid(self):  # the page was closed while the check ran
            return
        self.sync_pending = False
        if changed:  # (the 工作台 was told by start_plan_upkeep; this page does not listen to "visit_plan")
            self._load_plans()

    def _on_plans_sync_failed(self, exc: BaseException) -> None:
        self.sync_pending = False
        show_error(self, exc)  # the lists loaded; the fault is shown once

    def _on_search_edit_search(self, _text: str) -> None:
        self._load_plans()
        self._load_visits()

    def _on_tabs_current_changed(self, index: int) -> None:
        self.search_edit.set_results(self.visits_table if index == 1 else self.plans_table)

    def _load_plans(self) -> None:
        self.plan_model.load(self.plan_filter.currentData(), self.search_edit.text())
        self.plan_count_label.setText(self.tr("共 %1 项").replace("%1", str(self.plan_model.total)))

    def _on_period_edited(self) -> None:
        if self.from_edit.error() is None and self.to_edit.error() is None and not self.from_edit.hasFocus() \
                and not self.to_edit.hasFocus():
            self._load_visits()  # set from the calendar or by a program; typing reloads on leaving the field

    def _load_visits(self, *_args) -> None:
        try:
            date_from, date_to = self.period()
        except AppError as exc:
            self.visit_count_label.setText(exc.message)
            return
        self.visit_model.load(date_from=date_from, date_to=date_to, include_withdrawn=self.withdrawn_check.isChecked(),
                              text=self.search_edit.text())
        self.visit_count_label.setText(self.tr("共 %1 条").replace("%1", str(self.visit_model.total)))

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.VISIT, Change.HANDLING, Change.REVIEW, Change.SETTINGS, Change.CADRE):
            self.refresh()

    def _on_plan_filter_current_index_changed(self, _index: int) -> None:
        self._load_plans()

    def selected_plan(self) -> visit_plan_list.PlanRow | None:
        rows = self.plans_table.selectionModel().selectedRows()
        return self.plan_model.row_at(rows[0].row()) if rows else None

    def selected_visit(self) -> visit_records.VisitRow | None:
        rows = self.visits_table.selectionModel().selectedRows()
        return self.visit_model.row_at(rows[0].row()) if rows else None

    # ------------------------------------------------------------------------------------------- actions
    def open_dialog(self, plan: visit_plan_list.PlanRow | None = None) -> VisitDialog:
        self.dialog = VisitDialog(self.ctx, self, plan=plan)
        self.dialog.open()
        return self.dialog

    def _on_record_plan_button_clicked(self, *_args) -> None:
        plan = self.selected_plan()
        if plan is None:
            QMessageBox.information(self, self.tr("登记回访"), self.tr("请先在列表中选中一项回访计划。"))
            return
        if plan.status != "planned":
            QMessageBox.information(self, self.tr("登记回访"), self.tr("这项计划%1，不需要再登记。").replace("%1", plan.state_label))
            return
        self.open_dialog(plan)

    def _on_new_visit_button_clicked(self) -> None:
        self.open_dialog(None)

    def _show_pdf(self, result, *, document: str, subject_id=None, name: str, issue=None) -> None:
        from gui.dialogs.pdf_preview import PdfPreviewWindow

        self.preview = PdfPreviewWindow(self.ctx, result.data, document=document, title=result.title,
                                        subject_id=subject_id, cadre_id=result.cadre_id, suggested_name=name, parent=self,
                                        issue=issue, word=issue is not None, numbered=False)
        self.preview.show()

    def _on_print_button_clicked(self, *_args) -> None:
        row = self.selected_visit()
        if row is None:
            QMessageBox.information(self, self.tr("打印"), self.tr("请先在列表中选中一条回访记录。"))
            return
        from reports import visit_record

        try:
            with self.ctx.db.session() as s:
                result = visit_record.load_for_pdf(s, self.ctx.actor, row.id, self.ctx.today())
        except Exception as exc:  # noqa: BLE001 - a missing font names the character
            show_error(self, exc)
            return
        actor, today, visit_id = self.ctx.actor, self.ctx.today(), row.id
        self._show_pdf(result, document="visit", subject_id=row.id,
                       name=f"回访教育记录表_{row.cadre_name}_{row.visited_on.isoformat()}.pdf",
                       issue=lambda s, fmt: visit_record.load_for_pdf(s, actor, visit_id, today, fmt=fmt))  # 另存为Word

    def period(self) -> tuple[date, date]:
        """The period of the 回访记录 tab; ValidationError when a date cannot be read."""
        return self.from_edit.value(), self.to_edit.value()

    def _on_batch_button_clicked(self) -> None:
        from reports import visit_record

        date_from, date_to = self.period()
        ctx = self.ctx

        def work(progress):
            with ctx.db.session() as s:
                return visit_record.load_batch(s, ctx.actor, date_from, date_to, progress)

        def done(result):
            if result is not None:  # 另存为Word: the same records as one Word file
                self._show_pdf(result, document="visit_batch", name=f"回访教育记录表_{date_from}_{date_to}.pdf",
                               issue=lambda s, fmt: visit_record.load_batch(s, ctx.actor, date_from, date_to, fmt=fmt))

        run_with_progress(self, self.tr("正在生成回访教育记录表"), work, done, lambda exc: show_error(self, exc))

    def _on_export_button_clicked(self) -> None:
        date_from, date_to = self.period()
        path = file_dialogs.save_file_name(self, self.tr("导出回访教育登记表"),
                                           f"回访教育登记表_{date_from}_{date_to}.xlsx", self.tr("Excel 文件 (*.xlsx)"))
        if path:
            self.export_register(path)

    def export_register(self, path: str):
        from models.exchange import visit_register

        date_from, date_to = self.period()
        try:
            with self.ctx.db.session() as s:
                result = visit_register.export_register(s, self.ctx.actor, path, date_from, date_to)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return None
        QMessageBox.information(self, self.tr("已导出"), self.tr("已导出 %1 条回访记录到：\n%2")
                                .replace("%1", str(result.rows)).replace("%2", str(result.path)))
        return result

    def _on_withdraw_button_clicked(self) -> None:
        row = self.selected_visit()
        if row is None or row.withdrawn_at is not None:
            QMessageBox.information(self, self.tr("撤回"), self.tr("请先选中一条未撤回的回访记录。"))
            return
        reason, ok = QInputDialog.getText(self, self.tr("撤回回访记录"),
                                          self.tr("撤回 %1 %2 的回访记录。请写明理由：").replace("%1", row.cadre_name)
                                          .replace("%2", row.visited_on.isoformat()))
        if ok:
            self.withdraw(row, reason)

    def withdraw(self, row: visit_records.VisitRow, reason: str) -> bool:
        done = ops.run(self, self.ctx, lambda s: visit_records.withdraw_visit(
            s, self.ctx.actor, row.id, reason, row.version), changes=(Change.VISIT,), title=self.tr("无法撤回"),
            reload=self.refresh)
        return done is not ops.FAILED
