"""工作台 — the first page at start: counts as large tiles, each opening its list below; refreshed on every change.

Each list offers what fits it (LIST_ACTIONS): 录入期满考核 only on 期满待考核, 登记这次回访 on the visit lists, 登记回复
on overdue 函询, 办理 on clarifications, 办结 on tasks, 考察对象核查 where a promotion is the question; every list
opens the person (double-click, Enter or 打开) and exports the whole list to Excel. On an empty database the page
says what to do first, with the buttons to do it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.widgets.list_keys import open_on_enter
from gui.widgets.row_table_model import PagedRowTableModel
from gui.widgets.table_fit import fit_columns_once
from gui.errors import show_error
from gui.ops import Change
from models.services import dashboard

AUTO_WIDTH_MAX = 320  # px: the widest a name or unit column grows by itself at 1366×768
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
            return dashboard.count(s, self.ctx.actor, self.key, self.ctx.today())

    def fetch(self, offset: int, limit: int) -> list:
        if self.key is None:
            return []
        with self.ctx.db.session() as s:
            return dashboard.rows(s, self.ctx.actor, self.key, self.ctx.today(), limit, offset)


# list key (or its prefix) → the one action that fits that list, besides 打开 and 导出
LIST_ACTIONS = {
    "coming_off_": "check", "awaiting_assessment": "assess", "visits_due": "visit", "visits_overdue": "visit",
    "inquiries_overdue": "reply", "clarifications_waiting": "clarify", "recommended": "check", "tasks_open": "complete",
}


def action_for(key: str | None) -> str | None:
    if key is None:
        return None
    return LIST_ACTIONS.get(key) or next((a for k, a in LIST_ACTIONS.items() if k.endswith("_") and key.startswith(k)),
                                         None)


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
        self._on_ctx_notices_changed()
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
        self.notice_label = QLabel()
        self.notice_label.setObjectName("dashboardNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.PlainText)
        self.notice_label.setStyleSheet("background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bd; padding: 6px;")
        self.notice_label.hide()
        layout.addWidget(self.notice_label)
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(10)
        layout.addLayout(self.tile_grid)
        self.list_title = QLabel(self.tr("点击上方的数字查看名单。"))
        self.list_title.setObjectName("listTitle")
        self.list_title.setStyleSheet("font-size: 14px; margin-top: 8px;")
        layout.addWidget(self.list_title)
        self.start_box = self._getting_started()
        layout.addWidget(self.start_box)
        actions = QHBoxLayout()
        self.open_button = QPushButton(self.tr("打开干部"))
        self.open_button.setObjectName("dashboardOpenButton")
        self.assess_button = QPushButton(self.tr("录入期满考核…"))
        self.assess_button.setObjectName("assessButton")
        self.check_button = QPushButton(self.tr("考察对象核查"))
        self.check_button.setObjectName("dashboardCheckButton")
        self.visit_button = QPushButton(self.tr("登记这次回访…"))
        self.visit_button.setObjectName("dashboardVisitButton")
        self.reply_button = QPushButton(self.tr("登记函询回复…"))
        self.reply_button.setObjectName("dashboardReplyButton")
        self.clarify_button = QPushButton(self.tr("办理澄清正名…"))
        self.clarify_button.setObjectName("dashboardClarifyButton")
        self.complete_button = QPushButton(self.tr("标记办结…"))
        self.complete_button.setObjectName("completeTaskButton")
        self.export_button = QPushButton(self.tr("导出名单（Excel）…"))
        self.export_button.setObjectName("dashboardExportButton")
        self.action_buttons = {"assess": self.assess_button, "check": self.check_button, "visit": self.visit_button,
                               "reply": self.reply_button, "clarify": self.clarify_button,
                               "complete": self.complete_button}
        actions.addWidget(self.open_button)
        for b in self.action_buttons.values():
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        layout.addLayout(actions)
        self.model = DashTableModel(self.ctx, self)
        self.table = QTableView()
        self.table.setObjectName("dashboardTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(DashTableModel.COL_DETAIL, QHeaderView.Stretch)
        # unit labels such as "江岸区/区发展和改革局" were elided at the default 100 px: fitted to the first list shown,
        # and widened for a later list with longer ones (_widen_for_rows)
        fit_columns_once(self.table, (DashTableModel.COL_NAME, DashTableModel.COL_UNIT, DashTableModel.COL_DATE))
        self._user_sized = False  # the user dragged a column this session: their widths stay as they are
        self.table.horizontalHeader().sectionResized.connect(self._on_section_resized)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.ctx.data_changed.connect(self._on_data_changed)
        self.ctx.notices_changed.connect(self._on_ctx_notices_changed)
        self.roster_button.clicked.connect(self._on_roster_button_clicked)
        self.assess_button.clicked.connect(self._on_assess_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.complete_button.clicked.connect(self._on_complete_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.visit_button.clicked.connect(self._on_visit_button_clicked)
        self.reply_button.clicked.connect(self._on_reply_button_clicked)
        self.clarify_button.clicked.connect(self._on_clarify_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.table.doubleClicked.connect(lambda _i: self._on_open_button_clicked())
        open_on_enter(self.table, lambda _i: self._on_open_button_clicked())
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    def _on_ctx_notices_changed(self) -> None:
        """Notices the user must see (a failed automatic backup), above the tiles until resolved."""
        texts = list(self.ctx.notices.values())
        self.notice_label.setText("\n".join(texts))
        self.notice_label.setVisible(bool(texts))

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
        self._update_getting_started()
        self.today_label.setText(self.tr("今天是 %1").replace("%1", today.isoformat()))
        with self.ctx.db.session() as s:
            tiles = dashboard.tiles(s, self.ctx.actor, today)
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
        self._widen_for_rows()
        if key is None:
            self.list_title.setText(self.tr("点击上方的数字查看名单。"))
        else:
            self.list_title.setText(self.tr("%1：共 %2 人次").replace("%1", self.titles[key]).replace("%2", str(self.model.total)))
        self._update_buttons()

    def _widen_for_rows(self) -> None:
        """The name and unit columns grow to the rows on screen when a list's labels are longer than the widths
        fitted for the first one (a second list showed "市医疗保障局/计划财…"); never narrower, at most
        AUTO_WIDTH_MAX (情况 keeps the rest), and not once the user has dragged a column."""
        if self._user_sized or not self.table.isVisible() or not self.model.rowCount():
            return
        header = self.table.horizontalHeader()
        for col in (DashTableModel.COL_NAME, DashTableModel.COL_UNIT):
            want = min(self.table.sizeHintForColumn(col), AUTO_WIDTH_MAX)
            if want > header.sectionSize(col):
                header.resizeSection(col, want)

    def _on_section_resized(self, column: int, *_sizes) -> None:
        # a resize while a mouse button is down is the user's drag (or double-click) on the header; the program's
        # own fitting happens with no button pressed. 情况 stretches with the window, so dragging the window's edge
        # resizes it and says nothing of the user's column widths.
        if column != DashTableModel.COL_DETAIL and QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._user_sized = True

    def _on_data_changed(self, _entity: str) -> None:
        self.refresh()

    def _on_table_selection_changed(self, *_args) -> None:
        self._update_buttons()

    def _selected(self) -> dashboard.DashRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        row = self._selected()
        action = action_for(self.current_key)
        writes = {"assess": "write", "visit": "write", "reply": "handle_accusations", "clarify": "read",
                  "complete": "write", "check": "read"}
        for name, button in self.action_buttons.items():
            button.setVisible(name == action)
            button.setEnabled(name == action and row is not None and bool(row.cadre_id)
                              and self.ctx.actor.can(writes[name]))
        self.open_button.setVisible(self.current_key is not None)
        self.open_button.setEnabled(row is not None and bool(row.cadre_id))
        self.export_button.setVisible(self.current_key is not None)
        self.export_button.setEnabled(self.model.total > 0 and self.ctx.actor.can("export"))

    # ------------------------------------------------------------------ an empty database
    def _getting_started(self) -> QWidget:
        box = QGroupBox(self.tr("开始使用"))
        box.setObjectName("gettingStarted")
        v = QVBoxLayout(box)
        self.start_label = QLabel()
        self.start_label.setObjectName("gettingStartedText")
        self.start_label.setWordWrap(True)
        v.addWidget(self.start_label)
        row = QHBoxLayout()
        self.start_unit_button = QPushButton(self.tr("1. 建立单位…"))
        self.start_unit_button.setObjectName("startUnitButton")
        self.start_import_button = QPushButton(self.tr("2. 导入干部名单（Excel 台账、任免表）…"))
        self.start_import_button.setObjectName("startImportButton")
        self.start_cadre_button = QPushButton(self.tr("或：逐个新增干部…"))
        self.start_cadre_button.setObjectName("startCadreButton")
        for b in (self.start_unit_button, self.start_import_button, self.start_cadre_button):
            row.addWidget(b)
            b.setEnabled(self.ctx.actor.can("write"))
        row.addStretch(1)
        v.addLayout(row)
        self.start_unit_button.clicked.connect(self._on_start_unit_button_clicked)
        self.start_import_button.clicked.connect(self._on_start_import_button_clicked)
        self.start_cadre_button.clicked.connect(self._on_start_cadre_button_clicked)
        box.hide()
        return box

    def _update_getting_started(self) -> None:
        with self.ctx.db.session() as s:
            has_units, has_cadres = dashboard.getting_started(s)
        self.start_box.setVisible(not has_cadres)
        if has_cadres:
            return
        steps = [self.tr("数据库中还没有干部，工作台的各项名单都是空的。请先：")]
        steps.append(self.tr("① 建立单位（本区、各部门及下属单位；也可以在导入时按名单中的单位自动建立）")
                     + (self.tr("——已建立。") if has_units else "；"))
        steps.append(self.tr("② 导入已有的干部名单（Excel 台账或干部任免审批表 .lrmx），或逐个新增干部；"))
        steps.append(self.tr("③ 再导入或登记处理处分、表彰奖励，工作台就会列出即将影响期满、待考核、待回访的干部。"))
        if not self.ctx.actor.can("write"):
            steps.append(self.tr("（当前账号只能查阅，请由经办人或管理员录入。）"))
        self.start_label.setText("\n".join(steps))
        self.start_unit_button.setText(self.tr("1. 建立单位…") if not has_units else self.tr("1. 单位已建立，可再新增…"))

    def _on_start_unit_button_clicked(self) -> None:
        from gui.dialogs.unit import UnitDialog

        UnitDialog(self.ctx, "create", parent=self).exec()

    def _on_start_import_button_clicked(self) -> None:
        from gui.pages.cadres_page import _import_opener

        opener = _import_opener()
        if opener is None:
            QMessageBox.information(self, self.tr("导入"), self.tr("本版本不含导入功能。请逐个新增干部。"))
            return
        opener(self.ctx, self, "cadres")

    def _on_start_cadre_button_clicked(self) -> None:
        from gui.dialogs.cadre import CadreDialog

        CadreDialog(self.ctx, None, self).exec()

    # ------------------------------------------------------------------ actions
    def _open_cadre(self, cadre_id: int) -> None:
        from gui.pages.cadre_view import CadreView

        view = CadreView(self.ctx, cadre_id, self)
        view.setAttribute(Qt.WA_DeleteOnClose)
        self.last_opened = view
        view.show()

    def _on_open_button_clicked(self) -> None:
        row = self._selected()
        if row is not None and row.cadre_id:
            self._open_cadre(row.cadre_id)

    def _on_visit_button_clicked(self) -> None:
        row = self._selected()
        if row is None or row.ref_id is None:
            return
        from gui.dialogs.visit import VisitDialog
        from models.services.visits import plans as visit_plans

        with self.ctx.db.session() as s:
            plan = next((p for p in visit_plans.list_plans(s, self.ctx.actor, self.ctx.today(), "open", cadre_id=row.cadre_id,
                                                             limit=None) if p.id == row.ref_id), None)
        if plan is None:
            QMessageBox.information(self, self.tr("登记回访"), self.tr("这项回访计划已经办理或取消，请刷新。"))
            return
        self.last_dialog = VisitDialog(self.ctx, self, plan=plan)
        self.last_dialog.open()

    def _on_reply_button_clicked(self) -> None:
        row = self._selected()
        if row is None or row.ref_id is None:
            return
        from gui.dialogs.inquiry import ReplyDialog
        from models.services import inquiries as inq

        try:
            with self.ctx.db.session() as s:
                inquiry = inq.get_inquiry(s, self.ctx.actor, row.ref_id, self.ctx.today())
        except Exception as exc:  # noqa: BLE001 - withdrawn meanwhile: the message says so
            show_error(self, exc)
            return
        self.last_dialog = ReplyDialog(self.ctx, inquiry, self)
        self.last_dialog.exec()

    def _on_clarify_button_clicked(self) -> None:
        row = self._selected()
        if row is None or row.ref_id is None:
            return
        from gui.dialogs.clarification import ClarificationDialog

        self.last_dialog = ClarificationDialog(self.ctx, row.ref_id, self)
        self.last_dialog.exec()

    def _on_export_button_clicked(self) -> None:
        key = self.current_key
        if key is None:
            return
        from gui.file_dialogs import save_file_name
        from models.exchange import dashboard_export

        name = f"{self.titles.get(key, '名单')}_{self.ctx.today().isoformat()}.xlsx"
        path = save_file_name(self, self.tr("导出工作台名单"), name, self.tr("Excel 文件 (*.xlsx)"))
        if not path:
            return
        result = ops.run(self, self.ctx, lambda s: dashboard_export.export_list(s, self.ctx.actor, key,
                                                                               self.ctx.today(), path),
                         title=self.tr("无法导出"))
        if result is ops.FAILED:
            return
        self.last_export = result
        QMessageBox.information(self, self.tr("已导出"), self.tr("已导出 %1 行到：\n%2")
                                .replace("%1", str(result.rows)).replace("%2", str(result.path)))

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
            check = asv.promotion_check(s, self.ctx.actor, row.cadre_id, self.ctx.today())
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

        ops.run(self, self.ctx, lambda s: task_service.complete_task(
            s, self.ctx.actor, row.ref_id, self.ctx.today(), note, self.ctx.today()),
            changes=(Change.TASK,), title=self.tr("无法办结"), reload=self.refresh)
