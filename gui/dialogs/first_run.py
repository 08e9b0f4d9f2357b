"""The first start, after the administrator has been created (gui/dialogs/login.py): a short wizard.

1. 发文机关和字体 — the organ's name and 机关代字 and the fonts, with a preview of a notice printed with them;
2. 数据从哪里来 — import the office's Excel 台账 or .lrmx files (the import dialog opens next), or build a demo
   database in the data folder to look around first (it gets its own account and opens in a second window),
   or start empty.

It runs once per database: the setting "app.first_run_done" is set when the wizard is finished. 取消 leaves it
unset, so the wizard comes again at the next start. Only an administrator sees it (settings are theirs).
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QRadioButton, QScrollArea, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from gui.context import AppContext
from gui.errors import show_error
from gui.widgets.notice_preview import NoticePreview, chosen_fonts, fill_font_combo
from gui.ops import Change
from gui.widgets.form_dialog import fit_to_screen
from models.demo.account import DEMO_PASSWORD, DEMO_USERNAME
from models.core import settings_store
from models.core.actor import Actor
from models.services.document_numbers import format_number, validate_code
from models.core.errors import AppError, ValidationError
from models.core.paths import PROJECT_ROOT, data_dir
from models.core.progress import Progress
from models.exchange.kinds import IMPORTS
from reports import fonts

log = logging.getLogger(__name__)

DEMO_FILE_NAME = "demo.sqlite3"
DEMO_CADRES = 500
DEMO_ACTOR = Actor(username="demo-builder", role="admin", display_name="演示数据生成")
CHOICES = ("import", "demo", "empty")
PREVIEW_DPI = 40


def needs_first_run(ctx: AppContext) -> bool:
    if not ctx.actor.can("admin"):
        return False
    with ctx.db.session() as s:
        return not settings_store.get(s, "app.first_run_done")


# ------------------------------------------------------------------------------------------------ the demo
@dataclass
class DemoDatabase:
    path: Path
    built: bool  # False: it was there already and is reused
    summary: str
    username: str = DEMO_USERNAME
    password: str = DEMO_PASSWORD


def demo_path() -> Path:
    return data_dir() / DEMO_FILE_NAME


def build_demo_database(path: Path, today: date, org_name: str, org_code: str,
                        progress: Progress | None = None, cadres: int = DEMO_CADRES) -> DemoDatabase:
    """A demo database at `path` with its own administrator (demo / demo2024), the organ's name and the wizard
    marked done, so that it opens straight onto the 工作台. An existing demo database is kept and reused."""
    from models.core.db import open_database
    from models.demo import build_demo, ensure_demo_account

    db = open_database(path)
    try:
        built, summary = True, ""
        try:
            summary = build_demo(db, cadres=cadres, today=today, actor=DEMO_ACTOR, progress=progress).text()
        except ValidationError as exc:
            if exc.field != "db":
                raise
            built, summary = False, "演示数据库已存在，沿用原有数据。"
        with db.session() as s:
            ensure_demo_account(s)
            for key, value in (("org.name", org_name), ("org.code", org_code), ("app.first_run_done", True)):
                if settings_store.get(s, key) != value:
                    settings_store.put(s, DEMO_ACTOR, key, value)
    finally:
        db.dispose()
    return DemoDatabase(path=path, built=built, summary=summary)


def program_command(db_path: Path) -> tuple[str, list[str]]:
    """How to start this program on another database: the packaged program, or python main.py."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--db", str(db_path)]
    return sys.executable, [str(PROJECT_ROOT / "main.py"), "--db", str(db_path)]


