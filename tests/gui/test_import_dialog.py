"""The import dialog: the mapping step (columns beside fields with the first rows, required fields named and
blocking, remembered and named mappings, the sheet), the check before writing (created / changed old → new /
rejected with sheet, row, column, value; new units; repeated rows; name changes only when ticked), the import,
cancel leaving the database as it was, and the import ledger with 撤销这次导入."""
from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QPushButton
from sqlalchemy import func, select

from gui.context import AppContext
from gui.dialogs.import_file import open_import_dialog
from gui.dialogs.import_ledger import ImportLedgerDialog
from models.entities import Cadre, Unit
from tests.exchange.files import number, write_xlsx

N1, N2, N3 = number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2), number(date(1990, 1, 1))
SHOTS = None  # set to a folder to keep the screenshots


@pytest.fixture
def ctx(db, admin):
    return AppContext(db, admin, today_fn=lambda: date(2024, 6, 1))


@pytest.fixture
def ledger(tmp_path):
    return write_xlsx(tmp_path / "台账.xlsx", ["序号", "姓名", "身份证号", "工作单位"],
                      [[1, "张　三", N1, "市委组织部"], [2, "李四", N2, "市委组织部"], [3, "王五", float(N3), "市委组织部"]],
                      above=[["干部台账"], ["填报单位：市委组织部"]])


def _count(db, model=Cadre, live=True):
    with db.session() as s:
        q = select(func.count()).select_from(model)
        if live:
            q = q.where(model.withdrawn_at.is_(None))
        return s.execute(q).scalar()


def _open(qtbot, ctx, path=None, kind="cadres"):
    dlg = open_import_dialog(ctx, None, kind)
    qtbot.addWidget(dlg)
    if path is not None:
        dlg.path_edit.setText(str(path))
        qtbot.waitUntil(lambda: dlg.preview is not None or bool(dlg.preview_error), timeout=10000)
    return dlg


def _run(qtbot, dlg, button):
    dlg.result = None
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=20000)
    return dlg.result


def _shown(dlg):
    m = dlg.check_model
    return [(r.result, r.row, r.name, r.column, r.value, r.detail) for r in m.all_rows]


def test_check_then_import(qtbot, ctx, db, ledger, tmp_path):
    dlg = _open(qtbot, ctx)
    assert dlg.kind_combo.currentData() == "cadres"
    assert not dlg.check_button.isEnabled()
    dlg.path_edit.setText(str(ledger))
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10000)
    table = dlg.mapping_table
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["序号", "姓名", "身份证号", "工作单位"]
    assert table.combo(1).currentText() == "按建议：姓名"
    assert table.item(1, table.COL_STATUS).text() == "按建议导入为“姓名”"
    assert table.item(0, table.COL_STATUS).text().startswith("不需要导入")
    assert table.item(1, table.COL_SAMPLE).text() == "张　三"  # the first rows as the file has them
    assert table.horizontalHeaderItem(table.COL_SAMPLE).text() == "第4行"
    assert "表头在第3行" in dlg.summary_label.text()
    result = _run(qtbot, dlg, dlg.check_button)
    assert result.dry_run
    assert "新增2条" in dlg.summary_label.text() and "拒绝1条" in dlg.summary_label.text()
    assert dlg.tabs.currentIndex() == 1
    rejected = [r for r in dlg.check_model.all_rows if r.kind == "rejected"]
    assert len(rejected) == 1
    r = rejected[0]
    assert (r.sheet, r.row, r.name, r.column) == ("干部台账", "6", "王五", "C列“身份证号”")
    assert "身份证号被Excel转成了数字" in r.detail and r.value.startswith("1.10101")
    created = [r for r in dlg.check_model.all_rows if r.kind == "created"]
    assert [r.name for r in created] == ["张三", "李四"]
    units = [r for r in dlg.check_model.all_rows if r.kind == "unit"]
    assert [u.value for u in units] == ["市委组织部"]  # the unit to create is listed before it is created
    dlg.filter_combo.setCurrentIndex(dlg.filter_combo.findData("rejected"))
    assert dlg.check_model.rowCount() == 1
    assert _count(db) == 0
    assert dlg.save_report_to(tmp_path / "报告.xlsx") and (tmp_path / "报告.xlsx").exists()
    changed = []
    ctx.data_changed.connect(changed.append)
    result = _run(qtbot, dlg, dlg.import_button)  # checked already: no confirmation question
    assert not result.dry_run and result.batch_id is not None
    assert _count(db) == 2
    assert changed == ["import", "unit", "cadre"]  # pages refresh the records, the units and the ledger
    assert dlg.summary_label.text().startswith("导入：新增2条")
    assert f"第{result.batch_id}次" in dlg.summary_label.text()


