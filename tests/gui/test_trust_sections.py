"""设置 → 账号与权限 and 备份与恢复, and the audit log viewer: real clicks, checked in the database and on screen."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from sqlalchemy import select

from gui.dialogs.audit_viewer import AuditTableModel, AuditViewer, open_audit_viewer
from gui.context import AppContext
from gui.main_window import MainWindow
from gui.settings.accounts_section import AccountsSection
from gui.settings.backup_section import BackupSection, start_auto_backup
from models.services import accounts
from models.core import audit, backup
from models.entities import AuditEvent, Cadre, User


@pytest.fixture
def admin_actor(db):
    with db.session() as s:
        accounts.create_first_admin(s, "admin", "王管理", "tiger4lamp")
    with db.session() as s:
        return accounts.authenticate(s, "admin", "tiger4lamp").actor


@pytest.fixture
def quiet_boxes(monkeypatch):
    shown = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *a, _n=name: shown.append((_n, title, text)))
    return shown


def _in_modal(qtbot, fill):
    """Run `fill(dialog)` on the next modal dialog that opens."""
    def later():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, later)
            return
        fill(dialog)
    QTimer.singleShot(0, later)


def _row_of(section, username):
    for r in range(section.table.rowCount()):
        if section.table.item(r, section.COL_USERNAME).text() == username:
            return r
    raise AssertionError(username)


def test_admin_adds_a_user_changes_role_deactivates(qtbot, db, admin_actor, monkeypatch, quiet_boxes):
    ctx = AppContext(db, admin_actor)
    section = AccountsSection(ctx)
    qtbot.addWidget(section)
    section.resize(800, 600)
    section.show()

    def fill(dialog):
        dialog.username_edit.setText("li")
        dialog.display_name_edit.setText("李经办")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("officer"))
        dialog.password_edit.setText("first123")
        dialog.repeat_edit.setText("first123")
        dialog.buttons.accepted.emit()

    _in_modal(qtbot, fill)
    qtbot.mouseClick(section.add_button, Qt.LeftButton)
    r = _row_of(section, "li")
    assert [section.table.item(r, c).text() for c in range(4)] == ["li", "李经办", "经办人", "在用"]
    section.table.selectRow(r)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("查阅人", True))
    qtbot.mouseClick(section.role_button, Qt.LeftButton)
    assert section.table.item(_row_of(section, "li"), section.COL_ROLE).text() == "查阅人"
    section.table.selectRow(_row_of(section, "li"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("调离", True))
    qtbot.mouseClick(section.active_button, Qt.LeftButton)
    assert section.table.item(_row_of(section, "li"), section.COL_STATE).text() == "已停用"
    section.grab().save("/tmp/trust_accounts_section.png")
    with db.session() as s:
        user = s.scalar(select(User).where(User.username == "li"))
        assert (user.role, user.active) == ("viewer", False)
    # The last administrator cannot be demoted: the service's message is shown, nothing changes.
    section.table.selectRow(_row_of(section, "admin"))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("经办人", True))
    qtbot.mouseClick(section.role_button, Qt.LeftButton)
    assert quiet_boxes and "唯一在用的管理员" in quiet_boxes[-1][2]
    with db.session() as s:
        assert s.scalar(select(User.role).where(User.username == "admin")) == "admin"


def test_lock_settings_are_saved(qtbot, db, admin_actor, quiet_boxes):
    section = AccountsSection(AppContext(db, admin_actor))
    qtbot.addWidget(section)
    assert section.max_failed_spin.value() == 5 and section.idle_minutes_spin.value() == 10
    section.max_failed_spin.setValue(3)
    section.idle_minutes_spin.setValue(0)
    qtbot.mouseClick(section.save_policy_button, Qt.LeftButton)
    with db.session() as s:
        assert accounts.idle_minutes(s) == 0
        assert accounts._lock_policy(s) == (3, 15)


def test_officer_sees_only_their_own_password_change(qtbot, db, admin_actor, quiet_boxes):
    with db.session() as s:
        accounts.create_user(s, admin_actor, "li", "李经办", "officer", "first123")
    with db.session() as s:
        officer = accounts.authenticate(s, "li", "first123").actor
    section = AccountsSection(AppContext(db, officer))
    qtbot.addWidget(section)
    section.show()
    assert not section.admin_box.isVisible() and not section.policy_box.isVisible()
    assert "李经办（li），角色：经办人" == section.me_label.text()

    def fill(dialog):
        from PySide6.QtWidgets import QLineEdit, QDialogButtonBox
        dialog.findChild(QLineEdit, "oldPasswordEdit").setText("first123")
        dialog.findChild(QLineEdit, "newPasswordEdit").setText("second123")
        dialog.findChild(QLineEdit, "repeatPasswordEdit").setText("second123")
        dialog.findChild(QDialogButtonBox).accepted.emit()

    _in_modal(qtbot, fill)
    qtbot.mouseClick(section.change_password_button, Qt.LeftButton)
    with db.session() as s:
        assert accounts.authenticate(s, "li", "second123").ok


def test_audit_viewer_filters_and_shows_before_after(qtbot, db, admin_actor, officer):
    with db.session() as s:
        s.add(Cadre(id=7, name="张三", id_number="110101199003070011"))
        audit.record(s, officer, "update", "cadre", 7, before={"current_post": "副局长"}, after={"current_post": "局长"},
                     cadre_id=7, summary="修改干部 张三")
        audit.record(s, admin_actor, "export", "cadre", None, summary="导出干部名册")
    ctx = AppContext(db, admin_actor, today_fn=lambda: date.today())
    viewer = AuditViewer(ctx)
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.model.rowCount() == 4  # first admin, login, update, export
    viewer.actor_combo.setCurrentIndex(viewer.actor_combo.findData("jbr"))
    qtbot.mouseClick(viewer.search_button, Qt.LeftButton)
    assert viewer.model.rowCount() == 1 and viewer.count_label.text() == "共 1 条"
    index = viewer.model.index(0, AuditTableModel.COL_CADRE)
    assert index.data() == "张三" and viewer.model.index(0, AuditTableModel.COL_ACTION).data() == "修改"
    viewer.table.selectRow(0)
    assert "current_post：副局长 → 局长" in viewer.detail.toPlainText()
    viewer.actor_combo.setCurrentIndex(0)
    viewer.cadre_edit.setText("李")
    qtbot.mouseClick(viewer.search_button, Qt.LeftButton)
    assert viewer.model.rowCount() == 0
    viewer.cadre_edit.setText("")
    viewer.date_check.setChecked(True)
    qtbot.mouseClick(viewer.search_button, Qt.LeftButton)
    assert viewer.model.rowCount() == 4
    viewer.grab().save("/tmp/trust_audit_viewer.png")


def test_audit_menu_is_for_administrators_only(qtbot, db, admin_actor, viewer, quiet_boxes):
    window = MainWindow(AppContext(db, viewer))
    qtbot.addWidget(window)
    assert not window.audit_action.isEnabled()
    assert open_audit_viewer(AppContext(db, viewer), window) is None and "只有管理员" in quiet_boxes[-1][2]
    admin_window = MainWindow(AppContext(db, admin_actor))
    qtbot.addWidget(admin_window)
    assert admin_window.audit_action.isEnabled()
    admin_window.audit_action.trigger()
    opened = admin_window.findChild(AuditViewer)
    assert opened is not None and opened.isVisible() and opened.windowTitle() == "审计日志"


def test_backup_section_backs_up_and_restores(qtbot, db, db_path, admin_actor, tmp_path, monkeypatch, quiet_boxes):
    ctx = AppContext(db, admin_actor)
    section = BackupSection(ctx)
    qtbot.addWidget(section)
    section.resize(800, 500)
    section.show()
    with db.session() as s:
        s.add(Cadre(name="张三", id_number="110101199003070011"))
    out = tmp_path / "备份.sqlite3"
    monkeypatch.setattr("gui.file_dialogs.save_file_name", lambda *a, **k: str(out))
    qtbot.mouseClick(section.backup_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: section.last_result is not None, timeout=10000)
    assert out.exists() and section.last_result.cadres == 1
    assert any("备份完成" == t for _n, t, _x in quiet_boxes)
    with db.session() as s:
        s.add(Cadre(name="李四", id_number="110101199003070038"))
    monkeypatch.setattr("gui.file_dialogs.open_file_name", lambda *a, **k: str(out))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.Yes)
    section.last_result = None
    with db.session() as s:  # the backup's own audit entry says when it was made
        made = s.scalar(select(AuditEvent.at).where(AuditEvent.action == "backup"))
    qtbot.mouseClick(section.restore_button, Qt.LeftButton)
    assert made.strftime("%Y-%m-%d %H:%M") + "备份" in asked[0]
    qtbot.waitUntil(lambda: section.last_result is not None, timeout=10000)
    with db.session() as s:
        assert list(s.scalars(select(Cadre.name))) == ["张三"]
    assert section.last_result.aside is not None and section.last_result.aside.exists()
    # A file that is not a backup is refused before anything happens.
    bad = tmp_path / "x.sqlite3"
    bad.write_text("not a database")
    monkeypatch.setattr("gui.file_dialogs.open_file_name", lambda *a, **k: str(bad))
    qtbot.mouseClick(section.restore_button, Qt.LeftButton)
    assert "不是本程序的备份文件" in quiet_boxes[-1][2]
    with db.session() as s:
        assert list(s.scalars(select(Cadre.name))) == ["张三"]


def test_automatic_backup_at_start_and_listed(qtbot, db, db_path, admin_actor):
    ctx = AppContext(db, admin_actor, today_fn=lambda: date(2026, 3, 2))
    thread = start_auto_backup(ctx)
    thread.join(timeout=30)
    from models.core.paths import backups_dir

    made = backups_dir() / backup.auto_backup_name(db_path, date(2026, 3, 2))
    assert made.exists()
    section = BackupSection(ctx)
    qtbot.addWidget(section)
    section.resize(800, 500)
    section.show()
    assert section.table.item(0, BackupSection.COL_FILE).text() == made.name
    assert section.table.item(0, BackupSection.COL_DAY).text() == "2026-03-02"
    section.grab().save("/tmp/trust_backup_section.png")


def test_backup_buttons_disabled_for_viewers(qtbot, db, viewer):
    section = BackupSection(AppContext(db, viewer))
    qtbot.addWidget(section)
    assert not section.backup_button.isEnabled() and not section.restore_button.isEnabled()
    assert "只有管理员" in section.notice.text()
