"""The 举报 form (new / edit / read-only) and the 核查结论 dialog.

The reporter fields are shown only to roles that handle accusations; others see "实名（无权查看）" or "匿名",
and the form is read-only for them (the services refuse their writes anyway).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.cadre_picker import CadrePicker
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen, scroll_body, select_text, verdict_combo
from models.services import accusations as acc
from models.core.errors import AppError, ValidationError


class AccusationDialog(FormDialog):
    """Attributes: saved (AccusationRow | None) after 保存."""

    def __init__(self, ctx: AppContext, accusation_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.accusation_id = accusation_id
        self.row: acc.AccusationRow | None = None
        self.saved: acc.AccusationRow | None = None
        self.editable = ctx.actor.can("handle_accusations")
        self._setup_ui()
        self._connect_signals()
        self._load()
        self.mark_clean()

    # ------------------------------------------------------------------------------------------ ui
    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("登记举报") if self.accusation_id is None else self.tr("举报详情"))
        self.setObjectName("accusationDialog")
        fit_to_screen(self, 680, 700)
        form = QFormLayout()
        self.received_edit = DateField(label="收到日期", field="received_on", required=True, value=self.ctx.today())
        self.received_edit.setObjectName("receivedEdit")
        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("channelCombo")
        self.channel_combo.setEditable(True)
        form.addRow(self.tr("收到日期"), self.received_edit)
        form.addRow(self.tr("来源方式"), self.channel_combo)

        self.reporter_box = QGroupBox(self.tr("举报人（仅办理举报的人员可见，任何文书都不会出现）"))
        rform = QFormLayout(self.reporter_box)
        self.anonymous_check = QCheckBox(self.tr("匿名举报"))
        self.anonymous_check.setObjectName("anonymousCheck")
        self.reporter_name_edit = QLineEdit()
        self.reporter_name_edit.setObjectName("reporterNameEdit")
        self.reporter_unit_edit = QLineEdit()
        self.reporter_unit_edit.setObjectName("reporterUnitEdit")
        self.reporter_contact_edit = QLineEdit()
        self.reporter_contact_edit.setObjectName("reporterContactEdit")
        self.reporter_hidden_label = QLabel()
        self.reporter_hidden_label.setObjectName("reporterHiddenLabel")
        rform.addRow(self.anonymous_check)
        rform.addRow(self.tr("姓名"), self.reporter_name_edit)
        rform.addRow(self.tr("单位"), self.reporter_unit_edit)
        rform.addRow(self.tr("联系方式"), self.reporter_contact_edit)
        rform.addRow(self.reporter_hidden_label)

        subjects_box = QGroupBox(self.tr("被反映人"))
        sv = QVBoxLayout(subjects_box)
        self.picker = CadrePicker(self.ctx, show_choice=False)  # the people picked are listed below
        self.subject_list = QListWidget()
        self.subject_list.setObjectName("subjectList")
        self.subject_list.setMaximumHeight(80)
        self.remove_subject_button = QPushButton(self.tr("移除所选"))
        self.remove_subject_button.setObjectName("removeSubjectButton")
        sv.addWidget(self.picker)
        sv.addWidget(self.subject_list)
        sv.addWidget(self.remove_subject_button, alignment=Qt.AlignRight)

        form2 = QFormLayout()
        self.category_combo = QComboBox()
        self.category_combo.setObjectName("categoryCombo")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setObjectName("summaryEdit")
        self.summary_edit.setPlaceholderText(self.tr("反映的具体问题：时间、地点、事情经过、涉及金额等"))
        checks = QHBoxLayout()
        self.specific_check = QCheckBox(self.tr("内容具体"))
        self.specific_check.setObjectName("specificCheck")
        self.verifiable_check = QCheckBox(self.tr("可查证"))
        self.verifiable_check.setObjectName("verifiableCheck")
        checks.addWidget(self.specific_check)
        checks.addWidget(self.verifiable_check)
        checks.addStretch(1)
        self.disposal_combo = QComboBox()
        self.disposal_combo.setObjectName("disposalCombo")
        self.disposal_combo.addItem(self.tr("（未定）"), None)
        for d in acc.DISPOSALS:
            self.disposal_combo.addItem(self.tr(d), d)
        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("outcomeLabel")
        form2.addRow(self.tr("问题类别"), self.category_combo)
        form2.addRow(self.tr("内容摘要"), self.summary_edit)
        form2.addRow(self.tr("具体性"), checks)
        form2.addRow(self.tr("处置方式"), self.disposal_combo)
        form2.addRow(self.tr("核查结论"), self.outcome_label)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveButton")
        self.buttons.button(QDialogButtonBox.Save).setVisible(self.editable)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(form)
        body_layout.addWidget(self.reporter_box)
        body_layout.addWidget(subjects_box)
        body_layout.addLayout(form2)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll_body(body), 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.picker.cadre_picked.connect(self._on_picker_cadre_picked)
        self.remove_subject_button.clicked.connect(self._on_remove_subject_button_clicked)
        self.anonymous_check.toggled.connect(self._on_anonymous_check_toggled)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.received_edit, self.picker, self.category_combo, self.summary_edit, self.anonymous_check,
                  self.reporter_name_edit, self.specific_check, self.verifiable_check):
            clear_on_edit(w, self.error_label)

    # ------------------------------------------------------------------------------------------ data
    def _load(self) -> None:
        with self.ctx.db.session() as s:
            categories, channels = acc.categories(s), acc.channels(s)
            if self.accusation_id is not None:
                self.row = acc.get_accusation(s, self.ctx.actor, self.accusation_id)
        # nothing preselected: a 问题类别 guessed for the officer files the report under the wrong heading
        self.category_combo.addItem(self.tr("（请选择）"), "")
        for text in categories:
            self.category_combo.addItem(text, text)
        self.channel_combo.addItems(channels)
        row = self.row
        if row is not None:
            self.received_edit.set_value(row.received_on)
            self.channel_combo.setCurrentText(row.channel or "")
            self.anonymous_check.setChecked(row.anonymous)
            if row.reporter_visible:
                self.reporter_name_edit.setText(row.reporter_name or "")
                self.reporter_unit_edit.setText(row.reporter_unit or "")
                self.reporter_contact_edit.setText(row.reporter_contact or "")
            for subj in row.subjects:
                self._add_subject(subj.cadre_id, subj.name)
            select_text(self.category_combo, row.category)
            self.summary_edit.setPlainText(row.summary)
            self.specific_check.setChecked(row.is_specific)
            self.verifiable_check.setChecked(row.is_verifiable)
            self.disposal_combo.setCurrentIndex(max(self.disposal_combo.findData(row.disposal), 0))
            outcome = row.outcome or self.tr("未登记")
            if row.outcome_on:
                outcome += f"（{row.outcome_on.isoformat()}{'，' + row.verified_by if row.verified_by else ''}）"
            self.outcome_label.setText(outcome)
        else:
            self.outcome_label.setText(self.tr("未登记"))
        # a handling role sees the reporter of the record opened (that reading is audited by the service)
        can_see = row.reporter_visible if row is not None else self.ctx.actor.can("handle_accusations")
        for w in (self.reporter_name_edit, self.reporter_unit_edit, self.reporter_contact_edit):
            w.setVisible(can_see)
            label = self.reporter_box.layout().labelForField(w)
            if label is not None:
                label.setVisible(can_see)
        self.reporter_hidden_label.setVisible(not can_see)
        if not can_see:
            self.reporter_hidden_label.setText(row.reporter_display if row else "")
        self._on_anonymous_check_toggled(self.anonymous_check.isChecked())
        if not self.editable:
            for w in (self.received_edit, self.channel_combo, self.anonymous_check, self.picker, self.category_combo,
                      self.specific_check, self.verifiable_check, self.disposal_combo, self.remove_subject_button):
                w.setEnabled(False)
            self.summary_edit.setReadOnly(True)

    def _add_subject(self, cadre_id: int, name: str) -> None:
        for i in range(self.subject_list.count()):
            if self.subject_list.item(i).data(Qt.UserRole) == cadre_id:
                return
        item = QListWidgetItem(name)
        item.setData(Qt.UserRole, cadre_id)
        self.subject_list.addItem(item)

    def subject_ids(self) -> list[int]:
        return [self.subject_list.item(i).data(Qt.UserRole) for i in range(self.subject_list.count())]

    def values(self) -> dict:
        return {
            "received_on": self.received_edit.value(),
            "channel": self.channel_combo.currentText(),
            "anonymous": self.anonymous_check.isChecked(),
            "reporter_name": self.reporter_name_edit.text(),
            "reporter_unit": self.reporter_unit_edit.text(),
            "reporter_contact": self.reporter_contact_edit.text(),
            "cadre_ids": self.subject_ids(),
            "category": self.category_combo.currentData() or "",
            "summary": self.summary_edit.toPlainText(),
            "is_specific": self.specific_check.isChecked(),
            "is_verifiable": self.verifiable_check.isChecked(),
            "disposal": self.disposal_combo.currentData(),
        }

    # ------------------------------------------------------------------------------------------ slots
    def _on_picker_cadre_picked(self, cadre_id: int, name: str) -> None:
        self._add_subject(cadre_id, name)

    def _on_remove_subject_button_clicked(self) -> None:
        for item in self.subject_list.selectedItems():
            self.subject_list.takeItem(self.subject_list.row(item))

    def _on_anonymous_check_toggled(self, checked: bool) -> None:
        for w in (self.reporter_name_edit, self.reporter_unit_edit, self.reporter_contact_edit):
            w.setEnabled(not checked and self.editable)

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            values = self.values()
        except AppError as exc:
            self._show_error(exc)
            return

        def save(s):
            if self.row is None:
                return acc.create_accusation(s, self.ctx.actor, values, today=self.ctx.today())
            return acc.update_accusation(s, self.ctx.actor, self.row.id, values, version=self.row.version,
                                         today=self.ctx.today())

        saved = ops.run(self, self.ctx, save, changes=(Change.ACCUSATION,), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()


class OutcomeDialog(FormDialog):
    """核查结论: what it opens (clarifications, the 查处 task) is said after saving."""

    def __init__(self, ctx: AppContext, row: acc.AccusationRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.result: acc.OutcomeResult | None = None
        self._setup_ui()
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.outcome_combo, self.outcome_date):
            clear_on_edit(w, self.error_label)
        self.mark_clean()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("登记核查结论"))
        self.setObjectName("outcomeDialog")
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("第%1号举报：%2").replace("%1", str(self.row.id))
                           .replace("%2", self.row.subject_names)))
        self.outcome_combo = verdict_combo(acc.OUTCOMES, "outcomeCombo")  # required, nothing preselected
        select_text(self.outcome_combo, self.row.outcome)
        self.outcome_date = DateField(label="结论日期", field="outcome_on", required=True,
                                      value=self.row.outcome_on or self.ctx.today())
        self.outcome_date.setObjectName("outcomeDateEdit")
        self.verified_edit = QLineEdit(self.row.verified_by or "")
        self.verified_edit.setObjectName("verifiedByEdit")
        self.verified_edit.setPlaceholderText(self.tr("如：第三监督检查室"))
        hint = QLabel(self.tr("结论为不属实、诬告陷害或错告的，程序为每位被反映人开启澄清正名；诬告陷害还会开启查处任务。"))
        hint.setWordWrap(True)
        form.addRow(self.tr("核查结论"), self.outcome_combo)
        form.addRow(self.tr("结论日期"), self.outcome_date)
        form.addRow(self.tr("核查部门"), self.verified_edit)
        form.addRow(hint)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveOutcomeButton")
        form.addRow(self.buttons)

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            on = self.outcome_date.value()
            if not self.outcome_combo.currentData():
                raise ValidationError(self.tr("请选择核查结论（没有预先选定，须按核查情况选择）。"), "outcome")
        except AppError as exc:
            self._show_error(exc)
            return
        result = ops.run(self, self.ctx, lambda s: acc.set_outcome(
            s, self.ctx.actor, self.row.id, self.outcome_combo.currentData(), on, verified_by=self.verified_edit.text(),
            version=self.row.version, today=self.ctx.today()),
            changes=(Change.ACCUSATION, Change.CLARIFICATION), on_error=self._show_error)
        if result is ops.FAILED:
            return
        self.result = result
        if self.result.clarification_ids or self.result.task_id:
            parts = []
            if self.result.clarification_ids:
                parts.append(self.tr("已开启%1件澄清正名，请到“澄清正名”页办理。")
                             .replace("%1", str(len(self.result.clarification_ids))))
            if self.result.task_id:
                parts.append(self.tr("已开启查处诬告陷害任务。"))
            QMessageBox.information(self, self.tr("已保存"), "\n".join(parts))
        self.accept()
