"""设置 → 公文与字体 writes the settings every notice reads: the 版头 (a 通报 printed after saving 信函格式 is a
letter), the 套打 height, the 通报's 主送机关 and 双面打印."""
from __future__ import annotations

import io
from datetime import date

import pdfplumber
from PySide6.QtWidgets import QMessageBox

from models.core import settings_store
from reports import clarification_notice as cn
from reports import document_settings
from tests.gui.test_documents_section import make_section
from tests.reports.test_clarification_notice import done  # noqa: F401 - the fixture


def test_saved_header_is_the_header_of_the_printed_notice(qtbot, db, admin, officer, done, monkeypatch):  # noqa: F811
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr("reports.fonts.clear_caches", lambda: None)  # no font changed: keep the session's fonts
    section = make_section(qtbot, db, admin)
    section.header_combo.setCurrentIndex(section.header_combo.findData("preprinted"))
    assert section.preprinted_spin.isEnabled()
    section.preprinted_spin.setValue(92.0)
    section.circular_edit.setText("区直各单位")
    section.duplex_check.setChecked(True)
    section.save_button.click()
    with db.session() as s:
        assert settings_store.get(s, "documents.header_style") == "preprinted"
        assert document_settings.preprinted_top_mm(s) == 92.0 and document_settings.duplex(s)
        data = cn.notice_input(s, officer, done, date(2024, 4, 20), variant="circular")
    assert data.header == "preprinted" and data.addressee == "区直各单位"
    section.header_combo.setCurrentIndex(section.header_combo.findData("letter"))
    assert not section.preprinted_spin.isEnabled()
    section.save_button.click()
    with db.session() as s:
        doc = cn.build_for(s, officer, done, date(2024, 4, 20))
    with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
        page = pdf.pages[0]
        mark = [c for c in page.chars if c["size"] > 23]
        assert mark and mark[0]["top"] * 25.4 / 72 < 35  # the letter's organ name, 30 mm from the top edge
