"""The paper decision as a form: the restrictions the engine computes are shown at once as you type.

Each computed restriction shows its dates and its Chinese explanation; an overridden date is marked.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPlainTextEdit, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui.context import AppContext
from gui.errors import show_error
from gui.ops import Change
from models.services.handling import preview as handling_preview
from models.services.handling import register as handling_register
from models.rules import rule_table as rt
from models.core.errors import AppError


def parse_date(text: str) -> date | None:
    """'2024-03-15', '2024/3/15', '2024.3.15' or '20240315' → date; '' → None; anything else → ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    for sep in ("-", "/", ".", "年"):
        text = text.replace(sep, "-")
    text = text.replace("月", "-").replace("日", "")
    if text.isdigit() and len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    y, m, d = (int(p) for p in text.split("-"))
    return date(y, m, d)


class DateLineEdit(QLineEdit):
    """A date typed as 2024-03-15 (may stay empty). `value()` → date | None; raises ValueError when unreadable."""

    def __init__(self, parent=None, placeholder: str = "年-月-日"):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setMaximumWidth(150)

    def value(self) -> date | None:
        return parse_date(self.text())

    def set_value(self, d: date | None) -> None:
        self.setText(d.isoformat() if d else "")


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


class HandlingDialog(QDialog):
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

    # ------------------------------------------------------------------ ui
    def _setup_ui(self) -> None:
        self.setObjectName("handlingDialog")
        self.setWindowTitle(self.tr("修改处理处分") if self.handling_id else self.tr("登记处理处分"))
        self.resize(980, 760)
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
        cadre_row = QHBoxLayout()
        self.cadre_search = QLineEdit()
        self.cadre_search.setObjectName("cadreSearch")
        self.cadre_search.setPlaceholderText(self.tr("输入姓名、拼音首字母或身份证号查找"))
        self.cadre_combo = QComboBox()
        self.cadre_combo.setObjectName("cadreCombo")
        self.cadre_combo.setMinimumWidth(260)
        cadre_row.addWidget(self.cadre_search, 1)
        cadre_row.addWidget(self.cadre_combo, 2)
        form.addRow(self.tr("干部"), cadre_row)

        self.regime_combo = QComboBox()
        self.regime_combo.setObjectName("regimeCombo")
        for code, label in handling_register.regime_choices():
            self.regime_combo.addItem(label, code)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindCombo")
        form.addRow(self.tr("类别"), self.regime_combo)
        form.addRow(self.tr("种类"), self.kind_combo)

        self.decided_edit = DateLineEdit()
        self.decided_edit.setObjectName("decidedEdit")
        self.approved_edit = DateLineEdit()
        self.approved_edit.setObjectName("approvedEdit")
        self.effective_edit = DateLineEdit(placeholder=self.tr("留空按规定"))
        self.effective_edit.setObjectName("effectiveEdit")
        self.served_edit = DateLineEdit()
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
        self.restored_edit = DateLineEdit(placeholder=self.tr("留空：察看期满次日"))
        self.restored_edit.setObjectName("restoredEdit")
        flags.addRow(self.tr("恢复党员权利日期"), self.restored_edit)
        self.group_edit = QLineEdit()
        self.group_edit.setObjectName("togetherGroupEdit")
        self.group_edit.setPlaceholderText(self.tr("数个违法行为一并处理时，同一组记录填相同的编号"))
        flags.addRow(self.tr("一并处理编号"), self.group_edit)
        self.lifting_edit = DateLineEdit()
        self.lifting_edit.setObjectName("liftingEdit")
        flags.addRow(self.tr("解除处分决定日期"), self.lifting_edit)
        form.addRow(outer_flags)
        top.addWidget(left, 3)

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

        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.setObjectName("handlingButtons")
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setObjectName("saveHandlingButton")
        self.save_button.setText(self.tr("保存"))
        outer.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.cadre_search.textChanged.connect(self._on_cadre_search_text_changed)
        self.cadre_combo.currentIndexChanged.connect(self._on_any_changed)
        self.regime_combo.currentIndexChanged.connect(self._on_regime_combo_current_index_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        for edit in (self.decided_edit, self.approved_edit, self.effective_edit, self.served_edit, self.restored_edit,
                     self.lifting_edit, self.group_edit):
            edit.textChanged.connect(self._on_any_changed)
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
                d = handling_register.get_handling(s, self.handling_id)
                choice = handling_register.cadre_choice(s, d.cadre_id)
            self.cadre_id, self.version = d.cadre_id, d.version
            self._set_cadres([choice])
            self.cadre_search.setEnabled(False)
            self.cadre_combo.setEnabled(False)
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
                self._set_cadres([handling_register.cadre_choice(s, self.cadre_id)])
            self.cadre_search.setEnabled(False)
            self.cadre_combo.setEnabled(False)

    def _set_cadres(self, choices) -> None:
        self.cadre_combo.blockSignals(True)
        self.cadre_combo.clear()
        for c in choices:
            self.cadre_combo.addItem(f"{c.name}（{c.unit_name or '未填单位'}，{c.id_number[-4:]}）", c.id)
        self.cadre_combo.blockSignals(False)

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
    def _on_cadre_search_text_changed(self, text: str) -> None:
        with self.ctx.db.session() as s:
            self._set_cadres(handling_register.find_cadres(s, text))
        self._update_preview()

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
        """The form as a HandlingInput; raises AppError when a date cannot be read or no cadre is chosen."""
        cadre_id = self.cadre_combo.currentData() if self.cadre_combo.count() else None
        if cadre_id is None:
            raise AppError(self.tr("请先在“干部”一栏查找并选择干部。"))
        dates = {}
        for name, edit, label in (
            ("decided_on", self.decided_edit, "决定日期"), ("approved_on", self.approved_edit, "批准日期"),
            ("effective_on", self.effective_edit, "生效日期"), ("served_on", self.served_edit, "送达日期"),
            ("restored_on", self.restored_edit, "恢复党员权利日期"), ("lifting_decision_on", self.lifting_edit, "解除处分决定日期"),
        ):
            try:
                dates[name] = edit.value() if edit.isEnabled() else None
            except ValueError:
                raise AppError(self.tr("%1“%2”无法识别，请按 2024-03-15 的格式填写。")
                               .replace("%1", label).replace("%2", edit.text())) from None
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

    def _on_save(self) -> None:
        try:
            data = self.collect()
            with self.ctx.db.session() as s:
                if self.handling_id is None:
                    self.saved = handling_register.create_handling(s, self.ctx.actor, data, self.ctx.today())
                else:
                    self.saved = handling_register.update_handling(s, self.ctx.actor, self.handling_id, data, self.version,
                                                    self.ctx.today())
        except Exception as exc:  # noqa: BLE001 - shown to the user, nothing saved
            show_error(self, exc, self.tr("无法保存"))
            return
        self.ctx.notify(Change.HANDLING)
        self.accept()
