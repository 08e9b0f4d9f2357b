"""The main window: navigation on the left, one page at a time on the right, the database in the status bar."""
from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QSplitter, QStackedWidget,
)

from gui.context import AppContext
from gui.pages import PAGES
from gui.pages.placeholder_page import PlaceholderPage
from models.actor import ROLE_LABELS

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Attributes:
        pages: object name → page widget (e.g. pages["dashboard"]).
    """

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.pages: dict[str, object] = {}
        self._setup_ui()
        self._connect_signals()
        self.show_page("dashboard")

    def _setup_ui(self) -> None:
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("干部关爱与问责记录"))
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")
        for name, title, module, cls in PAGES:
            page = self._make_page(title, module, cls)
            page.setObjectName(f"page_{name}")
            self.pages[name] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(self.tr(title))
            item.setData(Qt.UserRole, name)
            self.nav.addItem(item)
        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        bar = self.statusBar()
        self.db_label = QLabel(self.tr("数据库：") + self.ctx.db.display_name)
        self.db_label.setObjectName("dbLabel")
        self.user_label = QLabel(
            self.tr("当前用户：") + f"{self.ctx.actor.display_name or self.ctx.actor.username}"
            f"（{ROLE_LABELS.get(self.ctx.actor.role, self.ctx.actor.role)}）"
        )
        self.user_label.setObjectName("userLabel")
        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.user_label)
        self._setup_menus()

    def _setup_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.go_menu = self.menuBar().addMenu(self.tr("转到(&G)"))
        for index, (name, title, _m, _c) in enumerate(PAGES):
            action = QAction(self.tr(title), self)
            action.setShortcut(QKeySequence(f"Alt+{index + 1}"))
            action.triggered.connect(lambda _=False, n=name: self.show_page(n))
            self.go_menu.addAction(action)
        self.admin_menu = self.menuBar().addMenu(self.tr("管理(&M)"))
        self.audit_action = QAction(self.tr("审计日志(&L)…"), self)
        self.audit_action.setObjectName("auditLogAction")
        self.audit_action.setEnabled(self.ctx.actor.can("admin"))
        self.audit_action.triggered.connect(lambda: importlib.import_module("gui.audit_viewer").open_audit_viewer(self.ctx, self))
        self.admin_menu.addAction(self.audit_action)
        self.help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self._on_about_triggered)
        self.help_menu.addAction(about)

    def _make_page(self, title: str, module: str, cls: str):
        try:
            page_cls = getattr(importlib.import_module(module), cls)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            return PlaceholderPage(self.tr(title))
        return page_cls(self.ctx)

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)

    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        if hasattr(page, "refresh"):
            page.refresh()

    def show_page(self, name: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.UserRole) == name:
                self.nav.setCurrentRow(row)
                return

    def current_page_name(self) -> str:
        return self.nav.currentItem().data(Qt.UserRole)

    def _on_about_triggered(self) -> None:
        try:
            from gui.about_dialog import AboutDialog

            AboutDialog(self.ctx, self).exec()
        except ModuleNotFoundError:
            QMessageBox.about(self, self.tr("关于"), self.tr("干部关爱与问责记录"))
