"""设置 → 公文与字体: organ and 机关代字 saved, font preview rendered, templates edited and restored."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.context import AppContext
from gui.settings.documents_section import DocumentsSection
from models.core import settings_store
from models.services import templates


@pytest.fixture(autouse=True)
def _no_dialogs(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a))
    for path in templates.edited_dir().glob("*"):
        path.unlink()
    yield shown
    for path in templates.edited_dir().glob("*"):
        path.unlink()


def make_section(qtbot, db, actor):
    section = DocumentsSection(AppContext(db, actor, today_fn=lambda: date(2026, 3, 5)))
    qtbot.addWidget(section)
    section.show()
    qtbot.waitUntil(lambda: not section.preview_pending, timeout=30000)  # the preview is made in the background
    return section


def test_saves_organ_code_and_header_and_shows_the_number_example(qtbot, db, admin):
    section = make_section(qtbot, db, admin)
    section.org_name_edit.setText("中共武汉市江岸区纪律检查委员会")
    section.org_code_edit.setText("岸纪")
    assert section.number_example.text() == "岸纪〔2026〕3号"
    section.header_combo.setCurrentIndex(section.header_combo.findData("red"))
    section.save_button.click()
    with db.session() as s:
        assert settings_store.get(s, "org.name") == "中共武汉市江岸区纪律检查委员会"
        assert settings_store.get(s, "org.code") == "岸纪"
        assert settings_store.get(s, "documents.header_style") == "red"


def test_bad_code_is_refused_and_not_saved(qtbot, db, admin, _no_dialogs):
    section = make_section(qtbot, db, admin)
    section.org_code_edit.setText("某纪〔")
    section.save_button.click()
    assert any("括号" in str(a) for a in _no_dialogs)
    with db.session() as s:
        assert settings_store.get(s, "org.code") == "某纪"


def test_preview_is_rendered_with_the_chosen_font(qtbot, db, admin):
    section = make_section(qtbot, db, admin)
    assert not section.preview_label.pixmap().isNull()
    uming = next(i for i in range(section.body_font_combo.count()) if "UMing" in section.body_font_combo.itemText(i))
    section.body_font_combo.setCurrentIndex(uming)
    assert section.preview_pending  # the page stays responsive while the font is read …
    qtbot.waitUntil(lambda: not section.preview_pending, timeout=30000)
    assert "AR PL UMing" in section.font_note.text()  # … and the preview then uses it
    image = section.preview_label.pixmap().toImage()
    assert image.width() > 300
    section.save_button.click()
    with db.session() as s:
        assert settings_store.get(s, "documents.font_path").endswith("uming.ttc")


def test_template_edit_and_restore(qtbot, db, admin):
    section = make_section(qtbot, db, admin)
    section.template_combo.setCurrentIndex(section.template_combo.findData("sample_notice"))
    assert section.template_state.text() == "原文"
    text = section.template_edit.toPlainText().replace("予以澄清的说明", "予以澄清正名的说明")
    section.template_edit.setPlainText(text)
    section.save_template_button.click()
    assert section.template_state.text() == "已修改"
    assert templates.load("sample_notice")["标题"] == "关于对{姓名}同志有关问题予以澄清正名的说明"
    section.restore_template_button.click()
    assert section.template_state.text() == "原文"
    assert "予以澄清正名的说明" not in section.template_edit.toPlainText()


def test_officer_sees_but_cannot_change(qtbot, db, officer):
    section = make_section(qtbot, db, officer)
    assert not section.save_button.isEnabled()
    assert not section.save_template_button.isEnabled()
    assert section.template_edit.isReadOnly()


def test_a_kind_numbered_under_its_own_code_and_back_to_the_organ_code(qtbot, db, admin, _no_dialogs):
    from models.services import document_numbers as dn

    section = make_section(qtbot, db, admin)
    section.org_name_edit.setText("中共某区纪律检查委员会")
    section.kind_code_edits["clarification_circular"].setText("某纪通")
    section.save_button.click()
    with db.session() as s:
        assert settings_store.get(s, "documents.code.clarification_circular") == "某纪通"
        circular = dn.issue(s, admin, "clarification_circular", 2026, subject_type="clarification", subject_id=1)
        notice = dn.issue(s, admin, "clarification", 2026, subject_type="clarification", subject_id=1)
    assert (circular.text, notice.text) == ("某纪通〔2026〕1号", "某纪〔2026〕1号")

    section.refresh()
    assert section.kind_code_edits["clarification_circular"].text() == "某纪通"
    section.kind_code_edits["clarification_circular"].setText("某纪（通）")  # refused: brackets
    section.save_button.click()
    assert any("括号" in str(a) for a in _no_dialogs)
    section.kind_code_edits["clarification_circular"].setText("")  # back to the organ's sequence
    section.save_button.click()
    with db.session() as s:
        assert dn.code_for(s, "clarification_circular") == "某纪"


def test_kind_codes_are_read_only_for_an_officer(qtbot, db, officer):
    section = make_section(qtbot, db, officer)
    assert not any(edit.isEnabled() for edit in section.kind_code_edits.values())
