"""The first-run wizard: organ, 机关代字 and fonts with a notice preview, then import / demo database / empty."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QPushButton, QWizard
from sqlalchemy import func, select

from gui.dialogs import first_run
from gui.context import AppContext
from gui.dialogs.first_run import FirstRunWizard, build_demo_database, carry_out, needs_first_run, run_if_needed
from gui.dialogs.import_file import ImportDialog
from models.services import accounts
from models.core import settings_store
from models.core.db import open_database
from models.entities import AuditEvent, Cadre

TODAY = date(2026, 5, 20)


@pytest.fixture
def ctx(db, admin):
    return AppContext(db, admin, today_fn=lambda: TODAY)


def _wizard(qtbot, ctx) -> FirstRunWizard:
    wizard = FirstRunWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _fill_org(wizard, name="中共江城市江岸区纪律检查委员会", code="岸纪", qtbot=None):
    page = wizard.org_page
    page.org_name_edit.setText(name)
    page.org_code_edit.setText(code)
    page.update_preview()
    if qtbot is not None:  # the notice is made in the background
        qtbot.waitUntil(lambda: not page.previewer.pending, timeout=30000)


def test_organ_and_fonts_are_saved_and_the_wizard_runs_once(qtbot, ctx, db):
    assert needs_first_run(ctx)
    wizard = _wizard(qtbot, ctx)
    page = wizard.org_page
    # the shipped placeholder organ is not offered as the answer: the fields start empty and 下一步 waits for them
    assert page.org_name_edit.text() == "" and page.org_code_edit.text() == ""
    assert not wizard.button(QWizard.NextButton).isEnabled()
    assert page.number_example.text() == "（请填写机关代字）"
    _fill_org(wizard, qtbot=qtbot)
    assert wizard.button(QWizard.NextButton).isEnabled()
    assert page.number_example.text() == "岸纪〔2026〕1号"
    assert not page.preview_label.pixmap().isNull()  # the notice rendered with the fonts found on this PC
    assert page.preview_label.pixmap().height() > page.preview_label.pixmap().width()  # an A4 page, upright
    assert "本机实际使用" in page.font_note.text()
    assert page.body_font_combo.currentText() == "自动（推荐）"
    wizard.grab().save("/tmp/first_run_org.png")
    qtbot.mouseClick(wizard.button(QWizard.NextButton), Qt.LeftButton)
    assert wizard.currentPage() is wizard.data_page
    assert wizard.data_page.import_radio.isChecked()  # importing the office's own data is the usual way
    wizard.data_page.empty_radio.setChecked(True)
    assert not wizard.data_page.kind_combo.isEnabled()
    wizard.grab().save("/tmp/first_run_data.png")
    changed = []
    ctx.data_changed.connect(changed.append)
    qtbot.mouseClick(wizard.button(QWizard.FinishButton), Qt.LeftButton)
    assert wizard.result() == QWizard.Accepted and wizard.choice == "empty"
    assert changed == ["settings"]
    with db.session() as s:
        assert settings_store.get(s, "org.name") == "中共江城市江岸区纪律检查委员会"
        assert settings_store.get(s, "org.code") == "岸纪"
        assert settings_store.get(s, "documents.font_path") == ""  # 自动
        assert settings_store.get(s, "app.first_run_done") is True
        audited = set(s.scalars(select(AuditEvent.entity_id).where(AuditEvent.actor == "admin")))
    assert {"org.name", "org.code", "app.first_run_done"} <= audited
    assert not needs_first_run(ctx)


def test_a_bad_code_keeps_the_wizard_on_the_first_page(qtbot, ctx, db):
    wizard = _wizard(qtbot, ctx)
    _fill_org(wizard, code="岸 纪")
    qtbot.mouseClick(wizard.button(QWizard.NextButton), Qt.LeftButton)
    assert wizard.currentPage() is wizard.org_page
    assert wizard.org_page.message.text()  # says what is wrong with the 机关代字
    with db.session() as s:
        assert settings_store.get(s, "app.first_run_done") is False


def test_cancel_asks_again_next_time_and_others_never_see_it(qtbot, ctx, db, officer):
    wizard = _wizard(qtbot, ctx)
    _fill_org(wizard)
    qtbot.mouseClick(wizard.button(QWizard.CancelButton), Qt.LeftButton)
    assert wizard.result() == QWizard.Rejected and wizard.button(QWizard.CancelButton).text() == "以后再说"
    with db.session() as s:
        assert settings_store.get(s, "org.name") == settings_store.DEFAULTS["org.name"]
    assert needs_first_run(ctx)
    assert not needs_first_run(AppContext(db, officer))  # settings belong to administrators


def test_import_choice_opens_the_import_dialog_for_that_kind(qtbot, ctx, db):
    window = QMainWindow()
    qtbot.addWidget(window)

    def finish():
        wizard = QApplication.activeModalWidget()
        assert isinstance(wizard, FirstRunWizard)
        _fill_org(wizard)
        wizard.next()
        wizard.data_page.kind_combo.setCurrentIndex(wizard.data_page.kind_combo.findData("lrmx"))
        wizard.button(QWizard.FinishButton).click()

    QTimer.singleShot(0, finish)
    wizard = run_if_needed(ctx, window)  # as gui/app.py calls it after the main window shows
    assert wizard is not None and wizard.choice == "import" and wizard.import_kind == "lrmx"
    dialog = window.findChild(ImportDialog, "importDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.kind_combo.currentData() == "lrmx"
    dialog.close()
    assert run_if_needed(ctx, window) is None  # done once: not shown again


def test_demo_choice_builds_a_demo_database_that_opens_on_its_own_account(qtbot, ctx, db, tmp_path, monkeypatch):
    monkeypatch.setattr(first_run, "DEMO_CADRES", 40)
    monkeypatch.setattr(first_run, "demo_path", lambda: tmp_path / "demo.sqlite3")
    wizard = _wizard(qtbot, ctx)
    _fill_org(wizard)
    wizard.next()
    wizard.data_page.demo_radio.setChecked(True)
    assert str(tmp_path / "demo.sqlite3") in wizard.data_page.findChild(QLabel, "demoNote").text()
    wizard.button(QWizard.FinishButton).click()
    assert wizard.choice == "demo"
    window = QMainWindow()
    qtbot.addWidget(window)
    window.demo_result = None
    carry_out(ctx, wizard, window)
    qtbot.waitUntil(lambda: window.demo_result is not None, timeout=30000)
    result = window.demo_result
    assert result.built and result.path == tmp_path / "demo.sqlite3"
    box = window.findChild(QMessageBox, "demoReadyBox")
    assert box is not None and str(result.path) in box.text() and "demo2024" in box.text()
    assert box.findChild(QPushButton, "openDemoButton").text() == "现在打开演示数据库"
    box.close()
    demo = open_database(result.path)
    try:
        with demo.session() as s:
            assert s.scalar(select(func.count()).select_from(Cadre)) > 0
            assert accounts.authenticate(s, "demo", "demo2024").ok  # its own account, shown to the user
            assert settings_store.get(s, "app.first_run_done") is True  # opens straight on the 工作台
            assert settings_store.get(s, "org.name") == "中共江城市江岸区纪律检查委员会"
    finally:
        demo.dispose()
    with db.session() as s:  # the real database got no demo data
        assert s.scalar(select(func.count()).select_from(Cadre)) == 0
    again = build_demo_database(result.path, TODAY, "某机关", "某纪", cadres=40)
    assert not again.built  # an existing demo database is reused, not refused


def test_program_command_starts_this_program_on_another_database(tmp_path):
    program, args = first_run.program_command(tmp_path / "demo.sqlite3")
    assert Path(program).name.startswith("python")
    assert args[0].endswith("main.py") and Path(args[0]).exists()
    assert args[1:] == ["--db", str(tmp_path / "demo.sqlite3")]
