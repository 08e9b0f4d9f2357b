"""Who uses the program: the first-run dialog creates the administrator; afterwards everyone logs in.

The rules (password strength, lock after failed logins, deactivated accounts) live in models/services/accounts.py; these
dialogs only collect the input and show the Chinese message the service returns.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from typing import TYPE_CHECKING

from models.core.errors import AppError
from models.core.password_limits import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

if TYPE_CHECKING:  # the login window shows before SQLAlchemy is loaded (gui/startup.py)
    from models.core.actor import Actor
    from models.core.db import Database


def _accounts():
    from models.services import accounts

    return accounts


# The login window is the first thing a start shows, so it is built without touching Qt's `Qt` namespace: the
# first use of it (an enum such as Qt.PlainText, or an overload that takes a Qt type, like QDialogButtonBox(buttons))
# creates all its ~107 enum classes, 33 ms here, before the window could appear. The main window needs it anyway.


def _plain(label: QLabel) -> None:
    from PySide6.QtCore import Qt

    label.setTextFormat(Qt.PlainText)


class MessageLabel(QLabel):
    """A red, wrapped message that is always plain text (it may quote what was typed); the plain-text format is
    set with the first message, not when the window is built (see above)."""

    _plain_set = False

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        if not self._plain_set:
            _plain(self)
            self._plain_set = True
        super().setText(text)


def _message_label() -> QLabel:
    label = MessageLabel()
    label.setObjectName("messageLabel")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.hide()
    return label


def plain_label(text: str) -> QLabel:
    """A label showing `text` as written. Text without "<" or "&" is never taken for rich text (Qt's
    mightBeRichText looks for a tag or "&lt;"), so only such text needs the explicit format."""
    label = QLabel(text)
    if "<" in text or "&" in text:
        _plain(label)
    return label


def ok_cancel() -> QDialogButtonBox:
    """OK and Cancel, set after construction: the constructor taking the buttons is an overload that touches
    the Qt namespace (see above)."""
    buttons = QDialogButtonBox()
    buttons.setStandardButtons(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    return buttons


def password_field(name: str) -> QLineEdit:
    """A password entry: hidden characters, at most the longest password accepted."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.Password)
    edit.setMaxLength(MAX_PASSWORD_LENGTH)
    return edit


class FirstRunDialog(QDialog):
    """Shown when the database has no account yet: creates the administrator and logs them in.

    Attributes:
        actor: the new administrator after a successful accept().
    """

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.actor: "Actor | None" = None
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("首次使用：建立管理员账号"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "这是第一次使用本程序。请先建立管理员账号：管理员可以添加其他账号（经办人、查阅人）、"
            "修改设置、查看审计日志和备份恢复。请牢记密码——密码只以不可逆的方式保存，忘记后只能由另一位管理员重设。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("usernameEdit")
        self.username_edit.setMaxLength(32)
        self.username_edit.setPlaceholderText(self.tr("例如 admin 或 wangjun"))
        self.display_name_edit = QLineEdit()
        self.display_name_edit.setObjectName("displayNameEdit")
        self.display_name_edit.setMaxLength(40)
        self.password_edit = password_field("passwordEdit")
        self.password_edit.setPlaceholderText(self.tr("至少 %1 位，含字母和数字").replace("%1", str(MIN_PASSWORD_LENGTH)))
        self.repeat_edit = password_field("repeatEdit")
        form.addRow(self.tr("用户名："), self.username_edit)
        form.addRow(self.tr("姓名："), self.display_name_edit)
        form.addRow(self.tr("密码："), self.password_edit)
        form.addRow(self.tr("再次输入密码："), self.repeat_edit)
        layout.addLayout(form)
        self.message = _message_label()
        layout.addWidget(self.message)
        self.buttons = ok_cancel()
        self.buttons.setObjectName("buttons")
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText(self.tr("建立管理员并登录"))
        self.ok_button.setObjectName("createAdminButton")
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _on_buttons_accepted(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self._show(self.tr("两次输入的密码不一致。请重新输入。"))
            self.repeat_edit.clear()
            self.repeat_edit.setFocus()
            return
        try:
            with self.db.session() as s:
                _accounts().create_first_admin(
                    s, self.username_edit.text(), self.display_name_edit.text(), self.password_edit.text())
            with self.db.session() as s:
                result = _accounts().authenticate(s, self.username_edit.text(), self.password_edit.text())
        except AppError as exc:
            self._show(exc.message)
            return
        self.actor = result.actor
        self.accept()


class LoginDialog(QDialog):
    """User name and password. A wrong password is counted; the service locks the account after too many.

    Attributes:
        actor: the logged-in user after accept().
    """

    def __init__(self, db: Database, parent: QWidget | None = None, *, username: str = ""):
        super().__init__(parent)
        self.db = db
        self.actor: "Actor | None" = None
        self._setup_ui()
        self._connect_signals()
        if username:
            self.username_edit.setText(username)
            self.password_edit.setFocus()

    def _setup_ui(self) -> None:
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("登录 — 干部关爱与问责记录"))
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        where = plain_label(self.tr("数据库：") + self.db.display_name)
        where.setObjectName("databaseLabel")
        where.setWordWrap(True)
        layout.addWidget(where)
        form = QFormLayout()
        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("usernameEdit")
        self.username_edit.setMaxLength(32)
        self.password_edit = password_field("passwordEdit")
        form.addRow(self.tr("用户名："), self.username_edit)
        form.addRow(self.tr("密码："), self.password_edit)
        layout.addLayout(form)
        self.message = _message_label()
        layout.addWidget(self.message)
        self.buttons = ok_cancel()
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText(self.tr("登录"))
        self.ok_button.setObjectName("loginButton")
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("退出"))
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        if not self.username_edit.text().strip():
            self.message.setText(self.tr("请输入用户名。"))
            self.message.show()
            return
        if not getattr(self.db, "ready", True):  # still opening behind the window (gui/startup.py)
            self.message.setText(self.tr("正在打开数据库，请稍候……"))
            self.message.show()
            self.ok_button.setEnabled(False)
            QTimer.singleShot(50, self._retry_when_ready)
            return
        typed = self.password_edit.text()
        with self.db.session() as s:  # committed even when the password is wrong: the failure counts
            result = _accounts().authenticate(s, self.username_edit.text(), typed)
        self.password_edit.clear()
        if not result.ok:
            self.message.setText(result.message)
            self.message.show()
            self.password_edit.setFocus()
            return
        if result.must_change_password:
            self.new_password_dialog = PasswordChangeDialog(self.db, result.actor, typed, self)
            if self.new_password_dialog.exec() != QDialog.Accepted:
                self.message.setText(self.tr("这个密码是管理员设置的。请先把它改为只有您自己知道的新密码，才能登录使用。"))
                self.message.show()
                self.password_edit.setFocus()
                return
        self.actor = result.actor
        self.accept()


    def _retry_when_ready(self) -> None:
        if not self.isVisible():
            return
        if not self.db.ready:
            QTimer.singleShot(50, self._retry_when_ready)
            return
        self.ok_button.setEnabled(True)
        self.message.hide()
        self._on_buttons_accepted()


