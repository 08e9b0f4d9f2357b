"""举报与函询 and 澄清正名 pages: click the real widgets, then check the database and the visible text."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox
from sqlalchemy import select

from gui.context import AppContext
from models.entities import Accusation, AuditEvent, Clarification, Inquiry, Setting
from tests.models.accusation_helpers import REPORTER, make_accusation, make_cadre

TODAY = date(2024, 3, 4)
BRIBE = "反映张建国同志在担任区住建局局长期间，利用职务便利为其亲属承揽老旧小区改造工程提供帮助，收受好处费20万元。"
BRIBE_AGAIN = "举报人称：区住建局原局长张建国利用职权，帮助自己的亲戚拿下多个老旧小区改造工程，从中收取好处费约二十万元。"


@pytest.fixture
def messages(monkeypatch):
    shown: list[str] = []
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    return shown


def _ctx(db, actor):
    return AppContext(db, actor, today_fn=lambda: TODAY)


def _in_modal(qtbot, fn):
    """Run fn(dialog) on the modal dialog a click is about to open."""
    done = []

    def act():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        fn(dialog)
        done.append(dialog)

    QTimer.singleShot(0, act)
    return done


def _cell(view, row, col) -> str:
    return view.model().index(row, col).data()


def _select(view, row):
    view.selectRow(row)


def test_officer_registers_an_accusation_through_the_dialog(qtbot, db, officer, messages):
    from gui.pages.accusations_page import AccusationsPage

    with db.session() as s:
        make_cadre(s, "张建国")
    page = AccusationsPage(_ctx(db, officer))
    qtbot.addWidget(page)

    def fill(d):
        d.picker.search_edit.setText("张建国")
        d.picker.run_search()
        qtbot.mouseClick(d.picker.results.viewport(), Qt.LeftButton,
                         pos=d.picker.results.visualItemRect(d.picker.results.item(0)).center())
        d.reporter_name_edit.setText(REPORTER["reporter_name"])
        d.reporter_unit_edit.setText(REPORTER["reporter_unit"])
        d.reporter_contact_edit.setText(REPORTER["reporter_contact"])
        d.category_combo.setCurrentText("违反廉洁纪律")
        d.summary_edit.setPlainText(BRIBE)
        d.specific_check.setChecked(True)
        d.verifiable_check.setChecked(True)
        d.grab().save("/tmp/accusation_dialog.png")
        qtbot.mouseClick(d.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)

    done = _in_modal(qtbot, fill)
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    assert done and messages == []
    with db.session() as s:
        a = s.execute(select(Accusation)).scalar_one()
        assert a.summary == BRIBE and a.reporter_name == "欧阳翠花" and a.is_specific and [x.cadre.name for x in a.subjects] == ["张建国"]
    table = page.accusation_table
    assert table.model().rowCount() == 1
    assert _cell(table, 0, 2) == "张建国" and _cell(table, 0, 5) == "实名" and _cell(table, 0, 6) == "是"  # the list never names the reporter


def test_viewer_sees_the_list_without_the_reporter_and_cannot_write(qtbot, db, officer, viewer):
    from gui.dialogs.accusation import AccusationDialog
    from gui.pages.accusations_page import AccusationsPage

    with db.session() as s:
        a = make_accusation(s, officer, [make_cadre(s, "张建国")], BRIBE)
    page = AccusationsPage(_ctx(db, viewer))
    qtbot.addWidget(page)
    assert _cell(page.accusation_table, 0, 5) == "实名（无权查看）"
    assert not page.new_button.isEnabled() and not page.inquiry_button.isEnabled()
    texts = [_cell(page.accusation_table, 0, c) for c in range(page.accusation_model.columnCount())]
    assert not any(v in t for t in texts for v in REPORTER.values())
    dialog = AccusationDialog(_ctx(db, viewer), a.id)
    qtbot.addWidget(dialog)
    assert dialog.reporter_name_edit.text() == "" and dialog.reporter_hidden_label.text() == "实名（无权查看）"
    assert not dialog.buttons.button(QDialogButtonBox.Save).isVisible()


def test_guard_dialog_lists_the_similar_report_and_needs_a_reason(qtbot, db, officer, messages):
    from gui.pages.accusations_page import AccusationsPage

    with db.session() as s:
        zhang = make_cadre(s, "张建国")
        first = make_accusation(s, officer, [zhang], BRIBE, received_on=date(2023, 11, 2))
        make_accusation(s, officer, [zhang], BRIBE_AGAIN, received_on=date(2024, 3, 1))
    page = AccusationsPage(_ctx(db, officer))
    qtbot.addWidget(page)
    _select(page.accusation_table, 0)  # newest first: the second report
    reason = "前次举报未函询，本次反映增加了具体金额和时间，需要本人书面说明。"
    seen = {}

    def use(d):
        seen["verdict"] = d.verdict_label.text()
        seen["rows"] = [d.findings_tree.topLevelItem(i).text(0) for i in range(d.findings_tree.topLevelItemCount())]
        seen["reason_visible"] = d.reason_edit.isVisible()
        seen["due"] = d.due_label.text()
        d.grab().save("/tmp/inquiry_guard.png")
        qtbot.mouseClick(d.save_button, Qt.LeftButton)  # no reason: refused, stays open
        seen["after_first"] = [d.error_label.text()] if d.isVisible() and not d.error_label.isHidden() else []
        d.reason_edit.setPlainText(reason)
        qtbot.mouseClick(d.save_button, Qt.LeftButton)

    done = _in_modal(qtbot, use)
    qtbot.mouseClick(page.inquiry_button, Qt.LeftButton)
    assert done
    assert "函询前检查未通过" in seen["verdict"] and seen["rows"] == [str(first.id)] and seen["reason_visible"]
    assert "应于2024-03-25前回复" in seen["due"]
    assert len(seen["after_first"]) == 1 and "写明理由" in seen["after_first"][0]  # on the dialog's red line
    with db.session() as s:
        inquiry = s.execute(select(Inquiry)).scalar_one()
        assert inquiry.guard_override_reason == reason and inquiry.due_on == date(2024, 3, 25)
        assert s.execute(select(AuditEvent).where(AuditEvent.action == "override")).scalar_one().entity_id == str(inquiry.id)
    page.tabs.setCurrentIndex(1)
    assert _cell(page.inquiry_table, 0, 1) == "张建国" and _cell(page.inquiry_table, 0, 5) == "2024-03-25"
    assert _cell(page.inquiry_table, 0, 6) == "待回复" and _cell(page.inquiry_table, 0, 8) == "是"

    # the reply
    _select(page.inquiry_table, 0)

    def reply(d):
        d.outcome_combo.setCurrentText("采信了结")
        qtbot.mouseClick(d.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)

    done = _in_modal(qtbot, reply)
    qtbot.mouseClick(page.reply_button, Qt.LeftButton)
    assert done
    assert _cell(page.inquiry_table, 0, 6) == "已回复" and _cell(page.inquiry_table, 0, 7) == "采信了结"


def test_overdue_replies_are_counted_on_the_page(qtbot, db, officer):
    from gui.pages.accusations_page import AccusationsPage
    from models.services import inquiries as inq

    with db.session() as s:
        a = make_accusation(s, officer, [make_cadre(s, "张建国")], BRIBE, received_on=date(2024, 1, 2))
        inq.create_inquiry(s, officer, a.id, a.subjects[0].cadre_id, date(2024, 1, 3))  # due 2024-01-24
    page = AccusationsPage(_ctx(db, officer))
    qtbot.addWidget(page)
    assert page.overdue_label.text() == "逾期未回复：1件"
    assert _cell(page.inquiry_table, 0, 6) == f"逾期{(TODAY - date(2024, 1, 24)).days}天"


def test_outcome_then_clarification_edit_approve_done_and_print(qtbot, db, officer, messages, monkeypatch):
    from gui.dialogs.clarification import ClarificationDialog
    from gui.pages import clarifications_page as cp
    from gui.pages.accusations_page import AccusationsPage

    with db.session() as s:
        make_accusation(s, officer, [make_cadre(s, "张建国")], BRIBE)
    ctx = _ctx(db, officer)
    page = AccusationsPage(ctx)
    clar_page = cp.ClarificationsPage(ctx)
    qtbot.addWidget(page)
    qtbot.addWidget(clar_page)
    _select(page.accusation_table, 0)

    def outcome(d):
        d.outcome_combo.setCurrentText("诬告陷害")
        d.verified_edit.setText("第三监督检查室")
        qtbot.mouseClick(d.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)

    done = _in_modal(qtbot, outcome)
    qtbot.mouseClick(page.outcome_button, Qt.LeftButton)
    assert done and any("已开启1件澄清正名" in m and "查处" in m for m in messages)
    assert _cell(page.accusation_table, 0, 8) == "诬告陷害"
    # the clarification page refreshed through data_changed
    assert clar_page.model.rowCount() == 1 and _cell(clar_page.table, 0, 6) == "待批准"
    assert clar_page.counts_label.text().startswith("待批准 1")

    with db.session() as s:
        cid = s.execute(select(Clarification.id)).scalar_one()
    dialog = ClarificationDialog(ctx, cid)
    qtbot.addWidget(dialog)
    dialog.initiated_combo.setCurrentText("承办部门建议")
    dialog.consent_combo.setCurrentText("同意")
    dialog.method_checks["通报"].setChecked(True)  # without 书面: refused
    dialog.scope_edit.setText("区住建局全体干部职工")
    dialog.issues_edit.setPlainText("反映张建国同志为亲属承揽老旧小区改造工程提供帮助并收受好处费的问题")
    dialog.conclusion_edit.setPlainText("经核查，反映的问题不属实。")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert "必须同时书面澄清" in dialog.error_label.text() and dialog.result() != QDialog.Accepted
    dialog.method_checks["书面"].setChecked(True)
    assert dialog.error_label.isHidden()  # fixed: the red line goes
    dialog.grab().save("/tmp/clarification_dialog.png")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    with db.session() as s:
        c = s.get(Clarification, cid)
        assert c.methods == "书面,通报" and c.consent == "同意" and c.initiated_by == "承办部门建议"

    def approve(d):
        d.text_edit.setText("区纪委常委会")
        d.accept()

    _select(clar_page.table, 0)
    done = _in_modal(qtbot, approve)
    qtbot.mouseClick(clar_page.approve_button, Qt.LeftButton)
    assert done
    clar_page.status_combo.setCurrentIndex(1)  # 已批准
    assert clar_page.model.rowCount() == 1 and "区纪委常委会" in _cell(clar_page.table, 0, 7)

    _select(clar_page.table, 0)
    done = _in_modal(qtbot, lambda d: d.accept())
    qtbot.mouseClick(clar_page.done_button, Qt.LeftButton)
    assert done
    clar_page.status_combo.setCurrentIndex(2)  # 已完成
    assert _cell(clar_page.table, 0, 6) == "已完成" and _cell(clar_page.table, 0, 9) == "某纪〔2024〕1号"

    # print the 通报 through the preview window
    _select(clar_page.table, 0)
    qtbot.mouseClick(clar_page.circular_button, Qt.LeftButton)
    assert clar_page.previews, messages
    preview = clar_page.previews[-1]
    qtbot.addWidget(preview)
    assert preview.title == "关于对张建国同志有关问题予以澄清的通报" and preview.data.startswith(b"%PDF")
    clar_page.grab().save("/tmp/clarifications_page.png")


def test_holiday_section_edits_a_year(qtbot, db, admin, officer, messages):
    from gui.settings.holidays_section import HolidaysSection

    section = HolidaysSection(_ctx(db, admin))
    qtbot.addWidget(section)
    section.year_combo.setCurrentIndex(section.year_combo.findData(2024))
    assert section.table.rowCount() == 7 and "2024-02-04" in section.workdays_edit.toPlainText()
    assert "国办发明电〔2023〕7号" in section.source_label.text()
    section.workdays_edit.setPlainText(section.workdays_edit.toPlainText() + "\n2024-02-05")  # a Monday: refused
    qtbot.mouseClick(section.save_button, Qt.LeftButton)
    assert "本来就是工作日" in messages[-1]
    section.workdays_edit.setPlainText("2024-02-04\n2024-02-18")
    qtbot.mouseClick(section.save_button, Qt.LeftButton)
    with db.session() as s:
        assert s.get(Setting, "holidays.2024").value["workdays"] == ["2024-02-04", "2024-02-18"]
    assert "本单位修改" in section.source_label.text()
    section.grab().save("/tmp/holidays_section.png")
    qtbot.mouseClick(section.reset_button, Qt.LeftButton)
    with db.session() as s:
        assert s.get(Setting, "holidays.2024") is None
    viewer_section = HolidaysSection(_ctx(db, officer))
    qtbot.addWidget(viewer_section)
    assert not viewer_section.save_button.isEnabled()


def test_a_new_report_has_no_category_until_the_officer_chooses_one(qtbot, db, officer):
    from gui.dialogs.accusation import AccusationDialog

    dialog = AccusationDialog(_ctx(db, officer))
    qtbot.addWidget(dialog)
    assert dialog.category_combo.currentData() == "" and dialog.values()["category"] == ""
    assert dialog.category_combo.currentText() == "（请选择）"
    dialog.category_combo.setCurrentText("违反廉洁纪律")
    assert dialog.values()["category"] == "违反廉洁纪律"