# ------------------------------------------------------------------------------------------------ pages
class OrgPage(QWizardPage):
    """发文机关、机关代字、字体, with the preview of a notice."""

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._setup_ui()
        self._connect_signals()
        self._load()

    def _setup_ui(self) -> None:
        self.setTitle(self.tr("第一步：发文机关和字体"))
        self.setSubTitle(self.tr("打印的澄清正名通知等文书要用到本单位的名称和机关代字。以后可以在“设置 → 公文与字体”中修改。"))
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        outer.addLayout(left, 3)
        box = QGroupBox(self.tr("发文机关"))
        form = QFormLayout(box)
        self.org_name_edit = QLineEdit()
        self.org_name_edit.setObjectName("orgNameEdit")
        self.org_name_edit.setPlaceholderText(self.tr("如：中共某某市纪律检查委员会"))
        self.org_code_edit = QLineEdit()
        self.org_code_edit.setObjectName("orgCodeEdit")
        self.org_code_edit.setPlaceholderText(self.tr("如：某纪"))
        self.number_example = QLabel()
        self.number_example.setObjectName("numberExample")
        form.addRow(self.tr("机关名称"), self.org_name_edit)
        form.addRow(self.tr("机关代字"), self.org_code_edit)
        form.addRow(self.tr("发文字号示例"), self.number_example)
        left.addWidget(box)
        font_box = QGroupBox(self.tr("字体"))
        fl = QFormLayout(font_box)
        self.body_font_combo = QComboBox()
        self.body_font_combo.setObjectName("bodyFontCombo")
        self.title_font_combo = QComboBox()
        self.title_font_combo.setObjectName("titleFontCombo")
        for combo in (self.body_font_combo, self.title_font_combo):
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        fl.addRow(self.tr("正文字体（仿宋）"), self.body_font_combo)
        fl.addRow(self.tr("标题字体（小标宋）"), self.title_font_combo)
        self.font_note = QLabel()
        self.font_note.setObjectName("fontNote")
        self.font_note.setWordWrap(True)
        fl.addRow(self.font_note)
        left.addWidget(font_box)
        hint = QLabel(self.tr("一般选“自动”即可：程序按 仿宋、宋体、方正、文泉驿…… 的顺序使用本机已有的 TrueType 字体。"))
        hint.setWordWrap(True)
        left.addWidget(hint)
        self.message = QLabel()
        self.message.setObjectName("orgMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        left.addWidget(self.message)
        left.addStretch(1)
        right = QVBoxLayout()
        outer.addLayout(right, 2)
        right.addWidget(QLabel(self.tr("预览（示例通知）")))
        self.preview_label = QLabel()
        self.preview_label.setObjectName("previewLabel")
        self.preview_label.setAlignment(Qt.AlignTop | Qt.AlignHCenter)
        self.preview_label.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidget(self.preview_label)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        right.addWidget(scroll, 1)
        self.previewer = NoticePreview(self.preview_label, self.font_note, ("body", "title"), self, dpi=PREVIEW_DPI)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)

    def _connect_signals(self) -> None:
        self.org_name_edit.textChanged.connect(self._on_input_changed)
        self.org_code_edit.textChanged.connect(self._on_input_changed)
        self.body_font_combo.currentIndexChanged.connect(self._on_input_changed)
        self.title_font_combo.currentIndexChanged.connect(self._on_input_changed)
        self._timer.timeout.connect(self.update_preview)

    def _load(self) -> None:
        with self.ctx.db.session() as s:
            values = settings_store.get_many(s, "documents.")
            name, code = settings_store.get(s, "org.name"), settings_store.get(s, "org.code")
        # the shipped placeholders are not an organ: leave the fields empty so that they are filled in
        self.org_name_edit.setText("" if name == settings_store.DEFAULTS["org.name"] else name)
        self.org_code_edit.setText("" if code == settings_store.DEFAULTS["org.code"] else code)
        config = fonts.config_from_settings(values)
        fill_font_combo(self.body_font_combo, config.body, self.tr("自动（推荐）"))
        fill_font_combo(self.title_font_combo, config.title, self.tr("自动（推荐）"))
        self._update_number_example()
        self.update_preview()

    def _on_input_changed(self, *_args) -> None:
        self._update_number_example()
        self._timer.start()
        self.completeChanged.emit()

    def _update_number_example(self) -> None:
        code = self.org_code_edit.text().strip()
        self.number_example.setText(format_number(code, self.ctx.today().year, 1) if code else self.tr("（请填写机关代字）"))

    def selected_config(self) -> fonts.FontConfig:
        return chosen_fonts(self.body_font_combo, self.title_font_combo)

    def update_preview(self) -> None:
        """The sample notice with the chosen fonts, made in the background (gui/widgets/notice_preview.py)."""
        from reports.sample import sample_notice

        self._timer.stop()
        notice = sample_notice(self.org_name_edit.text().strip() or self.tr("（机关名称）"),
                               self.org_code_edit.text().strip() or "某纪", "red", self.ctx.today())
        self.previewer.request(self.selected_config(), notice)

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.org_name_edit.text().strip() and self.org_code_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 - Qt API
        try:
            validate_code(self.org_code_edit.text())
            for choice in (self.selected_config().body, self.selected_config().title):
                if choice.path:
                    fonts.load_face(fonts.FontFile(choice.path, choice.index))
        except AppError as exc:
            self.message.setText(exc.message)
            return False
        self.message.setText("")
        return True


