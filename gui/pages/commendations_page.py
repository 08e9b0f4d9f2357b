"""表彰奖励 page: the commendations (add, edit, revoke, withdraw), the cadres to consider first for use, and
the share of grassroots cadres among each year's 百佳."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton, QTableView,
    QTabWidget, QVBoxLayout, QWidget,
)

from gui import ops
from gui.widgets.list_keys import SearchBox, open_on_enter
from gui.widgets.table_fit import fit_columns_once
from gui.widgets.row_table_model import PagedRowTableModel, RowsTableModel
from gui.dialogs.commendation import CommendationDialog, RevokeDialog
from gui.pages.cadres_page import _import_opener
from gui.ops import Change
from models.reference import codes
from models.services import commendations as cms


def _table(model, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    # column widths from the first rows only: measuring every loaded row cost 0.25 s per page of 200
    view.horizontalHeader().setResizeContentsPrecision(40)
    return view


class CommendationTableModel(PagedRowTableModel):
    """The records of the current filters, newest first, paged from SQL (`list_commendations` /
    `count_commendations`); `filters` are the keyword arguments of both."""

    def __init__(self, ctx, columns, parent=None, **kwargs):
        super().__init__(columns, parent, **kwargs)
        self.ctx = ctx
        self.filters: dict = {}

    def load(self, **filters) -> None:
        self.filters = filters
        self.reload()

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return cms.list_commendations(s, self.ctx.actor, offset=offset, limit=limit, **self.filters)

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return cms.count_commendations(s, self.ctx.actor, **self.filters)


class PriorityTableModel(PagedRowTableModel):
    """Cadres to consider first for use today, in the list's order, paged from SQL (`priority_for_use` /
    `count_priority`)."""

    def __init__(self, ctx, columns, parent=None, **kwargs):
        super().__init__(columns, parent, **kwargs)
        self.ctx = ctx

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return cms.priority_for_use(s, self.ctx.actor, today=self.ctx.today(), offset=offset, limit=limit)

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return cms.count_priority(s, self.ctx.actor, today=self.ctx.today())


class CommendationsPage(QWidget):
    """The records tab loads on refresh; the other two tabs load when they are shown (and again after a change
    only when shown), so that opening the page reads one page of records and two counts."""

    TAB_RECORDS, TAB_PRIORITY, TAB_SHARE = range(3)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_dialog = None
        self._stale: set[int] = set()
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("commendationTabs")
        # --- the records
        records = QWidget()
        self.search_edit = SearchBox(self.tr("查找：姓名、拼音（如 zs）、身份证号的一部分或单位"))
        self.search_edit.setObjectName("commendationSearch")
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("yearFilter")
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindFilter")
        self.revoked_check = QCheckBox(self.tr("含已撤销的奖励"))
        self.revoked_check.setObjectName("revokedFilter")
        self.revoked_check.setChecked(True)
        self.add_button = QPushButton(self.tr("登记奖励…"))
        self.add_button.setObjectName("addButton")
        self.edit_button = QPushButton(self.tr("修改…"))
        self.edit_button.setObjectName("editButton")
        self.revoke_button = QPushButton(self.tr("撤销奖励…"))
        self.revoke_button.setObjectName("revokeButton")
        self.withdraw_button = QPushButton(self.tr("撤回（录入错误）…"))
        self.withdraw_button.setObjectName("withdrawButton")
        self.import_button = QPushButton(self.tr("导入…"))
        self.import_button.setObjectName("importButton")
        self._import = _import_opener()
        self.import_button.setVisible(self._import is not None)
        for b in (self.add_button, self.edit_button, self.revoke_button, self.withdraw_button, self.import_button):
            b.setEnabled(self.ctx.actor.can("write"))
        self.model = CommendationTableModel(self.ctx, [
            ("奖励日期", lambda r: r.awarded_on), ("姓名", lambda r: r.cadre_name), ("工作单位", lambda r: r.unit_name),
            ("种类", lambda r: r.kind), ("称号", lambda r: r.honour), ("奖励机关", lambda r: r.organ),
            ("文号", lambda r: r.doc_number), ("急难险重", lambda r: r.urgent_task), ("双胜利", lambda r: r.double_victory),
            ("撤销", lambda r: f"{r.revoked_on.isoformat()}已撤销" if r.revoked_on else ""),
        ], muted=lambda r: r.revoked_on is not None)
        self.table = _table(self.model, "commendationTable")
        self.search_edit.set_results(self.table)
        fit_columns_once(self.table)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(QLabel(self.tr("年度")))
        bar.addWidget(self.year_combo)
        bar.addWidget(QLabel(self.tr("种类")))
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.revoked_check)
        actions = QHBoxLayout()  # the buttons on their own row: the search field keeps room for its hint
        for b in (self.add_button, self.edit_button, self.revoke_button, self.withdraw_button, self.import_button):
            actions.addWidget(b)
        actions.addStretch(1)
        box = QVBoxLayout(records)
        box.addLayout(bar)
        box.addLayout(actions)
        box.addWidget(self.count_label)
        box.addWidget(self.table, 1)
        self.tabs.addTab(records, self.tr("奖励记录"))
        # --- consider first for use
        priority = QWidget()
        self.priority_model = PriorityTableModel(self.ctx, [
            ("姓名", lambda r: r.name), ("工作单位", lambda r: r.unit_name), ("现任职务", lambda r: r.current_post),
            ("职级", lambda r: r.rank), ("奖励次数", lambda r: r.commendations), ("最近一次", lambda r: r.latest_on),
            ("急难险重", lambda r: r.urgent_task), ("双胜利", lambda r: r.double_victory),
            ("基层", lambda r: r.is_grassroots),
        ], id_getter=lambda r: r.cadre_id)
        self.priority_table = _table(self.priority_model, "priorityTable")
        fit_columns_once(self.priority_table)
        self.priority_label = QLabel()
        self.priority_label.setObjectName("priorityLabel")
        self.priority_label.setWordWrap(True)
        pbox = QVBoxLayout(priority)
        pbox.addWidget(self.priority_label)
        pbox.addWidget(self.priority_table, 1)
        self.tabs.addTab(priority, self.tr("优先使用人选"))
        # --- grassroots share
        share = QWidget()
        self.share_model = RowsTableModel([
            ("年度", lambda r: r.year), ("获评人数", lambda r: r.total), ("其中基层干部", lambda r: r.grassroots),
            ("基层占比", lambda r: f"{r.share * 100:.1f}%"),
        ], id_getter=lambda r: r.year)
        self.share_table = _table(self.share_model, "shareTable")
        self.share_label = QLabel(self.tr("“百佳公务员”中基层干部的比例（干部本人或所在单位标为基层）。"))
        self.share_label.setWordWrap(True)
        sbox = QVBoxLayout(share)
        sbox.addWidget(self.share_label)
        sbox.addWidget(self.share_table, 1)
        self.tabs.addTab(share, self.tr("百佳基层占比"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def _connect_signals(self) -> None:
        self.year_combo.currentIndexChanged.connect(lambda _i: self.load_records())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self.load_records())
        self.revoked_check.toggled.connect(lambda _c: self.load_records())
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.import_button.clicked.connect(lambda: self._import(self.ctx, self, "commendations"))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.table.doubleClicked.connect(lambda _i: self._on_edit_button_clicked())
        open_on_enter(self.table, lambda _i: self._on_edit_button_clicked())
        open_on_enter(self.priority_table, self._on_priority_table_double_clicked)
        self.search_edit.search.connect(lambda _t: self.load_records())
        self.revoke_button.clicked.connect(self._on_revoke_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.priority_table.doubleClicked.connect(self._on_priority_table_double_clicked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.ctx.data_changed.connect(self._on_data_changed)

    # --- loading
    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            kinds = codes.commendation_kinds(s)
        today = self.ctx.today()
        for combo, items in ((self.year_combo, [str(y) for y in range(today.year, today.year - 30, -1)]),
                             (self.kind_combo, kinds)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("全部"), None)
            for item in items:
                combo.addItem(item, item)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)
        self.load_records()
        self._stale = {self.TAB_PRIORITY, self.TAB_SHARE}
        self._load_current_tab()

    def _load_current_tab(self) -> None:
        index = self.tabs.currentIndex()
        if index not in self._stale:
            return
        self._stale.discard(index)
        if index == self.TAB_PRIORITY:
            self.load_priority()
        elif index == self.TAB_SHARE:
            self.load_share()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._load_current_tab()

    def load_records(self) -> None:
        year = self.year_combo.currentData()
        self.model.load(year=int(year) if year else None, kind=self.kind_combo.currentData(),
                        include_revoked=self.revoked_check.isChecked(), text=self.search_edit.text())
        self.count_label.setText(self.tr("共 %1 条").replace("%1", str(self.model.total)))

    def load_priority(self) -> None:
        self.priority_model.reload()
        self.priority_label.setText(self.tr(
            "受过表彰奖励（未撤销）、今天不在“不得提拔”等影响期内的在职干部，共 %1 人；"
            "急难险重任务、“双胜利”中表现突出的排在前面。双击打开干部。").replace("%1", str(self.priority_model.total)))

    def load_share(self) -> None:
        with self.ctx.db.session() as s:
            self.share_model.set_rows(cms.grassroots_share(s, self.ctx.actor))

    # --- actions
    def current_row(self):
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _need_row(self):
        row = self.current_row()
        if row is None:
            QMessageBox.information(self, self.tr("提示"), self.tr("请先在列表中选中一条奖励记录。"))
        return row

    def _on_add_button_clicked(self) -> None:
        self.last_dialog = CommendationDialog(self.ctx, None, self)
        self.last_dialog.exec()

    def _on_edit_button_clicked(self) -> None:
        row = self._need_row()
        if row is not None:
            self.last_dialog = CommendationDialog(self.ctx, row.id, self)
            self.last_dialog.exec()

    def _on_revoke_button_clicked(self) -> None:
        row = self._need_row()
        if row is None:
            return
        if row.revoked_on:
            QMessageBox.information(self, self.tr("提示"), self.tr("这项奖励已经撤销过了。"))
            return
        self.last_dialog = RevokeDialog(self.ctx, row.id, parent=self)
        self.last_dialog.exec()

    def _on_withdraw_button_clicked(self) -> None:
        row = self._need_row()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("撤回奖励记录"),
                                          self.tr("撤回用于录入错误的记录（记录仍保留，管理员可查）。请写明原因："))
        if not ok:
            return
        ops.run(self, self.ctx, lambda s: cms.withdraw_commendation(s, self.ctx.actor, row.id, reason),
                changes=(Change.COMMENDATION,), title=self.tr("无法撤回"))

    def _on_priority_table_double_clicked(self, index) -> None:
        cadre_id = self.priority_model.data(self.priority_model.index(index.row(), 0), Qt.UserRole)
        from gui.pages.cadre_view import CadreView

        view = CadreView(self.ctx, cadre_id, self)
        view.setAttribute(Qt.WA_DeleteOnClose)
        self.last_dialog = view
        view.show()

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.COMMENDATION, Change.CADRE, Change.HANDLING, Change.REVIEW, Change.CODES, Change.IMPORT, Change.SETTINGS):
            self.refresh()
