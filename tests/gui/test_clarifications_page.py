"""澄清正名 page: the selection survives every action — when an action moves the clarification to another status
the list follows it there; search by the person."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.context import AppContext
from gui.pages.clarifications_page import ClarificationsPage
from models.services import accusations as acc
from models.services import clarifications as clar
from tests.models.accusation_helpers import make_accusation, make_cadre
from tests.models.test_clarification_service import DETAILS

TODAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def messages(monkeypatch):
    shown: list[str] = []
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    return shown


def _setup(db, officer):
    ids = []
    with db.session() as s:
        for name in ("张建国", "李卫东"):
            cadre = make_cadre(s, name)
            a = make_accusation(s, officer, [cadre], f"反映{name}收受辖区企业购物卡，金额较大。",
                                received_on=date(2024, 3, 1))
            ids += acc.set_outcome(s, officer, a.id, "不属实", date(2024, 4, 1)).clarification_ids
        for cid in ids:
            clar.update_clarification(s, officer, cid, DETAILS)
    return ids


def _selected(page):
    return page.current_id()


def test_selection_follows_the_clarification_through_approval(qtbot, db, officer, messages):
    first, second = _setup(db, officer)
    page = ClarificationsPage(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(page)
    page.resize(1300, 600)
    page.show()
    assert page.status_combo.currentData() == "pending" and page.model.rowCount() == 2
    from gui.widgets.list_keys import select_id

    assert select_id(page.table, second)
    ok = page._run(lambda s: clar.approve(s, officer, second, "区纪委常委会", date(2024, 5, 2), today=TODAY), second)
    assert ok, messages
    # approved: no longer 待批准 — the list switched to 已批准 with the same clarification selected
    assert page.status_combo.currentData() == "approved" and _selected(page) == second
    assert "已转入" in page.notice_label.text()
    # an action that keeps the status keeps the selection in place
    page.status_combo.setCurrentIndex(page.status_combo.findData(None))
    assert select_id(page.table, first)
    page.refresh()
    assert _selected(page) == first


def test_search_by_person(qtbot, db, officer):
    _setup(db, officer)
    page = ClarificationsPage(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(page)
    page.search_edit.setText("李卫东")
    page.search_edit.flush()
    assert [page.model.row_at(r).cadre_name for r in range(page.model.rowCount())] == ["李卫东"]
