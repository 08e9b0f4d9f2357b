"""The 回访教育记录表: A4, the title, the table text (rare characters in names), fonts embedded, long rows split,
a period in one PDF, and `python main.py pdf visit ID`."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from pypdf import PdfReader

from models.services.visits import documents as visit_documents
from models.services.visits import records as visit_records
from models.derived.restrictions import recompute_cadre
from models.entities import AuditEvent, Handling
from models.core.errors import NotFoundError, ValidationError
from reports import geometry as g
from reports import visit_record
from reports.form import page_geometry
from tests.handling_helpers import add_cadre, add_unit
from tests.reports.conftest import open_pdf
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

TODAY = date(2024, 6, 30)
A4 = (round(g.PAGE_W, 1), round(g.PAGE_H, 1))


@pytest.fixture
def visit_ids(db, officer):
    with db.session() as s:
        unit = add_unit(s, "某某区发展和改革局")
        cadre = add_cadre(s, "王堃", unit)
        cadre.gender, cadre.birth_date, cadre.political_status = "男", date(1978, 5, 1), "中共党员"
        h = Handling(cadre_id=cadre.id, regime="party", kind="serious_warning", effective_on=date(2024, 3, 15),
                     organ="中共某某区纪律检查委员会", doc_number="某纪〔2024〕12号", facts="违规收受礼金。")
        s.add(h)
        s.flush()
        recompute_cadre(s, cadre.id)
        ids = []
        for d, text in ((date(2024, 4, 2), "能够正确认识错误。"), (date(2024, 6, 20), "整改到位。" * 400)):
            ids.append(visit_records.record_visit(s, officer, visit_records.VisitInput(
                handling_id=h.id, visited_on=d, form="谈心谈话", place="区纪委谈话室",
                visitors=[{"name": "李喆", "post": "区纪委第一纪检监察室主任"}, {"name": "赵〇明", "post": "区委组织部干部科科长"}],
                findings={"对错误的认识": text}, evaluation="好", recommendation="建议正常使用"), TODAY).id)
        return ids


def _doc(db, visit_id):
    with db.session() as s:
        return visit_documents.visit_document(s, READER, visit_id)


def test_one_record_is_one_a4_page_with_title_and_table_text(db, visit_ids, fs):
    data = visit_record.build_record(_doc(db, visit_ids[0]), fs, "某某市某某区发展和改革局")
    with open_pdf(data) as pdf:
        assert len(pdf.pages) == 1  # the content fits: one page
        page = pdf.pages[0]
        assert (round(page.width, 1), round(page.height, 1)) == A4
        title = [c for c in page.chars if c["size"] >= 17]
        assert "".join(c["text"] for c in title) == "回访教育记录表"
        mid = (title[0]["x0"] + title[-1]["x1"]) / 2
        assert abs(mid - (g.TYPE_LEFT + g.TYPE_RIGHT) / 2) < 1  # centred over the type area
        text = page.extract_text()
        flat = text.replace("\n", "").replace(" ", "")
        for expected in ("王堃", "李喆", "赵〇明", "区纪委第一纪检监察室主任", "党内严重警告", "某纪〔2024〕12号",
                         "2024年4月2日", "谈心谈话", "能够正确认识错误。", "编号：2024-0001", "2025年9月14日",
                         "某某市某某区发展和改革局", "单位党组织", "— 1 —"):
            assert expected in flat or expected in text, expected
        assert "党纪处分·" not in flat
        lines = [ln.strip() for ln in text.splitlines()]
        assert "对错误的认识" in " ".join(lines)  # the label on one line, never 对错误的认/识
        assert not any(ln.startswith(("识", "况", "风")) for ln in lines)
        words = page.extract_words()
        name = next(w for w in words if "王堃" in w["text"])
        label = next(w for w in words if w["text"].startswith("姓"))
        assert abs(name["top"] - label["top"]) < 3 and name["x0"] > label["x1"]  # the value sits beside its label
        table_left = min(e["x0"] for e in page.rects)
        assert abs(table_left - g.LEFT_MARGIN) < 1  # 28 mm binding edge
        # boxes to write in by hand: the findings two lines, the opinions ≥ 17 mm
        heights = sorted(round(r["height"] / g.MM, 1) for r in page.rects if r["width"] > 150 * g.MM)
        assert sum(1 for h in heights if h >= 16.5) >= 2 and sum(1 for h in heights if h >= 12) >= 7


def test_fonts_are_embedded_truetype(db, visit_ids, fs):
    data = visit_record.build_record(_doc(db, visit_ids[0]), fs)
    import io

    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    assert not any("Helvetica" in str(ref.get_object()["/BaseFont"]) for ref in fonts.values())
    for ref in fonts.values():
        font = ref.get_object()
        desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
            else font["/FontDescriptor"]
        assert "/FontFile2" in desc.get_object()  # embedded TrueType, never the STSong-Light CID font
        assert "STSong" not in str(font["/BaseFont"])


def test_a_long_finding_continues_on_the_next_page(db, visit_ids, fs):
    data = visit_record.build_record(_doc(db, visit_ids[1]), fs)
    with open_pdf(data) as pdf:
        assert len(pdf.pages) >= 3
        texts = [p.extract_text().replace("\n", "") for p in pdf.pages]
        assert "（续）" in texts[1]
        left = g.LEFT_MARGIN + visit_record.LABEL_W * g.MM
        right_label = (left + visit_record.HALF * g.MM, left + (visit_record.HALF + visit_record.LABEL_W) * g.MM)
        values = [c for p in pdf.pages for c in p.chars
                  if c["x0"] > left and not right_label[0] <= c["x0"] <= right_label[1]]
        assert sum(c["text"] == "整" for c in values) == 400  # nothing lost across the page breaks
        for page in pdf.pages:  # no cell text below the table area (the page number sits 7 mm under it)
            assert max(c["bottom"] for c in page.chars if c["text"].strip() not in ("", "—") and not c["text"].isdigit()) \
                <= page_geometry(False).bottom + 0.5


def test_a_period_in_one_pdf_and_empty_period_refused(db, officer, visit_ids):
    with db.session() as s:
        result = visit_record.load_batch(s, officer, date(2024, 4, 1), date(2024, 6, 30))
        assert "共2份" in result.title
        with pytest.raises(ValidationError, match="没有回访记录"):
            visit_record.load_batch(s, officer, date(2023, 1, 1), date(2023, 12, 31))
    with open_pdf(result.data) as pdf:
        firsts = [p for p in pdf.pages if "回访教育记录表" in p.extract_text()]
        assert len(firsts) == 2  # each record starts on its own page


def test_duplex_batch_starts_every_record_on_an_odd_page_and_leaves_out_withdrawn(db, officer, visit_ids):
    with db.session() as s:
        simplex = visit_record.load_batch(s, officer, date(2024, 4, 1), date(2024, 6, 30))
        duplex = visit_record.load_batch(s, officer, date(2024, 4, 1), date(2024, 6, 30), duplex=True)
    with open_pdf(simplex.data) as a, open_pdf(duplex.data) as b:
        first_lengths = [i for i, p in enumerate(a.pages) if "回访教育记录表" in (p.extract_text() or "")]
        starts = [i for i, p in enumerate(b.pages) if "回访教育记录表" in (p.extract_text() or "")]
        assert len(starts) == 2 and all(i % 2 == 0 for i in starts)  # page 1, 3, 5 …: the front of a sheet
        assert len(b.pages) >= len(a.pages) and first_lengths[0] == 0
    from models.entities import Cadre

    with db.session() as s:
        s.query(Cadre).filter(Cadre.name == "王堃").update({"withdrawn_at": datetime(2024, 7, 1)})
    with db.session() as s, pytest.raises(ValidationError, match="没有回访记录"):
        visit_record.load_batch(s, officer, date(2024, 4, 1), date(2024, 6, 30))  # the withdrawn cadre's visits


def test_pdf_command_writes_one_record(db, db_path, visit_ids, tmp_path, capsys, cli_account):
    from main import main

    U = cli_account(db)
    db.dispose()
    out = tmp_path / "回访.pdf"
    assert main(["pdf", "visit", str(visit_ids[0]), "--db", str(db_path), *U, "--out", str(out)]) == 0
    with open_pdf(out.read_bytes()) as pdf:
        assert "王堃" in pdf.pages[0].extract_text()
    assert main(["pdf", "visit", "999", "--db", str(db_path), *U, "--out", str(tmp_path / "x.pdf")]) == 2
    assert "找不到编号为 999 的回访记录" in capsys.readouterr().err
    with db.session() as s:
        assert s.query(AuditEvent).filter_by(action="export", entity="visit").count() == 1


def test_missing_visit_is_not_found(db, officer):
    with db.session() as s:
        with pytest.raises(NotFoundError):
            visit_record.load_for_pdf(s, officer, 42, TODAY)


def test_word_file_of_a_record(db, visit_ids, fs):
    import io

    from docx import Document

    with db.session() as s:
        from models.core.actor import CLI_ACTOR

        data = visit_record.load_for_pdf(s, CLI_ACTOR, visit_ids[0], TODAY, fmt="docx").data
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == "回访教育记录表" and "编号：2024-0001" in doc.paragraphs[1].text
    cells = [c.text for t in doc.tables for c in t.rows[0].cells]
    assert "王堃" in cells and "党内严重警告" in cells and "对错误的认识" in cells and "能够正确认识错误。" in cells
    assert {round(sum(c.width.mm for c in t.rows[0].cells)) for t in doc.tables} == {156}