def test_required_fields_unmapped_block_and_mapping_is_remembered(qtbot, ctx, db, tmp_path):
    header = ["序号", "干部名字", "公民号", "任职单位名称", "手机"]
    rows = [[1, "赵六", N1, "区财政局", "13800000000"], [2, "钱七", N2, "区财政局", ""]]
    first = write_xlsx(tmp_path / "一月.xlsx", header, rows)
    dlg = _open(qtbot, ctx, first)
    table = dlg.mapping_table
    assert dlg.missing_label.isVisibleTo(dlg)
    assert "必填字段尚未对应：姓名、身份证号" in dlg.missing_label.text()
    assert not dlg.check_button.isEnabled() and not dlg.import_button.isEnabled()
    assert "没有一列能识别为干部台账的列" in dlg.summary_label.text()
    assert table.item(table.row_of("干部名字"), table.COL_STATUS).text().startswith("未识别，不导入")
    table.set_choice("干部名字", "name")
    assert "身份证号" in dlg.missing_label.text() and "姓名" not in dlg.missing_label.text()
    table.set_choice("公民号", "id_number")
    table.set_choice("任职单位名称", "unit")
    table.set_choice("手机", "ignore")
    assert dlg.missing_label.isHidden() and dlg.check_button.isEnabled()
    assert table.item(table.row_of("手机"), table.COL_STATUS).text() == "不导入（已设为忽略）"
    table.set_choice("序号", "name")  # a second column for a field already taken is not imported
    assert "另有一列导入为该字段" in table.item(table.row_of("干部名字"), table.COL_STATUS).text()
    table.set_choice("序号", None)
    assert dlg.mapping == {"干部名字": "name", "公民号": "id_number", "任职单位名称": "unit", "手机": "ignore"}
    _run(qtbot, dlg, dlg.check_button)
    assert "新增2条" in dlg.summary_label.text()
    _run(qtbot, dlg, dlg.import_button)
    assert _count(db) == 2
    with db.session() as s:
        assert s.execute(select(Cadre.name).where(Cadre.id_number == N1)).scalar() == "赵六"
    # next month's file with the same header maps itself
    second = write_xlsx(tmp_path / "二月.xlsx", header, [[1, "孙八", N3, "区财政局", ""]])
    dlg2 = _open(qtbot, ctx, second)
    assert dlg2.mapping_table.combo(1).currentText() == "姓名（必填）"
    assert dlg2.mapping == {"干部名字": "name", "公民号": "id_number", "任职单位名称": "unit", "手机": "ignore"}
    assert "已按上次对同样表头的文件所作的列对应填好" in dlg2.summary_label.text()
    assert dlg2.check_button.isEnabled()


def test_named_mapping_saved_and_chosen_by_name(qtbot, ctx, db, tmp_path):
    first = write_xlsx(tmp_path / "甲.xlsx", ["干部名字", "公民号", "备注"], [["赵六", N1, ""]])
    dlg = _open(qtbot, ctx, first)
    dlg.mapping_table.set_choice("干部名字", "name")
    dlg.mapping_table.set_choice("公民号", "id_number")
    assert dlg.save_scheme("区人社局台账")
    assert "已保存为方案“区人社局台账”" in dlg.summary_label.text()
    other = write_xlsx(tmp_path / "乙.xlsx", ["干部名字", "公民号", "现任职务"], [["钱七", N2, "科员"]])
    dlg2 = _open(qtbot, ctx, other)
    assert "姓名" in dlg2.missing_label.text()
    assert dlg2.scheme_combo.findData("区人社局台账") > 0
    dlg2.scheme_combo.setCurrentIndex(dlg2.scheme_combo.findData("区人社局台账"))
    dlg2.scheme_combo.activated.emit(dlg2.scheme_combo.currentIndex())
    assert dlg2.mapping == {"干部名字": "name", "公民号": "id_number"}
    assert dlg2.mapping_table.combo(2).currentText() == "按建议：现任职务"
    assert dlg2.check_button.isEnabled() and "方案“区人社局台账”" in dlg2.summary_label.text()


