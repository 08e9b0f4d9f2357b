"""举报与函询: the accusations list (new, edit, 函询 with its guard, outcome, withdraw) and the 函询 list with due
dates (record the reply). The reporter column shows the reporter only to roles that handle accusations."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QInputDialog, QLabel, QPushButton, QTableView, QTabWidget, QVBoxLayout,
    QWidget,
)

from gui import ops
from gui.dialogs.accusation import AccusationDialog, OutcomeDialog
from gui.widgets.list_keys import SearchBox, open_on_enter
from gui.widgets.table_fit import fit_columns_once
from gui.widgets.row_table_model import PagedRowTableModel
from gui.context import AppContext
from gui.errors import show_error
from gui.dialogs.inquiry import InquiryDialog, ReplyDialog
from gui.ops import Change
from models.services import accusations as acc
from models.services import inquiries as inq
from models.core.errors import AppError

FIT_ROWS = 0  # fit the column widths to the rows on screen only (every cell read costs ~20 µs of Python)


class AccusationTableModel(PagedRowTableModel):
    """The accusations, newest first, paged from the database (canFetchMore/fetchMore); `text` filters in SQL."""

    COL_ID, COL_RECEIVED, COL_SUBJECTS, COL_CATEGORY, COL_SUMMARY, COL_REPORTER, COL_SPECIFIC, COL_DISPOSAL, \
        COL_OUTCOME = range(9)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__([
            ("编号", lambda r: r.id), ("收到日期", lambda r: r.received_on), ("被反映人", lambda r: r.subject_names),
            ("问题类别", lambda r: r.category), ("内容摘要", lambda r: r.summary[:40] + ("…" if len(r.summary) > 40 else "")),
            ("举报人", lambda r: r.reporter_display),
            ("具体可查", lambda r: "是" if r.is_specific and r.is_verifiable else "否"),
            ("处置方式", lambda r: r.disposal or ""), ("核查结论", lambda r: r.outcome or ""),
        ], parent, muted=lambda r: r.withdrawn)
        self.ctx = ctx
        self.text = ""

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return acc.count_accusations(s, self.ctx.actor, text=self.text)

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return acc.list_accusations(s, self.ctx.actor, text=self.text, limit=limit, offset=offset)


class InquiryTableModel(PagedRowTableModel):
    """The 函询, unanswered first, paged from the database; `only_open` filters in SQL."""

    COL_ID, COL_CADRE, COL_UNIT, COL_CATEGORY, COL_SENT, COL_DUE, COL_STATE, COL_OUTCOME, COL_OVERRIDE = range(9)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__([
            ("编号", lambda r: r.id), ("函询对象", lambda r: r.cadre_name), ("单位", lambda r: r.unit_name or ""),
            ("问题类别", lambda r: r.category), ("发函日期", lambda r: r.sent_on), ("回复期限", lambda r: r.due_on),
            ("状态", lambda r: r.state), ("办理结果", lambda r: r.outcome or ""),
            ("检查未通过仍函询", lambda r: "是" if r.overridden else ""),
        ], parent)
        self.ctx = ctx
        self.only_open = False

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return inq.count_inquiries(s, self.ctx.actor, only_open=self.only_open)

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return inq.list_inquiries(s, self.ctx.actor, self.ctx.today(), only_open=self.only_open, limit=limit,
                                      offset=offset)


def _table(model, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectRows)
    view.setSelectionMode(QTableView.SingleSelection)
    view.setEditTriggers(QTableView.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)  # rows read to fit a column
    return view


class AccusationsPage(QWidget):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        writer = self.ctx.actor.can("handle_accusations")
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("accusationTabs")
        # --- 举报
        acc_tab = QWidget()
        v = QVBoxLayout(acc_tab)
        bar = QHBoxLayout()
        self.search_edit = SearchBox(self.tr("按被反映人、类别或内容查找（回车或↓到结果）"))
        self.search_edit.setObjectName("accusationSearch")
        bar.addWidget(self.search_edit, 1)
        self.new_button = QPushButton(self.tr("登记举报"))
        self.new_button.setObjectName("newAccusationButton")
        self.edit_button = QPushButton(self.tr("查看/修改"))
        self.edit_button.setObjectName("editAccusationButton")
        self.inquiry_button = QPushButton(self.tr("登记函询…"))
        self.inquiry_button.setObjectName("inquiryButton")
        self.outcome_button = QPushButton(self.tr("登记核查结论"))
        self.outcome_button.setObjectName("outcomeButton")
        self.withdraw_button = QPushButton(self.tr("撤回"))
        self.withdraw_button.setObjectName("withdrawAccusationButton")
        for b in (self.new_button, self.edit_button, self.inquiry_button, self.outcome_button, self.withdraw_button):
            bar.addWidget(b)
        for b in (self.new_button, self.inquiry_button, self.outcome_button, self.withdraw_button):
            b.setEnabled(writer)
        v.addLayout(bar)
        self.accusation_model = AccusationTableModel(self.ctx, self)
        self.accusation_table = _table(self.accusation_model, "accusationTable")
        fit_columns_once(self.accusation_table)
        self.search_edit.set_results(self.accusation_table)
        v.addWidget(self.accusation_table)
        self.tabs.addTab(acc_tab, self.tr("举报"))
        # --- 函询
        inq_tab = QWidget()
        v2 = QVBoxLayout(inq_tab)
        bar2 = QHBoxLayout()
        self.open_only_check = QCheckBox(self.tr("只看未回复"))
        self.open_only_check.setObjectName("openOnlyCheck")
        self.reply_button = QPushButton(self.tr("登记回复"))
        self.reply_button.setObjectName("replyButton")
        self.reply_button.setEnabled(writer)
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdueLabel")
        bar2.addWidget(self.open_only_check)
        bar2.addWidget(self.overdue_label, 1)
        bar2.addWidget(self.reply_button)
        v2.addLayout(bar2)
        self.inquiry_model = InquiryTableModel(self.ctx, self)
        self.inquiry_table = _table(self.inquiry_model, "inquiryTable")
        fit_columns_once(self.inquiry_table)
        v2.addWidget(self.inquiry_table)
        self.tabs.addTab(inq_tab, self.tr("函询"))
        layout.addWidget(self.tabs)

    def _connect_signals(self) -> None:
        self.search_edit.search.connect(self._on_search_edit_text_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.accusation_table.doubleClicked.connect(lambda _i: self._on_edit_button_clicked())
        open_on_enter(self.accusation_table, lambda _i: self._on_edit_button_clicked())
        open_on_enter(self.inquiry_table, lambda _i: self._on_reply_button_clicked())
        self.inquiry_button.clicked.connect(self._on_inquiry_button_clicked)
        self.outcome_button.clicked.connect(self._on_outcome_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.open_only_check.toggled.connect(self._on_open_only_check_toggled)
        self.reply_button.clicked.connect(self._on_reply_button_clicked)
        self.inquiry_table.doubleClicked.connect(lambda _i: self._on_reply_button_clicked())
        self.ctx.data_changed.connect(self._on_data_changed)

    def refresh(self) -> None:
        """Both lists from their first page, and the count of overdue replies."""
        if self._load_accusations():  # one error message, not two
            self._load_inquiries()

    def _load_accusations(self) -> bool:
        self.accusation_model.text = self.search_edit.text()
        try:
            self.accusation_model.reload()
        except AppError as exc:
            show_error(self, exc)
            return False
        return True

    def _load_inquiries(self) -> bool:
        self.inquiry_model.only_open = self.open_only_check.isChecked()
        try:
            self.inquiry_model.reload()
            with self.ctx.db.session() as s:
                overdue = inq.count_overdue(s, self.ctx.actor, self.ctx.today())
        except AppError as exc:
            show_error(self, exc)
            return False
        self.overdue_label.setText(self.tr("逾期未回复：%1件").replace("%1", str(overdue)) if overdue else "")
        return True

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._load_accusations()

    def _on_open_only_check_toggled(self, _checked: bool) -> None:
        self._load_inquiries()

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.ACCUSATION, Change.INQUIRY, Change.CADRE, Change.CLARIFICATION):
            self.refresh()

    def selected_accusation(self) -> acc.AccusationRow | None:
        rows = self.accusation_table.selectionModel().selectedRows()
        return self.accusation_model.row_at(rows[0].row()) if rows else None

    def selected_inquiry(self) -> inq.InquiryRow | None:
        rows = self.inquiry_table.selectionModel().selectedRows()
        return self.inquiry_model.row_at(rows[0].row()) if rows else None

    def _need(self, row, what: str):
        if row is None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.information(self, self.tr("提示"), self.tr("请先在列表中选择%1。").replace("%1", what))
        return row

    def _on_new_button_clicked(self) -> None:
        AccusationDialog(self.ctx, None, self).exec()

    def _on_edit_button_clicked(self) -> None:
        row = self._need(self.selected_accusation(), self.tr("一条举报"))
        if row is not None:
            AccusationDialog(self.ctx, row.id, self).exec()

    def _on_inquiry_button_clicked(self) -> None:
        row = self._need(self.selected_accusation(), self.tr("一条举报"))
        if row is not None:
            InquiryDialog(self.ctx, row, self).exec()

    def _on_outcome_button_clicked(self) -> None:
        row = self._need(self.selected_accusation(), self.tr("一条举报"))
        if row is not None:
            OutcomeDialog(self.ctx, row, self).exec()

    def _on_withdraw_button_clicked(self) -> None:
        row = self._need(self.selected_accusation(), self.tr("一条举报"))
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("撤回举报"), self.tr("撤回原因（必填）："))
        if not ok:
            return
        ops.run(self, self.ctx, lambda s: acc.withdraw_accusation(s, self.ctx.actor, row.id, reason),
                changes=(Change.ACCUSATION,), title=self.tr("无法撤回"))

    def _on_reply_button_clicked(self) -> None:
        row = self._need(self.selected_inquiry(), self.tr("一件函询"))
        if row is not None:
            ReplyDialog(self.ctx, row, self).exec()
