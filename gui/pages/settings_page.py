"""设置: one tab per section (rules, organ and documents, fonts, visits, holidays, accounts …)."""
from __future__ import annotations

import importlib

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from gui.context import AppContext
from gui.settings import SECTIONS


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.sections: list[QWidget] = []
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        for module, cls in SECTIONS:
            try:
                section_cls = getattr(importlib.import_module(module), cls)
            except ModuleNotFoundError as exc:
                if exc.name != module:
                    raise
                continue
            section = section_cls(self.ctx)
            self.sections.append(section)
            self.tabs.addTab(section, self.tr(section_cls.TITLE))
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        for section in self.sections:
            section.refresh()
