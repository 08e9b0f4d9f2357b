"""The audit log viewer (administrators only): filter by who, what, when and which cadre; see before → after;
check the hash chain. Opened from the main window's 管理 menu."""
from __future__ import annotations

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from gui.context import AppContext
from gui.errors import show_error
from gui.widgets.row_table_model import PagedRowTableModel
from gui.widgets.form_dialog import fit_to_screen
from models.services import audit_log as audit_query
from models.core.errors import AppError

PAGE = 200


class AuditTableModel(PagedRowTableModel):
    """Rows of models.services.audit_log.AuditRow, newest first; more are fetched as the view scrolls."""

    COL_SEQ, COL_AT, COL_ACTOR, COL_ACTION, COL_ENTITY, COL_CADRE, COL_SUMMARY = range(7)
    PAGE_SIZE = PAGE

    def __init__(self, fetch_page=None, parent=None):
        super().__init__([
            ("序号", lambda r: r.seq), ("时间", lambda r: r.at), ("操作人", lambda r: r.actor),
            ("操作", lambda r: r.action_label),
            ("对象", lambda r: r.entity_label + (f" #{r.entity_id}" if r.entity_id else "")),
            ("涉及干部", lambda r: r.cadre_name or (f"#{r.cadre_id}" if r.cadre_id is not None else "")),
            ("摘要", lambda r: _short(r.summary)),
        ], parent, id_getter=lambda r: r.seq)
        self._fetch_page = fetch_page  # offset → AuditPage

    def fetch(self, offset: int, limit: int) -> list:
        return list(self._fetch_page(offset).rows) if self._fetch_page is not None else []

    def cell_data(self, row, column: int, role: int):
        if role == Qt.ToolTipRole and column == self.COL_SUMMARY:
            return row.summary.replace("\n", " ")
        return None


def _short(summary: str) -> str:
    text = summary.replace("\n", " ")
    return text if len(text) <= 200 else text[:200] + "…"


