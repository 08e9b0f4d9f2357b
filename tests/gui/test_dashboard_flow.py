"""工作台 lists: only the action that fits the list, Enter opens the person, the whole list to Excel; an empty
database says what to do first."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui.context import AppContext
from gui.pages.dashboard_page import DashboardPage
from models.services.handling import register as handling_register
from tests.handling_helpers import add_cadre, add_unit

OFF = date(2024, 7, 10)  # gov.warning decided 2024-01-10


@pytest.fixture(autouse=True)
def quiet(monkeypatch):
    shown = []
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    return shown


@pytest.fixture
def cadre_id(db, officer):
    with db.session() as s:
        city = add_unit(s, "江岸区")
        cid = add_cadre(s, "钱七", add_unit(s, "区财政局", city)).id
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(
            cadre_id=cid, regime="gov", kind="warning", decided_on=date(2024, 1, 10), doc_number="岸监〔2024〕1号"),
            date(2024, 1, 10))
    return cid


def _page(qtbot, db, actor, today):
    page = DashboardPage(AppContext(db, actor, today_fn=lambda: today))
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    return page


def _visible(page):
    return sorted(name for name, b in page.action_buttons.items() if b.isVisible())


def test_each_list_offers_only_its_action_and_enter_opens_the_person(qtbot, db, officer, cadre_id):
    page = _page(qtbot, db, officer, date(2024, 7, 1))
    page.open_list("coming_off_30")
    assert _visible(page) == ["check"] and not page.assess_button.isVisible()
    page.table.selectRow(0)
    assert "岸监〔2024〕1号" in page.model.row_at(0).detail  # which decision is expiring
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_Return)
    assert page.last_opened is not None and page.last_opened.cadre_id == cadre_id
    page.last_opened.close()
    later = _page(qtbot, db, officer, OFF)
    later.open_list("awaiting_assessment")
    later.table.selectRow(0)
    assert _visible(later) == ["assess"] and later.assess_button.isEnabled()
    later.open_list("visits_due")
    assert _visible(later) == ["visit"]
    later.open_list("tasks_open")
    assert _visible(later) == ["complete"]


def test_export_writes_the_whole_list_with_full_unit_paths(qtbot, db, officer, cadre_id, tmp_path, monkeypatch):
    page = _page(qtbot, db, officer, date(2024, 7, 1))
    page.open_list("coming_off_30")
    out = tmp_path / "名单.xlsx"
    monkeypatch.setattr("gui.file_dialogs.save_file_name", lambda *a, **k: str(out))
    page.export_button.click()
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "30天内影响期满（2024-07-01）"
    assert [c.value for c in ws[3]][1:3] == ["钱七", "江岸区财政局"] and "岸监〔2024〕1号" in ws["E3"].value


def test_an_empty_database_says_what_to_do_first(qtbot, db, officer):
    page = _page(qtbot, db, officer, date(2024, 7, 1))
    assert page.start_box.isVisible() and "还没有干部" in page.start_label.text()
    assert page.start_unit_button.isEnabled() and page.start_cadre_button.isEnabled()
    with db.session() as s:
        add_cadre(s, "赵一")
    page.refresh()
    assert not page.start_box.isVisible()
