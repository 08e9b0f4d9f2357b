"""处理处分 page: record a 政务记过 through the dialog, then find its dates on the cadre's page and in the 工作台;
override a date with a reason; revoke on review; withdraw."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from gui.context import AppContext
from gui.dialogs.handling import HandlingDialog
from gui.pages.dashboard_page import DashboardPage
from gui.pages.handling_page import HandlingPage
from models.services.handling import register as handling_register
from models.entities import Handling, Restriction, Review, Task
from tests.handling_helpers import add_cadre, add_unit

TODAY = date(2025, 3, 20)  # gov.demerit decided 2024-04-12 → last day 2025-04-11, off 2025-04-12 (in 23 days)


@pytest.fixture
def ctx(db, officer):
    return AppContext(db, officer, today_fn=lambda: TODAY)


@pytest.fixture
def cadre_id(db):
    with db.session() as s:
        unit = add_unit(s, "某区财政局")
        return add_cadre(s, "王小明", unit, initials="wxm").id


def _in_modal(qtbot, action):
    """Run `action(dialog)` on the next modal dialog once it is shown (exec() blocks the test otherwise)."""
    done = []

    def poll():
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(20, poll)
            return
        action(w)
        done.append(w)

    QTimer.singleShot(0, poll)
    return done


def _fill_demerit(dialog: HandlingDialog) -> None:
    dialog.picker.search_edit.setText("王小明")  # the whole name of the only 王小明: taken on Enter
    QTest.keyClick(dialog.picker.search_edit, Qt.Key_Return)
    assert dialog.picker.cadre_name() == "王小明"
    dialog.regime_combo.setCurrentIndex(dialog.regime_combo.findData("gov"))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("demerit"))
    dialog.decided_edit.setText("2024-04-12")
    dialog.organ_edit.setText("某区监察委员会")
    dialog.doc_edit.setText("某监〔2024〕7号")
    dialog.facts_edit.setPlainText("违反规定发放津贴补贴。")


def test_record_gov_demerit_then_dates_on_cadre_page_and_dashboard(qtbot, db, ctx, cadre_id):
    page = HandlingPage(ctx)
    qtbot.addWidget(page)
    dashboard = DashboardPage(ctx)
    qtbot.addWidget(dashboard)
    assert dashboard.tiles["coming_off_30"].text().startswith("0\n")
    seen = {}

    def fill(dialog):
        _fill_demerit(dialog)
        # the engine's restrictions appear at once, each with its explanation
        table = dialog.preview_table
        seen["rows"] = [(table.item(i, 0).text(), table.item(i, 2).text(), table.item(i, 4).text())
                        for i in range(table.rowCount())]
        seen["status"] = dialog.preview_status.text()
        dialog.save_button.click()

    done = _in_modal(qtbot, fill)
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    assert done, "the dialog was not shown"
    assert [(k, last) for k, last, _ in seen["rows"]] == [("不得提拔/晋升", "2025-04-11"), ("不得晋升工资档次", "2025-04-11")]
    assert all(expl for _, _, expl in seen["rows"]) and "2025-04-12" in seen["status"]

    with db.session() as s:
        h = s.execute(select(Handling)).scalar_one()
        assert (h.regime, h.kind, h.effective_on, h.doc_number) == ("gov", "demerit", date(2024, 4, 12), "某监〔2024〕7号")
        assert {r.last_day for r in s.execute(select(Restriction)).scalars()} == {date(2025, 4, 11)}

    # the register shows it and the selected record shows its restrictions
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, page.model.COL_OFF)) == "2025-04-12"
    page.table.selectRow(0)
    assert page.restriction_table.rowCount() == 2
    assert page.restriction_table.item(0, 2).text() == "2025-04-11"
    assert "王小明" in page.detail_label.text() and "记过" in page.detail_label.text()

    # the cadre's page shows the same dates
    from gui.pages.cadre_view import CadreView

    view = CadreView(ctx, cadre_id)
    qtbot.addWidget(view)
    top = view.handling_tree.topLevelItem(0)
    assert "记过" in top.text(0) and top.text(3) == "2025-04-12"
    assert {top.child(i).text(2) for i in range(top.childCount())} == {"2025-04-11"}

    # the 工作台 refreshed itself through ctx.data_changed
    assert dashboard.tiles["coming_off_30"].text() == "1\n30天内影响期满"
    qtbot.mouseClick(dashboard.tiles["coming_off_30"], Qt.LeftButton)
    assert dashboard.model.rowCount() == 1
    assert dashboard.model.data(dashboard.model.index(0, 0)) == "王小明"
    assert dashboard.model.data(dashboard.model.index(0, 2)) == "2025-04-12"
    assert "30天内影响期满：共 1 人次" == dashboard.list_title.text()


def _record(db, officer, cadre_id):
    with db.session() as s:
        return handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cadre_id, regime="gov", kind="demerit",
                                                                decided_on=date(2024, 4, 12)), TODAY).id


def test_override_with_reason_is_marked(qtbot, db, ctx, officer, cadre_id):
    hid = _record(db, officer, cadre_id)
    page = HandlingPage(ctx)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    assert not page.override_button.isEnabled()  # no restriction selected yet
    page.restriction_table.selectRow(0)
    assert page.override_button.isEnabled()

    def fill(dialog):
        dialog.last_edit.setText("2025-05-31")
        dialog.reason_edit.setPlainText("依据市纪委批复〔2025〕2号")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    done = _in_modal(qtbot, fill)
    qtbot.mouseClick(page.override_button, Qt.LeftButton)
    assert done
    with db.session() as s:
        row = s.execute(select(Restriction).where(Restriction.handling_id == hid, Restriction.kind == "NO_PROMOTION")).scalar_one()
        assert row.override_last_day == date(2025, 5, 31) and row.override_reason == "依据市纪委批复〔2025〕2号"
    texts = [page.restriction_table.item(i, 2).text() for i in range(page.restriction_table.rowCount())]
    assert "2025-05-31（已人工修改）" in texts


def test_review_revokes_and_creates_task(qtbot, db, ctx, officer, cadre_id, monkeypatch):
    hid = _record(db, officer, cadre_id)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    page = HandlingPage(ctx)
    qtbot.addWidget(page)
    page.table.selectRow(0)

    def fill(dialog):
        dialog.track_combo.setCurrentText("复审")
        dialog.decided_edit.setText("2024-06-01")
        dialog.outcome_combo.setCurrentIndex(dialog.outcome_combo.findData("revoked"))
        assert "恢复名誉" in dialog.hint.text()
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()

    done = _in_modal(qtbot, fill)
    qtbot.mouseClick(page.review_button, Qt.LeftButton)
    assert done and shown and "恢复名誉" in shown[0]
    with db.session() as s:
        assert s.get(Handling, hid).status == "revoked"
        assert s.execute(select(Review.outcome)).scalar_one() == "revoked"
        assert s.execute(select(Task.kind)).scalar_one() == "restore_reputation"
    assert page.model.data(page.model.index(0, page.model.COL_STATUS)) == "已撤销"
    assert page.restriction_table.rowCount() == 0
    assert page.review_table.item(0, 2).text() == "撤销"


def test_withdraw_asks_for_reason(qtbot, db, ctx, officer, cadre_id, monkeypatch):
    hid = _record(db, officer, cadre_id)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("重复录入的记录", True))
    page = HandlingPage(ctx)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    qtbot.mouseClick(page.withdraw_button, Qt.LeftButton)
    with db.session() as s:
        assert s.get(Handling, hid).withdrawn_reason == "重复录入的记录"
    assert page.model.rowCount() == 0 and page.count_label.text() == "共 0 条"


def test_filters_and_invalid_input_message(qtbot, db, ctx, officer, cadre_id):
    _record(db, officer, cadre_id)
    page = HandlingPage(ctx)
    qtbot.addWidget(page)
    page.regime_filter.setCurrentIndex(page.regime_filter.findData("party"))
    assert page.model.rowCount() == 0
    page.regime_filter.setCurrentIndex(0)
    page.search_edit.setText("wxm")
    page.search_edit.flush()  # searches after a pause in typing; flush = now
    assert page.model.rowCount() == 1
    dialog = HandlingDialog(ctx, cadre_id=cadre_id)
    qtbot.addWidget(dialog)
    dialog.regime_combo.setCurrentIndex(dialog.regime_combo.findData("gov"))
    dialog.decided_edit.setText("2025-04-01")  # after today
    assert "晚于今天" in dialog.preview_status.text() and dialog.preview_table.rowCount() == 0
    dialog.decided_edit.setText("2024-13-01")
    assert "月份13不存在" in dialog.preview_status.text()  # the importer's words, not a format hint


def test_viewer_cannot_open_write_actions(qtbot, db, viewer, cadre_id, officer):
    _record(db, officer, cadre_id)
    page = HandlingPage(AppContext(db, viewer, today_fn=lambda: TODAY))
    qtbot.addWidget(page)
    page.table.selectRow(0)
    assert not page.new_button.isEnabled() and not page.edit_button.isEnabled()
    assert not page.withdraw_button.isEnabled() and page.check_button.isEnabled()
