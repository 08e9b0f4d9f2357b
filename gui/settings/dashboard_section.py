"""设置 → 工作台与考核: lead times of the 工作台, the assessment outcome list, two smaller numbers, and the target
share of grassroots cadres among the 百佳公务员 that the 统计分析 page draws as a line."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout, QLineEdit, QMessageBox, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget,
)

from gui.context import AppContext
from gui.settings.section_parts import add_note_and_save
from gui.errors import show_error
from gui.ops import Change
from models.core import settings_store
from models.core.errors import ValidationError


def parse_lead_days(text: str) -> list[int]:
    parts = [p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p.strip()]
    try:
        values = sorted({int(p) for p in parts})
    except ValueError:
        raise ValidationError("提前天数请填写整数，用逗号分隔，例如：30, 60, 90", "lead_days") from None
    if not values or any(v <= 0 or v > 366 for v in values):
        raise ValidationError("提前天数必须是 1 到 366 之间的整数，至少一个，例如：30, 60, 90", "lead_days")
    if len(values) > 5:
        raise ValidationError("提前天数最多填写 5 个。", "lead_days")
    return values


def parse_outcomes(text: str) -> list[str]:
    values = []
    for line in text.splitlines():
        line = line.strip()
        if line and line not in values:
            values.append(line)
    if len(values) < 2:
        raise ValidationError("考核结果至少要有两项，每行一项。", "outcomes")
    return values


class DashboardSection(QWidget):
    TITLE = "工作台与考核"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.lead_edit = QLineEdit()
        self.lead_edit.setObjectName("leadDaysEdit")
        form.addRow(self.tr("影响期满提前提醒（天）"), self.lead_edit)
        self.outcomes_edit = QPlainTextEdit()
        self.outcomes_edit.setObjectName("outcomesEdit")
        self.outcomes_edit.setMaximumHeight(120)
        form.addRow(self.tr("期满考核结果（每行一项）"), self.outcomes_edit)
        self.early_spin = QSpinBox()
        self.early_spin.setObjectName("earlyDaysSpin")
        self.early_spin.setRange(0, 180)
        self.early_spin.setSuffix(self.tr(" 天"))
        form.addRow(self.tr("期满前多少天内的考核视为期满考核"), self.early_spin)
        self.lookback_spin = QSpinBox()
        self.lookback_spin.setObjectName("lookbackDaysSpin")
        self.lookback_spin.setRange(0, 3660)
        self.lookback_spin.setSuffix(self.tr(" 天"))
        self.lookback_spin.setSpecialValueText(self.tr("不限"))
        form.addRow(self.tr("“期满待考核”列出最近多少天内期满的"), self.lookback_spin)
        self.years_spin = QSpinBox()
        self.years_spin.setObjectName("commendationYearsSpin")
        self.years_spin.setRange(1, 10)
        self.years_spin.setSuffix(self.tr(" 年"))
        form.addRow(self.tr("“优先考虑使用”：近几年内受表彰"), self.years_spin)
        self.target_spin = QSpinBox()
        self.target_spin.setObjectName("grassrootsTargetSpin")
        self.target_spin.setRange(0, 100)
        self.target_spin.setSuffix(" %")
        form.addRow(self.tr("统计分析：百佳公务员中基层干部占比目标"), self.target_spin)
        layout.addLayout(form)
        self.save_button = add_note_and_save(
            self, layout, self.tr("工作台按这里的提前天数显示“xx天内影响期满”的人数；考核结果列表用于录入影响期满考核。"),
            self.tr("保存"), "saveDashboardButton")

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            lead = settings_store.get(s, "dashboard.lead_days")
            outcomes = settings_store.get(s, "assessment.outcomes")
            early = settings_store.get(s, "assessment.early_days")
            lookback = settings_store.get(s, "assessment.lookback_days")
            years = settings_store.get(s, "dashboard.commendation_years")
            target = settings_store.get(s, "statistics.grassroots_target")
        self.lead_edit.setText(", ".join(str(v) for v in lead))
        self.outcomes_edit.setPlainText("\n".join(outcomes))
        self.early_spin.setValue(int(early))
        self.lookback_spin.setValue(int(lookback))
        self.years_spin.setValue(int(years))
        self.target_spin.setValue(int(target))

    def _on_save_button_clicked(self) -> None:
        try:
            lead = parse_lead_days(self.lead_edit.text())
            outcomes = parse_outcomes(self.outcomes_edit.toPlainText())
            with self.ctx.db.session() as s:
                settings_store.put(s, self.ctx.actor, "dashboard.lead_days", lead)
                settings_store.put(s, self.ctx.actor, "assessment.outcomes", outcomes)
                settings_store.put(s, self.ctx.actor, "assessment.early_days", self.early_spin.value())
                settings_store.put(s, self.ctx.actor, "assessment.lookback_days", self.lookback_spin.value())
                settings_store.put(s, self.ctx.actor, "dashboard.commendation_years", self.years_spin.value())
                settings_store.put(s, self.ctx.actor, "statistics.grassroots_target", self.target_spin.value())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, self.tr("无法保存"))
            return
        self.refresh()
        self.ctx.notify(Change.SETTINGS)
        QMessageBox.information(self, self.tr("已保存"), self.tr("工作台与考核设置已保存。"))
