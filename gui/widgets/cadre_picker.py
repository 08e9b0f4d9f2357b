"""The one cadre picker: type a name, pinyin initials or part of an ID number, then choose one person yourself.

Used by every form that records something about a cadre (处理处分, 回访, 函询, 表彰, 举报). It never chooses among
several matches by itself: typing `lhp` with three matches lists the three and waits; ↓ or Enter moves into the
list and Enter (or a click) chooses. Only a unique exact match — the whole name, or the whole ID number — is taken
on Enter at once. Each line shows enough to tell namesakes apart: gender, birth month, the unit's full path, post,
and the ID number as the role may see it (masked by the service for roles without "see_id_number").

Signals:
    cadre_picked(int, str): the chosen cadre's id and name (also when the form set it with set_cadre()).
Attributes:
    results: the list of matches (objectName "pickerResults"); chosen_label: who is chosen ("pickerChosen").
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gui import ops
from models.reference import id_number as idn
from models.reference import pinyin
from models.services.cadres import search as cadre_search
from models.services import units as unit_service

ROW_ROLE = Qt.UserRole + 1


def describe(row: cadre_search.CadreRow, unit_paths: dict[int, str] | None = None) -> str:
    """One line that tells namesakes apart: 王小明　男　1980-05　某区/财政局/办公室　科长　110101198005061234
    (for a role without "see_id_number": 1980年 and **************1234)."""
    unit = (unit_paths or {}).get(row.unit_id or -1) or row.unit_name or "未填单位"
    born = row.birth_date.strftime("%Y-%m") if row.birth_date else (f"{row.birth_year}年" if row.birth_year else "")
    parts = [row.name, row.gender or "", born, row.id_number or "", unit, row.current_post or ""]
    return "　".join(p for p in parts if p)


def is_exact(row: cadre_search.CadreRow, text: str) -> bool:
    """The whole name or the whole (visible) ID number was typed."""
    t = text.strip()
    if not t:
        return False
    if pinyin.normalise_name(t) == row.name:
        return True
    number = idn.normalise(t)
    return len(number) in (15, 18) and number == (row.id_number or "")


class CadrePicker(QWidget):
    cadre_picked = Signal(int, str)

    def __init__(self, ctx, parent=None, limit: int = 20, *, show_choice: bool = True):
        """show_choice=False: the form lists the people picked itself (举报 takes several)."""
        super().__init__(parent)
        self.ctx = ctx
        self.limit = limit
        self.show_choice = show_choice
        self._cadre_id: int | None = None
        self._cadre_name = ""
        self._rows: list[cadre_search.CadreRow] = []
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
        self.results.setMaximumHeight(170)
        self.results.setWordWrap(True)  # a long unit path wraps instead of hiding the end of the line
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.results.setUniformItemSizes(False)
        self.results.setAlternatingRowColors(True)  # where one person ends and the next begins
        self.results.hide()
        self.hint_label = QLabel()
        self.hint_label.setObjectName("pickerHint")
        self.hint_label.setStyleSheet("color: #666;")
        self.hint_label.setWordWrap(True)
        self.hint_label.hide()
        self.chosen_label = QLabel(self.tr("未选择"))
        self.chosen_label.setObjectName("pickerChosen")
        self.chosen_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.chosen_label)
        self.chosen_label.setVisible(self.show_choice)
        self.setFocusProxy(self.search_edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.search_edit.installEventFilter(self)
        self._timer.timeout.connect(self.run_search)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.results.itemClicked.connect(self._on_results_item_activated)

    # ------------------------------------------------------------------ search
    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._timer.start()

    def run_search(self) -> None:
        """List the matches of the typed text; nothing is chosen here."""
        self._timer.stop()
        text = self.search_edit.text().strip()
        self.results.clear()
        self._rows = []
        if not text:
            self.results.hide()
            self.hint_label.hide()
            return

        def find(s):
            rows = cadre_search.search(s, self.ctx.actor, cadre_search.CadreFilter(text=text), limit=self.limit + 1)
            paths = {u.id: u.full_name for u in unit_service.list_units(s)} if rows else {}
            return rows, paths

        found = ops.read(self, self.ctx, find)
        if found is ops.FAILED:
            return
        rows, paths = found
        more = len(rows) > self.limit
        self._rows = rows[:self.limit]
        for r in self._rows:
            item = QListWidgetItem(describe(r, paths))
            item.setToolTip(item.text())
            item.setData(Qt.UserRole, (r.id, r.name))
            item.setData(ROW_ROLE, r)
            self.results.addItem(item)
        if not self._rows:
            self.hint_label.setText(self.tr("没有找到“%1”。请换一种写法（姓名、拼音首字母或身份证号）。").replace("%1", text))
        elif len(self._rows) == 1:
            self.hint_label.setText(self.tr("找到1人：按↓或回车选中，再按回车确定；也可以直接点击。")
                                    if not is_exact(self._rows[0], text) else self.tr("找到1人：按回车或点击确定。"))
        else:
            self.hint_label.setText(
                self.tr("找到%1人%2：请用↑↓选择后按回车，或直接点击要找的人。").replace("%1", str(len(self._rows)))
                .replace("%2", self.tr("以上（只列出前%1人，请输入更多的字缩小范围）").replace("%1", str(self.limit))
                         if more else ""))
        self.hint_label.show()
        self.results.setVisible(bool(self._rows))

    def _on_search_edit_return_pressed(self) -> None:
        self.run_search()
        if len(self._rows) == 1 and is_exact(self._rows[0], self.search_edit.text()):
            self._choose(self.results.item(0))
        elif self._rows:
            self._enter_results()

    def _enter_results(self) -> None:
        self.results.setFocus()
        if self.results.currentRow() < 0:
            self.results.setCurrentRow(0)  # highlighted, not chosen: Enter or a click chooses

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.search_edit and event.type() == QEvent.KeyPress and event.key() == Qt.Key_Down:
            if self._timer.isActive():
                self.run_search()
            if self._rows:
                self._enter_results()
                return True
        return super().eventFilter(obj, event)

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        self._choose(item)

    def _choose(self, item: QListWidgetItem | None) -> None:
        data = item.data(Qt.UserRole) if item is not None else None
        if not data:
            return
        self._set_chosen(data[0], data[1], item.text())
        self.results.hide()
        self.hint_label.hide()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()  # ready for the next person (举报 lists several)
        self.search_edit.blockSignals(False)
        self.cadre_picked.emit(*data)

    # ------------------------------------------------------------------ state
    def _set_chosen(self, cadre_id: int | None, name: str, detail: str = "") -> None:
        self._cadre_id, self._cadre_name = cadre_id, name
        if cadre_id is None:
            self.chosen_label.setText(self.tr("未选择"))
            self.chosen_label.setStyleSheet("")
        else:
            self.chosen_label.setText(self.tr("已选择：%1").replace("%1", detail or name))
            self.chosen_label.setStyleSheet("font-weight: bold;")

    def set_cadre(self, cadre_id: int | None, name: str = "", detail: str = "") -> None:
        """Set the choice from the form (a record being edited, a page's current person); no signal."""
        self._set_chosen(cadre_id, name, detail)

    def set_fixed(self, cadre_id: int, name: str, detail: str = "") -> None:
        """The person is given (editing a record, or the action was started on that person's page)."""
        self._set_chosen(cadre_id, name, detail)
        self.search_edit.hide()
        self.results.hide()
        self.hint_label.hide()

    def clear(self) -> None:
        self._set_chosen(None, "")

    def cadre_id(self) -> int | None:
        return self._cadre_id

    def cadre_name(self) -> str:
        return self._cadre_name
