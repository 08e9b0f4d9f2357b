"""处理处分: the register with filters; new / edit / review / override / withdraw; restrictions of the selection."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox,
    QPushButton, QSplitter, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.widgets.list_keys import SearchBox, open_on_enter
from gui.widgets.row_table_model import PagedRowTableModel
from gui.dialogs.handling import HandlingDialog, RestrictionTable
from gui.dialogs.override import OverrideDialog
from gui.dialogs.review import ReviewDialog
from gui.ops import Change
from models.services import assessments as asv
from models.services.handling import register as handling_register



class HandlingTableModel(PagedRowTableModel):
    """The register, paged from the database (canFetchMore/fetchMore)."""

    COL_NAME, COL_UNIT, COL_KIND, COL_EFFECTIVE, COL_OFF, COL_STATUS, COL_DOC = range(7)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__([
            ("姓名", lambda r: r.cadre_name), ("单位", lambda r: r.unit_name), ("处理处分", lambda r: r.label),
            ("生效日期", lambda r: r.effective_on), ("影响期满日", lambda r: r.off_date or "—"),
            ("状态", lambda r: r.status_label + ("（已撤回）" if r.withdrawn else "")), ("文号", lambda r: r.doc_number),
        ], parent, muted=lambda r: r.withdrawn or r.status in ("revoked", "not_executed", "superseded"))
        self.ctx = ctx
        self.filter = handling_register.HandlingFilter()

    def reload(self, flt: handling_register.HandlingFilter | None = None) -> None:
        if flt is not None:
            self.filter = flt
        super().reload()

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return handling_register.count_handlings(s, self.ctx.actor, self.filter)

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return handling_register.list_handlings(s, self.ctx.actor, self.filter, limit=limit, offset=offset)


class HandlingPage(QWidget):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail: handling_register.HandlingDetail | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    # ------------------------------------------------------------------ ui
    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search_edit = SearchBox(self.tr("查找：姓名、拼音首字母、身份证号或文号（回车或↓到结果）"))
        self.search_edit.setObjectName("handlingSearch")
        self.regime_filter = QComboBox()
        self.regime_filter.setObjectName("regimeFilter")
        self.regime_filter.addItem(self.tr("全部类别"), None)
        for code, label in handling_register.regime_choices():
            self.regime_filter.addItem(label, code)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("全部状态"), None)
        for code, label in handling_register.STATUS_LABELS.items():
            self.status_filter.addItem(label, code)
        self.withdrawn_check = QCheckBox(self.tr("含已撤回"))
        self.withdrawn_check.setObjectName("withdrawnCheck")
        self.withdrawn_check.setVisible(self.ctx.actor.can("admin"))
        self.count_label = QLabel()
        self.count_label.setObjectName("handlingCount")
        bar.addWidget(self.search_edit, 2)
        bar.addWidget(self.regime_filter)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.withdrawn_check)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        buttons = QHBoxLayout()
        self.new_button = self._button("newHandlingButton", "登记处理处分…", buttons)
        self.edit_button = self._button("editHandlingButton", "修改…", buttons)
        self.review_button = self._button("reviewButton", "复审复核…", buttons)
        self.override_button = self._button("overrideButton", "修改截止日期…", buttons)
        self.withdraw_button = self._button("withdrawHandlingButton", "撤回…", buttons)
        self.check_button = self._button("promotionCheckButton", "考察对象核查", buttons)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        for b in (self.new_button, self.edit_button, self.review_button, self.override_button, self.withdraw_button):
            b.setEnabled(self.ctx.actor.can("write"))

        splitter = QSplitter(Qt.Vertical)
        self.model = HandlingTableModel(self.ctx, self)
        self.table = QTableView()
        self.table.setObjectName("handlingTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(HandlingTableModel.COL_KIND, QHeaderView.Stretch)
        splitter.addWidget(self.table)
        self.search_edit.set_results(self.table)

        box = QGroupBox(self.tr("所选记录"))
        v = QVBoxLayout(box)
        self.detail_label = QLabel(self.tr("在上面的列表中选择一条记录。"))
        self.detail_label.setObjectName("handlingDetail")
        self.detail_label.setWordWrap(True)
        v.addWidget(self.detail_label)
        self.restriction_table = RestrictionTable()
        self.restriction_table.setObjectName("restrictionTable")
        v.addWidget(self.restriction_table, 2)
        self.review_table = QTableWidget(0, 5)
        self.review_table.setObjectName("reviewTable")
        self.review_table.setHorizontalHeaderLabels(
            [self.tr("程序"), self.tr("决定日期"), self.tr("结果"), self.tr("文号"), self.tr("备注")])
        self.review_table.horizontalHeader().setStretchLastSection(True)
        self.review_table.verticalHeader().setVisible(False)
        self.review_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.review_table.setMaximumHeight(110)
        v.addWidget(self.review_table, 1)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

    def _button(self, name: str, text: str, layout) -> QPushButton:
        b = QPushButton(self.tr(text))
        b.setObjectName(name)
        layout.addWidget(b)
        return b

    def _connect_signals(self) -> None:
        self.search_edit.search.connect(self._on_filter_changed)
        self.regime_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.status_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.withdrawn_check.toggled.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.doubleClicked.connect(self._on_edit_button_clicked)
        open_on_enter(self.table, self._on_edit_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.review_button.clicked.connect(self._on_review_button_clicked)
        self.override_button.clicked.connect(self._on_override_button_clicked)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.restriction_table.itemSelectionChanged.connect(self._update_buttons)
        self.ctx.data_changed.connect(self._on_data_changed)

    # ------------------------------------------------------------------ data
    def current_filter(self) -> handling_register.HandlingFilter:
        return handling_register.HandlingFilter(
            text=self.search_edit.text(), regime=self.regime_filter.currentData(),
            status=self.status_filter.currentData(), include_withdrawn=self.withdrawn_check.isChecked(),
        )

    def refresh(self) -> None:
        keep = self.detail.id if self.detail else None
        self.model.reload(self.current_filter())
        self.count_label.setText(self.tr("共 %1 条").replace("%1", str(self.model.total)))
        self.detail = None
        if keep is not None:
            for i, r in enumerate(self.model.rows):
                if r.id == keep:
                    self.table.selectRow(i)
                    break
        self._show_detail()

    def select_handling(self, handling_id: int) -> None:
        for i, r in enumerate(self.model.rows):
            if r.id == handling_id:
                self.table.selectRow(i)
                return

    def _on_filter_changed(self, *_args) -> None:
        self.refresh()

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.HANDLING, Change.CADRE, Change.SETTINGS, Change.IMPORT):
            self.refresh()

    def _on_table_current_row_changed(self, current, _previous) -> None:
        row = self.model.row_at(current.row())
        if row is None:
            self.detail = None
        else:
            with self.ctx.db.session() as s:
                self.detail = handling_register.get_handling(s, self.ctx.actor, row.id)
        self._show_detail()

    def _show_detail(self) -> None:
        d = self.detail
        if d is None:
            self.detail_label.setText(self.tr("在上面的列表中选择一条记录。"))
            self.restriction_table.set_rows([])
            self.review_table.setRowCount(0)
        else:
            data = d.data
            parts = [f"{d.cadre_name}（{d.unit_name or '未填单位'}）：{d.regime_label}·{d.kind_label}",
                     f"生效 {data.effective_on.isoformat()}"]
            if data.doc_number:
                parts.append(data.doc_number)
            if data.organ:
                parts.append(data.organ)
            parts.append(f"状态：{d.status_label}")
            if d.withdrawn:
                parts.append(f"已撤回：{d.withdrawn_reason}")
            text = "，".join(parts) + "\n" + d.explanation
            if data.facts:
                text += "\n" + self.tr("事实摘要：") + data.facts
            self.detail_label.setText(text)
            self.restriction_table.set_rows(d.restrictions)
            self.review_table.setRowCount(len(d.reviews))
            for i, r in enumerate(d.reviews):
                outcome = r.outcome_label + (f"为{r.new_kind_label}" if r.new_kind_label else "")
                for col, value in enumerate([r.track, r.decided_on.isoformat(), outcome + ("（已撤回）" if r.withdrawn else ""),
                                             r.doc_number or "", r.note or ""]):
                    self.review_table.setItem(i, col, QTableWidgetItem(value))
        self._update_buttons()

    def _update_buttons(self) -> None:
        can_write = self.ctx.actor.can("write")
        live = self.detail is not None and not self.detail.withdrawn
        self.edit_button.setEnabled(can_write and live)
        self.review_button.setEnabled(can_write and live)
        self.withdraw_button.setEnabled(can_write and live)
        self.check_button.setEnabled(self.detail is not None)
        row = self.selected_restriction()
        self.override_button.setEnabled(can_write and live and row is not None and row.computed_last_day is not None)

    def selected_restriction(self) -> handling_register.RestrictionRow | None:
        rows = self.restriction_table.selectionModel().selectedRows() if self.restriction_table.selectionModel() else []
        if not rows:
            return None
        i = rows[0].row()
        return self.restriction_table.rows[i] if 0 <= i < len(self.restriction_table.rows) else None

    # ------------------------------------------------------------------ actions
    def _after_save(self, detail) -> None:
        if detail is not None:
            self.refresh()
            self.select_handling(detail.id)

    def _on_new_button_clicked(self) -> None:
        dialog = HandlingDialog(self.ctx, parent=self)
        if dialog.exec():
            self._after_save(dialog.saved)

    def _on_edit_button_clicked(self, *_args) -> None:
        if self.detail is None or self.detail.withdrawn or not self.ctx.actor.can("write"):
            return
        dialog = HandlingDialog(self.ctx, handling_id=self.detail.id, parent=self)
        if dialog.exec():
            self._after_save(dialog.saved)

    def _on_review_button_clicked(self) -> None:
        if self.detail is None:
            return
        dialog = ReviewDialog(self.ctx, self.detail.id, self)
        if dialog.exec():
            self._after_save(dialog.saved)
            if dialog.saved is not None and dialog.saved.status == "revoked":
                QMessageBox.information(self, self.tr("已撤销"), self.tr(
                    "原决定已撤销，记录保留但不再产生限制。已生成待办事项：在原宣布范围内恢复名誉。"))

    def _on_override_button_clicked(self) -> None:
        row = self.selected_restriction()
        if row is None:
            return
        dialog = OverrideDialog(self.ctx, row, self)
        if dialog.exec():
            self._after_save(dialog.saved)

    def _on_withdraw_button_clicked(self) -> None:
        if self.detail is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("撤回记录"), self.tr(
            "撤回后该记录不再计入影响期，但仍保留供管理员查看。请写明撤回理由："))
        if not ok:
            return
        detail = self.detail
        done = ops.run(self, self.ctx, lambda s: handling_register.withdraw_handling(
            s, self.ctx.actor, detail.id, reason, detail.version, today=self.ctx.today()),
            title=self.tr("无法撤回"), reload=self.refresh)
        if done is ops.FAILED:
            return
        self.detail = None
        self.ctx.notify(Change.HANDLING)

    def _on_check_button_clicked(self) -> None:
        if self.detail is None:
            return
        with self.ctx.db.session() as s:
            check = asv.promotion_check(s, self.ctx.actor, self.detail.cadre_id, self.ctx.today())
        box = QMessageBox(QMessageBox.Information if check.clear else QMessageBox.Warning, self.tr("考察对象核查"),
                          check.message, QMessageBox.Ok, self)
        box.setObjectName("promotionCheckBox")
        box.exec()
