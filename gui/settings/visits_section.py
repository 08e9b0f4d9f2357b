"""设置 → 回访规则: the local 回访 plan rule (domain §2.2) and the evaluation / recommendation lists (§2.4).

Saving refreshes the open plans of every cadre in one transaction (off the GUI thread, with 取消).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QFormLayout, QGroupBox, QHeaderView, QLineEdit, QMessageBox, QSpinBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui.context import AppContext
from gui.settings.section_parts import add_note_and_save
from gui.errors import show_error
from gui.worker import run_with_progress
from gui.ops import Change
from models.derived import visit_plans
from models.services.visits import settings as visit_settings
from models.rules.visit_plan import LIMITS, all_kind_codes

SEPARATORS = ("，", ",", "、", "；", ";")


def split_list(text: str) -> list[str]:
    for sep in SEPARATORS:
        text = text.replace(sep, "、")
    return [t.strip() for t in text.split("、") if t.strip()]


class VisitsSection(QWidget):
    TITLE = "回访规则"
    COL_KIND, COL_COVERED, COL_HEAVY = range(3)

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.kinds = all_kind_codes()
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        box = QGroupBox(self.tr("回访时间"))
        form = QFormLayout(box)
        self.spins: dict[str, QSpinBox] = {}
        suffix = {"first_talk_days": "天", "mid_visits": "次", "mid_window_days": "天", "final_months": "个月",
                  "heavy_extra": "次"}
        for key, (lo, hi, label) in LIMITS.items():
            spin = QSpinBox()
            spin.setObjectName(f"spin_{key}")
            spin.setRange(lo, hi)
            spin.setSuffix(" " + self.tr(suffix[key]))
            self.spins[key] = spin
            form.addRow(self.tr(label), spin)
        self.final_check = QCheckBox(self.tr("影响期（处分期）满前安排一次回访"))
        self.final_check.setObjectName("finalVisitCheck")
        self.restore_check = QCheckBox(self.tr("留党察看期满、恢复党员权利前安排一次回访"))
        self.restore_check.setObjectName("beforeRestorationCheck")
        form.addRow(self.final_check)
        form.addRow(self.restore_check)
        layout.addWidget(box)

        kinds = QGroupBox(self.tr("回访范围（勾选纳入回访的种类；“较重”的增加回访次数）"))
        v = QVBoxLayout(kinds)
        self.kinds_table = QTableWidget(len(self.kinds), 3)
        self.kinds_table.setObjectName("kindsTable")
        self.kinds_table.setHorizontalHeaderLabels([self.tr("种类"), self.tr("纳入回访"), self.tr("较重")])
        self.kinds_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.kinds_table.verticalHeader().setVisible(False)
        for row, (code, label) in enumerate(self.kinds):
            item = QTableWidgetItem(label)
            item.setData(Qt.UserRole, code)
            item.setFlags(Qt.ItemIsEnabled)
            self.kinds_table.setItem(row, self.COL_KIND, item)
            for col in (self.COL_COVERED, self.COL_HEAVY):
                check = QTableWidgetItem()
                check.setFlags(Qt.ItemIsEnabled | Qt.ItemIsUserCheckable)
                self.kinds_table.setItem(row, col, check)
        self.kinds_table.setMinimumHeight(260)
        v.addWidget(self.kinds_table)
        layout.addWidget(kinds)

        lists = QGroupBox(self.tr("可选项（用顿号“、”分隔）"))
        form = QFormLayout(lists)
        self.evaluations_edit = QLineEdit()
        self.evaluations_edit.setObjectName("evaluationsEdit")
        self.recommendations_edit = QLineEdit()
        self.recommendations_edit.setObjectName("recommendationsEdit")
        form.addRow(self.tr("回访评价"), self.evaluations_edit)
        form.addRow(self.tr("意见建议"), self.recommendations_edit)
        layout.addWidget(lists)

        self.save_button = add_note_and_save(
            self, layout, self.tr("保存后，所有尚未完成的回访计划按新规则重新安排；已完成的回访不受影响。"),
            self.tr("保存并重新安排回访计划"), "saveVisitRulesButton")

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            rule = visit_plans.load_rule(s)
            evaluations, recommendations = visit_settings.evaluations(s), visit_settings.recommendations(s)
        for key, spin in self.spins.items():
            spin.setValue(getattr(rule, key))
        self.final_check.setChecked(rule.final_visit)
        self.restore_check.setChecked(rule.before_restoration)
        for row, (code, _label) in enumerate(self.kinds):
            self.kinds_table.item(row, self.COL_COVERED).setCheckState(Qt.Checked if code in rule.covered else Qt.Unchecked)
            self.kinds_table.item(row, self.COL_HEAVY).setCheckState(Qt.Checked if code in rule.heavy_kinds else Qt.Unchecked)
        self.evaluations_edit.setText("、".join(evaluations))
        self.recommendations_edit.setText("、".join(recommendations))

    def rule_json(self) -> dict:
        def checked(col: int) -> list[str]:
            return [code for row, (code, _l) in enumerate(self.kinds)
                    if self.kinds_table.item(row, col).checkState() == Qt.Checked]

        value = {key: spin.value() for key, spin in self.spins.items()}
        value.update(final_visit=self.final_check.isChecked(), before_restoration=self.restore_check.isChecked(),
                     covered=checked(self.COL_COVERED), heavy_kinds=checked(self.COL_HEAVY))
        return value

    def _on_save_button_clicked(self) -> None:
        ctx = self.ctx
        rule = self.rule_json()
        evaluations = split_list(self.evaluations_edit.text())
        recommendations = split_list(self.recommendations_edit.text())

        def work(progress):
            with ctx.db.session() as s:
                return visit_settings.save_settings(s, ctx.actor, rule, evaluations, recommendations, ctx.today(), progress)

        def done(count):
            if count is None:
                self.refresh()
                return
            ctx.notify(Change.SETTINGS)
            QMessageBox.information(self, self.tr("已保存"),
                                    self.tr("回访规则已保存，已重新安排 %1 名干部的回访计划。").replace("%1", str(count)))

        run_with_progress(self, self.tr("正在重新安排回访计划"), work, done, lambda exc: show_error(self, exc))
