"""单位 page and the unit field: an empty database offers 新建单位 in the cadre form; the page creates, renames
(history shown), merges; two units of one name are shown by their paths."""
from __future__ import annotations

import functools
from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.context import AppContext
from gui.pages.units_page import UnitsPage
from gui.dialogs.unit import new_unit
from gui.widgets.unit_field import UnitField
from models.entities import Cadre, Unit
from models.services import units as us
from tests.handling_helpers import add_cadre

TODAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def quiet(monkeypatch):
    shown = []
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    return shown


def _in_modal(qtbot, fn):
    done = []

    def act():
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(20, act)
            return
        fn(w)
        done.append(True)

    QTimer.singleShot(0, act)
    return done


def test_empty_database_unit_field_creates_the_first_unit(qtbot, db, officer):
    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    field = UnitField(ctx, create=functools.partial(new_unit, ctx))
    qtbot.addWidget(field)
    assert field.combo.count() == 1 and "还没有单位" in field.combo.itemText(0) and field.new_button.isVisible() is False
    field.show()
    assert field.new_button.isVisible()

    def fill(d):
        d.name_edit.setText("江岸区")
        d.buttons.accepted.emit()

    done = _in_modal(qtbot, fill)
    field.new_button.click()
    assert done and field.text() == "江岸区" and field.value() is not None
    with db.session() as s:
        assert s.get(Unit, field.value()).name == "江岸区"


def test_page_shows_paths_renames_with_history_and_merges(qtbot, db, officer):
    with db.session() as s:
        a = us.create_unit(s, officer, "江岸区")
        h = us.create_unit(s, officer, "汉阳区")
        fa = us.create_unit(s, officer, "区财政局", a)
        fh = us.create_unit(s, officer, "区财政局", h)
        add_cadre(s, "张三", s.get(Unit, fa))
    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    page = UnitsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    assert page.items[fa].toolTip(0) == "江岸区/区财政局" and page.items[fa].text(1) == "1"
    page.search_edit.setText("汉阳")
    page.search_edit.flush()
    assert page.items[fa].isHidden() and not page.items[fh].isHidden()
    page.search_edit.setText("")
    page.search_edit.flush()
    page.select_unit(fa)

    def rename(d):
        d.name_edit.setText("区财政局（区国资局）")
        d.date_edit.setText("2024-03-01")
        d.reason_edit.setText("机构改革")
        d.buttons.accepted.emit()

    done = _in_modal(qtbot, rename)
    page.rename_button.click()
    assert done and page.current_id() == fa
    assert page.history_list.item(page.history_list.count() - 1).text() == \
        "2024-03-01 由“区财政局”更名为“区财政局（区国资局）”：机构改革"

    def merge(d):
        d.target.set_value(fh)
        d.reason_edit.setText("两局合并")
        d.buttons.accepted.emit()

    done = _in_modal(qtbot, merge)
    page.merge_button.click()
    assert done and fa not in page.items and page.current_id() == fh and page.items[fh].text(1) == "1"
    with db.session() as s:
        assert s.query(Cadre).one().unit_id == fh


def test_enter_on_a_unit_lists_its_cadres(qtbot, db, officer):
    from gui.main_window import MainWindow

    with db.session() as s:
        a = us.create_unit(s, officer, "江岸区")
        fa = us.create_unit(s, officer, "区财政局", a)
        add_cadre(s, "张三", s.get(Unit, fa))
        add_cadre(s, "李四")
    window = MainWindow(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(window)
    window.show()
    window.show_page("units")
    page = window.pages["units"]
    page.select_unit(a)
    page.tree.setFocus()
    from PySide6.QtCore import Qt

    qtbot.keyClick(page.tree, Qt.Key_Return)
    cadres = window.pages["cadres"]
    assert window.current_page_name() == "cadres" and cadres.unit_combo.currentData() == a
    assert [cadres.model.index(r, 0).data() for r in range(cadres.model.rowCount())] == ["张三"]  # with sub-units


def test_a_unit_shows_its_own_cadres_and_those_of_its_sub_units(qtbot, db, officer):
    with db.session() as s:
        a = us.create_unit(s, officer, "江岸区")
        fa = us.create_unit(s, officer, "区财政局", a)
        budget = us.create_unit(s, officer, "预算科", fa)
        add_cadre(s, "张三", s.get(Unit, a))
        add_cadre(s, "李四", s.get(Unit, fa))
        for name in ("王五", "赵六"):
            add_cadre(s, name, s.get(Unit, budget))
        withdrawn = add_cadre(s, "钱七", s.get(Unit, budget))
        withdrawn.withdrawn_at = withdrawn.created_at  # a withdrawn cadre is counted nowhere
    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    page = UnitsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 700)
    page.show()
    assert [page.tree.headerItem().text(i) for i in range(4)] == ["单位", "本单位干部", "含下级单位", "基层"]
    assert [(page.items[u].text(1), page.items[u].text(2)) for u in (a, fa, budget)] == \
        [("1", "4"), ("1", "3"), ("2", "2")]
    page.select_unit(fa)
    assert page.path_label.text() == "江岸区/区财政局\n干部：本单位 1 人，含下级单位共 3 人"
    page.select_unit(budget)
    assert page.path_label.text() == "江岸区/区财政局/预算科\n干部 2 人"
    assert "4 名干部" in page.count_label.text()


def test_the_cadre_form_offers_a_new_unit_and_the_unit_dialog_does_not(qtbot, db, officer):
    """The cadre form's unit field has 新建单位… (an empty database must not be a dead end); the unit dialog's own
    parent field has none (a unit is not created from inside the creation of another)."""
    from gui.dialogs.cadre import CadreDialog
    from gui.dialogs.unit import UnitDialog

    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    form = CadreDialog(ctx)
    qtbot.addWidget(form)
    form.show()
    (field,) = form.findChildren(UnitField)
    assert field.new_button.isVisible()
    dialog = UnitDialog(ctx, "create")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.target.new_button.isVisible()
