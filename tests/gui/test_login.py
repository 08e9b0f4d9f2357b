"""First run creates the administrator; the login dialog counts wrong passwords and locks; the idle lock."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMainWindow, QLabel
from sqlalchemy import select

from gui.context import AppContext
from gui.idle_lock import IdleLock
from gui.dialogs.login import FirstRunDialog, LoginDialog
from models.services import accounts
from models.entities import AuditEvent, User


def _make_admin(db):
    with db.session() as s:
        accounts.create_first_admin(s, "admin", "王管理", "tiger4lamp")


def test_first_run_dialog_creates_the_administrator(qtbot, db):
    dialog = FirstRunDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username_edit.setText("wangjun")
    dialog.display_name_edit.setText("王军")
    dialog.password_edit.setText("moon7river")
    dialog.repeat_edit.setText("abc12346")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.message.isVisible() and "不一致" in dialog.message.text()
    dialog.repeat_edit.setText("abc")
    dialog.password_edit.setText("abc")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert "至少需要 8 位" in dialog.message.text()
    with db.session() as s:
        assert not accounts.has_users(s)
    dialog.password_edit.setText("moon7river")
    dialog.repeat_edit.setText("moon7river")
    dialog.grab().save("/tmp/trust_first_run.png")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    assert dialog.actor.username == "wangjun" and dialog.actor.role == "admin"
    with db.session() as s:
        user = s.scalar(select(User))
        assert (user.username, user.display_name, user.role) == ("wangjun", "王军", "admin")


def _submitted(qtbot, db, username: str, password: str) -> LoginDialog:
    """The login window for a database with an administrator, after typing these and pressing 登录."""
    _make_admin(db)
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username_edit.setText(username)
    dialog.password_edit.setText(password)
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    return dialog


def test_login_dialog_wrong_then_right_password(qtbot, db):
    dialog = _submitted(qtbot, db, "admin", "wrong1234")
    assert dialog.result() != QDialog.Accepted
    assert "用户名或密码不正确" in dialog.message.text() and "再输错 4 次" in dialog.message.text()
    assert dialog.password_edit.text() == ""
    dialog.grab().save("/tmp/trust_login.png")
    with db.session() as s:
        assert s.scalar(select(User.failed_logins)) == 1
    dialog.password_edit.setText("tiger4lamp")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted and dialog.actor.display_name == "王管理"
    with db.session() as s:
        assert [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))] == ["create", "login_failed", "login"]


def test_login_dialog_locks_after_five_wrong_passwords(qtbot, db):
    _make_admin(db)
    dialog = LoginDialog(db, username="admin")
    qtbot.addWidget(dialog)
    for _ in range(5):
        dialog.password_edit.setText("wrong1234")
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert "已锁定 15 分钟" in dialog.message.text()
    dialog.password_edit.setText("tiger4lamp")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() != QDialog.Accepted and "锁定" in dialog.message.text()


def test_idle_lock_covers_the_window_and_unlocks_with_the_password(qtbot, db):
    _make_admin(db)
    with db.session() as s:
        actor = accounts.authenticate(s, "admin", "tiger4lamp").actor
    ctx = AppContext(db, actor)
    window = QMainWindow()
    secret = QLabel("张三 110101199003070011")
    window.setCentralWidget(secret)
    window.resize(600, 400)
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(ctx, window, interval_ms=100)
    with qtbot.waitSignal(lock.locked, timeout=3000):
        pass
    assert lock.is_locked and lock.dialog.isVisible()
    cover = window.findChild(QLabel, "lockCover")
    assert cover.isVisible() and cover.geometry() == window.rect() and "已锁定" in cover.text()
    window.grab().save("/tmp/trust_idle_locked.png")
    lock.dialog.password_edit.setText("wrong1234")
    qtbot.mouseClick(lock.dialog.unlock_button, Qt.LeftButton)
    assert lock.is_locked and "用户名或密码不正确" in lock.dialog.message.text()
    lock.dialog.password_edit.setText("tiger4lamp")
    with qtbot.waitSignal(lock.unlocked, timeout=3000):
        qtbot.mouseClick(lock.dialog.unlock_button, Qt.LeftButton)
    assert not lock.is_locked and not cover.isVisible() and secret.isVisible()
    assert window.menuBar().isEnabled() and lock.timer.isActive()
    lock.set_interval(0)
    assert not lock.timer.isActive()


def _on_next_modal(fill):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def later():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, later)
            return
        fill(dialog)
    QTimer.singleShot(0, later)


def test_obtain_actor_first_run_then_login_then_cancel(qtbot, db):
    from gui.dialogs.login import obtain_actor

    def create(dialog):
        assert isinstance(dialog, FirstRunDialog)
        dialog.username_edit.setText("admin")
        dialog.display_name_edit.setText("王管理")
        dialog.password_edit.setText("tiger4lamp")
        dialog.repeat_edit.setText("tiger4lamp")
        dialog.ok_button.click()

    _on_next_modal(create)
    actor = obtain_actor(db)
    assert actor is not None and actor.username == "admin" and actor.role == "admin"

    def login(dialog):
        assert isinstance(dialog, LoginDialog)
        dialog.username_edit.setText("admin")
        dialog.password_edit.setText("tiger4lamp")
        dialog.ok_button.click()

    _on_next_modal(login)
    assert obtain_actor(db).display_name == "王管理"
    _on_next_modal(lambda dialog: dialog.reject())
    assert obtain_actor(db) is None  # 退出: the program quits


def test_login_with_a_password_the_administrator_chose_asks_for_a_new_one(qtbot, db):
    from PySide6.QtCore import QTimer

    _make_admin(db)
    with db.session() as s:
        admin = accounts.authenticate(s, "admin", "tiger4lamp").actor
        accounts.create_user(s, admin, "li", "李经办", "officer", "first123")
    dialog = LoginDialog(db, username="li")
    qtbot.addWidget(dialog)
    dialog.show()

    def cancel_it():
        dialog.new_password_dialog.reject()

    QTimer.singleShot(0, cancel_it)
    dialog.password_edit.setText("first123")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert dialog.result() != QDialog.Accepted and "管理员设置的" in dialog.message.text()

    seen = {}

    def set_new():
        box = dialog.new_password_dialog
        box.password_edit.setText("mine12345")
        box.repeat_edit.setText("mine1234")  # a typo first
        qtbot.mouseClick(box.ok_button, Qt.LeftButton)
        seen["typo"] = box.message.text()
        box.repeat_edit.setText("mine12345")
        box.grab().save("/tmp/trust_new_password.png")
        qtbot.mouseClick(box.ok_button, Qt.LeftButton)

    QTimer.singleShot(0, set_new)
    dialog.password_edit.setText("first123")
    qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
    assert "不一致" in seen["typo"]
    assert dialog.result() == QDialog.Accepted and dialog.actor.username == "li"
    with db.session() as s:
        assert accounts.authenticate(s, "li", "mine12345").ok
        assert not s.scalar(select(User.must_change_password).where(User.username == "li"))


def test_messages_and_the_database_name_show_as_typed_never_as_markup(qtbot, db):
    """The login window is built without Qt's namespace of enums (it cost 33 ms before the window could show), so
    the plain-text format is set with the first message and on a database name that could be read as markup."""
    from gui.dialogs.login import plain_label

    dialog = _submitted(qtbot, db, "<b>admin</b>", "wrong-password")
    qtbot.waitUntil(lambda: dialog.message.isVisible() and dialog.message.text() != "")
    assert dialog.message.textFormat() == Qt.PlainText
    marked = plain_label("数据库：/tmp/<i>档案</i>.sqlite3")
    assert marked.textFormat() == Qt.PlainText and marked.text() == "数据库：/tmp/<i>档案</i>.sqlite3"
    assert plain_label("数据库：/tmp/a&lt;b.sqlite3").textFormat() == Qt.PlainText
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok) is dialog.ok_button
    assert dialog.buttons.button(dialog.buttons.StandardButton.Cancel).text() == "退出"
