"""影响期满考核 (domain §2.5): items assessed, outcome, use recommendation, and later the actual use."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from gui import ops
from gui.errors import show_error
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen, scroll_body, select_text, verdict_combo
from models.services.handling import register as handling_register
from models.services import assessments as asv
from models.core.errors import AppError, ValidationError


class AssessmentDialog(FormDialog):
    """New (cadre_id) or edit (assessment_id). Opened as AssessmentDialog(ctx, assessment_id, parent) by the
    cadre's page (gui/pages/cadre_view.py)."""

    def __init__(self, ctx: AppContext, assessment_id: int | None = None, parent=None, *, cadre_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.assessment_id = assessment_id
        self.saved: asv.AssessmentRow | None = None
        with ctx.db.session() as s:
            if assessment_id is not None:
                cadre_id = asv.get_assessment(s, ctx.actor, assessment_id).cadre_id
            self.cadre_id = cadre_id
            self.cadre = handling_register.cadre_choice(s, self.ctx.actor, cadre_id)
            self.outcomes = asv.outcomes(s)
            self.check = asv.promotion_check(s, ctx.actor, cadre_id, ctx.today())
            existing = [a for a in asv.list_for_cadre(s, ctx.actor, cadre_id) if a.id == assessment_id]
        self.existing = existing[0] if existing else None
        self._setup_ui()
        self._connect_signals()
        self._load()
        self.mark_clean()

    def _setup_ui(self) -> None:
        self.setObjectName("assessmentDialog")
        self.setWindowTitle(self.tr("影响期满考核"))
        fit_to_screen(self, 640, 700)
        outer = QVBoxLayout(self)
        head = QLabel(f"{self.cadre.name}（{self.cadre.unit_name or '未填单位'}）")
        head.setObjectName("assessmentHead")
        head.setStyleSheet("font-weight: bold;")
        outer.addWidget(head)
        if not self.check.clear:
            warn = QLabel(self.check.message)
            warn.setObjectName("assessmentWarning")
            warn.setWordWrap(True)
            warn.setStyleSheet("color: #8a5a00;")
            outer.addWidget(warn)
        body = QWidget()
        form = QFormLayout(body)
        self.assessed_edit = DateField(label="考核日期", field="assessed_on", required=True)
        self.assessed_edit.setObjectName("assessedEdit")
        self.assessed_edit.set_value(self.ctx.today())
        form.addRow(self.tr("考核日期"), self.assessed_edit)
        items_box = QGroupBox(self.tr("考核内容"))
        items_form = QFormLayout(items_box)
        self.item_edits: dict[str, QPlainTextEdit] = {}
        for n, item in enumerate(asv.ITEMS):
            edit = QPlainTextEdit()
            edit.setObjectName(f"itemEdit{n}")
            edit.setMaximumHeight(56)
            items_form.addRow(self.tr(item), edit)
            self.item_edits[item] = edit
        form.addRow(items_box)
        self.outcome_combo = verdict_combo(self.outcomes, "outcomeCombo")  # required, nothing preselected
        self.recommendation_combo = QComboBox()
        self.recommendation_combo.setObjectName("recommendationCombo")
        self.recommendation_combo.addItem(self.tr("（未提出）"), None)
        for r in asv.RECOMMENDATIONS:
            self.recommendation_combo.addItem(r, r)
        self.discipline_edit = QPlainTextEdit()
        self.discipline_edit.setObjectName("disciplineOpinionEdit")
        self.discipline_edit.setMaximumHeight(56)
        self.unit_edit = QPlainTextEdit()
        self.unit_edit.setObjectName("unitOpinionEdit")
        self.unit_edit.setMaximumHeight(56)
        form.addRow(self.tr("考核结果"), self.outcome_combo)
        form.addRow(self.tr("使用建议"), self.recommendation_combo)
        form.addRow(self.tr("纪检监察机关意见"), self.discipline_edit)
        form.addRow(self.tr("所在单位党组织意见"), self.unit_edit)
        use_box = QGroupBox(self.tr("实际使用（任用后补录）"))
        use_form = QFormLayout(use_box)
        self.used_edit = DateField(label="任用日期", field="used_on")
        self.used_edit.setObjectName("usedOnEdit")
        self.post_edit = QLineEdit()
        self.post_edit.setObjectName("usedPostEdit")
        self.use_kind_combo = QComboBox()
        self.use_kind_combo.setObjectName("useKindCombo")
        self.use_kind_combo.addItem(self.tr("（未说明）"), None)
        for kind in asv.USE_KINDS:
            self.use_kind_combo.addItem(kind, kind)
        use_form.addRow(self.tr("任用日期"), self.used_edit)
        use_form.addRow(self.tr("使用方式"), self.use_kind_combo)
        use_form.addRow(self.tr("任用职务"), self.post_edit)
        form.addRow(use_box)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("assessmentNoteEdit")
        self.note_edit.setMaximumHeight(56)
        form.addRow(self.tr("备注"), self.note_edit)
        outer.addWidget(scroll_body(body), 1)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveAssessmentButton")
        self.print_button = self.buttons.addButton(self.tr("预览/打印考核表…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("printAssessmentButton")
        if self.existing is None:
            self.print_button.setEnabled(False)
            self.print_button.setToolTip(self.tr("保存考核记录后可打印考核表"))
        elif not self.ctx.actor.can("print"):
            self.print_button.setEnabled(False)
            self.print_button.setToolTip(self.tr("当前账号没有“打印”的权限"))
        else:
            self.print_button.setToolTip(self.tr("按已保存的内容生成影响期满考核表（未保存的修改不在表中）"))
        outer.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.assessed_edit, self.outcome_combo, self.recommendation_combo, self.used_edit, self.post_edit):
            clear_on_edit(w, self.error_label)

    def _load(self) -> None:
        a = self.existing
        if a is None:
            return
        self.assessed_edit.set_value(a.assessed_on)
        for key, edit in self.item_edits.items():
            edit.setPlainText(a.items.get(key, ""))
        select_text(self.outcome_combo, a.outcome)
        self.recommendation_combo.setCurrentIndex(max(0, self.recommendation_combo.findData(a.recommendation)))
        self.discipline_edit.setPlainText(a.discipline_opinion or "")
        self.unit_edit.setPlainText(a.unit_opinion or "")
        self.used_edit.set_value(a.used_on)
        self.post_edit.setText(a.used_post or "")
        self.use_kind_combo.setCurrentIndex(max(0, self.use_kind_combo.findData(a.use_kind)))
        self.note_edit.setPlainText(a.note or "")

    def _on_print_button_clicked(self) -> None:
        """The 影响期满考核表 of the saved assessment in the preview window (print or save from there)."""
        from gui.dialogs.pdf_preview import PdfPreviewWindow
        from reports import assessment_form

        try:
            with self.ctx.db.session() as s:
                doc = assessment_form.load_for_pdf(s, self.ctx.actor, self.existing.id, self.ctx.today())
            assessment_id, actor, today = self.existing.id, self.ctx.actor, self.ctx.today()
            self.preview = PdfPreviewWindow(
                self.ctx, doc.data, document="assessment", title=doc.title, subject_id=assessment_id,
                cadre_id=doc.cadre_id, suggested_name=f"{doc.title}.pdf", parent=self, word=True, numbered=False,
                issue=lambda s, fmt: assessment_form.load_for_pdf(s, actor, assessment_id, today, fmt=fmt))
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法生成考核表"))
            return
        self.preview.show()

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            assessed, used_on = self.assessed_edit.value(), self.used_edit.value()
            if not self.outcome_combo.currentData():
                raise ValidationError(self.tr("请选择考核结果（没有预先选定，须按考核情况选择）。"), "outcome")
        except AppError as exc:
            self._show_error(exc)
            return
        kw = dict(
            assessed_on=assessed, outcome=self.outcome_combo.currentData(), today=self.ctx.today(),
            items={k: e.toPlainText() for k, e in self.item_edits.items()},
            recommendation=self.recommendation_combo.currentData(),
            discipline_opinion=self.discipline_edit.toPlainText(), unit_opinion=self.unit_edit.toPlainText(),
            note=self.note_edit.toPlainText(),
        )

        def save(s):
            if self.existing is None:
                row = asv.record_assessment(s, self.ctx.actor, self.cadre_id, **kw)
            else:
                row = asv.update_assessment(s, self.ctx.actor, self.existing.id, self.existing.version, **kw)
            if used_on is not None or self.post_edit.text().strip():
                row = asv.record_use(s, self.ctx.actor, row.id, row.version, used_on=used_on,
                                     used_post=self.post_edit.text(), today=self.ctx.today(),
                                     use_kind=self.use_kind_combo.currentData())
            return row

        saved = ops.run(self, self.ctx, save, changes=(Change.ASSESSMENT,), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()
