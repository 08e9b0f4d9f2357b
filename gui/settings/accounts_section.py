"""设置 → 账号与权限: everyone changes their own password; administrators manage accounts and the lock rules."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from gui.context import AppContext
from gui.errors import show_error
from gui.dialogs.login import PasswordChangeDialog, password_field
from gui.ops import Change
from models.services import accounts
from models.core import settings_store
from models.core.actor import ROLE_LABELS
from models.core.errors import AppError

ROLE_HELP = {
    "admin": "管理员：全部功能，含账号、设置、审计日志、备份恢复",
    "officer": "经办人：录入和修改、导出、办理举报，可见完整身份证号",
    "viewer": "查阅人：只能查阅和打印，身份证号部分隐藏，看不到举报人",
}


class UserDialog(QDialog):
    """New account (user name, name, role, password) or a new password for an existing one."""

    def __init__(self, parent: QWidget | None = None, *, username: str | None = None):
        super().__init__(parent)
        self.reset_for = username
        self.setObjectName("userDialog")
        self.setWindowTitle(self.tr("重设密码") if username else self.tr("新建账号"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.username_edit = QLineEdit(username or "")
        self.username_edit.setObjectName("newUsernameEdit")
        self.username_edit.setMaxLength(32)
        self.username_edit.setReadOnly(bool(username))
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setObjectName("newDisplayNameEdit")
        self.display_name_edit.setMaxLength(40)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("newRoleCombo")
        for code, label in ROLE_LABELS.items():
            self.role_combo.addItem(self.tr(label), code)
            self.role_combo.setItemData(self.role_combo.count() - 1, self.tr(ROLE_HELP[code]), Qt.ToolTipRole)
        self.role_combo.setCurrentIndex(self.role_combo.findData("officer"))
        self.password_edit = password_field("newPasswordEdit")
        self.repeat_edit = password_field("newRepeatEdit")
        form.addRow(self.tr("用户名："), self.username_edit)
        if not username:
            form.addRow(self.tr("姓名："), self.display_name_edit)
            form.addRow(self.tr("角色："), self.role_combo)
        form.addRow(self.tr("密码：") if not username else self.tr("新密码："), self.password_edit)
        form.addRow(self.tr("再次输入："), self.repeat_edit)
        layout.addLayout(form)
        hint = QLabel(self.tr("密码至少 %1 位，须同时包含字母和数字。").replace("%1", str(accounts.MIN_PASSWORD_LENGTH)))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.message = QLabel()
        self.message.setObjectName("userDialogMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setObjectName("userDialogOk")
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


class AccountsSection(QWidget):
    TITLE = "账号与权限"

    COL_USERNAME, COL_NAME, COL_ROLE, COL_STATE, COL_LAST_LOGIN = range(5)
    HEADERS = ("用户名", "姓名", "角色", "状态", "最近登录")

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list[accounts.UserRow] = []
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    # --- building ---------------------------------------------------------------------------------------
    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        me = QGroupBox(self.tr("我的账号"))
        me_layout = QHBoxLayout(me)
        self.me_label = QLabel()
        self.me_label.setObjectName("meLabel")
        self.me_label.setTextFormat(Qt.PlainText)
        self.change_password_button = QPushButton(self.tr("修改我的密码…"))
        self.change_password_button.setObjectName("changePasswordButton")
        me_layout.addWidget(self.me_label, 1)
        me_layout.addWidget(self.change_password_button)
        layout.addWidget(me)

        self.admin_box = QGroupBox(self.tr("全部账号（仅管理员）"))
        admin_layout = QVBoxLayout(self.admin_box)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        admin_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新建账号…"))
        self.add_button.setObjectName("addUserButton")
        self.role_button = QPushButton(self.tr("修改角色…"))
        self.role_button.setObjectName("changeRoleButton")
        self.reset_button = QPushButton(self.tr("重设密码…"))
        self.reset_button.setObjectName("resetPasswordButton")
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setObjectName("unlockUserButton")
        self.active_button = QPushButton(self.tr("停用…"))
        self.active_button.setObjectName("toggleActiveButton")
        for b in (self.add_button, self.role_button, self.reset_button, self.unlock_button, self.active_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        admin_layout.addLayout(buttons)
        note = QLabel(self.tr("账号不会被删除：调离、退休的人员请“停用”，其操作记录保留在审计日志中。"))
        note.setWordWrap(True)
        admin_layout.addWidget(note)
        layout.addWidget(self.admin_box, 1)

        self.policy_box = QGroupBox(self.tr("登录与锁定（仅管理员）"))
        form = QFormLayout(self.policy_box)
        self.max_failed_spin = QSpinBox()
        self.max_failed_spin.setObjectName("maxFailedSpin")
        self.max_failed_spin.setRange(1, 20)
        self.max_failed_spin.setSuffix(self.tr(" 次"))
        self.lock_minutes_spin = QSpinBox()
        self.lock_minutes_spin.setObjectName("lockMinutesSpin")
        self.lock_minutes_spin.setRange(1, 1440)
        self.lock_minutes_spin.setSuffix(self.tr(" 分钟"))
        self.idle_minutes_spin = QSpinBox()
        self.idle_minutes_spin.setObjectName("idleMinutesSpin")
        self.idle_minutes_spin.setRange(0, 480)
        self.idle_minutes_spin.setSuffix(self.tr(" 分钟"))
        self.idle_minutes_spin.setSpecialValueText(self.tr("不锁定"))
        self.save_policy_button = QPushButton(self.tr("保存"))
        self.save_policy_button.setObjectName("savePolicyButton")
        form.addRow(self.tr("密码连续输错几次后锁定账号："), self.max_failed_spin)
        form.addRow(self.tr("账号锁定时长："), self.lock_minutes_spin)
        form.addRow(self.tr("无操作多久后锁定界面："), self.idle_minutes_spin)
        form.addRow("", self.save_policy_button)
        layout.addWidget(self.policy_box)

        is_admin = self.ctx.actor.can("admin")
        self.admin_box.setVisible(is_admin)
        self.policy_box.setVisible(is_admin)

    def _connect_signals(self) -> None:
        self.change_password_button.clicked.connect(self._on_change_password_button_clicked)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.role_button.clicked.connect(self._on_role_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.save_policy_button.clicked.connect(self._on_save_policy_button_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.ctx.data_changed.connect(self._on_ctx_data_changed)

    # --- loading ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        a = self.ctx.actor
        self.me_label.setText(self.tr("%1（%2），角色：%3")
                              .replace("%1", a.display_name or a.username).replace("%2", a.username)
                              .replace("%3", ROLE_LABELS.get(a.role, a.role)))
        if not a.can("admin"):
            return
        with self.ctx.db.session() as s:
            self._rows = accounts.list_users(s, a)
            policy = settings_store.get_many(s, "security.")
        selected = self.selected_username()
        self.table.setRowCount(len(self._rows))
        for r, u in enumerate(self._rows):
            if not u.active:
                state = self.tr("已停用")
            elif u.locked_until is not None:
                state = self.tr("锁定至 ") + f"{u.locked_until:%Y-%m-%d %H:%M}"
            else:
                state = self.tr("在用")
            values = (u.username, u.display_name, u.role_label, state,
                      f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "")
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
            if u.username == selected:
                self.table.selectRow(r)
        self.max_failed_spin.setValue(int(policy["security.max_failed_logins"]))
        self.lock_minutes_spin.setValue(int(policy["security.lock_minutes"]))
        self.idle_minutes_spin.setValue(int(policy["security.idle_minutes"]))
        self._update_buttons()

    def selected_username(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), self.COL_USERNAME)
        return item.text() if item else None

    def _selected(self) -> accounts.UserRow | None:
        name = self.selected_username()
        return next((u for u in self._rows if u.username == name), None)

    def _update_buttons(self) -> None:
        u = self._selected()
        for b in (self.role_button, self.reset_button, self.active_button):
            b.setEnabled(u is not None)
        self.unlock_button.setEnabled(u is not None and u.locked_until is not None)
        self.active_button.setText(self.tr("重新启用") if u is not None and not u.active else self.tr("停用…"))

    def _on_ctx_data_changed(self, entity: str) -> None:
        if entity in (Change.USER, Change.SETTINGS, Change.DATABASE):
            self.refresh()

    # --- actions ----------------------------------------------------------------------------------------
    def _run(self, fn) -> bool:
        """One action, one transaction; errors shown in a dialog."""
        try:
            with self.ctx.db.session() as s:
                fn(s)
        except AppError as exc:
            show_error(self, exc)
            return False
        self.ctx.notify(Change.USER)
        return True

    def create_user(self, username: str, display_name: str, role: str, password: str) -> None:
        with self.ctx.db.session() as s:
            accounts.create_user(s, self.ctx.actor, username, display_name, role, password)
        self.ctx.notify(Change.USER)

    def _on_add_button_clicked(self) -> None:
        dialog = UserDialog(self)

        def accept():
            if dialog.password_edit.text() != dialog.repeat_edit.text():
                dialog.show_message(self.tr("两次输入的密码不一致。请重新输入。"))
                return
            try:
                self.create_user(dialog.username_edit.text(), dialog.display_name_edit.text(),
                                 dialog.role_combo.currentData(), dialog.password_edit.text())
            except AppError as exc:
                dialog.show_message(exc.message)
                return
            dialog.accept()

        dialog.buttons.accepted.connect(accept)
        dialog.exec()

    def _on_reset_button_clicked(self) -> None:
        u = self._selected()
        if u is None:
            return
        dialog = UserDialog(self, username=u.username)

        def accept():
            if dialog.password_edit.text() != dialog.repeat_edit.text():
                dialog.show_message(self.tr("两次输入的密码不一致。请重新输入。"))
                return
            try:
                with self.ctx.db.session() as s:
                    accounts.reset_password(s, self.ctx.actor, u.username, dialog.password_edit.text())
            except AppError as exc:
                dialog.show_message(exc.message)
                return
            dialog.accept()
            self.ctx.notify(Change.USER)
            QMessageBox.information(self, self.tr("已重设"), self.tr("已为 %1 设置新密码，请当面告知本人并提醒其登录后修改。").replace("%1", u.username))

        dialog.buttons.accepted.connect(accept)
        dialog.exec()

    def _on_role_button_clicked(self) -> None:
        u = self._selected()
        if u is None:
            return
        labels = [self.tr(ROLE_LABELS[c]) for c in ROLE_LABELS]
        codes = list(ROLE_LABELS)
        label, ok = QInputDialog.getItem(self, self.tr("修改角色"), self.tr("%1 的角色：").replace("%1", u.username),
                                         labels, codes.index(u.role), False)
        if ok:
            self._run(lambda s: accounts.update_user(s, self.ctx.actor, u.username, role=codes[labels.index(label)]))

    def _on_unlock_button_clicked(self) -> None:
        u = self._selected()
        if u is not None:
            self._run(lambda s: accounts.unlock(s, self.ctx.actor, u.username))

    def _on_active_button_clicked(self) -> None:
        u = self._selected()
        if u is None:
            return
        if not u.active:
            self._run(lambda s: accounts.set_active(s, self.ctx.actor, u.username, True))
            return
        reason, ok = QInputDialog.getText(self, self.tr("停用账号"),
                                          self.tr("停用 %1 的原因（如：调离、退休）：").replace("%1", u.username))
        if ok:
            self._run(lambda s: accounts.set_active(s, self.ctx.actor, u.username, False, reason))

    def _on_change_password_button_clicked(self) -> None:
        if PasswordChangeDialog(self.ctx.db, self.ctx.actor, parent=self).exec() == QDialog.Accepted:
            QMessageBox.information(self, self.tr("已修改"), self.tr("密码已修改，下次登录请使用新密码。"))

    def _on_save_policy_button_clicked(self) -> None:
        values = {
            "security.max_failed_logins": self.max_failed_spin.value(),
            "security.lock_minutes": self.lock_minutes_spin.value(),
            "security.idle_minutes": self.idle_minutes_spin.value(),
        }

        def save(s):
            for key, value in values.items():
                if settings_store.get(s, key) != value:
                    settings_store.put(s, self.ctx.actor, key, value)

        if self._run(save):
            self.ctx.notify(Change.SETTINGS)
            QMessageBox.information(self, self.tr("已保存"), self.tr("登录与锁定设置已保存。界面锁定时长在下次启动时生效。"))
