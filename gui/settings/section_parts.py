"""Pieces every 设置 section shares: the explanatory note and the save button (administrators only),
right-aligned at the bottom as in any dialog."""
from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPushButton, QWidget


def add_note_and_save(section: QWidget, layout: QBoxLayout, note: str, button_text: str,
                      object_name: str) -> QPushButton:
    label = QLabel(note)
    label.setWordWrap(True)
    layout.addWidget(label)
    button = QPushButton(button_text)
    button.setObjectName(object_name)
    button.setEnabled(section.ctx.actor.can("admin"))
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    layout.addLayout(row)
    layout.addStretch(1)
    return button
