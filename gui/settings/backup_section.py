"""设置 → 备份与恢复: one-click backup, a checked restore that keeps the current database aside, and the daily
automatic backups in the data folder (kept for "backup.keep_days" days). Started at GUI start by
`start_auto_backup` in a background thread."""
from __future__ import annotations

import logging
import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui import file_dialogs
from gui.context import AppContext
from gui.errors import show_error
from gui.worker import run_with_progress
from gui.ops import Change
from models.core import backup, settings_store
from models.core.errors import AppError
from models.core.paths import backups_dir

log = logging.getLogger(__name__)


class BackupSection(QWidget):
    TITLE = "备份与恢复"

    COL_DAY, COL_FILE, COL_SIZE = range(3)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_result = None  # BackupInfo / RestoreResult of the last action (tests read it)
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.notice = QLabel()
        self.notice.setObjectName("backupNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.PlainText)
        layout.addWidget(self.notice)
        now_box = QGroupBox(self.tr("立即备份与恢复"))
        row = QHBoxLayout(now_box)
        self.backup_button = QPushButton(self.tr("立即备份…"))
        self.backup_button.setObjectName("backupButton")
        self.restore_button = QPushButton(self.tr("从备份恢复…"))
        self.restore_button.setObjectName("restoreButton")
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addWidget(now_box)
        auto_box = QGroupBox(self.tr("自动备份（每天第一次启动时）"))
        auto = QVBoxLayout(auto_box)
        form = QFormLayout()
        self.keep_spin = QSpinBox()
        self.keep_spin.setObjectName("keepDaysSpin")
        self.keep_spin.setRange(1, 3650)
        self.keep_spin.setSuffix(self.tr(" 天"))
        self.save_keep_button = QPushButton(self.tr("保存"))
        self.save_keep_button.setObjectName("saveKeepDaysButton")
        keep_row = QHBoxLayout()
        keep_row.addWidget(self.keep_spin)
        keep_row.addWidget(self.save_keep_button)
        keep_row.addStretch(1)
        form.addRow(self.tr("自动备份保留："), keep_row)
        self.folder_label = QLabel()
        self.folder_label.setObjectName("folderLabel")
        self.folder_label.setTextFormat(Qt.PlainText)
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form.addRow(self.tr("保存位置："), self.folder_label)
        auto.addLayout(form)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("autoBackupsTable")
        self.table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("文件"), self.tr("大小")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(self.COL_FILE, QHeaderView.Stretch)
        auto.addWidget(self.table)
        self.open_folder_button = QPushButton(self.tr("打开备份文件夹"))
        self.open_folder_button.setObjectName("openFolderButton")
        auto.addWidget(self.open_folder_button, 0, Qt.AlignLeft)
        layout.addWidget(auto_box, 1)

    def _connect_signals(self) -> None:
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.save_keep_button.clicked.connect(self._on_save_keep_button_clicked)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.ctx.data_changed.connect(self._on_ctx_data_changed)

    def _on_ctx_data_changed(self, entity: str) -> None:
        if entity in (Change.BACKUP, Change.SETTINGS, Change.DATABASE):
            self.refresh()

    def refresh(self) -> None:
        is_admin = self.ctx.actor.can("admin")
        sqlite = self.ctx.db.is_sqlite
        for w in (self.backup_button, self.restore_button, self.save_keep_button, self.keep_spin):
            w.setEnabled(is_admin and sqlite)
        if not sqlite:
            self.notice.setText(self.tr(
                "当前使用共用的数据库服务器（PostgreSQL）。请由服务器管理员用 pg_dump 定期备份、pg_restore 恢复；"
                "本机不做自动备份。"))
        elif not is_admin:
            self.notice.setText(self.tr("只有管理员可以备份和恢复。自动备份每天进行，无需操作。"))
        else:
            self.notice.setText(self.tr(
                "备份文件包含全部记录（含举报人信息），请存放在安全的位置（如加密U盘），不要通过网络传送。"))
        folder = backups_dir()
        self.folder_label.setText(str(folder))
        with self.ctx.db.session() as s:
            self.keep_spin.setValue(int(settings_store.get(s, "backup.keep_days")))
        path = self._db_file()
        found = list(reversed(backup.list_auto_backups(folder, path))) if path else []
        self.table.setRowCount(len(found))
        for r, (day, p) in enumerate(found):
            self.table.setItem(r, self.COL_DAY, QTableWidgetItem(day.isoformat()))
            self.table.setItem(r, self.COL_FILE, QTableWidgetItem(p.name))
            self.table.setItem(r, self.COL_SIZE, QTableWidgetItem(f"{p.stat().st_size / 1024 / 1024:.1f} MB"))

    def _db_file(self) -> Path | None:
        from models.core.db import sqlite_path

        return sqlite_path(self.ctx.db.url)

    # --- backup -----------------------------------------------------------------------------------------
    def _on_backup_button_clicked(self) -> None:
        default = str(Path.home() / f"干部记录备份-{self.ctx.today():%Y%m%d}.sqlite3")
        path = file_dialogs.save_file_name(self, self.tr("备份到"), default, self.tr("备份文件 (*.sqlite3)"))
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        ctx = self.ctx

        def work(progress):
            return backup.backup_database(ctx.db, path, ctx.actor, progress=progress)

        def done(info):
            if info is None:
                return
            self.last_result = info
            ctx.notify(Change.BACKUP)
            QMessageBox.information(self, self.tr("备份完成"), self.tr("已备份到 %1（干部 %2 人）。")
                                    .replace("%1", str(info.path)).replace("%2", str(info.cadres)))

        run_with_progress(self, self.tr("正在备份"), work, done, lambda exc: show_error(self, exc, self.tr("备份失败")))

    # --- restore ----------------------------------------------------------------------------------------
    def _on_restore_button_clicked(self) -> None:
        path = file_dialogs.open_file_name(self, self.tr("选择备份文件"), str(backups_dir()),
                                           self.tr("备份文件 (*.sqlite3 *.db);;所有文件 (*)"))
        if path:
            self.restore_from(Path(path))

    def restore_from(self, path: Path) -> None:
        try:
            info = backup.check_backup_file(path, backup.passphrase_of(self.ctx.db))
        except AppError as exc:
            show_error(self, exc, self.tr("不能用这个文件恢复"))
            return
        answer = QMessageBox.question(
            self, self.tr("确认恢复"),
            self.tr("将用备份“%1”（%4，干部 %2 人，审计记录 %3 条）替换当前数据库。"
                    "此后录入的内容不在这份备份中。\n\n"
                    "当前数据库会先另存一份在原文件夹中，不会丢失。恢复后请重新打开各页面核对。是否继续？")
            .replace("%1", path.name).replace("%2", str(info.cadres)).replace("%3", str(info.audit_entries))
            .replace("%4", made_at_text(info.made_at)),
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        ctx = self.ctx

        def work(progress):
            return backup.restore_database(path, ctx.db, ctx.actor, progress=progress)

        def done(result):
            if result is None:
                return
            self.last_result = result
            ctx.notify(Change.DATABASE)
            QMessageBox.information(self, self.tr("恢复完成"), self.tr("已从 %1 恢复。恢复前的数据库另存为：%2")
                                    .replace("%1", result.restored_from.name).replace("%2", str(result.aside or "（无）")))

        run_with_progress(self, self.tr("正在恢复"), work, done, lambda exc: show_error(self, exc, self.tr("恢复失败")))

    def _on_save_keep_button_clicked(self) -> None:
        try:
            with self.ctx.db.session() as s:
                settings_store.put(s, self.ctx.actor, "backup.keep_days", self.keep_spin.value())
        except AppError as exc:
            show_error(self, exc)
            return
        self.ctx.notify(Change.SETTINGS)

    def _on_open_folder_button_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(backups_dir())))


