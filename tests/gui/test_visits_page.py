"""回访教育 page: record a visit through the dialog and see the plan and the 工作台 change; refusals in the
dialog; withdraw; print preview; register export; the 回访规则 settings section."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from gui.context import AppContext
from gui.pages.visits_page import PlanTableModel, VisitsPage
from models.derived import visit_plans
from models.services.visits import records as visit_records
from models.services.visits import settings as visit_settings
from models.derived.restrictions import recompute_cadre
from models.entities import Handling, Visit, VisitPlan
from tests.handling_helpers import add_cadre, add_unit

TODAY = date(2024, 4, 10)


@pytest.fixture
def ctx(db, officer):
    with db.session() as s:
        unit = add_unit(s, "某某区发展和改革局")
        cadre = add_cadre(s, "王堃", unit)
        h = Handling(cadre_id=cadre.id, regime="gov", kind="demerit", effective_on=date(2024, 3, 15),
                     doc_number="某监〔2024〕5号")
        s.add(h)
        s.flush()
        recompute_cadre(s, cadre.id)  # as the handling service does; plans are made by the page's background check
    return AppContext(db, officer, today_fn=lambda: TODAY)


def make_page(qtbot, ctx, wait: bool = True) -> VisitsPage:
    page = VisitsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    if wait:  # the plans are checked in the background; waiting lets the views also fetch what fits
        qtbot.waitUntil(lambda: not page.sync_pending, timeout=10000)
    return page


def cell(view, row, col) -> str:
    return view.model().index(row, col).data()


def fill_dialog(dialog, visitors=(("李喆", "区纪委第一纪检监察室主任"), ("赵〇明", "区委组织部干部科科长"))):
    dialog.date_edit.set_value(dialog.date_edit.value() - timedelta(days=3))
    dialog.place_edit.setText("区纪委谈话室")
    for n, (name, post) in enumerate(visitors):
        dialog.set_visitor(n, name, post)
    dialog.finding_edits["对错误的认识"].setPlainText("能正确认识错误，态度诚恳。")
    assert dialog.evaluation_combo.currentData() == ""  # nothing preselected: the officer chooses
    dialog.evaluation_combo.setCurrentIndex(dialog.evaluation_combo.findData("好"))


def test_record_a_visit_from_a_plan_changes_the_plan_and_the_dashboard(qtbot, ctx, db):
    dash = None
    try:
        from gui.pages.dashboard_page import DashboardPage

        dash = DashboardPage(ctx)
        qtbot.addWidget(dash)
    except ModuleNotFoundError:
        pass
    page = make_page(qtbot, ctx)
    if dash is not None:
        dash.refresh()  # the visits page made the plans; the 工作台 counts them
        assert dash.tiles["visits_due"].count_label.text() == "1"
    assert page.plan_count_label.text() == "共 1 项"
    assert cell(page.plans_table, 0, PlanTableModel.COL_NAME) == "王堃"
    assert cell(page.plans_table, 0, PlanTableModel.COL_PURPOSE) == "首次谈话"
    assert cell(page.plans_table, 0, PlanTableModel.COL_STATE) == "应回访"
    page.plans_table.selectRow(0)
    qtbot.mouseClick(page.record_plan_button, Qt.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.picker.cadre_name() == "王堃" and "记过" in dialog.handling_combo.currentText()
    assert "第1次 首次谈话" in dialog.plan_combo.currentText()
    fill_dialog(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert not dialog.isVisible() and dialog.error_label.text() == ""
    with db.session() as s:
        visit = s.query(Visit).one()
        assert visit.visited_on == date(2024, 4, 7) and visit.evaluation == "好"
        assert [v["name"] for v in visit.visitors] == ["李喆", "赵〇明"]
        assert visit.findings == {"对错误的认识": "能正确认识错误，态度诚恳。"}
        assert s.get(VisitPlan, visit.plan_id).status == "done"
    # the page refreshed on ctx.notify("visit"): no plan due any more, the visit is listed
    assert page.plan_count_label.text() == "共 0 项"
    page.plan_filter.setCurrentIndex(page.plan_filter.findData("all"))
    states = {cell(page.plans_table, r, PlanTableModel.COL_PURPOSE): cell(page.plans_table, r, PlanTableModel.COL_STATE)
              for r in range(page.plan_model.rowCount())}
    assert states["首次谈话"] == "已回访" and states["期满前回访"] == "未到期"
    assert cell(page.visits_table, 0, 1) == "王堃" and cell(page.visits_table, 0, 4) == "第1次"
    if dash is not None:
        assert dash.tiles["visits_due"].count_label.text() == "0"


def test_dialog_shows_refusals_and_stays_open(qtbot, ctx, db):
    page = make_page(qtbot, ctx)
    page.plans_table.selectRow(0)
    dialog = page.open_dialog(page.selected_plan())
    fill_dialog(dialog, visitors=(("李喆", "区纪委第一纪检监察室主任"),))
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert dialog.isVisible()
    assert "回访人至少 2 名（现有 1 名）" in dialog.error_label.text()
    dialog.date_edit.set_value(date(2024, 2, 7))  # before the decision (2024-03-15)
    assert dialog.error_label.isHidden()  # the message went when the form was changed
    dialog.set_visitor(1, "赵〇明", "区委组织部干部科科长")
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert "早于处分决定的日期 2024-03-15" in dialog.error_label.text()
    with db.session() as s:
        assert s.query(Visit).count() == 0


def test_new_visit_by_search_print_withdraw_and_export(qtbot, ctx, db, tmp_path, monkeypatch):
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.new_visit_button, Qt.LeftButton)
    dialog = page.dialog
    dialog.picker.search_edit.setText("王")
    qtbot.keyClick(dialog.picker.search_edit, Qt.Key_Return)
    assert dialog.picker.cadre_id() is None and dialog.picker.results.count() == 1  # a guess waits for Enter
    qtbot.keyClick(dialog.picker.results, Qt.Key_Return)
    assert dialog.picker.cadre_name() == "王堃" and dialog.handling_combo.count() == 1
    fill_dialog(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
    assert page.visit_model.rowCount() == 1
    page.visits_table.selectRow(0)
    qtbot.mouseClick(page.print_button, Qt.LeftButton)
    assert page.preview is not None and page.preview.page_count == 1  # the record fits one page
    assert "王堃" in page.preview.windowTitle() or "王堃" in page.preview.title
    page.preview.close()
    monkeypatch.setattr("gui.pages.visits_page.QMessageBox.information", lambda *a, **k: None)
    result = page.export_register(str(tmp_path / "登记.xlsx"))
    assert result is not None and result.rows == 1 and (tmp_path / "登记.xlsx").exists()
    row = page.selected_visit()
    assert page.withdraw(row, "录入重复，作废")
    assert page.visit_model.rowCount() == 0
    with db.session() as s:
        assert s.query(Visit).one().withdrawn_reason == "录入重复，作废"
        assert s.query(VisitPlan).filter_by(code="first").one().status == "planned"


def test_settings_section_saves_the_rule(qtbot, db, admin, monkeypatch):
    from gui.settings.visits_section import VisitsSection

    ctx = AppContext(db, admin, today_fn=lambda: TODAY)
    section = VisitsSection(ctx)
    qtbot.addWidget(section)
    assert section.spins["first_talk_days"].value() == 30
    rows = {section.kinds_table.item(r, 0).data(Qt.UserRole): r for r in range(section.kinds_table.rowCount())}
    assert section.kinds_table.item(rows["org.suspension"], 1).checkState() == Qt.Unchecked
    section.spins["first_talk_days"].setValue(20)
    section.kinds_table.item(rows["admonish.admonishment"], 1).setCheckState(Qt.Checked)
    section.evaluations_edit.setText("好、较好，一般、较差")
    done = []
    ctx.data_changed.connect(done.append)
    monkeypatch.setattr("gui.settings.visits_section.QMessageBox.information", lambda *a, **k: None)
    qtbot.mouseClick(section.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: done == ["settings"], timeout=10000)
    with db.session() as s:
        rule = visit_plans.load_rule(s)
        assert rule.first_talk_days == 20 and "admonish.admonishment" in rule.covered
        assert visit_settings.evaluations(s) == ["好", "较好", "一般", "较差"]


def test_lists_show_the_first_page_and_fetch_more_on_scroll(qtbot, ctx, db, officer, monkeypatch):
    monkeypatch.setattr("gui.widgets.row_table_model.PAGE_SIZE", 2)
    with db.session() as s:
        hid = s.query(Handling).one().id
        visit_plans.sync_plans_for_cadre(s, s.get(Handling, hid).cadre_id, TODAY)
        for day in (date(2024, 3, 20), date(2024, 4, 1), date(2024, 4, 8)):
            visit_records.record_visit(s, officer, visit_records.VisitInput(handling_id=hid, visited_on=day, form="走访", evaluation="好",
                                                      visitors=[{"name": "李喆", "post": "主任"},
                                                                {"name": "赵〇明", "post": "科长"}]), TODAY)
    page = make_page(qtbot, ctx, wait=False)  # the lists are loaded before any event runs
    page.tabs.setCurrentIndex(1)
    assert page.visit_count_label.text() == "共 3 条"
    assert page.visit_model.rowCount() == 2 and page.visit_model.canFetchMore()
    assert [cell(page.visits_table, r, 0) for r in range(2)] == ["2024-04-08", "2024-04-01"]
    page.visits_table.scrollToBottom()
    qtbot.waitUntil(lambda: page.visit_model.rowCount() == 3)
    assert cell(page.visits_table, 2, 0) == "2024-03-20" and not page.visit_model.canFetchMore()
    page.plan_filter.setCurrentIndex(page.plan_filter.findData("all"))
    assert page.plan_count_label.text() == "共 3 项" and page.plan_model.rowCount() == 2
    page.plan_model.fetchMore()
    assert page.plan_model.rowCount() == 3 and not page.plan_model.canFetchMore()
    assert [cell(page.plans_table, r, PlanTableModel.COL_PURPOSE) for r in range(3)] == ["首次谈话", "期中回访", "期满前回访"]
    qtbot.waitUntil(lambda: not page.sync_pending, timeout=10000)
