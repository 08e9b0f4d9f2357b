"""Rosters: came off between two dates (both ends included), in an impact period on a day, by unit; .xlsx."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from models.services.handling import register as handling_register
from models.services import roster
from reports import roster_export
from models.core.errors import ValidationError
from tests.handling_helpers import add_cadre, add_unit
from models.core.actor import Actor

READER = Actor(username="jbr", role="officer", display_name="经办人")  # reads as an officer

TODAY = date(2025, 6, 1)


@pytest.fixture
def people(db, officer):
    with db.session() as s:
        city = add_unit(s, "某市")
        bureau = add_unit(s, "某局", city)
        office = add_unit(s, "某局办公室", bureau)
        other = add_unit(s, "另一局", city)
        ids = {
            "甲": add_cadre(s, "甲", office).id,  # gov.warning 2024-01-10 → off 2024-07-10
            "乙": add_cadre(s, "乙", bureau).id,  # gov.demerit 2023-07-31 → off 2024-07-31
            "丙": add_cadre(s, "丙", other).id,  # org.post_adjustment 2023-07-09 → last 2024-07-08, off 2024-07-09
        }
        units = {"city": city.id, "bureau": bureau.id, "office": office.id}
    with db.session() as s:
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=ids["甲"], regime="gov", kind="warning",
                                                         decided_on=date(2024, 1, 10), doc_number="某监〔2024〕1号"), TODAY)
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=ids["乙"], regime="gov", kind="demerit",
                                                         decided_on=date(2023, 7, 31)), TODAY)
        handling_register.create_handling(s, officer, handling_register.HandlingInput(cadre_id=ids["丙"], regime="org", kind="post_adjustment",
                                                         decided_on=date(2023, 7, 9)), TODAY)
    return ids, units


def _q(a, b, **kw):
    return roster.RosterQuery(mode=roster.MODE_CAME_OFF, date_from=a, date_to=b, **kw)


def test_came_off_between_includes_both_ends(db, people):
    with db.session() as s:
        assert [r.name for r in roster.rows(s, READER, _q(date(2024, 7, 10), date(2024, 7, 31)))] == ["甲", "乙"]
        assert [r.name for r in roster.rows(s, READER, _q(date(2024, 7, 11), date(2024, 7, 30)))] == []
        assert roster.count(s, READER, _q(date(2024, 7, 9), date(2024, 7, 9))) == 1
        row = roster.rows(s, READER, _q(date(2024, 7, 10), date(2024, 7, 10)))[0]
        assert row.handling == "政务警告（某监〔2024〕1号）" and row.off_date == date(2024, 7, 10)
        assert len(row.id_number) == 18


def test_by_unit_with_and_without_subunits(db, people):
    _ids, units = people
    with db.session() as s:
        q = _q(date(2024, 1, 1), date(2024, 12, 31), unit_id=units["bureau"])
        assert [r.name for r in roster.rows(s, READER, q)] == ["甲", "乙"]
        q2 = _q(date(2024, 1, 1), date(2024, 12, 31), unit_id=units["bureau"], include_subunits=False)
        assert [r.name for r in roster.rows(s, READER, q2)] == ["乙"]
        assert roster.count(s, READER, _q(date(2024, 1, 1), date(2024, 12, 31), unit_id=units["city"])) == 3


def test_in_impact_period_on_a_day(db, people):
    with db.session() as s:
        on = lambda d: [r.name for r in roster.rows(s, READER, roster.RosterQuery(mode=roster.MODE_IN_PERIOD, on=d))]
        assert on(date(2024, 7, 8)) == ["丙", "甲", "乙"]  # 丙's last day
        assert on(date(2024, 7, 9)) == ["甲", "乙"]  # 丙's off date, 甲's last day
        assert on(date(2024, 7, 10)) == ["乙"]
        assert on(date(2023, 7, 30)) == ["丙"]  # 乙 not started yet


def test_bad_ranges_are_refused(db, people):
    with db.session() as s, pytest.raises(ValidationError) as exc:
        roster.rows(s, READER, _q(date(2024, 8, 1), date(2024, 7, 1)))
    assert "晚于结束日期" in exc.value.message


def test_export_xlsx(db, people, tmp_path):
    with db.session() as s:
        path, n = roster_export.export(s, READER, _q(date(2024, 7, 1), date(2024, 7, 31)), tmp_path / "r.xlsx")
    assert n == 3
    ws = load_workbook(path).active
    assert ws["A1"].value == "2024年7月1日至2024年7月31日影响期满人员名单"
    assert [c.value for c in ws[2]] == list(roster.HEADERS)
    assert [ws.cell(row=r, column=2).value for r in (3, 4, 5)] == ["丙", "甲", "乙"]
    assert ws.cell(row=4, column=7).value.date() == date(2024, 7, 10)
    with db.session() as s, pytest.raises(ValidationError):
        roster_export.export(s, READER, _q(date(2024, 7, 1), date(2024, 7, 31)), tmp_path / "r.csv")


def test_export_pdf_lists_every_row(db, people, tmp_path):
    import subprocess

    with db.session() as s:
        path, n = roster_export.export(s, READER, _q(date(2024, 7, 1), date(2024, 7, 31)), tmp_path / "r.pdf")
    assert n == 3 and path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    for name in ("甲", "乙", "丙"):
        assert name in text
    assert "2024.7.10" in text and "政务警告" in text and "调整职务" in text  # table dates: 2024.7.10
