"""Every dialog and window fits a 1366×768 screen with its buttons visible (the form scrolls, never the buttons);
verdicts start empty; a changed form asks before it is thrown away; a red message goes once its field is fixed."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QDialogButtonBox, QMessageBox, QPushButton, QScrollArea, QWidget,
)

from gui.context import AppContext
from gui.widgets.form_dialog import FRAME_ALLOWANCE
from models.services import accusations as acc
from models.services import clarifications as clar
from models.services import commendations as cms
from models.services.handling import register as handling_register
from models.services import inquiries as inq
from models.services.visits import plans as visit_plans
from models.reference import codes
from tests.models.accusation_helpers import make_accusation, make_cadre
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

TODAY = date(2025, 3, 20)
SCREEN = QRect(0, 0, 1366, 768 - 40)  # a 1366×768 laptop less its taskbar
NO_BUTTONS = {"干部信息", "使用说明"}  # windows closed with the window's own button
BUTTON_TEXTS = {"保存", "取消", "关闭", "登记函询", "撤销奖励", "导入", "检查文件", "确定", "登录", "查询", "打印…"}


@pytest.fixture
def world(db, officer, admin):
    with db.session() as s:
        cid = make_cadre(s, "张建国")
        h = handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=cid, regime="gov", kind="demerit",
                                                            decided_on=date(2024, 4, 12), organ="某区监察委员会",
                                                            doc_number="某监〔2024〕7号"), TODAY)
        kind = codes.commendation_kinds(s)[0]
        com = cms.create_commendation(s, officer, {"cadre_id": cid, "kind": kind, "honour": "优秀公务员",
                                                   "awarded_on": date(2023, 1, 5), "organ": "某区人民政府"})
        a = make_accusation(s, officer, [cid], "反映张建国在工程招标中收受好处费二万元。")
        acc.set_outcome(s, officer, a.id, "不属实", date(2024, 5, 1), verified_by="第三监督检查室", today=TODAY)
        b = make_accusation(s, officer, [cid], "反映张建国违规发放津贴。", received_on=date(2024, 6, 1))
        q = inq.create_inquiry(s, officer, b.id, cid, date(2024, 6, 3))
    with db.session() as s:
        return {
            "cadre": cid, "handling": handling_register.get_handling(s, officer, h.id), "commendation": com.id,
            "accusation": acc.get_accusation(s, officer, a.id), "inquiry_acc": acc.get_accusation(s, officer, b.id),
            "inquiry": q, "clarification": clar.list_clarifications(s, officer)[0].id,
            "plan": visit_plans.list_plans(s, READER, TODAY, "all", cid)[0],
        }


def _dialogs(db, officer, admin, w):
    from gui.dialogs.about import AboutDialog
    from gui.dialogs.accusation import AccusationDialog, OutcomeDialog
    from gui.dialogs.assessment import AssessmentDialog
    from gui.dialogs.audit_viewer import AuditViewer
    from gui.dialogs.cadre import CadreDialog
    from gui.dialogs.clarification import ClarificationDialog
    from gui.dialogs.commendation import CommendationDialog, RevokeDialog
    from gui.dialogs.handling import HandlingDialog
    from gui.dialogs.help import HelpDialog
    from gui.dialogs.import_file import ImportDialog
    from gui.dialogs.import_ledger import ImportLedgerDialog
    from gui.dialogs.inquiry import InquiryDialog, ReplyDialog
    from gui.dialogs.override import OverrideDialog
    from gui.dialogs.review import ReviewDialog
    from gui.dialogs.roster import RosterDialog
    from gui.dialogs.document_register import DocumentRegisterDialog
    from gui.dialogs.unit import UnitDialog
    from gui.dialogs.visit import VisitDialog
    from gui.pages.cadre_view import CadreView

    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    admin_ctx = AppContext(db, admin, today_fn=lambda: TODAY)
    h = w["handling"]
    return {
        "新增干部": lambda: CadreDialog(ctx),
        "修改干部": lambda: CadreDialog(ctx, w["cadre"]),
        "干部信息": lambda: CadreView(ctx, w["cadre"]),
        "登记处理处分": lambda: HandlingDialog(ctx),
        "修改处理处分": lambda: HandlingDialog(ctx, h.id),
        "复审复核": lambda: ReviewDialog(ctx, h.id),
        "人工修改日期": lambda: OverrideDialog(ctx, h.restrictions[0]),
        "登记回访": lambda: VisitDialog(ctx),
        "按计划登记回访": lambda: VisitDialog(ctx, plan=w["plan"]),
        "期满考核": lambda: AssessmentDialog(ctx, cadre_id=w["cadre"]),
        "登记奖励": lambda: CommendationDialog(ctx),
        "撤销奖励": lambda: RevokeDialog(ctx, w["commendation"]),
        "登记举报": lambda: AccusationDialog(ctx),
        "举报详情": lambda: AccusationDialog(ctx, w["accusation"].id),
        "核查结论": lambda: OutcomeDialog(ctx, w["accusation"]),
        "登记函询": lambda: InquiryDialog(ctx, w["inquiry_acc"]),
        "函询回复": lambda: ReplyDialog(ctx, w["inquiry"]),
        "澄清正名": lambda: ClarificationDialog(ctx, w["clarification"]),
        "导入": lambda: ImportDialog(ctx),
        "导入任免审批表": lambda: ImportDialog(ctx, kind="lrmx"),
        "导入记录": lambda: ImportLedgerDialog(admin_ctx),
        "名册": lambda: RosterDialog(ctx),
        "审计日志": lambda: AuditViewer(admin_ctx),
        "关于": lambda: AboutDialog(ctx),
        "使用说明": lambda: HelpDialog(),
        "新建单位": lambda: UnitDialog(ctx, "create"),
        "发文登记": lambda: DocumentRegisterDialog(admin_ctx),
    }


def _inside_scroll(widget: QWidget) -> bool:
    p = widget.parentWidget()
    while p is not None:
        if isinstance(p, QScrollArea):
            return True
        p = p.parentWidget()
    return False


def _check_fits(name: str, window: QWidget) -> None:
    frame = window.size() + FRAME_ALLOWANCE
    assert frame.width() <= SCREEN.width() and frame.height() <= SCREEN.height(), f"{name}: {frame} too big"
    hint = window.minimumSizeHint() + FRAME_ALLOWANCE
    assert hint.height() <= SCREEN.height(), f"{name}: cannot shrink below {hint}"
    buttons = [b for b in window.findChildren(QAbstractButton)
               if isinstance(b.parentWidget(), QDialogButtonBox) or (isinstance(b, QPushButton)
                                                                      and b.text() in BUTTON_TEXTS)]
    buttons = [b for b in buttons if b.isVisibleTo(window) and not _inside_scroll(b)]
    assert buttons or name in NO_BUTTONS, f"{name}: no visible button found"
    for b in buttons:
        top_left = b.mapTo(window, QPoint(0, 0))
        assert window.rect().contains(QRect(top_left, b.size())), f"{name}: button {b.text()} outside the window"


def test_every_dialog_fits_1366x768_with_its_buttons_visible(qtbot, db, officer, admin, world):
    for name, make in _dialogs(db, officer, admin, world).items():
        window = make()
        qtbot.addWidget(window)
        window.show()
        _check_fits(name, window)
        window.hide()


def test_main_window_and_preview_fit(qtbot, db, officer):
    from gui.dialogs.pdf_preview import PdfPreviewWindow
    from gui.main_window import MainWindow
    from reports.notice import Notice, build_notice

    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    frame = main.size() + FRAME_ALLOWANCE
    assert frame.width() <= SCREEN.width() and frame.height() <= SCREEN.height()
    pdf = build_notice(Notice(title="关于对张建国同志有关问题予以澄清的说明", body=["经核查，反映的问题不属实。"],
                              signature="中共某区纪律检查委员会", date=TODAY))
    preview = PdfPreviewWindow(ctx, pdf, document="clarification", title="说明", suggested_name="说明.pdf")
    qtbot.addWidget(preview)
    preview.show()
    frame = preview.size() + FRAME_ALLOWANCE
    assert frame.height() <= SCREEN.height(), "the preview window (820×1000 before) must fit"


def test_verdicts_start_empty_and_are_required(qtbot, db, officer, admin, world):
    from gui.dialogs.accusation import OutcomeDialog
    from gui.dialogs.assessment import AssessmentDialog
    from gui.dialogs.visit import VisitDialog

    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    assessment = AssessmentDialog(ctx, cadre_id=world["cadre"])
    visit = VisitDialog(ctx, plan=world["plan"])
    outcome = OutcomeDialog(ctx, world["inquiry_acc"])
    for dialog, combo, save in ((assessment, assessment.outcome_combo, assessment.buttons.button(QDialogButtonBox.Save)),
                                (visit, visit.evaluation_combo, visit.save_button),
                                (outcome, outcome.outcome_combo, outcome.buttons.button(QDialogButtonBox.Save))):
        qtbot.addWidget(dialog)
        dialog.show()
        assert combo.currentIndex() == 0 and combo.currentData() == "" and combo.currentText() == "（请选择）"
        qtbot.mouseClick(save, Qt.LeftButton)
        assert dialog.isVisible() and dialog.error_label.isVisible(), type(dialog).__name__
        assert "选择" in dialog.error_label.text()
        combo.setCurrentIndex(1)
        assert dialog.error_label.isHidden()  # fixed: the red line goes at once


def _answer_discard_box(button_text: str, seen: list):
    def poll():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, poll)
            return
        seen.append(box.text())
        [b for b in box.buttons() if b.text() == button_text][0].click()

    QTimer.singleShot(0, poll)


def test_changed_form_asks_before_discarding(qtbot, db, officer, world, ask_before_discard):
    from gui.dialogs.commendation import CommendationDialog

    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    dialog = CommendationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key_Escape)  # nothing changed: closes without a question
    assert not dialog.isVisible()
    dialog = CommendationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.honour_edit.setText("2024年度优秀公务员")
    seen: list = []
    _answer_discard_box("继续填写", seen)
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert seen and "还没有保存" in seen[0] and dialog.isVisible()
    _answer_discard_box("继续填写", seen)
    dialog.buttons.button(QDialogButtonBox.Cancel).click()
    assert dialog.isVisible() and len(seen) == 2
    _answer_discard_box("放弃修改", seen)
    dialog.close()  # the window's close button
    assert not dialog.isVisible() and len(seen) == 3


def test_name_message_goes_when_the_name_is_filled(qtbot, db, officer):
    from gui.dialogs.cadre import CadreDialog

    dialog = CadreDialog(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    label = dialog.errors["name"]
    assert label.isVisible() and "姓名" in label.text()
    dialog.inputs["name"].setText("王芳")
    assert label.isHidden()


def test_impossible_date_in_a_dialog_says_why(qtbot, db, officer, world):
    from gui.dialogs.handling import HandlingDialog

    dialog = HandlingDialog(AppContext(db, officer, today_fn=lambda: TODAY), cadre_id=world["cadre"])
    qtbot.addWidget(dialog)
    dialog.decided_edit.setText("2026-02-30")
    assert "2月没有30日" in dialog.preview_status.text() and "格式" not in dialog.preview_status.text()


def test_approval_before_decision_is_reported_as_such(qtbot, db, officer, world):
    from gui.dialogs.handling import HandlingDialog

    dialog = HandlingDialog(AppContext(db, officer, today_fn=lambda: TODAY), cadre_id=world["cadre"])
    qtbot.addWidget(dialog)
    dialog.regime_combo.setCurrentIndex(dialog.regime_combo.findData("party"))
    dialog.decided_edit.setText("2024-05-10")
    dialog.approved_edit.setText("2024-05-01")
    text = dialog.preview_status.text()
    assert "批准日期 2024-05-01 早于决定日期 2024-05-10" in text and "生效日期" not in text


def test_id_messages_in_the_cadre_dialog(qtbot, db, officer):
    from gui.dialogs.cadre import CadreDialog
    from models.reference import id_number as idn

    dialog = CadreDialog(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(dialog)
    good = idn.generate(date(1980, 5, 6), "男", seq=7)
    wrong = good[:17] + ("1" if good[17] != "1" else "2")
    dialog.inputs["id_number"].setText(wrong)
    assert "校验位不符" in dialog.id_check_label.text() and f"应为{good[17]}" not in dialog.id_check_label.text()
    dialog.inputs["id_number"].setText("110105491231002")
    assert "15位的旧版" in dialog.id_check_label.text() and "Excel" not in dialog.id_check_label.text()


def test_every_page_fits_a_1366x768_window_without_scrolling_sideways(qtbot, db, admin, world):
    """The main window on a 1366×768 laptop: no page is wider than the room beside the navigation (统计分析's
    one-row bar of dates, presets, unit and buttons was, and its 导出 button was cut off)."""
    from gui.main_window import MainWindow
    from models.services import units as us

    with db.session() as s:  # a long path in every unit chooser
        us.ensure_unit(s, admin, "武汉市/市人力资源和社会保障局/市社会保险管理中心/城乡居民养老保险科")
    ctx = AppContext(db, admin, today_fn=lambda: TODAY)
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.resize(1280, SCREEN.height() - FRAME_ALLOWANCE.height())  # as fit_to_screen opens it on that screen
    main.show()
    for name in main.page_names:
        main.show_page(name)
        QApplication.processEvents()
        page = main.pages[name]
        room = main.page_scroll.viewport().width()
        assert page.minimumSizeHint().width() <= room, f"{name}: {page.minimumSizeHint().width()} > {room}"
        assert not main.page_scroll.horizontalScrollBar().isVisible(), name


def test_a_text_field_starts_beside_its_label(qtbot, db, officer):
    """登记奖励 on a 1366×768 screen: 奖励事由's box sat 100 px below its label in the middle of a stretched row."""
    from PySide6.QtWidgets import QFormLayout

    from gui.dialogs.commendation import CommendationDialog

    dialog = CommendationDialog(AppContext(db, officer, today_fn=lambda: TODAY))
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    edit = dialog.reason_edit
    form = edit.parentWidget().parentWidget().layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(edit.parentWidget())
    gap = edit.mapTo(dialog, QPoint(0, 0)).y() - label.mapTo(dialog, QPoint(0, 0)).y()
    assert abs(gap) <= 8, f"奖励事由 starts {gap} px below its label"


