"""统计分析 page: the tables and charts of a period and unit; a number in a table or on a chart opens the list behind
it; the unit filter; export; the grassroots target in 设置 → 工作台与考核."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from openpyxl import load_workbook

from gui.context import AppContext
from gui.pages.statistics_page import StatisticsPage
from gui.settings.dashboard_section import DashboardSection
from models.core import settings_store
from models.entities import AuditEvent
from models.rules import rule_table as rt
from models.services.handling import register as hs
from tests.handling_helpers import add_cadre, add_unit

TODAY = date(2025, 6, 1)


@pytest.fixture
def ctx(db, admin, officer):
    with db.session() as s:
        city = add_unit(s, "某市")
        bureau = add_unit(s, "某局", city)
        other = add_unit(s, "另一局", city)
        a, b, c = add_cadre(s, "张三", bureau).id, add_cadre(s, "李四", bureau).id, add_cadre(s, "王五", other).id
    with db.session() as s:
        for cadre, regime, kind, on in ((a, "gov", "warning", date(2025, 1, 10)), (b, "gov", "demerit", date(2025, 2, 1)),
                                        (c, "party", "warning", date(2025, 3, 1))):
            hs.create_handling(s, officer, hs.HandlingInput(cadre_id=cadre, regime=regime, kind=kind, decided_on=on,
                                                             approved_on=on), TODAY)
    context = AppContext(db, admin, today_fn=lambda: TODAY)
    context.units = {"bureau": bureau.id, "other": other.id}
    return context


def cell(view, row: int, col: int):
    model = view.model()
    return model.data(model.index(row, col))


def click_cell(qtbot, view, row: int, col: int) -> None:
    rect = view.visualRect(view.model().index(row, col))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())


def test_page_shows_the_period_and_a_number_opens_its_list(qtbot, ctx):
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    assert page.stats is not None and page.stats.query.date_from == date(2025, 1, 1)
    by_year = page.tables["handling_by_year"]
    assert cell(by_year, 0, 0) == "2025年"
    gov = 1 + list(rt.REGIME_LABELS).index("gov")
    assert cell(by_year, 0, gov) == "2"
    assert "2025-01-01 至 2025-12-31" in page.summary_label.text()
    click_cell(qtbot, by_year, 0, gov)
    dialog = page.last_list
    assert dialog is not None and dialog.model.total == 2
    names = {dialog.model.row_at(r).name for r in range(dialog.model.rowCount())}
    assert names == {"张三", "李四"}
    assert "共 2 条" in dialog.findChild(type(page.summary_label), "statisticsListHead").text()
    dialog.close()


def test_a_bar_of_a_chart_opens_the_list_behind_its_number(qtbot, ctx):
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    chart = page.charts["handling_by_kind"]
    page.scroll.ensureWidgetVisible(chart)
    chart.grab()  # paints it: the clickable places are those of the last paint
    assert chart.hits, "the chart drew its bars"
    hit = chart.hits[0]
    table = page.stats.table("handling_by_kind")
    qtbot.mouseClick(chart, Qt.LeftButton, pos=QPoint(int(hit.rect.center().x()), int(hit.rect.center().y())))
    shown = [r for r in table.rows][hit.row]
    assert page.last_list is not None and page.last_list.model.total == shown.values[0]
    page.last_list.close()


def test_the_unit_filter_counts_a_unit_and_its_subunits(qtbot, ctx):
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(ctx.units["bureau"]))
    assert page.stats.unit_name == "某局"
    totals = page.tables["handling_by_year"]
    assert cell(totals, 0, totals.model().columnCount() - 1) == "2"
    page.unit_combo.setCurrentIndex(page.unit_combo.findData(ctx.units["other"]))
    totals = page.tables["handling_by_year"]
    assert cell(totals, 0, totals.model().columnCount() - 1) == "1"


def test_export_writes_numbers_and_is_audited(qtbot, ctx, db, tmp_path):
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    out = tmp_path / "统计.xlsx"
    assert page.export_to(str(out))
    ws = load_workbook(out)["处理处分"]
    values = [c.value for r in ws.iter_rows() for c in r]
    assert 3 in values and "处理处分·按年度和类别" in values
    with db.session() as s:
        assert s.query(AuditEvent).filter_by(action="export", entity="statistics").count() == 1


def test_a_bad_period_is_refused_in_chinese(qtbot, ctx, monkeypatch):
    shown = []
    monkeypatch.setattr("gui.pages.statistics_page.show_error", lambda _w, exc, *a: shown.append(str(exc)))
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.from_edit.set_value(date(2025, 12, 31))
    page.to_edit.set_value(date(2025, 1, 1))
    assert not page.compute()
    assert shown and "晚于结束日期" in shown[-1]


def test_the_grassroots_target_is_a_setting(qtbot, ctx, db, monkeypatch):
    monkeypatch.setattr("gui.settings.dashboard_section.QMessageBox.information", lambda *a: None)
    section = DashboardSection(ctx)
    qtbot.addWidget(section)
    assert section.target_spin.value() == 50
    section.target_spin.setValue(65)
    qtbot.mouseClick(section.save_button, Qt.LeftButton)
    with db.session() as s:
        assert settings_store.get(s, "statistics.grassroots_target") == 65
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.stats.table("grassroots_share").target == 0.65
    assert page.charts["grassroots_share"].target == pytest.approx(65.0)


def test_four_forms_chart_leaves_out_the_uncounted_form_and_a_breakdown_row_opens_its_list(qtbot, ctx, db, officer):
    with db.session() as s:
        cadre = add_cadre(s, "赵六", add_unit(s, "又一局")).id
    with db.session() as s:
        hs.create_handling(s, officer, hs.HandlingInput(cadre_id=cadre, regime="admonish", kind="admonishment",
                                                         decided_on=date(2025, 4, 1), approved_on=date(2025, 4, 1)),
                           TODAY)
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    chart = page.charts["four_forms"]
    assert chart.labels == ["第一种形态", "第二种形态", "第三种形态"]  # not 第四种形态 (not recorded) nor 其中…
    view = page.tables["four_forms"]
    labels = [cell(view, r, 0) for r in range(view.model().rowCount())]
    assert labels[:4] == ["第一种形态", "其中：诫勉", "其中：函询", "　其中：函询后谈话提醒"]
    assert cell(view, 1, 1) == "1" and cell(view, 3, 1) == "0"
    assert cell(view, labels.index("第四种形态"), 1) == "—"
    click_cell(qtbot, view, 1, 1)
    assert page.last_list is not None and page.last_list.model.total == 1
    assert page.last_list.model.row_at(0).name == "赵六"
    page.last_list.close()
