"""工作台 page: large tiles with counts, each opens its list; refreshes after every change; today = ctx.today()."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from gui.context import AppContext
from gui.pages.dashboard_page import DashboardPage
from gui.settings.dashboard_section import DashboardSection
from models.services.handling import register as handling_register
from models.entities import ExpiryAssessment
from tests.handling_helpers import add_cadre

OFF = date(2024, 7, 10)  # gov.warning decided 2024-01-10


@pytest.fixture
def cadre_id(db, officer):
    with db.session() as s:
        cid = add_cadre(s, "钱七").id
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cid, regime="gov", kind="warning",
                                                         decided_on=date(2024, 1, 10)), date(2024, 1, 10))
    return cid


def _page(qtbot, db, actor, today):
    ctx = AppContext(db, actor, today_fn=lambda: today)
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    return ctx, page


def test_tiles_follow_today(qtbot, db, officer, cadre_id):
    _ctx, last_day = _page(qtbot, db, officer, date(2024, 7, 9))
    assert last_day.tiles["coming_off_30"].text() == "1\n30天内影响期满"
    assert last_day.tiles["awaiting_assessment"].text() == "0\n期满待考核"
    _ctx, off_day = _page(qtbot, db, officer, OFF)
    assert off_day.tiles["coming_off_30"].text() == "0\n30天内影响期满"
    assert off_day.tiles["awaiting_assessment"].text() == "1\n期满待考核"
    assert off_day.today_label.text() == "今天是 2024-07-10"
    assert list(off_day.tiles) == ["coming_off_30", "coming_off_60", "coming_off_90", "awaiting_assessment",
                                   "visits_due", "visits_overdue", "inquiries_overdue", "clarifications_waiting",
                                   "recommended", "tasks_open"]


def test_assessment_from_the_list_clears_the_tile(qtbot, db, officer, cadre_id):
    ctx, page = _page(qtbot, db, officer, OFF)
    qtbot.mouseClick(page.tiles["awaiting_assessment"], Qt.LeftButton)
    assert page.tiles["awaiting_assessment"].isChecked()
    assert page.model.rowCount() == 1 and page.model.data(page.model.index(0, 3)) .startswith("今天期满，待期满考核：政务处分/公务员处分·警告")
    assert not page.assess_button.isEnabled()
    page.table.selectRow(0)
    assert page.assess_button.isEnabled()
    done = []

    def fill():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, fill)
            return
        dialog.item_edits["政治表现"].setPlainText("政治立场坚定")
        dialog.outcome_combo.setCurrentText("合格(正常使用)")
        dialog.recommendation_combo.setCurrentIndex(dialog.recommendation_combo.findData("进一步使用"))
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        done.append(dialog)

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(page.assess_button, Qt.LeftButton)
    assert done
    with db.session() as s:
        a = s.execute(select(ExpiryAssessment)).scalar_one()
        assert (a.cadre_id, a.assessed_on, a.outcome, a.recommendation) == (cadre_id, OFF, "合格(正常使用)", "进一步使用")
        assert a.items == {"政治表现": "政治立场坚定"}
    assert page.tiles["awaiting_assessment"].text() == "0\n期满待考核"
    assert page.model.rowCount() == 0


def test_settings_section_changes_lead_days_and_tiles(qtbot, db, admin, cadre_id, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    ctx, page = _page(qtbot, db, admin, date(2024, 6, 20))  # 20 days before the off date
    section = DashboardSection(ctx)
    qtbot.addWidget(section)
    assert section.lead_edit.text() == "30, 60, 90"
    section.lead_edit.setText("15，45")
    section.outcomes_edit.setPlainText("好\n一般\n差")
    qtbot.mouseClick(section.save_button, Qt.LeftButton)
    assert list(page.tiles)[:2] == ["coming_off_15", "coming_off_45"]
    assert page.tiles["coming_off_15"].text() == "0\n15天内影响期满"
    assert page.tiles["coming_off_45"].text() == "1\n45天内影响期满"
    from models.services import assessments as asv

    with db.session() as s:
        assert asv.outcomes(s) == ["好", "一般", "差"]
    section.lead_edit.setText("abc")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    qtbot.mouseClick(section.save_button, Qt.LeftButton)
    assert shown and "整数" in shown[0]


def test_roster_dialog_exports_xlsx(qtbot, db, officer, cadre_id, tmp_path):
    from openpyxl import load_workbook

    from gui.dialogs.roster import RosterDialog

    ctx = AppContext(db, officer, today_fn=lambda: date(2024, 9, 30))
    dialog = RosterDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.from_edit.text() == "2024-07-01" and dialog.to_edit.text() == "2024-09-30"
    qtbot.mouseClick(dialog.query_button, Qt.LeftButton)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == "钱七"
    assert dialog.table.item(0, 5).text() == "2024-07-10"
    assert "共 1 人" in dialog.count_label.text()
    assert dialog.export_to(str(tmp_path / "r.xlsx")) == 1
    ws = load_workbook(tmp_path / "r.xlsx").active
    assert ws.cell(row=3, column=2).value == "钱七"
    dialog.from_edit.setText("2024-07-11")
    qtbot.mouseClick(dialog.query_button, Qt.LeftButton)
    assert dialog.table.rowCount() == 0


def test_the_unit_column_fits_the_labels_of_the_first_list_shown(qtbot, db, officer):
    """Two units of one name are told apart by their parent ("江岸区/区发展和改革局"); at the table's default width
    the label was cut off. The first list opened fits the name, unit and date columns to what it shows."""
    from models.entities import Unit
    from models.services.units import create_unit

    with db.session() as s:
        for district in ("江岸区", "江汉区"):
            office = s.get(Unit, create_unit(s, officer, "区发展和改革局", create_unit(s, officer, district)))
            cid = add_cadre(s, "钱七" if district == "江岸区" else "孙八", unit=office).id
            handling_register.create_handling(s, officer, handling_register.HandlingInput(
                cadre_id=cid, regime="gov", kind="warning", decided_on=date(2024, 1, 10)), date(2024, 1, 10))
    _ctx, page = _page(qtbot, db, officer, OFF)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.mouseClick(page.tiles["awaiting_assessment"], Qt.LeftButton)
    labels = {page.model.data(page.model.index(r, page.model.COL_UNIT)) for r in range(page.model.rowCount())}
    assert labels == {"江岸区/区发展和改革局", "江汉区/区发展和改革局"}
    col = page.model.COL_UNIT
    qtbot.waitUntil(lambda: page.table.columnWidth(col) >= page.table.sizeHintForColumn(col))
    metrics = page.table.fontMetrics()
    assert page.table.columnWidth(col) > max(metrics.horizontalAdvance(t) for t in labels)


def test_a_later_list_with_longer_unit_labels_widens_the_column_and_a_shorter_one_keeps_it(qtbot, db, officer):
    """The columns are fitted to the first list; a list opened after it whose labels are longer widened nothing
    ("市医疗保障局/计划财务处" was cut off on the second list at 1366×768). Now it grows them, and never shrinks them."""
    from datetime import timedelta

    from models.entities import Commendation, Unit
    from models.services.units import create_unit

    with db.session() as s:
        short = s.get(Unit, create_unit(s, officer, "某局"))
        long = s.get(Unit, create_unit(s, officer, "计划财务处", create_unit(s, officer, "武汉市医疗保障局")))
        cid = add_cadre(s, "钱七", unit=short).id
        handling_register.create_handling(s, officer, handling_register.HandlingInput(
            cadre_id=cid, regime="gov", kind="warning", decided_on=date(2024, 1, 10)), date(2024, 1, 10))
        s.add(Commendation(cadre_id=add_cadre(s, "欧阳建国", unit=long).id, kind="嘉奖",
                           awarded_on=OFF - timedelta(days=30)))
    _ctx, page = _page(qtbot, db, officer, OFF)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    col = page.model.COL_UNIT
    qtbot.mouseClick(page.tiles["awaiting_assessment"], Qt.LeftButton)
    qtbot.waitUntil(lambda: page.table.columnWidth(col) >= page.table.sizeHintForColumn(col))
    first = page.table.columnWidth(col)
    qtbot.mouseClick(page.tiles["recommended"], Qt.LeftButton)
    label = page.model.data(page.model.index(0, col))
    assert label.endswith("计划财务处")
    assert page.table.columnWidth(col) > max(first, page.table.fontMetrics().horizontalAdvance(label))
    wide = page.table.columnWidth(col)
    qtbot.mouseClick(page.tiles["awaiting_assessment"], Qt.LeftButton)
    assert page.table.columnWidth(col) == wide  # a shorter list leaves the width as it is
