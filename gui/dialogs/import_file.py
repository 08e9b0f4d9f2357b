"""The import dialog: choose what to import and the file, check it first (a dry run that shows the counts and
every rejected row), then import in the background with a progress bar and 取消 (which leaves the database as
it was). The report of rejected rows and a blank template can be saved from here.

Entry point for pages: `open_import_dialog(ctx, parent, kind)`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui import file_dialogs
from gui.context import AppContext
from gui.errors import show_error
from gui.ops import Change
from gui.worker import run_with_progress
from gui.widgets.form_dialog import fit_to_screen
from models.exchange.common import ImportResult
from models.exchange.kinds import IMPORTS

NOTIFY = {"cadres": Change.CADRE, "commendations": Change.COMMENDATION, "lrmx": Change.CADRE, "handling": Change.HANDLING}


class ImportDialog(QDialog):
    """Signals: none of its own; after an import it announces Change.IMPORT, Change.UNIT and the kind.

    Attributes:
        result: the last ImportResult (dry run or import), or None.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, kind: str = "cadres"):
        super().__init__(parent)
        self.ctx = ctx
        self.result: ImportResult | None = None
        self._checked_path: str | None = None
        self._setup_ui()
        self._connect_signals()
        idx = self.kind_combo.findData(kind)
        self.kind_combo.setCurrentIndex(max(idx, 0))
        self._update_buttons()

    # ------------------------------------------------------------------------------------------------ setup
    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("导入数据"))
        self.setObjectName("importDialog")
        fit_to_screen(self, 860, 600)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("导入什么：")))
        self.kind_combo = QComboBox(objectName="kindCombo")
        for kind in IMPORTS.values():
            self.kind_combo.addItem(self.tr(kind.label), kind.key)
        row.addWidget(self.kind_combo, 1)
        self.template_button = QPushButton(self.tr("保存空白模板…"), objectName="templateButton")
        row.addWidget(self.template_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("文件：")))
        self.path_edit = QLineEdit(objectName="pathEdit")
        self.path_edit.setPlaceholderText(self.tr("选择要导入的 .xlsx 文件（任免审批表可选文件夹或 zip）"))
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(self.tr("选择文件…"), objectName="browseButton")
        self.folder_button = QPushButton(self.tr("选择文件夹…"), objectName="folderButton")
        row.addWidget(self.browse_button)
        row.addWidget(self.folder_button)
        layout.addLayout(row)
        hint = QLabel(self.tr("先点“检查”：程序逐行检查并列出有问题的行，但不写入。确认无误后再点“导入”；"
                              "导入中途取消，数据库保持原样。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.summary_label = QLabel(objectName="summaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.summary_label)
        self.rejected_table = QTableWidget(0, 3, objectName="rejectedTable")
        self.rejected_table.setHorizontalHeaderLabels([self.tr("行号/文件"), self.tr("姓名"), self.tr("原因")])
        self.rejected_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.rejected_table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.rejected_table.setWordWrap(True)
        layout.addWidget(self.rejected_table, 1)
        row = QHBoxLayout()
        self.report_button = QPushButton(self.tr("保存报告…"), objectName="reportButton")
        row.addWidget(self.report_button)
        row.addStretch(1)
        self.check_button = QPushButton(self.tr("检查（不写入）"), objectName="checkButton")
        self.import_button = QPushButton(self.tr("导入"), objectName="importButton")
        self.close_button = QPushButton(self.tr("关闭"), objectName="closeButton")
        for b in (self.check_button, self.import_button, self.close_button):
            row.addWidget(b)
        layout.addLayout(row)

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.path_edit.textChanged.connect(self._on_path_edit_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.template_button.clicked.connect(self._on_template_button_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)

    # -------------------------------------------------------------------------------------------------- state
    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    def _update_buttons(self) -> None:
        has_path = bool(self.path_edit.text().strip())
        may_write = self.ctx.actor.can("write")
        self.check_button.setEnabled(has_path and may_write)
        self.import_button.setEnabled(has_path and may_write)
        self.report_button.setEnabled(self.result is not None)
        self.template_button.setEnabled(IMPORTS[self.kind].template)
        self.folder_button.setEnabled(self.kind == "lrmx")

    def _on_kind_combo_changed(self, _index: int) -> None:
        self.result = None
        self._show(None)
        self._update_buttons()

    def _on_path_edit_changed(self, _text: str) -> None:
        self._update_buttons()

    def _on_browse_button_clicked(self) -> None:
        pattern = self.tr("任免审批表或压缩包 (*.lrmx *.Lrmx *.zip)") if self.kind == "lrmx" else self.tr("Excel 工作簿 (*.xlsx)")
        path = file_dialogs.open_file_name(self, self.tr("选择要导入的文件"), "", pattern)
        if path:
            self.path_edit.setText(path)

    def _on_folder_button_clicked(self) -> None:
        path = file_dialogs.existing_folder(self, self.tr("选择存放 .lrmx 文件的文件夹"))
        if path:
            self.path_edit.setText(path)

    # ------------------------------------------------------------------------------------------------- actions
    def _on_template_button_clicked(self) -> None:
        name = {"cadres": "干部信息导入模板.xlsx", "commendations": "表彰奖励导入模板.xlsx"}.get(self.kind, "导入模板.xlsx")
        path = file_dialogs.save_file_name(self, self.tr("保存空白模板"), name, self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.save_template_to(path)

    def save_template_to(self, path: str | Path) -> bool:
        from models.exchange.template import save_template

        try:
            save_template(self.kind, path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return False
        self.summary_label.setText(self.tr("空白模板已保存：{0}").format(path))
        return True

    def _on_report_button_clicked(self) -> None:
        if self.result is None:
            return
        path = file_dialogs.save_file_name(self, self.tr("保存导入报告"), "导入报告.xlsx", self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.save_report_to(path)

    def save_report_to(self, path: str | Path) -> bool:
        from models.exchange.import_report import save_report

        if self.result is None:
            return False
        try:
            save_report(self.result, path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return False
        self.summary_label.setText(self.summary_label.text() + "\n" + self.tr("报告已保存：{0}").format(path))
        return True

    def _on_check_button_clicked(self) -> None:
        self.start(dry_run=True)

    def _on_import_button_clicked(self) -> None:
        path = self.path_edit.text().strip()
        if self._checked_path != path and not self._confirm(self.tr("尚未检查该文件。建议先点“检查”看看哪些行有问题。仍要直接导入吗？")):
            return
        self.start(dry_run=False)

    def _confirm(self, text: str) -> bool:
        return QMessageBox.question(self, self.tr("导入"), text) == QMessageBox.Yes

    def start(self, *, dry_run: bool):
        """Run the dry run or the import in the background; returns the progress dialog (tests use it)."""
        kind, path = self.kind, self.path_edit.text().strip()
        importer = IMPORTS[kind].importer()
        db, actor, today = self.ctx.db, self.ctx.actor, self.ctx.today()

        def work(progress) -> Any:
            with db.session() as s:
                result = importer(s, actor, path, dry_run=dry_run, today=today, progress=progress)
                if dry_run:
                    s.rollback()
                return result

        def done(result: ImportResult | None) -> None:
            self._set_busy(False)
            if result is None:
                self.summary_label.setText(self.tr("已取消，数据库保持原样，没有写入任何数据。"))
                return
            self.result = result
            if dry_run:
                self._checked_path = path
            self._show(result)
            self._update_buttons()
            if not dry_run:
                self.ctx.notify(Change.IMPORT, Change.UNIT, NOTIFY.get(kind, Change.CADRE))  # imports create units

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.summary_label.setText(self.tr("无法导入：{0}").format(getattr(exc, "message", str(exc))))
            show_error(self, exc)

        self._set_busy(True)
        title = self.tr("正在检查文件…") if dry_run else self.tr("正在导入…")
        self.progress_dialog = run_with_progress(self, title, work, done, failed)
        return self.progress_dialog

    def _set_busy(self, busy: bool) -> None:
        for w in (self.check_button, self.import_button, self.kind_combo, self.path_edit, self.browse_button):
            w.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _show(self, result: ImportResult | None) -> None:
        self.rejected_table.setRowCount(0)
        if result is None:
            self.summary_label.clear()
            return
        text = result.summary()
        if result.left_out_columns:
            text += self.tr("。\n未导入的列：{0}").format("、".join(result.left_out_columns))
        for note in result.notes:
            text += "\n" + note
        if result.dry_run:
            text += self.tr("。以上为检查结果，尚未写入；确认后请点“导入”。")
        elif result.rejected:
            text += self.tr("。被拒绝的行未导入，可保存报告，改正后再导入这些行。")
        self.summary_label.setText(text)
        self.rejected_table.setRowCount(len(result.rejected))
        for n, r in enumerate(result.rejected):
            where = r.where
            for col, value in enumerate((where, r.name, r.reason)):
                self.rejected_table.setItem(n, col, QTableWidgetItem(value))
        self.rejected_table.resizeColumnToContents(0)
        self.rejected_table.resizeColumnToContents(1)


def open_import_dialog(ctx: AppContext, parent: QWidget | None = None, kind: str = "cadres") -> ImportDialog:
    """Open the import dialog (window-modal, not blocking) for `kind`: cadres, commendations, lrmx …"""
    dialog = ImportDialog(ctx, parent, kind)
    dialog.setAttribute(Qt.WA_DeleteOnClose, False)
    dialog.open()
    return dialog
