"""The assessment dialog's 预览/打印考核表 button: the saved assessment's form in the preview window."""
from __future__ import annotations

from datetime import date

from gui.context import AppContext
from gui.dialogs.assessment import AssessmentDialog
from models.derived.restrictions import recompute_cadre
from models.entities import Handling
from models.services import assessments as asv
from tests.handling_helpers import add_cadre, add_unit

TODAY = date(2025, 12, 1)


def _assessment(db, officer) -> int:
    with db.session() as s:
        cadre = add_cadre(s, "王堃", add_unit(s, "某某区财政局"))
        h = Handling(cadre_id=cadre.id, regime="party", kind="warning", effective_on=date(2024, 3, 15))
        s.add(h)
        s.flush()
        recompute_cadre(s, cadre.id)
        return asv.record_assessment(s, officer, cadre.id, assessed_on=date(2025, 3, 1), outcome=asv.outcomes(s)[1],
                                     today=TODAY, handling_id=h.id).id


def test_print_button_opens_the_form_of_the_saved_assessment(qtbot, db, officer, tmp_path):
    ctx = AppContext(db, officer, today_fn=lambda: TODAY)
    dialog = AssessmentDialog(ctx, _assessment(db, officer))
    qtbot.addWidget(dialog)
    assert dialog.print_button.isEnabled()
    dialog.print_button.click()
    preview = dialog.preview
    assert preview.page_count >= 1 and "影响期满考核表" in preview.title and "王堃" in preview.title
    assert preview.document == "assessment" and not preview.numbered
    word = preview.save_to(str(tmp_path / "考核表"), fmt="docx")
    from docx import Document

    assert Document(str(word)).paragraphs[0].text == "影响期满考核表"


def test_print_button_waits_for_the_first_save(qtbot, db, officer):
    with db.session() as s:
        cadre_id = add_cadre(s, "李明", add_unit(s, "某某区教育局")).id
    dialog = AssessmentDialog(AppContext(db, officer, today_fn=lambda: TODAY), cadre_id=cadre_id)
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled()
