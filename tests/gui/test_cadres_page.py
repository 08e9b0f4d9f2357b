"""干部 page: search in Chinese and pinyin initials, filters, SQL sorting, paging; open, edit, duplicate ID."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from gui.widgets.date_field import parse_date_text
from gui.widgets.cadre_models import CadreTableModel
from gui.context import AppContext
from gui.pages.cadres_page import CadresPage
from models.services.cadres import editing as cadre_editing
from models.services import units as unit_service
from models.reference import id_number
from models.entities import Cadre
from models.core.errors import ValidationError

TODAY = date(2024, 6, 1)


def idn(seq, g="男", born=date(1975, 3, 15)):
    return id_number.make_id_number("420102", born, seq, g)


@pytest.fixture
def ctx(db, officer):
    with db.session() as s:
        unit = unit_service.ensure_unit(s, officer, "某某市/组织部")
        other = unit_service.ensure_unit(s, officer, "某某市/财政局")
        for seq, (name, u, rank) in enumerate([("张三", unit, "一级科员"), ("张三丰", other, "四级调研员"),
                                                ("单田芳", other, "一级科员"), ("李四", unit, "二级主任科员")]):
            cadre_editing.create_cadre(s, officer, {"name": name, "id_number": idn(seq * 10 + 1), "unit_id": u, "rank": rank},
                            today=TODAY)
    return AppContext(db, officer, today_fn=lambda: TODAY)


def visible_names(page):
    m = page.model
    return [m.data(m.index(r, CadreTableModel.COL_NAME)) for r in range(m.rowCount())]


def make_page(qtbot, ctx):
    page = CadresPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def test_search_in_chinese_and_pinyin_initials(qtbot, ctx):
    page = make_page(qtbot, ctx)
    assert visible_names(page) == ["李四", "单田芳", "张三", "张三丰"]  # pinyin order: li, shan (单), zhang
    assert page.count_label.text() == "共 4 人"
    page.search_edit.setText("张三")
    qtbot.waitUntil(lambda: visible_names(page) == ["张三", "张三丰"], timeout=2000)
    assert page.count_label.text() == "共 2 人"
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "zsf")
    qtbot.waitUntil(lambda: visible_names(page) == ["张三丰"], timeout=2000)
    page.search_edit.clear()
    qtbot.keyClicks(page.search_edit, "std")  # 单 read as shan, not dan
    qtbot.waitUntil(lambda: visible_names(page) == [], timeout=2000)
    page.search_edit.setText("stf")
    qtbot.waitUntil(lambda: visible_names(page) == ["单田芳"], timeout=2000)


def test_filters_and_sorting_by_header(qtbot, ctx):
    page = make_page(qtbot, ctx)
    page.rank_combo.setCurrentIndex(page.rank_combo.findData("一级科员"))
    assert visible_names(page) == ["单田芳", "张三"]
    page.rank_combo.setCurrentIndex(0)
    page.unit_combo.setCurrentIndex(page.unit_combo.findText("组织部", Qt.MatchEndsWith))
    assert visible_names(page) == ["李四", "张三"]
    page.unit_combo.setCurrentIndex(page.unit_combo.findText("某某市", Qt.MatchEndsWith))  # with sub-units
    assert len(visible_names(page)) == 4
    page.table.horizontalHeader().setSortIndicator(CadreTableModel.COL_NAME, Qt.DescendingOrder)
    assert visible_names(page) == ["张三丰", "张三", "单田芳", "李四"]
    assert page.model.sort_key == "name" and page.model.descending
    page.impact_check.setChecked(True)
    assert visible_names(page) == [] and page.count_label.text() == "共 0 人"


def test_ctrl_f_focuses_search(qtbot, ctx):
    page = make_page(qtbot, ctx)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=2000)
    qtbot.keyClick(page.table, Qt.Key_F, Qt.ControlModifier)
    assert page.search_edit.hasFocus()


def test_paging_loads_more_rows_when_scrolled(qtbot, db, officer):
    from sqlalchemy import insert

    with db.session() as s:  # bulk, as an import does
        s.execute(insert(Cadre), [
            {"name": f"王{i:03d}", "name_pinyin": f"wang{i:03d}", "name_initials": "w", "status": "在职",
             "id_number": idn(i % 1000, born=date(1970 + i // 100, 1, 1 + i % 28))}
            for i in range(CadreTableModel.PAGE_SIZE + 30)])
    page = make_page(qtbot, AppContext(db, officer, today_fn=lambda: TODAY))
    assert page.model.rowCount() == CadreTableModel.PAGE_SIZE
    assert page.model.canFetchMore()
    qtbot.waitUntil(lambda: page.count_label.text() == "共 230 人", timeout=2000)  # counted in SQL after the page
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == CadreTableModel.PAGE_SIZE + 30, timeout=3000)
    assert not page.model.canFetchMore()


def test_cadre_table_model_is_a_correct_qt_model(qtmodeltester, qtbot, ctx):
    page = make_page(qtbot, ctx)
    qtmodeltester.check(page.model, force_py=True)


def test_open_and_edit_a_cadre(qtbot, ctx, db):
    page = make_page(qtbot, ctx)
    page.search_edit.setText("李四")
    page.run_search()
    page.table.selectRow(0)
    page.open_cadre(page.current_cadre_id())
    view = page.last_opened
    qtbot.addWidget(view)
    assert view.windowTitle() == "干部：李四"
    assert "奖惩情况：无" == view.rewards_label.text()
    dialog = page.edit_cadre(page.current_cadre_id())
    qtbot.addWidget(dialog)
    assert dialog.inputs["name"].text() == "李四"
    dialog.inputs["current_post"].setText("干部科科长")
    dialog.inputs["work_started"].setText("1997.07")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    with db.session() as s:
        c = s.query(Cadre).filter_by(name="李四").one()
        assert c.current_post == "干部科科长" and c.work_started == date(1997, 7, 1)
    # the open page shows the change (data_changed → refresh)
    qtbot.waitUntil(lambda: "干部科科长" in view.findChild(type(view.rewards_label), "value_现任职务").text())
    assert page.model.data(page.model.index(0, CadreTableModel.COL_POST)) == "干部科科长"


def test_messages_beside_fields_and_id_checked_as_typed(qtbot, ctx, db):
    page = make_page(qtbot, ctx)
    dialog = page.edit_cadre(None)
    qtbot.addWidget(dialog)
    dialog.show()
    good = idn(777, "女", date(1988, 8, 8))
    dialog.inputs["id_number"].setText(good[:17] + ("1" if good[17] != "1" else "2"))
    assert "校验位不符" in dialog.id_check_label.text()
    dialog.inputs["id_number"].setText(good.lower())
    assert "校验通过" in dialog.id_check_label.text() and "女" in dialog.id_check_label.text()
    assert dialog.inputs["birth_date"].text() == "1988-08-08" and dialog.inputs["gender"].currentText() == "女"
    dialog.inputs["gender"].setCurrentText("男")
    dialog.inputs["name"].setText("王　芳")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.errors["gender"].isVisible() and "第17位表明为女" in dialog.errors["gender"].text()
    dialog.inputs["gender"].setCurrentText("女")
    dialog.inputs["post_since"].setText("2030-01-01")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert not dialog.errors["gender"].isVisible()
    assert "将来" in dialog.errors["post_since"].text()
    dialog.inputs["post_since"].setText("")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    with db.session() as s:
        assert s.query(Cadre).filter_by(name="王芳").one().id_number == good


def test_duplicate_id_refused_with_link_to_existing(qtbot, ctx, db):
    page = make_page(qtbot, ctx)
    with db.session() as s:
        existing = s.query(Cadre).filter_by(name="张三").one()
        existing_id, number = existing.id, existing.id_number
    dialog = page.edit_cadre(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.inputs["name"].setText("张叁")
    dialog.inputs["id_number"].setText(number)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    label = dialog.errors["id_number"]
    assert dialog.result() != QDialog.Accepted and label.isVisible()
    assert "已登记为干部“张三”" in label.text() and f'href="cadre:{existing_id}"' in label.text()
    label.linkActivated.emit(f"cadre:{existing_id}")
    assert page.last_opened is not None and page.last_opened.cadre_id == existing_id
    qtbot.addWidget(page.last_opened)
    with db.session() as s:
        assert s.query(Cadre).count() == 4


def test_viewer_sees_masked_id_numbers_and_cannot_edit(qtbot, ctx, db, viewer):
    page = make_page(qtbot, AppContext(db, viewer, today_fn=lambda: TODAY))
    ids = [page.model.data(page.model.index(r, CadreTableModel.COL_ID_NUMBER)) for r in range(page.model.rowCount())]
    assert ids and all("********" in i for i in ids)
    assert not page.new_button.isEnabled() and not page.edit_button.isEnabled()


def test_parse_date_text_forms():
    assert parse_date_text("1975.03", "x", "f", month_ok=True) == date(1975, 3, 1)
    assert parse_date_text("1975年3月15日", "x", "f") == date(1975, 3, 15)
    assert parse_date_text("19750315", "x", "f") == date(1975, 3, 15)
    assert parse_date_text("2024/3/5", "x", "f") == date(2024, 3, 5)
    assert parse_date_text(" ", "x", "f") is None
    with pytest.raises(ValidationError):
        parse_date_text("1975.13", "x", "f")


def test_export_of_the_current_list(qtbot, ctx, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    import openpyxl

    page = make_page(qtbot, ctx)
    assert page.export_button.isVisible()
    target = tmp_path / "名单.xlsx"
    monkeypatch.setattr("gui.file_dialogs.save_file_name", lambda *a, **k: str(target))
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    page.search_edit.setText("zs")
    page.run_search()
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=10000)
    sheet = openpyxl.load_workbook(target).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "张三" in values and "张三丰" in values and "李四" not in values


def test_import_button_opens_the_import_dialog_for_cadres(qtbot, ctx):
    page = make_page(qtbot, ctx)
    if page._import is None:
        pytest.skip("the import dialog is not part of this build")
    assert page.import_button.isVisible()
    qtbot.mouseClick(page.import_button, Qt.LeftButton)
    dialog = page.findChild(QDialog, "importDialog") or next(
        (w for w in page.findChildren(QDialog) if type(w).__name__ == "ImportDialog"), None)
    assert dialog is not None and dialog.kind_combo.currentData() == "cadres"
    dialog.close()
