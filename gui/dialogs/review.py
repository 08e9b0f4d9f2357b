"""复审 / 复核 / 申诉 / 复查 of a decision, recorded as a row of its own (domain §1.9)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
)

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen
from models.services.handling import register as handling_register
from models.services.handling import reviews as handling_reviews
from models.core.errors import AppError


class ReviewDialog(FormDialog):
    def __init__(self, ctx: AppContext, handling_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.handling_id = handling_id
        self.saved: handling_register.HandlingDetail | None = None
        with ctx.db.session() as s:
            self.detail = handling_register.get_handling(s, self.ctx.actor, handling_id)
        self._setup_ui()
        self._connect_signals()
        self._on_outcome_combo_current_index_changed(0)
        self.mark_clean()

    def _setup_ui(self) -> None:
        self.setObjectName("reviewDialog")
        self.setWindowTitle(self.tr("登记复审、复核、申诉或复查"))
        fit_to_screen(self, 560, 460)
        layout = QVBoxLayout(self)
        d = self.detail
        head = QLabel(f"{d.cadre_name}：{d.regime_label}·{d.kind_label}，{d.data.effective_on.isoformat()} 生效"
                      + (f"，{d.data.doc_number}" if d.data.doc_number else ""))
        head.setObjectName("reviewHead")
        head.setWordWrap(True)
        layout.addWidget(head)
        form = QFormLayout()
        self.track_combo = QComboBox()
        self.track_combo.setObjectName("trackCombo")
        self.track_combo.addItems(list(handling_reviews.REVIEW_TRACKS))
        self.applied_edit = DateField(label="申请日期", field="applied_on")
        self.applied_edit.setObjectName("appliedEdit")
        self.decided_edit = DateField(label="决定日期", field="decided_on")
        self.decided_edit.setObjectName("reviewDecidedEdit")
        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("outcomeCombo")
        for code in handling_reviews.REVIEW_OUTCOMES:
            self.outcome_combo.addItem(handling_register.REVIEW_OUTCOME_LABELS[code], code)
        self.new_kind_combo = QComboBox()
        self.new_kind_combo.setObjectName("newKindCombo")
        for code, label in handling_register.kind_choices(d.data.regime):
            if code != d.data.kind:
                self.new_kind_combo.addItem(label, code)
        self.organ_edit = QLineEdit()
        self.organ_edit.setObjectName("reviewOrganEdit")
        self.doc_edit = QLineEdit()
        self.doc_edit.setObjectName("reviewDocEdit")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("reviewNoteEdit")
        self.note_edit.setMaximumHeight(80)
        form.addRow(self.tr("程序"), self.track_combo)
        form.addRow(self.tr("申请日期"), self.applied_edit)
        form.addRow(self.tr("决定日期"), self.decided_edit)
        form.addRow(self.tr("结果"), self.outcome_combo)
        form.addRow(self.tr("变更为"), self.new_kind_combo)
        form.addRow(self.tr("决定机关"), self.organ_edit)
        form.addRow(self.tr("文号"), self.doc_edit)
        form.addRow(self.tr("备注"), self.note_edit)
        layout.addLayout(form)
        self.hint = QLabel()
        self.hint.setObjectName("reviewHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveReviewButton")
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.outcome_combo.currentIndexChanged.connect(self._on_outcome_combo_current_index_changed)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.applied_edit, self.decided_edit, self.outcome_combo, self.new_kind_combo):
            clear_on_edit(w, self.error_label)

    def _on_outcome_combo_current_index_changed(self, _index: int) -> None:
        outcome = self.outcome_combo.currentData()
        self.new_kind_combo.setEnabled(outcome == "changed")
        self.hint.setText({
            "upheld": self.tr("维持原决定：影响期不变。"),
            "revoked": self.tr("撤销：原记录保留，但自始不产生限制；程序将生成“在原宣布范围内恢复名誉”的待办事项。"),
            "changed": self.tr("变更：原记录保留，按变更后的种类重新计算（一般自原生效日期起算）。"),
        }[outcome])

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            applied, decided = self.applied_edit.value(), self.decided_edit.value()
        except AppError as exc:
            self._show_error(exc)
            return
        outcome = self.outcome_combo.currentData()
        saved = ops.run(self, self.ctx, lambda s: handling_reviews.add_review(
            s, self.ctx.actor, self.handling_id, track=self.track_combo.currentText(), decided_on=decided,
            outcome=outcome, today=self.ctx.today(),
            new_kind=self.new_kind_combo.currentData() if outcome == "changed" else None,
            applied_on=applied, organ=self.organ_edit.text(), doc_number=self.doc_edit.text(),
            note=self.note_edit.toPlainText(),
        ), changes=(Change.REVIEW, Change.HANDLING), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()
