"""Override a computed last day — only with a written reason; or restore the computed date."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout,
)

from gui.context import AppContext
from gui.errors import show_error
from gui.dialogs.handling import DateLineEdit
from gui.ops import Change
from models.services.handling import overrides as handling_overrides
from models.services.handling import register as handling_register
from models.core.errors import AppError


class OverrideDialog(QDialog):
    def __init__(self, ctx: AppContext, restriction: handling_register.RestrictionRow, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.restriction = restriction
        self.saved: handling_register.HandlingDetail | None = None
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("人工修改截止日期"))
        self.resize(520, 360)
        r = self.restriction
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("限制：%1\n开始：%2\n程序计算的最后一天：%3%4")
                      .replace("%1", r.label).replace("%2", r.start.isoformat())
                      .replace("%3", r.computed_last_day.isoformat() if r.computed_last_day else "—")
                      .replace("%4", self.tr("\n当前人工修改为：%1").replace("%1", r.last_day.isoformat()) if r.overridden else ""))
        info.setObjectName("overrideInfo")
        layout.addWidget(info)
        warn = QLabel(self.tr("影响期由程序按规定计算。只有确有依据（如上级批复、决定书另有规定）时才修改，并写明理由；修改会记入审计日志，并在该日期出现处标注。"))
        warn.setWordWrap(True)
        warn.setStyleSheet("color: #8a5a00;")
        layout.addWidget(warn)
        form = QFormLayout()
        self.last_edit = DateLineEdit()
        self.last_edit.setObjectName("overrideLastEdit")
        self.last_edit.set_value(r.last_day)
        self.restore_check = QCheckBox(self.tr("取消人工修改，恢复程序计算的日期"))
        self.restore_check.setObjectName("restoreCheck")
        self.restore_check.setEnabled(r.overridden)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("overrideReasonEdit")
        self.reason_edit.setPlaceholderText(self.tr("必填：修改的依据和理由"))
        form.addRow(self.tr("新的最后一天"), self.last_edit)
        form.addRow(self.restore_check)
        form.addRow(self.tr("理由"), self.reason_edit)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveOverrideButton")
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.restore_check.toggled.connect(self._on_restore_check_toggled)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

    def _on_restore_check_toggled(self, checked: bool) -> None:
        self.last_edit.setEnabled(not checked)

    def _on_save(self) -> None:
        try:
            if self.restore_check.isChecked():
                last = None
            else:
                try:
                    last = self.last_edit.value()
                except ValueError:
                    raise AppError(self.tr("日期无法识别，请按 2024-03-15 的格式填写。")) from None
                if last is None:
                    raise AppError(self.tr("请填写新的最后一天，或勾选“恢复程序计算的日期”。"))
            with self.ctx.db.session() as s:
                self.saved = handling_overrides.override_restriction(s, self.ctx.actor, self.restriction.id, last,
                                                     self.reason_edit.toPlainText(), today=self.ctx.today())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法保存"))
            return
        self.ctx.notify(Change.REVIEW, Change.HANDLING)
        self.accept()
