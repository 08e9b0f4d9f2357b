"""The import dialog: check (dry run) shows counts and rejected rows, import writes, cancel leaves the DB as it was."""
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from gui.context import AppContext
from gui.dialogs.import_file import open_import_dialog
from models.entities import Cadre
from tests.exchange.files import number, write_xlsx

N1, N2, N3 = number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2), number(date(1990, 1, 1))


@pytest.fixture
def ctx(db, admin):
    return AppContext(db, admin, today_fn=lambda: date(2024, 6, 1))


@pytest.fixture
def ledger(tmp_path):
    return write_xlsx(tmp_path / "台账.xlsx", ["序号", "姓名", "身份证号", "工作单位"],
                      [[1, "张　三", N1, "市委组织部"], [2, "李四", N2, "市委组织部"], [3, "王五", float(N3), "市委组织部"]],
                      above=[["干部台账"], ["填报单位：市委组织部"]])


def _count(db):
    with db.session() as s:
        return s.execute(select(func.count()).select_from(Cadre)).scalar()


def test_check_then_import(qtbot, ctx, db, ledger, tmp_path):
    dlg = open_import_dialog(ctx, None, "cadres")
    qtbot.addWidget(dlg)
    assert dlg.kind_combo.currentData() == "cadres"
    assert not dlg.check_button.isEnabled()
    dlg.path_edit.setText(str(ledger))
    qtbot.mouseClick(dlg.check_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=10000)
    assert "新增2条" in dlg.summary_label.text() and "拒绝1条" in dlg.summary_label.text()
    assert dlg.rejected_table.rowCount() == 1
    assert dlg.rejected_table.item(0, 0).text().startswith("工作表“干部台账”第6行")
    assert dlg.rejected_table.item(0, 1).text() == "王五"
    assert "身份证号被Excel转成了数字" in dlg.rejected_table.item(0, 2).text()
    assert _count(db) == 0
    assert dlg.save_report_to(tmp_path / "报告.xlsx") and (tmp_path / "报告.xlsx").exists()
    dlg.result = None
    changed = []
    ctx.data_changed.connect(changed.append)
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)  # checked already: no confirmation question
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=10000)
    assert _count(db) == 2
    assert changed == ["import", "unit", "cadre"]  # pages refresh the records, the units and the ledger
    assert dlg.summary_label.text().startswith("导入：新增2条")
    dlg.grab().save(str(tmp_path / "import_dialog.png"))


def test_cancel_leaves_database_as_it_was(qtbot, ctx, db, tmp_path):
    rows = [[f"干部{chr(0x4e00 + i)}", number(date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "男", i)] for i in range(1500)]
    path = write_xlsx(tmp_path / "big.xlsx", ["姓名", "身份证号"], rows)
    dlg = open_import_dialog(ctx, None, "cadres")
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(path))
    dlg._checked_path = str(path)
    progress = dlg.start(dry_run=False)
    qtbot.mouseClick(progress.findChild(type(dlg.check_button)), Qt.LeftButton)  # 取消
    qtbot.waitUntil(lambda: "已取消" in dlg.summary_label.text() or dlg.result is not None, timeout=20000)
    assert "已取消，数据库保持原样" in dlg.summary_label.text()
    assert dlg.result is None
    assert _count(db) == 0


def test_save_template_and_kinds(qtbot, ctx, tmp_path):
    dlg = open_import_dialog(ctx, None, "lrmx")
    qtbot.addWidget(dlg)
    assert dlg.kind_combo.currentData() == "lrmx"
    assert not dlg.template_button.isEnabled() and dlg.folder_button.isEnabled()
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("commendations"))
    assert dlg.template_button.isEnabled()
    assert dlg.save_template_to(tmp_path / "表彰模板.xlsx")
    assert (tmp_path / "表彰模板.xlsx").exists()
    assert "空白模板已保存" in dlg.summary_label.text()


def test_viewer_cannot_start_an_import(qtbot, db, viewer, ledger):
    dlg = open_import_dialog(AppContext(db, viewer), None, "cadres")
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(ledger))
    assert not dlg.import_button.isEnabled() and not dlg.check_button.isEnabled()
