"""The preview window: shows the pages, prints the chosen range and copies, saves the PDF; both audited."""
from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from gui.context import AppContext
from gui.dialogs.pdf_preview import PdfPreviewWindow
from models.entities import AuditEvent


@pytest.fixture(scope="module")
def three_pages():
    from reports.notice import Notice, build_notice

    para = "为保护干部干事创业的积极性根据有关规定现予以澄清正名营造风清气正的政治生态"
    return build_notice(Notice(title="关于对张堃喆同志有关问题予以澄清的说明", body=[para * 50],
                               signature="中共某某市纪律检查委员会", date=date(2026, 3, 5)))


def make_window(qtbot, db, actor, data):
    ctx = AppContext(db, actor, today_fn=lambda: date(2026, 3, 5))
    window = PdfPreviewWindow(ctx, data, document="clarification", title="关于对张堃喆同志有关问题予以澄清的说明",
                              subject_id=7, cadre_id=3, suggested_name="说明.pdf")
    qtbot.addWidget(window)
    window.show()
    return window


def test_shows_every_page_and_renders_characters(qtbot, db, officer, three_pages):
    window = make_window(qtbot, db, officer, three_pages)
    pages = len(PdfReader(__import__("io").BytesIO(three_pages)).pages)
    assert pages >= 3
    assert window.page_count == pages
    assert window.pages_label.text() == f"共 {pages} 页"
    image = window.render_page_image(0, dpi=50)
    dark = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 200  # text, not an empty page


def test_print_page_range_and_copies_to_a_pdf_printer(qtbot, db, officer, three_pages, tmp_path):
    window = make_window(qtbot, db, officer, three_pages)
    out = tmp_path / "printed.pdf"

    def fake_dialog():
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setFromTo(2, 3)
        printer.setCopyCount(2)
        return printer

    window._ask_printer = fake_dialog
    window.print_action.trigger()
    assert len(PdfReader(str(out)).pages) == 4  # pages 2–3, two copies
    with db.session() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "print")).scalar_one()
    assert ev.entity == "clarification" and ev.entity_id == "7" and ev.cadre_id == 3
    assert ev.after["pages"] == "2-3" and ev.after["copies"] == 2
    assert "打印《关于对张堃喆同志有关问题予以澄清的说明》2 份" in ev.summary
    assert "已送打印" in window.status.currentMessage()


def test_cancelled_print_dialog_prints_and_records_nothing(qtbot, db, officer, three_pages):
    window = make_window(qtbot, db, officer, three_pages)
    window._ask_printer = lambda: None
    window.print_action.trigger()
    with db.session() as s:
        assert s.execute(select(AuditEvent).where(AuditEvent.action == "print")).first() is None


def test_save_as_pdf_writes_the_same_bytes_and_audits(qtbot, db, officer, three_pages, tmp_path):
    window = make_window(qtbot, db, officer, three_pages)
    window._ask_save_path = lambda: str(tmp_path / "另存")
    window.save_action.trigger()
    saved = tmp_path / "另存.pdf"
    assert saved.read_bytes() == three_pages
    with db.session() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalar_one()
    assert ev.after["path"] == str(saved)


def test_viewer_may_print_but_not_save(qtbot, db, viewer, three_pages):
    window = make_window(qtbot, db, viewer, three_pages)
    assert window.print_action.isEnabled()
    assert not window.save_action.isEnabled()
