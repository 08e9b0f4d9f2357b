"""The two settings of the impact-period engine (domain §7.2, §9), each with a sentence explaining it."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QMessageBox, QRadioButton, QVBoxLayout, QWidget

from gui.context import AppContext
from gui.settings.section_parts import add_note_and_save
from gui.errors import show_error
from gui.worker import run_with_progress
from gui.ops import Change
from models.core import settings_store
from models.derived.restrictions import recompute_all

# The engine's codes (C2, ALT_A — domain §7.2) never reach the screen: a short name and a sentence in plain words.
MONTH_END_NAMES = {"C2": "以该月最后一天为末日", "ALT_A": "以该月最后一天的前一天为末日"}
MONTH_END = [
    ("C2", "以该月最后一天为末日（默认）：期满那个月没有与起算日相同的日子时（如8月31日起算，到2月），"
           "以该月最后一天为末日。例：2023年8月31日起6个月，末日为2024年2月29日。"),
    ("ALT_A", "以该月最后一天的前一天为末日：同样情形下，末日再提前一天。例：2023年8月31日起6个月，"
              "末日为2024年2月28日，比默认算法早一天。"),
]
OVERLAP_NAMES = {"separate": "分别计算", "sum": "累加计算"}
PARTY_OVERLAP = [
    ("separate", "分别计算（默认）：2024年1月1日前作出的党纪处分在前一处分影响期内又受处分的，各自计算影响期。"),
    ("sum", "累加计算：同样情形下，新处分的影响期接在前一处分未执行完的影响期之后（参照处分条例的累加规则）。"),
]


class RulesSection(QWidget):
    TITLE = "影响期计算"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.month_group, box1 = self._radio_box("期满月份没有对应日时，末日怎么定", MONTH_END, "monthEnd")
        self.overlap_group, box2 = self._radio_box("2024年前党纪处分影响期重叠时", PARTY_OVERLAP, "partyOverlap")
        layout.addWidget(box1)
        layout.addWidget(box2)
        self.save_button = add_note_and_save(
            self, layout, self.tr("修改后，所有处理处分记录的影响期会按新设置重新计算，工作台和名单随之更新。"),
            self.tr("保存并重新计算"), "saveRulesButton")

    def _radio_box(self, title: str, options, name: str):
        box = QGroupBox(self.tr(title))
        group = QButtonGroup(self)
        v = QVBoxLayout(box)
        for code, text in options:
            name_, _, explanation = text.partition("：")
            radio = QRadioButton(self.tr(name_))
            radio.setObjectName(f"{name}_{code}")
            radio.setProperty("code", code)
            group.addButton(radio)
            v.addWidget(radio)
            note = QLabel(self.tr(explanation))
            note.setWordWrap(True)
            note.setContentsMargins(22, 0, 0, 6)  # under the radio's text, not its circle
            v.addWidget(note)
        return group, box

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            values = settings_store.get_many(s, "rules.")
        for group, key in ((self.month_group, "rules.month_end"), (self.overlap_group, "rules.party_overlap_before_2024")):
            for button in group.buttons():
                button.setChecked(button.property("code") == values[key])

    def selected(self) -> tuple[str, str]:
        return (self.month_group.checkedButton().property("code"), self.overlap_group.checkedButton().property("code"))

    def _on_save_button_clicked(self) -> None:
        month_end, overlap = self.selected()
        ctx = self.ctx

        def work(progress):
            with ctx.db.session() as s:  # one action, one transaction: settings and every recomputed date
                settings_store.put(s, ctx.actor, "rules.month_end", month_end)
                settings_store.put(s, ctx.actor, "rules.party_overlap_before_2024", overlap)
                return recompute_all(s, progress)

        def done(count):
            if count is None:
                self.refresh()
                return
            ctx.notify(Change.SETTINGS)
            QMessageBox.information(self, self.tr("已保存"), self.tr("设置已保存，已重新计算 %1 名干部的影响期。").replace("%1", str(count)))

        run_with_progress(self, self.tr("正在重新计算影响期"), work, done, lambda exc: show_error(self, exc))
