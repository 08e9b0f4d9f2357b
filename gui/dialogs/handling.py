"""The paper decision as a form: the restrictions the engine computes are shown at once as you type.

Each computed restriction shows its dates and its Chinese explanation; an overridden date is marked.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPlainTextEdit, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.ops import Change
from gui.widgets.cadre_picker import CadrePicker
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, fit_to_screen, scroll_body
from models.services.handling import preview as handling_preview
from models.services.handling import register as handling_register
from models.rules import rule_table as rt
from models.core.errors import AppError, ValidationError


class RestrictionTable(QTableWidget):
    """Restrictions with their dates and explanations; an overridden last day is marked."""

    COL_KIND, COL_START, COL_LAST, COL_OFF, COL_EXPLANATION = range(5)

    def __init__(self, parent=None):
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels([self.tr("限制"), self.tr("开始"), self.tr("最后一天"), self.tr("期满日"), self.tr("说明")])
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.COL_KIND, QHeaderView.Interactive)
        for col in (self.COL_START, self.COL_LAST, self.COL_OFF):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(self.COL_EXPLANATION, QHeaderView.Stretch)
        self.setColumnWidth(self.COL_KIND, 130)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectRows)
        self.setSelectionMode(QTableWidget.SingleSelection)
        self.setWordWrap(True)
        self.rows: list[handling_register.RestrictionRow] = []

    def set_rows(self, rows) -> None:
        self.rows = list(rows)
        self.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            last = r.last_day_text
            off = r.off_date.isoformat() if r.off_date else "—"
            cells = [r.label, r.start.isoformat(), last, off, r.explanation]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == self.COL_EXPLANATION:
                    item.setToolTip(text + (f"\n依据：{r.basis}" if r.basis else ""))
                if r.overridden and col in (self.COL_LAST, self.COL_OFF):
                    item.setForeground(QColor("#b00020"))
                    item.setToolTip(self.tr("人工修改；计算结果为 %1。理由：%2")
                                    .replace("%1", r.computed_last_day.isoformat() if r.computed_last_day else "—")
                                    .replace("%2", r.override_reason or ""))
                self.setItem(i, col, item)
        self.resizeRowsToContents()


class HandlingDialog(FormDialog):
    """New (handling_id None; cadre_id fixes the cadre, else the user finds one) or edit an existing record.

    Opened as HandlingDialog(ctx, handling_id, parent) by other pages (gui/pages/cadre_view.py).
    Attributes: saved (HandlingDetail after a successful save).
    """

    def __init__(self, ctx: AppContext, handling_id: int | None = None, parent=None, *, cadre_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.handling_id = handling_id
        self.cadre_id = cadre_id
        self.version: int | None = None
        self.saved: handling_register.HandlingDetail | None = None
        self._loading = True
        self._setup_ui()
        self._connect_signals()
        self._load()
        self._loading = False
        self._update_flags()
        self._update_preview()
        self.mark_clean()

    # ------------------------------------------------------------------ ui
    def _setup_ui(self) -> None:
        self.setObjectName("handlingDialog")
        self.setWindowTitle(self.tr("修改处理处分") if self.handling_id else self.tr("登记处理处分"))
        fit_to_screen(self, 1100, 720)
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        outer.addLayout(top, 1)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        left_box.addLayout(form)
        left_box.addStretch(1)
        form.setLabelAlignment(Qt.AlignRight)
        self.picker = CadrePicker(self.ctx)
        form.addRow(self.tr("干部"), self.picker)

        self.regime_combo = QComboBox()
        self.regime_combo.setObjectName("regimeCombo")
        for code, label in handling_register.regime_choices():
            self.regime_combo.addItem(label, code)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindCombo")
        form.addRow(self.tr("类别"), self.regime_combo)
        form.addRow(self.tr("种类"), self.kind_combo)

        self.decided_edit = DateField(label="决定日期", field="decided_on")
        self.decided_edit.setObjectName("decidedEdit")
        self.approved_edit = DateField(label="批准日期", field="approved_on")
        self.approved_edit.setObjectName("approvedEdit")
        self.effective_edit = DateField(label="生效日期", field="effective_on", placeholder=self.tr("留空按规定"))
        self.effective_edit.setObjectName("effectiveEdit")
        self.served_edit = DateField(label="送达日期", field="served_on")
        self.served_edit.setObjectName("servedEdit")
        form.addRow(self.tr("决定日期"), self.decided_edit)
        form.addRow(self.tr("批准日期"), self.approved_edit)
        eff_row = QHBoxLayout()
        eff_row.addWidget(self.effective_edit)
        self.effective_hint = QLabel(self.tr("留空：党纪处分自批准之日起生效，其他自决定之日起生效"))
        self.effective_hint.setObjectName("effectiveHint")
        self.effective_hint.setStyleSheet("color: #666;")
        eff_row.addWidget(self.effective_hint, 1)
        form.addRow(self.tr("生效日期"), eff_row)
        form.addRow(self.tr("送达日期"), self.served_edit)
        self.organ_edit = QLineEdit()
        self.organ_edit.setObjectName("organEdit")
        self.doc_edit = QLineEdit()
        self.doc_edit.setObjectName("docNumberEdit")
        self.doc_edit.setPlaceholderText(self.tr("例：某纪〔2024〕3号"))
        form.addRow(self.tr("决定机关"), self.organ_edit)
        form.addRow(self.tr("文号"), self.doc_edit)
        self.facts_edit = QPlainTextEdit()
        self.facts_edit.setObjectName("factsEdit")
        self.facts_edit.setPlaceholderText(self.tr("客观、中性地概括主要事实（一段）"))
        self.facts_edit.setMaximumHeight(90)
        form.addRow(self.tr("事实摘要"), self.facts_edit)
        outer_flags = QGroupBox(self.tr("决定书上的其他事项"))
        flags = QFormLayout(outer_flags)
        self.rules_combo = QComboBox()
        self.rules_combo.setObjectName("rulesVersionCombo")
        self.rules_combo.addItem(self.tr("按生效日期自动判断"), None)
        self.rules_combo.addItem(self.tr("2003年条例（严重警告一年）"), "2003")
        self.rules_combo.addItem(self.tr("2015年及以后的条例"), "2015+")
        flags.addRow(self.tr("党纪处分条例版本"), self.rules_combo)
        self.months_spin = QSpinBox()
        self.months_spin.setObjectName("monthsSpin")
        self.months_spin.setRange(0, 48)
        self.months_spin.setSpecialValueText(self.tr("按规定"))
        self.months_spin.setSuffix(self.tr(" 个月"))
        flags.addRow(self.tr("决定的处分期"), self.months_spin)
        self.in_lieu_check = QCheckBox(self.tr("因不担任党内职务，以严重警告代替撤销党内职务"))
        self.in_lieu_check.setObjectName("inLieuCheck")
        flags.addRow(self.in_lieu_check)
        self.extended_check = QCheckBox(self.tr("留党察看一年，察看期延长一年"))
        self.extended_check.setObjectName("extendedCheck")
        flags.addRow(self.extended_check)
        self.restored_edit = DateField(label="恢复党员权利日期", field="restored_on",
                                       placeholder=self.tr("留空：察看期满次日"))
        self.restored_edit.setObjectName("restoredEdit")
        flags.addRow(self.tr("恢复党员权利日期"), self.restored_edit)
        self.group_edit = QLineEdit()
        self.group_edit.setObjectName("togetherGroupEdit")
        self.group_edit.setPlaceholderText(self.tr("数个违法行为一并处理时，同一组记录填相同的编号"))
        flags.addRow(self.tr("一并处理编号"), self.group_edit)
        self.lifting_edit = DateField(label="解除处分决定日期", field="lifting_decision_on")
        self.lifting_edit.setObjectName("liftingEdit")
        flags.addRow(self.tr("解除处分决定日期"), self.lifting_edit)
        form.addRow(outer_flags)
        top.addWidget(scroll_body(left), 3)

        right = QGroupBox(self.tr("程序计算的限制（随输入即时更新）"))
        rv = QVBoxLayout(right)
        self.preview_status = QLabel()
        self.preview_status.setObjectName("previewStatus")
        self.preview_status.setWordWrap(True)
        self.preview_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        rv.addWidget(self.preview_status)
        self.preview_table = RestrictionTable()
        self.preview_table.setObjectName("previewTable")
        # the full explanations are listed below the table, so the table keeps to the dates
        self.preview_table.setColumnHidden(RestrictionTable.COL_EXPLANATION, True)
        self.preview_table.horizontalHeader().setSectionResizeMode(RestrictionTable.COL_KIND, QHeaderView.Stretch)
        rv.addWidget(self.preview_table, 2)
        self.explain_label = QLabel()
        self.explain_label.setObjectName("previewExplanations")
        self.explain_label.setWordWrap(True)
        self.explain_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.explain_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        rv.addWidget(self.explain_label, 3)
        top.addWidget(right, 4)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.setObjectName("handlingButtons")
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setObjectName("saveHandlingButton")
        self.save_button.setText(self.tr("保存"))
        outer.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.picker.cadre_picked.connect(self._on_any_changed)
        self.regime_combo.currentIndexChanged.connect(self._on_regime_combo_current_index_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        for edit in (self.decided_edit, self.approved_edit, self.effective_edit, self.served_edit, self.restored_edit,
                     self.lifting_edit, self.group_edit):
            edit.textChanged.connect(self._on_any_changed)
            edit.textChanged.connect(self._on_input_edited)
        self.rules_combo.currentIndexChanged.connect(self._on_any_changed)
        self.months_spin.valueChanged.connect(self._on_any_changed)
        self.in_lieu_check.toggled.connect(self._on_any_changed)
        self.extended_check.toggled.connect(self._on_any_changed)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ load
    def _load(self) -> None:
        self._fill_kinds()
        if self.handling_id is not None:
            with self.ctx.db.session() as s:
                d = handling_register.get_handling(s, self.ctx.actor, self.handling_id)
                choice = handling_register.cadre_choice(s, self.ctx.actor, d.cadre_id)
            self.cadre_id, self.version = d.cadre_id, d.version
            self._set_cadre(choice)
            data = d.data
            self.regime_combo.setCurrentIndex(self.regime_combo.findData(data.regime))
            self._fill_kinds()
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(data.kind))
            self.decided_edit.set_value(data.decided_on)
            self.approved_edit.set_value(data.approved_on)
            if data.effective_on != handling_register.default_effective(data):
                self.effective_edit.set_value(data.effective_on)
            self.served_edit.set_value(data.served_on)
            self.organ_edit.setText(data.organ or "")
            self.doc_edit.setText(data.doc_number or "")
            self.facts_edit.setPlainText(data.facts or "")
            self.rules_combo.setCurrentIndex(max(0, self.rules_combo.findData(data.rules_version)))
            self.months_spin.setValue(data.months or 0)
            self.in_lieu_check.setChecked(data.in_lieu_of_revocation)
            self.extended_check.setChecked(data.probation_extended)
            self.restored_edit.set_value(data.restored_on)
            self.group_edit.setText(data.together_group or "")
            self.lifting_edit.set_value(data.lifting_decision_on)
        elif self.cadre_id is not None:
            with self.ctx.db.session() as s:
                self._set_cadre(handling_register.cadre_choice(s, self.ctx.actor, self.cadre_id))

    def _set_cadre(self, c) -> None:
        """The person is given: editing a record, or registering from that person's page."""
        self.picker.set_fixed(c.id, c.name, f"{c.name}（{c.unit_name or '未填单位'}，身份证号尾号{c.id_number[-4:]}）")

    def _fill_kinds(self) -> None:
        regime = self.regime_combo.currentData()
        current = self.kind_combo.currentData()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        for code, label in handling_register.kind_choices(regime):
            self.kind_combo.addItem(label, code)
        idx = self.kind_combo.findData(current)
        self.kind_combo.setCurrentIndex(idx if idx >= 0 else 0)
        self.kind_combo.blockSignals(False)

    # ------------------------------------------------------------------ slots
    def _on_input_edited(self, *_args) -> None:
        self.error_label.hide()

    def _on_regime_combo_current_index_changed(self, _index: int) -> None:
        self._fill_kinds()
        self._update_flags()
        self._update_preview()

    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        self._update_flags()
        self._update_preview()

    def _on_any_changed(self, *_args) -> None:
        if not self._loading:
            self._update_preview()

    def _update_flags(self) -> None:
        regime, kind = self.regime_combo.currentData(), self.kind_combo.currentData()
        party = regime == "party"
        self.approved_edit.setEnabled(True)
        self.rules_combo.setEnabled(party)
        self.in_lieu_check.setEnabled(party and kind == "serious_warning")
        self.extended_check.setEnabled(party and kind == "probation_1y")
        self.restored_edit.setEnabled(party and kind in handling_register.PROBATION_KINDS)
        timed = kind is not None and rt.kind_spec(regime, kind).type == "timed"
        self.months_spin.setEnabled(timed)
        for box, ok in ((self.in_lieu_check, self.in_lieu_check.isEnabled()),
                        (self.extended_check, self.extended_check.isEnabled())):
            if not ok:
                box.setChecked(False)
        if not self.restored_edit.isEnabled():
            self.restored_edit.clear()
        if not party:
            self.rules_combo.setCurrentIndex(0)
        if not timed:
            self.months_spin.setValue(0)
        self.effective_hint.setText(
            self.tr("留空：自批准之日起生效") if party else self.tr("留空：自决定之日起生效"))

    def collect(self) -> handling_register.HandlingInput:
        """The form as a HandlingInput; raises ValidationError when a date cannot be read or no cadre is chosen."""
        cadre_id = self.picker.cadre_id()
        if cadre_id is None:
            raise ValidationError(self.tr("请先在“干部”一栏查找并选择干部（输入后用↑↓选中，按回车确定）。"), "cadre_id")
        dates = {}
        for edit in (self.decided_edit, self.approved_edit, self.effective_edit, self.served_edit, self.restored_edit,
                     self.lifting_edit):
            dates[edit.field] = edit.value() if edit.isEnabled() else None
        return handling_register.HandlingInput(
            cadre_id=cadre_id, regime=self.regime_combo.currentData(), kind=self.kind_combo.currentData(), **dates,
            organ=self.organ_edit.text(), doc_number=self.doc_edit.text(), facts=self.facts_edit.toPlainText(),
            rules_version=self.rules_combo.currentData(), months=self.months_spin.value() or None,
            in_lieu_of_revocation=self.in_lieu_check.isChecked(), probation_extended=self.extended_check.isChecked(),
            together_group=self.group_edit.text(),
        )

    def _update_preview(self) -> None:
        if self._loading:
            return
        try:
            data = self.collect()
            with self.ctx.db.session() as s:
                p = handling_preview.preview(s, data, self.ctx.today(), self.handling_id)
        except AppError as exc:
            self.preview_status.setText(exc.message)
            self.preview_status.setStyleSheet("color: #b00020;")
            self.preview_table.set_rows([])
            self.explain_label.setText("")
            return
        off = self.tr("；干部影响期满日：%1").replace("%1", p.off_date.isoformat()) if p.off_date else ""
        self.preview_status.setStyleSheet("")
        self.preview_status.setText(f"{p.status_label}{off}\n{p.explanation}")
        self.preview_table.set_rows(p.restrictions)
        lines = []
        for n, r in enumerate(p.restrictions, 1):
            mark = self.tr("（已人工修改为 %1，理由：%2）").replace("%1", r.last_day.isoformat()).replace(
                "%2", r.override_reason or "") if r.overridden else ""
            lines.append(f"{n}. {r.label}：{r.explanation}{mark}")
        self.explain_label.setText("\n".join(lines) if lines else self.tr("没有期限限制。"))

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            data = self.collect()
        except AppError as exc:
            self._show_error(exc)
            return

        def save(s):
            if self.handling_id is None:
                return handling_register.create_handling(s, self.ctx.actor, data, self.ctx.today())
            return handling_register.update_handling(s, self.ctx.actor, self.handling_id, data, self.version, self.ctx.today())

        saved = ops.run(self, self.ctx, save, changes=(Change.HANDLING,), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()
