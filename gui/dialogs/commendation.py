"""Add or edit a commendation (messages beside the fields), and revoke one with its date and reason."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from gui import ops
from gui.dialogs.cadre import ERROR_STYLE
from gui.ops import Change
from gui.widgets.cadre_picker import CadrePicker
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen, scroll_body
from models.reference import codes
from models.services import commendations as cms
from models.core.errors import AppError


class CommendationDialog(FormDialog):
    """New (commendation_id None, optionally for `cadre_id`) or edit. Also opened as cls(ctx, record_id, parent)
    from a cadre's page. Attributes: saved_id."""

    def __init__(self, ctx, commendation_id: int | None = None, parent=None, cadre_id: int | None = None,
                 cadre_name: str = ""):
        super().__init__(parent)
        self.ctx = ctx
        self.commendation_id = commendation_id
        self.saved_id: int | None = None
        self._version: int | None = None
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._setup_ui()
        self._connect_signals()
        if cadre_id is not None:
            self.picker.set_fixed(cadre_id, cadre_name)
        self._load()
        self.mark_clean()

    def _setup_ui(self) -> None:
        self.setObjectName("commendationDialog")
        self.setWindowTitle(self.tr("登记奖励") if self.commendation_id is None else self.tr("修改奖励"))
        fit_to_screen(self, 600, 640)
        with self.ctx.db.session() as s:
            kinds = codes.commendation_kinds(s)
        self.picker = CadrePicker(self.ctx)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(kinds)
        self.honour_edit = QLineEdit()
        self.honour_edit.setPlaceholderText(self.tr("如：2023年度百佳公务员（授予称号时必填）"))
        self.date_edit = DateField(label="奖励日期", field="awarded_on", required=True)
        self.organ_edit = QLineEdit()
        self.doc_edit = QLineEdit()
        self.doc_edit.setPlaceholderText(self.tr("如：某政〔2023〕5号"))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setMinimumHeight(70)  # takes the dialog's spare height (fixed, it floated mid-row)
        self.urgent_check = QCheckBox(self.tr("在急难险重任务中表现突出"))
        self.urgent_edit = QLineEdit()
        self.urgent_edit.setPlaceholderText(self.tr("哪项任务，如：2020年疫情防控"))
        self.double_check = QCheckBox(self.tr("“双胜利”工作中表现突出（疫情防控和经济社会发展）"))
        self.inputs = {
            "cadre_id": self.picker, "kind": self.kind_combo, "honour": self.honour_edit, "awarded_on": self.date_edit,
            "organ": self.organ_edit, "doc_number": self.doc_edit, "reason": self.reason_edit,
            "urgent_task": self.urgent_check, "urgent_task_desc": self.urgent_edit, "double_victory": self.double_check,
        }
        form = QFormLayout()
        for key, widget in self.inputs.items():
            widget.setObjectName(f"field_{key}")
            err = QLabel()
            err.setObjectName(f"error_{key}")
            err.setStyleSheet(ERROR_STYLE)
            err.setWordWrap(True)
            err.hide()
            self.errors[key] = err
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            box.addWidget(err)
            holder = QWidget()
            holder.setLayout(box)
            form.addRow(self.tr(cms.LABELS[key]) + "：", holder)
        self.revoked_label = QLabel()
        self.revoked_label.setObjectName("revokedLabel")
        self.revoked_label.setStyleSheet(ERROR_STYLE)
        self.revoked_label.setWordWrap(True)
        self.revoked_label.hide()
        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setStyleSheet(ERROR_STYLE)
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveButton")
        self.buttons.button(QDialogButtonBox.Save).setEnabled(self.ctx.actor.can("write"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.revoked_label)
        body = QWidget()
        body.setLayout(form)
        layout.addWidget(scroll_body(body), 1)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.urgent_check.toggled.connect(self.urgent_edit.setEnabled)
        self.urgent_edit.setEnabled(False)
        for key, widget in self.inputs.items():
            clear_on_edit(widget, self.errors[key], self.form_error)

    def _load(self) -> None:
        if self.commendation_id is None:
            self.date_edit.setText(self.ctx.today().isoformat())
            return
        with self.ctx.db.session() as s:
            v = cms.form_values(s, self.ctx.actor, self.commendation_id)
        self._version = v["version"]
        self.picker.set_fixed(v["cadre_id"], v["cadre_name"])
        if self.kind_combo.findText(v["kind"]) < 0:
            self.kind_combo.addItem(v["kind"])
        self.kind_combo.setCurrentText(v["kind"])
        self.honour_edit.setText(v["honour"] or "")
        self.date_edit.setText(v["awarded_on"].isoformat())
        self.organ_edit.setText(v["organ"] or "")
        self.doc_edit.setText(v["doc_number"] or "")
        self.reason_edit.setPlainText(v["reason"] or "")
        self.urgent_check.setChecked(v["urgent_task"])
        self.urgent_edit.setText(v["urgent_task_desc"] or "")
        self.double_check.setChecked(v["double_victory"])
        if v["revoked_on"]:
            self.revoked_label.setText(self.tr("此项奖励已于%1撤销，理由：%2").replace("%1", v["revoked_on"].isoformat())
                                       .replace("%2", v["revoked_reason"] or ""))
            self.revoked_label.show()

    def values(self) -> dict[str, Any]:
        return {
            "cadre_id": self.picker.cadre_id(), "kind": self.kind_combo.currentText(), "honour": self.honour_edit.text(),
            "awarded_on": self.date_edit.value(),
            "organ": self.organ_edit.text(), "doc_number": self.doc_edit.text(),
            "reason": self.reason_edit.toPlainText(), "urgent_task": self.urgent_check.isChecked(),
            "urgent_task_desc": self.urgent_edit.text(), "double_victory": self.double_check.isChecked(),
        }

    def _show_error(self, exc: AppError) -> None:
        field = getattr(exc, "field", None) or ""
        label = self.errors.get(field, self.form_error)
        label.setText(exc.message)
        label.show()
        self.form_error.setProperty("field", f"field_{field}" if label is self.form_error else "")

    def _on_save_clicked(self) -> None:
        for label in list(self.errors.values()) + [self.form_error]:
            label.hide()
        try:
            data = self.values()
        except AppError as exc:
            self._show_error(exc)
            return

        def save(s):
            if self.commendation_id is None:
                return cms.create_commendation(s, self.ctx.actor, data, today=self.ctx.today())
            return cms.update_commendation(s, self.ctx.actor, self.commendation_id, data, version=self._version,
                                           today=self.ctx.today())

        saved = ops.run(self, self.ctx, save, changes=(Change.COMMENDATION,), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved_id = saved.id
        self.accept()


class RevokeDialog(FormDialog):
    """撤销奖励: the date of the revocation decision and its reason."""

    def __init__(self, ctx, commendation_id: int, version: int | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.commendation_id = commendation_id
        self.setObjectName("revokeDialog")
        self.setWindowTitle(self.tr("撤销奖励"))
        self.date_edit = DateField(label="撤销日期", field="revoked_on", required=True, value=ctx.today())
        self.date_edit.setObjectName("field_revoked_on")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("field_revoked_reason")
        self.reason_edit.setPlaceholderText(self.tr("如：申报时弄虚作假，骗取奖励（公务员法第五十六条）"))
        self.reason_edit.setFixedHeight(80)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        hint = QLabel(self.tr("撤销后记录仍保留并标明已撤销，不再计入“奖惩情况”和优先使用名单。"))
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("撤销奖励"))
        self.buttons.button(QDialogButtonBox.Ok).setObjectName("revokeOkButton")
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        form = QFormLayout()
        form.addRow(self.tr("撤销日期："), self.date_edit)
        form.addRow(self.tr("撤销理由："), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.date_edit, self.reason_edit):
            clear_on_edit(widget, self.error_label)
        self.mark_clean()

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_ok_clicked(self) -> None:
        try:
            on = self.date_edit.value()
        except AppError as exc:
            self._show_error(exc)
            return
        done = ops.run(self, self.ctx, lambda s: cms.revoke_commendation(
            s, self.ctx.actor, self.commendation_id, on=on, reason=self.reason_edit.toPlainText(),
            today=self.ctx.today()), changes=(Change.COMMENDATION,), on_error=self._show_error)
        if done is ops.FAILED:
            return
        self.accept()

