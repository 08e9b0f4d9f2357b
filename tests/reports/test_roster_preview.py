"""The roster dialog's 预览/打印: the landscape roster in the preview window, the unit by its full name."""
from __future__ import annotations

from datetime import date

from gui.context import AppContext
from gui.dialogs.roster import RosterDialog
from models.derived.restrictions import recompute_cadre
from models.entities import Handling
from tests.handling_helpers import add_cadre, add_unit
from tests.reports.conftest import open_pdf


def _previewed(qtbot, db, officer):
    """钱七 of 武汉市江岸区区财政局, 政务警告 of 2024-01-10, in the roster dialog's preview window."""
    with db.session() as s:
        district = add_unit(s, "江岸区", add_unit(s, "武汉市"))
        cadre = add_cadre(s, "钱七", add_unit(s, "区财政局", district))
        cadre.current_post = "区财政局副局长"
        s.add(Handling(cadre_id=cadre.id, regime="gov", kind="warning", effective_on=date(2024, 1, 10)))
        s.flush()
        recompute_cadre(s, cadre.id)
    dialog = RosterDialog(AppContext(db, officer, today_fn=lambda: date(2024, 9, 30)))
    qtbot.addWidget(dialog)
    dialog.preview_button.click()
    qtbot.addWidget(dialog.preview)
    return dialog.preview


def test_preview_shows_the_roster(qtbot, db, officer):
    preview = _previewed(qtbot, db, officer)
    assert preview.page_count == 1 and preview.document == "roster" and "（1人）" in preview.title
    with open_pdf(preview.data) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
    assert page.width > page.height  # landscape
    assert "武汉市江岸区财政局" in text and "副局长" in text and "政务警告" in text and "2024.7.10" in text


def test_the_roster_preview_saves_a_word_file(qtbot, db, officer, tmp_path):
    from docx import Document
    from PySide6.QtWidgets import QToolBar

    preview = _previewed(qtbot, db, officer)
    assert preview.word_action in preview.findChild(QToolBar).actions() and preview.word_action.isEnabled()
    saved = preview.save_to(str(tmp_path / "名单"), fmt="docx")
    assert saved.suffix == ".docx"
    rows = [[c.text for c in r.cells] for r in Document(str(saved)).tables[0].rows]
    assert rows[1][1] == "钱七" and rows[1][3] == "武汉市江岸区财政局"  # the full name, as the PDF prints it
