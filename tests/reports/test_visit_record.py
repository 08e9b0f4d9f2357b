"""The 回访教育记录表: A4, the title, the table text (rare characters in names), fonts embedded, long rows split,
a period in one PDF, and `python main.py pdf visit ID`."""
from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from models.services.visits import documents as visit_documents
from models.services.visits import records as visit_records
from models.derived.restrictions import recompute_cadre
from models.entities import AuditEvent, Handling
from models.core.errors import NotFoundError, ValidationError
from reports import geometry as g
from reports import visit_record
from tests.handling_helpers import add_cadre, add_unit
from tests.reports.conftest import open_pdf

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
        return visit_documents.visit_document(s, visit_id)


def test_one_record_is_a4_with_title_and_table_text(db, visit_ids, fs):
    data = visit_record.build_record(_doc(db, visit_ids[0]), fs)
    with open_pdf(data) as pdf:
        assert len(pdf.pages) == 2
        page = pdf.pages[0]
        assert (round(page.width, 1), round(page.height, 1)) == A4
        title = [c for c in page.chars if c["size"] >= 21]
        assert "".join(c["text"] for c in title) == "回访教育记录表"
        mid = (title[0]["x0"] + title[-1]["x1"]) / 2
        assert abs(mid - (g.TYPE_LEFT + g.TYPE_RIGHT) / 2) < 1  # centred over the type area
        text = page.extract_text()
        for expected in ("王堃", "李喆", "赵〇明", "区纪委第一纪检监察室主任", "党纪处分·严重警告", "某纪〔2024〕12号",
                         "2024年4月2日", "谈心谈话", "能够正确认识错误。", "编号：2024-0001"):
            assert expected in text.replace("\n", "").replace(" ", ""), expected
        right_column = page.crop((g.LEFT_MARGIN + 106 * g.MM, 0, g.TYPE_RIGHT, g.PAGE_H)).extract_text()
        assert "2024年3月15日至2025年9月14日" in right_column.replace("\n", "")  # the period, wrapped in its cell
        words = page.extract_words()
        name = next(w for w in words if "王堃" in w["text"])
        label = next(w for w in words if w["text"].startswith("姓"))
        assert abs(name["top"] - label["top"]) < 3 and name["x0"] > label["x1"]  # the value sits beside its label
        table_left = min(e["x0"] for e in page.rects)
        assert abs(table_left - g.LEFT_MARGIN) < 1  # 28 mm binding edge
        last = pdf.pages[1].extract_text()
        assert "单位党组织意见" in last.replace("\n", "") and "— 2 —" in last


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
        values = [c for p in pdf.pages for c in p.chars if c["x0"] > g.LEFT_MARGIN + visit_record.LABEL_W * g.MM]
        assert sum(c["text"] == "整" for c in values) == 400  # nothing lost across the page breaks
        for page in pdf.pages:  # no cell text below the table area (the page number sits 7 mm under it)
            assert max(c["bottom"] for c in page.chars if c["text"].strip() not in ("", "—") and not c["text"].isdigit()) \
                <= g.PAGE_H - 30 * g.MM + 0.5


def test_a_period_in_one_pdf_and_empty_period_refused(db, officer, visit_ids):
    with db.session() as s:
        result = visit_record.load_batch(s, officer, date(2024, 4, 1), date(2024, 6, 30))
        assert "共2份" in result.title
        with pytest.raises(ValidationError, match="没有回访记录"):
            visit_record.load_batch(s, officer, date(2023, 1, 1), date(2023, 12, 31))
    with open_pdf(result.data) as pdf:
        firsts = [p for p in pdf.pages if "回访教育记录表" in p.extract_text()]
        assert len(firsts) == 2  # each record starts on its own page


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
