"""Lock the main window after idle time (setting "security.idle_minutes"; 0 turns it off).

An application-wide event filter restarts a timer on every key press, click, wheel or mouse move. When it
fires, the window's contents are covered (nothing sensitive stays readable on an unattended screen) and a
dialog asks for the logged-in user's password. Unlocking goes through `accounts.authenticate`, so wrong
passwords count towards the account lock like any login.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget,
)

from gui.context import AppContext
from models.services import accounts

ACTIVITY_EVENTS = {
    QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseButtonDblClick, QEvent.MouseMove, QEvent.Wheel,
    QEvent.TouchBegin,
}


class UnlockDialog(QDialog):
    """Asks for the password of the user who is logged in; 退出程序 closes the window instead."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setObjectName("unlockDialog")
        self.setWindowTitle(self.tr("已锁定"))
        self.setWindowModality(Qt.WindowModal)
        layout = QVBoxLayout(self)
        who = self.ctx.actor.display_name or self.ctx.actor.username
        info = QLabel(self.tr("长时间未操作，界面已锁定。请输入 %1（%2）的密码解锁。")
                      .replace("%1", who).replace("%2", self.ctx.actor.username))
        info.setObjectName("unlockInfo")
        info.setWordWrap(True)
        info.setTextFormat(Qt.PlainText)
        layout.addWidget(info)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("unlockPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.Password)
        layout.addWidget(self.password_edit)
        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(self.tr("解锁"), QDialogButtonBox.AcceptRole)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.quit_button = self.buttons.addButton(self.tr("退出程序"), QDialogButtonBox.RejectRole)
        self.quit_button.setObjectName("quitButton")
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def keyPressEvent(self, event) -> None:  # Esc must not unlock
        if event.key() == Qt.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def _on_buttons_accepted(self) -> None:
        with self.ctx.db.session() as s:
            result = accounts.authenticate(s, self.ctx.actor.username, self.password_edit.text())
        self.password_edit.clear()
        if result.ok:
            self.accept()
            return
        self.message.setText(result.message)
        self.message.show()


class IdleLock(QObject):
    """Signals:
        locked(), unlocked(): the window was covered / uncovered.
    Attributes:
        dialog: the UnlockDialog while locked, else None.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, ctx: AppContext, window: QMainWindow, *, interval_ms: int | None = None):
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.dialog: UnlockDialog | None = None
        self._cover: QWidget | None = None
        if interval_ms is None:
            with ctx.db.session() as s:
                interval_ms = accounts.idle_minutes(s) * 60_000
        self.timer = QTimer(self)
        self.timer.setObjectName("idleTimer")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.set_interval(interval_ms)
        QApplication.instance().installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def set_interval(self, interval_ms: int) -> None:
        """0 turns the lock off."""
        self.timer.stop()
        self.timer.setInterval(max(0, interval_ms))
        if interval_ms > 0 and not self.is_locked:
            self.timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        try:
            if watched is self.window and event.type() == QEvent.Resize and self._cover is not None:
                self._cover.setGeometry(self.window.rect())
            if event.type() in ACTIVITY_EVENTS and not self.is_locked and self.timer.interval() > 0:
                self.timer.start()
        except AttributeError:
            # being collected: Python has cleared its attributes while Qt still calls the application-wide filter
            QApplication.instance().removeEventFilter(self)
        return False

    def _on_timer_timeout(self) -> None:
        self.lock()

    def lock(self) -> None:
        if self.is_locked:
            return
        cover = QLabel(self.tr("已锁定 — 请输入密码解锁"), self.window)
        cover.setObjectName("lockCover")
        cover.setAlignment(Qt.AlignCenter)
        cover.setAutoFillBackground(True)
        cover.setStyleSheet("background: #2b2b2b; color: white; font-size: 20px;")
        cover.setGeometry(self.window.rect())
        cover.show()
        cover.raise_()
        self._cover = cover
        for dock in (self.window.menuBar(),):
            dock.setEnabled(False)
        self.dialog = UnlockDialog(self.ctx, self.window)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()
        self.locked.emit()

    def _on_dialog_finished(self, result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result != QDialog.Accepted:
            self.window.close()
            return
        if self._cover is not None:
            self._cover.hide()
            self._cover.deleteLater()
            self._cover = None
        self.window.menuBar().setEnabled(True)
        if self.timer.interval() > 0:
            self.timer.start()
        self.unlocked.emit()


def install_idle_lock(ctx: AppContext, window: QMainWindow) -> IdleLock:
    return IdleLock(ctx, window)