def start_auto_backup(ctx: AppContext, today: date | None = None) -> threading.Thread | None:
    """The daily automatic backup, in a background thread so the window is usable at once. A failure is logged
    and shown on the 工作台 (ctx.post_notice) until a later automatic backup succeeds."""
    if not ctx.db.is_sqlite or ctx.db.read_only:
        return None
    day = today or ctx.today()
    db = ctx.db

    def run():
        try:
            made = backup.auto_backup(db, backups_dir(), day)
            if made is not None:
                log.info("automatic backup written to %s", made)
            ctx.post_notice(AUTO_BACKUP_NOTICE, "")
        except Exception as exc:  # noqa: BLE001 - logged and shown; the program keeps running
            log.exception("automatic backup failed")
            ctx.post_notice(AUTO_BACKUP_NOTICE, auto_backup_failure_text(exc))

    thread = threading.Thread(target=run, name="auto-backup", daemon=True)
    thread.start()
    return thread


AUTO_BACKUP_NOTICE = "auto_backup"


def auto_backup_failure_text(exc: BaseException) -> str:
    from models.core.db_faults import translate

    fault = exc if isinstance(exc, AppError) else translate(exc, "今天的自动备份")
    reason = fault.message if fault is not None else f"意外错误（{exc.__class__.__name__}），详情已记入日志"
    return (f"今天的自动备份没有完成：{reason}\n请在“设置 → 备份与恢复”中点“立即备份…”备份一次，"
            f"或检查备份文件夹 {backups_dir()} 所在的磁盘。")


def made_at_text(made_at) -> str:
    """"2026-12-03 09:15备份" for the confirmation; a copy without any record of its time says so."""
    return made_at.strftime("%Y-%m-%d %H:%M备份") if made_at else "备份时间不详"