class AuditViewer(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self.refresh()
        self.show_anchor()

    def _setup_ui(self) -> None:
        self.setObjectName("auditViewer")
        self.setWindowTitle(self.tr("审计日志"))
        fit_to_screen(self, 1100, 680)
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.actor_combo = QComboBox()
        self.actor_combo.setObjectName("actorCombo")
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("actionCombo")
        self.entity_combo = QComboBox()
        self.entity_combo.setObjectName("entityCombo")
        self.cadre_edit = QLineEdit()
        self.cadre_edit.setObjectName("cadreEdit")
        self.cadre_edit.setPlaceholderText(self.tr("干部姓名（部分即可）"))
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("textEdit")
        self.text_edit.setPlaceholderText(self.tr("摘要中的文字"))
        self.date_check = QCheckBox(self.tr("日期从"))
        self.date_check.setObjectName("dateCheck")
        today = QDate.fromString(self.ctx.today().isoformat(), "yyyy-MM-dd")
        self.from_edit = QDateEdit(today.addMonths(-1))
        self.from_edit.setObjectName("fromEdit")
        self.to_edit = QDateEdit(today)
        self.to_edit.setObjectName("toEdit")
        for e in (self.from_edit, self.to_edit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd")
            e.setEnabled(False)
        self.search_button = QPushButton(self.tr("查询"))
        self.search_button.setObjectName("searchButton")
        self.search_button.setDefault(True)
        self.verify_button = QPushButton(self.tr("校验完整性"))
        self.verify_button.setObjectName("verifyButton")
        grid.addWidget(QLabel(self.tr("操作人")), 0, 0)
        grid.addWidget(self.actor_combo, 0, 1)
        grid.addWidget(QLabel(self.tr("操作")), 0, 2)
        grid.addWidget(self.action_combo, 0, 3)
        grid.addWidget(QLabel(self.tr("对象")), 0, 4)
        grid.addWidget(self.entity_combo, 0, 5)
        grid.addWidget(QLabel(self.tr("涉及干部")), 1, 0)
        grid.addWidget(self.cadre_edit, 1, 1)
        grid.addWidget(QLabel(self.tr("摘要")), 1, 2)
        grid.addWidget(self.text_edit, 1, 3)
        dates = QHBoxLayout()
        dates.addWidget(self.date_check)
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel(self.tr("至")))
        dates.addWidget(self.to_edit)
        grid.addLayout(dates, 1, 4, 1, 2)
        grid.addWidget(self.search_button, 0, 6)
        grid.addWidget(self.verify_button, 1, 6)
        layout.addLayout(grid)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        layout.addWidget(self.count_label)
        self.model = AuditTableModel(self._fetch_page, self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col, width in ((0, 60), (1, 150), (2, 90), (3, 80), (4, 110), (5, 90)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(AuditTableModel.COL_SUMMARY, QHeaderView.Stretch)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("detailText")
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr("选中一条记录，这里显示修改前后的内容。"))
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.anchor_label = QLabel()  # the head of the chain, to be noted on paper (models/core/audit_anchor.py)
        self.anchor_label.setObjectName("anchorLabel")
        self.anchor_label.setWordWrap(True)
        self.anchor_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.anchor_label)

    def _connect_signals(self) -> None:
        self.search_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        self.date_check.toggled.connect(self.from_edit.setEnabled)
        self.date_check.toggled.connect(self.to_edit.setEnabled)
        self.cadre_edit.returnPressed.connect(self.refresh)
        self.text_edit.returnPressed.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

    def _fill_combos(self) -> None:
        with self.ctx.db.session() as s:
            choices = audit_query.choices(s, self.ctx.actor)
        for combo, items in ((self.actor_combo, [(a, a) for a in choices.actors]),
                             (self.action_combo, choices.actions), (self.entity_combo, choices.entities)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("全部"), None)
            for code, label in items:
                combo.addItem(label, code)
            index = combo.findData(current)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)

    def current_filter(self) -> audit_query.AuditFilter:
        dated = self.date_check.isChecked()
        return audit_query.AuditFilter(
            actor=self.actor_combo.currentData(), action=self.action_combo.currentData(),
            entity=self.entity_combo.currentData(),
            date_from=self.from_edit.date().toPython() if dated else None,
            date_to=self.to_edit.date().toPython() if dated else None,
            cadre_name=self.cadre_edit.text().strip() or None, text=self.text_edit.text().strip() or None,
        )

    def _fetch_page(self, offset: int) -> audit_query.AuditPage:
        with self.ctx.db.session() as s:
            return audit_query.search(s, self.ctx.actor, self._filter, offset=offset, limit=PAGE)

    def refresh(self) -> None:
        try:
            self._fill_combos()
            self._filter = self.current_filter()
            page = self._fetch_page(0)
        except AppError as exc:
            show_error(self, exc)
            return
        self.model.set_page(page.rows, page.total)
        self.count_label.setText(self.tr("共 %1 条").replace("%1", str(page.total)))
        self.detail.clear()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous) -> None:
        if not current.isValid():
            return
        r = self.model.rows[current.row()]
        head = f"第 {r.seq} 条  {r.at:%Y-%m-%d %H:%M:%S}  {r.actor}  {r.action_label}  {r.entity_label}"
        self.detail.setPlainText(f"{head}\n{r.summary}\n\n{audit_query.format_change(r.before, r.after)}")

    def show_anchor(self) -> None:
        try:
            with self.ctx.db.session() as s:
                self.anchor_label.setText(audit_query.anchor_line(s, self.ctx.actor))
        except AppError as exc:
            self.anchor_label.setText(exc.message)

    def _on_verify_button_clicked(self) -> None:
        try:
            with self.ctx.db.session() as s:
                verdict = audit_query.verify_all(s, self.ctx.actor)
        except AppError as exc:
            show_error(self, exc)
            return
        self.anchor_label.setText(verdict.anchor.line())
        if verdict.ok:
            QMessageBox.information(self, self.tr("审计日志完整"),
                                    self.tr("共 %1 条记录，哈希链校验通过：审计记录没有被改动或删除。").replace(
                                        "%1", str(verdict.count)) + "\n\n" + verdict.anchor.line())
        else:
            QMessageBox.warning(self, self.tr("审计日志被改动"),
                                "；".join(verdict.problems) + self.tr("。请从备份核对，并报告单位负责人。")
                                + "\n\n" + verdict.anchor.line())


def open_audit_viewer(ctx: AppContext, parent: QWidget | None = None) -> AuditViewer | None:
    if not ctx.actor.can("admin"):
        QMessageBox.warning(parent, "无权查看", "只有管理员可以查看审计日志。")
        return None
    viewer = AuditViewer(ctx, parent)
    viewer.setAttribute(Qt.WA_DeleteOnClose)
    viewer.show()
    return viewer
