"""The import dialog, in the order an officer works:

1. 导入什么 and the file (and the worksheet when it has several).
2. 列对应: the file's columns beside the program's fields with the first rows — each column left to the suggestion
   (the synonym table's guess), set to a field or to 不导入; the required fields still unmapped are named and
   block 检查 and 导入. A mapping is remembered for files with the same header (filled in next time) and can be
   saved under a name and chosen by name (models/exchange/mappings.py, as `--mapping NAME` on the command line).
3. 检查（不写入）: the importer's dry run, per row — created, changed (each field old → new), rejected and why
   (sheet, row, column, cell value, what to do), the units that will be created, repeated rows imported once, and
   the changes of an existing person's name, sex or birth date, applied only with “同时修改姓名、性别、出生日期”.
4. 导入 in the background with a progress bar and 取消 (which leaves the database as it was); the report of the
   check can be saved; 导入记录… lists past imports and withdraws one (gui/dialogs/import_ledger.py).

Entry point for pages: `open_import_dialog(ctx, parent, kind)`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from gui import file_dialogs, ops
from gui.context import AppContext
from gui.errors import show_error
from gui.ops import Change
from gui.widgets.column_mapping import ColumnMappingTable
from gui.widgets.form_dialog import fit_to_screen
from gui.widgets.import_check import KINDS, CheckTableModel, check_rows
from gui.worker import run_with_progress
from models.exchange.common import ImportResult
from models.exchange.headers import IGNORE
from models.exchange.kinds import IMPORTS

NOTIFY = {"cadres": Change.CADRE, "commendations": Change.COMMENDATION, "lrmx": Change.CADRE, "handling": Change.HANDLING}
RENAMES = ("cadres", "lrmx")  # the imports that can change an existing person's name, sex or birth date
TABLE_PATTERN = "表格文件 (*.xlsx *.xlsm *.xls *.et *.ods *.csv *.txt)"
RED = "color: #b00020;"


class ImportDialog(QDialog):
    """Signals: none of its own; after an import it announces Change.IMPORT, Change.UNIT and the kind.

    Attributes:
        preview: the FilePreview of the chosen file (kinds with columns), or None.
        remembered: the mapping saved for files with this header ({"mapping", "name", …}), or None.
        result: the last ImportResult (dry run or import), or None.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, kind: str = "cadres"):
        super().__init__(parent)
        self.ctx = ctx
        self.result: ImportResult | None = None
        self.preview = None
        self.remembered: dict | None = None
        self.preview_error = ""
        self._checked_key: tuple | None = None
        self._loading = False
        self._preview_timer = QTimer(self, singleShot=True, interval=400)
        self._setup_ui()
        self._connect_signals()
        idx = self.kind_combo.findData(kind)
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(max(idx, 0))
        self.kind_combo.blockSignals(False)
        self._on_kind_combo_changed(self.kind_combo.currentIndex())

    # ------------------------------------------------------------------------------------------------ setup
    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("导入数据"))
        self.setObjectName("importDialog")
        fit_to_screen(self, 1180, 700)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("导入什么：")))
        self.kind_combo = QComboBox(objectName="kindCombo")
        for kind in IMPORTS.values():
            self.kind_combo.addItem(self.tr(kind.label), kind.key)
        row.addWidget(self.kind_combo, 1)
        self.template_button = QPushButton(self.tr("保存空白模板…"), objectName="templateButton")
        self.ledger_button = QPushButton(self.tr("导入记录…"), objectName="ledgerButton")
        self.ledger_button.setToolTip(self.tr("以前的每次导入：文件、时间、账号、条数；可撤销一次导入"))
        row.addWidget(self.template_button)
        row.addWidget(self.ledger_button)
        layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("文件：")))
        self.path_edit = QLineEdit(objectName="pathEdit")
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(self.tr("选择文件…"), objectName="browseButton")
        self.folder_button = QPushButton(self.tr("选择文件夹…"), objectName="folderButton")
        row.addWidget(self.browse_button)
        row.addWidget(self.folder_button)
        layout.addLayout(row)
        self.mapping_row = QWidget(objectName="mappingRow")
        row = QHBoxLayout(self.mapping_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("工作表：")))
        self.sheet_combo = QComboBox(objectName="sheetCombo")
        self.sheet_combo.setMinimumContentsLength(18)
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        row.addWidget(self.sheet_combo)
        row.addSpacing(16)
        row.addWidget(QLabel(self.tr("列对应方案：")))
        self.scheme_combo = QComboBox(objectName="schemeCombo")
        self.scheme_combo.setMinimumContentsLength(16)
        self.scheme_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        row.addWidget(self.scheme_combo)
        self.save_scheme_button = QPushButton(self.tr("保存为方案…"), objectName="saveSchemeButton")
        self.save_scheme_button.setToolTip(self.tr("把现在的列对应存成一个有名称的方案，以后导入其他表头的文件时可以选用"))
        row.addWidget(self.save_scheme_button)
        row.addStretch(1)
        layout.addWidget(self.mapping_row)
        self.summary_label = QLabel(objectName="summaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.summary_label)
        self.tabs = QTabWidget(objectName="stepTabs")
        mapping_page = QWidget()
        box = QVBoxLayout(mapping_page)
        self.mapping_hint = QLabel(self.tr(
            "左边是文件中的列，“导入为”是程序的字段：保持“按建议”、选一个字段，或选“不导入”。右边是文件的前几行，便于核对。"))
        self.mapping_hint.setWordWrap(True)
        box.addWidget(self.mapping_hint)
        self.mapping_table = ColumnMappingTable()
        box.addWidget(self.mapping_table, 1)
        self.missing_label = QLabel(objectName="missingLabel")
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet(RED)
        self.missing_label.hide()
        box.addWidget(self.missing_label)
        self.tabs.addTab(mapping_page, self.tr("① 列对应"))
        check_page = QWidget()
        box = QVBoxLayout(check_page)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("显示：")))
        self.filter_combo = QComboBox(objectName="filterCombo")
        for key, text in KINDS:
            self.filter_combo.addItem(self.tr(text), key)
        row.addWidget(self.filter_combo)
        self.counts_label = QLabel(objectName="countsLabel")
        row.addWidget(self.counts_label, 1)
        box.addLayout(row)
        self.check_model = CheckTableModel(self)
        self.check_view = QTableView(objectName="checkTable")
        self.check_view.setModel(self.check_model)
        self.check_view.setEditTriggers(QTableView.NoEditTriggers)
        self.check_view.setSelectionBehavior(QTableView.SelectRows)
        self.check_view.verticalHeader().setVisible(False)
        self.check_view.horizontalHeader().setStretchLastSection(True)
        self.check_view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        for col, width in enumerate((90, 50, 70, 90, 130, 110)):
            self.check_view.setColumnWidth(col, width)
        box.addWidget(self.check_view, 1)
        self.tabs.addTab(check_page, self.tr("② 检查结果"))
        layout.addWidget(self.tabs, 1)
        self.renames_check = QCheckBox(self.tr("同时修改姓名、性别、出生日期"), objectName="renamesCheck")
        self.renames_check.setToolTip(self.tr(
            "已登记的干部（按身份证号）在文件中的姓名、性别或出生日期与库中不同时：不勾选则只列出、不修改；"
            "勾选后按文件修改（确属更名或更正时才勾选）"))
        layout.addWidget(self.renames_check)
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
        # Enter in the path field reads the file; no button of this dialog is pressed by Enter (Qt made the first
        # one, 保存空白模板…, the default: typing a path and pressing Enter opened a save dialog)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.path_edit.textChanged.connect(self._on_path_edit_changed)
        self.path_edit.returnPressed.connect(self._on_path_edit_return_pressed)
        self._preview_timer.timeout.connect(self.load_preview)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.template_button.clicked.connect(self._on_template_button_clicked)
        self.ledger_button.clicked.connect(self._on_ledger_button_clicked)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.scheme_combo.activated.connect(self._on_scheme_combo_activated)
        self.save_scheme_button.clicked.connect(self._on_save_scheme_button_clicked)
        self.mapping_table.choicesChanged.connect(self._on_mapping_table_choices_changed)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.renames_check.toggled.connect(self._on_renames_check_toggled)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)

    # -------------------------------------------------------------------------------------------------- state
    @property
    def kind(self) -> str:
        return self.kind_combo.currentData()

    @property
    def has_columns(self) -> bool:
        return IMPORTS[self.kind].columns

    @property
    def path(self) -> str:
        return self.path_edit.text().strip()

    @property
    def sheet(self) -> str | None:
        return self.preview.sheet if self.preview is not None and len(self.preview.sheets) > 1 else None

    @property
    def mapping(self) -> dict[str, str]:
        """The user's own choices (file header → field key or 'ignore'), as the importer takes them."""
        return dict(self.mapping_table.choices) if self.preview is not None else {}

    def _key(self) -> tuple:
        return (self.kind, self.path, self.sheet, tuple(sorted(self.mapping.items())))

    def _ready(self) -> bool:
        if not self.path or self._loading:
            return False
        if not self.has_columns:
            return True
        resolved = self.mapping_table.resolved
        return self.preview is not None and resolved is not None and resolved.complete

    def _update_buttons(self) -> None:
        may_write = self.ctx.actor.can("write")
        ready = self._ready()
        self.check_button.setEnabled(ready and may_write)
        self.import_button.setEnabled(ready and may_write)
        self.report_button.setEnabled(self.result is not None)
        self.template_button.setEnabled(IMPORTS[self.kind].template)
        self.folder_button.setEnabled(self.kind == "lrmx")
        self.renames_check.setVisible(self.kind in RENAMES)
        self.renames_check.setEnabled(may_write)
        self.save_scheme_button.setVisible(may_write)
        self.save_scheme_button.setEnabled(self.preview is not None)
        self.scheme_combo.setEnabled(self.preview is not None and self.scheme_combo.count() > 1)
        self.sheet_combo.setEnabled(self.preview is not None and len(self.preview.sheets) > 1)
        resolved = self.mapping_table.resolved
        if self.preview is not None and resolved is not None and resolved.missing:
            self.missing_label.setText(self.tr("必填字段尚未对应：{0}。请在“导入为”中为它们选择文件中的列，否则不能检查和导入。")
                                       .format("、".join(resolved.missing)))
            self.missing_label.show()
        else:
            self.missing_label.hide()

    def _hint(self) -> str:
        if self.has_columns:
            return self.tr("选择文件后，在“① 列对应”中核对每一列导入为哪个字段，再点“检查（不写入）”：程序逐行列出将新增、修改和"
                           "被拒绝的内容，但不写入。确认无误后再点“导入”；导入中途取消，数据库保持原样。")
        return self.tr("选择文件后先点“检查（不写入）”：程序逐个文件列出将新增、修改和被拒绝的内容，但不写入。"
                       "确认无误后再点“导入”；导入中途取消，数据库保持原样。")

    def _on_kind_combo_changed(self, _index: int) -> None:
        self.result = None
        self._show(None)
        self.mapping_row.setVisible(self.has_columns)
        self.tabs.setTabEnabled(0, self.has_columns)
        self.tabs.setCurrentIndex(0 if self.has_columns else 1)
        self.path_edit.setPlaceholderText(
            self.tr("选择 .lrmx 文件、存放 .lrmx 的文件夹或 zip 压缩包") if self.kind == "lrmx"
            else self.tr("选择要导入的表格文件：.xlsx .xlsm .xls .et .ods .csv .txt"))
        self._clear_preview()
        if self.has_columns and self.path:
            self.load_preview()
        self._update_buttons()

    def _on_path_edit_changed(self, _text: str) -> None:
        self._clear_preview()
        self.result = None
        self._show(None)
        if self.has_columns and Path(self.path).is_file():
            self._preview_timer.start()
        self._update_buttons()

    def _on_path_edit_return_pressed(self) -> None:
        if self.has_columns and Path(self.path).is_file():
            self._preview_timer.stop()
            self.load_preview()
            self._update_buttons()

    def _clear_preview(self) -> None:
        self.preview, self.remembered, self.preview_error = None, None, ""
        self.mapping_table.set_preview(None)
        self.sheet_combo.clear()
        self.scheme_combo.clear()

    def _on_browse_button_clicked(self) -> None:
        pattern = self.tr("任免审批表或压缩包 (*.lrmx *.Lrmx *.zip)") if self.kind == "lrmx" else self.tr(TABLE_PATTERN)
        path = file_dialogs.open_file_name(self, self.tr("选择要导入的文件"), "", pattern)
        if path:
            self.path_edit.setText(path)

    def _on_folder_button_clicked(self) -> None:
        path = file_dialogs.existing_folder(self, self.tr("选择存放 .lrmx 文件的文件夹"))
        if path:
            self.path_edit.setText(path)

    def _on_ledger_button_clicked(self) -> None:
        from gui.dialogs.import_ledger import open_import_ledger

        self.ledger_dialog = open_import_ledger(self.ctx, self)

    # ---------------------------------------------------------------------------------------- mapping step
    def load_preview(self, sheet: str | None = None):
        """Read the header and first rows of the file (in the background); returns the progress dialog."""
        self._preview_timer.stop()
        if not self.has_columns or not self.path:
            return None
        from models.exchange import file_preview, mappings

        kind, path = self.kind, self.path
        db, actor = self.ctx.db, self.ctx.actor

        def work(_progress) -> Any:
            preview = file_preview.preview_file(path, kind, sheet=sheet)
            with db.session() as s:
                remembered = mappings.remembered(s, actor, kind, preview.signature)
                names = mappings.saved_names(s, actor, kind)
            return preview, remembered, names

        def done(got) -> None:
            self._loading = False
            if got is None or (kind, path) != (self.kind, self.path):
                self._update_buttons()
                return
            self._set_preview(*got)

        def failed(exc: BaseException) -> None:
            self._loading = False
            if (kind, path) != (self.kind, self.path):
                return
            message = ops.message_of(exc)
            if message is None:
                show_error(self, exc)
                message = self.tr("无法读取这个文件。")
            self._clear_preview()
            self.preview_error = message
            self.summary_label.setStyleSheet(RED)
            self.summary_label.setText(message)
            self._update_buttons()

        self._loading = True
        self._update_buttons()
        return run_with_progress(self, self.tr("正在读取表头…"), work, done, failed)

    def _set_preview(self, preview, remembered: dict | None, names: list[str]) -> None:
        from models.exchange.file_preview import choices_from

        self.preview, self.remembered = preview, remembered
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(preview.sheets)
        self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findText(preview.sheet), 0))
        self.sheet_combo.blockSignals(False)
        self.scheme_combo.clear()
        self.scheme_combo.addItem(self.tr("（不使用已保存的方案）"), None)
        for name in names:
            self.scheme_combo.addItem(name, name)
        choices: dict[str, str] = {}
        text = self.tr("工作表“{0}”，表头在第{1}行，共{2}列。").format(preview.sheet, preview.header_row,
                                                                  len(preview.columns))
        if remembered is not None:
            choices = choices_from(preview, remembered["mapping"])
            if remembered.get("name"):
                self.scheme_combo.setCurrentIndex(max(self.scheme_combo.findData(remembered["name"]), 0))
            text += self.tr("已按{0}对同样表头的文件所作的列对应填好（{1}保存），可以修改。").format(
                f"方案“{remembered['name']}”" if remembered.get("name") else "上次",
                f"{remembered['saved_at']:%Y-%m-%d} {remembered['saved_by']}")
        self.mapping_table.set_preview(preview, choices)
        unknown = [c for c in preview.columns if c.status == "unknown" and c.header not in choices]
        if not any(c.suggestion for c in preview.columns) and not choices:
            text += self.tr("没有一列能识别为{0}的列：是否选错了文件或工作表？如果没有选错，请在“导入为”中逐列选择字段。").format(
                IMPORTS[self.kind].label.split("（")[0])
        elif unknown:
            text += self.tr("有{0}列未识别（{1}）：如需导入，请在“导入为”中选择字段。").format(
                len(unknown), "、".join(f"{c.letter}列“{c.header}”" for c in unknown[:6]) + ("…" if len(unknown) > 6 else ""))
        self.summary_label.setStyleSheet("")
        self.summary_label.setText(text)
        self.tabs.setCurrentIndex(0)
        self._update_buttons()

    def _on_sheet_combo_activated(self, _index: int) -> None:
        sheet = self.sheet_combo.currentText()
        if self.preview is not None and sheet and sheet != self.preview.sheet:
            self.result = None
            self._show(None)
            self.load_preview(sheet)

    def _on_scheme_combo_activated(self, _index: int) -> None:
        name = self.scheme_combo.currentData()
        if self.preview is not None:
            self.apply_scheme(name)

    def apply_scheme(self, name: str | None) -> bool:
        """Fill the mapping from the saved scheme `name` (None: back to the suggestions)."""
        from models.exchange import mappings
        from models.exchange.file_preview import choices_from

        if self.preview is None:
            return False
        if name is None:
            self.mapping_table.set_preview(self.preview, {})
        else:
            stored = ops.read(self, self.ctx, lambda s: mappings.named(s, self.ctx.actor, self.kind, name))
            if stored is ops.FAILED:
                return False
            self.mapping_table.set_preview(self.preview, choices_from(self.preview, stored))
            self.summary_label.setText(self.tr("已按方案“{0}”填好列对应，可以修改。").format(name))
        self._invalidate()
        return True

    def _on_save_scheme_button_clicked(self) -> None:
        current = self.scheme_combo.currentData() or ""
        name, ok = QInputDialog.getText(self, self.tr("保存列对应方案"),
                                        self.tr("方案名称（如“区委组织部干部台账”）："), text=current)
        if ok and name.strip():
            self.save_scheme(name.strip())

    def save_scheme(self, name: str) -> bool:
        """Save the mapping as now shown under `name` (for files with this header, and by name for others)."""
        from models.exchange import mappings

        if self.preview is None or self.mapping_table.resolved is None:
            return False
        preview, resolved = self.preview, self.mapping_table.resolved
        headers = [c.header for c in preview.columns]
        full = {h: (k or IGNORE) for h, k in zip(headers, resolved.keys)}
        got = ops.run(self, self.ctx, lambda s: mappings.save(s, self.ctx.actor, self.kind, preview.signature, headers,
                                                                full, name) and None, title=self.tr("无法保存方案"))
        if got is ops.FAILED:
            return False
        if self.scheme_combo.findData(name) < 0:
            self.scheme_combo.addItem(name, name)
        self.scheme_combo.setCurrentIndex(self.scheme_combo.findData(name))
        self.remembered = {"mapping": full, "name": name}
        self.summary_label.setText(self.tr("列对应已保存为方案“{0}”：同样表头的文件会自动使用，其他文件可在“列对应方案”中选用。")
                                   .format(name))
        self._update_buttons()
        return True

    def _on_mapping_table_choices_changed(self) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        """The mapping changed: the last check no longer holds."""
        if self.result is not None and self.result.dry_run:
            self.result = None
            self._show(None, keep_summary=True)
        self._update_buttons()

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
        self.summary_label.setStyleSheet("")
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
        if self._checked_key != self._key() and not self._confirm(
                self.tr("尚未按现在的文件和列对应检查。建议先点“检查（不写入）”看看哪些行有问题。仍要直接导入吗？")):
            return
        self.start(dry_run=False)

    def _confirm(self, text: str) -> bool:
        return QMessageBox.question(self, self.tr("导入"), text) == QMessageBox.Yes

    def _on_filter_combo_changed(self, _index: int) -> None:
        self.check_model.show_kind(self.filter_combo.currentData())

    def _on_renames_check_toggled(self, _checked: bool) -> None:
        if self.result is not None:
            self.check_model.set_check(check_rows(self.result, self.renames_check.isChecked()))

    def start(self, *, dry_run: bool):
        """Run the dry run or the import in the background; returns the progress dialog (tests use it)."""
        from models.exchange import mappings

        kind, path, sheet, mapping = self.kind, self.path, self.sheet, self.mapping
        key = self._key()
        allow = self.renames_check.isChecked() and kind in RENAMES
        importer = IMPORTS[kind].importer()
        db, actor, today = self.ctx.db, self.ctx.actor, self.ctx.today()
        preview, resolved = self.preview, self.mapping_table.resolved
        remember = (not dry_run and preview is not None and resolved is not None
                    and (bool(mapping) or self.remembered is not None))
        name = (self.remembered or {}).get("name")

        def work(progress) -> Any:
            with db.session() as s:
                extra = {"sheet": sheet} if sheet else {}
                result = importer(s, actor, path, dry_run=dry_run, today=today, progress=progress,
                                  mapping=mapping or None, allow_renames=allow, **extra)
                if dry_run:
                    s.rollback()
                elif remember:  # the same transaction: the mapping is remembered only with the import it made
                    headers = [c["header"] for c in result.columns]
                    mappings.save(s, actor, kind, result.signature, headers,
                                  {c["header"]: c["key"] for c in result.columns}, name)
                return result

        def done(result: ImportResult | None) -> None:
            self._set_busy(False)
            if result is None:
                self.summary_label.setText(self.tr("已取消，数据库保持原样，没有写入任何数据。"))
                return
            self.result = result
            if dry_run:
                self._checked_key = key
            self._show(result)
            self._update_buttons()
            if not dry_run:
                self.ctx.notify(Change.IMPORT, Change.UNIT, NOTIFY.get(kind, Change.CADRE))  # imports create units

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            message = ops.message_of(exc) or str(getattr(exc, "message", "")) or self.tr("发生了意外错误")
            self.summary_label.setStyleSheet(RED)
            self.summary_label.setText(self.tr("无法导入：{0}").format(message))
            show_error(self, exc)

        self._set_busy(True)
        title = self.tr("正在检查文件…") if dry_run else self.tr("正在导入…")
        self.progress_dialog = run_with_progress(self, title, work, done, failed)
        return self.progress_dialog

    def _set_busy(self, busy: bool) -> None:
        for w in (self.check_button, self.import_button, self.kind_combo, self.path_edit, self.browse_button,
                  self.mapping_table, self.sheet_combo, self.scheme_combo):
            w.setEnabled(not busy)
        if not busy:
            self._update_buttons()

    def _show(self, result: ImportResult | None, keep_summary: bool = False) -> None:
        self.check_model.set_check([])
        self.counts_label.clear()
        if result is None:
            if not keep_summary:
                self.summary_label.setStyleSheet("")
                self.summary_label.setText(self._hint())
            return
        self.summary_label.setStyleSheet("")
        text = result.summary()
        left_out = result.left_out_columns
        if left_out:
            shown = "、".join(left_out[:6]) + (self.tr("等{0}列（见“列对应”）").format(len(left_out)) if len(left_out) > 6 else "")
            text += self.tr("。\n未导入的列：{0}").format(shown)
        if result.dry_run:
            text += self.tr("。\n以上为检查结果，尚未写入；确认后请点“导入”。")
        else:
            if result.rejected:
                text += self.tr("。被拒绝的行未导入，可保存报告，改正后再导入这些行")
            if result.batch_id is not None:
                text += self.tr("。\n已记入导入记录（第{0}次），如导错了可在“导入记录…”中撤销这次导入。").format(result.batch_id)
        self.summary_label.setText(text)
        self.check_model.set_check(check_rows(result, self.renames_check.isChecked()))
        m = self.check_model
        counts = [(self.tr("拒绝"), m.count("rejected")), (self.tr("修改"), m.count("changed")),
                  (self.tr("新增"), m.count("created")), (self.tr("姓名/性别/出生日期不同"), m.count("held")),
                  (self.tr("新建单位"), m.count("unit")), (self.tr("重复的行"), m.count("note"))]
        self.counts_label.setText("　".join(f"{t} {n}" for t, n in counts if n))
        self.tabs.setCurrentIndex(1)


def open_import_dialog(ctx: AppContext, parent: QWidget | None = None, kind: str = "cadres") -> ImportDialog:
    """Open the import dialog (window-modal, not blocking) for `kind`: cadres, commendations, lrmx …"""
    dialog = ImportDialog(ctx, parent, kind)
    dialog.setAttribute(Qt.WA_DeleteOnClose, False)
    dialog.open()
    return dialog