class DataPage(QWizardPage):
    """Where the data comes from: import, a demo database, or empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setTitle(self.tr("第二步：数据从哪里来"))
        self.setSubTitle(self.tr("可以先导入本单位已有的台账，也可以先用演示数据熟悉程序。"))
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.import_radio = QRadioButton(self.tr("导入本单位已有的 Excel 台账或任免审批表（.lrmx）"))
        self.import_radio.setObjectName("importRadio")
        self.import_radio.setChecked(True)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("importKindCombo")
        for kind in IMPORTS.values():
            self.kind_combo.addItem(self.tr(kind.label), kind.key)
        import_note = QLabel(self.tr("点“完成”后打开导入窗口：先“检查”，看清哪些行有问题，再“导入”。建议先导入干部，再导入处分处理。"))
        import_note.setWordWrap(True)
        self.demo_radio = QRadioButton(self.tr("先用演示数据库看看（%1 名虚构的干部，另存一个文件，不影响正式数据）")
                                       .replace("%1", str(DEMO_CADRES)))
        self.demo_radio.setObjectName("demoRadio")
        demo_note = QLabel(self.tr("演示数据库建在数据文件夹中：%1。建好后可在另一个窗口打开它，账号 %2，密码 %3。")
                           .replace("%1", str(demo_path())).replace("%2", DEMO_USERNAME).replace("%3", DEMO_PASSWORD))
        demo_note.setObjectName("demoNote")
        demo_note.setWordWrap(True)
        demo_note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.empty_radio = QRadioButton(self.tr("从空白开始，以后再录入或导入"))
        self.empty_radio.setObjectName("emptyRadio")
        for n, radio in enumerate((self.import_radio, self.demo_radio, self.empty_radio)):
            self.group.addButton(radio, n)
        layout.addWidget(self.import_radio)
        row = QHBoxLayout()
        row.addSpacing(24)
        row.addWidget(QLabel(self.tr("导入什么：")))
        row.addWidget(self.kind_combo, 1)
        layout.addLayout(row)
        layout.addWidget(_indented(import_note))
        layout.addSpacing(8)
        layout.addWidget(self.demo_radio)
        layout.addWidget(_indented(demo_note))
        layout.addSpacing(8)
        layout.addWidget(self.empty_radio)
        layout.addStretch(1)
        later = QLabel(self.tr("以后随时可以在“干部”页点“导入…”导入台账，在“设置”中修改机关和字体；帮助菜单（F1）中有使用说明。"))
        later.setWordWrap(True)
        layout.addWidget(later)

    def _connect_signals(self) -> None:
        self.group.idToggled.connect(self._on_group_id_toggled)

    def _on_group_id_toggled(self, _id: int, _checked: bool) -> None:
        self.kind_combo.setEnabled(self.import_radio.isChecked())

    def choice(self) -> str:
        return CHOICES[max(self.group.checkedId(), 0)]


def _indented(widget: QWidget) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(24, 0, 0, 0)
    row.addWidget(widget, 1)
    return holder


# ------------------------------------------------------------------------------------------------ wizard
class FirstRunWizard(QWizard):
    """Attributes:
        choice: "import", "demo" or "empty" after accept().
        import_kind: what to import when choice == "import".
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.choice: str | None = None
        self.import_kind = "cadres"
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("首次使用 — 干部关爱与问责记录"))
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage, True)
        self.org_page = OrgPage(self.ctx)
        self.data_page = DataPage()
        self.addPage(self.org_page)
        self.addPage(self.data_page)
        self.setButtonText(QWizard.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.FinishButton, self.tr("完成"))
        self.setButtonText(QWizard.CancelButton, self.tr("以后再说"))
        fit_to_screen(self, 860, 600)

    def accept(self) -> None:
        """Save the organ and the fonts and mark the first run done, in one transaction."""
        page = self.org_page
        config = page.selected_config()
        try:
            code = validate_code(page.org_code_edit.text())
            name = page.org_name_edit.text().strip()
            if not name:
                raise ValidationError("机关名称不能为空。请填写本单位的全称。", "org.name")
            with self.ctx.db.session() as s:
                changes = {
                    "org.name": name, "org.code": code,
                    "documents.font_path": config.body.path, "documents.font_index": config.body.index,
                    "documents.title_font_path": config.title.path, "documents.title_font_index": config.title.index,
                    "app.first_run_done": True,
                }
                for key, value in changes.items():
                    if settings_store.get(s, key) != value:
                        settings_store.put(s, self.ctx.actor, key, value)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        fonts.clear_caches()
        self.choice = self.data_page.choice()
        self.import_kind = self.data_page.kind_combo.currentData()
        self.ctx.notify(Change.SETTINGS)
        super().accept()


