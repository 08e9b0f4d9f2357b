"""A reusable search-and-pick widget: type a name, pinyin initials or part of an ID number, pick one cadre.

Signals:
    cadre_picked(int, str): the chosen cadre's id and name.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from models.services import cadres as cs


class CadrePicker(QWidget):
    cadre_picked = Signal(int, str)

    def __init__(self, ctx, parent=None, limit: int = 20):
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        self._cadre_id: int | None = None
        self._cadre_name = ""
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setObjectName("cadrePicker")
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("pickerSearch")
        self.search_edit.setPlaceholderText(self.tr("输入姓名、拼音首字母或身份证号查找干部"))
        self.search_edit.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("pickerResults")
        self.results.setMaximumHeight(150)
        self.results.hide()
        self.chosen_label = QLabel(self.tr("未选择"))
        self.chosen_label.setObjectName("pickerChosen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        layout.addWidget(self.chosen_label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self._timer.timeout.connect(self.run_search)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.results.itemClicked.connect(self._on_results_item_activated)

    def run_search(self) -> None:
        text = self.search_edit.text().strip()
        self.results.clear()
        if not text:
            self.results.hide()
            return
        with self.ctx.db.session() as s:
            rows = cs.search(s, self.ctx.actor, cs.CadreFilter(text=text), limit=self.limit)
        for r in rows:
            item = QListWidgetItem(f"{r.name}　{r.unit_name or ''}　{r.current_post or ''}　{r.id_number}")
            item.setData(Qt.UserRole, (r.id, r.name))
            self.results.addItem(item)
        if not rows:
            self.results.addItem(QListWidgetItem(self.tr("没有找到“%1”").replace("%1", text)))
        self.results.show()

    def _on_search_edit_return_pressed(self) -> None:
        self._timer.stop()
        self.run_search()
        if self.results.count() == 1 and self.results.item(0).data(Qt.UserRole):
            self._on_results_item_activated(self.results.item(0))

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.UserRole)
        if not data:
            return
        self.set_cadre(*data)
        self.results.hide()
        self.cadre_picked.emit(*data)

    def set_cadre(self, cadre_id: int | None, name: str = "") -> None:
        self._cadre_id, self._cadre_name = cadre_id, name
        self.chosen_label.setText(self.tr("已选择：%1").replace("%1", name) if cadre_id else self.tr("未选择"))

    def cadre_id(self) -> int | None:
        return self._cadre_id

    def cadre_name(self) -> str:
        return self._cadre_name
