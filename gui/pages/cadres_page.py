"""干部 page: search as you type over every cadre, filters, SQL sorting, paged loading, export, new/edit/open."""
from __future__ import annotations

import importlib

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from gui import file_dialogs
from gui.widgets.cadre_models import CadreTableModel
from gui.widgets.list_keys import SearchBox, open_on_enter
from gui.errors import show_error
from gui.ops import Change
from models.services.cadres import search as cadre_search
from models.services import units as unit_service
from models.reference import codes


def _import_opener():
    """gui.dialogs.import_file.open_import_dialog when the exchange part is in this build, else None."""
    try:
        module = importlib.import_module("gui.dialogs.import_file")
    except ModuleNotFoundError:
        return None
    return getattr(module, "open_import_dialog", None)


def _export_function():
    """models.exchange.cadre_export.export_cadres_xlsx when the exchange part is in this build, else None."""
    try:
        module = importlib.import_module("models.exchange.cadre_export")
    except ModuleNotFoundError:
        return None
    return getattr(module, "export_cadres_xlsx", None)


class CadresPage(QWidget):
    """Attributes:
        model: the CadreTableModel of the list.
        last_opened: the CadreView opened last (tests look at it).
    """

    SEARCH_DELAY_MS = 150

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_opened = None
        self.last_export = None
        self._stale = True
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    # --- UI
    def _setup_ui(self) -> None:
        self.search_edit = SearchBox(self.tr("查找：姓名、拼音（如 zs）、身份证号的一部分或单位 （Ctrl+F；回车或↓到结果）"),
                                     delay_ms=self.SEARCH_DELAY_MS)
        self.search_edit.setObjectName("searchEdit")
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unitFilter")
        self.unit_combo.setMinimumWidth(180)
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("categoryFilter")
        self.rank_combo = QComboBox()
        self.rank_combo.setObjectName("rankFilter")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.impact_check = QCheckBox(self.tr("影响期内"))
        self.impact_check.setObjectName("impactFilter")
        self.impact_check.setToolTip(self.tr("只看今天仍在影响期内（影响期满之日在今天之后）的干部"))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.new_button = QPushButton(self.tr("新增干部"))
        self.new_button.setObjectName("newButton")
        self.edit_button = QPushButton(self.tr("修改"))
        self.edit_button.setObjectName("editButton")
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.setObjectName("openButton")
        self.import_button = QPushButton(self.tr("导入…"))
        self.import_button.setObjectName("importButton")
        self._import = _import_opener()
        self.import_button.setVisible(self._import is not None and self.ctx.actor.can("write"))
        self.export_button = QPushButton(self.tr("导出当前列表…"))
        self.export_button.setObjectName("exportButton")
        can_write = self.ctx.actor.can("write")
        self.new_button.setEnabled(can_write)
        self.edit_button.setEnabled(can_write)
        self._export = _export_function()
        self.export_button.setVisible(self._export is not None and self.ctx.actor.can("export"))

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for label, w in ((self.tr("单位"), self.unit_combo), (self.tr("身份类别"), self.category_combo),
                         (self.tr("职级"), self.rank_combo), (self.tr("状态"), self.status_combo)):
            filters.addWidget(QLabel(label))
            filters.addWidget(w, 1)
        filters.addWidget(self.impact_check)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for b in (self.open_button, self.edit_button, self.new_button, self.import_button, self.export_button):
            actions.addWidget(b)

        self.model = CadreTableModel(today=self.ctx.today())
        self.table = QTableView()
        self.table.setObjectName("cadreTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(CadreTableModel.COL_NAME, Qt.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        for col, width in ((0, 90), (1, 40), (2, 90), (3, 160), (4, 220), (5, 200), (6, 110), (7, 80), (8, 50)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self.search_edit.set_results(self.table)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._find = QShortcut(QKeySequence.Find, self)
        self._find.setContext(Qt.WidgetWithChildrenShortcut)
        self._fill_filters()

    def _fill_filters(self) -> None:
        with self.ctx.db.session() as s:
            units = unit_service.list_units(s)
            categories = codes.identity_categories(s)
            ranks = codes.all_ranks(s)
        keep = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem(self.tr("全部单位"), None)
        for u in units:
            self.unit_combo.addItem(u.full_name, u.id)  # the path tells the 13 区财政局 apart
        i = self.unit_combo.findData(keep)
        self.unit_combo.setCurrentIndex(max(i, 0))
        self.unit_combo.blockSignals(False)
        for combo, items, all_text in ((self.category_combo, categories, self.tr("全部")),
                                       (self.rank_combo, ranks, self.tr("全部")),
                                       (self.status_combo, list(codes.CADRE_STATUSES), self.tr("全部"))):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, None)
            for item in items:
                combo.addItem(item, item)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)

    def _connect_signals(self) -> None:
        self.search_edit.search.connect(lambda _t: self.run_search())
        self._count_timer.timeout.connect(self._on_count_timer_timeout)
        for combo in (self.unit_combo, self.category_combo, self.rank_combo, self.status_combo):
            combo.currentIndexChanged.connect(lambda _i: self.run_search())
        self.impact_check.toggled.connect(lambda _c: self.run_search())
        self._find.activated.connect(self._on_find_activated)
        self.table.doubleClicked.connect(lambda index: self.open_cadre(self.model.data(index, Qt.UserRole)))
        open_on_enter(self.table, lambda index: self.open_cadre(self.model.data(index, Qt.UserRole)))
        self.open_button.clicked.connect(lambda: self.open_cadre(self.current_cadre_id()))
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(lambda: self._import(self.ctx, self, "cadres"))
        self.ctx.data_changed.connect(self._on_data_changed)

    # --- search
    def current_filter(self) -> cadre_search.CadreFilter:
        return cadre_search.CadreFilter(
            text=self.search_edit.text(), unit_id=self.unit_combo.currentData(),
            identity_category=self.category_combo.currentData(), rank=self.rank_combo.currentData(),
            status=self.status_combo.currentData(), in_impact_period=self.impact_check.isChecked(),
            today=self.ctx.today(),
        )

    def _load_page(self, offset: int, limit: int, sort: str, descending: bool):
        flt = self._filter
        with self.ctx.db.session() as s:
            return cadre_search.search(s, self.ctx.actor, flt, sort=sort, descending=descending, offset=offset, limit=limit)

    def run_search(self) -> None:
        self._filter = self.current_filter()
        try:
            self.model.set_loader(self._load_page)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        if self.model.rowCount():
            self.table.selectRow(0)
        if not self.model.canFetchMore():  # all rows are loaded: no need to count in SQL
            self._show_count(self.model.rowCount())
        else:  # the first page shows first; the count follows
            self.count_label.setText(self.tr("正在统计人数…"))
            self._count_timer.start()

    def _on_count_timer_timeout(self) -> None:
        try:
            with self.ctx.db.session() as s:
                total = cadre_search.count(s, self.ctx.actor, self._filter)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._show_count(total)

    def _show_count(self, total: int) -> None:
        self._count_timer.stop()
        self.count_label.setText(self.tr("共 %1 人").replace("%1", f"{total:,}"))

    def refresh(self) -> None:
        self._fill_filters()
        self.model.today = self.ctx.today()
        self.run_search()
        self._stale = False

    # --- actions
    def current_cadre_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.data(self.model.index(index.row(), 0), Qt.UserRole)

    def open_cadre(self, cadre_id: int | None) -> None:
        if cadre_id is None:
            return
        from gui.pages.cadre_view import CadreView

        view = CadreView(self.ctx, cadre_id, self)
        view.setAttribute(Qt.WA_DeleteOnClose)
        self.last_opened = view
        view.show()

    def edit_cadre(self, cadre_id: int | None):
        from gui.dialogs.cadre import CadreDialog

        dialog = CadreDialog(self.ctx, cadre_id, self)
        dialog.open_cadre_requested.connect(self._on_dialog_open_cadre_requested)
        self.last_dialog = dialog
        return dialog

    def _on_dialog_open_cadre_requested(self, cadre_id: int) -> None:
        self.open_cadre(cadre_id)

    def _on_find_activated(self) -> None:
        self.search_edit.setFocus(Qt.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_new_button_clicked(self) -> None:
        dialog = self.edit_cadre(None)
        if dialog.exec() and dialog.saved_id:
            self.open_cadre(dialog.saved_id)

    def _on_edit_button_clicked(self) -> None:
        cadre_id = self.current_cadre_id()
        if cadre_id is None:
            QMessageBox.information(self, self.tr("提示"), self.tr("请先在列表中选中一位干部。"))
            return
        self.edit_cadre(cadre_id).exec()

    def _on_export_button_clicked(self) -> None:
        path = file_dialogs.save_file_name(self, self.tr("导出当前列表"), "干部名单.xlsx", "Excel (*.xlsx)")
        if not path:
            return
        from gui.worker import run_with_progress

        flt, actor, export = self._filter, self.ctx.actor, self._export

        def work(progress):
            with self.ctx.db.session() as s:
                return export(s, actor, flt, path, progress=progress)

        def done(result) -> None:
            self.last_export = result
            if result is not None:
                QMessageBox.information(self, self.tr("导出完成"), self.tr("已导出到：%1").replace("%1", path))

        self._progress = run_with_progress(self, self.tr("正在导出干部名单"), work, done)

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.CADRE, Change.UNIT, Change.HANDLING, Change.REVIEW, Change.IMPORT, Change.CODES):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()
