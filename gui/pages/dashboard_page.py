"""工作台 — the first page at start: counts as large tiles, each opening its list below; refreshed on every change."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from gui.context import AppContext
from gui.widgets.row_table_model import PagedRowTableModel
from gui.errors import show_error
from gui.ops import Change
from models.services import dashboard

TILE_STYLE = (
    "QPushButton {font-size: 13px; padding: 10px; border: 1px solid #c8ccd4; border-radius: 6px; background: #f7f8fa;"
    " text-align: center;} QPushButton:checked {background: #dde8f7; border: 2px solid #3a6fb0;}"
)


class DashTile(QPushButton):
    """A large clickable tile: the count big, the title below. text() gives "<count>\n<title>"."""

    def __init__(self, key: str, parent=None):
        super().__init__(parent)
        self.key = key
        self.setCheckable(True)
        self.setMinimumSize(150, 84)
        self.setStyleSheet(TILE_STYLE)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.setSpacing(0)
        self.count_label = QLabel("0")
        self.count_label.setObjectName(f"tileCount_{key}")
        self.count_label.setAlignment(Qt.AlignCenter)
        self.count_label.setStyleSheet("font-size: 26px; font-weight: bold; color: #1f4e8c; background: transparent;")
        self.title_label = QLabel()
        self.title_label.setAlignment(Qt.AlignCenter)
        self.title_label.setStyleSheet("font-size: 13px; background: transparent;")
        for label in (self.count_label, self.title_label):
            label.setAttribute(Qt.WA_TransparentForMouseEvents)
            box.addWidget(label)

    def set_values(self, count: int, title: str) -> None:
        self.count_label.setText(str(count))
        self.title_label.setText(title)
        self.count_label.setStyleSheet(
            "font-size: 26px; font-weight: bold; background: transparent; color: "
            + ("#1f4e8c;" if count else "#9aa3ad;"))

    def text(self) -> str:  # noqa: D401 - the tile's visible text, as one string
        return f"{self.count_label.text()}\n{self.title_label.text()}"


class DashTableModel(PagedRowTableModel):
    COL_NAME, COL_UNIT, COL_DATE, COL_DETAIL = range(4)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__([("姓名", lambda r: r.name), ("单位", lambda r: r.unit_name), ("日期", lambda r: r.when),
                          ("情况", lambda r: r.detail)], parent)
        self.ctx = ctx
        self.key: str | None = None

    def load(self, key: str | None) -> None:
        self.key = key
        if key is None:
            self.set_page([], 0)
            return
        self.reload()

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return dashboard.count(s, self.key, self.ctx.today())

    def fetch(self, offset: int, limit: int) -> list:
        if self.key is None:
            return []
        with self.ctx.db.session() as s:
            return dashboard.rows(s, self.key, self.ctx.today(), limit, offset)


class DashboardPage(QWidget):
    """Attributes:
        tiles: list key → DashTile (object name "tile_<key>"), text() "<count>\\n<title>".
    """

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.tiles: dict[str, QPushButton] = {}
        self.counts: dict[str, int] = {}
        self.current_key: str | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.today_label = QLabel()
        self.today_label.setObjectName("todayLabel")
        self.today_label.setStyleSheet("font-size: 15px; font-weight: bold;")
        head.addWidget(self.today_label)
        head.addStretch(1)
        self.roster_button = QPushButton(self.tr("影响期满名单…"))
        self.roster_button.setObjectName("rosterButton")
        head.addWidget(self.roster_button)
        layout.addLayout(head)
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(10)
        layout.addLayout(self.tile_grid)
        self.list_title = QLabel(self.tr("点击上方的数字查看名单。"))
        self.list_title.setObjectName("listTitle")
        self.list_title.setStyleSheet("font-size: 14px; margin-top: 8px;")
        layout.addWidget(self.list_title)
        actions = QHBoxLayout()
        self.assess_button = QPushButton(self.tr("录入期满考核…"))
        self.assess_button.setObjectName("assessButton")
        self.check_button = QPushButton(self.tr("考察对象核查"))
        self.check_button.setObjectName("dashboardCheckButton")
        actions.addWidget(self.assess_button)
        actions.addWidget(self.check_button)
        self.complete_button = QPushButton(self.tr("标记办结…"))
        self.complete_button.setObjectName("completeTaskButton")
        actions.addWidget(self.complete_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.model = DashTableModel(self.ctx, self)
        self.table = QTableView()
        self.table.setObjectName("dashboardTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(DashTableModel.COL_DETAIL, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.ctx.data_changed.connect(self._on_data_changed)
        self.roster_button.clicked.connect(self._on_roster_button_clicked)
        self.assess_button.clicked.connect(self._on_assess_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.complete_button.clicked.connect(self._on_complete_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    # ------------------------------------------------------------------ data
    def _build_tiles(self, tiles) -> None:
        keys = [t.key for t in tiles]
        if keys == list(self.tiles):
            return
        for button in self.tiles.values():
            self.tile_grid.removeWidget(button)
            button.deleteLater()
        self.tiles = {}
        for n, t in enumerate(tiles):
            button = DashTile(t.key)
            button.setObjectName(f"tile_{t.key}")
            button.setToolTip(self.tr(t.hint))
            button.clicked.connect(lambda _=False, k=t.key: self.open_list(k))
            self.tile_grid.addWidget(button, n // 5, n % 5)
            self.tiles[t.key] = button

    def refresh(self) -> None:
        today = self.ctx.today()
        self.today_label.setText(self.tr("今天是 %1").replace("%1", today.isoformat()))
        with self.ctx.db.session() as s:
            tiles = dashboard.tiles(s, today)
        self._build_tiles(tiles)
        self.titles = {t.key: t.title for t in tiles}
        for t in tiles:
            self.counts[t.key] = t.count
            self.tiles[t.key].set_values(t.count, self.tr(t.title))
        if self.current_key is not None and self.current_key not in self.tiles:
            self.current_key = None
        self.open_list(self.current_key)

    def open_list(self, key: str | None) -> None:
        self.current_key = key
        for k, b in self.tiles.items():
            b.setChecked(k == key)
        self.model.load(key)
        if key is None:
            self.list_title.setText(self.tr("点击上方的数字查看名单。"))
        else:
            self.list_title.setText(self.tr("%1：共 %2 人次").replace("%1", self.titles[key]).replace("%2", str(self.model.total)))
        self._update_buttons()

    def _on_data_changed(self, _entity: str) -> None:
        self.refresh()

    def _on_table_selection_changed(self, *_args) -> None:
        self._update_buttons()

    def _selected(self) -> dashboard.DashRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        selected = self._selected() is not None
        is_task = self.current_key == "tasks_open"
        self.assess_button.setEnabled(selected and not is_task and self.ctx.actor.can("write"))
        self.check_button.setEnabled(selected and bool(self._selected() and self._selected().cadre_id))
        self.complete_button.setVisible(is_task)
        self.complete_button.setEnabled(is_task and selected and self.ctx.actor.can("write"))

    # ------------------------------------------------------------------ actions
    def _on_roster_button_clicked(self) -> None:
        from gui.dialogs.roster import RosterDialog

        RosterDialog(self.ctx, self).exec()

    def _on_assess_button_clicked(self) -> None:
        row = self._selected()
        if row is None:
            return
        from gui.dialogs.assessment import AssessmentDialog

        AssessmentDialog(self.ctx, parent=self, cadre_id=row.cadre_id).exec()

    def _on_check_button_clicked(self) -> None:
        row = self._selected()
        if row is None:
            return
        from models.services import assessments as asv# here, not at start-up (the rules engine comes with it)

        with self.ctx.db.session() as s:
            check = asv.promotion_check(s, row.cadre_id, self.ctx.today())
        QMessageBox.information(self, self.tr("考察对象核查"), check.message)

    def _on_complete_button_clicked(self) -> None:
        row = self._selected()
        if row is None or row.ref_id is None:
            return
        note, ok = QInputDialog.getMultiLineText(
            self, self.tr("标记办结"), self.tr("%1\n\n请写明办理情况（如在原宣布范围内以何种方式恢复名誉）：").replace("%1", row.detail))
        if not ok:
            return
        from models.services import tasks as task_service

        try:
            with self.ctx.db.session() as s:
                task_service.complete_task(s, self.ctx.actor, row.ref_id, self.ctx.today(), note, self.ctx.today())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法办结"))
            return
        self.ctx.notify(Change.TASK)
