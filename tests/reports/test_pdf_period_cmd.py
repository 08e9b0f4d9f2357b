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
