"""The main window: navigation on the left, one page at a time on the right, the database in the status bar."""
from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QFrame, QMainWindow, QMessageBox, QPushButton, QScrollArea, QSplitter, QStackedWidget, QWidget,
)

from gui.context import AppContext
from gui.pages import PAGES
from gui.widgets.window_state import restore_page, restore_window, save_window
from gui.widgets.form_dialog import fit_to_screen
from models.core.actor import ROLE_LABELS

# Keyboard (issue 11): window-level actions that call the current page's method when it has one, else press the
# page's own button of that name (so a page needs no code for it), else say in the status bar that there is none.
PAGE_ACTIONS = {
    # action: (page method, page attributes holding the widget, in order of preference)
    "search": ("focus_search", ("search_edit",)),
    "new": ("new_record", ("new_button", "add_button", "new_visit_button")),
    "print": ("print_current", ("print_button", "roster_button")),
    "save": ("save_current", ()),
}

log = logging.getLogger(__name__)


class PageStack(QStackedWidget):
    """A stack whose size hints are those of the page shown, not of the largest page, so that one wide page
    (设置) neither widens the window beyond the screen at 150 %/200 % scaling nor adds scroll bars to the others."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def sizeHint(self):  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self):  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


class _Pages(dict):
    """object name → page widget. A page is built when it is first shown or asked for (start-up builds only
    the 工作台: building every page and loading its lists took most of the start time on 100,000 cadres)."""

    def __init__(self, window: "MainWindow"):
        super().__init__()
        self._window = window

    def __missing__(self, name: str):
        if name not in self._window.page_names:
            raise KeyError(name)
        return self._window.build_page(name)

    def __contains__(self, name) -> bool:
        return name in self._window.page_names

    def values(self):  # every page, built as needed
        return [self[name] for name in self._window.page_names]

    def built(self):
        return list(dict.values(self))


class MainWindow(QMainWindow):
    """Attributes:
        pages: object name → page widget (e.g. pages["dashboard"]); built on first use.
    """

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.page_names = [name for name, _t, _m, _c in PAGES]
        self.pages = _Pages(self)
        self._restoring = False
        self._setup_ui()
        self._connect_signals()
        self.restored = False
        self.restored = restore_window(self)  # size, splitters and column widths of the last session
        self.show_page("dashboard")

    def _setup_ui(self) -> None:
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("干部关爱与问责记录"))
        fit_to_screen(self, 1280, 800)
        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMinimumWidth(120)
        self.nav.setMaximumWidth(260)
        self.stack = PageStack()
        self.stack.setObjectName("pageStack")
        for name, title, module, cls in PAGES:
            holder = QWidget()  # replaced by the real page when it is first shown
            holder.setObjectName(f"holder_{name}")
            self.stack.addWidget(holder)
            item = QListWidgetItem(self.tr(title))
            item.setData(Qt.UserRole, name)
            self.nav.addItem(item)
        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.nav)
        self.page_scroll = QScrollArea()  # a page larger than the window scrolls instead of widening the window
        self.page_scroll.setObjectName("pageScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.NoFrame)
        self.page_scroll.setFocusPolicy(Qt.NoFocus)  # Tab goes from the navigation into the page
        self.page_scroll.setWidget(self.stack)
        splitter.addWidget(self.page_scroll)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        splitter.setSizes([150, 1130])
        self.splitter = splitter
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

    def _action(self, text: str, name: str, shortcut, slot, menu) -> QAction:
        action = QAction(self.tr(text), self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _setup_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.new_action = self._action("新建(&N)", "newAction", QKeySequence.New,
                                       lambda: self.trigger_page_action("new"), file_menu)
        self.save_action = self._action("保存(&S)", "saveAction", QKeySequence.Save,
                                        lambda: self.trigger_page_action("save"), file_menu)
        self.print_action = self._action("打印(&P)…", "printAction", QKeySequence.Print,
                                         lambda: self.trigger_page_action("print"), file_menu)
        file_menu.addSeparator()
        self._action("退出(&X)", "quitAction", "Ctrl+Q", self.close, file_menu)
        edit_menu = self.menuBar().addMenu(self.tr("编辑(&E)"))
        self.find_action = self._action("查找(&F)", "findAction", QKeySequence.Find,
                                        lambda: self.trigger_page_action("search"), edit_menu)
        self.refresh_action = self._action("刷新(&R)", "refreshAction", QKeySequence.Refresh,
                                           self._on_refresh_triggered, edit_menu)
        self.go_menu = self.menuBar().addMenu(self.tr("转到(&G)"))
        for index, (name, title, _m, _c) in enumerate(PAGES):
            # Alt+1 … Alt+9 for the first nine pages (there is no Alt+10); the others through this menu
            self._action(title, f"goAction_{name}", f"Alt+{index + 1}" if index < 9 else None,
                         lambda _=False, n=name: self.show_page(n), self.go_menu)
        self.go_menu.addSeparator()
        self._action("下一页", "nextPageAction", "Ctrl+PgDown", lambda: self._step_page(1), self.go_menu)
        self._action("上一页", "previousPageAction", "Ctrl+PgUp", lambda: self._step_page(-1), self.go_menu)
        self._action("导航栏", "focusNavAction", "Alt+0", lambda: self.nav.setFocus(Qt.ShortcutFocusReason),
                     self.go_menu)
        self.admin_menu = self.menuBar().addMenu(self.tr("管理(&M)"))
        self.audit_action = QAction(self.tr("审计日志(&L)…"), self)
        self.audit_action.setObjectName("auditLogAction")
        self.audit_action.setEnabled(self.ctx.actor.can("admin"))
        self.audit_action.triggered.connect(lambda: importlib.import_module("gui.dialogs.audit_viewer").open_audit_viewer(self.ctx, self))
        self.admin_menu.addAction(self.audit_action)
        self.register_action = QAction(self.tr("发文登记(&D)…"), self)
        self.register_action.setObjectName("documentRegisterAction")
        self.register_action.setEnabled(self.ctx.actor.can("read"))
        self.register_action.triggered.connect(self._on_register_triggered)
        self.admin_menu.addAction(self.register_action)
        self.import_ledger_action = QAction(self.tr("导入记录(&I)…"), self)
        self.import_ledger_action.setObjectName("importLedgerAction")
        self.import_ledger_action.setEnabled(self.ctx.actor.can("read"))
        self.import_ledger_action.triggered.connect(self._on_import_ledger_triggered)
        self.admin_menu.addAction(self.import_ledger_action)
        self.help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.guide_action = self._action("使用说明(&U)", "guideAction", QKeySequence.HelpContents,
                                         self._on_guide_triggered, self.help_menu)
        self.about_action = self._action("关于(&A)", "aboutAction", None, self._on_about_triggered, self.help_menu)
        install_dialog_keys()

    def _on_register_triggered(self) -> None:
        """管理 → 发文登记 (gui/dialogs/document_register.py), one window kept while open."""
        module = importlib.import_module("gui.dialogs.document_register")
        self.register_dialog = module.open_document_register(self.ctx, self)

    def _on_import_ledger_triggered(self) -> None:
        """管理 → 导入记录 (gui/dialogs/import_ledger.py): past imports, and withdrawing one."""
        module = importlib.import_module("gui.dialogs.import_ledger")
        self.import_ledger_dialog = module.open_import_ledger(self.ctx, self)

    def build_page(self, name: str):
        """Build the page `name` now (once), in its place in the stack."""
        if dict.__contains__(self.pages, name):
            return dict.__getitem__(self.pages, name)
        index = self.page_names.index(name)
        _n, title, module, cls = PAGES[index]
        page = self._make_page(title, module, cls)
        page.setObjectName(f"page_{name}")
        dict.__setitem__(self.pages, name, page)
        holder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(holder)
        holder.deleteLater()
        if current == index:
            self.stack.setCurrentIndex(index)
        self._take_over_page_shortcuts(page)
        self._keep_combos_narrow(page)
        if self.restored:
            restore_page(self, page)
        return page

    def _make_page(self, title: str, module: str, cls: str):
        return getattr(importlib.import_module(module), cls)(self.ctx)

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)

    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        name = self.page_names[row]
        fresh = not dict.__contains__(self.pages, name)
        page = self.build_page(name)
        self.stack.setCurrentIndex(row)
        if hasattr(page, "refresh") and not fresh:  # a page just built has loaded itself
            page.refresh()
        page.layout() and page.layout().activate()
        apply_reading_order(page)

    def show_page(self, name: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.UserRole) == name:
                self.nav.setCurrentRow(row)
                return

    def current_page_name(self) -> str:
        return self.nav.currentItem().data(Qt.UserRole)

    # ------------------------------------------------------------------------------------------ keyboard
    def _take_over_page_shortcuts(self, page) -> None:
        """A page's own QShortcut for a key the window handles (the 干部 page's Ctrl+F, kept for the page used
        alone) would make the key ambiguous, and Qt then runs neither: the window's action takes over."""
        keys = {QKeySequence(QKeySequence.Find).toString(), QKeySequence(QKeySequence.New).toString(),
                QKeySequence(QKeySequence.Print).toString(), QKeySequence(QKeySequence.Save).toString()}
        for shortcut in page.findChildren(QShortcut):
            if shortcut.key().toString() in keys:
                shortcut.setEnabled(False)

    def _keep_combos_narrow(self, page) -> None:
        """A combo box is as wide as its longest entry by default; one with long entries (templates, font files)
        would make its page wider than a 1366-pixel screen at 150 %. Such combos show about 24 characters; the
        list that opens still shows each entry in full."""
        for combo in page.findChildren(QComboBox):
            if combo.sizeAdjustPolicy() == QComboBox.AdjustToMinimumContentsLengthWithIcon:
                continue
            if combo.sizeHint().width() > combo.fontMetrics().horizontalAdvance("中") * 28:
                combo.setMinimumContentsLength(24)
                combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
                combo.view().setTextElideMode(Qt.ElideNone)

    def trigger_page_action(self, what: str) -> bool:
        """Ctrl+F / Ctrl+N / Ctrl+P / Ctrl+S: the current page's method, else its button, else a note."""
        page = self.stack.currentWidget()
        method, attributes = PAGE_ACTIONS[what]
        fn = getattr(page, method, None)
        if callable(fn):
            fn()
            return True
        for attribute in attributes:
            widget = getattr(page, attribute, None)
            if isinstance(widget, QLineEdit) and not widget.isHidden():
                widget.setFocus(Qt.ShortcutFocusReason)
                widget.selectAll()
                return True
            if isinstance(widget, QAbstractButton) and not widget.isHidden() and widget.isEnabled():
                widget.click()
                return True
        if what == "save":
            focus = QApplication.focusWidget()
            button = find_save_button(focus if focus is not None and page.isAncestorOf(focus) else page, page)
            if button is not None:
                button.click()
                return True
        if what == "search" and self.current_page_name() != "cadres" and "cadres" in self.pages:
            self.show_page("cadres")  # finding a cadre is the search everyone means
            return self.trigger_page_action("search")
        notes = {"search": "本页没有查找框。", "new": "本页没有可新建的内容。",
                 "print": "本页没有可打印的内容：请在 回访教育、澄清正名 页选中一条记录，或在 工作台 打印名单。",
                 "save": "本页没有需要保存的内容。"}
        self.statusBar().showMessage(self.tr(notes[what]), 5000)
        return False

    def _step_page(self, step: int) -> None:
        self.nav.setCurrentRow((self.nav.currentRow() + step) % self.nav.count())

    def _on_refresh_triggered(self) -> None:
        page = self.stack.currentWidget()
        if hasattr(page, "refresh"):
            page.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        try:
            save_window(self)
        except Exception:  # noqa: BLE001 - never keep the user from closing the program
            log.exception("window state not saved")
        super().closeEvent(event)

    def _on_guide_triggered(self) -> None:
        from gui.dialogs.help import open_user_guide

        open_user_guide(self)

    def _on_about_triggered(self) -> None:
        try:
            from gui.dialogs.about import AboutDialog

            AboutDialog(self.ctx, self).exec()
        except ModuleNotFoundError:
            QMessageBox.about(self, self.tr("关于"), self.tr("干部关爱与问责记录"))