class PasswordChangeDialog(QDialog):
    """A user sets a new password of their own: asked for the old one (设置 → 我的账号), or right after a login
    with a password an administrator chose (new account, reset), when the password just typed is the old one."""

    def __init__(self, db: Database, actor: Actor, current_password: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor, self._current = db, actor, current_password
        self._setup_ui()
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _setup_ui(self) -> None:
        forced = self._current is not None
        self.setObjectName("newPasswordDialog" if forced else "changePasswordDialog")
        self.setWindowTitle(self.tr("设置新密码") if forced else self.tr("修改我的密码"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        if forced:
            intro = QLabel(self.tr("您的密码是管理员设置的。为了只有您自己能以您的名义记录和修改，请现在设置一个新密码"
                                   "（至少 %1 位，含字母和数字）。").replace("%1", str(MIN_PASSWORD_LENGTH)))
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.old_edit = None if forced else password_field("oldPasswordEdit")
        if self.old_edit is not None:
            form.addRow(self.tr("原密码："), self.old_edit)
        self.password_edit = password_field("newPasswordEdit")
        self.repeat_edit = password_field("repeatPasswordEdit")
        form.addRow(self.tr("新密码："), self.password_edit)
        form.addRow(self.tr("再次输入新密码："), self.repeat_edit)
        layout.addLayout(form)
        self.message = _message_label()
        layout.addWidget(self.message)
        self.buttons = ok_cancel()
        self.ok_button = self.buttons.button(QDialogButtonBox.Ok)
        self.ok_button.setText(self.tr("保存并登录") if forced else self.tr("保存"))
        self.ok_button.setObjectName("saveNewPasswordButton")
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)

    def _on_buttons_accepted(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.message.setText(self.tr("两次输入的新密码不一致。请重新输入。"))
            self.message.show()
            self.repeat_edit.clear()
            self.repeat_edit.setFocus()
            return
        old = self._current if self.old_edit is None else self.old_edit.text()
        try:
            with self.db.session() as s:
                _accounts().change_password(s, self.actor, old, self.password_edit.text())
        except AppError as exc:
            self.message.setText(exc.message)
            self.message.show()
            return
        self._current = None  # the typed password is not kept longer than needed
        self.accept()


def obtain_actor(db: Database, parent=None) -> Actor | None:
    """Return the logged-in user, or None when the user gave up (the program then quits)."""
    with db.session() as s:
        first_run = not _accounts().has_users(s)
    dialog = FirstRunDialog(db, parent) if first_run else LoginDialog(db, parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return dialog.actor
