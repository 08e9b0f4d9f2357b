"""The one unit field: every unit named by its full path ("江岸区/区财政局"), so that thirteen 区财政局 are told apart,
with typing to find one (any part of the path) and a 新建… button that creates a unit on the spot (an empty
database has none; the cadre form must not be a dead end). The button runs the `create` the form passes in
(gui/dialogs/unit.py new_unit): a widget never opens a dialog module itself, which also contains this field.

Signals:
    unit_changed(object): the chosen unit id (None when nothing is chosen).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QPushButton, QWidget

from models.services import units as unit_service


class UnitField(QWidget):
    unit_changed = Signal(object)

    def __init__(self, ctx, parent: QWidget | None = None, *, blank_text: str = "（未选择）",
                 create: Callable[[QWidget, int | None], int | None] | None = None):
        """`create(field, parent unit id)` makes a new unit and returns its id (None when cancelled); without it, or
        for a role that may not write, there is no 新建 button."""
        super().__init__(parent)
        self.ctx = ctx
        self._create = create
        self.blank_text = blank_text
        self.combo = QComboBox()
        self.combo.setObjectName("unitCombo")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.NoInsert)
        self.combo.setMinimumContentsLength(16)
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.lineEdit().setPlaceholderText(self.tr("输入单位名称的一部分查找"))
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setFilterMode(Qt.MatchContains)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.combo.setCompleter(completer)
        self.new_button = QPushButton(self.tr("新建单位…"))
        self.new_button.setObjectName("newUnitButton")
        self.new_button.setVisible(create is not None and ctx.actor.can("write"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.new_button)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(lambda _i: self.unit_changed.emit(self.value()))
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.reload()

    def reload(self, select=...) -> None:
        """Fill from the tree (keeping the choice, or choosing `select`)."""
        keep = self.value() if select is ... else select
        with self.ctx.db.session() as s:
            nodes = unit_service.unit_tree(s, self.ctx.actor)
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.blank_text if nodes else self.tr("（还没有单位：点“新建单位…”）"), None)
        for n in nodes:
            self.combo.addItem(n.full_path, n.id)
        self.combo.blockSignals(False)
        self.set_value(keep)

    def value(self) -> int | None:
        """The chosen unit; a typed text that is exactly one unit's path counts as choosing it."""
        text = self.combo.currentText().strip()
        data = self.combo.currentData()
        if data is not None and self.combo.itemText(self.combo.currentIndex()) == text:
            return data
        index = self.combo.findText(text, Qt.MatchFixedString)
        return self.combo.itemData(index) if index > 0 else None

    def set_value(self, unit_id: int | None) -> None:
        index = self.combo.findData(unit_id) if unit_id is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def text(self) -> str:
        return self.combo.currentText()

    def _on_new_button_clicked(self) -> None:
        saved = self._create(self, self.value()) if self._create is not None else None
        if saved is not None:
            self.reload(select=saved)
            self.unit_changed.emit(self.value())
