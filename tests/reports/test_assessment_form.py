"""The 影响期满考核表: A4, what it must show (handling by its short name, restrictions with basis, period, visits,
every heading, result, recommendation, opinions, signature boxes), the unit by its full name, and the CLI."""
from __future__ import annotations

from datetime import date

import pytest

from models.core.errors import NotFoundError
from models.derived.restrictions import recompute_cadre
from models.entities import Handling
from models.services import assessments as asv
from models.services.visits import records as visit_records
from reports import assessment_form
from reports import geometry as g
from tests.handling_helpers import add_cadre, add_unit
from tests.reports.conftest import open_pdf

TODAY = date(2025, 12, 1)


@pytest.fixture
def db(db_path):
    """A database file, so that the command line reads the same records."""
    from models.core.db import open_database

    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def assessment_id(db, officer):
    with db.session() as s:
        city = add_unit(s, "武汉市")
        district = add_unit(s, "江岸区", city)
        unit = add_unit(s, "区财政局", district)
        cadre = add_cadre(s, "王堃", unit)
        cadre.gender, cadre.birth_date, cadre.political_status = "男", date(1978, 5, 1), "中共党员"
        cadre.current_post = "区财政局副局长"
        h = Handling(cadre_id=cadre.id, regime="gov", kind="warning", effective_on=date(2024, 3, 15),
                     decided_on=date(2024, 3, 10), organ="某某区监察委员会", doc_number="某监〔2024〕12号",
                     facts="违规收受礼金。")
        s.add(h)
        s.flush()
        recompute_cadre(s, cadre.id)
        visit_records.record_visit(s, officer, visit_records.VisitInput(
            handling_id=h.id, visited_on=date(2024, 4, 2), form="谈心谈话", place="区纪委谈话室",
            visitors=[{"name": "李喆", "post": "主任"}, {"name": "赵〇明", "post": "科长"}],
            findings={"对错误的认识": "认识深刻。"}, evaluation="好", recommendation="建议正常使用"), TODAY)
        a = asv.record_assessment(
            s, officer, cadre.id, assessed_on=date(2025, 9, 1), outcome=asv.outcomes(s)[0], today=TODAY,
            items={"政治表现": "政治立场坚定。", "工作实绩（含急难险重任务）": "牵头完成防汛物资保障。"},
            recommendation="进一步使用", handling_id=h.id, discipline_opinion="同意。", unit_opinion="表现突出。")
        return a.id


def _pdf(db, officer, assessment_id) -> bytes:
    with db.session() as s:
        return assessment_form.load_for_pdf(s, officer, assessment_id, TODAY).data


def _flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")


def test_form_shows_the_whole_assessment(db, officer, assessment_id):
    data = _pdf(db, officer, assessment_id)
    with open_pdf(data) as pdf:
        assert all((round(p.width, 1), round(p.height, 1)) == (round(g.PAGE_W, 1), round(g.PAGE_H, 1)) for p in pdf.pages)
        text = _flat("".join(p.extract_text() for p in pdf.pages))
        title = [c for c in pdf.pages[0].chars if c["size"] >= 21]
        assert "".join(c["text"] for c in title) == "影响期满考核表"
    for expected in ("王堃", "武汉市江岸区财政局", "政务警告", "某监〔2024〕12号", "不得提拔/晋升",
                     "依据：", "2024年3月15日至2024年9月14日", "2024年9月15日期满", "共回访教育1次", "2024年4月2日谈心谈话",
                     "政治立场坚定。", "牵头完成防汛物资保障。", "考核结果", "进一步使用", "同意。", "表现突出。",
                     "组织（人事）部门", "负责人签字", "考核人签字", "考核日期：2025年9月1日"):
        assert expected in text, expected
    assert "政务处分/公务员处分" not in text
    for item in asv.ITEMS:  # every heading, also the empty ones
        assert _flat(item).replace("（", "").replace("）", "")[:4] in text.replace("（", "").replace("）", ""), item


def test_labels_break_only_between_words(db, officer, assessment_id):
    with open_pdf(_pdf(db, officer, assessment_id)) as pdf:
        lines = [ln for p in pdf.pages for ln in p.extract_text().splitlines()]
    # a label broken in its cell: 对错误的认识 / 和整改, never 对错误的认/识…
    assert not any(ln.strip().startswith(("识", "改", "任务）")) for ln in lines)


def test_opinion_boxes_leave_room_to_write(db, officer, assessment_id):
    with open_pdf(_pdf(db, officer, assessment_id)) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            label = next((w for w in words if w["text"].startswith("组织（人事）部门")), None)
            if label is None:
                continue
            boxes = [r for r in page.rects if r["top"] - 1 <= label["top"] <= r["bottom"] + 1 and r["width"] > 400]
            assert boxes and max(b["height"] for b in boxes) / g.MM >= 27  # ≥ 28 mm for the signature and seal
            break
        else:
            pytest.fail("no 组织（人事）部门意见 row")


def test_unknown_or_withdrawn_assessment_is_not_found(db, officer, assessment_id):
    with db.session() as s:
        row = asv.get_assessment(s, officer, assessment_id)
        asv.withdraw_assessment(s, officer, assessment_id, row.version, "录入错误，重新登记")
    with db.session() as s, pytest.raises(NotFoundError):
        assessment_form.load_for_pdf(s, officer, assessment_id, TODAY)
    with db.session() as s, pytest.raises(NotFoundError):
        assessment_form.load_for_pdf(s, officer, 999, TODAY)


def test_cli_pdf_assessment_writes_the_form(db, db_path, officer, assessment_id, tmp_path, cli_account):
    import main

    user = cli_account(db, role="officer")
    out = tmp_path / "考核表.pdf"
    assert main.main(["pdf", "assessment", str(assessment_id), "--db", str(db_path), *user, "--out", str(out)]) == 0
    with open_pdf(out.read_bytes()) as pdf:
        assert "影响期满考核表" in pdf.pages[0].extract_text().replace(" ", "")


def test_word_file_has_the_same_rows_on_the_same_page(db, officer, assessment_id, db_path, tmp_path, cli_account):
    import main
    from docx import Document

    user = cli_account(db, role="officer")
    out = tmp_path / "考核表.docx"
    assert main.main(["pdf", "assessment", str(assessment_id), "--db", str(db_path), *user, "--out", str(out)]) == 0
    doc = Document(str(out))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297) and round(sec.left_margin.mm) == 28
    assert doc.paragraphs[0].text == "影响期满考核表"
    cells = [c.text for t in doc.tables for c in t.rows[0].cells]
    for expected in ("王堃", "武汉市江岸区财政局", "政治立场坚定。", "进一步使用"):
        assert expected in cells, expected
    assert any(c.startswith("政务警告") for c in cells)
    widths = {round(sum(c.width.mm for c in t.rows[0].cells)) for t in doc.tables}
    assert widths == {156}  # every row as wide as the type area
    sign = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("组织（人事）部门"))
    assert sign.rows[0].height.mm >= 27.5 and "负责人签字" in sign.rows[0].cells[1].text