def carry_out(ctx: AppContext, wizard: FirstRunWizard, window: QWidget):
    """What the user chose on the last page: the import dialog, or the demo database built in the background."""
    if wizard.choice == "import":
        from gui.dialogs.import_file import open_import_dialog

        return open_import_dialog(ctx, window, wizard.import_kind)
    if wizard.choice == "demo":
        return start_demo_build(ctx, window)
    return None


def start_demo_build(ctx: AppContext, window: QWidget, path: Path | None = None):
    from gui.worker import run_with_progress

    path = path or demo_path()
    with ctx.db.session() as s:
        org_name, org_code = settings_store.get(s, "org.name"), settings_store.get(s, "org.code")
    today = ctx.today()

    def work(progress: Progress) -> DemoDatabase:
        return build_demo_database(path, today, org_name, org_code, progress)

    def done(result: DemoDatabase | None) -> None:
        window.demo_result = result
        if result is not None:
            offer_demo(window, result)

    return run_with_progress(window, window.tr("正在生成演示数据库"), work, done)


def offer_demo(window: QWidget, result: DemoDatabase) -> QMessageBox:
    """Tell where the demo is and how to log in; 现在打开 starts a second copy of the program on it."""
    box = QMessageBox(window)
    box.setObjectName("demoReadyBox")
    box.setIcon(QMessageBox.Information)
    box.setWindowTitle(window.tr("演示数据库已建好"))
    box.setText(window.tr("演示数据库：%1\n\n%2\n\n在新窗口中打开它，用账号 %3、密码 %4 登录即可随意操作；"
                          "正式数据库不受影响。以后也可以这样打开：cadrecare --db %1")
                .replace("%1", str(result.path)).replace("%2", result.summary)
                .replace("%3", result.username).replace("%4", result.password))
    open_button = box.addButton(window.tr("现在打开演示数据库"), QMessageBox.AcceptRole)
    open_button.setObjectName("openDemoButton")
    box.addButton(window.tr("关闭"), QMessageBox.RejectRole)

    def on_clicked(button) -> None:
        if button is open_button:
            program, args = program_command(result.path)
            if not QProcess.startDetached(program, args):
                QMessageBox.warning(window, window.tr("无法启动"),
                                    window.tr("无法启动第二个窗口。请在命令行中运行：%1 %2")
                                    .replace("%1", program).replace("%2", " ".join(args)))

    box.buttonClicked.connect(on_clicked)
    box.open()
    return box


def run_if_needed(ctx: AppContext, window: QWidget) -> FirstRunWizard | None:
    """Called by gui/app.py once the main window shows: the wizard on the first start of an administrator."""
    try:
        if not needs_first_run(ctx):
            return None
    except Exception:  # noqa: BLE001 - never keep the program from starting
        log.exception("first-run check failed")
        return None
    wizard = FirstRunWizard(ctx, window)
    if wizard.exec() == QDialog.Accepted:
        carry_out(ctx, wizard, window)
    return wizard