def test_sheet_is_chosen(qtbot, ctx, db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "在职"
    ws.append(["姓名", "身份证号"])
    ws.append(["张三", N1])
    ws = wb.create_sheet("退休")
    ws.append(["姓名", "身份证号", "状态"])
    ws.append(["李四", N2, "退休"])
    wb.save(tmp_path / "两表.xlsx")
    dlg = _open(qtbot, ctx, tmp_path / "两表.xlsx")
    assert [dlg.sheet_combo.itemText(i) for i in range(dlg.sheet_combo.count())] == ["在职", "退休"]
    assert dlg.sheet_combo.isEnabled() and dlg.preview.sheet == "在职"
    dlg.sheet_combo.setCurrentIndex(1)
    dlg.sheet_combo.activated.emit(1)
    qtbot.waitUntil(lambda: dlg.preview is not None and dlg.preview.sheet == "退休", timeout=10000)
    assert dlg.mapping_table.rowCount() == 3
    _run(qtbot, dlg, dlg.check_button)
    _run(qtbot, dlg, dlg.import_button)
    with db.session() as s:
        assert s.execute(select(Cadre.name)).scalars().all() == ["李四"]


@pytest.fixture
def known(ctx, db, tmp_path, qtbot):
    """蔡超春 and 周九 already registered (by an import), 市财政局 exists."""
    path = write_xlsx(tmp_path / "底册.xlsx", ["姓名", "身份证号", "工作单位", "现任职务"],
                      [["蔡超春", N1, "市财政局", "科员"], ["周九", N2, "市财政局", "科员"]])
    dlg = _open(qtbot, ctx, path)
    dlg._checked_key = dlg._key()
    _run(qtbot, dlg, dlg.import_button)
    return dlg.result.batch_id


def test_check_lists_changes_renames_repeats_and_new_units(qtbot, ctx, db, tmp_path, known, monkeypatch):
    path = write_xlsx(tmp_path / "本月.xlsx", ["姓名", "身份证号", "工作单位", "现任职务"],
                      [["蔡超纯", N1, "市财政局", "科员"],  # a typo in the name under a known ID number
                       ["周九", N2, "市财政局/预算科", "副科长"],
                       ["吴十", N3, "市财政局", "科员"], ["吴十", N3, "市财政局", "科员"]])
    dlg = _open(qtbot, ctx, path)
    assert dlg.renames_check.isVisibleTo(dlg) and not dlg.renames_check.isChecked()
    _run(qtbot, dlg, dlg.check_button)
    rows = {r.kind: r for r in dlg.check_model.all_rows}
    assert rows["held"].name == "蔡超春" and "姓名：蔡超春 → 蔡超纯" in rows["held"].detail
    assert "请勾选“同时修改姓名、性别、出生日期”" in rows["held"].detail
    assert rows["changed"].name == "周九" and "现任职务：科员 → 副科长" in rows["changed"].detail
    assert "工作单位：市财政局 → 市财政局/预算科" in rows["changed"].detail
    assert rows["unit"].value == "市财政局/预算科"
    assert "第5行与第4行完全相同，只导入一次" in rows["note"].detail
    assert [r.name for r in dlg.check_model.all_rows if r.kind == "created"] == ["吴十"]
    assert "重复的行 1" in dlg.counts_label.text()
    dlg.renames_check.setChecked(True)
    held = [r for r in dlg.check_model.all_rows if r.kind == "held"][0]
    assert "将一并修改" in held.detail
    dlg.renames_check.setChecked(False)
    _run(qtbot, dlg, dlg.import_button)
    with db.session() as s:
        assert s.execute(select(Cadre.name).where(Cadre.id_number == N1)).scalar() == "蔡超春"  # not ticked
        units = s.execute(select(Unit.name, Unit.parent_id)).all()
    assert sorted(u.name for u in units) == ["市财政局", "预算科"]  # the path used the existing 市财政局
    assert _count(db) == 3
    dlg.renames_check.setChecked(True)
    dlg._checked_key = dlg._key()
    _run(qtbot, dlg, dlg.import_button)
    with db.session() as s:
        assert s.execute(select(Cadre.name).where(Cadre.id_number == N1)).scalar() == "蔡超纯"  # ticked


def test_import_ledger_lists_and_withdraws(qtbot, ctx, db, tmp_path, known, monkeypatch):
    later = write_xlsx(tmp_path / "补充.xlsx", ["姓名", "身份证号", "现任职务"], [["周九", N2, "副科长"]])
    dlg = _open(qtbot, ctx, later)
    dlg._checked_key = dlg._key()
    second = _run(qtbot, dlg, dlg.import_button).batch_id
    dlg.ledger_button.click()
    ledger = dlg.ledger_dialog
    qtbot.addWidget(ledger)
    rows = ledger.model.rows
    assert [r.id for r in rows] == [second, known]
    assert (rows[1].file_name, rows[1].account, rows[1].created, rows[1].units) == ("底册.xlsx", "admin", 2, 1)
    assert ledger.model.data(ledger.model.index(0, 6)) == "1"  # 修改
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    ledger.select_batch(known)
    assert not ledger.withdraw_selected("导错了文件")
    assert warned and "请先撤回第" in warned[0] and "周九" in warned[0]  # what builds on it, in Chinese
    assert _count(db) == 2
    ledger.select_batch(second)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("职务填错了", True))
    changed = []
    ctx.data_changed.connect(changed.append)
    qtbot.mouseClick(ledger.withdraw_button, Qt.LeftButton)
    assert "import" in changed and "cadre" in changed
    with db.session() as s:
        assert s.execute(select(Cadre.current_post).where(Cadre.id_number == N2)).scalar() == "科员"  # put back
    row = [r for r in ledger.model.rows if r.id == second][0]
    assert row.withdrawn and "职务填错了" in row.state
    assert "已撤销第" in ledger.detail_label.text()
    ledger.select_batch(second)
    assert not ledger.withdraw_button.isEnabled()
    ledger.select_batch(known)
    assert ledger.withdraw_selected("导错了文件")
    assert _count(db) == 0 and _count(db, Unit) == 0


