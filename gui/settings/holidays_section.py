"""节假日与调休: the official holiday schedule per year (State Council 2020–2026 shipped), editable by the
administrator; working-day limits (函询 reply in 15 working days, clarification in 5) are counted with it."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from gui.context import AppContext
from gui.errors import show_error
from gui.ops import Change
from models.services import holidays as holiday_schedules
from models.core.errors import AppError


class HolidaysSection(QWidget):
    TITLE = "节假日与调休"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._schedules: dict[int, dict] = {}
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        admin = self.ctx.actor.can("admin")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年份")))
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("holidayYearCombo")
        top.addWidget(self.year_combo)
        self.source_label = QLabel()
        self.source_label.setObjectName("holidaySourceLabel")
        self.source_label.setWordWrap(True)
        top.addWidget(self.source_label, 1)
        layout.addLayout(top)
        note = QLabel(self.tr("放假日期按国务院办公厅每年公布的安排填写；周末调休上班的日期填在右侧。"
                              "函询回复期限（15个工作日）等按此日历计算，从收到之日的下一个工作日起算。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        body = QHBoxLayout()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("holidayTable")
        self.table.setHorizontalHeaderLabels([self.tr("假期"), self.tr("放假开始"), self.tr("放假结束")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        body.addWidget(self.table, 3)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("调休上班日（每行一个，如 2024-02-04）")))
        self.workdays_edit = QPlainTextEdit()
        self.workdays_edit.setObjectName("workdaysEdit")
        right.addWidget(self.workdays_edit)
        body.addLayout(right, 2)
        layout.addLayout(body, 1)
        buttons = QHBoxLayout()
        self.add_row_button = QPushButton(self.tr("增加一行"))
        self.add_row_button.setObjectName("addHolidayRowButton")
        self.remove_row_button = QPushButton(self.tr("删除所选行"))
        self.remove_row_button.setObjectName("removeHolidayRowButton")
        self.reset_button = QPushButton(self.tr("恢复国务院公布的安排"))
        self.reset_button.setObjectName("resetHolidaysButton")
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("saveHolidaysButton")
        for b in (self.add_row_button, self.remove_row_button, self.reset_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        for w in (self.add_row_button, self.remove_row_button, self.reset_button, self.save_button):
            w.setEnabled(admin)
        if not admin:
            self.table.setEditTriggers(QTableWidget.NoEditTriggers)
            self.workdays_edit.setReadOnly(True)

    def _connect_signals(self) -> None:
        self.year_combo.currentIndexChanged.connect(lambda _i: self._show_year())
        self.add_row_button.clicked.connect(self._on_add_row_button_clicked)
        self.remove_row_button.clicked.connect(self._on_remove_row_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            self._schedules = holiday_schedules.schedules(s)
        current = self.year_combo.currentData()
        years = sorted(set(self._schedules) | {self.ctx.today().year, self.ctx.today().year + 1})
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in years:
            self.year_combo.addItem(f"{y}年" + ("" if y in self._schedules else self.tr("（未填写）")), y)
        wanted = current if current in years else self.ctx.today().year
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(wanted), 0))
        self.year_combo.blockSignals(False)
        self._show_year()

    def year(self) -> int:
        return int(self.year_combo.currentData())

    def _show_year(self) -> None:
        sched = self._schedules.get(self.year(), {"holidays": [], "workdays": [], "source": ""})
        shipped = holiday_schedules.shipped_schedule(self.year())
        if not sched.get("holidays") and not sched.get("workdays"):
            self.source_label.setText(self.tr("本年度尚无安排：只按周六、周日休息计算。国务院公布后请在此填写。"))
        else:
            edited = shipped is None or sched != shipped
            self.source_label.setText((self.tr("本单位修改：") if edited else self.tr("依据：")) + str(sched.get("source", "")))
        self.table.setRowCount(0)
        for h in sched.get("holidays", []):
            self._add_row(h["name"], h["from"], h["to"])
        self.workdays_edit.setPlainText("\n".join(sched.get("workdays", [])))

    def _add_row(self, name: str = "", start: str = "", end: str = "") -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, v in enumerate((name, start, end)):
            self.table.setItem(r, c, QTableWidgetItem(v))

    def edited_schedule(self) -> dict:
        holidays = []
        for r in range(self.table.rowCount()):
            cells = [(self.table.item(r, c).text().strip() if self.table.item(r, c) else "") for c in range(3)]
            if any(cells):
                holidays.append({"name": cells[0], "from": cells[1], "to": cells[2] or cells[1]})
        days = [line.strip() for line in self.workdays_edit.toPlainText().replace("，", "\n").replace(",", "\n").splitlines()
                if line.strip()]
        source = self._schedules.get(self.year(), {}).get("source", "")
        return {"year": self.year(), "source": source or self.tr("本单位填写"), "holidays": holidays, "workdays": days}

    def _on_add_row_button_clicked(self) -> None:
        self._add_row("", f"{self.year()}-", f"{self.year()}-")

    def _on_remove_row_button_clicked(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)

    def _on_save_button_clicked(self) -> None:
        value = self.edited_schedule()
        if holiday_schedules.shipped_schedule(self.year()) != value:
            value["source"] = str(value["source"]).split("（本单位修改")[0] + self.tr("（本单位修改%1）").replace(
                "%1", self.ctx.today().isoformat())
        try:
            with self.ctx.db.session() as s:
                holiday_schedules.save_schedule(s, self.ctx.actor, self.year(), value)
        except AppError as exc:
            show_error(self, exc, self.tr("无法保存"))
            return
        self.ctx.notify(Change.HOLIDAYS)
        self.refresh()

    def _on_reset_button_clicked(self) -> None:
        try:
            with self.ctx.db.session() as s:
                holiday_schedules.reset_schedule(s, self.ctx.actor, self.year())
        except AppError as exc:
            show_error(self, exc)
            return
        self.ctx.notify(Change.HOLIDAYS)
        self.refresh()
