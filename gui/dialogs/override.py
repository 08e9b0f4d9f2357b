"""Override a computed last day — only with a written reason; or restore the computed date."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout,
)

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen
from models.services.handling import register as handling_register
from models.services.handling import overrides as handling_overrides
from models.core.errors import AppError


class OverrideDialog(FormDialog):
    def __init__(self, ctx: AppContext, restriction: handling_register.RestrictionRow, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.restriction = restriction
        self.saved: handling_register.HandlingDetail | None = None
        self._setup_ui()
        self._connect_signals()
        self.mark_clean()

    def _setup_ui(self) -> None:
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("人工修改截止日期"))
        fit_to_screen(self, 520, 380)
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
        self.last_edit = DateField(label="新的最后一天", field="last_day")
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
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveOverrideButton")
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.restore_check.toggled.connect(self._on_restore_check_toggled)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.last_edit, self.restore_check, self.reason_edit):
            clear_on_edit(w, self.error_label)

    def _on_restore_check_toggled(self, checked: bool) -> None:
        self.last_edit.setEnabled(not checked)

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            last = None if self.restore_check.isChecked() else self.last_edit.value()
            if last is None and not self.restore_check.isChecked():
                raise AppError(self.tr("请填写新的最后一天，或勾选“恢复程序计算的日期”。"))
        except AppError as exc:
            self._show_error(exc)
            return
        saved = ops.run(self, self.ctx, lambda s: handling_overrides.override_restriction(
            s, self.ctx.actor, self.restriction.id, last, self.reason_edit.toPlainText(), today=self.ctx.today()),
            changes=(Change.REVIEW, Change.HANDLING), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()
