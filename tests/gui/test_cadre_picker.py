"""The one cadre picker: it never chooses among several matches by itself; namesakes can be told apart."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from gui.context import AppContext
from gui.widgets.cadre_picker import CadrePicker
from tests.handling_helpers import add_cadre, add_unit


@pytest.fixture
def people(db):
    with db.session() as s:
        district = add_unit(s, "某区")
        finance = add_unit(s, "财政局", district)
        county = add_unit(s, "某县")
        finance2 = add_unit(s, "财政局", county)
        ids = [add_cadre(s, "李海平", finance, initials="lhp").id, add_cadre(s, "刘和平", finance2, initials="lhp").id,
               add_cadre(s, "卢红萍", finance, initials="lhp").id, add_cadre(s, "王小明", county, initials="wxm").id]
    return ids


def _picker(qtbot, db, actor):
    picker = CadrePicker(AppContext(db, actor, today_fn=lambda: date(2025, 3, 1)))
    qtbot.addWidget(picker)
    picked = []
    picker.cadre_picked.connect(lambda i, n: picked.append((i, n)))
    picker.show()
    return picker, picked


def test_three_matches_wait_for_the_user(qtbot, db, officer, people):
    picker, picked = _picker(qtbot, db, officer)
    picker.search_edit.setText("lhp")
    qtbot.keyClick(picker.search_edit, Qt.Key_Return)
    assert picker.results.count() == 3 and picker.cadre_id() is None and picked == []
    assert "找到3人" in picker.hint_label.text()
    assert picker.results.hasFocus() or picker.results.currentRow() == 0
    # the two 财政局 are told apart by their full path
    texts = [picker.results.item(i).text() for i in range(3)]
    assert any("某县/财政局" in t for t in texts) and any("某区/财政局" in t for t in texts)
    picker.results.setCurrentRow(1)
    qtbot.keyClick(picker.results, Qt.Key_Return)
    chosen = picker.results.item(1).data(Qt.UserRole)
    assert picker.cadre_id() == chosen[0] and picked == [chosen]
    assert chosen[1] in picker.chosen_label.text()


def test_unique_match_needs_a_confirmation_unless_exact(qtbot, db, officer, people):
    picker, picked = _picker(qtbot, db, officer)
    picker.search_edit.setText("wxm")
    qtbot.keyClick(picker.search_edit, Qt.Key_Return)
    assert picker.cadre_id() is None and picker.results.count() == 1  # initials are a guess: confirm
    qtbot.keyClick(picker.results, Qt.Key_Return)
    assert picker.cadre_id() == people[3]
    picker.clear()
    picker.search_edit.setText("王小明")  # the whole name of one person: taken at once
    qtbot.keyClick(picker.search_edit, Qt.Key_Return)
    assert picker.cadre_id() == people[3] and picked[-1] == (people[3], "王小明")


def test_down_reaches_the_results_and_no_match_says_so(qtbot, db, officer, people):
    picker, _ = _picker(qtbot, db, officer)
    picker.search_edit.setText("lhp")
    qtbot.keyClick(picker.search_edit, Qt.Key_Down)
    assert picker.results.currentRow() == 0 and picker.cadre_id() is None
    picker.search_edit.setText("zzz")
    picker.run_search()
    assert picker.results.count() == 0 and "没有找到" in picker.hint_label.text()


def test_id_number_shown_as_the_role_may_see_it(qtbot, db, officer, viewer, people):
    for actor, masked in ((officer, False), (viewer, True)):
        picker, _ = _picker(qtbot, db, actor)
        picker.search_edit.setText("王小明")
        picker.run_search()
        line = picker.results.item(0).text()
        assert ("********" in line) == masked
