"""Keyboard: Ctrl+F finds, Ctrl+N makes a new record on the current page, Ctrl+S saves a dialog, Ctrl+P prints;
window size, splitter and column widths come back at the next start."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from gui.dialogs.cadre import CadreDialog
from gui.context import AppContext
from gui.main_window import MainWindow
from gui.dialogs.roster import RosterDialog
from gui.widgets.window_state import settings_file
from models.services.cadres import editing as cadre_editing
from models.services import units as unit_service
from models.reference import id_number
from models.entities import Cadre

TODAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def _fresh_window_state():
    settings_file().unlink(missing_ok=True)
    yield
    settings_file().unlink(missing_ok=True)


@pytest.fixture
def ctx(db, officer):
    with db.session() as s:
        unit = unit_service.ensure_unit(s, officer, "某某市/组织部")
        cadre_editing.create_cadre(s, officer, {"name": "张三", "id_number": id_number.make_id_number("420102", date(1975, 3, 15), 1, "男"),
                                     "unit_id": unit}, today=TODAY)
    return AppContext(db, officer, today_fn=lambda: TODAY)


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


def _press(qtbot, widget, key, modifier=Qt.ControlModifier):
    qtbot.keyClick(widget, key, modifier)


def test_ctrl_f_goes_to_the_cadre_search_from_anywhere(qtbot, ctx):
    window = _window(qtbot, ctx)
    assert window.current_page_name() == "dashboard"
    window.nav.setFocus()
    _press(qtbot, window.nav, Qt.Key_F)
    cadres = window.pages["cadres"]
    assert window.current_page_name() == "cadres"
    assert cadres.search_edit.hasFocus()
    # inside the page too: the page's own Ctrl+F shortcut does not make the key ambiguous
    cadres.table.setFocus()
    qtbot.waitUntil(cadres.table.hasFocus, timeout=2000)
    _press(qtbot, cadres.table, Qt.Key_F)
    assert cadres.search_edit.hasFocus()
    # a page with its own search box keeps the search there
    window.show_page("handling")
    handling = window.pages["handling"]
    handling.table.setFocus()
    _press(qtbot, handling.table, Qt.Key_F)
    assert window.current_page_name() == "handling" and handling.search_edit.hasFocus()


def test_ctrl_n_opens_the_new_record_dialog_and_ctrl_s_saves_it(qtbot, ctx, db):
    window = _window(qtbot, ctx)
    window.show_page("cadres")
    seen = []

    def fill_and_save():
        dialog = QApplication.activeModalWidget()
        seen.append((type(dialog), dialog.windowTitle()))
        dialog.inputs["name"].setText("李四")
        dialog.inputs["id_number"].setText(id_number.make_id_number("420102", date(1980, 1, 2), 3, "男"))
        dialog.inputs["name"].setFocus()
        _press(qtbot, dialog.inputs["name"], Qt.Key_S)  # Ctrl+S presses 保存

    QTimer.singleShot(0, fill_and_save)
    _press(qtbot, window.pages["cadres"].table, Qt.Key_N)
    assert seen == [(CadreDialog, "新增干部")]
    with db.session() as s:
        assert s.query(Cadre).filter_by(name="李四").count() == 1
    opened = window.pages["cadres"].last_opened  # the new cadre's page opens after saving
    qtbot.addWidget(opened)
    assert opened is not None and "李四" in opened.windowTitle()


def test_ctrl_s_in_a_dialog_with_errors_keeps_it_open(qtbot, ctx, db):
    window = _window(qtbot, ctx)
    window.show_page("cadres")
    results = []

    def save_empty():
        dialog = QApplication.activeModalWidget()
        dialog.inputs["name"].setFocus()
        _press(qtbot, dialog.inputs["name"], Qt.Key_S)
        results.append((dialog.isVisible(), dialog.errors["name"].isVisible()))
        dialog.reject()

    QTimer.singleShot(0, save_empty)
    window.new_action.trigger()
    assert results == [(True, True)]  # saved nothing, said what is missing beside the field
    with db.session() as s:
        assert s.query(Cadre).count() == 1


def test_ctrl_p_on_the_dashboard_opens_the_roster_and_a_note_where_nothing_prints(qtbot, ctx):
    window = _window(qtbot, ctx)
    seen = []

    def close():
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog))
        dialog.reject()

    QTimer.singleShot(0, close)
    _press(qtbot, window.nav, Qt.Key_P)
    assert seen == [RosterDialog]
    window.show_page("cadres")
    assert window.trigger_page_action("print") is False
    assert "本页没有可打印的内容" in window.statusBar().currentMessage()


def test_size_splitter_and_column_widths_come_back(qtbot, ctx):
    window = _window(qtbot, ctx)
    assert window.restored is False  # nothing kept yet: the defaults
    window.resize(761, 555)  # the offscreen screen is 800 × 600; restoreGeometry keeps a window on its screen
    window.splitter.setSizes([210, 540])
    window.show_page("cadres")
    table = window.pages["cadres"].table
    table.setColumnWidth(0, 155)
    window.close()
    assert settings_file().exists()

    again = _window(qtbot, ctx)
    assert again.restored is True
    assert (again.width(), again.height()) == (761, 555)
    assert again.splitter.sizes()[0] == 210
    assert again.pages["cadres"].table.columnWidth(0) == 155
    assert again.current_page_name() == "dashboard"  # the day starts on the 工作台


def test_alt_digits_and_tab_reach_every_page_without_the_mouse(qtbot, ctx):
    window = _window(qtbot, ctx)
    _press(qtbot, window.nav, Qt.Key_4, Qt.AltModifier)
    assert window.current_page_name() == "handling"
    _press(qtbot, window.nav, Qt.Key_PageDown)
    assert window.current_page_name() == "visits"
    window.show_page("cadres")
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key_Tab)  # from the navigation straight into the page's search box
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    assert QApplication.focusWidget() is window.pages["cadres"].search_edit


def test_tab_follows_the_screen_on_the_dashboard(qtbot, ctx):
    from gui.pages.dashboard_page import DashTile

    window = _window(qtbot, ctx)
    dash = window.pages["dashboard"]
    dash.roster_button.setFocus()
    order = []
    for _ in range(len(dash.tiles) + 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        order.append(QApplication.focusWidget())
    # the tiles (built after the list below them) come first, left to right, then the list
    assert order[:-1] == list(dash.tiles.values()) and all(isinstance(t, DashTile) for t in order[:-1])
    assert order[-1] is dash.table


def test_column_widths_of_a_page_that_fits_its_columns_survive_restart_and_refresh(qtbot, ctx, db):
    from models.derived import visit_plans
    from models.derived.restrictions import recompute_cadre
    from models.entities import Handling

    with db.session() as s:  # a decision with visit plans, so that the plans table has rows to fit to
        cadre_id = s.query(Cadre).one().id
        s.add(Handling(cadre_id=cadre_id, regime="gov", kind="demerit", effective_on=date(2024, 5, 25)))  # 首次谈话 due
        s.flush()
        recompute_cadre(s, cadre_id)
        visit_plans.sync_plans_for_cadre(s, cadre_id, TODAY)
    window = _window(qtbot, ctx)
    window.show_page("visits")
    plans = window.pages["visits"].plans_table
    plans.setColumnWidth(0, 177)
    window.close()

    again = _window(qtbot, ctx)
    again.show_page("visits")
    page = again.pages["visits"]
    qtbot.waitUntil(lambda: not page.sync_pending, timeout=10000)
    assert page.plan_model.rowCount() > 0
    assert page.plans_table.columnWidth(0) == 177  # restored, not fitted over
    ctx.notify("visit")  # a change elsewhere reloads the lists …
    qtbot.waitUntil(lambda: not page.sync_pending, timeout=10000)
    assert page.plans_table.columnWidth(0) == 177  # … and keeps the user's width