def test_viewer_cannot_import_or_withdraw(qtbot, db, viewer, ledger, ctx, known):
    vctx = AppContext(db, viewer)
    dlg = _open(qtbot, vctx, ledger)
    assert dlg.preview is not None  # a viewer may look at a file
    assert not dlg.import_button.isEnabled() and not dlg.check_button.isEnabled()
    assert not dlg.save_scheme_button.isVisibleTo(dlg) and not dlg.renames_check.isEnabled()
    ledger_dialog = ImportLedgerDialog(vctx)
    qtbot.addWidget(ledger_dialog)
    assert ledger_dialog.model.rowCount() == 1
    assert not ledger_dialog.withdraw_button.isVisibleTo(ledger_dialog)


def test_unusable_file_said_in_chinese(qtbot, ctx, tmp_path):
    path = write_xlsx(tmp_path / "别的表.xlsx", ["项目", "金额"], [["办公费", 100]])
    dlg = _open(qtbot, ctx, path)
    assert "没有一列能识别为干部台账的列" in dlg.summary_label.text()  # the wrong file, most likely
    assert "必填字段尚未对应：姓名、身份证号" in dlg.missing_label.text() and not dlg.check_button.isEnabled()
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    dlg.path_edit.setText(str(broken))
    qtbot.waitUntil(lambda: bool(dlg.preview_error), timeout=10000)
    assert dlg.preview is None and "已损坏" in dlg.summary_label.text()
    assert not dlg.check_button.isEnabled()


def test_cancel_leaves_database_as_it_was(qtbot, ctx, db, tmp_path):
    rows = [[f"干部{chr(0x4e00 + i)}", number(date(1970 + i % 30, 1 + i % 12, 1 + i % 28), "男", i)] for i in range(1500)]
    path = write_xlsx(tmp_path / "big.xlsx", ["姓名", "身份证号"], rows)
    dlg = _open(qtbot, ctx, path)
    dlg._checked_key = dlg._key()
    progress = dlg.start(dry_run=False)
    qtbot.mouseClick(progress.findChild(type(dlg.check_button)), Qt.LeftButton)  # 取消
    qtbot.waitUntil(lambda: "已取消" in dlg.summary_label.text() or dlg.result is not None, timeout=20000)
    assert "已取消，数据库保持原样" in dlg.summary_label.text()
    assert dlg.result is None
    assert _count(db) == 0


