"""Masks that cannot be undone from what the same screen shows: for a role without "see_id_number" the last
4 digits of the ID number and the birth year only, in the list, on the cadre's page and in the edit form; and
LIKE patterns escaped, so that % and _ typed by a user are literal."""
from __future__ import annotations

from datetime import date

from models.entities import Cadre, Handling
from models.reference import id_number as idn
from models.services.cadres import editing, profile, search
from models.services.handling import register
from tests.handling_helpers import add_cadre

NUMBER = idn.generate(date(1975, 3, 15), "男", region="320102", seq=7)


def _cadre(db) -> int:
    with db.session() as s:
        c = Cadre(name="周卫国", id_number=NUMBER, gender="男", birth_date=date(1975, 3, 15), native_place="江苏南京",
                  birthplace="江苏南京")
        s.add(c)
        s.flush()
        return c.id


def _texts(values) -> str:
    return " ".join(str(v) for v in values if v is not None)


def test_the_mask_keeps_the_last_four_only():
    assert idn.mask(NUMBER) == "*" * 14 + NUMBER[-4:]
    assert NUMBER[:6] not in idn.mask(NUMBER) and "19750315" not in idn.mask(NUMBER)
    assert idn.birth_text(date(1975, 3, 15)) == "1975.03" and idn.birth_text(None, 1975) == "1975年"


def test_a_viewer_list_row_holds_neither_region_nor_birth_date(db, viewer, officer):
    cid = _cadre(db)
    with db.session() as s:
        mine = [r for r in search.search(s, viewer) if r.id == cid][0]
        full = [r for r in search.search(s, officer) if r.id == cid][0]
    assert full.id_number == NUMBER and full.birth_date == date(1975, 3, 15)
    assert mine.id_number == idn.mask(NUMBER) and mine.birth_date is None and mine.birth_year == 1975
    shown = _texts(vars(mine).values())
    for secret in ("320102", "19750315", "0315", "1975-03", "1975.03"):
        assert secret not in shown, secret


def test_a_viewer_page_and_form_show_the_year_only(db, viewer):
    cid = _cadre(db)
    with db.session() as s:
        form = editing.form_values(s, viewer, cid)
        page = profile.detail(s, viewer, cid, today=date(2026, 1, 1))
    for values in (form, page.values):
        assert values["id_number"] == idn.mask(NUMBER) and values["birth_date"] is None and values["birth_year"] == 1975
        assert "19750315" not in _texts(values.values()) and "320102" not in _texts(values.values())


def test_the_cadre_page_shows_the_year_for_a_viewer(qtbot, db, viewer):
    from gui.context import AppContext
    from gui.pages.cadre_view import CadreView

    cid = _cadre(db)
    view = CadreView(AppContext(db, viewer), cid)
    qtbot.addWidget(view)
    texts = " ".join(w.text() for w in view.findChildren(__import__("PySide6.QtWidgets", fromlist=["QLabel"]).QLabel))
    assert "1975年" in texts and "1975.03" not in texts and NUMBER not in texts and "320102" not in texts


def test_percent_and_underscore_are_literal_in_the_handling_search(db, officer):
    with db.session() as s:
        a, b = add_cadre(s, "张三"), add_cadre(s, "李四")
        s.add(Handling(cadre_id=a.id, regime="gov", kind="warning", effective_on=date(2024, 3, 1), doc_number="纪〔2024〕3号"))
        s.add(Handling(cadre_id=b.id, regime="gov", kind="warning", effective_on=date(2024, 3, 1), doc_number="纪_2024_%"))
        s.flush()
        assert {r.cadre_name for r in register.list_handlings(s, officer, register.HandlingFilter(text="%"))} == {"李四"}
        assert {r.cadre_name for r in register.list_handlings(s, officer, register.HandlingFilter(text="_"))} == {"李四"}
        assert register.list_handlings(s, officer, register.HandlingFilter(text="张%")) == []
        assert [c.name for c in register.find_cadres(s, officer, "%")] == []


def test_percent_is_literal_in_the_accusation_search(db, officer):
    from models.services import accusations
    from tests.models.accusation_helpers import make_accusation, make_cadre

    with db.session() as s:
        cid = make_cadre(s, "王五")
        make_accusation(s, officer, [cid], "反映其在项目审批中收受财物")
        assert accusations.list_accusations(s, officer, text="%") == []
        assert accusations.list_accusations(s, officer, text="_") == []
        assert len(accusations.list_accusations(s, officer, text="项目")) == 1
