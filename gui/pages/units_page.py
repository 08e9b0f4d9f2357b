"""单位 page: the unit tree (full paths, live cadres per unit, 基层) and its changes in a 机构改革 — 新增, 更名,
调整隶属, 合并到, 撤销 (gui/dialogs/unit.py) — with the selected unit's history (former names, parents, merges)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox, QHBoxLayout, QLabel, QListWidget, QMessageBox, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from gui import ops
from gui.errors import show_error
from gui.ops import Change
from gui.widgets.list_keys import SearchBox, open_on_enter
from models.core.errors import AppError
from models.services import units as unit_service


class UnitsPage(QWidget):
    """Attributes:
        nodes: unit id → UnitNode of the tree shown.
    """

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.nodes: dict[int, unit_service.UnitNode] = {}
        self.items: dict[int, QTreeWidgetItem] = {}
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search_edit = SearchBox(self.tr("查找单位：名称的一部分（回车或↓到结果）"))
        self.search_edit.setObjectName("unitSearch")
        self.count_label = QLabel()
        self.count_label.setObjectName("unitCount")
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        actions = QHBoxLayout()
        self.new_top_button = self._button("newTopUnitButton", "新增顶层单位…", actions)
        self.new_child_button = self._button("newChildUnitButton", "新增下级单位…", actions)
        self.rename_button = self._button("renameUnitButton", "更名…", actions)
        self.move_button = self._button("moveUnitButton", "调整隶属…", actions)
        self.merge_button = self._button("mergeUnitButton", "合并到…", actions)
        self.withdraw_button = self._button("withdrawUnitButton", "撤销…", actions)
        self.grassroots_button = self._button("grassrootsButton", "标为基层单位", actions)
        actions.addStretch(1)
        self.cadres_button = self._button("unitCadresButton", "查看本单位干部", actions)
        layout.addLayout(actions)
        splitter = QSplitter(Qt.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setObjectName("unitTree")
        self.tree.setHeaderLabels([self.tr("单位"), self.tr("本单位干部"), self.tr("含下级单位"), self.tr("基层")])
        self.tree.headerItem().setToolTip(1, self.tr("直接在本单位的干部人数"))
        self.tree.headerItem().setToolTip(2, self.tr("本单位和所有下级单位的干部人数（“查看本单位干部”列出的人数）"))
        self.tree.setColumnWidth(0, 340)
        self.tree.setColumnWidth(1, 80)
        self.tree.setColumnWidth(2, 80)
        self.tree.setUniformRowHeights(True)
        splitter.addWidget(self.tree)
        box = QGroupBox(self.tr("所选单位"))
        v = QVBoxLayout(box)
        self.path_label = QLabel(self.tr("在左侧选择一个单位。"))
        self.path_label.setObjectName("unitPathLabel")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        v.addWidget(self.path_label)
        v.addWidget(QLabel(self.tr("沿革（更名、隶属调整、合并、撤销）：")))
        self.history_list = QListWidget()
        self.history_list.setObjectName("unitHistory")
        self.history_list.setWordWrap(True)
        v.addWidget(self.history_list, 1)
        splitter.addWidget(box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.search_edit.set_results(self.tree)
        writer = self.ctx.actor.can("write")
        for b in (self.new_top_button, self.new_child_button, self.rename_button, self.move_button, self.merge_button,
                  self.withdraw_button, self.grassroots_button):
            b.setEnabled(writer)

    def _button(self, name: str, text: str, layout) -> QPushButton:
        b = QPushButton(self.tr(text))
        b.setObjectName(name)
        layout.addWidget(b)
        return b

    def _connect_signals(self) -> None:
        self.search_edit.search.connect(self._apply_filter)
        self.tree.currentItemChanged.connect(lambda _c, _p: self._show_selected())
        self.new_top_button.clicked.connect(lambda: self.open_dialog("create", parent_id=None))
        self.new_child_button.clicked.connect(lambda: self.open_dialog("create", parent_id=self.current_id()))
        self.rename_button.clicked.connect(lambda: self.open_dialog("rename"))
        self.move_button.clicked.connect(lambda: self.open_dialog("move"))
        self.merge_button.clicked.connect(lambda: self.open_dialog("merge"))
        self.withdraw_button.clicked.connect(lambda: self.open_dialog("withdraw"))
        self.grassroots_button.clicked.connect(self._on_grassroots_button_clicked)
        self.cadres_button.clicked.connect(self.show_cadres)
        self.tree.itemDoubleClicked.connect(lambda _i, _c: self.show_cadres())
        open_on_enter(self.tree, lambda _i: self.show_cadres())
        self.ctx.data_changed.connect(self._on_data_changed)

    # --- loading
    def refresh(self) -> None:
        keep = self.current_id()
        try:
            with self.ctx.db.session() as s:
                nodes = unit_service.unit_tree(s, self.ctx.actor)
        except AppError as exc:
            show_error(self, exc)
            return
        self.nodes = {n.id: n for n in nodes}
        self.items = {}
        self.tree.blockSignals(True)
        self.tree.clear()
        for n in nodes:
            item = QTreeWidgetItem([n.name, str(n.cadres), str(n.cadres_with_subunits),
                                    self.tr("是") if n.is_grassroots else ""])
            item.setData(0, Qt.UserRole, n.id)
            item.setToolTip(0, n.full_path)
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            item.setTextAlignment(2, Qt.AlignRight | Qt.AlignVCenter)
            parent = self.items.get(n.parent_id)
            if parent is not None:
                parent.addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            self.items[n.id] = item
        self.tree.expandToDepth(0)
        self.tree.blockSignals(False)
        total = sum(n.cadres for n in nodes)
        self.count_label.setText(self.tr("共 %1 个单位，%2 名干部").replace("%1", str(len(nodes)))
                                 .replace("%2", str(total)))
        self._apply_filter(self.search_edit.text())
        self.select_unit(keep)

    def _apply_filter(self, text: str) -> None:
        """Show the units whose name holds the text, with their parents (so the path stays readable)."""
        text = (text or "").strip()
        shown = set(self.nodes) if not text else set()
        if text:
            for n in self.nodes.values():
                if text in n.full_path.split("/")[-1] or text in n.full_path:
                    shown.add(n.id)
                    shown.update(int(p) for p in n.path.strip("/").split("/") if p.isdigit())
        for uid, item in self.items.items():
            item.setHidden(uid not in shown)
            if text and uid in shown:
                item.setExpanded(True)
        if text:
            first = next((self.items[n.id] for n in self.nodes.values()
                          if n.id in shown and text in n.name), None)
            if first is not None:
                self.tree.setCurrentItem(first)

    def select_unit(self, unit_id: int | None) -> None:
        item = self.items.get(unit_id) if unit_id is not None else None
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
        self._show_selected()

    def current_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item is not None else None

    def _show_selected(self) -> None:
        uid = self.current_id()
        node = self.nodes.get(uid)
        self.history_list.clear()
        for b in (self.new_child_button, self.rename_button, self.move_button, self.merge_button,
                  self.withdraw_button, self.grassroots_button):
            b.setEnabled(node is not None and self.ctx.actor.can("write"))
        self.cadres_button.setEnabled(node is not None)
        if node is None:
            self.path_label.setText(self.tr("在左侧选择一个单位。") if self.nodes else
                                    self.tr("还没有任何单位。请点“新增顶层单位…”建立第一个单位（如本区、本单位），"
                                            "再在其下新增下级单位；也可以在导入干部名单时自动建立。"))
            return
        self.grassroots_button.setText(self.tr("取消基层单位") if node.is_grassroots else self.tr("标为基层单位"))
        counted = (self.tr("干部：本单位 %1 人，含下级单位共 %2 人").replace("%1", str(node.cadres))
                   .replace("%2", str(node.cadres_with_subunits))
                   if node.cadres_with_subunits != node.cadres else self.tr("干部 %1 人").replace("%1", str(node.cadres)))
        self.path_label.setText(node.full_path + "\n" + counted
                                + (self.tr("，基层单位") if node.is_grassroots else ""))
        with self.ctx.db.session() as s:
            for ev in unit_service.unit_history(s, self.ctx.actor, uid):
                self.history_list.addItem(ev.text)
        if self.history_list.count() == 0:
            self.history_list.addItem(self.tr("（没有更名、调整或合并的记录）"))

    # --- actions
    def open_dialog(self, mode: str, *, parent_id: int | None = ...):
        from gui.dialogs.unit import UnitDialog

        uid = self.current_id()
        if mode != "create" and uid is None:
            QMessageBox.information(self, self.tr("提示"), self.tr("请先在左侧选择一个单位。"))
            return None
        if mode == "create":
            dialog = UnitDialog(self.ctx, mode, parent_id=None if parent_id is ... else parent_id, parent=self)
        else:
            dialog = UnitDialog(self.ctx, mode, unit_id=uid, parent=self)
        self.last_dialog = dialog
        if dialog.exec() and dialog.saved_id is not None and mode != "withdraw":
            self.select_unit(dialog.saved_id)
        return dialog

    def show_cadres(self) -> None:
        """The 干部 page filtered to this unit and its sub-units (double-click or Enter on a unit)."""
        uid = self.current_id()
        window = self.window()
        if uid is None or not hasattr(window, "show_page"):
            return
        window.show_page("cadres")  # pages are built when first shown
        cadres = getattr(window, "pages", {}).get("cadres")
        if cadres is None:
            return
        combo = cadres.unit_combo
        index = combo.findData(uid)
        if index < 0:
            cadres.refresh()
            index = combo.findData(uid)
        combo.setCurrentIndex(max(index, 0))

    def _on_grassroots_button_clicked(self) -> None:
        node = self.nodes.get(self.current_id())
        if node is None:
            return
        ops.run(self, self.ctx, lambda s: unit_service.set_grassroots(s, self.ctx.actor, node.id, not node.is_grassroots),
                changes=(Change.UNIT,))

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.UNIT, Change.CADRE, Change.IMPORT, Change.DATABASE):
            self.refresh()
