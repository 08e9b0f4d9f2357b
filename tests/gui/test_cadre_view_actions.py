"""The cadre's page offers the actions for that person: 登记处理处分 / 回访 / 表彰奖励 / 期满考核 with the person
already chosen (the visit on the person's next open plan); Enter on a record opens it."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.context import AppContext
from gui.pages.cadre_view import CadreView
from models.derived.visit_plans import sync_plans_for_cadre
from models.derived.restrictions import recompute_cadre
from models.entities import Handling
from tests.handling_helpers import add_cadre, add_unit

TODAY = date(2024, 4, 10)


@pytest.fixture(autouse=True)
def quiet(monkeypatch):
    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.Yes))


@pytest.fixture
def view(qtbot, db, officer):
    with db.session() as s:
        cadre = add_cadre(s, "王堃", add_unit(s, "区发展和改革局"))
        s.add(Handling(cadre_id=cadre.id, regime="gov", kind="demerit", effective_on=date(2024, 3, 15),
                       doc_number="某监〔2024〕5号"))
        s.flush()
        recompute_cadre(s, cadre.id)
        sync_plans_for_cadre(s, cadre.id, TODAY)
        cid = cadre.id
    v = CadreView(AppContext(db, officer, today_fn=lambda: TODAY), cid)
    qtbot.addWidget(v)
    v.show()
    return v


def _seen_in_modal(button, read):
    seen = {}

    def act():
        w = QApplication.activeModalWidget()
        if w is None or w is button.window():
            QTimer.singleShot(20, act)
            return
        seen.update(read(w))
        w.done(0)

    QTimer.singleShot(0, act)
    button.click()
    return seen


def test_actions_start_with_the_person_chosen(view):
    cid = view.cadre_id
    seen = _seen_in_modal(view.handling_button, lambda d: {"cadre": d.cadre_id})
    assert seen == {"cadre": cid}
    seen = _seen_in_modal(view.commendation_button, lambda d: {"cadre": d.picker.cadre_id()})
    assert seen == {"cadre": cid}
    seen = _seen_in_modal(view.visit_button, lambda d: {"cadre": d.picker.cadre_id(), "plan": d.plan_combo.currentData()})
    assert seen["cadre"] == cid and seen["plan"] is not None  # the person's next open plan
    seen = _seen_in_modal(view.assessment_button, lambda d: {"cadre": d.cadre_id})
    assert seen == {"cadre": cid}