def apply_reading_order(container: QWidget) -> list[QWidget]:
    """Tab moves through the visible controls of `container` as one reads the screen: row by row from the top,
    left to right within a row (widgets added later, like the 工作台's tiles, otherwise come last)."""
    items = []
    for widget in container.findChildren(QWidget):
        if not (widget.focusPolicy() & Qt.TabFocus) or not widget.isVisibleTo(container):
            continue
        if widget.focusProxy() is not None or isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the inner line edit of a combo or date box moves with its box
        top_left = widget.mapTo(container, widget.rect().topLeft())
        items.append((top_left.y(), top_left.y() + widget.height(), top_left.x(), widget))
    items.sort(key=lambda item: (item[0], item[2]))
    rows: list[list[tuple]] = []
    for item in items:
        if rows and item[0] < rows[-1][0][1] - 2 and item[0] >= rows[-1][0][0] - 2:
            rows[-1].append(item)  # starts within the height of the row's first control: same row
        else:
            rows.append([item])
    ordered = [item[3] for row in rows for item in sorted(row, key=lambda i: i[2])]
    for first, second in zip(ordered, ordered[1:]):
        QWidget.setTabOrder(first, second)
    return ordered


def find_save_button(start: QWidget | None, top: QWidget) -> QAbstractButton | None:
    """The 保存 button nearest to `start` (the focused widget) inside `top`: a QDialogButtonBox's Save button, or
    a push button whose object name starts with "save". Only visible, enabled buttons of top's own window."""
    widget = start if start is not None else top
    while widget is not None:
        for box in widget.findChildren(QDialogButtonBox):
            button = box.button(QDialogButtonBox.Save)
            if button is not None and button.isVisible() and button.isEnabled() and button.window() is top.window():
                return button
        for button in widget.findChildren(QPushButton):
            if (button.objectName().lower().startswith("save") and button.isVisible() and button.isEnabled()
                    and button.window() is top.window()):
                return button
        if widget is top:
            break
        widget = widget.parentWidget()
    return None


class DialogKeys(QObject):
    """Ctrl+S in any dialog presses its 保存 button (dialogs are windows of their own, which the main window's
    actions do not reach). Installed once on the application."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.KeyPress or not isinstance(obj, QWidget):
            return False
        if not event.matches(QKeySequence.Save):
            return False
        dialog = obj.window()
        if not isinstance(dialog, QDialog):
            return False
        button = find_save_button(obj, dialog)
        if button is None:
            return False
        button.click()
        return True


def install_dialog_keys() -> None:
    app = QApplication.instance()
    if app is None or getattr(app, "_dialog_keys", None) is not None:
        return
    app._dialog_keys = DialogKeys(app)
    app.installEventFilter(app._dialog_keys)
