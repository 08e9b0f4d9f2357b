"""表彰奖励 page: add through the dialog (picking the cadre by pinyin), revoke, the priority list, the 百佳 share;
设置 → 代码表 adds a local honour."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from gui.dialogs.commendation import CommendationDialog, RevokeDialog
from gui.context import AppContext
from gui.pages.commendations_page import CommendationsPage
from gui.settings.code_lists_section import CodeListsSection
from models.services.cadres import editing as cadre_editing
from models.services import commendations as cms
from models.reference import id_number
from models.entities import Commendation

TODAY = date(2024, 6, 1)


@pytest.fixture
def ctx(db, officer):
    with db.session() as s:
        for seq, (name, grass) in enumerate([("张三", True), ("李四", False)]):
            cadre_editing.create_cadre(s, officer, {"name": name, "is_grassroots": grass, "id_number": id_number.make_id_number(
                "420102", date(1980, 1, 1), seq * 10 + 1, "男")}, today=TODAY)
    return AppContext(db, officer, today_fn=lambda: TODAY)


def texts(model, col):
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_add_commendation_with_picker_and_messages(qtbot, ctx, db):
    page = CommendationsPage(ctx)
    qtbot.addWidget(page)
    dialog = CommendationDialog(ctx, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.errors["cadre_id"].isVisible() and "选择" in dialog.errors["cadre_id"].text()
    qtbot.keyClicks(dialog.picker.search_edit, "zs")
    dialog.picker.run_search()
    assert dialog.picker.results.count() == 1 and "张三" in dialog.picker.results.item(0).text()
    dialog.picker._on_results_item_activated(dialog.picker.results.item(0))
    assert dialog.picker.chosen_label.text().startswith("已选择：张三")
    dialog.kind_combo.setCurrentText("百佳公务员")
    dialog.honour_edit.setText("2023年度百佳公务员")
    dialog.date_edit.setText("2024-02-01")
    dialog.urgent_check.setChecked(True)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert "哪项任务" in dialog.errors["urgent_task_desc"].text()
    dialog.urgent_edit.setText("2023年防汛")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    with db.session() as s:
        c = s.query(Commendation).one()
        assert (c.kind, c.honour, c.urgent_task_desc) == ("百佳公务员", "2023年度百佳公务员", "2023年防汛")
    # the page refreshed on data_changed; the other tabs load when shown
    assert texts(page.model, 1) == ["张三"]
    page.tabs.setCurrentIndex(page.TAB_PRIORITY)
    assert texts(page.priority_model, 0) == ["张三"]
    page.tabs.setCurrentIndex(page.TAB_SHARE)
    assert texts(page.share_model, 0) == ["2024"] and texts(page.share_model, 3) == ["100.0%"]


def test_revoke_marks_and_removes_from_priority(qtbot, ctx, db, officer):
    with db.session() as s:
        cid = s.query(__import__("models.entities", fromlist=["Cadre"]).Cadre).filter_by(name="李四").one().id
        saved = cms.create_commendation(s, officer, {"cadre_id": cid, "kind": "嘉奖", "awarded_on": date(2023, 5, 1)},
                                        today=TODAY)
    page = CommendationsPage(ctx)
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(page.TAB_PRIORITY)
    assert texts(page.priority_model, 0) == ["李四"]
    page.tabs.setCurrentIndex(page.TAB_RECORDS)
    page.table.selectRow(0)
    dialog = RevokeDialog(ctx, saved.id, parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.error_label.isVisible() and "理由" in dialog.error_label.text()
    dialog.reason_edit.setPlainText("申报时弄虚作假")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    assert texts(page.model, 9) == ["2024-06-01已撤销"]
    page.tabs.setCurrentIndex(page.TAB_PRIORITY)
    assert texts(page.priority_model, 0) == []
    page.revoked_check.setChecked(False)
    assert page.model.rowCount() == 0
    with db.session() as s:
        assert s.get(Commendation, saved.id).revoked_reason == "申报时弄虚作假"


def test_code_list_section_adds_local_honour(qtbot, db, admin):
    ctx = AppContext(db, admin, today_fn=lambda: TODAY)
    section = CodeListsSection(ctx)
    qtbot.addWidget(section)
    assert section.list_combo.currentData() == "local_honours"
    assert "百佳公务员" in section.values_edit.toPlainText()
    section.values_edit.setPlainText("百佳公务员\n最美社区工作者\n\n")
    qtbot.mouseClick(section.save_button, Qt.LeftButton)
    assert section.message.text() == "已保存，共 2 项。"
    page = CommendationsPage(ctx)
    qtbot.addWidget(page)
    assert page.kind_combo.findText("最美社区工作者") >= 0
    assert page.kind_combo.findText("记一等功") >= 0  # statutory kinds stay


def test_officer_cannot_edit_code_lists(qtbot, ctx):
    section = CodeListsSection(ctx)
    qtbot.addWidget(section)
    assert section.values_edit.isReadOnly() and not section.save_button.isEnabled()


def test_records_and_priority_are_paged_and_other_tabs_load_when_shown(qtbot, db, officer, monkeypatch):
    import gui.widgets.row_table_model as rtm

    monkeypatch.setattr(rtm, "PAGE_SIZE", 3)
    with db.session() as s:
        ids = [cadre_editing.create_cadre(s, officer, {"name": f"王{n}", "id_number": id_number.make_id_number(
            "420102", date(1981, 1, 1), 100 + n * 10, "男")}, today=TODAY).id for n in range(5)]
        for n, cid in enumerate(ids):
            cms.create_commendation(s, officer, {"cadre_id": cid, "kind": "嘉奖", "awarded_on": date(2023, 1, n + 1)},
                                    today=TODAY)
    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    page = CommendationsPage(ctx)
    qtbot.addWidget(page)
    page.resize(900, 600)
    # first page only, with the total from SQL
    assert page.model.rowCount() == 3 and page.model.total == 5
    assert page.count_label.text() == "共 5 条"
    assert texts(page.model, 0) == ["2023-01-05", "2023-01-04", "2023-01-03"]
    # the other tabs have not been read yet
    assert page.priority_model.rowCount() == 0 and page.share_model.rowCount() == 0
    # scrolling to the end fetches the rest
    assert page.model.canFetchMore()
    page.model.fetchMore()
    assert texts(page.model, 0) == ["2023-01-05", "2023-01-04", "2023-01-03", "2023-01-02", "2023-01-01"]
    assert not page.model.canFetchMore()
    page.tabs.setCurrentIndex(page.TAB_PRIORITY)
    assert page.priority_model.rowCount() == 3 and page.priority_model.total == 5
    assert "共 5 人" in page.priority_label.text()
    page.priority_model.fetchMore()
    assert texts(page.priority_model, 0) == ["王4", "王3", "王2", "王1", "王0"]  # latest first
    # a change reloads the tab that is shown, the others when shown again
    with db.session() as s:
        cms.withdraw_commendation(s, officer, s.query(Commendation).filter_by(cadre_id=ids[4]).one().id, "录入错误")
    ctx.notify("commendation")
    assert texts(page.priority_model, 0) == ["王3", "王2", "王1"] and page.priority_model.total == 4
    page.tabs.setCurrentIndex(page.TAB_RECORDS)
    assert page.count_label.text() == "共 4 条"
