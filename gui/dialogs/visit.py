"""登记回访: one visit record with the fields of domain §2.4; saving marks its plan done.

Validation faults (a date before the decision or in the future, fewer than two visitors, a revoked decision …)
are shown in red inside the dialog, which stays open so the officer can correct them.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.cadre_picker import CadrePicker
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen, scroll_body, verdict_combo
from models.services.visits import plans as visit_plan_list
from models.services.visits import settings as visit_settings
from models.services.visits import records as visit_records
from models.core.errors import AppError, ValidationError

VISITOR_ROWS = 3


class VisitDialog(FormDialog):
    """Attributes:
        saved: the VisitRow after a successful save, else None.
    """

    def __init__(self, ctx: AppContext, parent=None, *, plan: visit_plan_list.PlanRow | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.plan = plan
        self.saved: visit_records.VisitRow | None = None
        self._setup_ui()
        self._connect_signals()
        self._load()
        self.mark_clean()

    # ------------------------------------------------------------------------------------------- ui
    def _setup_ui(self) -> None:
        self.setObjectName("visitDialog")
        self.setWindowTitle(self.tr("登记回访"))
        fit_to_screen(self, 780, 700)
        outer = QVBoxLayout(self)
        body = QWidget()
        outer.addWidget(scroll_body(body), 1)
        layout = QVBoxLayout(body)

        who = QGroupBox(self.tr("回访对象和处理处分"))
        form = QFormLayout(who)
        self.picker = CadrePicker(self.ctx)
        form.addRow(self.tr("干部"), self.picker)
        self.handling_combo = QComboBox()
        self.handling_combo.setObjectName("handlingCombo")
        form.addRow(self.tr("处理处分"), self.handling_combo)
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        form.addRow(self.tr("对应计划"), self.plan_combo)
        layout.addWidget(who)

        basic = QGroupBox(self.tr("回访情况"))
        form = QFormLayout(basic)
        self.date_edit = DateField(label="回访日期", field="visited_on", required=True)
        self.date_edit.setObjectName("visitedOnEdit")
        form.addRow(self.tr("回访日期"), self.date_edit)
        self.place_edit = QLineEdit()
        self.place_edit.setObjectName("placeEdit")
        form.addRow(self.tr("地点"), self.place_edit)
        self.form_combo = QComboBox()
        self.form_combo.setObjectName("formCombo")
        self.form_combo.addItems([self.tr(f) for f in visit_records.FORMS])
        form.addRow(self.tr("方式"), self.form_combo)
        self.visitors_table = QTableWidget(VISITOR_ROWS, 2)
        self.visitors_table.setObjectName("visitorsTable")
        self.visitors_table.setHorizontalHeaderLabels([self.tr("回访人姓名"), self.tr("职务")])
        self.visitors_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.visitors_table.setMinimumHeight(120)
        self.add_visitor_button = QPushButton(self.tr("增加一行"))
        self.add_visitor_button.setObjectName("addVisitorButton")
        box = QVBoxLayout()
        box.addWidget(self.visitors_table)
        box.addWidget(self.add_visitor_button, 0, Qt.AlignLeft)
        form.addRow(self.tr("回访人（至少两名）"), box)
        self.others_edit = QPlainTextEdit()
        self.others_edit.setObjectName("othersPresentEdit")
        self.others_edit.setFixedHeight(50)
        form.addRow(self.tr("其他参加人"), self.others_edit)
        layout.addWidget(basic)

        learned = QGroupBox(self.tr("了解情况"))
        form = QFormLayout(learned)
        self.finding_edits: dict[str, QPlainTextEdit] = {}
        for n, heading in enumerate(visit_records.FINDING_HEADINGS):
            edit = QPlainTextEdit()
            edit.setObjectName(f"findingEdit_{n}")
            edit.setFixedHeight(48)
            self.finding_edits[heading] = edit
            form.addRow(self.tr(heading), edit)
        layout.addWidget(learned)

        result = QGroupBox(self.tr("结论"))
        form = QFormLayout(result)
        self.evaluation_combo = verdict_combo([], "evaluationCombo")  # required, nothing preselected
        form.addRow(self.tr("回访评价"), self.evaluation_combo)
        self.recommendation_combo = QComboBox()
        self.recommendation_combo.setObjectName("recommendationCombo")
        form.addRow(self.tr("意见建议"), self.recommendation_combo)
        self.suggestions_edit = QPlainTextEdit()
        self.suggestions_edit.setObjectName("suggestionsEdit")
        self.suggestions_edit.setFixedHeight(50)
        form.addRow(self.tr("意见建议说明"), self.suggestions_edit)
        self.next_steps_edit = QPlainTextEdit()
        self.next_steps_edit.setObjectName("nextStepsEdit")
        self.next_steps_edit.setFixedHeight(50)
        form.addRow(self.tr("后续措施"), self.next_steps_edit)
        due_row = QHBoxLayout()
        self.next_due_check = QCheckBox(self.tr("有完成时限"))
        self.next_due_check.setObjectName("nextDueCheck")
        self.next_due_edit = DateField(label="后续措施完成时限", field="next_due")
        self.next_due_edit.setObjectName("nextDueEdit")
        self.next_due_edit.setEnabled(False)
        due_row.addWidget(self.next_due_check)
        due_row.addWidget(self.next_due_edit)
        due_row.addStretch(1)
        form.addRow(self.tr("时限"), due_row)
        self.attachments_edit = QLineEdit()
        self.attachments_edit.setObjectName("attachmentsEdit")
        self.attachments_edit.setPlaceholderText(self.tr("如：思想汇报、单位鉴定、谈话记录"))
        form.addRow(self.tr("附件"), self.attachments_edit)
        layout.addWidget(result)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        outer.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("saveVisitButton")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setObjectName("cancelVisitButton")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        outer.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.picker.cadre_picked.connect(self._on_picker_cadre_picked)
        self.handling_combo.currentIndexChanged.connect(self._on_handling_combo_current_index_changed)
        self.add_visitor_button.clicked.connect(self._on_add_visitor_button_clicked)
        self.next_due_check.toggled.connect(self.next_due_edit.setEnabled)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        for w in (self.picker, self.handling_combo, self.date_edit, self.form_combo, self.visitors_table,
                  self.evaluation_combo, self.next_due_check, self.next_due_edit):
            clear_on_edit(w, self.error_label)

    # ------------------------------------------------------------------------------------------- data
    def _load(self) -> None:
        self.date_edit.set_value(self.ctx.today())  # a date, not a verdict: today is the usual case
        with self.ctx.db.session() as s:
            for text in visit_settings.evaluations(s):
                self.evaluation_combo.addItem(text, text)
            self.recommendation_combo.addItem("", "")
            for text in visit_settings.recommendations(s):
                self.recommendation_combo.addItem(text, text)
        if self.plan is not None:
            self.picker.set_fixed(self.plan.cadre_id, self.plan.cadre_name,
                                  f"{self.plan.cadre_name}（{self.plan.unit_name or '未填单位'}）")
            self._fill_handlings(self.plan.cadre_id)
            self._select_data(self.handling_combo, self.plan.handling_id)
            self._select_data(self.plan_combo, self.plan.id)

    @staticmethod
    def _select_data(combo: QComboBox, value) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _on_picker_cadre_picked(self, cadre_id: int, _name: str) -> None:
        self._fill_handlings(cadre_id)

    def _fill_handlings(self, cadre_id: int | None) -> None:
        self.handling_combo.blockSignals(True)
        self.handling_combo.clear()
        if cadre_id is not None:
            with self.ctx.db.session() as s:  # reading the choices also brings the plans up to date
                for c in visit_records.handling_choices(s, self.ctx.actor, cadre_id, self.ctx.today()):
                    self.handling_combo.addItem(c.label, c.id)
        self.handling_combo.blockSignals(False)
        self._on_handling_combo_current_index_changed(self.handling_combo.currentIndex())

    def _on_handling_combo_current_index_changed(self, _index: int) -> None:
        handling_id = self.handling_combo.currentData()
        self.plan_combo.clear()
        self.plan_combo.addItem(self.tr("自动对应（按回访日期）"), None)
        if handling_id is None:
            return
        with self.ctx.db.session() as s:
            plans = visit_records.open_plans_of_handling(s, self.ctx.actor, handling_id, self.ctx.today())
        for p in plans:
            self.plan_combo.addItem(f"第{p.seq}次 {p.purpose}（{p.window_text}，{p.state_label}）", p.id)

    def _on_add_visitor_button_clicked(self) -> None:
        self.visitors_table.insertRow(self.visitors_table.rowCount())

    def set_visitor(self, row: int, name: str, post: str) -> None:
        while self.visitors_table.rowCount() <= row:
            self.visitors_table.insertRow(self.visitors_table.rowCount())
        self.visitors_table.setItem(row, 0, QTableWidgetItem(name))
        self.visitors_table.setItem(row, 1, QTableWidgetItem(post))

    def visitors(self) -> list[dict]:
        out = []
        for r in range(self.visitors_table.rowCount()):
            cells = [self.visitors_table.item(r, k) for k in (0, 1)]
            name, post = [(c.text().strip() if c else "") for c in cells]
            if name or post:
                out.append({"name": name, "post": post})
        return out

    def data(self) -> visit_records.VisitInput:
        return visit_records.VisitInput(
            handling_id=self.handling_combo.currentData(), visited_on=self.date_edit.value(),
            form=visit_records.FORMS[self.form_combo.currentIndex()], visitors=self.visitors(), place=self.place_edit.text(),
            plan_id=self.plan_combo.currentData(), others_present=self.others_edit.toPlainText(),
            findings={h: e.toPlainText() for h, e in self.finding_edits.items() if e.toPlainText().strip()},
            evaluation=self.evaluation_combo.currentData() or "", recommendation=self.recommendation_combo.currentData() or "",
            suggestions=self.suggestions_edit.toPlainText(), next_steps=self.next_steps_edit.toPlainText(),
            next_due=self._next_due(),
            attachments=self.attachments_edit.text(),
        )

    def _next_due(self):
        if not self.next_due_check.isChecked():
            return None
        if not self.next_due_edit.text().strip():
            raise ValidationError(self.tr("勾选了“有完成时限”，请填写时限日期。"), "next_due")
        return self.next_due_edit.value()

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save_button_clicked(self) -> None:
        try:
            if self.handling_combo.currentData() is None:
                raise ValidationError(self.tr("请先选择干部和处理处分记录。"), "handling_id")
            if not self.evaluation_combo.currentData():
                raise ValidationError(self.tr("请选择回访评价（没有预先选定，须按回访情况选择）。"), "evaluation")
            data = self.data()
        except AppError as exc:
            self._show_error(exc)
            return
        saved = ops.run(self, self.ctx, lambda s: visit_records.record_visit(s, self.ctx.actor, data, self.ctx.today()),
                        changes=(Change.VISIT,), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.error_label.clear()
        self.accept()
