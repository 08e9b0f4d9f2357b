"""`main.py import …` and `main.py export …`: exit codes and printed counts."""
from datetime import date

import openpyxl
import pytest

import main
from tests.exchange.files import number, write_xlsx

N1, N2, N3 = number(date(1975, 3, 15), "男", 1), number(date(1980, 10, 2), "女", 2), number(date(1990, 1, 1))


@pytest.fixture
def ledger(tmp_path):
    return write_xlsx(tmp_path / "台账.xlsx", ["序号", "姓名", "身份证号", "工作单位", "现任职务", "职级"],
                      [[1, "张三", N1, "市委组织部", "科长", "一级主任科员"], [2, "李四", N2, "市委组织部", "科员", None],
                       [3, "王五", float(N3), "市委组织部", None, None]], above=[["干部台账"]])


def test_import_prints_counts_and_exits_0(db_path, ledger, tmp_path, capsys, cli_account):
    U = cli_account(db_path)
    report = tmp_path / "报告.xlsx"
    assert main.main(["import", "cadres", str(ledger), "--db", str(db_path), *U, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "imported=2 updated=0 unchanged=0 rejected=1" in out and "未写入数据库" in out
    assert main.main(["import", "cadres", str(ledger), "--db", str(db_path), *U, "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "imported=2 updated=0 unchanged=0 rejected=1" in out
    assert "拒绝 工作表“干部台账”第5行 王五 C列“身份证号”" in out and "身份证号被Excel转成了数字" in out
    ws = openpyxl.load_workbook(report).worksheets[0]
    assert ws.cell(row=6, column=2).value == 5
    assert main.main(["import", "cadres", str(ledger), "--db", str(db_path), *U]) == 0
    assert "imported=0 updated=0 unchanged=2 rejected=1" in capsys.readouterr().out


def test_unusable_file_exits_2_with_reason(db_path, tmp_path, capsys, cli_account):
    U = cli_account(db_path)
    assert main.main(["import", "cadres", str(tmp_path / "none.xlsx"), "--db", str(db_path), *U]) == 2
    assert "找不到文件" in capsys.readouterr().err
    bad = tmp_path / "x.lrmx"
    bad.write_bytes(b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]><Person>&e;</Person>')
    assert main.main(["import", "lrmx", str(bad), "--db", str(db_path), *U]) == 2
    assert "DOCTYPE" in capsys.readouterr().err
    assert main.main(["import", "nonsense", str(bad), "--db", str(db_path), *U]) == 2
    assert "不认识的导入类型" in capsys.readouterr().err


def test_export_cadres_and_lrmx(db_path, ledger, tmp_path, capsys, cli_account):
    U = cli_account(db_path)
    assert main.main(["import", "cadres", str(ledger), "--db", str(db_path), *U]) == 0
    capsys.readouterr()
    out = tmp_path / "名册.xlsx"
    assert main.main(["export", "cadres", "--db", str(db_path), *U, "--out", str(out)]) == 0
    assert "已导出 2 名干部" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    for col in ("姓名", "性别", "出生年月", "身份证号", "工作单位", "现任职务", "职级"):
        assert col in header
    rows = {r[header.index("身份证号")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows[N1][header.index("姓名")] == "张三" and rows[N1][header.index("出生年月")] == "1975.03"
    assert rows[N1][header.index("工作单位")] == "市委组织部" and rows[N1][header.index("职级")] == "一级主任科员"
    folder = tmp_path / "lrmx"  # not there yet: the export makes it
    assert main.main(["export", "lrmx", "--db", str(db_path), *U, "--out", str(folder)]) == 0
    assert "已导出 2 份" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"张三{N1}.lrmx", f"李四{N2}.lrmx"])


@pytest.mark.parametrize("kind, out, words", [
    ("cadres", "no/such/folder/a.xlsx", "不存在"), ("cadres", "../a.xlsx", "“..”"),
    ("lrmx", "no/such_folder", "不存在"), ("lrmx", "x/../..", "“..”"), ("roster_nope", "a.xlsx", "不认识的导出类型"),
])
def test_export_refuses_bad_out(db_path, tmp_path, capsys, monkeypatch, kind, out, words, cli_account):
    U = cli_account(db_path)
    monkeypatch.chdir(tmp_path)
    assert main.main(["export", kind, "--db", str(db_path), *U, "--out", out]) == 2
    assert words in capsys.readouterr().err


def test_exported_list_imports_again_unchanged(db_path, ledger, tmp_path, capsys, cli_account):
    U = cli_account(db_path)
    main.main(["import", "cadres", str(ledger), "--db", str(db_path), *U])
    out = tmp_path / "名册.xlsx"
    main.main(["export", "cadres", "--db", str(db_path), *U, "--out", str(out)])
    capsys.readouterr()
    assert main.main(["import", "cadres", str(out), "--db", str(db_path), *U]) == 0
    assert "imported=0 updated=0 unchanged=2 rejected=0" in capsys.readouterr().out


def test_import_reads_the_sheet_named_by_sheet(db_path, tmp_path, capsys, cli_account):
    U = cli_account(db_path)
    wb = openpyxl.Workbook()
    wb.active.title = "在职"
    wb.active.append(["姓名", "身份证号"])
    wb.active.append(["张三", number(date(1975, 3, 15), "男", 1)])
    ws = wb.create_sheet("退休")
    ws.append(["姓名", "身份证号"])
    ws.append(["李四", number(date(1955, 3, 15), "女", 2)])
    wb.save(tmp_path / "两表.xlsx")
    assert main.main(["import", "cadres", str(tmp_path / "两表.xlsx"), "--db", str(db_path), *U, "--dry-run",
                      "--sheet", "退休"]) == 0
    out = capsys.readouterr().out
    assert "工作表：退休" in out and "李四" in out and "张三" not in out
    assert main.main(["import", "cadres", str(tmp_path / "两表.xlsx"), "--db", str(db_path), *U,
                      "--sheet", "离职"]) == 2
    assert "没有名为“离职”的工作表" in capsys.readouterr().err


class _ClosedPipe:
    """The standard output of `main.py … | head` once head has gone."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass


def test_a_withdrawal_whose_output_cannot_be_written_is_still_done_and_no_error_is_shown(
        db_path, ledger, tmp_path, capsys, cli_account):
    import sys

    U = cli_account(db_path)
    assert main.main(["import", "cadres", str(ledger), "--db", str(db_path), *U]) == 0
    capsys.readouterr()
    shown, sys.stdout = sys.stdout, _ClosedPipe()
    try:
        assert main.main(["import", "withdraw", "1", "--reason", "导错了文件", "--db", str(db_path), *U]) == 141
    finally:
        sys.stdout = shown
    assert capsys.readouterr().err == ""
    assert main.main(["import", "list", "--db", str(db_path), *U]) == 0
    assert "撤回：导错了文件" in capsys.readouterr().out
