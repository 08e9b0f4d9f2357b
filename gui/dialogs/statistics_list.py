"""The list behind a number of the 统计分析 page: the rows models.services.statistics.list_behind returns for that
number's Drill (the same conditions that counted it), paged; a double click opens the record or the person's page."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QTableView, QVBoxLayout

from gui.errors import show_error
from gui.widgets.form_dialog import fit_to_screen
from gui.widgets.row_table_model import PagedRowTableModel
from models.services import statistics as st

# the record kinds of the list with a dialog of their own (gui/pages/cadre_view.py OPENERS); the rest open the person
RECORD_DIALOGS = {"handling": "handling", "accusation": "accusation", "clarification": "clarification",
                  "assessment": "expiry_assessment", "commendation": "commendation"}


class DrillTableModel(PagedRowTableModel):
    """The rows behind one number, paged from SQL."""

    def __init__(self, ctx, query: st.StatsQuery, which: st.Drill, parent=None):
        super().__init__([
            ("姓名", lambda r: r.name), ("单位", lambda r: r.unit_name), ("日期", lambda r: r.when),
            ("情况", lambda r: r.detail),
        ], parent, id_getter=lambda r: r.ref_id)
        self.ctx, self.query, self.which = ctx, query, which

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return st.list_behind(s, self.ctx.actor, self.query, self.which, limit=limit, offset=offset)[1]

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return st.count_behind(s, self.ctx.actor, self.query, self.which)


class StatisticsListDialog(QDialog):
    """Attributes: model (DrillTableModel), view (the table)."""

    def __init__(self, ctx, query: st.StatsQuery, which: st.Drill, title: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("statisticsListDialog")
        self.setWindowTitle(self.tr("名单：") + title)
        fit_to_screen(self, 900, 560)
        layout = QVBoxLayout(self)
        self.model = DrillTableModel(ctx, query, which, self)
        self.model.reload()
        total = self.model.total
        head = QLabel(self.tr("%1（%2，%3）：共 %4 条。双击一行打开记录或干部本人的页面。")
                      .replace("%1", title).replace("%2", query.title()).replace("%3", self._unit_text(query))
                      .replace("%4", str(total)))
        head.setObjectName("statisticsListHead")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.view = QTableView()
        self.view.setObjectName("statisticsListTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(0, 90)
        self.view.setColumnWidth(1, 220)
        self.view.setColumnWidth(2, 96)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.opened: tuple[str, int] | None = None  # what a double click opened (tests look at it)

    def _unit_text(self, query: st.StatsQuery) -> str:
        return self.tr("全部单位") if query.unit_id is None else self.tr("所选单位及其下级单位")

    def _on_view_double_clicked(self, index) -> None:
        row = self.model.row_at(index.row())
        if row is None:
            return
        from gui.pages.cadre_view import CadreView, open_record

        try:
            kind = RECORD_DIALOGS.get(row.ref_type)
            if kind is not None and row.ref_id is not None:
                self.opened = (kind, row.ref_id)
                open_record(self.ctx, kind, row.ref_id, self)
            elif row.cadre_id is not None:
                self.opened = ("cadre", row.cadre_id)
                view = CadreView(self.ctx, row.cadre_id, self)
                view.setAttribute(Qt.WA_DeleteOnClose)
                view.exec()
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
