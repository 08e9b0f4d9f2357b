"""帮助 → 关于: the version, where the data is, which rule table and rule settings are in use, Qt and Python.

What an administrator reads out on the telephone when something is wrong, so every line can be copied.
"""
from __future__ import annotations

import platform

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from gui.context import AppContext
from gui.settings.rules_section import MONTH_END_NAMES, OVERLAP_NAMES
from gui.widgets.form_dialog import fit_to_screen, scroll_body
from models.rules import rule_table
from models.core import settings_store
from models.core.db import current_revision, head_revision
from models.core.logs import log_file_path
from models.core.paths import backups_dir, data_dir
from version import __version__



class AboutDialog(QDialog):
    """Attributes:
        values: field key → the text shown (tests and the 复制 button read it).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.values: dict[str, str] = {}
        self._collect()
        self._setup_ui()
        self._connect_signals()

    # ------------------------------------------------------------------------------------------ data
    def _collect(self) -> None:
        db = self.ctx.db
        with db.session() as s:
            month_end = settings_store.get(s, "rules.month_end")
            overlap = settings_store.get(s, "rules.party_overlap_before_2024")
        try:
            revision = current_revision(db.engine) or "—"
        except Exception:  # noqa: BLE001 - the dialog must open even when the server went away
            revision = "—"
        table = rule_table.TABLE
        self.regime_labels = {regime: spec.label for regime, spec in table.regimes.items()}
        sources = {f"sources_{regime}": "\n".join(src.name for src in spec.sources)
                   for regime, spec in table.regimes.items()}
        self.values = {
            "version": __version__,
            "database": db.display_name,
            "database_kind": self.tr("SQLite 文件（本机）") if db.is_sqlite else self.tr("共享数据库服务器"),
            "schema": self.tr("%1（本程序：%2）").replace("%1", revision).replace("%2", head_revision()),
            "rule_table": f"{rule_table.TABLE_VERSION}" + (f"（{table.title}）" if table.title else ""),
            **sources,
            "month_end": MONTH_END_NAMES.get(month_end, str(month_end)),
            "party_overlap": OVERLAP_NAMES.get(overlap, str(overlap)),
            "qt": f"Qt {qVersion()}，PySide6 {PYSIDE_VERSION}",
            "python": f"Python {platform.python_version()}（{platform.system()} {platform.release()}）",
            "data_dir": str(data_dir()),
            "log_file": str(log_file_path()),
            "backups_dir": str(backups_dir()),
        }

    # -------------------------------------------------------------------------------------------- ui
    def _setup_ui(self) -> None:
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("关于 干部关爱与问责记录"))
        self.setMinimumWidth(640)
        outer = QVBoxLayout(self)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("干部关爱与问责记录") + f"　{self.tr('版本')} {__version__}")
        title.setObjectName("aboutTitle")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        layout.addWidget(title)
        intro = QLabel(self.tr("记录干部的表彰奖励、处理处分及其影响期、回访教育、举报函询和澄清正名，并打印相关文书。"
                               "程序不联网，数据只保存在下面的数据库中。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.labels: dict[str, QLabel] = {}
        groups = [
            (self.tr("数据"), [("database", "数据库"), ("database_kind", "类型"), ("schema", "数据库结构版本"),
                              ("data_dir", "数据文件夹"), ("log_file", "日志文件"), ("backups_dir", "自动备份文件夹")]),
            (self.tr("影响期规则"), [("rule_table", "规则表版本")]
             + [(f"sources_{r}", f"{label}依据") for r, label in self.regime_labels.items()]
             + [("month_end", "月末日的算法"), ("party_overlap", "2024年前党纪处分重叠")]),
            (self.tr("运行环境"), [("version", "程序版本"), ("qt", "界面库"), ("python", "Python")]),
        ]
        for group_title, rows in groups:
            box = QGroupBox(group_title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
            for key, label in rows:
                value = QLabel(self.values[key])
                value.setObjectName(f"about_{key}")
                value.setTextFormat(Qt.PlainText)  # one item a line, no word wrap: QLabel sizes those exactly
                value.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
                self.labels[key] = value
                form.addRow(self.tr(label) + self.tr("："), value)
            layout.addWidget(box)
        layout.addStretch(1)
        outer.addWidget(scroll_body(body), 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.buttons.button(QDialogButtonBox.Close).setText(self.tr("关闭"))
        self.copy_button = self.buttons.addButton(self.tr("复制以上信息"), QDialogButtonBox.ActionRole)
        self.copy_button.setObjectName("copyAboutButton")
        outer.addWidget(self.buttons)
        fit_to_screen(self, 760, max(body.sizeHint().height() + 90, 300))

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)

    def as_text(self) -> str:
        names = {"version": "程序版本", "database": "数据库", "database_kind": "类型", "schema": "数据库结构版本",
                 "rule_table": "规则表版本", "month_end": "月末日的算法",
                 "party_overlap": "2024年前党纪处分重叠", "qt": "界面库", "python": "Python", "data_dir": "数据文件夹",
                 "log_file": "日志文件", "backups_dir": "自动备份文件夹"}
        names.update({f"sources_{r}": f"{label}依据" for r, label in self.regime_labels.items()})
        return "\n".join(f"{names[k]}：{v.replace(chr(10), '、')}" for k, v in self.values.items())

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())
        self.copy_button.setText(self.tr("已复制"))