def test_save_template_and_kinds(qtbot, ctx, tmp_path):
    dlg = _open(qtbot, ctx, kind="lrmx")
    assert dlg.kind_combo.currentData() == "lrmx"
    assert not dlg.template_button.isEnabled() and dlg.folder_button.isEnabled()
    assert not dlg.mapping_row.isVisibleTo(dlg) and not dlg.tabs.isTabEnabled(0)
    assert "先点“检查（不写入）”" in dlg.summary_label.text()  # what to do first, before anything is chosen
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("commendations"))
    assert dlg.template_button.isEnabled() and dlg.mapping_row.isVisibleTo(dlg)
    assert not dlg.renames_check.isVisibleTo(dlg)  # a commendation import never changes a cadre
    assert dlg.save_template_to(tmp_path / "表彰模板.xlsx")
    assert (tmp_path / "表彰模板.xlsx").exists()
    assert "空白模板已保存" in dlg.summary_label.text()


def test_loaded_dialogs_fit_1366x768(qtbot, ctx, db, tmp_path, known):
    """A wide 台账 (two-row header, 30 columns, long cells) in the mapping step, its check, the ledger: all fit a
    1366×768 screen with their buttons visible (screenshots kept in the test's folder)."""
    from tests.gui.test_dialogs_fit import _check_fits

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部信息台账（2024年12月）"
    ws.append(["某区干部信息台账"])
    ws.append(["序号", "姓名", "身份证号", "工作情况", None, None, None] + [f"自定义栏目{n}" for n in range(1, 24)])
    ws.append([None, None, None, "工作单位", "现任职务", "职级", "任现职时间"])
    for col in ("A", "B", "C"):
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:G2")
    ws.append([1, "蔡超纯", N1, "市财政局/预算科/综合股", "副股长（主持工作）", "四级主任科员", "2021.06"] + ["很长的内容" * 4] * 23)
    ws.append([2, "周九", N2, "市财政局", "科员", "", "2020.01"])
    ws.append([3, "王五", float(N3), "市财政局", "科员", "", "2020.01"])
    ws.append([3, "王五", float(N3), "市财政局", "科员", "", "2020.01"])
    wb.save(tmp_path / "宽表.xlsx")
    dlg = _open(qtbot, ctx, tmp_path / "宽表.xlsx")
    dlg.show()
    table = dlg.mapping_table
    assert table.item(table.row_of("工作情况/工作单位"), table.COL_STATUS).text() == "按建议导入为“工作单位”"
    _check_fits("导入·列对应", dlg)
    shots = tmp_path
    dlg.grab().save(str(shots / "import_mapping.png"))
    table.set_choice("身份证号", "ignore")
    assert dlg.missing_label.isVisible() and not dlg.import_button.isEnabled()
    dlg.grab().save(str(shots / "import_missing.png"))
    table.set_choice("身份证号", None)
    _run(qtbot, dlg, dlg.check_button)
    assert {r.kind for r in dlg.check_model.all_rows} >= {"rejected", "held", "changed", "unit"}
    _check_fits("导入·检查结果", dlg)
    dlg.grab().save(str(shots / "import_check.png"))
    dlg.ledger_button.click()
    ledger = dlg.ledger_dialog
    qtbot.addWidget(ledger)
    _check_fits("导入记录", ledger)
    ledger.grab().save(str(shots / "import_ledger.png"))
    print("screenshots in", shots)


def test_enter_in_the_path_field_reads_the_file_and_presses_no_button(qtbot, ctx, ledger, monkeypatch):
    from gui import file_dialogs

    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: "")  # a pressed 保存空白模板… returns
    dlg = _open(qtbot, ctx)
    dlg.show()
    qtbot.waitExposed(dlg)
    pressed = []
    for button in dlg.findChildren(QPushButton):
        button.clicked.connect(lambda *_a, b=button: pressed.append(b.objectName()))
    dlg.path_edit.setFocus()
    dlg.path_edit.setText(str(ledger))
    qtbot.keyClick(dlg.path_edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=10000)
    assert pressed == [] and dlg.isVisible()  # before: Enter pressed 保存空白模板…, the first button
