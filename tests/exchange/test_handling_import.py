"""Import of a handling 台账: kinds as officers write them, dates in the cadre import's forms, cadre by ID number;
non-disciplinary kinds and unknown cadres rejected with a reason; the rest in one transaction; CLI import/export."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from models.entities import AuditEvent, Cadre, Handling, Restriction
from models.exchange.common import FileUnusable
from models.exchange.handling_import import import_handling
from tests.handling_helpers import add_cadre

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 6, 1)


def _write(path: Path, rows, header=("序号", "姓名", "身份证号", "类别", "处分种类", "处分时间", "批准日期", "文号", "处分机关")):
    wb = Workbook()
    ws = wb.active
    ws.append(["某区处分处理台账"])
    ws.append(["填报单位：某区纪委"])
    ws.append(list(header))
    for n, r in enumerate(rows, 1):
        ws.append([n, *r])
    ws.append(["合计", len(rows)])
    wb.save(path)
    return path


@pytest.fixture
def people(db):
    with db.session() as s:
        a = add_cadre(s, "张三")
        b = add_cadre(s, "李四")
        c = add_cadre(s, "赵六")
        return {c_.name: c_.id_number for c_ in (a, b, c)}


def _rows(people):
    z, li, zh = people["张三"], people["李四"], people["赵六"]
    return [
        ("张三", z, "", "党内警告", "2024-03-01", "2024-03-15", "某纪〔2024〕3号", "某区纪委"),  # party: approval
        ("张三", z, "政务", "记过", "2024年3月20日", None, "某监〔2024〕5号", "某区监委"),
        ("李四", li, "", "留党察看一年", datetime(2022, 5, 10), None, None, None),  # one date only: effective
        ("李四", li, "", "谈话提醒", "2024-01-05", None, None, None),  # not disciplinary
        ("赵六", zh, "", "诫勉", "2024.06.03", None, None, None),
        ("赵六", zh, "", "免职", "20240701", None, None, None),
        ("王某", "110101199001011237", "", "政务警告", "2024-01-01", None, None, None),  # unknown cadre
        ("赵六", zh, "", "警告", "2024-02-01", None, None, None),  # no 类别
        ("赵六", zh, "", "政务降级", "2024.03", None, None, None),  # month only
        ("赵六", zh, "", "嘉奖", "2024-03-01", None, None, None),
    ]


def test_import_kinds_as_written_and_rejections_with_reasons(db, admin, people, tmp_path):
    path = _write(tmp_path / "台账.xlsx", _rows(people))
    with db.session() as s:
        result = import_handling(s, admin, path, today=TODAY)
    assert result.created == 5 and len(result.rejected) == 5
    reasons = {r.row: r.reason for r in result.rejected}
    assert "不是处分或组织处理" in reasons[7] and "谈话提醒" in reasons[7]
    assert "找不到该身份证号的干部" in reasons[10]
    assert "类别" in reasons[11]
    assert "只写到月份" in reasons[12]
    assert "嘉奖" in reasons[13]
    with db.session() as s:
        got = {(n, h.regime, h.kind): h for n, h in s.execute(
            select(Cadre.name, Handling).join(Cadre, Cadre.id == Handling.cadre_id))}
        assert set(got) == {("张三", "party", "warning"), ("张三", "gov", "demerit"), ("李四", "party", "probation_1y"),
                            ("赵六", "admonish", "admonishment"), ("赵六", "org", "removal")}
        assert got[("张三", "party", "warning")].effective_on == date(2024, 3, 15)
        assert got[("张三", "gov", "demerit")].doc_number == "某监〔2024〕5号"
        assert got[("李四", "party", "probation_1y")].effective_on == date(2022, 5, 10)
        assert got[("赵六", "org", "removal")].effective_on == date(2024, 7, 1)
        # derived dates computed for every touched cadre
        z = s.execute(select(Cadre).where(Cadre.name == "张三")).scalar_one()
        assert z.off_date == date(2025, 3, 20)  # gov demerit 2024-03-20 + 12 months
        assert s.execute(select(Cadre.off_date).where(Cadre.name == "李四")).scalar_one() == date(2025, 5, 10)
        assert s.execute(select(func.count(Restriction.id))).scalar_one() >= 7
        ev = s.execute(select(AuditEvent).where(AuditEvent.entity == "handling")).scalar_one()
        assert ev.action == "import" and "新增5条" in ev.summary


def test_reimport_is_unchanged_and_dry_run_writes_nothing(db, admin, people, tmp_path):
    path = _write(tmp_path / "台账.xlsx", _rows(people)[:3])
    with db.session() as s:
        dry = import_handling(s, admin, path, today=TODAY, dry_run=True)
        s.rollback()
    assert dry.created == 3
    with db.session() as s:
        assert s.execute(select(func.count(Handling.id))).scalar_one() == 0
        import_handling(s, admin, path, today=TODAY)
    with db.session() as s:
        again = import_handling(s, admin, path, today=TODAY)
    assert (again.created, again.unchanged) == (0, 3)
    with db.session() as s:
        assert s.execute(select(func.count(Handling.id))).scalar_one() == 3


def test_name_must_match_the_id_number_and_future_dates_refused(db, admin, people, tmp_path):
    rows = [("张三丰", people["张三"], "", "党内警告", "2024-03-01", "2024-03-15", None, None),
            ("李四", people["李四"], "", "政务警告", "2025-07-01", None, None, None)]
    with db.session() as s:
        result = import_handling(s, admin, _write(tmp_path / "a.xlsx", rows), today=TODAY)
    assert result.created == 0
    reasons = {r.row: r.reason for r in result.rejected}
    assert "姓名与身份证号不符" in reasons[4]
    assert "晚于今天" in reasons[5]


def test_a_file_without_the_columns_is_refused(db, admin, tmp_path):
    wb = Workbook()
    wb.active.append(["甲", "乙"])
    wb.save(tmp_path / "x.xlsx")
    with db.session() as s, pytest.raises(FileUnusable):
        import_handling(s, admin, tmp_path / "x.xlsx", today=TODAY)


def _main(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_import_export_handling_and_roster(db_path, db, people, tmp_path, cli_account):
    path = _write(tmp_path / "台账.xlsx", _rows(people))
    U = cli_account(db)
    db.dispose()
    r = _main("import", "handling", path, "--db", db_path, *U, "--report", tmp_path / "report.xlsx")
    assert r.returncode == 0, r.stderr
    assert "imported=5" in r.stdout and "rejected=5" in r.stdout and "谈话提醒" in r.stdout
    out = tmp_path / "名单.xlsx"
    r = _main("export", "roster", "--db", db_path, *U, "--from", "2025-03-20", "--to", "2025-05-10", "--out", out)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).active
    names = [ws.cell(row=i, column=2).value for i in range(3, ws.max_row + 1)]
    assert names == ["张三", "李四"]  # off 2025-03-20 and 2025-05-10: both ends included
    assert ws.cell(row=3, column=5).value.startswith("政务记过")
    r = _main("export", "roster", "--db", db_path, *U, "--from", "2025-05-11", "--to", "2025-04-01", "--out", out)
    assert r.returncode == 2 and "晚于结束日期" in r.stderr and "Traceback" not in r.stderr
    r = _main("export", "roster", "--db", db_path, *U, "--out", out)
    assert r.returncode == 2 and "--from" in r.stderr
    # the exported register re-imports unchanged
    reg = tmp_path / "register.xlsx"
    r = _main("export", "handling", "--db", db_path, *U, "--out", reg)
    assert r.returncode == 0 and "5 条" in r.stdout
    r = _main("import", "handling", reg, "--db", db_path, *U)
    assert r.returncode == 0 and "imported=0" in r.stdout and "unchanged=5" in r.stdout, r.stdout


@pytest.mark.parametrize("written, expected", [
    ("给予党内警告处分", ("party", "warning")), ("党内警告处分", ("party", "warning")),
    ("免职处理", ("org", "removal")), ("予以政务记大过处分", ("gov", "major_demerit")),
    ("受到留党察看一年处分", ("party", "probation_1y")),
])
def test_kinds_written_as_a_decision_words_them_are_read(written, expected):
    from models.exchange.handling_import import parse_kind

    assert parse_kind(written) == expected


def test_two_sanctions_in_one_cell_are_refused_with_what_to_do_and_a_non_sanction_stays_refused():
    from models.core.errors import ValidationError
    from models.exchange.handling_import import parse_kind

    with pytest.raises(ValidationError, match="一格中写了2项（党内严重警告、政务记大过）.*每行写一项"):
        parse_kind("党内严重警告、政务记大过")
    with pytest.raises(ValidationError, match="不是处分或组织处理"):
        parse_kind("给予通报批评")
    with pytest.raises(ValidationError, match="无法识别的处分种类“党内警告、罚款”"):
        parse_kind("党内警告、罚款")
