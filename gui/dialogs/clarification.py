"""The 澄清正名 form: who initiated it, the person's consent and view, methods (书面 is required with any other),
scope, the clarified issues and the conclusion. Editable while waiting for approval; read-only afterwards."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen, scroll_body
from models.services import clarifications as clar
from models.core.errors import AppError


class ClarificationDialog(FormDialog):
    """Attributes: row (ClarificationRow shown), saved (after 保存)."""

    def __init__(self, ctx: AppContext, clarification_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.clarification_id = clarification_id
        self.saved: clar.ClarificationRow | None = None
        with ctx.db.session() as s:
            self.row = clar.get_clarification(s, ctx.actor, clarification_id)
        self.editable = ctx.actor.can("handle_accusations") and self.row.status == "pending"
        self._setup_ui()
        self._connect_signals()
        self._load()
        self.mark_clean()

    def _setup_ui(self) -> None:
        r = self.row
        self.setWindowTitle(self.tr("澄清正名：%1").replace("%1", r.cadre_name))
        self.setObjectName("clarificationDialog")
        fit_to_screen(self, 660, 660)
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("%1（%2%3）　第%4号举报，%5核查结论：%6　状态：%7")
                      .replace("%1", r.cadre_name).replace("%2", r.unit_name or "").replace("%3", "")
                      .replace("%4", str(r.accusation_id))
                      .replace("%5", r.outcome_on.isoformat() if r.outcome_on else "")
                      .replace("%6", r.accusation_outcome or "").replace("%7", r.status_label))
        info.setObjectName("clarificationInfo")
        info.setWordWrap(True)
        layout.addWidget(info)
        form = QFormLayout()
        self.initiated_combo = QComboBox()
        self.initiated_combo.setObjectName("initiatedCombo")
        self.initiated_combo.addItem(self.tr("（未填）"), None)
        for v in clar.INITIATED_BY:
            self.initiated_combo.addItem(self.tr(v), v)
        self.consent_combo = QComboBox()
        self.consent_combo.setObjectName("consentCombo")
        self.consent_combo.addItem(self.tr("（未听取）"), None)
        for v in clar.CONSENTS:
            self.consent_combo.addItem(self.tr(v), v)
        self.view_edit = QPlainTextEdit()
        self.view_edit.setObjectName("personViewEdit")
        self.view_edit.setMaximumHeight(60)
        methods = QHBoxLayout()
        self.method_checks: dict[str, QCheckBox] = {}
        for m in clar.METHODS:
            box = QCheckBox(self.tr(m))
            box.setObjectName(f"method_{clar.METHODS.index(m)}")
            self.method_checks[m] = box
            methods.addWidget(box)
        methods.addStretch(1)
        self.scope_edit = QLineEdit()
        self.scope_edit.setObjectName("scopeEdit")
        self.scope_edit.setPlaceholderText(self.tr("会议、通报、媒体澄清的范围，应与不良影响的范围相当"))
        self.issues_edit = QPlainTextEdit()
        self.issues_edit.setObjectName("issuesEdit")
        self.issues_edit.setPlaceholderText(self.tr("只写经核查不实、予以澄清的问题，中性表述；不得出现举报人的任何信息"))
        self.conclusion_edit = QPlainTextEdit()
        self.conclusion_edit.setObjectName("conclusionEdit")
        self.conclusion_edit.setMaximumHeight(80)
        self.approval_label = QLabel()
        self.approval_label.setObjectName("approvalLabel")
        form.addRow(self.tr("发起方式"), self.initiated_combo)
        form.addRow(self.tr("本人意见"), self.consent_combo)
        form.addRow(self.tr("意见说明"), self.view_edit)
        form.addRow(self.tr("澄清方式"), methods)
        form.addRow(QLabel(self.tr("采用当面、会议、通报或媒体澄清的，须同时书面澄清。")))
        form.addRow(self.tr("澄清范围"), self.scope_edit)
        form.addRow(self.tr("澄清的问题"), self.issues_edit)
        form.addRow(self.tr("核查结论"), self.conclusion_edit)
        form.addRow(self.tr("批准与完成"), self.approval_label)
        body = QWidget()
        body.setLayout(form)
        layout.addWidget(scroll_body(body), 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveClarificationButton")
        self.buttons.button(QDialogButtonBox.Save).setVisible(self.editable)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.initiated_combo, self.consent_combo, *self.method_checks.values(), self.scope_edit,
                  self.issues_edit, self.conclusion_edit):
            clear_on_edit(w, self.error_label)

    def _load(self) -> None:
        r = self.row
        self.initiated_combo.setCurrentIndex(max(self.initiated_combo.findData(r.initiated_by), 0))
        self.consent_combo.setCurrentIndex(max(self.consent_combo.findData(r.consent), 0))
        self.view_edit.setPlainText(r.person_view or "")
        for m, box in self.method_checks.items():
            box.setChecked(m in r.methods)
        self.scope_edit.setText(r.scope or "")
        self.issues_edit.setPlainText(r.issues_clarified or "")
        self.conclusion_edit.setPlainText(r.conclusion or "")
        parts = []
        if r.approved_on:
            parts.append(self.tr("%1于%2批准").replace("%1", r.approved_by or "").replace("%2", r.approved_on.isoformat()))
        if r.done_on and r.status == "done":
            parts.append(self.tr("%1完成").replace("%1", r.done_on.isoformat()))
        if r.doc_number:
            parts.append(self.tr("文号 %1").replace("%1", r.doc_number))
        self.approval_label.setText("，".join(parts) or self.tr("尚未批准"))
        if not self.editable:
            for w in (self.initiated_combo, self.consent_combo, *self.method_checks.values()):
                w.setEnabled(False)
            for w in (self.view_edit, self.issues_edit, self.conclusion_edit):
                w.setReadOnly(True)
            self.scope_edit.setReadOnly(True)

    def values(self) -> dict:
        return {
            "initiated_by": self.initiated_combo.currentData(), "consent": self.consent_combo.currentData(),
            "person_view": self.view_edit.toPlainText(),
            "methods": [m for m, box in self.method_checks.items() if box.isChecked()],
            "scope": self.scope_edit.text(), "issues_clarified": self.issues_edit.toPlainText(),
            "conclusion": self.conclusion_edit.toPlainText(),
        }

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _reload(self) -> None:
        """After someone else saved: show what is stored now (the user's unsaved text is given up knowingly)."""
        with self.ctx.db.session() as s:
            self.row = clar.get_clarification(s, self.ctx.actor, self.clarification_id)
        self._load()
        self.mark_clean()

    def _on_save(self) -> None:
        values = self.values()
        saved = ops.run(self, self.ctx, lambda s: clar.update_clarification(
            s, self.ctx.actor, self.row.id, values, version=self.row.version),
            changes=(Change.CLARIFICATION,), on_error=self._show_error, reload=self._reload)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()
