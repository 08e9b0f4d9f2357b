"""`pdf visits` and `pdf roster`: the documents the GUI prints for a period, from the command line."""
from __future__ import annotations

from datetime import date

import pytest

from models.derived.restrictions import recompute_cadre
from models.entities import Handling
from models.services.visits import records as vs
from tests.handling_helpers import add_cadre, add_unit
from tests.reports.conftest import open_pdf


@pytest.fixture
def data(db, officer):
    with db.session() as s:
        unit = add_unit(s, "区财政局", add_unit(s, "江岸区", add_unit(s, "武汉市")))
        for name in ("王堃", "李喆"):
            cadre = add_cadre(s, name, unit)
            h = Handling(cadre_id=cadre.id, regime="gov", kind="warning", effective_on=date(2024, 1, 10))
            s.add(h)
            s.flush()
            recompute_cadre(s, cadre.id)
            vs.record_visit(s, officer, vs.VisitInput(
                handling_id=h.id, visited_on=date(2024, 3, 2), form="谈心谈话", place="谈话室",
                visitors=[{"name": "甲", "post": "主任"}, {"name": "乙", "post": "科长"}], evaluation="好"),
                date(2024, 6, 30))


def test_roster_and_visits_of_a_period(db, db_path, data, tmp_path, cli_account, capsys):
    import main

    user = cli_account(db, role="officer")
    roster = tmp_path / "名单.pdf"
    assert main.main(["pdf", "roster", "--from", "2024-07-01", "--to", "2024-07-31", "--db", str(db_path), *user,
                      "--out", str(roster)]) == 0
    with open_pdf(roster.read_bytes()) as pdf:
        text = pdf.pages[0].extract_text()
    assert "王堃" in text and "李喆" in text and "武汉市江岸区财政局" in text and "合计：2人" in text
    on = tmp_path / "期内.pdf"
    assert main.main(["pdf", "roster", "--on", "2024-05-01", "--db", str(db_path), *user, "--out", str(on)]) == 0
    visits = tmp_path / "回访.pdf"
    assert main.main(["pdf", "visits", "--from", "2024-03-01", "--to", "2024-03-31", "--db", str(db_path), *user,
                      "--out", str(visits)]) == 0
    with open_pdf(visits.read_bytes()) as pdf:
        firsts = [p for p in pdf.pages if "回访教育记录表" in p.extract_text()]
        assert len(firsts) == 2
    assert main.main(["pdf", "roster", "3", "--db", str(db_path), *user, "--out", str(roster)]) == 2
    assert "不用记录编号" in capsys.readouterr().err
    assert main.main(["pdf", "roster", "--db", str(db_path), *user, "--out", str(roster)]) == 2
    assert "--from" in capsys.readouterr().err
    assert main.main(["pdf", "visit", "--db", str(db_path), *user, "--out", str(visits)]) == 2
    assert "记录编号" in capsys.readouterr().err


def test_roster_and_visits_of_a_period_as_word(db, db_path, data, tmp_path, cli_account):
    import main
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.oxml.ns import qn

    user = cli_account(db, role="officer")
    roster = tmp_path / "名单.docx"
    assert main.main(["pdf", "roster", "--from", "2024-07-01", "--to", "2024-07-31", "--db", str(db_path), *user,
                      "--out", str(roster)]) == 0
    doc = Document(str(roster))
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE and round(doc.sections[0].page_width.mm) == 297
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[:4] == ["序号", "姓名", "身份证号", "单位"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
    people = {r.cells[1].text: r.cells[3].text for r in table.rows[1:]}
    assert people == {"王堃": "武汉市江岸区财政局", "李喆": "武汉市江岸区财政局"}
    assert any("合计：2人" in p.text for p in doc.paragraphs)
    widths = [round(int(c.get(qn("w:w"))) / 20 * 25.4 / 72) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == pytest.approx(243, abs=1)  # the PDF's columns on the landscape page

    visits = tmp_path / "回访.docx"
    assert main.main(["pdf", "visits", "--from", "2024-03-01", "--to", "2024-03-31", "--db", str(db_path), *user,
                      "--out", str(visits)]) == 0
    doc = Document(str(visits))
    titles = [p.text for p in doc.paragraphs if p.text == "回访教育记录表"]
    assert len(titles) == 2 and len(doc.sections) == 2  # each record a section of its own …
    assert doc.sections[1].start_type in (WD_SECTION.NEW_PAGE, WD_SECTION.ODD_PAGE)  # … on a new sheet
    assert doc.sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"  # … numbered from 1
    names = "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "王堃" in names and "李喆" in names
