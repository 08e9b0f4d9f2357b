"""设置 → 代码表: the code lists an office adapts (local honours, 身份类别, other rank sequences, education)."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from gui.dialogs.cadre import ERROR_STYLE, OK_STYLE
from gui.ops import Change
from models.reference import codes
from models.core.errors import AppError


class CodeListsSection(QWidget):
    TITLE = "代码表"

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.setObjectName("codeListsSection")
        self.list_combo = QComboBox()
        self.list_combo.setObjectName("listCombo")
        for key, title in codes.EDITABLE.items():
            self.list_combo.addItem(title, key)
        self.values_edit = QPlainTextEdit()
        self.values_edit.setObjectName("valuesEdit")
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setObjectName("saveButton")
        self.reset_button = QPushButton(self.tr("恢复默认"))
        self.reset_button.setObjectName("resetButton")
        admin = self.ctx.actor.can("admin")
        self.values_edit.setReadOnly(not admin)
        self.save_button.setEnabled(admin)
        self.reset_button.setEnabled(admin)
        self.message = QLabel()
        self.message.setObjectName("messageLabel")
        self.message.setWordWrap(True)
        hint = QLabel(self.tr("每行一项。公务员法第五十三条规定的奖励种类（嘉奖、记三等功、记二等功、记一等功、授予称号）"
                              "固定不变；这里增加本地荣誉（如百佳公务员、先进典型、通报表扬）等。"
                              + ("" if admin else "只有管理员可以修改。")))
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("代码表：")))
        top.addWidget(self.list_combo, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.values_edit, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.list_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)

    def current_list(self) -> str:
        return self.list_combo.currentData()

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            values = codes.editable(s, self.current_list())
        self.values_edit.setPlainText("\n".join(values))
        self.message.clear()

    def _save(self, values: list[str]) -> None:
        try:
            with self.ctx.db.session() as s:
                saved = codes.save_editable(s, self.ctx.actor, self.current_list(), values)
        except AppError as exc:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(exc.message)
            return
        self.values_edit.setPlainText("\n".join(saved))
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(self.tr("已保存，共 %1 项。").replace("%1", str(len(saved))))
        self.ctx.notify(Change.CODES)

    def _on_save_button_clicked(self) -> None:
        self._save(self.values_edit.toPlainText().splitlines())

    def _on_reset_button_clicked(self) -> None:
        self._save(codes.default_values(self.current_list()))
