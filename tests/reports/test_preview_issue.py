"""The preview window issues a numbered document: a preview takes no number, saving or printing takes one (in
the same transaction), a reprint keeps it, and the Word file carries the same number."""
from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest
from docx import Document
from PySide6.QtPrintSupport import QPrinter

from gui.context import AppContext
from gui.dialogs.pdf_preview import PdfPreviewWindow
from models.services import document_numbers as dn
from reports import clarification_notice as cn
from tests.reports.test_clarification_notice import done  # noqa: F401 - the fixture

TODAY = date(2024, 4, 20)


def _window(qtbot, db, officer, cid):
    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    with db.session() as s:
        draft = cn.build_for(s, officer, cid, TODAY, variant="circular")

    def issue(session, fmt):
        return cn.build_for(session, officer, cid, TODAY, variant="circular", issue=True, fmt=fmt)

    window = PdfPreviewWindow(ctx, draft.data, document="clarification", title=draft.title, subject_id=cid,
                              cadre_id=draft.cadre_id, issue=issue, word=True)
    qtbot.addWidget(window)
    return window


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.pages[0].extract_text()


@pytest.mark.slow
def test_save_issues_the_number_and_a_reprint_keeps_it(qtbot, db, officer, done, tmp_path):  # noqa: F811
    window = _window(qtbot, db, officer, done)
    assert "〔文号待编〕" in _text(window.data)
    with db.session() as s:
        before = [r.text for r in dn.register(s, officer)]
    out = window.save_to(str(tmp_path / "通报.pdf"))
    assert "武纪〔2024〕2号" in _text(out.read_bytes()) and "武纪〔2024〕2号" in _text(window.data)
    assert window.number == "武纪〔2024〕2号"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert window.print_to(printer) >= 1
    word = window.save_to(str(tmp_path / "通报"), fmt="docx")
    assert word.suffix == ".docx"
    assert "武纪〔2024〕2号" in "\n".join(p.text for p in Document(str(word)).paragraphs)
    with db.session() as s:
        after = [r.text for r in dn.register(s, officer)]
    assert after == before + ["武纪〔2024〕2号"]  # one number for the save, the print and the Word file


def test_a_failed_save_takes_no_number(qtbot, db, officer, done, tmp_path):  # noqa: F811
    import pytest

    from models.core.errors import AppError

    window = _window(qtbot, db, officer, done)
    with pytest.raises(AppError):
        window.save_to(str(tmp_path / "没有这个文件夹" / "通报.pdf"))
    with db.session() as s:
        assert dn.current(s, "clarification_circular", "clarification", done) is None
