"""The cadre page's 时间线: bars from the stored restrictions, marks for decisions and reviews, today, the sentence of
where the person stands; a double click on a bar names its decision."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from gui.context import AppContext
from gui.pages.cadre_view import CadreView
from gui.widgets.timeline import TimelineWidget, summary_text
from models.core.actor import Actor
from models.core.errors import PermissionDenied
from models.entities import Restriction
from models.services import timeline as tl
from models.services.handling import register as hs
from models.services.handling import reviews
from tests.handling_helpers import add_cadre, add_unit

TODAY = date(2025, 6, 1)


@pytest.fixture
def person(db, officer):
    with db.session() as s:
        cadre = add_cadre(s, "张三", add_unit(s, "某局")).id
    with db.session() as s:
        demerit = hs.create_handling(s, officer, hs.HandlingInput(cadre_id=cadre, regime="gov", kind="demerit",
                                                                  decided_on=date(2025, 1, 10), doc_number="某监〔2025〕3号"),
                                     TODAY).id
        warning = hs.create_handling(s, officer, hs.HandlingInput(cadre_id=cadre, regime="party", kind="warning",
                                                                  approved_on=date(2023, 3, 1)), TODAY).id
        reviews.add_review(s, officer, warning, track="申诉", decided_on=date(2023, 6, 1), outcome="revoked", today=TODAY)
    return cadre, demerit, warning


def test_the_timeline_is_the_stored_restrictions_with_the_events(db, admin, person):
    cadre, demerit, warning = person
    with db.session() as s:
        t = tl.person_timeline(s, admin, cadre, TODAY)
        stored = s.query(Restriction).filter_by(cadre_id=cadre).all()
    assert sorted((b.kind, b.start, b.end) for b in t.bars) == sorted((r.kind, r.start, r.off_date) for r in stored)
    assert {b.handling_id for b in t.bars} == {demerit}  # the revoked warning has no restriction left
    assert all(b.running(TODAY) for b in t.bars) and t.bars[0].end == date(2026, 1, 10)
    kinds = [(m.kind, m.handling_id) for m in t.marks]
    assert (tl.DECISION, demerit) in kinds and (tl.DECISION, warning) in kinds and (tl.REVIEW, warning) in kinds
    review = next(m for m in t.marks if m.kind == tl.REVIEW)
    assert "申诉：撤销原决定" in review.text
    assert "今天仍在限制期内，还有 223 天" in t.bars[0].text(TODAY)
    sentence = summary_text(t)
    assert sentence.startswith("今天（2025-06-01）仍有") and "2026-01-10 结束" in sentence
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            tl.person_timeline(s, Actor("x", "guest"), cadre, TODAY)


def test_the_widget_draws_bars_marks_and_today_and_names_the_decision(qtbot, db, admin, person):
    cadre, demerit, warning = person
    with db.session() as s:
        t = tl.person_timeline(s, admin, cadre, TODAY)
    w = TimelineWidget()
    qtbot.addWidget(w)
    w.resize(900, 200)
    w.set_timeline(t)
    w.grab()
    labels = [label for label, _hid in w.rows]
    assert labels[:len(t.bars)] == [f"政务记过：{b.what}" for b in t.bars]
    assert "党内警告（已撤销，无限制期）" in labels
    tips = [text for _r, text, _h in w.places]
    assert any("不得提拔/晋升（政务记过（某监〔2025〕3号））" in tip for tip in tips)
    assert any("申诉：撤销原决定" in tip for tip in tips)
    rect = next(r for r, text, hid in w.places if hid == demerit and "不得提拔" in text)
    with qtbot.waitSignal(w.handling_clicked) as got:
        qtbot.mouseDClick(w, Qt.LeftButton, pos=QPoint(int(rect.center().x()), int(rect.center().y())))
    assert got.args == [demerit]


def test_the_cadre_page_has_the_timeline_tab(qtbot, db, admin, person):
    cadre, _demerit, _warning = person
    view = CadreView(AppContext(db, admin, today_fn=lambda: TODAY), cadre)
    qtbot.addWidget(view)
    tabs = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "时间线" in tabs
    assert view.timeline_tab.summary.text().startswith("今天（2025-06-01）仍有")
    assert "2025-01-10 起至 2026-01-09" in view.timeline_tab.details.text()
