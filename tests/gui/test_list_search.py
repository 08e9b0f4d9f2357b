"""Search on the 表彰奖励 and 回访教育 pages (the cadre list's matching rule); keyboard flow: Enter or Down in the
search box reaches the results, Enter on a row opens it."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from gui.context import AppContext
from gui.pages.commendations_page import CommendationsPage
from gui.pages.visits_page import VisitsPage
from models.derived.restrictions import recompute_cadre
from models.entities import Handling
from models.reference import id_number
from models.services.cadres import editing as cadre_editing
from models.services import commendations as cms

TODAY = date(2024, 6, 1)


@pytest.fixture
def ctx(db, officer):
    with db.session() as s:
        ids = []
        for seq, name in enumerate(["张三", "李四", "王五"]):
            ids.append(cadre_editing.create_cadre(s, officer, {"name": name, "id_number": id_number.make_id_number(
                "420102", date(1980, 1, 1), seq * 10 + 1, "男")}, today=TODAY).id)
        for n, cid in enumerate(ids):
            cms.create_commendation(s, officer, {"cadre_id": cid, "kind": "嘉奖", "awarded_on": date(2023, 5, n + 1)},
                                    today=TODAY)
            s.add(Handling(cadre_id=cid, regime="gov", kind="warning", effective_on=date(2024, 3, 1 + n)))
            s.flush()
            recompute_cadre(s, cid)
    return AppContext(db, officer, today_fn=lambda: TODAY)


def names(view, col):
    m = view.model()
    return [m.index(r, col).data() for r in range(m.rowCount())]


def test_commendations_search_by_initials_and_keyboard_flow(qtbot, ctx, monkeypatch):
    page = CommendationsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    assert len(names(page.table, 1)) == 3
    page.search_edit.setFocus()
    page.search_edit.setText("ls")
    qtbot.keyClick(page.search_edit, Qt.Key_Return)  # searches at once, then moves into the results
    assert names(page.table, 1) == ["李四"] and page.count_label.text() == "共 1 条"
    assert page.table.hasFocus() and page.table.currentIndex().row() == 0
    opened = []
    monkeypatch.setattr(page, "_on_edit_button_clicked", lambda: opened.append(page.current_row().cadre_name))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_Return)
    assert opened == ["李四"]
    page.search_edit.setText("")
    page.search_edit.flush()
    assert len(names(page.table, 1)) == 3


def test_visits_page_search_filters_plans_and_down_reaches_them(qtbot, ctx):
    page = VisitsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: not page.sync_pending, timeout=10000)
    page.plan_filter.setCurrentIndex(page.plan_filter.findData("all"))
    assert set(names(page.plans_table, 0)) == {"张三", "李四", "王五"}  # several plans per decision
    page.search_edit.setFocus()
    page.search_edit.setText("王五")
    qtbot.keyClick(page.search_edit, Qt.Key_Down)
    assert set(names(page.plans_table, 0)) == {"王五"} and page.plans_table.hasFocus()
    assert page.plans_table.selectionModel().selectedRows()[0].row() == 0
    page.search_edit.setText("没有这个人")
    page.search_edit.flush()
    assert names(page.plans_table, 0) == [] and page.plan_count_label.text() == "共 0 项"