def test_the_preview_opens_at_the_top_of_the_screen_whole(qtbot, db, officer):
    """As tall as the screen allows, so placed at its top: a window manager put it 56 px down, its bottom lines
    under the edge (1366×768, under openbox)."""
    from gui.dialogs.pdf_preview import PdfPreviewWindow
    from gui.main_window import MainWindow
    from reports.notice import Notice, build_notice

    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.move(60, 90)
    main.show()
    pdf = build_notice(Notice(title="说明", body=["经核查，反映的问题不属实。"], signature="某区纪委", date=TODAY))
    preview = PdfPreviewWindow(ctx, pdf, document="clarification", title="说明", suggested_name="说明.pdf", parent=main)
    qtbot.addWidget(preview)
    preview.show()
    free = preview.screen().availableGeometry()
    frame = QRect(preview.pos(), preview.size() + FRAME_ALLOWANCE)
    assert preview.pos().y() == free.y() and free.contains(frame), (frame, free)


def test_place_at_top_centres_a_window_across_the_free_area(qtbot):
    from gui.widgets.form_dialog import place_at_top

    w = QWidget()
    qtbot.addWidget(w)
    w.resize(400, 300)
    w.move(500, 250)
    place_at_top(w)
    free = w.screen().availableGeometry()
    assert w.pos().y() == free.y()
    assert w.pos().x() == free.x() + (free.width() - 400 - FRAME_ALLOWANCE.width()) // 2
