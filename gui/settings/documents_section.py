"""设置 → 公文与字体: the organ's name and 机关代字, the default 版头, the fonts (with a preview of a notice
rendered with them) and the editable wording templates (with 恢复原文)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
    QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from gui import file_dialogs
from gui.context import AppContext
from gui.errors import show_error
from gui.widgets.notice_preview import NoticePreview, chosen_fonts, fill_font_combo
from gui.ops import Change
from models.core import settings_store
from models.services import templates
from models.services.document_numbers import KIND_LABELS, format_number, validate_code
from models.core.errors import AppError, ValidationError
from reports import document_settings, fonts
from reports.sample import sample_notice

HEADER_STYLES = [
    ("red", "红头（发文机关标志 + 发文字号 + 红色分隔线）"),
    ("preprinted", "套打（用印好红头的公文纸，只打印发文字号和正文）"),
    ("plain", "无版头（标题起排）"),
    ("letter", "信函格式（函）"),
]


class DocumentsSection(QWidget):
    TITLE = "公文与字体"

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self._preview_scheduled = False
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    # ------------------------------------------------------------------------------------------ ui
    def _setup_ui(self) -> None:
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        outer.addLayout(left, 3)

        org_box = QGroupBox(self.tr("发文机关"))
        form = QFormLayout(org_box)
        self.org_name_edit = QLineEdit()
        self.org_name_edit.setObjectName("orgNameEdit")
        self.org_name_edit.setPlaceholderText(self.tr("如：中共某某市纪律检查委员会"))
        self.org_code_edit = QLineEdit()
        self.org_code_edit.setObjectName("orgCodeEdit")
        self.org_code_edit.setPlaceholderText(self.tr("如：某纪"))
        self.number_example = QLabel()
        self.number_example.setObjectName("numberExample")
        self.header_combo = QComboBox()
        self.header_combo.setObjectName("headerCombo")
        for code, label in HEADER_STYLES:
            self.header_combo.addItem(self.tr(label), code)
        form.addRow(self.tr("机关名称"), self.org_name_edit)
        form.addRow(self.tr("机关代字"), self.org_code_edit)
        form.addRow(self.tr("发文字号示例"), self.number_example)
        # a kind may number under its own 代字 (e.g. 某纪函 for letters); empty: the 机关代字's sequence
        kind_row = QHBoxLayout()
        self.kind_code_edits: dict[str, QLineEdit] = {}
        for kind, label in KIND_LABELS.items():
            edit = QLineEdit()
            edit.setObjectName(f"kindCodeEdit_{kind}")
            edit.setPlaceholderText(self.tr("同机关代字"))
            edit.setToolTip(self.tr("{0}单独编号时的代字，如“某纪函”；不填则与机关代字共用一个编号序列").format(label))
            kind_row.addWidget(QLabel(label.replace("澄清正名", "")))
            kind_row.addWidget(edit, 1)
            self.kind_code_edits[kind] = edit
        form.addRow(self.tr("各类文书的代字"), kind_row)
        self.preprinted_spin = QDoubleSpinBox()
        self.preprinted_spin.setObjectName("preprintedTopSpin")
        self.preprinted_spin.setRange(40.0, 150.0)
        self.preprinted_spin.setDecimals(1)
        self.preprinted_spin.setSuffix(self.tr(" 毫米"))
        self.preprinted_spin.setToolTip(self.tr("从纸的上边缘量到红头纸上红色分隔线的距离；发文字号打在分隔线上方 4 毫米，标题在其下两行"))
        form.addRow(self.tr("通知的版头（所有通知、说明、通报）"), self.header_combo)
        form.addRow(self.tr("套打：红头纸预留高度"), self.preprinted_spin)
        self.circular_edit = QLineEdit()
        self.circular_edit.setObjectName("circularAddresseeEdit")
        self.circular_edit.setPlaceholderText(self.tr("不填时为被澄清干部所在单位的全称"))
        form.addRow(self.tr("澄清通报的主送机关"), self.circular_edit)
        self.duplex_check = QCheckBox(self.tr("双面打印：批量打印时每份文书从奇数页（新的一张纸）开始"))
        self.duplex_check.setObjectName("duplexCheck")
        form.addRow("", self.duplex_check)
        left.addWidget(org_box)

        font_box = QGroupBox(self.tr("字体（只能用 TrueType 字体 .ttf/.ttc，PDF 会嵌入所用的字）"))
        fl = QFormLayout(font_box)
        self.body_font_combo = QComboBox()
        self.body_font_combo.setObjectName("bodyFontCombo")
        self.title_font_combo = QComboBox()
        self.title_font_combo.setObjectName("titleFontCombo")
        self.choose_font_button = QPushButton(self.tr("选择字体文件…"))
        self.choose_font_button.setObjectName("chooseFontButton")
        fl.addRow(self.tr("正文字体（仿宋）"), self.body_font_combo)
        fl.addRow(self.tr("标题字体（小标宋）"), self.title_font_combo)
        fl.addRow("", self.choose_font_button)
        self.font_note = QLabel()
        self.font_note.setObjectName("fontNote")
        self.font_note.setWordWrap(True)
        fl.addRow(self.font_note)
        left.addWidget(font_box)

        self.save_button = QPushButton(self.tr("保存机关和字体设置"))
        self.save_button.setObjectName("saveDocumentsButton")
        left.addWidget(self.save_button)

        tpl_box = QGroupBox(self.tr("文书措辞模板（{占位符} 由程序填入）"))
        tl = QVBoxLayout(tpl_box)
        row = QHBoxLayout()
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateCombo")
        self.template_state = QLabel()
        self.template_state.setObjectName("templateStateLabel")
        row.addWidget(self.template_combo, 1)
        row.addWidget(self.template_state)
        tl.addLayout(row)
        self.template_edit = QPlainTextEdit()
        self.template_edit.setObjectName("templateEdit")
        tl.addWidget(self.template_edit, 1)
        buttons = QHBoxLayout()
        self.save_template_button = QPushButton(self.tr("保存模板"))
        self.save_template_button.setObjectName("saveTemplateButton")
        self.restore_template_button = QPushButton(self.tr("恢复原文"))
        self.restore_template_button.setObjectName("restoreTemplateButton")
        buttons.addWidget(self.save_template_button)
        buttons.addWidget(self.restore_template_button)
        buttons.addStretch(1)
        tl.addLayout(buttons)
        left.addWidget(tpl_box, 1)

        right = QVBoxLayout()
        outer.addLayout(right, 2)
        right.addWidget(QLabel(self.tr("预览（示例通知，按当前选择的字体和版头）")))
        self.preview_label = QLabel()
        self.preview_label.setObjectName("previewLabel")
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.preview_label)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(420)
        right.addWidget(scroll, 1)
        self.previewer = NoticePreview(self.preview_label, self.font_note, ("body", "title", "hei", "kai"), self)

        admin = self.ctx.actor.can("admin")
        for w in (self.org_name_edit, self.org_code_edit, self.header_combo, self.preprinted_spin, self.circular_edit,
                  self.duplex_check, self.body_font_combo,
                  self.title_font_combo, self.choose_font_button, self.save_button, self.save_template_button,
                  self.restore_template_button, *self.kind_code_edits.values()):
            w.setEnabled(admin)
        self.template_edit.setReadOnly(not admin)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.choose_font_button.clicked.connect(self._on_choose_font_button_clicked)
        self.body_font_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.title_font_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.header_combo.currentIndexChanged.connect(self._on_choice_changed)
        self.preprinted_spin.valueChanged.connect(self._on_choice_changed)
        self.org_code_edit.textChanged.connect(self._update_number_example)
        self.org_name_edit.editingFinished.connect(self._on_choice_changed)
        self.template_combo.currentIndexChanged.connect(self._on_template_combo_changed)
        self.save_template_button.clicked.connect(self._on_save_template_button_clicked)
        self.restore_template_button.clicked.connect(self._on_restore_template_button_clicked)

    # ---------------------------------------------------------------------------------------- load
    def refresh(self) -> None:
        self._loading = True
        try:
            with self.ctx.db.session() as s:
                values = settings_store.get_many(s, "documents.")
                org_name = settings_store.get(s, "org.name")
                org_code = settings_store.get(s, "org.code")
            self.org_name_edit.setText(org_name or "")
            self.org_code_edit.setText(org_code or "")
            index = self.header_combo.findData(document_settings.header_style(s))
            self.header_combo.setCurrentIndex(max(index, 0))
            self.preprinted_spin.setValue(document_settings.preprinted_top_mm(s))
            self.circular_edit.setText(str(settings_store.get(s, "documents.circular_addressee", "") or ""))
            for kind, edit in self.kind_code_edits.items():
                edit.setText(str(values.get(f"documents.code.{kind}") or ""))
            self.duplex_check.setChecked(document_settings.duplex(s))
            config = fonts.config_from_settings(values)
            auto = self.tr("自动（按仿宋、宋体、方正、文泉驿……的顺序查找）")
            fill_font_combo(self.body_font_combo, config.body, auto)
            fill_font_combo(self.title_font_combo, config.title, auto)
            current = self.template_combo.currentData()
            self.template_combo.clear()
            for t in templates.list_templates():
                self.template_combo.addItem(f"{t.label}（{t.name}）", t.name)
            if current:
                self.template_combo.setCurrentIndex(max(self.template_combo.findData(current), 0))
        finally:
            self._loading = False
        self._load_template()
        self._update_number_example()
        # once the page is on screen: started now, the font reading would compete with building the page
        self._preview_scheduled = True
        QTimer.singleShot(0, self._scheduled_preview)

    def selected_config(self) -> fonts.FontConfig:
        return chosen_fonts(self.body_font_combo, self.title_font_combo)

    # ------------------------------------------------------------------------------------- preview
    def _update_number_example(self) -> None:
        code = self.org_code_edit.text().strip()
        self.number_example.setText(format_number(code, self.ctx.today().year, 3) if code else self.tr("（请填写机关代字）"))

    def _on_choice_changed(self, *_args) -> None:
        if not self._loading:
            self.update_preview()

    def _sample(self):
        header = self.header_combo.currentData() or "red"
        self.preprinted_spin.setEnabled(header == "preprinted" and self.ctx.actor.can("admin"))
        return sample_notice(self.org_name_edit.text().strip() or "（机关名称）", self.org_code_edit.text().strip() or "某纪",
                             header, self.ctx.today(), preprinted_top_mm=self.preprinted_spin.value())

    def _scheduled_preview(self) -> None:
        self._preview_scheduled = False
        self.update_preview()

    def update_preview(self) -> None:
        """The sample notice with the fonts and 版头 chosen on screen, made in the background (gui/widgets/notice_preview.py)."""
        self.previewer.request(self.selected_config(), self._sample())

    @property
    def preview_pending(self) -> bool:
        return self._preview_scheduled or self.previewer.pending

    # ------------------------------------------------------------------------------------------ save
    def _on_save_button_clicked(self) -> None:
        try:
            name = self.org_name_edit.text().strip()
            if not name:
                raise ValidationError("机关名称不能为空。", "org.name")
            code = validate_code(self.org_code_edit.text())
            kind_codes = {}
            for kind, edit in self.kind_code_edits.items():
                typed = edit.text().strip()
                kind_codes[f"documents.code.{kind}"] = validate_code(typed) if typed else ""
            config = self.selected_config()
            for choice in (config.body, config.title):
                if choice.path:
                    fonts.load_face(fonts.FontFile(choice.path, choice.index))  # refuses a font PDF cannot embed
            with self.ctx.db.session() as s:
                changes = {
                    "org.name": name, "org.code": code,
                    "documents.header_style": self.header_combo.currentData(),
                    "documents.preprinted_top_mm": round(self.preprinted_spin.value(), 1),
                    "documents.circular_addressee": self.circular_edit.text().strip()[:200],
                    "documents.duplex": self.duplex_check.isChecked(),
                    "documents.font_path": config.body.path, "documents.font_index": config.body.index,
                    "documents.title_font_path": config.title.path, "documents.title_font_index": config.title.index,
                    **kind_codes,
                }
                for key, value in changes.items():
                    current = settings_store.get(s, key)
                    if key in kind_codes:
                        current = current or ""  # never set and cleared read the same
                    if current != value:
                        settings_store.put(s, self.ctx.actor, key, value)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        fonts.clear_caches()
        self.ctx.notify(Change.SETTINGS)
        self.update_preview()
        QMessageBox.information(self, self.tr("已保存"), self.tr("机关和字体设置已保存。"))

    def _ask_font_file(self) -> str:
        path = file_dialogs.open_file_name(self, self.tr("选择字体文件"), "", self.tr("TrueType 字体 (*.ttf *.ttc *.TTF *.TTC)"))
        return path

    def _on_choose_font_button_clicked(self) -> None:
        path = self._ask_font_file()
        if not path:
            return
        try:
            face = fonts.load_face(fonts.FontFile(path, 0))
        except AppError as exc:
            show_error(self, exc)
            return
        label = f"{face.family}（{Path(path).name}）"
        for combo in (self.body_font_combo, self.title_font_combo):
            if combo.findData((path, 0)) < 0:
                combo.addItem(label, (path, 0))
        self.body_font_combo.setCurrentIndex(self.body_font_combo.findData((path, 0)))

    # ------------------------------------------------------------------------------------- templates
    def _load_template(self) -> None:
        name = self.template_combo.currentData()
        if not name:
            self.template_edit.setPlainText("")
            self.template_state.setText("")
            return
        self.template_edit.setPlainText(templates.current_text(name))
        self.template_state.setText(self.tr("已修改") if templates.is_edited(name) else self.tr("原文"))

    def _on_template_combo_changed(self, *_args) -> None:
        if not self._loading:
            self._load_template()

    def _on_save_template_button_clicked(self) -> None:
        name = self.template_combo.currentData()
        try:
            with self.ctx.db.session() as s:
                templates.save(s, self.ctx.actor, name, self.template_edit.toPlainText())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._load_template()
        self.ctx.notify(Change.TEMPLATE)
        self.update_preview()

    def _on_restore_template_button_clicked(self) -> None:
        name = self.template_combo.currentData()
        try:
            with self.ctx.db.session() as s:
                templates.restore_original(s, self.ctx.actor, name)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._load_template()
        self.ctx.notify(Change.TEMPLATE)
        self.update_preview()
